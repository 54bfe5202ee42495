"""The briefing as Markdown: the summary with numbered citation markers, then
the sources with the same numbers, what the cleaner dropped, and errors."""

from __future__ import annotations

import re

from ..model import Citation, Briefing, SummarySentence

_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+(?=[.)]))")
MAX_DROPPED_CHARS = 100


def escape(text: str) -> str:
    """Escape just what would change the rendering of article text: emphasis,
    code, links, HTML, and block markers at the start of a line."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LINE_START.sub(_unblock, text)


def _unblock(m: re.Match[str]) -> str:
    """Turn "# x" into "\\# x", but "1. x" into "1\\. x": a backslash before a digit is no escape in CommonMark."""
    lead, mark = m.groups()
    return f"{lead}{mark}\\" if mark[0].isdigit() else f"{lead}\\{mark}"


def sentence_text(s: SummarySentence) -> str:
    """A summary sentence, escaped, with the words added for context (the
    bracketed runs of its edits) in italics: ``*\\[Kislyak\\]*``."""
    runs = s.pieces()
    if not any(added for _, added in runs):
        return escape(s.text)
    out = []
    for run, added in runs:  # escape each run without trimming it: the spaces between runs stay
        run = _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", run))
        core = run.strip()
        if added and core:  # the asterisks hug the words: "* x*" would be no emphasis
            lead, tail = run[: len(run) - len(run.lstrip())], run[len(run.rstrip()):]
            run = f"{lead}*{core}*{tail}"
        out.append(run)
    return _LINE_START.sub(_unblock, "".join(out).strip())


def _code(text: str) -> str:
    """A path as inline code (a backtick inside would end the span)."""
    return "`" + text.replace("`", "'") + "`"


def _truncate(text: str, n: int = MAX_DROPPED_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def to_markdown(b: Briefing) -> str:
    from . import GENERATED, disputes, dropped_counts, fusion_note, headline, marker_text, markers

    out = [f"# {escape(headline(b))}", ""]
    meta = [f"{len(b.sources)} source{'s' if len(b.sources) != 1 else ''}", f"method {b.method}", f"{b.words} words"]
    if b.id:
        meta.insert(0, f"story {escape(b.id)}")
    out += [f"*{' · '.join(meta)}*", "", "## Summary", ""]

    para: list[str] = []
    last: int | None = None
    for s in b.summary:
        cited, also = markers(b, s)
        first = cited[0] if cited else None
        if para and first != last:  # a new paragraph where the story moves to another source
            out += [" ".join(para), ""]
            para = []
        para.append(f"{sentence_text(s)}{GENERATED if s.generated else ''} {marker_text(cited, also, disputes(b, s))}")
        last = first
    if para:
        out += [" ".join(para), ""]
    if not b.summary:
        out += ["*(no summary sentence fits the budget)*", ""]
    elif any(added for s in b.summary for _, added in s.pieces()):
        out += ["*Words in \\[brackets\\] were added for context: they are not in the cited sentence.*", ""]
    if note := fusion_note(b):
        out += [f"*{escape(note)}*", ""]

    if b.analysis is not None:
        out += analysis_sections(b)

    out += ["## Sources", ""]
    for i, a in enumerate(b.sources, 1):
        bits = [f"**{escape(a.title or a.id)}**"]
        bits += [escape(x) for x in (a.outlet, a.author and f"by {a.author}", a.published) if x]
        where = a.url or a.path
        if where:
            bits.append(_code(where))
        out.append(f"{i}. " + " — ".join(bits))
    out.append("")

    if any(a.dropped for a in b.sources):
        out += ["## Dropped as boilerplate", ""]
        for i, a in enumerate(b.sources, 1):
            if not a.dropped:
                continue
            n = len(a.dropped)
            out.append(f"- [{i}] {n} span{'s' if n != 1 else ''} ({dropped_counts([d.reason for d in a.dropped])})")
            out += [f"  - *{escape(d.reason)}*: {escape(_truncate(d.text))}" for d in a.dropped]
        out.append("")

    if b.errors:
        out += ["## Errors", ""]
        out += [f"- {_code(e.source)}: {escape(e.reason)}" for e in b.errors]
        out.append("")
    return "\n".join(out)


def analysis_sections(b: Briefing) -> list[str]:
    """The cross-source sections; every item ends with the numbered sources
    (and sentences) it rests on, like the summary."""
    num = {a.id: i for i, a in enumerate(b.sources, 1)}

    def refs(cites) -> str:
        seen = dict.fromkeys(num.get(c.source, 0) for c in cites)
        return "[" + ", ".join(str(n) for n in seen if n) + "]" if seen else ""

    an = b.analysis
    out: list[str] = []
    if an.entities:
        out += ["## People and organisations", ""]
        for e in [e for e in an.entities if e.type in ("PERSON", "ORG")][:25]:
            per = ", ".join(f"{num.get(s, '?')}: {n}" for s, n in e.sources.items())
            role = f" — {escape('; '.join(e.roles[:3]))}" if e.roles else ""
            out.append(f"- **{escape(e.name)}** ({e.type.lower()}){role} · mentions by source {per}")
        out.append("")
    if an.facts:
        out += fact_table(b, num)
    if an.agreements:
        out += ["## What the sources agree on", ""]
        for a in an.agreements[:15]:
            copies = f"; repeated by {refs([Citation(c, 0, 0, 0) for c in a.copies])}" if a.copies else ""
            out.append(f"- {escape(a.text)} {refs(a.citations)} ({a.independent} independent sources{copies})")
        out.append("")
    if an.contradictions:
        out += ["## Where they differ", ""]
        for c in an.contradictions:
            out.append(f"- **{escape(c.subject)}** ({c.kind}): " + " vs ".join(escape(v) for v in c.values))
            out += [f"  - {escape(x.text)} {refs([x])}" for x in c.citations]
        out.append("")
    if an.quotes:
        out += ["## Who said what", ""]
        by: dict[str, list] = {}
        for q in an.quotes:
            by.setdefault(q.speaker or "unattributed", []).append(q)
        for speaker, qs in by.items():
            out.append(f"- **{escape(speaker)}**")
            out += [f"  - “{escape(q.text)}” {refs(q.citations)}" + (f" (via {escape(q.via)})" if q.via else "")
                    for q in qs]
        out.append("")
    if an.timeline:
        out += ["## Timeline", ""]
        out += [f"- **{escape(t.date)}** — {escape(_truncate(t.text, 200))} {refs(t.citations)}" for t in an.timeline]
        out.append("")
    if an.relations:
        out += ["## Relations", ""]
        out += [f"- {escape(r.source_name)} —{escape(r.kind.replace('_', ' '))}→ {escape(r.target_name)} "
                f"{refs(r.citations)}" for r in an.relations]
        out.append("")
    return out


_CELL = {"reports": "✓", "contradicts": "✗", "copy": "copy", "absent": "—"}


def fact_table(b: Briefing, num: dict[str, int]) -> list[str]:
    """The main facts against the sources: ✓ reports it (sentence number),
    ✗ contradicts it (with its value), "copy" repeats a cited article, —
    no matching sentence found."""
    an = b.analysis
    head = "| Fact | " + " | ".join(f"[{num[a.id]}]" for a in b.sources) + " |"
    out = ["## Fact table", "", head, "|---|" + "---|" * len(b.sources)]
    for f in an.facts:
        cells = {c.source: c for c in f.cells}
        row = []
        for a in b.sources:
            c = cells.get(a.id)
            if c is None:
                row.append("")
                continue
            mark = _CELL[c.status]
            if c.citation is not None and c.status != "copy":
                mark += f" s{c.citation.sentence + 1}"
            if c.value and f.disputed:
                mark += f" {c.value}"
            row.append(escape(mark).replace("|", "\\|"))
        text = escape(_truncate(f.text, 160)).replace("|", "\\|")
        out.append(f"| {'**disputed:** ' if f.disputed else ''}{text} | " + " | ".join(row) + " |")
    out += ["", "*✓ reports it (sentence number), ✗ gives another value, copy: repeats a cited article, "
            "— no matching sentence found.*", ""]
    return out
