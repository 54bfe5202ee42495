"""Figures of a blind reading by hand (issue 14): summaries of the same
clusters by two versions, shown as A and B in a random order per cluster,
judged sentence by sentence by readers who did not know which was which.

    .venv/bin/python bench/reading.py bench/annotations/readability_reading_part*.jsonl \
        --key bench/annotations/readability_reading_key.json

The annotation lines (see the reading instructions in BENCHMARKS.md): one
per summary sentence (``dangling``, ``out_of_context``, ``redundant``,
``opinion_as_fact``, ``wrong_name``), one per summary
(``first_states_event``, ``order`` 1-5, ``readability`` 1-5). The key maps
each cluster's A and B to the version ("before", "after").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

FLAGS = ("dangling", "out_of_context", "redundant", "opinion_as_fact", "wrong_name")


def load(paths: list[Path]) -> list[dict]:
    rows = []
    for p in paths:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise SystemExit(f"reading: {p}:{n}: not JSON ({e.msg})") from None
    return rows


def figures(rows: list[dict], key: dict[str, dict[str, str]]) -> dict[str, dict]:
    """Per version: sentences, the rate of each flag and of any of the first
    two (a sentence a reader cannot follow), and the per-summary means."""
    sents: dict[str, list[dict]] = defaultdict(list)
    summaries: dict[str, list[dict]] = defaultdict(list)
    firsts: dict[str, list[bool]] = defaultdict(list)  # the first-sentence-only reading: {"A": bool, "B": bool}
    for r in rows:
        if isinstance(r.get("A"), bool) and r.get("cluster") in key:
            for label in "AB":
                firsts[key[r["cluster"]][label]].append(r[label])
            continue
        if "summary" not in r or r.get("cluster") not in key:
            continue
        version = key[r["cluster"]][r["summary"]]
        (sents if "sentence" in r else summaries)[version].append(r)
    out = {}
    for version in sorted(firsts):
        out[version] = {"clusters": len(firsts[version]), "first_states_event": sum(firsts[version])}
    if firsts:
        return out
    for version in sorted(set(sents) | set(summaries)):
        ss, sm = sents[version], summaries[version]
        n = len(ss) or 1
        row = {"clusters": len(sm), "sentences": len(ss)}
        for f in FLAGS:
            row[f] = 100 * sum(bool(s.get(f)) for s in ss) / n
        row["faulty"] = 100 * sum(bool(s.get("dangling") or s.get("out_of_context")) for s in ss) / n
        row["any"] = 100 * sum(any(s.get(f) for f in FLAGS) for s in ss) / n
        row["first_states_event"] = sum(bool(s.get("first_states_event")) for s in sm)
        row["order"] = statistics.mean(s["order"] for s in sm) if sm else 0.0
        row["readability"] = statistics.mean(s["readability"] for s in sm) if sm else 0.0
        out[version] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("annotations", nargs="+", type=Path)
    ap.add_argument("--key", type=Path, required=True, help="JSON: cluster -> {A: version, B: version}")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    for p in [*args.annotations, args.key]:
        if not p.is_file():
            print(f"reading: {p}: no such file", file=sys.stderr)
            return 2
    key = json.loads(args.key.read_text(encoding="utf-8"))
    table = figures(load(args.annotations), key)
    cols = ["clusters", "sentences", "faulty", *FLAGS, "any", "first_states_event", "order", "readability"]
    cols = [c for c in cols if all(c in row for row in table.values())]
    print("| version | " + " | ".join(cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for version, row in table.items():
        cells = [f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c]) for c in cols]
        print(f"| {version} | " + " | ".join(cells) + " |")
    print("rates in % of summary sentences; faulty: dangling or out of context; "
          "first_states_event: summaries; order, readability: mean of 1-5")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
