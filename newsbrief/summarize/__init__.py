"""Summarization methods, behind a registry: ``methods.get(name)``.

A new method is one module that subclasses :class:`Summarizer` and registers
itself with ``@methods.register("name")``; import it below.
"""

from __future__ import annotations

from ..model import Article
from . import centroid, lead, lexrank, mmr, ranker, salience, textrank  # noqa: F401  (registration)
from .base import Budget, Pool, Summarizer, methods

def _default_method() -> str:
    """The trained ranker when its model ships with the package, else the
    best untrained method."""
    return "ranker" if ranker.model_available() else "salience"


DEFAULT_METHOD = _default_method()

__all__ = ["Budget", "Pool", "Summarizer", "methods", "DEFAULT_METHOD", "summarize", "get_method"]


def summarize(articles: list[Article], method: str | Summarizer = DEFAULT_METHOD,
              budget: Budget | None = None) -> tuple[Pool, list[int], Budget]:
    """Pick summary sentences from segmented articles: the pool (for
    citations and support), the picked indices in reading order, and the
    budget actually used (a calibrated one when ``budget.auto``)."""
    summarizer = get_method(method) if isinstance(method, str) else method
    pool = Pool(articles)
    budget = summarizer.resolve(pool, budget or Budget.of())
    return pool, summarizer.summarize(pool, budget), budget


def get_method(name: str) -> Summarizer:
    """A method instance, built once per process: the trained ranker loads
    its model in its constructor."""
    if name not in _instances:
        _instances[name] = methods.get(name)
    return _instances[name]


_instances: dict[str, Summarizer] = {}
