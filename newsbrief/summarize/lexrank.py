"""LexRank (Erkan & Radev 2004), continuous form: PageRank over the TF-IDF
cosine graph of all sentences of the cluster."""

from __future__ import annotations

import numpy as np

from .base import Pool, Summarizer, methods, pagerank


@methods.register("lexrank")
class LexRank(Summarizer):
    name = "lexrank"
    threshold = 0.1

    def score(self, pool: Pool) -> np.ndarray:
        w = np.where(pool.similarity >= self.threshold, pool.similarity, 0.0)
        return pagerank(w)
