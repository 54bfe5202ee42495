"""ROUGE against summary length: each method at word budgets 100-400, so a
comparison at one budget (bench/quality.py, 250 words) can be read in
context, e.g. whether a method only wins by being longer, and how far the
greedy oracle sits above every method at every length.

Method names (``--methods``): any registered newsbrief method, the sumy peers
of bench/quality.py (``sumy-lexrank``, ``sumy-textrank``; run by its own
``peer_summary``, same cleaned sentences, same budget rule) and ``oracle``
(``newsbrief.eval.oracle``: greedy over the candidate sentences within the
budget; it stops early when no sentence raises ROUGE, so its points bunch up
at its natural length).

Each cluster is cleaned, segmented and tokenised once; every method and every
budget selects from that one ``Pool``. Summaries are scored in output order
(reading order for ours and the oracle, document order for sumy) with
``newsbrief.eval.oracle.fast_rouge12``: rouge-score's own tokenizer and
stemmer, counted with n-gram Counters, which equals rouge-score's ROUGE-1/2 F1
(checked in tests/test_oracle.py and tests/test_bench.py) at a fraction of
its cost. ROUGE-L is not computed here.

    .venv/bin/python bench/length_curve.py [--data F] [--limit K] [--methods a,b] \\
        [--budgets 100,150,...] [--out bench/results/length_curve.png]

Writes the PNG (ROUGE-1 against mean summary words, one line per method) and
the figures as JSON next to it (same name, ``.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shlex
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from newsbrief.eval.oracle import fast_rouge12, oracle_summary, tokenize  # noqa: E402
from newsbrief.model import Article, Cluster  # noqa: E402
from newsbrief.pipeline import prepare  # noqa: E402
from newsbrief.sources import iter_clusters  # noqa: E402
from newsbrief.summarize import DEFAULT_METHOD, Budget, Pool, methods  # noqa: E402
from newsbrief.summarize.base import reading_order  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_quality", Path(__file__).with_name("quality.py"))
quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(quality)

DEFAULT_DATA = quality.DEFAULT_DATA
DEFAULT_METHODS = (DEFAULT_METHOD, "lead", "lexrank", "sumy-lexrank", "oracle")
BUDGETS = (100, 150, 200, 250, 300, 350, 400)


@dataclass
class Item:
    """One cluster, prepared once for every method and budget."""

    id: str
    ready: list[Article]
    pool: Pool
    tokens: list[list[str]]  # per pool sentence
    reference: str
    ref_tokens: list[str]


def prepared(clusters: Iterable[Cluster]) -> list[Item]:
    items = []
    for c in clusters:
        ready = prepare(c.articles) if c.reference else []
        if ready:
            pool = Pool(ready)
            items.append(Item(c.id, ready, pool, [tokenize(s.text) for s in pool.sentences], c.reference,
                              tokenize(c.reference)))
    return items


def summary(name: str, item: Item, budget: Budget, peers: dict[str, Any]) -> tuple[list[list[str]], int]:
    """The method's summary as per-sentence tokens in output order, and its
    length in words."""
    if name in peers:
        texts = quality.peer_summary(item.ready, peers[name], budget)
        return [tokenize(t) for t in texts], sum(len(t.split()) for t in texts)
    if name == "oracle":
        picked = reading_order(item.pool, oracle_summary(item.pool, item.reference, budget.words, tokens=item.tokens))
    else:
        picked = methods.get(name).summarize(item.pool, budget)
    return [item.tokens[i] for i in picked], sum(item.pool.sentences[i].words for i in picked)


def curve(items: list[Item], names: list[str], budgets: Iterable[int]) -> dict[str, list[dict[str, float]]]:
    """Per method, one point per budget: mean words, R1 and R2 (F1, %)."""
    peers = {n: quality.make_peer(n) for n in names if n in quality.PEERS}
    out: dict[str, list[dict[str, float]]] = {n: [] for n in names}
    for w in budgets:
        budget = Budget(words=w)
        for n in names:
            r1, r2, words = [], [], []
            for it in items:
                sents, nw = summary(n, it, budget, peers)
                a, b = fast_rouge12([t for s in sents for t in s], it.ref_tokens)
                r1.append(a), r2.append(b), words.append(nw)
            out[n].append({"budget": w, "words": round(statistics.fmean(words), 1),
                           "rouge1": round(statistics.fmean(r1), 3), "rouge2": round(statistics.fmean(r2), 3)})
    return out


def plot(results: dict[str, list[dict[str, float]]], out: Path, title: str, ref_words: float) -> None:
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    for n, pts in results.items():
        label = {DEFAULT_METHOD: f"{n} (default)", "oracle": "oracle (greedy; stops when ROUGE stops rising)"}.get(n, n)
        style = {"linestyle": "--", "color": "black"} if n == "oracle" else {}
        ax.plot([p["words"] for p in pts], [p["rouge1"] for p in pts], marker="o", label=label, **style)
    ax.axvline(ref_words, color="grey", linestyle=":", linewidth=1)
    ax.annotate(f"mean reference\n{ref_words:.0f} words", (ref_words, 0.02), xycoords=("data", "axes fraction"),
                xytext=(4, 0), textcoords="offset points", fontsize=8, color="grey")
    ax.set_xlabel("mean summary length (words); one point per budget")
    ax.set_ylabel("ROUGE-1 F1 (%)")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=9)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def table(results: dict[str, list[dict[str, float]]], budgets: list[int]) -> str:
    rows = ["| method | " + " | ".join(f"{w} w" for w in budgets) + " |", "|---|" + "---:|" * len(budgets)]
    for n, pts in results.items():
        rows.append(f"| {n} | " + " | ".join(f"{p['rouge1']:.2f} / {p['rouge2']:.2f} ({p['words']:.0f})"
                                             for p in pts) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL(.gz) of clusters with reference summaries")
    ap.add_argument("--limit", type=int, default=None, metavar="K", help="first K clusters only")
    ap.add_argument("--methods", default=",".join(DEFAULT_METHODS),
                    help="newsbrief methods, sumy peers (sumy-lexrank, sumy-textrank) and/or oracle")
    ap.add_argument("--budgets", default=",".join(map(str, BUDGETS)), help="word budgets")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "length_curve.png")
    args = ap.parse_args(argv)
    names = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in names if m not in methods and m not in quality.PEERS and m != "oracle"]
    if unknown:
        ap.error(f"unknown method(s) {', '.join(unknown)} (known: {', '.join(methods.names())}, "
                 f"{', '.join(quality.PEERS)}, oracle)")
    budgets = [int(b) for b in args.budgets.split(",")]

    t0 = time.perf_counter()
    clusters = [c for c in iter_clusters(args.data) if isinstance(c, Cluster)][:args.limit]
    items = prepared(clusters)
    if not items:
        print(f"no clusters with a reference in {args.data}", file=sys.stderr)
        return 1
    results = curve(items, names, budgets)
    date = dt.datetime.now().astimezone()
    ref_words = statistics.fmean(len(it.reference.split()) for it in items)
    meta = {
        "command": shlex.join([quality._exe(), *sys.argv] if argv is None else [quality._exe(), __file__, *argv]),
        "date": date.isoformat(timespec="seconds"), "data": str(args.data), "clusters": len(items),
        "budgets": budgets, "reference_words": round(ref_words, 1), "cpus": os.cpu_count(),
        "wall_seconds": round(time.perf_counter() - t0, 1),
    }
    title = (f"ROUGE-1 vs summary length: Multi-News {args.data.name}, {len(items)} clusters "
             f"({date:%Y-%m-%d})\nbudgets {', '.join(map(str, budgets))} words; whole sentences")
    plot(results, args.out, title, ref_words)
    json_out = args.out.with_suffix(".json")
    json_out.write_text(json.dumps({**meta, "results": results}, indent=1) + "\n", encoding="utf-8")

    print(f"`{meta['command']}` | {meta['date']} | data {meta['data']} | {len(items)} clusters | "
          f"{meta['wall_seconds']} s\n")
    print("ROUGE-1 / ROUGE-2 F1 (mean words) per word budget\n")
    print(table(results, budgets))
    print(f"\nplot: {args.out}\nfigures: {json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
