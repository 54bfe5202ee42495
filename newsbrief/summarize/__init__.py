"""Summarization methods, behind a registry: ``methods.get(name)``.

A new method is one module that subclasses :class:`Summarizer` and registers
itself with ``@methods.register("name")``; import it below.
"""

from __future__ import annotations

from ..model import Article
from . import centroid, lead, lexrank, mmr, salience, textrank  # noqa: F401  (registration)
from .base import Budget, Pool, Summarizer, methods

DEFAULT_METHOD = "salience"

__all__ = ["Budget", "Pool", "Summarizer", "methods", "DEFAULT_METHOD", "summarize"]


def summarize(articles: list[Article], method: str | Summarizer = DEFAULT_METHOD,
              budget: Budget | None = None) -> tuple[Pool, list[int]]:
    """Pick summary sentences from segmented articles: the pool (for
    citations and support) and the picked indices in reading order."""
    summarizer = methods.get(method) if isinstance(method, str) else method
    pool = Pool(articles)
    return pool, summarizer.summarize(pool, budget or Budget())
