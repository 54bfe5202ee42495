"""Run methods over clusters and average ROUGE, words and time."""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import count, islice

from ..model import Cluster, LoadError
from ..pipeline import NoArticlesError, brief_articles, prepare
from ..sources import iter_clusters
from ..summarize import get_method
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

    def add(self, got: MethodScore) -> None:
        """One cluster's outcome: its scores, words and time, or why it was skipped."""
        if isinstance(got, str):
            self.skipped.append(got)
            return
        scores, n_words, seconds = got
        self.seconds.append(seconds)
        for k, v in scores.items():
            self.scores[k].append(v)
        self.words.append(n_words)
        self.clusters += 1

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
             errors: list[LoadError] | None = None, engine: str | None = None, workers: int | None = None,
             scheduler: str | None = None, chunk: int = 8) -> list[EvalResult]:
    """ROUGE F1 of each method on each cluster that has a reference summary.

    A cluster that cannot be briefed (or has no reference) is recorded as
    skipped and the run goes on. Time per cluster covers cleaning,
    segmentation and summarization, i.e. everything ``brief`` does after
    loading.

    ``engine=None`` works in this process; ``"local"`` or ``"dask"`` (with
    ``workers``, ``scheduler``: see :mod:`newsbrief.batching.engines`) spreads
    chunks of ``chunk`` clusters over worker processes. Each cluster is scored
    by the same function either way and the scores are collected in input
    order, so the figures are the same (times aside).
    """
    job = EvalJob(tuple(methods), words, sentences)
    results = {m: EvalResult(m) for m in methods}

    def add(scored: list[MethodScore]) -> None:
        for m, got in zip(methods, scored):
            results[m].add(got)

    work = _only_clusters(clusters, errors, on_cluster)
    if engine is None and scheduler:
        engine = "dask"
    if engine is None:
        for c in work:
            add(score_cluster(job, c))
            if on_cluster:
                on_cluster()
    else:
        _score_on_engine(job, work, add, on_cluster, engine, workers, scheduler, chunk)
    return list(results.values())


def _only_clusters(clusters: Iterable[Cluster | LoadError], errors: list[LoadError] | None,
                   on_cluster: Callable[[], None] | None) -> Iterator[Cluster]:
    """The clusters to score; a row that is none goes to ``errors`` and counts as done."""
    for c in clusters:
        if isinstance(c, LoadError):
            if errors is not None:
                errors.append(c)
            if on_cluster:
                on_cluster()
            continue
        yield c


def _score_on_engine(job: EvalJob, work: Iterator[Cluster], add: Callable[[list[MethodScore]], None],
                     on_cluster: Callable[[], None] | None, engine: str, workers: int | None,
                     scheduler: str | None, chunk: int) -> None:
    """Score chunks of ``chunk`` clusters on worker processes, handing the
    scores to ``add`` in input order (chunks finished early wait their turn)."""
    from ..batching.engines import get_engine

    def numbered() -> Iterator[tuple[int, list[Cluster]]]:
        for k in count():
            part = list(islice(work, chunk))
            if not part:
                return
            yield k, part

    waiting: dict[int, list[list[MethodScore]]] = {}  # finished out of order, until their turn
    turn = 0
    from ..batching.run import machine_preparation

    for prepare_machine in filter(None, map(machine_preparation, job.methods)):
        prepare_machine()
    eng = get_engine(engine, workers=workers, scheduler=scheduler, init=functools.partial(_warm_up, job))
    with eng:
        for (k, part), got in eng.imap_unordered(functools.partial(score_chunk, job), numbered()):
            if isinstance(got, BaseException):  # a worker lost: the figures would be wrong, not partial
                raise RuntimeError(f"evaluation failed on a worker: {type(got).__name__}: {got}") from got
            waiting[k] = got
            for _ in part:
                if on_cluster:
                    on_cluster()
            while turn in waiting:
                for scored in waiting.pop(turn):
                    add(scored)
                turn += 1


@dataclass(frozen=True)
class EvalJob:
    """The per-cluster work of ``evaluate`` (sent to worker processes)."""

    methods: tuple[str, ...]
    words: int | None = None
    sentences: int | None = None


# Per method: ``(scores, words, seconds)``, or why the cluster was skipped.
MethodScore = tuple[dict[str, float], int, float] | str


@lru_cache(maxsize=1)
def _scorer() -> RougeScorer:
    return RougeScorer()


def _warm_up(job: EvalJob) -> None:
    for m in job.methods:
        get_method(m)
    _scorer()


def score_cluster(job: EvalJob, c: Cluster) -> list[MethodScore]:
    """Brief one cluster with each method and score it against its reference."""
    out: list[MethodScore] = []
    for m in job.methods:
        if not c.reference:
            out.append(f"{c.id}: no reference summary")
            continue
        t0 = time.perf_counter()
        try:
            b = brief_articles(c.articles, method=m, words=job.words, sentences=job.sentences, id=c.id)
        except NoArticlesError:
            out.append(f"{c.id}: no usable article")
            continue
        seconds = time.perf_counter() - t0
        out.append((_scorer().score([s.text for s in b.summary], c.reference), b.words, seconds))
    return out


def score_chunk(job: EvalJob, numbered: tuple[int, list[Cluster]]) -> list[list[MethodScore]]:
    """Runs on a worker: one numbered chunk of clusters."""
    return [score_cluster(job, c) for c in numbered[1]]


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
