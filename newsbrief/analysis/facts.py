"""The fact table: each main fact of the story, and what every source says
of it (reports it, contradicts it, or has no matching sentence).

Rows are the agreements (statements two or more independent sources make)
and the contradictions read from the alignment; a row's cells come from the
same pairs, so the table, the agreements and the contradictions never
disagree. "absent" means no matching sentence was found, which is weaker
than "does not say": the views word it so.
"""

from __future__ import annotations

from ..model import Agreement, Citation, Contradiction, Fact, FactCell
from .story import Story

__all__ = ["fact_table", "MAX_FACTS"]

MAX_FACTS = 12


def fact_table(story: Story, agreements: list[Agreement], contradictions: list[Contradiction]) -> list[Fact]:
    """Up to ``MAX_FACTS`` rows: facts reported by the most independent
    sources first, then the earliest in their articles (news leads with
    what matters)."""
    index = {(s.source, s.index): i for i, s in enumerate(story.sentences)}
    rows: list[tuple[dict[int, FactCell], str]] = []  # article index -> cell, representative text
    for a in agreements:
        cells = {}
        for c in a.citations:
            i = index[(c.source, c.sentence)]
            cells[story.article_of(i)] = FactCell(c.source, "reports", c)
        rows.append((cells, a.text))
    for x in contradictions:
        sides = [(c, v, story.article_of(index[(c.source, c.sentence)])) for c, v in zip(x.citations, x.values)]
        # The row the conflict belongs to: the agreement one of its sentences is in.
        home = next((r for c, _, d in sides for r in rows
                     if (cell := r[0].get(d)) and cell.citation and cell.citation.sentence == c.sentence), None)
        if home is None:
            home = ({}, sides[0][0].text)
            rows.append(home)
        cells = home[0]
        first = next((v for c, v, d in sides if d in cells), sides[0][1])
        for c, v, d in sides:
            status = "reports" if v == first else "contradicts"
            cells[d] = FactCell(c.source, status, cells[d].citation if d in cells else c, v)
    out = []
    for cells, text in rows:
        full = []
        for d, art in enumerate(story.articles):
            if d in cells:
                full.append(cells[d])
                continue
            g = story.sources.group[d]
            twin = next((cells[k] for k in cells if story.sources.group[k] == g), None)
            full.append(FactCell(art.id, "copy", _copy_citation(story, d, twin.citation) if twin else None)
                        if twin else FactCell(art.id, "absent"))
        reporting = [d for d, c in cells.items() if c.status == "reports"]
        out.append(Fact(text, full, story.sources.independent(reporting),
                        any(c.status == "contradicts" for c in cells.values())))

    def rank(f: Fact) -> tuple:
        first = min((c.citation.sentence for c in f.cells if c.citation), default=0)
        involved = sum(c.status in ("reports", "contradicts") for c in f.cells)
        return (-involved, first)

    out.sort(key=rank)
    return out[:MAX_FACTS]


def _copy_citation(story: Story, article: int, of: Citation | None) -> Citation | None:
    """The copy's own sentence with the cited text, when it has one."""
    if of is None:
        return None
    return next((Citation.of(s) for s in story.articles[article].sentences if s.text == of.text), None)
