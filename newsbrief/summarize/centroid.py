"""Centroid (Radev et al. 2004): sentences closest to the cluster's TF-IDF
centroid, i.e. those that use the words the whole cluster uses."""

from __future__ import annotations

import numpy as np

from .base import Pool, Summarizer, methods


@methods.register("centroid")
class Centroid(Summarizer):
    name = "centroid"

    def score(self, pool: Pool) -> np.ndarray:
        return pool.centroid_similarity
