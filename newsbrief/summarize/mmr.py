"""Maximal Marginal Relevance (Carbonell & Goldstein 1998): each step takes
the sentence that best trades relevance to the cluster for novelty against
what is already picked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Budget, Pool, Summarizer, methods, opener_retold


def mmr_select(pool: Pool, relevance: np.ndarray, budget: Budget, lam: float, redundancy: float = 1.0,
               seed: Sequence[int] = ()) -> list[int]:
    """MMR under the same length rule as the greedy selector, after ``seed``."""
    sim = pool.similarity
    lengths = pool.word_counts
    # gain = lam * relevance - (1 - lam) * max_sim, with -inf where the
    # sentence is no longer available (or never was); recomputed only when a
    # pick changes max_sim, not at every step.
    rel = np.where(pool.candidate, lam * relevance, -np.inf)
    picked: list[int] = list(seed)
    total = sum(lengths[i] for i in picked)
    c = 1 - lam
    max_sim = np.zeros(len(pool))
    for i in picked:
        rel[i] = -np.inf
        np.maximum(max_sim, sim[i], out=max_sim)
        if i + 1 < len(pool) and pool.after[i + 1] == i:
            rel[i + 1] = lam * relevance[i + 1]
    retold = opener_retold(pool, seed)
    rel[retold] = -np.inf
    if picked and budget.full(len(picked), total):
        return picked
    left = np.count_nonzero(rel > -np.inf)
    gain = rel - c * max_sim if picked else rel.copy()
    after = pool.after
    n = len(pool)
    while left:
        i = int(gain.argmax())
        rel[i] = gain[i] = -np.inf
        left -= 1
        if picked and max_sim[i] > redundancy:
            continue
        w = lengths[i]
        if not budget.fits(total, w):
            continue
        picked.append(i)
        total += w
        if budget.full(len(picked), total):
            break
        if i + 1 < n and after[i + 1] == i and i + 1 not in picked and not retold[i + 1]:
            rel[i + 1] = lam * relevance[i + 1]  # the sentence that reads right after this one is now available
            left += 1
        np.maximum(max_sim, sim[i], out=max_sim)
        np.subtract(rel, c * max_sim, out=gain)
    if not picked and len(pool):
        picked = [int(np.argmax(relevance))]
    return picked


@methods.register("mmr")
class MMR(Summarizer):
    name = "mmr"
    lam = 0.7

    def score(self, pool: Pool) -> np.ndarray:
        return pool.centroid_similarity

    def select(self, pool: Pool, budget: Budget, seed: Sequence[int] = ()) -> list[int]:
        return mmr_select(pool, self.score(pool), budget, self.lam, seed=seed)
