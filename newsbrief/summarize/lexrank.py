"""LexRank (Erkan & Radev 2004), continuous form: PageRank over the TF-IDF
cosine graph of all sentences of the cluster."""

from __future__ import annotations

import numpy as np

from .base import Pool, Summarizer, methods


@methods.register("lexrank")
class LexRank(Summarizer):
    name = "lexrank"
    def score(self, pool: Pool) -> np.ndarray:
        return pool.lexrank
