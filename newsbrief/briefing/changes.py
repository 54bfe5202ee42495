"""What changed in a stored story since an earlier version: new outlets,
new articles, new facts and changed values, each new item citing its
sentence.

A story keeps the article set of each version (``Store.versions``); an
updated page is stored as a new article and the old one marked as
superseded by it (``duplicate_of``), its text kept. "What changed" compares
the earlier version's articles (superseded ones included: they are what the
reader saw) with the articles the story gained since, through the same
cross-source alignment the briefing's "also in" and the contradictions read
(:class:`~newsbrief.analysis.story.Story`), with every article counted as its
own source: an outlet's update repeats its earlier text, and that repetition
is exactly what tells old from new.

* A **new fact** is a statement (not a caption, a credit, a question or a
  fragment: :attr:`Story.statements`, after the cleaner dropped the
  boilerplate) of a new article that no earlier sentence supports: not the
  same text, and not judged ``same`` (a paraphrase with compatible values)
  with any earlier sentence. New facts saying the same thing in several new
  articles are one item (the others are its ``support``). They are ranked by
  the summarizer's salience and capped at ``MAX_FACTS``.
* A **changed value** is a slot (people killed, an amount, a date) the story
  filled before and fills differently now: a ``conflicting`` pair between an
  earlier and a new sentence; a strongly aligned pair whose counts or amounts
  differ by less than the contradictions' rounding tolerance (an update
  from 12 to 13 dead is a change, not a contradiction); an updated article
  whose one count of a kind changed ("12 people died" -> "the death toll rose
  to 15", however reworded); and a death or injury toll given once by the
  earlier version and otherwise by a new article. A value the earlier
  version already gave somewhere is not a change. A sentence shown as a
  changed value is not listed again as a new fact.

Precision first: a fact shown as new that was already reported misleads.
What it cannot do: a fact reworded beyond the alignment (split across two
sentences, or merged into one with another) is shown as new; a value changed
in a sentence the alignment does not pair, other than a toll or an updated
article's count, is shown as a new fact rather than a changed value; a fact
an update dropped is not listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from ..analysis.contradictions import subject
from ..analysis.independence import Sources
from ..analysis.story import NUMBER_ALIGN, Pair, Story
from ..analysis.values import MODAL, TOLERANCE, Value, compatible
from ..model import Article, Citation, LoadError, apply_edits
from ..store import Store, StoryVersion, open_store

__all__ = ["Changes", "ChangedValue", "NewArticle", "NewFact", "VersionRef", "SinceError", "changes", "versions",
           "MAX_FACTS"]

MAX_FACTS = 10  # new facts listed; the rest are counted
# A new sentence this close (embedding cosine) to an earlier one, giving no
# number the earlier version lacks, retells it: "Dickson Wright died on
# Saturday at Edinburgh's Royal Infirmary" after "her death in hospital in
# Edinburgh" (chosen on dev clusters not in the held-out reading, BENCHMARKS.md).
RETOLD_COS = 0.7
RETOLD_WORDS = 0.6  # ...or this share of its content words (IDF-weighted) already used by the earlier version
AMOUNTS = ("count", "number", "money", "percent")
Db = str | Path | Store | None  # a database path, an open store, or None: $NEWSBRIEF_DB / the default
TOLLS = ("killed", "injured")


class SinceError(ValueError):
    """``since`` names no version of the story and is not a date."""


@dataclass(slots=True)
class VersionRef:
    """One side of the comparison: a recorded version (0: before the story's
    first version, when everything is new) and when it was recorded."""

    version: int
    created: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "created": self.created}


@dataclass(slots=True)
class NewArticle:
    """An article the story gained; ``replaces``: the store ids of the
    earlier articles it updates (the same page, changed)."""

    id: int
    source: str  # the id citations give for it
    outlet: str | None
    title: str | None
    url: str | None = None
    replaces: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "outlet": self.outlet, "title": self.title, "url": self.url,
                "replaces": self.replaces}


@dataclass(slots=True)
class NewFact:
    """A statement no earlier sentence supports, citing its sentence;
    ``support``: the sentences of other new articles that say the same."""

    text: str  # the cited sentence, with the bracketed words that let it read alone
    citation: Citation
    outlet: str | None
    support: list[Citation] = field(default_factory=list)
    score: float = 0.0  # the summarizer's salience

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citation": self.citation.to_dict(), "outlet": self.outlet,
                "support": [c.to_dict() for c in self.support], "score": round(self.score, 4)}


@dataclass(slots=True)
class ChangedValue:
    """A slot the story filled before with ``old`` and now with ``new``."""

    kind: str  # count, number, money, percent, date, time, age, ...
    subject: str  # what the value is about ("people killed", "repairs")
    old: str
    new: str
    before: Citation
    after: Citation
    old_outlet: str | None = None
    new_outlet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "old": self.old, "new": self.new,
                "before": self.before.to_dict(), "after": self.after.to_dict(),
                "old_outlet": self.old_outlet, "new_outlet": self.new_outlet}


@dataclass(slots=True)
class Changes:
    """What a story gained from version ``since`` to version ``to``."""

    story_id: int
    title: str | None
    asked: str  # the ``since`` asked for, as given
    since: VersionRef
    to: VersionRef
    new_outlets: list[str] = field(default_factory=list)
    new_articles: list[NewArticle] = field(default_factory=list)
    new_facts: list[NewFact] = field(default_factory=list)
    more_facts: int = 0  # new facts beyond MAX_FACTS, not listed
    changed_values: list[ChangedValue] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new_articles or self.new_facts or self.changed_values)

    def to_dict(self) -> dict[str, Any]:
        return {"story_id": self.story_id, "title": self.title, "asked": self.asked, "since": self.since.to_dict(),
                "to": self.to.to_dict(), "new_outlets": self.new_outlets,
                "new_articles": [a.to_dict() for a in self.new_articles],
                "new_facts": [f.to_dict() for f in self.new_facts], "more_facts": self.more_facts,
                "changed_values": [c.to_dict() for c in self.changed_values],
                "errors": [e.to_dict() for e in self.errors]}


# --- which versions ------------------------------------------------------------


def resolve_since(since: int | str, versions: list[StoryVersion], current: int) -> StoryVersion | None:
    """The recorded version a reader who saw the story at ``since`` saw: a
    version number 1..current (a version recorded no change of articles, a
    title or state update, reads as the recorded one before it), or an ISO
    date or datetime (the newest version recorded at or before it; a date
    alone is its start, UTC; a time without a zone is UTC). None: before the
    first version, so everything is new. Raises :class:`SinceError`."""
    if isinstance(since, int) or (isinstance(since, str) and since.strip().isdigit()):
        n = int(since)
        if not 1 <= n <= current:
            raise SinceError(f"the story has no version {n} (its versions are 1-{current})")
        return next((v for v in reversed(versions) if v.version <= n), None)
    at = parse_when(str(since))
    return next((v for v in reversed(versions) if _utc(v.created) <= at), None)


def parse_when(text: str) -> datetime:
    """An ISO date or datetime as an aware UTC datetime; SinceError otherwise."""
    s = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return datetime.combine(date.fromisoformat(s), time(), timezone.utc)
        return _utc(s)
    except ValueError:
        raise SinceError(f"{text!r} is neither a version number nor an ISO date "
                         "(2024-05-01 or 2024-05-01T09:30:00Z)") from None


def _utc(s: str) -> datetime:
    d = datetime.fromisoformat(s)
    return d.replace(tzinfo=timezone.utc) if d.tzinfo is None else d.astimezone(timezone.utc)


# --- the comparison -------------------------------------------------------------


class _Versions(Story):
    """The story of two versions' articles, every article its own source:
    an outlet's update confirms its earlier text, which is what tells old
    from new here (the briefing counts it once, as one source)."""

    @cached_property
    def sources(self) -> Sources:
        return Sources(tuple(a.id for a in self.articles), tuple(range(len(self.articles))))


@dataclass(slots=True)
class _Side:
    """The articles compared, prepared, with their store ids."""

    old: list[Article]
    new: list[Article]
    store_ids: dict[str, int]
    replaces: dict[int, list[int]]  # new store id -> the earlier store ids it updates
    errors: list[LoadError]


def versions(db: Db, story_id: int) -> list[StoryVersion]:
    """The story's recorded versions, oldest first: each the article set
    (copies left out) it had from then on, what :func:`changes` compares.
    Raises ``StoryNotFound``."""
    from ..stories.api import StoryNotFound

    with open_store(db) as store:
        if store.story(story_id) is None:
            raise StoryNotFound(f"no story {story_id} in the store")
        return store.versions(story_id)


def changes(db: Db, story_id: int, since: int | str) -> Changes:
    """What story ``story_id`` gained since version ``since`` (a version
    number, or an ISO date/datetime: see :func:`resolve_since`), up to its
    current version. Raises ``StoryNotFound`` and :class:`SinceError`."""
    from ..stories.api import StoryNotFound

    with open_store(db) as store:
        info = store.story(story_id)
        if info is None:
            raise StoryNotFound(f"no story {story_id} in the store")
        versions = store.versions(story_id)
        then = resolve_since(since, versions, info.version)
        now = versions[-1] if versions else None
        old_ids = then.articles if then else []
        new_ids = [a for a in (now.articles if now else []) if a not in set(old_ids)]
        side = _load(store, old_ids, new_ids)
    out = Changes(story_id, info.title, str(since), VersionRef(then.version, then.created) if then else VersionRef(0, None),
                  VersionRef(info.version, now.created if now else None), errors=side.errors)
    out.new_articles = [NewArticle(side.store_ids[a.id], a.id, a.outlet, a.title, a.url,
                                   side.replaces.get(side.store_ids[a.id], [])) for a in side.new]
    seen = {_outlet(a) for a in side.old}
    out.new_outlets = list(dict.fromkeys(a.outlet.strip() for a in side.new if a.outlet and _outlet(a) not in seen))
    if side.new:
        _compare(out, side)
    return out


def _outlet(a: Article) -> str:
    return (a.outlet or "").strip().lower()


def _load(store: Store, old_ids: list[int], new_ids: list[int]) -> _Side:
    """Both versions' articles, cleaned and segmented as a briefing does
    (citations point into the same text), each with an id unique here."""
    from ..pipeline import prepare

    arts: dict[int, Article] = {}
    for aid in [*old_ids, *new_ids]:
        a = store.article(aid)
        if a is not None:
            a.text = ""  # re-cleaned, as brief_story does
            arts[aid] = a
    taken: dict[str, int] = {}
    for aid, a in arts.items():
        taken[a.id] = taken.get(a.id, 0) + 1
    for aid, a in arts.items():
        if taken[a.id] > 1:
            a.id = f"{a.id}#{aid}"
    store_ids = {a.id: aid for aid, a in arts.items()}
    replaces: dict[int, list[int]] = {}
    for aid in old_ids:
        dup = store.article_story(aid)[1] if aid in arts else None
        if dup in new_ids:
            replaces.setdefault(dup, []).append(aid)
    errors: list[LoadError] = []
    old = prepare([arts[a] for a in old_ids if a in arts], errors, english=True)
    new = prepare([arts[a] for a in new_ids if a in arts], errors, english=True)
    return _Side(old, new, store_ids, replaces, errors)


def _compare(out: Changes, side: _Side) -> None:
    story = _Versions.of([*side.old, *side.new])
    n_old = len(side.old)
    fresh = [i for i in story.statements if story.article_of(i) >= n_old and not story.pool.junk[story.article_of(i)]]
    story.pairs_for(fresh)
    changed = _changed_values(story, n_old, fresh, side)
    out.changed_values = changed
    cited = {(c.after.source, c.after.sentence) for c in changed}
    facts = _new_facts(story, n_old, [i for i in fresh if (story.sentences[i].source, story.sentences[i].index)
                                      not in cited])
    out.new_facts, out.more_facts = facts[:MAX_FACTS], max(0, len(facts) - MAX_FACTS)


def _old(story: Story, i: int, n_old: int) -> bool:
    return story.article_of(i) < n_old


def _new_facts(story: Story, n_old: int, fresh: list[int]) -> list[NewFact]:
    """Statements of the new articles that no earlier sentence supports,
    most salient first; several new articles saying one thing are one fact."""
    from ..summarize.salience import Salience

    old = [i for i in story.statements if _old(story, i, n_old)]
    said = {_key(story.sentences[i].text) for i in range(len(story.sentences)) if _old(story, i, n_old)}
    numbers = {n for i in old for n in _numbers(story.sentences[i].text)}
    near, covered = _nearest(story, fresh, old), _coverage(story, fresh, n_old)
    unsupported = [i for i in fresh if _key(story.sentences[i].text) not in said
                   and not ((near[i] >= RETOLD_COS or covered[i] >= RETOLD_WORDS)
                            and _numbers(story.sentences[i].text) <= numbers)
                   and not any(p.verdict == "same" and _old(story, p.other(i), n_old) for p in story.pairs_with(i))]
    score = Salience().score(story.pool)
    facts: list[tuple[int, NewFact]] = []
    for i in sorted(unsupported, key=lambda i: (-score[i], i)):
        home = next((f for j, f in facts if _same(story, i, j)), None)
        if home is not None:
            home.support.append(Citation.of(story.sentences[i]))
            continue
        facts.append((i, NewFact(_readable(story, i), Citation.of(story.sentences[i]),
                                 story.articles[story.article_of(i)].outlet, score=float(score[i]))))
    return [f for _, f in facts]


def _nearest(story: Story, rows: list[int], old: list[int]) -> dict[int, float]:
    """Each row's embedding cosine with the closest earlier statement."""
    if not rows or not old:
        return dict.fromkeys(rows, 0.0)
    sims = story.vectors(rows) @ story.vectors(old).T
    return dict(zip(rows, sims.max(axis=1).tolist()))


