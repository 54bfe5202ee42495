"""Maximal Marginal Relevance (Carbonell & Goldstein 1998): each step takes
the sentence that best trades relevance to the cluster for novelty against
what is already picked."""

from __future__ import annotations

import numpy as np

from .base import Budget, Pool, Summarizer, methods


def mmr_select(pool: Pool, relevance: np.ndarray, budget: Budget, lam: float, redundancy: float = 1.0) -> list[int]:
    """MMR under the same length rule as the greedy selector.

    In plain Python over lists: a pool holds ~20 sentences, where each numpy
    call costs more than its work. The arithmetic is numpy's, element by
    element (gain = lam * relevance - (1 - lam) * max_sim, ties to the
    first), so the picks are those of the array version."""
    lengths = pool._lengths
    rel = (lam * relevance).tolist()
    left = [i for i, ok in enumerate(pool.candidate.tolist()) if ok]
    c = 1 - lam
    gain = rel  # max_sim is 0 until a first pick
    max_sim = [0.0] * len(rel)
    picked: list[int] = []
    total = 0
    while left:
        i = max(left, key=gain.__getitem__)  # the first best, as np.argmax
        left.remove(i)
        if picked and max_sim[i] > redundancy:
            continue
        w = lengths[i]
        if not budget.fits(total, w):
            continue
        picked.append(i)
        total += w
        if budget.full(len(picked), total):
            break
        max_sim = list(map(max, max_sim, pool.similarity[i].tolist()))
        gain = [r - c * m for r, m in zip(rel, max_sim)]
    if not picked and len(pool):
        picked = [int(np.argmax(relevance))]
    return picked


@methods.register("mmr")
class MMR(Summarizer):
    name = "mmr"
    lam = 0.7

    def score(self, pool: Pool) -> np.ndarray:
        return pool.centroid_similarity

    def select(self, pool: Pool, budget: Budget) -> list[int]:
        return mmr_select(pool, self.score(pool), budget, self.lam)
