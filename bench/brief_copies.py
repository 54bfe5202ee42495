"""Copies among a briefing's inputs on real clusters: how many articles
``leave_out_copies`` leaves out (same text, or near-duplicate), and what it
costs per cluster next to cleaning and segmenting.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/brief_copies.py
    HF_HUB_OFFLINE=1 .venv/bin/python bench/brief_copies.py --data ../shared/data/multinews/val_truncated.jsonl.gz --limit 2000

Briefings of Multi-News clusters with a copy change (``eval`` and ``batch``
go through ``brief_articles``): the counts say how many.
"""

from __future__ import annotations

import argparse
import statistics
import time
from itertools import islice
from pathlib import Path

from newsbrief.model import Cluster, LoadError
from newsbrief.pipeline import prepare
from newsbrief.sources import iter_clusters
from newsbrief.stories.dedupe import leave_out_copies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/multinews/dev.jsonl"))
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    clusters = articles = exact = near = with_copy = 0
    t_prep: list[float] = []
    t_dedupe: list[float] = []
    for c in islice(iter_clusters(args.data), args.limit):
        if not isinstance(c, Cluster):
            continue
        t0 = time.perf_counter()
        ready = prepare(c.articles)
        t1 = time.perf_counter()
        errors: list[LoadError] = []
        leave_out_copies(ready, errors)
        t2 = time.perf_counter()
        t_prep.append(t1 - t0)
        t_dedupe.append(t2 - t1)
        clusters += 1
        articles += len(ready)
        exact += sum(e.reason.startswith("same text") for e in errors)
        near += sum(e.reason.startswith("near-duplicate") for e in errors)
        with_copy += bool(errors)
    print(f"{args.data}: {clusters} clusters, {articles} articles after cleaning")
    print(f"left out: {exact} same text + {near} near-duplicates, in {with_copy} clusters "
          f"({with_copy / max(clusters, 1):.1%})")
    print(f"per cluster: leave_out_copies {statistics.mean(t_dedupe) * 1e3:.2f} ms mean "
          f"(max {max(t_dedupe) * 1e3:.1f}), prepare {statistics.mean(t_prep) * 1e3:.1f} ms mean")


if __name__ == "__main__":
    main()
