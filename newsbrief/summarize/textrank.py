"""TextRank (Mihalcea & Tarau 2004): PageRank over sentences linked by shared
words, normalised by the log of their lengths."""

from __future__ import annotations

import math

import numpy as np

from .base import Pool, Summarizer, methods, pagerank


@methods.register("textrank")
class TextRank(Summarizer):
    name = "textrank"

    def score(self, pool: Pool) -> np.ndarray:
        sets = [set(t) for t in pool.tokens]
        n = len(sets)
        w = np.zeros((n, n))
        logs = [math.log(len(s)) if len(s) > 1 else 0.0 for s in sets]
        for i in range(n):
            if not sets[i]:
                continue
            for j in range(i + 1, n):
                denom = logs[i] + logs[j]
                if denom > 0:
                    ov = len(sets[i] & sets[j])
                    if ov:
                        w[i, j] = w[j, i] = ov / denom
        return pagerank(w)
