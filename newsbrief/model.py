"""The data model every stage passes along.

Plain dataclasses, so that later stages (analysis, store, server, batch) can
add fields without a framework, and so that ``to_dict`` is the one place the
JSON contract is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "newsbrief.briefing/4"


@dataclass(slots=True)
class Dropped:
    """A span the cleaner removed, kept so that nothing is dropped silently."""

    text: str
    reason: str


@dataclass(slots=True)
class Sentence:
    """One sentence of an article; ``text == article.text[start:end]`` always."""

    source: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class Article:
    """One news article from one outlet.

    ``raw`` is the text as loaded; ``text`` is the cleaned text that every
    sentence offset and citation points into.
    """

    id: str
    raw: str
    title: str | None = None
    outlet: str | None = None
    path: str | None = None
    url: str | None = None
    published: str | None = None
    text: str = ""
    dropped: list[Dropped] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    author: str | None = None  # the byline, when the page names one

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "path": self.path,
            "url": self.url,
            "published": self.published,
            "author": self.author,
            "text": self.text,
            "sentences": [[s.start, s.end] for s in self.sentences],
            "dropped": [asdict(d) for d in self.dropped],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        """The inverse of :meth:`to_dict` (``raw`` becomes the cleaned text,
        which is all a briefing keeps)."""
        text, aid = d.get("text") or "", d["id"]
        return cls(id=aid, raw=text, title=d.get("title"), outlet=d.get("outlet"), path=d.get("path"),
                   url=d.get("url"), published=d.get("published"), text=text, author=d.get("author"),
                   dropped=[Dropped(x["text"], x["reason"]) for x in d.get("dropped", [])],
                   sentences=[Sentence(aid, i, a, b, text[a:b]) for i, (a, b) in enumerate(d.get("sentences", []))])


@dataclass(slots=True)
class Citation:
    """Points at one source sentence: ``sources[source].text[start:end]``."""

    source: str
    sentence: int
    start: int
    end: int
    text: str = ""
    score: float | None = None

    @classmethod
    def of(cls, s: Sentence, score: float | None = None) -> Citation:
        return cls(s.source, s.index, s.start, s.end, s.text, score)

    def to_dict(self) -> dict[str, Any]:
        d = {"source": self.source, "sentence": self.sentence, "start": self.start,
             "end": self.end, "text": self.text}
        if self.score is not None:
            d["score"] = round(self.score, 4)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        return cls(d["source"], d["sentence"], d["start"], d["end"], d.get("text", ""), d.get("score"))


@dataclass(frozen=True, slots=True)
class Edit:
    """One change made to a cited sentence so that it reads out of its
    article: ``sentence[start:end]`` (offsets into the cited source
    sentence's text, not the article) becomes ``inserted``.

    Words added for context come in square brackets, the journalists'
    convention for words added to a quote ("[Kislyak] also served...");
    ``kind`` says why: ``referent`` (a pronoun or description replaced by
    the name it stands for, or a quotation's speaker put before it:
    "[Salazar said:] ..."), ``connective`` (a leading "But", "However,"
    dropped, with the next letter capitalised), ``outlet`` (the reporter's
    "me" replaced by the outlet: "told [Vox]"), ``dateline`` ("SAN DIEGO
    (AP) — " dropped from a sentence after the summary's first)."""

    start: int
    end: int
    removed: str
    inserted: str
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "removed": self.removed, "inserted": self.inserted,
                "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Edit:
        return cls(d["start"], d["end"], d["removed"], d["inserted"], d["kind"])


def apply_edits(text: str, edits: list[Edit] | tuple[Edit, ...]) -> str:
    """The displayed sentence: ``text`` (the cited source sentence) with
    ``edits`` applied. Edits never overlap; raises ValueError when an edit
    does not match the text it says it removes (a citation that no longer
    verifies)."""
    return "".join(piece for piece, _ in pieces(text, edits))


def pieces(text: str, edits: list[Edit] | tuple[Edit, ...]) -> list[tuple[str, bool]]:
    """The displayed sentence as ``(text, added)`` runs, ``added`` true for
    words put in for context (shown in brackets, styled as added by the
    renderers)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end > len(text) or text[e.start:e.end] != e.removed:
            raise ValueError(f"edit {e.start}:{e.end} does not match the cited sentence")
        if e.start > pos:
            out.append((text[pos:e.start], False))
        if e.inserted:
            out.append((e.inserted, e.inserted.startswith("[")))
        pos = e.end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


@dataclass(slots=True)
class SummarySentence:
    """A sentence of the summary, the source sentence(s) it comes from, the
    sentences of other sources that say the same, and those that give
    another value for it (``disputed``).

    ``text`` is the cited sentence with ``edits`` applied (most sentences
    have none): ``apply_edits(citations[0].text, edits) == text``; except a
    sentence a language model wrote (``generated``, issue 20): its ``text``
    is the model's, its ``citations`` the sentences it was written from,
    ``replaces`` the extractive summary sentences it stands for and
    ``check`` what the checker looked for. An extractive sentence that
    stands because the model's rewrite was refused carries ``reason``."""

    text: str
    citations: list[Citation]
    support: list[Citation] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    disputed: list[Citation] = field(default_factory=list)  # sentences of other sources that give another value
    generated: bool = False
    replaces: list[SummarySentence] = field(default_factory=list)  # generated: the extractive sentences it rewrites
    check: dict[str, Any] | None = None  # the checker's result: ok, problems, checked (and the refused text)
    reason: str | None = None  # extractive, because the rewrite of it was refused: why

    def pieces(self) -> list[tuple[str, bool]]:
        """``text`` as ``(run, added)`` pieces, for renderers that mark the
        words added for context."""
        return pieces(self.citations[0].text, self.edits) if self.edits and self.citations else [(self.text, False)]

    def to_dict(self) -> dict[str, Any]:
        """The fusion keys appear only on a fused briefing's sentences, so
        that an extractive briefing's JSON is what it always was."""
        d: dict[str, Any] = {
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "support": [c.to_dict() for c in self.support],
            "edits": [e.to_dict() for e in self.edits],
            "disputed": [c.to_dict() for c in self.disputed],
        }
        if self.generated:
            d.update(generated=True, replaces=[s.to_dict() for s in self.replaces])
        elif self.reason is not None:
            d.update(generated=False, reason=self.reason)
        if self.check is not None:
            d["check"] = self.check
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SummarySentence:
        return cls(d["text"], _cites(d.get("citations")), _cites(d.get("support")),
                   [Edit.from_dict(e) for e in d.get("edits", [])], _cites(d.get("disputed")),
                   generated=bool(d.get("generated", False)),
                   replaces=[SummarySentence.from_dict(x) for x in d.get("replaces", [])],
                   check=d.get("check"), reason=d.get("reason"))


@dataclass(slots=True)
class LoadError:
    """A source that could not be used, with a one-line reason; or, with
    ``duplicate_of`` (the id of the source kept), a copy left out."""

    source: str
    reason: str
    duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"source": self.source, "reason": self.reason}
        if self.duplicate_of is not None:
            d["duplicate_of"] = self.duplicate_of
        return d

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(slots=True)
class Fusion:
    """How a briefing's summary was fused (issue 20): by which model, how
    many of its sentences the model wrote and the checker let stand, how
    many rewrites were refused, and what it cost."""

    model: str  # the backend's name: the model, or the GGUF file's name
    generated: int = 0  # generated sentences shown
    refused: int = 0  # groups whose rewrite the checker refused: shown extractive, each with its reason
    skipped: int = 0  # groups left extractive because the token or time budget was spent
    judged: int = 0  # generated sentences with the model's own support probability (check["support"])
    tokens: int = 0  # prompt and completion, as a hosted API bills them
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 2)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fusion:
        return cls(d["model"], d.get("generated", 0), d.get("refused", 0), d.get("skipped", 0),
                   d.get("judged", 0), d.get("tokens", 0), d.get("seconds", 0.0))


