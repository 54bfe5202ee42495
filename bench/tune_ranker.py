"""Choose how the trained ranker's scores become a summary (the blend with
salience and the MMR trade-off), and measure the length calibration.

    .venv/bin/python bench/tune_ranker.py --model newsbrief/models/ranker \\
        --data ../shared/data/multinews/val_truncated.jsonl.gz --limit 1000
    .venv/bin/python bench/tune_ranker.py --model newsbrief/models/ranker    # dev, 2-fold CV

ROUGE-1/2 F1 from newsbrief.eval.oracle.fast_rouge12 (equal to rouge-score's).
For each setting it prints the mean over all clusters and, with --folds 2, the
figure on each half for the setting chosen on the other half.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
from pathlib import Path

from newsbrief.eval.run import scored_pools
from newsbrief.summarize import Budget
from newsbrief.summarize.ranker import Ranker

BLEND = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0]
LAM = [0.3, 0.4, 0.5, 0.7]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped one)")
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/multinews/dev.jsonl"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--words", type=int, default=250)
    args = ap.parse_args()

    items = scored_pools(args.data, args.limit)
    print(f"# {args.data}: {len(items)} clusters; model {args.model or 'shipped'}")

    def run(m: Ranker, budget: Budget) -> tuple[list[float], list[float], list[int]]:
        r1, r2, words = [], [], []
        for it in items:
            picked = m.select(it.pool, m.resolve(it.pool, budget))  # auto: the calibrated length
            a, b = it.rouge12(picked)
            r1.append(a)
            r2.append(b)
            words.append(int(sum(it.pool.lengths[i] for i in picked)))
        return r1, r2, words

    table = []
    for blend, lam in itertools.product(BLEND, LAM):
        r1, r2, w = run(Ranker(model=args.model, blend=blend, lam=lam), Budget(words=args.words))
        table.append(((blend, lam), r1, r2))
        print(f"blend {blend:<4} lam {lam:<4} {args.words} words: R1 {statistics.fmean(r1):.2f} "
              f"R2 {statistics.fmean(r2):.2f}", flush=True)

    n = len(items)
    halves = [list(range(0, n, 2)), list(range(1, n, 2))]

    def mean(xs, idx):
        return statistics.fmean(xs[i] for i in idx)

    for k, (tune, test) in enumerate([(halves[0], halves[1]), (halves[1], halves[0])]):
        best = max(table, key=lambda t: mean(t[1], tune) + mean(t[2], tune))
        print(f"fold {k}: chosen {best[0]} -> held-out R1 {mean(best[1], test):.2f} R2 {mean(best[2], test):.2f}")

    shipped = Ranker(model=args.model)
    for label, budget in (("calibrated", Budget(words=None)), (f"{args.words} words", Budget(words=args.words))):
        r1, r2, w = run(shipped, budget)
        print(f"shipped selection (blend {shipped.blend}, lam {shipped.lam}), {label}: R1 {statistics.fmean(r1):.2f} "
              f"R2 {statistics.fmean(r2):.2f}, mean {statistics.fmean(w):.0f} words")
    if shipped.model is not None:
        cal = shipped.model.meta.setdefault("length", {})
        base = cal.get("scale", 1.0)
        for scale in (0.9, 1.0, 1.1, 1.2, 1.3):
            cal["scale"] = scale
            r1, r2, w = run(shipped, Budget(words=None))
            print(f"calibrated length x {scale}: R1 {statistics.fmean(r1):.2f} R2 {statistics.fmean(r2):.2f}, "
                  f"mean {statistics.fmean(w):.0f} words")
        cal["scale"] = base


if __name__ == "__main__":
    main()
