""""What changed" in a story (:class:`~newsbrief.briefing.changes.Changes`)
as Markdown or plain text for the terminal: the versions compared, new
outlets, changed values with both citations, new facts with theirs. Every
item shows the outlet and the cited sentence's place (article, sentence
number), as the briefing's views do."""

from __future__ import annotations

from ..briefing.changes import Changes
from ..model import Citation
from .markdown import escape

__all__ = ["changes_markdown", "changes_text", "since_label"]


def since_label(c: Changes) -> str:
    """"since version 3 (2024-05-01 09:30)" or "since the story began"."""
    if not c.since.version:
        return "since the story began"
    when = (c.since.created or "")[:16].replace("T", " ")
    return f"since version {c.since.version}" + (f" ({when} UTC)" if when else "")


def _where(c: Citation, outlet: str | None) -> str:
    return f"{outlet or c.source}, {c.source} sentence {c.sentence + 1}"


def _lines(c: Changes, md: bool) -> list[str]:
    esc = escape if md else (lambda t: " ".join(t.split()))
    head = f"What's new in story {c.story_id}" + (f": {esc(c.title)}" if c.title else "")
    out = [("# " if md else "") + head, "",
           f"{since_label(c)[0].upper()}{since_label(c)[1:]}, to version {c.to.version}."]
    if c.empty:
        return [*out, "", "Nothing has changed: no new article since then."]
    out += ["", f"New articles: {len(c.new_articles)}" + (f"; new outlets: {esc(', '.join(c.new_outlets))}"
                                                          if c.new_outlets else "; no new outlet")]
    for a in c.new_articles:
        upd = f" (updates article {', '.join(map(str, a.replaces))})" if a.replaces else ""
        out.append(f"- [{a.id}] {esc(a.outlet or 'outlet unknown')}: {esc(a.title or a.source)}{upd}")
    if c.changed_values:
        out += ["", ("## " if md else "") + "Changed values"]
        for v in c.changed_values:
            out.append(f"- {esc(v.subject)}: {esc(v.old)} → {esc(v.new)}")
            out.append(f"  - before: “{esc(v.before.text)}” ({esc(_where(v.before, v.old_outlet))})")
            out.append(f"  - now: “{esc(v.after.text)}” ({esc(_where(v.after, v.new_outlet))})")
    out += ["", ("## " if md else "") + "New facts"]
    if not c.new_facts:
        out.append("No new fact: the new articles say what the story said before.")
    for f in c.new_facts:
        also = f"; also {', '.join(esc(s.source) for s in f.support)}" if f.support else ""
        out.append(f"- {esc(f.text)} ({esc(_where(f.citation, f.outlet))}{also})")
    if c.more_facts:
        out.append(f"- … and {c.more_facts} more new sentence(s), less central")
    for e in c.errors:
        out.append(f"Skipped {esc(e.source)}: {esc(e.reason)}")
    return out


def changes_markdown(c: Changes) -> str:
    return "\n".join(_lines(c, True)) + "\n"


def changes_text(c: Changes) -> str:
    return "\n".join(_lines(c, False)) + "\n"
