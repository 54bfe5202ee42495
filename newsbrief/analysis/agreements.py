"""Agreements: statements that two or more independent sources make.

Read from the story's alignment (:mod:`newsbrief.analysis.story`): only
pairs judged ``same`` (a paraphrase whose values are compatible) count, so
sentences that differ on a value are never shown as agreeing. Grouping is
greedy from the strongest pair, complete link: a sentence joins a group only
when it is ``same`` with every member, so a chain of loose matches (A~B,
B~C, A and C unrelated) never becomes one statement. Each group holds one
sentence per independent source; copies of a member (a reprint, the same
outlet again) are named, not counted.
"""

from __future__ import annotations

from ..model import Agreement, Citation, apply_edits
from .story import Story

__all__ = ["find_agreements", "groups"]


def groups(story: Story) -> list[list[int]]:
    """Sentence groups (pool indices) that state the same thing, one
    sentence per independent source, strongest pairs first."""
    score = story.same
    group_of: dict[int, list[int]] = {}
    out: list[list[int]] = []
    src = story.sources.group
    for p in story.pairs:
        if p.verdict != "same":
            continue
        i, j = p.a, p.b
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is None and gj is None:
            g = [i, j]
            out.append(g)
            group_of[i] = group_of[j] = g
        elif (gi is None) != (gj is None):
            g, new = (gi, j) if gi is not None else (gj, i)
            taken = {src[story.article_of(k)] for k in g}
            if src[story.article_of(new)] not in taken and all((new, k) in score for k in g):
                g.append(new)
                group_of[new] = g
    return out


def find_agreements(story: Story) -> list[Agreement]:
    """Statements two or more independent sources make, ranked by the
    number of sources, then by similarity."""
    score = story.same  # every pair inside a group is one of these
    out = []
    for g in groups(story):
        k = len(g)
        total = {i: sum(score.get((i, j), 0.0) for j in g if j != i) for i in g}
        # Shown: the member that reads on its own ("she said" leans on its
        # article), then the one closest to the others.
        central = max(g, key=lambda i: (story.pool.verdicts[i].fault is None, total[i]))
        g = sorted(g, key=story.article_of)
        docs = [story.article_of(i) for i in g]
        copies = [c for d in docs for c in story.sources.copies(d)]
        verdict = story.pool.verdicts[central]
        text = story.sentences[central].text
        if verdict.fault is None and verdict.edits:  # "[Whitfield] said", as in the summary
            text = apply_edits(text, verdict.edits)
        out.append(Agreement(text=text, sources=[story.articles[d].id for d in docs],
                             citations=[Citation.of(story.sentences[i]) for i in g],
                             score=round(sum(total.values()) / (k * (k - 1)), 4),
                             independent=story.sources.independent(docs), copies=copies))
    out.sort(key=lambda a: (-a.independent, -len(a.sources), -a.score))
    return out
