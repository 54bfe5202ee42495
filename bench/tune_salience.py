"""Tune the salience method's weights by grid search on Multi-News
validation clusters (never on the dev set, which is kept for reporting).

    .venv/bin/python bench/tune_salience.py --data ../shared/data/multinews/val_truncated.jsonl.gz --limit 400

Pools (cleaned, segmented, with features) are built once per cluster and
reused for every setting; the objective is mean ROUGE-1 + ROUGE-2 F1.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

from rouge_score import rouge_scorer

from newsbrief.model import Cluster
from newsbrief.pipeline import prepare
from newsbrief.sources import iter_clusters
from newsbrief.summarize import Budget, Pool
from newsbrief.summarize.salience import Salience

GRID = {
    "decay": [0.03, 0.06, 0.1, 0.2],
    "w_centroid": [0.5, 1.0],
    "w_lexrank": [0.5, 1.0],
    "w_support": [0.0, 0.5, 1.0],
    "lam": [0.4, 0.5, 0.6, 0.8],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/multinews/val_truncated.jsonl.gz"))
    ap.add_argument("--limit", type=int, default=400)
    ap.add_argument("--words", type=int, default=250)
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()

    t0 = time.time()
    pools: list[tuple[Pool, str]] = []
    for c in islice(iter_clusters(args.data), args.limit):
        if isinstance(c, Cluster) and c.reference:
            arts = prepare(c.articles)
            if arts:
                pool = Pool(arts)
                _ = pool.similarity, pool.centroid_similarity, pool.candidate
                pools.append((pool, c.reference))
    print(f"{len(pools)} clusters prepared in {time.time() - t0:.1f}s", file=sys.stderr)

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    budget = Budget(words=args.words)
    results = []
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        params = dict(zip(keys, values, strict=True))
        if params["w_centroid"] == params["w_lexrank"] == params["w_support"] == 0 and params["lam"] != 1.0:
            continue
        m = Salience(**params)
        r1, r2 = [], []
        for pool, ref in pools:
            picked = m.select(pool, budget)
            cand = " ".join(pool.sentences[i].text for i in picked)
            s = scorer.score(ref, cand)
            r1.append(s["rouge1"].fmeasure * 100)
            r2.append(s["rouge2"].fmeasure * 100)
        results.append((statistics.fmean(r1), statistics.fmean(r2), params))
        print(f"{results[-1][0]:.2f} {results[-1][1]:.2f} {params}", file=sys.stderr, flush=True)
    results.sort(key=lambda r: -(r[0] + r[1]))
    print(f"# {args.data}, {len(pools)} clusters, {args.words} words; best by R1+R2")
    for r1, r2, p in results[: args.top]:
        print(f"R1 {r1:.2f}  R2 {r2:.2f}  {p}")


if __name__ == "__main__":
    main()
