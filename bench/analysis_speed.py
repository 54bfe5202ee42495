"""Time of the cross-source analysis per dev cluster, and what it finds.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/analysis_speed.py

Each cluster is prepared (cleaned, segmented) first; the figure is
``newsbrief.analysis.analyze`` alone, one process, after the spaCy model is
loaded (load time reported apart). Every cluster is new to the process, so
no parse is served from a cache.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from newsbrief.analysis import analyze
from newsbrief.analysis import nlp as nlp_module
from newsbrief.model import Cluster
from newsbrief.pipeline import prepare
from newsbrief.sources import iter_clusters


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/multinews/dev.jsonl"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    nlp_module.load_nlp()
    from newsbrief.text.embed import embed

    embed(["warm up"])
    load = time.perf_counter() - t0
    times, counts = [], {k: 0 for k in ("entities", "quotes", "agreements", "contradictions", "facts", "timeline",
                                                  "relations")}
    for c in iter_clusters(args.data):
        if not isinstance(c, Cluster):
            continue
        arts = prepare(c.articles)
        if not arts:
            continue
        t = time.perf_counter()
        a = analyze(arts)
        times.append(time.perf_counter() - t)
        for k in counts:
            counts[k] += len(getattr(a, k))
    n = len(times)
    print(f"{n} clusters of {Path(args.data).name}; model load {load:.1f} s")
    print(f"analysis per cluster: median {statistics.median(times):.3f} s, p90 "
          f"{statistics.quantiles(times, n=10)[-1]:.3f} s, max {max(times):.3f} s")
    print("found per cluster (mean): " + ", ".join(f"{k} {v / n:.1f}" for k, v in counts.items()))
    print(f"peak memory (max RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
