"""Which articles of a story are independent confirmations.

Thirty copies of one wire story are one source, not thirty: an agreement
counts the outlets that wrote it, not the pages that carry it. Two articles
are one source when most of the shorter one's word 5-grams are in the other
(a reprint under another headline, a wire story lightly edited), or when
they come from the same outlet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Article
from ..stories.dedupe import shingles

__all__ = ["COPY_CONTAINMENT", "Sources", "independent_sources"]

COPY_CONTAINMENT = 0.6  # share of the shorter article's 5-grams found in the other


@dataclass(frozen=True)
class Sources:
    """``group[i]``: the independent source of article ``i`` (the index of
    its first article); ``copies[i]``: the ids of the articles that repeat
    article ``i`` (empty unless ``i`` is the first of its group)."""

    ids: tuple[str, ...]
    group: tuple[int, ...]

    def independent(self, articles: list[int]) -> int:
        """How many independent sources these articles are."""
        return len({self.group[a] for a in articles})

    def copies(self, article: int) -> list[str]:
        """The other articles of ``article``'s source."""
        g = self.group[article]
        return [self.ids[k] for k, x in enumerate(self.group) if x == g and k != article]


def _outlet(a: Article) -> str:
    return (a.outlet or "").strip().lower()


def independent_sources(articles: list[Article]) -> Sources:
    """Group the articles into independent sources (union of copies and
    same-outlet pairs, each group named by its first article)."""
    n = len(articles)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    grams = [np.unique(shingles(a.text)) for a in articles]
    for i in range(n):
        for j in range(i + 1, n):
            if _outlet(articles[i]) and _outlet(articles[i]) == _outlet(articles[j]):
                union(i, j)
                continue
            small = min(len(grams[i]), len(grams[j]))
            if small and len(np.intersect1d(grams[i], grams[j], assume_unique=True)) >= COPY_CONTAINMENT * small:
                union(i, j)
    return Sources(tuple(a.id for a in articles), tuple(find(i) for i in range(n)))
