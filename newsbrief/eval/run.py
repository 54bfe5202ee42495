"""Run methods over clusters and average ROUGE, words and time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from itertools import islice
from dataclasses import dataclass, field

from ..model import Cluster, LoadError
from ..pipeline import NoArticlesError, brief_articles, prepare
from ..sources import iter_clusters
from ..summarize.base import Pool
from .oracle import fast_rouge12, tokenize
from .rouge import ROUGE_KEYS, RougeScorer


@dataclass
class EvalResult:
    method: str
    clusters: int = 0
    scores: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in ROUGE_KEYS})
    words: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def mean(self, key: str) -> float:
        vals = self.scores[key]
        return statistics.fmean(vals) if vals else float("nan")

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "clusters": self.clusters,
            **{k: round(self.mean(k), 3) for k in ROUGE_KEYS},
            "words": round(statistics.fmean(self.words), 1) if self.words else None,
            "seconds_per_cluster": round(statistics.fmean(self.seconds), 4) if self.seconds else None,
            "median_seconds": round(statistics.median(self.seconds), 4) if self.seconds else None,
            "skipped": self.skipped,
        }


def evaluate(clusters: Iterable[Cluster | LoadError], methods: list[str], *, words: int | None = None,
             sentences: int | None = None, on_cluster: Callable[[], None] | None = None,
             errors: list[LoadError] | None = None) -> list[EvalResult]:
    """ROUGE F1 of each method on each cluster that has a reference summary.

    A cluster that cannot be briefed (or has no reference) is recorded as
    skipped and the run goes on. Time per cluster covers cleaning,
    segmentation and summarization, i.e. everything ``brief`` does after
    loading.
    """
    scorer = RougeScorer()
    results = {m: EvalResult(m) for m in methods}
    for c in clusters:
        if isinstance(c, LoadError):
            if errors is not None:
                errors.append(c)
            if on_cluster:
                on_cluster()
            continue
        for m in methods:
            r = results[m]
            if not c.reference:
                r.skipped.append(f"{c.id}: no reference summary")
                continue
            t0 = time.perf_counter()
            try:
                b = brief_articles(c.articles, method=m, words=words, sentences=sentences, id=c.id)
            except NoArticlesError:
                r.skipped.append(f"{c.id}: no usable article")
                continue
            r.seconds.append(time.perf_counter() - t0)
            for k, v in scorer.score([s.text for s in b.summary], c.reference).items():
                r.scores[k].append(v)
            r.words.append(b.words)
            r.clusters += 1
        if on_cluster:
            on_cluster()
    return list(results.values())


@dataclass
class ScoredPool:
    """A cluster ready for fast repeated scoring: its sentence pool and the
    rouge-score tokens of every sentence and of the reference."""

    pool: Pool
    sentence_tokens: list[list[str]]
    reference_tokens: list[str]

    def rouge12(self, picked: Iterable[int]) -> tuple[float, float]:
        return fast_rouge12([t for i in picked for t in self.sentence_tokens[i]], self.reference_tokens)


def scored_pools(path: str, limit: int | None = None) -> list[ScoredPool]:
    """Clusters of a JSONL(.gz) with references, cleaned, segmented and
    tokenised once, for tuning loops that score many settings."""
    out = []
    for c in islice(iter_clusters(path), limit):
        if isinstance(c, Cluster) and c.reference:
            arts = prepare(c.articles)
            if arts:
                pool = Pool(arts)
                out.append(ScoredPool(pool, [tokenize(s.text) for s in pool.sentences], tokenize(c.reference)))
    return out