def _coverage(story: Story, rows: list[int], n_old: int) -> dict[int, float]:
    """Each row's share of its content words (weighted by the story's IDF)
    that the earlier version used somewhere: a retelling in other sentence
    shapes ("She hasn't been arrested" after "she had not been arrested as
    of late Sunday") uses the earlier words."""
    tokens, idf = story.pool.tokens, story.idf
    seen = {t for i in range(len(story.sentences)) if _old(story, i, n_old) for t in tokens[i]}
    out = {}
    for i in rows:
        ws = {t: idf.get(t, 1.0) for t in set(tokens[i])}
        total = sum(ws.values())
        out[i] = sum(w for t, w in ws.items() if t in seen) / total if total else 0.0
    return out


def _numbers(text: str) -> set[str]:
    """The numbers a sentence gives ("59", "5.2", "2030"): a sentence with
    a number the earlier version never gave tells something new."""
    return {n.replace(",", "").rstrip(".") for n in re.findall(r"\d[\d,.]*", text)}


def _same(story: Story, i: int, j: int) -> bool:
    """Two new sentences say one thing: the same text, a ``same`` pair, or
    a retelling (embeddings as close as ``RETOLD_COS``) with the same
    numbers."""
    if _key(story.sentences[i].text) == _key(story.sentences[j].text):
        return True
    if any(p.verdict == "same" and p.other(i) == j for p in story.pairs_with(i)):
        return True
    close = float(story.vectors([i])[0] @ story.vectors([j])[0]) >= RETOLD_COS
    return close and _numbers(story.sentences[i].text) == _numbers(story.sentences[j].text)


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def _readable(story: Story, i: int) -> str:
    """The sentence with the bracketed words that let it read alone, as the
    summary and the agreements show it."""
    v, text = story.pool.verdicts[i], story.sentences[i].text
    return apply_edits(text, v.edits) if v.fault is None and v.edits else text


