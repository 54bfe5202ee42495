"""Renderers: a :class:`~newsbrief.model.Briefing` as JSON, Markdown or a rich
terminal view. They only format; every fact they show is in the briefing, so
the three outputs never disagree."""

from __future__ import annotations

from collections import Counter

from ..model import Briefing, SummarySentence
from .json import to_json
from .markdown import to_markdown
from .terminal import to_terminal

FORMATS = ("text", "md", "json")

__all__ = ["FORMATS", "to_json", "to_markdown", "to_terminal", "render", "headline", "markers", "dropped_counts",
           "fusion_note", "GENERATED"]


def render(b: Briefing, fmt: str, width: int = 100) -> str:
    """The briefing as a string in ``fmt`` ("text" is the terminal view, without colour)."""
    if fmt == "json":
        return to_json(b) + "\n"
    if fmt == "md":
        return to_markdown(b)
    if fmt == "text":
        from io import StringIO

        from rich.console import Console

        buf = StringIO()
        to_terminal(b, Console(file=buf, width=width, color_system=None, force_terminal=False, soft_wrap=False))
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def headline(b: Briefing) -> str:
    """A title for the briefing: the headline of the source the summary opens
    with, since that source sets the story; else the id."""
    titles = {a.id: a.title for a in b.sources if a.title}
    for s in b.summary:
        for c in s.citations:
            if titles.get(c.source):
                return titles[c.source]
    return next(iter(titles.values()), None) or b.id or "Briefing"


def markers(b: Briefing, s: SummarySentence) -> tuple[list[int], list[int]]:
    """1-based source numbers a summary sentence cites, and the other sources
    that support it (each number once, in order of appearance)."""
    num = {a.id: i for i, a in enumerate(b.sources, 1)}
    cited = list(dict.fromkeys(num[c.source] for c in s.citations if c.source in num))
    also = [n for n in dict.fromkeys(num[c.source] for c in s.support if c.source in num) if n not in cited]
    return cited, also


def disputes(b: Briefing, s: SummarySentence) -> list[int]:
    """1-based numbers of the sources that give another value for what a
    summary sentence says."""
    num = {a.id: i for i, a in enumerate(b.sources, 1)}
    return list(dict.fromkeys(num[c.source] for c in s.disputed if c.source in num))


def marker_text(cited: list[int], also: list[int], disputed: list[int] | None = None) -> str:
    """``[1]``, ``[1; also 2, 3]`` or ``[1; also 2; disputed by 3]``."""
    tail = f"; also {', '.join(map(str, also))}" if also else ""
    tail += f"; disputed by {', '.join(map(str, disputed))}" if disputed else ""
    return f"[{', '.join(map(str, cited))}{tail}]"


GENERATED = "†"  # marks a summary sentence a language model wrote


def fusion_note(b: Briefing) -> str | None:
    """The line under a fused summary: who wrote the marked sentences, what
    was checked, and how many rewrites were refused or not asked for."""
    f = b.fusion
    if f is None:
        return None
    note = (f"Sentences marked {GENERATED} were rewritten by {f.model} from the cited sentences and checked: "
            "every number, date, name, quantity and quotation in them is in those sentences (wording and "
            "emphasis are not checked).")
    if f.refused:
        note += (f" {f.refused} rewrite{'s' if f.refused != 1 else ''} refused (unsupported, or not a fair "
                 "rewrite): the cited sentences stand.")
    if f.skipped:
        note += f" {f.skipped} group{'s' if f.skipped != 1 else ''} left extractive: the model's budget was spent."
    return note


def dropped_counts(reasons: list[str]) -> str:
    """Reasons with counts, e.g. "navigation 2, photo credit 1", most frequent first."""
    return ", ".join(f"{r} {n}" for r, n in Counter(reasons).most_common())
