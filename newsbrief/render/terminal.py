"""The briefing in a terminal, with rich: a panel with the summary and
coloured citation markers, a table of sources, what was dropped, and errors.
Rich drops colour by itself when the output is not a TTY."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import Briefing

ADDED = "italic dim"  # words added for context ("[Kislyak]"): not in the cited sentence
PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")


def _colour(n: int) -> str:
    return PALETTE[(n - 1) % len(PALETTE)]


def to_terminal(b: Briefing, console: Console | None = None) -> None:
    from . import GENERATED, disputes, dropped_counts, fusion_note, headline, markers

    console = console or Console()
    body = Text()
    last: int | None = None
    for k, s in enumerate(b.summary):
        cited, also = markers(b, s)
        first = cited[0] if cited else None
        if k:  # a new paragraph where the story moves to another source, as in Markdown
            body.append("\n\n" if first != last else " ")
        last = first
        for run, added in s.pieces():
            body.append(run, style=ADDED if added else None)
        if s.generated:
            body.append(GENERATED, style="bold")
        body.append(" [")
        for j, n in enumerate(cited):
            body.append(", " if j else "")
            body.append(str(n), style=f"bold {_colour(n)}")
        if also:
            body.append("; also ", style="dim")
            for j, n in enumerate(also):
                body.append(", " if j else "", style="dim")
                body.append(str(n), style=_colour(n))
        if against := disputes(b, s):
            body.append("; disputed by ", style="bold red")
            for j, n in enumerate(against):
                body.append(", " if j else "")
                body.append(str(n), style=f"bold {_colour(n)}")
        body.append("]")
    if not b.summary:
        body.append("(no summary sentence fits the budget)", style="italic")
    if note := fusion_note(b):
        body.append(f"\n\n{note}", style="italic dim")
    sub = f"{b.method} · {b.words} words · {len(b.sources)} source{'s' if len(b.sources) != 1 else ''}"
    console.print(Panel(body, title=Text(headline(b), style="bold"), subtitle=sub, title_align="left",
                        subtitle_align="right", padding=(1, 2)))

    if b.analysis is not None:
        from rich.markdown import Markdown

        from .markdown import analysis_sections

        console.print(Markdown("\n".join(analysis_sections(b))))
    table = Table(title="Sources", title_justify="left", show_lines=False, expand=False)
    table.add_column("#", justify="right")
    table.add_column("Title", overflow="fold")
    table.add_column("Outlet")
    table.add_column("Published")
    table.add_column("Sent.", justify="right")
    table.add_column("Dropped", overflow="fold")
    for i, a in enumerate(b.sources, 1):
        drop = f"{len(a.dropped)} ({dropped_counts([d.reason for d in a.dropped])})" if a.dropped else "0"
        table.add_row(Text(str(i), style=f"bold {_colour(i)}"), a.title or a.id, a.outlet or "—",
                      a.published or "—", str(len(a.sentences)), drop)
    console.print(table)

    if b.errors:
        lines = [Text.assemble(("skipped ", "red"), (e.source, "bold"), f": {e.reason}") for e in b.errors]
        console.print(Panel(Group(*lines), title="Errors", title_align="left", border_style="red"))