# --- changed values -------------------------------------------------------------


def _changed_values(story: Story, n_old: int, fresh: list[int], side: _Side) -> list[ChangedValue]:
    """Changed values from aligned pairs, updated articles and tolls, each
    slot and change once, none the earlier version already gave."""
    found: list[tuple[int, Value, int, Value]] = []  # old sentence, old value, new sentence, new value
    for n in fresh:
        for p in story.pairs_with(n):
            o = p.other(n)
            if _old(story, o, n_old):
                found += [(o, x, n, y) for x, y in _differences(story, p, o)]
    found += _updated_counts(story, n_old, side)
    found += _tolls(story, n_old, fresh)
    out: list[ChangedValue] = []
    keys: set[tuple] = set()
    for o, x, n, y in found:
        key = (x.kind, x.head, x.value, y.value)
        if x.kind not in AMOUNTS or key in keys or _reported(story, n_old, n, y):
            continue
        keys.add(key)
        so, sn = story.sentences[o], story.sentences[n]
        out.append(ChangedValue(x.kind.split(":")[0], subject(so.text, x), x.text, y.text, Citation.of(so),
                                Citation.of(sn), story.articles[story.article_of(o)].outlet,
                                story.articles[story.article_of(n)].outlet))
    return out


def _differences(story: Story, p: Pair, o: int) -> list[tuple[Value, Value]]:
    """(old, new) values of one slot that differ in an aligned pair: its
    conflicts, and in a strongly aligned paraphrase, counts and amounts
    that differ within the contradictions' tolerance (12 -> 13 dead) or
    beside a bound ("at least 12" -> "15"), each side giving one value for
    the slot."""
    flip = p.a != o
    out = [(y, x) if flip else (x, y) for x, y in p.conflicts]
    if p.verdict != "same" or 2 * p.score < NUMBER_ALIGN:
        return out
    n = p.other(o)
    xs, ys = story.values_of(o), story.values_of(n)
    for x in xs:
        if x.kind not in AMOUNTS or not x.head:
            continue
        mine = [v for v in xs if v.kind == x.kind and v.head == x.head]
        theirs = [v for v in ys if v.kind == x.kind and v.head == x.head]
        if len(mine) == 1 and len(theirs) == 1 and _differs(x, theirs[0]) and (x, theirs[0]) not in out:
            out.append((x, theirs[0]))
    return out