@dataclass(slots=True)
class Briefing:
    sources: list[Article]
    summary: list[SummarySentence]
    method: str
    words: int
    budget: dict[str, Any] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    id: str | int | None = None  # int: a batch row's integer id, kept as such
    analysis: Analysis | None = None
    fusion: Fusion | None = None  # set when a language model rewrote the summary (newsbrief.briefing.fuse)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.summary)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "id": self.id,
            "method": self.method,
            "words": self.words,
            "budget": self.budget,
            "sources": [a.to_dict() for a in self.sources],
            "summary": [s.to_dict() for s in self.summary],
            "errors": [e.to_dict() for e in self.errors],
            **({"fusion": self.fusion.to_dict()} if self.fusion is not None else {}),
            **(self.analysis.to_dict() if self.analysis is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Briefing:
        """Rebuild a briefing from :meth:`to_dict` output (a cached or stored
        briefing), so that every renderer works on it; ``to_dict`` of the
        result equals ``d``."""
        return cls(
            sources=[Article.from_dict(a) for a in d.get("sources", [])],
            summary=[SummarySentence.from_dict(x) for x in d.get("summary", [])],
            method=d.get("method", ""), words=d.get("words", 0), budget=dict(d.get("budget") or {}),
            errors=[LoadError(e["source"], e["reason"], e.get("duplicate_of")) for e in d.get("errors", [])],
            id=d.get("id"),
            analysis=Analysis.from_dict(d) if "entities" in d else None,
            fusion=Fusion.from_dict(d["fusion"]) if d.get("fusion") else None,
        )


@dataclass(slots=True)
class Cluster:
    """A set of articles about one story, optionally with a reference summary
    (Multi-News rows) for evaluation."""

    id: str
    articles: list[Article]
    reference: str | None = None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Briefing.to_dict()`` (shipped with the package)."""
    import json
    from importlib.resources import files

    return json.loads(files("newsbrief").joinpath("schema/briefing.schema.json").read_text(encoding="utf-8"))


# --- Cross-source analysis (issue 4). Every item carries the texts it rests on
# as Citations, not only ids, so a reader (or the web page) can show evidence.


@dataclass(slots=True)
class Mention:
    """One mention of an entity: where, and the exact surface text."""

    source: str
    sentence: int
    start: int  # offsets in the source's cleaned text
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    """A person or organisation resolved across sources."""

    id: str
    name: str  # canonical: the fullest form seen ("Sergey Kislyak")
    type: str  # PERSON, ORG, GPE, NORP, ...
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "Russia's ambassador to the US", "Attorney General"
    mentions: list[Mention] = field(default_factory=list)

    @property
    def sources(self) -> dict[str, int]:
        """Mention count per source."""
        out: dict[str, int] = {}
        for m in self.mentions:
            out[m.source] = out.get(m.source, 0) + 1
        return out


@dataclass(slots=True)
class Quote:
    """A direct quote, its speaker when the text names one, and every source
    that carried it (merged across sources)."""

    text: str
    speaker: str | None
    speaker_id: str | None
    citations: list[Citation]  # the sentences holding the quote, one per carrying source
    via: str | None = None  # intermediate outlet when relayed ("told CNN")
    spans: list[Mention] = field(default_factory=list)  # exact quote offsets per source


@dataclass(slots=True)
class Agreement:
    """A statement two or more independent sources make."""

    text: str  # the representative sentence, with the bracketed words that let it read alone ("[Whitfield] said")
    sources: list[str]  # one per independent source, each cited
    citations: list[Citation]
    score: float = 0.0
    independent: int = 0  # independent sources confirming it (copies and one outlet's articles count once)
    copies: list[str] = field(default_factory=list)  # articles that repeat a cited one (reprints, same outlet)


@dataclass(slots=True)
class Contradiction:
    """Sources giving different values for the same thing."""

    kind: str  # number, date, age, duration, title, description
    subject: str  # what the values are about ("Kislyak's first U.S. posting")
    values: list[str]
    citations: list[Citation]  # side by side: one per conflicting sentence
    note: str = ""


@dataclass(slots=True)
class FactCell:
    """What one source says of a fact: ``reports`` it (citing the sentence),
    ``contradicts`` it (citing the sentence, with the value it gives), or
    ``absent`` (no matching sentence found), or ``copy`` (the source
    repeats another's article, which is cited)."""

    source: str
    status: str  # reports, contradicts, absent, copy
    citation: Citation | None = None
    value: str | None = None


@dataclass(slots=True)
class Fact:
    """One main fact of the story across every source (a row of the fact
    table)."""

    text: str  # the representative sentence
    cells: list[FactCell]  # one per source, in source order
    independent: int = 0  # independent sources reporting it
    disputed: bool = False  # some source contradicts it


@dataclass(slots=True)
class TimelineEvent:
    date: str  # ISO date, year-month, or year ("2008", "1985/1989" for ranges)
    text: str
    citations: list[Citation]
    precision: str = "day"  # day, month, year, range
    relative: str | None = None  # "on Wednesday": the phrase resolved against the article date


@dataclass(slots=True)
class Relation:
    source_id: str  # entity ids
    target_id: str
    source_name: str
    target_name: str
    kind: str  # met, spoke_with, worked_for, ...
    citations: list[Citation]


@dataclass(slots=True)
class Analysis:
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The analysis sections; citations serialise as everywhere else."""
        def cites(cs: list[Citation]) -> list[dict[str, Any]]:
            return [c.to_dict() for c in cs]

        return {
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type, "aliases": e.aliases, "roles": e.roles,
                 "mentions_per_source": e.sources, "mentions": [asdict(m) for m in e.mentions]}
                for e in self.entities
            ],
            "quotes": [
                {"text": q.text, "speaker": q.speaker, "speaker_id": q.speaker_id, "via": q.via,
                 "sources": list(dict.fromkeys(c.source for c in q.citations)),
                 "citations": cites(q.citations), "spans": [asdict(m) for m in q.spans]}
                for q in self.quotes
            ],
            "agreements": [
                {"text": a.text, "sources": a.sources, "independent": a.independent, "copies": a.copies,
                 "score": round(a.score, 4), "citations": cites(a.citations)}
                for a in self.agreements
            ],
            "contradictions": [
                {"kind": c.kind, "subject": c.subject, "values": c.values, "note": c.note,
                 "citations": cites(c.citations)}
                for c in self.contradictions
            ],
            "timeline": [
                {"date": t.date, "precision": t.precision, "relative": t.relative, "text": t.text,
                 "citations": cites(t.citations)}
                for t in self.timeline
            ],
            "facts": [
                {"text": f.text, "independent": f.independent, "disputed": f.disputed,
                 "cells": [{"source": c.source, "status": c.status, "value": c.value,
                            "citation": c.citation.to_dict() if c.citation else None} for c in f.cells]}
                for f in self.facts
            ],
            "relations": [
                {"source": r.source_id, "target": r.target_id, "source_name": r.source_name,
                 "target_name": r.target_name, "kind": r.kind, "citations": cites(r.citations)}
                for r in self.relations
            ],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        """The inverse of :meth:`to_dict`; derived fields (per-source counts,
        quote sources) are recomputed from the mentions and citations."""
        def mentions(xs) -> list[Mention]:
            return [Mention(m["source"], m["sentence"], m["start"], m["end"], m["text"]) for m in xs or []]

        return cls(
            entities=[Entity(e["id"], e["name"], e["type"], list(e.get("aliases", [])), list(e.get("roles", [])),
                             mentions(e.get("mentions"))) for e in d.get("entities", [])],
            quotes=[Quote(q["text"], q.get("speaker"), q.get("speaker_id"), _cites(q.get("citations")), q.get("via"),
                          mentions(q.get("spans"))) for q in d.get("quotes", [])],
            agreements=[Agreement(a["text"], list(a["sources"]), _cites(a.get("citations")), a.get("score", 0.0),
                                  a.get("independent", len(a["sources"])), list(a.get("copies", [])))
                        for a in d.get("agreements", [])],
            contradictions=[Contradiction(c["kind"], c["subject"], list(c["values"]), _cites(c.get("citations")),
                                          c.get("note", "")) for c in d.get("contradictions", [])],
            timeline=[TimelineEvent(t["date"], t["text"], _cites(t.get("citations")), t.get("precision", "day"),
                                    t.get("relative")) for t in d.get("timeline", [])],
            relations=[Relation(r["source"], r["target"], r["source_name"], r["target_name"], r["kind"],
                                _cites(r.get("citations"))) for r in d.get("relations", [])],
            facts=[Fact(f["text"], [FactCell(c["source"], c["status"],
                                             Citation.from_dict(c["citation"]) if c.get("citation") else None,
                                             c.get("value")) for c in f.get("cells", [])],
                        f.get("independent", 0), f.get("disputed", False)) for f in d.get("facts", [])],
        )


def _cites(xs: list[dict[str, Any]] | None) -> list[Citation]:
    return [Citation.from_dict(c) for c in xs or []]
