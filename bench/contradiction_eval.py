"""Precision and recall of find_contradictions against hand annotations of
Multi-News dev clusters (bench/annotations/contradictions_dev.jsonl) and the
Kislyak expectations, plus the median time per dev cluster of agreements,
contradictions and timeline together.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/contradiction_eval.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import newsbrief
from newsbrief.analysis.agreements import find_agreements
from newsbrief.analysis.contradictions import find_contradictions
from newsbrief.analysis.timeline import build_timeline

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
KISLYAK = [("description", "physicist", "engineer"), ("date", "1981", "1985")]


def _hit(c, gold: dict) -> bool:
    texts = [x.text for x in c.citations]
    return any(t.startswith(gold["a"]) for t in texts) and any(t.startswith(gold["b"]) for t in texts)


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"no shared data at {DATA}")
    gold = [json.loads(line) for line in (ROOT / "bench/annotations/contradictions_dev.jsonl").open()]
    clusters = {c.id.split("/")[0]: c for c in newsbrief.load(DATA / "multinews/dev.jsonl").clusters}
    tp = fp = fn = 0
    for cid in dict.fromkeys(g["cluster"] for g in gold):
        want = [g for g in gold if g["cluster"] == cid and g["kind"]]
        got = find_contradictions(newsbrief.prepare(clusters[cid].articles))
        good = [c for c in got if any(_hit(c, g) for g in want)]
        tp += len(good)
        fp += len(got) - len(good)
        fn += sum(not any(_hit(c, g) for c in got) for g in want)
    kis = find_contradictions(newsbrief.prepare(newsbrief.load(sorted((DATA / "kislyak").glob("*.txt"))).articles))
    k_hit = [any(c.kind == k and a in c.values[0] + c.values[1] and b in c.values[0] + c.values[1] for c in kis)
             for k, a, b in KISLYAK]
    tp, fp, fn = tp + sum(k_hit), fp + len(kis) - sum(k_hit), fn + len(k_hit) - sum(k_hit)
    print(f"dev+kislyak: tp={tp} fp={fp} fn={fn} precision={tp / max(1, tp + fp):.2f} recall={tp / max(1, tp + fn):.2f}")
    print(f"kislyak expectations met: {sum(k_hit)}/{len(k_hit)}")
    times = []
    find_agreements(newsbrief.prepare(next(iter(clusters.values())).articles))  # warm the embedding model
    for c in clusters.values():
        arts = newsbrief.prepare(c.articles)
        t = time.perf_counter()
        find_agreements(arts)
        find_contradictions(arts)
        build_timeline(arts)
        times.append(time.perf_counter() - t)
    print(f"time per dev cluster (3 functions, after prepare): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} clusters")


if __name__ == "__main__":
    main()