def _updated_counts(story: Story, n_old: int, side: _Side) -> list[tuple[int, Value, int, Value]]:
    """An updated article's one count of a kind against its earlier text's
    one count of that kind ("12 people died" -> "the death toll rose to
    15"): the same page, so the same slot, however reworded."""
    index = {a.id: k for k, a in enumerate(story.articles)}
    out = []
    for new_id, olds in side.replaces.items():
        n_doc = next((index[a] for a, sid in side.store_ids.items() if sid == new_id and a in index), None)
        for old_id in olds:
            o_doc = next((index[a] for a, sid in side.store_ids.items() if sid == old_id and a in index), None)
            if n_doc is not None and o_doc is not None:
                out += _one_count_each(_counts(story, [o_doc]), _counts(story, [n_doc]), None)
    return out


def _tolls(story: Story, n_old: int, fresh: list[int]) -> list[tuple[int, Value, int, Value]]:
    """A toll (people killed, injured) the earlier version gave one way and
    a new article another way, each side giving one value for it."""
    old = _counts(story, range(n_old))
    out = []
    for d in sorted({story.article_of(i) for i in fresh}):
        out += _one_count_each(old, _counts(story, [d]), TOLLS)
    return out


def _counts(story: Story, docs) -> dict[str, list[tuple[int, Value]]]:
    """Counts of people per head (killed, injured, ...) in these articles'
    statements that are not modal ("could kill")."""
    want = set(docs)
    out: dict[str, list[tuple[int, Value]]] = {}
    for i in story.statements:
        if story.article_of(i) in want and not MODAL.search(story.sentences[i].text):
            for v in story.values_of(i):
                if v.kind == "count":
                    out.setdefault(v.head, []).append((i, v))
    return out


