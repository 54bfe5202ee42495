"""Does the ranker depend on the form of its training text? It was trained on
lower-cased, tokenised, truncated articles and is used on cased, full-length
ones. This scores it on dev as is, lower-cased, and truncated to about 500
words a cluster (the training form), next to salience and lead.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/case_robustness.py
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import replace
from pathlib import Path

from newsbrief.eval.oracle import fast_rouge12, tokenize
from newsbrief.model import Article, Cluster
from newsbrief.pipeline import prepare
from newsbrief.sources import iter_clusters
from newsbrief.summarize import Budget, Pool, get_method


def truncate(arts: list[Article], words: int = 500) -> list[Article]:
    """Cut the cluster to its first ``words`` words, shared across articles as
    Multi-News's preprocessing does (an equal share each)."""
    share = max(words // max(len(arts), 1), 1)
    return [replace(a, raw=" ".join(a.raw.split()[:share])) for a in arts]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/multinews/dev.jsonl"))
    ap.add_argument("--words", type=int, default=250)
    args = ap.parse_args()
    clusters = [c for c in iter_clusters(args.data) if isinstance(c, Cluster)]
    forms = {
        "as published": lambda arts: arts,
        "lower-cased": lambda arts: [replace(a, raw=a.raw.lower()) for a in arts],
        "truncated to 500 words": truncate,
    }
    print(f"# {args.data}: {len(clusters)} clusters, {args.words} words; ROUGE-1 / ROUGE-2 F1")
    print("\n| method | " + " | ".join(forms) + " |\n|---|" + "---:|" * len(forms))
    for name in ("ranker", "salience", "lead"):
        m = get_method(name)
        cells = []
        for form in forms.values():
            r1, r2 = [], []
            for c in clusters:
                arts = prepare(form(c.articles))
                if not arts:
                    continue
                pool = Pool(arts)
                picked = m.select(pool, Budget(words=args.words))
                a, b = fast_rouge12([t for i in picked for t in tokenize(pool.sentences[i].text)],
                                    tokenize(c.reference or ""))
                r1.append(a)
                r2.append(b)
            cells.append(f"{statistics.fmean(r1):.2f} / {statistics.fmean(r2):.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
