"""Precision and recall of quote detection and speaker attribution against
hand annotations, and the time extract_quotes takes per dev cluster.

    .venv/bin/python bench/quote_eval.py [--annotations PATH] [--data ../shared/data] [--no-timing] [-v]

Two annotation sets (one JSON object a line: cluster, article index, the
quote's first words, speaker or null):

* bench/annotations/quotes_dev.jsonl (the default): clusters 092, 047, 070
  and the Kislyak articles, on which the extractor's rules were tuned, so its
  figures there are optimistic;
* bench/annotations/quotes_heldout.jsonl: clusters 063, 097 and 150 (all
  their articles), annotated by reading the cleaned text before running the
  extractor on them: the held-out measurement.

Only annotated articles are scored. An annotation gives the first words of a
quote; a detected quote (per article: its spans in that article) matches
when, normalised, it contains those words or they contain it (a detected
fragment of an annotated quote). Pieces one speaker says one after another
count as one quote, as the extractor joins them. A speaker is correct when
the surnames (last words) match; a gold speaker of null is matched only by
no speaker.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from newsbrief.analysis.quotes import extract_quotes, normalize
from newsbrief.model import Article
from newsbrief.pipeline import load, prepare

ROOT = Path(__file__).resolve().parent.parent


def _surname(name: str | None) -> str | None:
    return normalize(name).split()[-1] if name and normalize(name) else None


def _clusters(data: Path) -> dict[str, list[Article]]:
    out = {c.id: c.articles for c in load(data / "multinews" / "dev.jsonl").clusters}
    out["kislyak"] = load(*sorted((data / "kislyak").glob("*.txt"))).articles
    return out


def evaluate(data: Path, annotations: Path, verbose: bool = False) -> dict[str, float]:
    gold: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for line in annotations.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[(row["cluster"], row["article"])].append(row)
    clusters = _clusters(data)
    tp_det = n_det = n_gold = found = 0
    sp_pred = sp_ok_pred = sp_gold = sp_ok_gold = 0
    for cid in sorted({c for c, _ in gold}):
        raw = clusters[cid]
        arts = prepare(raw)
        quotes = extract_quotes(arts)
        for idx, art in enumerate(raw):
            if (cid, idx) not in gold:
                continue
            rows = gold[(cid, idx)]
            dets = [(normalize(" ".join(m.text for m in q.spans if m.source == art.id)), q.speaker, q.text)
                    for q in quotes if any(m.source == art.id for m in q.spans)]
            keys = [normalize(r["quote"]) for r in rows]
            hit = [False] * len(rows)
            for text, speaker, shown in dets:
                n_det += 1
                matched = [i for i, k in enumerate(keys) if k in text or (len(text.split()) >= 1 and text in k)]
                if matched:
                    tp_det += 1
                if speaker:
                    sp_pred += 1
                    if matched and any(_surname(rows[i]["speaker"]) == _surname(speaker) for i in matched):
                        sp_ok_pred += 1
                    elif verbose:
                        print(f"  wrong speaker [{cid}/{idx}] {speaker!r} for {shown[:60]!r} "
                              f"(gold {[rows[i]['speaker'] for i in matched] if matched else 'none: extra'})")
                if not matched and verbose:
                    print(f"  extra [{cid}/{idx}] {shown[:70]!r}")
                for i in matched:
                    if not hit[i] or _surname(rows[i]["speaker"]) == _surname(speaker):
                        hit[i] = (True, _surname(rows[i]["speaker"]) == _surname(speaker), speaker)
            for r, h in zip(rows, hit):
                n_gold += 1
                found += bool(h)
                if r["speaker"]:
                    sp_gold += 1
                    sp_ok_gold += bool(h) and h[1]
                    if h and not h[1] and h[2] is None and verbose:  # a wrong speaker is listed above
                        print(f"  no speaker [{cid}/{idx}] {r['quote']!r} (gold {r['speaker']!r})")
                if not h and verbose:
                    print(f"  missed [{cid}/{idx}] {r['quote']!r} (gold speaker {r['speaker']!r})")
    return {
        "quotes_gold": n_gold, "quotes_detected": n_det,
        "detection_precision": tp_det / max(n_det, 1), "detection_recall": found / max(n_gold, 1),
        "speaker_precision": sp_ok_pred / max(sp_pred, 1), "speaker_recall": sp_ok_gold / max(sp_gold, 1),
    }


def timing(data: Path) -> float:
    """Median seconds of extract_quotes per dev cluster, after prepare."""
    times = []
    for c in load(data / "multinews" / "dev.jsonl").clusters:
        arts = prepare(c.articles)
        t = time.perf_counter()
        extract_quotes(arts)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--annotations", type=Path, default=ROOT / "bench" / "annotations" / "quotes_dev.jsonl",
                    help="JSONL hand annotations to score (default: the dev set the rules were tuned on; "
                         "bench/annotations/quotes_heldout.jsonl is the held-out set)")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses, extras, wrong and missing speakers")
    args = ap.parse_args(argv)
    if not (args.data / "multinews" / "dev.jsonl").is_file():
        print(f"no {args.data}/multinews/dev.jsonl", file=sys.stderr)
        return 2
    if not args.annotations.is_file():
        print(f"no {args.annotations}", file=sys.stderr)
        return 2
    res = evaluate(args.data, args.annotations, args.verbose)
    command = [".venv/bin/python", "bench/quote_eval.py", *(sys.argv[1:] if argv is None else argv)]
    print("command: " + " ".join(command))
    try:
        shown = args.annotations.resolve().relative_to(ROOT)
    except ValueError:
        shown = args.annotations
    print(f"annotations scored: {shown}")
    print(f"quotes: {res['quotes_gold']} annotated, {res['quotes_detected']} detected")
    for k in ("detection_precision", "detection_recall", "speaker_precision", "speaker_recall"):
        print(f"{k:20s} {res[k]:.3f}")
    if not args.no_timing:
        print(f"median extract_quotes time per dev cluster: {timing(args.data) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
