"""Briefing stage: turn picked sentences into summary sentences that carry
exact citations and the sentences of other outlets that support them."""

from __future__ import annotations

import numpy as np

from ..model import Citation, SummarySentence
from ..summarize.base import Pool

SUPPORT_THRESHOLD = 0.4  # TF-IDF cosine of stemmed content words: "says nearly the same"
MAX_SUPPORT_PER_SOURCE = 2


def cite(pool: Pool, picked: list[int]) -> list[SummarySentence]:
    if not picked:
        return []
    rows = pool.similarity[picked]
    orders = np.argsort(-rows, axis=1, kind="stable")
    return [SummarySentence(text=pool.sentences[i].text, citations=[Citation.of(pool.sentences[i])],
                            support=support(pool, row, order, i))
            for i, row, order in zip(picked, rows, orders)]


def support(pool: Pool, row: np.ndarray, order: np.ndarray, i: int) -> list[Citation]:
    """Sentences of *other* sources close to sentence ``i`` (``row``: its
    similarities, ``order``: best first), at most two per source (a source
    that says it twice is still one source)."""
    mine = pool.doc[i]
    per_source: dict[int, int] = {}
    out: list[Citation] = []
    for j in order.tolist():
        score = float(row[j])
        if score < SUPPORT_THRESHOLD:
            break
        d = int(pool.doc[j])
        if d == mine or per_source.get(d, 0) >= MAX_SUPPORT_PER_SOURCE:
            continue
        per_source[d] = per_source.get(d, 0) + 1
        out.append(Citation.of(pool.sentences[j], score=score))
    return out
