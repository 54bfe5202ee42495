"""Lead: the first sentences of each article, taken in turn (round robin)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Budget, Pool, Summarizer, greedy, methods


@methods.register("lead")
class Lead(Summarizer):
    name = "lead"

    def score(self, pool: Pool) -> np.ndarray:
        # Round robin: every article's first sentence, then every second one...
        return -(pool.pos.astype(float) * len(pool.articles) + pool.doc)

    def select(self, pool: Pool, budget: Budget, seed: Sequence[int] = ()) -> list[int]:
        order = np.argsort(-self.score(pool), kind="stable")
        return greedy(pool, order, budget, self.redundancy, seed)
