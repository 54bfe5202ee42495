"""Time and peak memory against input size: one long article, and clusters
of many articles, each briefed in a fresh process (so one run's memory does
not hide the next one's).

    .venv/bin/python bench/scale.py [--data ../shared/data/multinews/dev.jsonl] [--quick] [--json OUT]

The long article is real text: distinct dev articles joined paragraph by
paragraph up to 25k, 50k, 100k, 200k and 400k words (a book-length input,
the hard case for anything quadratic in sentences). Clusters of 10, 25, 50
and 100 articles are taken from consecutive dev clusters. Each is briefed
with and without analysis (analysis up to 100k words, where it already
takes minutes). It also writes a 20 MB file, the largest the loader
accepts, and checks it gives a briefing or one clear error, never a crash.
``growth`` is each size's figure over the previous one's for a doubling of
the input: 2.0 is linear.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "data" / "multinews" / "dev.jsonl"

# Run in a child: prints seconds and peak RSS (MB) of one briefing.
_CHILD = r"""
import json, resource, sys, time
import newsbrief
paths, analysis = json.loads(sys.argv[1]), sys.argv[2] == "1"
t = time.perf_counter()
b = newsbrief.brief(*paths, analysis=analysis, words=250)
dt = time.perf_counter() - t
print(json.dumps({"seconds": round(dt, 2), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "summary_words": b.words, "sentences": sum(len(a.sentences) for a in b.sources)}))
"""


def _documents(path: Path):
    with path.open(encoding="utf-8") as f:
        for line in f:
            for d in json.loads(line)["documents"]:
                if len(d.split()) >= 100:
                    yield d


def long_article(path: Path, words: int) -> str:
    """Distinct real articles, joined by blank lines, up to ``words``."""
    parts, n = [], 0
    for d in _documents(path):
        parts.append(d)
        n += len(d.split())
        if n >= words:
            break
    return "\n\n".join(parts)


def cluster_files(path: Path, n: int, out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i, d in zip(range(n), _documents(path)):
        p = out / f"{i:03d}.txt"
        p.write_text(d, encoding="utf-8")
        files.append(str(p))
    return files


def run(paths: list[str], analysis: bool, timeout: float) -> dict:
    try:
        r = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(paths), "1" if analysis else "0"],
                           capture_output=True, text=True, timeout=timeout, env=_env())
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if r.returncode:
        lines = r.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else f"exit {r.returncode}", "exit": r.returncode}
    return json.loads(r.stdout.strip().splitlines()[-1])


def _env() -> dict:
    import os

    return {**os.environ, "HF_HUB_OFFLINE": "1"}


def _growth(rows: list[dict], key: str) -> None:
    for a, b in zip(rows, rows[1:]):
        if key in a and key in b and a[key] > 0:
            b[f"{key}_growth"] = round(b[key] / a[key], 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--quick", action="store_true", help="only up to 100k words and 25 articles")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"scale: {args.data} not found (the dev set in ../shared)")
    sizes = [25_000, 50_000, 100_000] + ([] if args.quick else [200_000, 400_000])
    counts = [10, 25] + ([] if args.quick else [50, 100])
    out: dict = {"long_article": {}, "cluster": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for analysis in (False, True):
            rows = []
            for n in sizes:
                if analysis and n > 100_000:
                    break
                p = tmp / f"long{n}.txt"
                if not p.exists():
                    p.write_text(long_article(args.data, n), encoding="utf-8")
                r = {"words": n, **run([str(p)], analysis, args.timeout)}
                rows.append(r)
                print(f"long article {n:>7} words, analysis={analysis!s:5}: {r}", flush=True)
            _growth(rows, "seconds")
            _growth(rows, "peak_mb")
            out["long_article"]["analysis" if analysis else "summary"] = rows
            rows = []
            for n in counts:
                files = cluster_files(args.data, n, tmp / f"c{n}")
                r = {"articles": n, **run(files, analysis, args.timeout)}
                rows.append(r)
                print(f"cluster {n:>3} articles, analysis={analysis!s:5}: {r}", flush=True)
            out["cluster"]["analysis" if analysis else "summary"] = rows
        big = tmp / "big.txt"
        text = long_article(args.data, 10**9)  # the whole dev set, cut to just under the 20 MB limit
        while len(text.encode("utf-8")) < 20 * 10**6:
            text += "\n\n" + text
        big.write_bytes(text.encode("utf-8")[: 20 * 1024 * 1024 - 1024])
        r = run([str(big)], False, args.timeout)
        print(f"20 MB file: {r}", flush=True)
        out["file_20mb"] = r
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
