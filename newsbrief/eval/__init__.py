"""Evaluation: ROUGE of any method on Multi-News-style clusters, and the
greedy extractive oracle computed by the same scorer."""

from .rouge import ROUGE_KEYS, RougeScorer
from .run import EvalResult, evaluate
from .oracle import fast_rouge12, oracle_select, oracle_summary  # noqa: F401  (the greedy oracle)

__all__ = ["ROUGE_KEYS", "RougeScorer", "EvalResult", "evaluate"]
