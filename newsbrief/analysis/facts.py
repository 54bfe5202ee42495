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
        (ca, cb), (va, vb) = x.citations[:2], x.values[:2]
        ia, ib = index[(ca.source, ca.sentence)], index[(cb.source, cb.sentence)]
        da, db = story.article_of(ia), story.article_of(ib)
        home = next((r for r in rows if (c := r[0].get(da)) and c.citation and c.citation.sentence == ca.sentence), None)
        if home is None:
            home = next((r for r in rows if (c := r[0].get(db)) and c.citation and c.citation.sentence == cb.sentence),
                        None)
            if home is not None:
                da, db, ca, cb, va, vb = db, da, cb, ca, vb, va
        if home is None:
            home = ({da: FactCell(ca.source, "reports", ca, va)}, ca.text)
            rows.append(home)
        cells = home[0]
        cells[da] = FactCell(ca.source, "reports", cells[da].citation, va)
        cells[db] = FactCell(cb.source, "contradicts", cb, vb)
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
