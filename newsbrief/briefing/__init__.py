"""Briefing stage: turn picked sentences into summary sentences that carry
exact citations and the sentences of other outlets that support them."""

from __future__ import annotations

import numpy as np

from ..model import Citation, SummarySentence
from ..summarize.base import Pool

SUPPORT_THRESHOLD = 0.4  # TF-IDF cosine of stemmed content words: "says nearly the same"
MAX_SUPPORT_PER_SOURCE = 2


def cite(pool: Pool, picked: list[int]) -> list[SummarySentence]:
    out = []
    sim = pool.similarity
    for i in picked:
        s = pool.sentences[i]
        out.append(SummarySentence(text=s.text, citations=[Citation.of(s)], support=support(pool, sim, i)))
    return out


def support(pool: Pool, sim: np.ndarray, i: int) -> list[Citation]:
    """Sentences of *other* sources close to sentence ``i``, best first, at
    most two per source (a source that says it twice is still one source)."""
    row = sim[i]
    mine = pool.doc[i]
    order = np.argsort(-row, kind="stable")
    per_source: dict[int, int] = {}
    out: list[Citation] = []
    for j in order:
        j = int(j)
        if row[j] < SUPPORT_THRESHOLD:
            break
        d = int(pool.doc[j])
        if d == mine or per_source.get(d, 0) >= MAX_SUPPORT_PER_SOURCE:
            continue
        per_source[d] = per_source.get(d, 0) + 1
        out.append(Citation.of(pool.sentences[j], score=float(row[j])))
    return out
