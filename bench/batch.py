"""Batch throughput: clusters per second of ``newsbrief batch`` with the local
engine on 1 and 2 workers and the dask engine on 2 workers, scaling
efficiency, peak memory of the whole process tree, and the ratio to sumy
LexRank in one process on the same clusters.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/batch.py [--data F] [--limit K] [--runs local:1,local:2,dask:2,sumy] [--rounds N]

Each configuration runs in a fresh process (no model or cache carried over),
end to end: reading the gzip input, briefing (default method, calibrated
length, no analysis), writing the output JSONL with its fsyncs. The rate is
clusters (briefed or failed) over the wall time of the whole ``batch`` call,
worker start-up included; the steady rate leaves the start-up out (from the
first finished chunk to the end), which is what a corpus-scale run sees. sumy LexRank reads the same rows, gets them
cleaned and segmented by our pipeline (it needs sentences) and summarizes
at 250 words with the adapter of ``bench/quality.py``; nothing is written.
CPU ms/cluster (user + system time of the process and its workers, over
all clusters) does not depend on what else the machine runs: equal figures
for 1 and 2 workers mean the second worker adds no overhead, so on idle
cores the rate scales with workers. Peak memory is the largest sum of RSS over the process and all its
descendants, sampled every 0.1 s (shared pages are counted once per
process, so this is an upper bound).

Prints a table and writes ``bench/results/batch.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "data" / "multinews" / "val_truncated.jsonl.gz"


class PeakRss:
    """Samples the summed RSS of this process and its descendants."""

    def __init__(self, every: float = 0.1) -> None:
        import psutil

        self.proc, self.every, self.peak = psutil.Process(), every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for p in [self.proc, *self.proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its reaped children
    (the workers, once the engine has shut down)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _reap_forkserver() -> None:
    """Stop multiprocessing's forkserver (the local engine forks its workers
    from it) and wait for it, so that its CPU time and that of the workers it
    reaped count in RUSAGE_CHILDREN. ``_stop`` is private (CPython's own tests
    use it): if it is missing, the CPU column undercounts, nothing else."""
    try:
        from multiprocessing import forkserver

        forkserver._forkserver._stop()
    except Exception:  # noqa: BLE001 - a measurement aid only
        pass


def run_one(spec: str, data: Path, limit: int | None, chunk: int) -> dict:
    """One configuration, in this process: ``engine:workers`` or ``sumy``."""
    load = os.getloadavg()[0]
    cpu0 = cpu_seconds()
    got = _sumy(data, limit) if spec == "sumy" else _batch(spec, data, limit, chunk)
    _reap_forkserver()
    cpu = cpu_seconds() - cpu0
    return {**got, "cpu_seconds": round(cpu, 1), "cpu_ms_per_cluster": round(1000 * cpu / got["clusters"], 2),
            "load_before": load}


def _batch(spec: str, data: Path, limit: int | None, chunk: int) -> dict:
    from newsbrief import batch

    engine, workers = spec.split(":")
    with tempfile.TemporaryDirectory() as tmp, PeakRss() as mem:
        out = Path(tmp) / "out.jsonl"
        first: list[tuple[float, int]] = []  # when the first chunk was in, and how many clusters then

        def tick(st) -> None:
            if not first and st.phase is None:
                first.append((time.perf_counter(), st.briefed + st.failed))

        t0 = time.perf_counter()
        rep = batch(data, out, engine=engine, workers=int(workers), chunk=chunk, limit=limit, progress=tick)
        wall = time.perf_counter() - t0
        with open(out, "rb") as fh:
            ids = [json.loads(line)["id"] for line in fh]
    assert len(ids) == len(set(ids)) == rep.briefed, "one line per briefed cluster"
    n = rep.briefed + rep.failed
    t1, n1 = first[0]
    steady = (n - n1) / (t0 + wall - t1) if n > n1 else float("nan")
    return {"config": spec, "engine": engine, "workers": rep.workers, "clusters": n, "briefed": rep.briefed,
            "failed": rep.failed, "seconds": round(wall, 2), "rate": round(n / wall, 2),
            "startup_seconds": round(t1 - t0, 2), "steady_rate": round(steady, 2),
            "peak_rss_mb": round(mem.peak / 2**20),
            "model_loads": {str(k): v.model_loads for k, v in rep.worker_stats.items()}}


def _sumy(data: Path, limit: int | None) -> dict:
    spec = importlib.util.spec_from_file_location("bench_quality", HERE / "quality.py")
    q = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = q
    spec.loader.exec_module(q)
    from newsbrief.model import Cluster
    from newsbrief.pipeline import prepare
    from newsbrief.sources import iter_clusters
    from newsbrief.summarize import Budget

    peer, budget = q.make_peer("sumy-lexrank"), Budget(words=250)
    n = done = 0
    with PeakRss() as mem:
        t0 = time.perf_counter()
        for c in islice(iter_clusters(data), limit):
            n += 1
            ready = prepare(c.articles) if isinstance(c, Cluster) else []
            if ready:
                q.peer_summary(ready, peer, budget)
                done += 1
        wall = time.perf_counter() - t0
    return {"config": "sumy", "engine": "sumy LexRank, one process", "workers": 1, "clusters": n, "briefed": done,
            "failed": n - done, "seconds": round(wall, 2), "rate": round(n / wall, 2), "startup_seconds": 0.0,
            "steady_rate": round(n / wall, 2),
            "peak_rss_mb": round(mem.peak / 2**20)}


def summarize(results: list[dict], specs: list[str]) -> dict:
    """Ratios between configurations: of their median rates over rounds,
    and (with several rounds) each round's own ratio, to show the spread."""
    import statistics

    rounds = sorted({r["round"] for r in results})
    pairs = [("local_speedup_2_vs_1", "local:2", "local:1"), ("dask_2_vs_local_1", "dask:2", "local:1"),
             *((f"{k}_vs_sumy", k, "sumy") for k in ("local:1", "local:2", "dask:2"))]
    summary: dict = {}
    for key in ("rate", "steady_rate"):
        tag = "" if key == "rate" else "steady_"
        med = {s: statistics.median(r[key] for r in results if r["config"] == s) for s in specs}
        if len(rounds) > 1:
            for s in specs:
                summary[f"{tag}median_{s}"] = round(med[s], 1)
        for name, a, b in pairs:
            if a in med and b in med:
                summary[f"{tag}{name}"] = round(med[a] / med[b], 2)
                if len(rounds) > 1:
                    one = {(r["round"], r["config"]): r[key] for r in results}
                    summary[f"{tag}{name}_per_round"] = [round(one[i, a] / one[i, b], 2) for i in rounds]
        if "local:1" in med and "local:2" in med:
            summary[f"{tag}local_scaling_efficiency"] = round(med["local:2"] / med["local:1"] / 2, 2)
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, metavar="K", help="first K rows only")
    ap.add_argument("--runs", default="local:1,local:2,dask:2,sumy")
    ap.add_argument("--chunk", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the list this many times, interleaved; figures are then medians over rounds "
                         "(this host's speed drifts by 10-20%% between minutes: interleaving exposes every "
                         "configuration to the same drift)")
    ap.add_argument("--json", type=Path, default=HERE / "results" / "batch.json")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one configuration, print its JSON
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.data, args.limit, args.chunk)))
        return 0

    command = shlex.join([os.path.relpath(sys.executable), os.path.relpath(__file__), *sys.argv[1:]])
    meta = {"command": command, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "data": str(args.data), "limit": args.limit, "chunk": args.chunk, "cpus": os.cpu_count(),
            "python": platform.python_version()}
    print(f"`{command}` | {meta['date']} | {args.data.name} | {meta['cpus']} CPUs | Python {meta['python']}\n",
          flush=True)
    results = []
    specs = args.runs.split(",")
    for rnd in range(1, args.rounds + 1):
        for spec in specs:
            cmd = [sys.executable, __file__, "--one", spec, "--data", str(args.data), "--chunk", str(args.chunk),
                   *(["--limit", str(args.limit)] if args.limit else [])]
            r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
            if r.returncode:
                print(r.stderr, file=sys.stderr)
                return 1
            results.append({**json.loads(r.stdout.strip().splitlines()[-1]), "round": rnd})
            print(f"  round {rnd} {spec}: {results[-1]['rate']} clusters/s", file=sys.stderr, flush=True)

    summary = summarize(results, specs)
    print("| run | round | workers | clusters | failed | seconds | start-up s | clusters/s | steady clusters/s "
          "| CPU ms/cluster | peak RSS (MB) | load before |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['config']} | {r['round']} | {r['workers']} | {r['clusters']} | {r['failed']} | {r['seconds']} "
              f"| {r['startup_seconds']} | {r['rate']} | {r['steady_rate']} | {r['cpu_ms_per_cluster']} "
              f"| {r['peak_rss_mb']} | {r['load_before']:.1f} |")
    print()
    for k, v in summary.items():
        print(f"{k}: {v}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({**meta, "results": results, "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