def _one_count_each(old: dict[str, list[tuple[int, Value]]], new: dict[str, list[tuple[int, Value]]],
                    heads: tuple[str, ...] | None) -> list[tuple[int, Value, int, Value]]:
    out = []
    for head, ys in new.items():
        xs = old.get(head, [])
        if heads is not None and head not in heads or not xs:
            continue
        if len({v.value for _, v in xs}) == 1 and len({v.value for _, v in ys}) == 1 and _differs(xs[0][1], ys[0][1]):
            out.append((xs[0][0], xs[0][1], ys[0][0], ys[0][1]))
    return out


def _differs(x: Value, y: Value) -> bool:
    """Two values of one slot say different amounts: counts of people
    exactly, other amounts beyond rounding; a bound aside ("at least 12"
    and "15" differ, "at least 15" and "15" do not)."""
    a, b = float(x.value), float(y.value)  # type: ignore[arg-type]
    if x.kind == "count":
        return a != b
    return abs(a - b) > TOLERANCE * max(a, b)


def _reported(story: Story, n_old: int, n: int, y: Value) -> bool:
    """The earlier version already gave value ``y`` for its slot: a
    sentence aligned with the new one, or for a count of people or a
    headed amount anywhere, with that value."""
    aligned = {p.other(n) for p in story.pairs_with(n)}
    for i in story.statements:
        if not _old(story, i, n_old) or (not y.head and i not in aligned):
            continue
        if any(v.kind == y.kind and v.head == y.head and compatible(v, y) and not _differs(v, y)
               for v in story.values_of(i)):
            return True
    return False


