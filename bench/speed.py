"""Speed and memory of briefing one cluster, against sumy LexRank in the same
process and on the same clusters.

    .venv/bin/python bench/speed.py [--data ../shared/data/multinews/dev.jsonl] [--repeat 3]

For each method: model load time (the first construction, reported apart),
then the time of ``brief_articles`` per cluster (cleaning, segmentation,
scoring, selection, citations), median and 90th percentile over clusters
(each the best of --repeat runs, to keep scheduler noise out). sumy LexRank is
timed from our cleaned sentences, so its figure leaves out work ours includes.
Peak memory is the process's maximum resident set size at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import resource
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from newsbrief.model import Cluster
from newsbrief.pipeline import brief_articles, prepare
from newsbrief.sources import iter_clusters
from newsbrief.summarize import DEFAULT_METHOD, Budget, get_method

HERE = Path(__file__).resolve().parent


def _quality_module():
    spec = importlib.util.spec_from_file_location("bench_quality", HERE / "quality.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_quality"] = mod
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(HERE.parents[1] / "shared/data/multinews/dev.jsonl"))
    ap.add_argument("--methods", default=f"{DEFAULT_METHOD},salience,lead")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--words", type=int, default=250)
    args = ap.parse_args()

    clusters = [c for c in iter_clusters(args.data) if isinstance(c, Cluster)]
    print(f"`{' '.join(['.venv/bin/python', 'bench/speed.py', *sys.argv[1:]])}` | "
          f"{datetime.now(timezone.utc).isoformat(timespec='seconds')} | {Path(args.data).name} | "
          f"{len(clusters)} clusters | Python {platform.python_version()} | {platform.machine()}")
    print("\n| method | load (s) | median s/cluster | p90 s/cluster | clusters/s |\n|---|---:|---:|---:|---:|")
    medians = {}
    for name in dict.fromkeys(args.methods.split(",")):
        t0 = time.perf_counter()
        get_method(name)
        load = time.perf_counter() - t0
        times = []
        for c in clusters:
            best = float("inf")
            for _ in range(args.repeat):
                t = time.perf_counter()
                brief_articles(c.articles, method=name, words=args.words)
                best = min(best, time.perf_counter() - t)
            times.append(best)
        medians[name] = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"| {name} | {load:.3f} | {medians[name]:.4f} | {p90:.4f} | {len(times) / sum(times):.1f} |",
              flush=True)

    q = _quality_module()
    peer = q.make_peer("sumy-lexrank")
    ready = [prepare(c.articles) for c in clusters]
    times = []
    for arts in ready:
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            q.peer_summary(arts, peer, Budget(words=args.words))
            best = min(best, time.perf_counter() - t)
        times.append(best)
    medians["sumy-lexrank"] = statistics.median(times)
    print(f"| sumy-lexrank (peer) | — | {medians['sumy-lexrank']:.4f} | {statistics.quantiles(times, n=10)[-1]:.4f} "
          f"| {len(times) / sum(times):.1f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first = next(iter(medians))
    print(f"\n{first}: median {medians[first]:.4f} s/cluster, {medians['sumy-lexrank'] / medians[first]:.1f}x "
          f"sumy LexRank's median; peak memory (max RSS, whole run) {peak:.0f} MB")


if __name__ == "__main__":
    main()
