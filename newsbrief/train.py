"""Training the ranker: ``newsbrief train --data train_truncated.jsonl.gz``.

Three passes over the training clusters:

1. word statistics: for every stem, in how many clusters it is in the sources
   and how often it also reaches the reference (the log-odds feature), and
   the reference length by number of articles (the length calibration);
2. features and labels for every sentence, in parallel worker processes. The
   label is soft: the share of the sentence's unigrams and bigrams (rouge-score
   tokens) found in the reference. Greedy-oracle 0/1 labels were tried first
   and are worse here, because on truncated sources (about 500 words against a
   260-word reference) the oracle marks nearly half of all sentences;
3. LightGBM (cross-entropy on the soft labels), early-stopped on validation
   clusters when given.

Everything is seeded; the report records the data, sizes and times.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from .eval.oracle import tokenize
from .model import Cluster
from .pipeline import prepare
from .sources import iter_clusters
from .summarize.base import Pool
from .summarize.features import FEATURES, features, log_odds
from .text import content_words

PARAMS = {
    "objective": "cross_entropy",
    "learning_rate": 0.05,
    "num_leaves": 63,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
}
MAX_DOCS_BUCKET = 6
# How the scores become a summary (bench/tune_ranker.py, BENCHMARKS.md): the
# MMR trade-off and the length scale were chosen on validation clusters; the
# blend with salience by 2-fold cross-validation on dev, because the truncated
# validation text has no late sentences for the lead prior to demote.
SELECTION = {"blend": 2.0, "lam": 0.4}
LENGTH_SCALE = 1.1


@dataclass
class TrainReport:
    data: str
    clusters: int = 0
    sentences: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    rounds: int = 0
    valid: dict[str, Any] = field(default_factory=dict)
    length: dict[str, Any] = field(default_factory=dict)
    importance: dict[str, float] = field(default_factory=dict)


def soft_labels(sentence_tokens: list[list[str]], reference_tokens: list[str]) -> np.ndarray:
    ref1 = Counter(reference_tokens)
    ref2 = Counter(zip(reference_tokens, reference_tokens[1:]))
    out = np.zeros(len(sentence_tokens), dtype=np.float32)
    for i, t in enumerate(sentence_tokens):
        if not t:
            continue
        u = Counter(t)
        b = Counter(zip(t, t[1:]))
        p1 = sum((u & ref1).values()) / len(t)
        p2 = sum((b & ref2).values()) / max(len(t) - 1, 1)
        out[i] = (p1 + p2) / 2
    return out


_ODDS: dict[str, float] = {}


def _init_worker(odds: dict[str, float]) -> None:
    global _ODDS
    _ODDS = odds


def _cluster_rows(c: Cluster) -> tuple[np.ndarray, np.ndarray] | None:
    arts = prepare(c.articles)
    if not arts or not c.reference:
        return None
    pool = Pool(arts)
    if not len(pool):
        return None
    x = features(pool, _ODDS)
    y = soft_labels([tokenize(s.text) for s in pool.sentences], tokenize(c.reference))
    return x, y


def _chunk_rows(chunk: list[Cluster]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [r for r in map(_cluster_rows, chunk) if r is not None]


def _clusters(path: str, limit: int | None) -> Iterator[Cluster]:
    for c in islice(iter_clusters(path), limit):
        if isinstance(c, Cluster) and c.reference:
            yield c


def _chunks(it: Iterator[Cluster], size: int) -> Iterator[list[Cluster]]:
    while chunk := list(islice(it, size)):
        yield chunk


def word_stats(path: str, limit: int | None) -> tuple[dict[str, float], dict[str, Any], int]:
    in_source: Counter = Counter()
    in_summary: Counter = Counter()
    ref_words: dict[int, list[int]] = defaultdict(list)
    n = 0
    for c in _clusters(path, limit):
        src = set()
        for a in c.articles:
            src.update(content_words(a.raw))
        summ = set(content_words(c.reference or ""))
        in_source.update(src)
        in_summary.update(src & summ)
        ref_words[min(len(c.articles), MAX_DOCS_BUCKET)].append(len((c.reference or "").split()))
        n += 1
    odds = log_odds(in_source, in_summary, n)
    all_lengths = [w for ws in ref_words.values() for w in ws]
    length = {
        "source": "median reference length of training clusters with that many articles",
        "max_docs": MAX_DOCS_BUCKET,
        "by_docs": {str(k): float(statistics.median(v)) for k, v in sorted(ref_words.items()) if len(v) >= 20},
        "default": float(statistics.median(all_lengths)) if all_lengths else 250.0,
        "scale": LENGTH_SCALE,
        "clusters_by_docs": {str(k): len(v) for k, v in sorted(ref_words.items())},
    }
    return odds, length, n


def rows(path: str, limit: int | None, odds: dict[str, float], workers: int,
         progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Feature rows and soft labels of every usable cluster, computed in
    ``workers`` processes; ``progress(k)`` after each chunk of k clusters."""
    xs, ys, groups = [], [], []
    chunks = _chunks(_clusters(path, limit), 200)
    if workers <= 1:
        _init_worker(odds)
        results: Iterator[list[tuple[np.ndarray, np.ndarray]]] = map(_chunk_rows, chunks)
        pool = None
    else:
        pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(odds,))
        results = pool.map(_chunk_rows, chunks)
    try:
        for res in results:
            for x, y in res:
                xs.append(x)
                ys.append(y)
                groups.append(len(y))
            if progress:
                progress(len(res))
    finally:
        if pool:
            pool.shutdown()
    if not xs:
        raise ValueError(f"no usable training cluster in {path}")
    return np.vstack(xs), np.concatenate(ys), groups


def train(data: str | Path, out: str | Path, *, valid: str | Path | None = None, limit: int | None = None,
          valid_limit: int | None = 1000, workers: int | None = None, rounds: int = 600, seed: int = 1,
          progress: Callable[[str, int, int | None], None] | None = None) -> TrainReport:
    """Train a ranker on clusters with reference summaries and write
    ``model.txt`` and ``meta.json`` to ``out``."""
    import lightgbm as lgb

    workers = workers or os.cpu_count() or 1
    out = Path(out)
    rep = TrainReport(data=str(data))
    t0 = time.perf_counter()
    odds, length, n = word_stats(str(data), limit)
    rep.seconds["word_stats"] = round(time.perf_counter() - t0, 1)
    rep.length = length
    if progress:
        progress("word statistics", n, n)

    t1 = time.perf_counter()
    x, y, groups = rows(str(data), limit, odds, workers, (lambda k: progress("features", k, n)) if progress else None)
    rep.clusters, rep.sentences = len(groups), len(y)
    rep.seconds["features"] = round(time.perf_counter() - t1, 1)

    params = {**PARAMS, "seed": seed, "num_threads": workers, "deterministic": True}
    dtrain = lgb.Dataset(x, y, feature_name=FEATURES, free_raw_data=True)
    sets, names, callbacks = [dtrain], ["train"], []
    if valid:
        t2 = time.perf_counter()
        vx, vy, vg = rows(str(valid), valid_limit, odds, workers)
        rep.seconds["valid_features"] = round(time.perf_counter() - t2, 1)
        sets.append(lgb.Dataset(vx, vy, reference=dtrain))
        names.append("valid")
        callbacks.append(lgb.early_stopping(50, verbose=False))
        rep.valid = {"data": str(valid), "clusters": len(vg), "sentences": len(vy)}
    t3 = time.perf_counter()
    evals: dict[str, Any] = {}
    callbacks.append(lgb.record_evaluation(evals))
    booster = lgb.train(params, dtrain, num_boost_round=rounds, valid_sets=sets, valid_names=names,
                        callbacks=callbacks)
    rep.seconds["boosting"] = round(time.perf_counter() - t3, 1)
    rep.rounds = booster.best_iteration or booster.current_iteration()
    if valid and "valid" in evals:
        rep.valid["cross_entropy"] = round(float(min(evals["valid"]["cross_entropy"])), 5)
    gain = booster.feature_importance("gain", iteration=rep.rounds)
    rep.importance = {f: round(float(g) / float(gain.sum()), 4) for f, g in
                      sorted(zip(FEATURES, gain, strict=True), key=lambda t: -t[1])}
    rep.seconds["total"] = round(time.perf_counter() - t0, 1)

    out.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out / "model.txt"), num_iteration=rep.rounds)
    meta = {
        "format": "newsbrief.ranker/1",
        "features": FEATURES,
        "odds": odds,
        "length": length,
        "selection": SELECTION,
        "training": {
            "data": Path(str(data)).name, "clusters": rep.clusters, "sentences": rep.sentences, "limit": limit,
            "valid": rep.valid, "rounds": rep.rounds, "params": params, "seconds": rep.seconds,
            "importance": rep.importance, "lightgbm": lgb.__version__, "python": platform.python_version(),
            "cpus": workers, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        },
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
                                   encoding="utf-8")
    return rep
