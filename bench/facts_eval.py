"""Cross-source facts against hand annotations (issue 15): shared key facts
found among the agreements, contradictions flagged, false flags, and
agreements that pair a contradicted pair of sentences or hold a caption.

The annotations (bench/annotations/facts_heldout.jsonl) were made blind and
before the alignment was tuned: the first run on them is the held-out
figure. A fact counts as found when one agreement cites annotated sentences
of two or more of the articles that state it; a contradiction counts as
flagged when one flag cites a sentence of each side.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/facts_eval.py [--tree DIR] [--json OUT] [--show]

``--tree`` runs another checkout of newsbrief (``git archive <rev> | tar -x
-C DIR``) on the same annotations, for a before/after table.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multinews" / "dev.jsonl"
GOLD = ROOT / "bench" / "annotations" / "facts_heldout.jsonl"
# An independent check for picture furniture (not the library's own rule).
CAPTION = re.compile(r"^\W*(?:photo|image|picture|courtesy|fig(?:ure)?\.?\s*\d|credit|getty|file photo)\b|"
                     r"\((?:AP|Reuters|AFP|Getty)[^)]*(?:photo|images?)\)|\bphoto(?:graph)?s? (?:by|courtesy)\b", re.I)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tree", type=Path, help="another newsbrief checkout to measure instead of this one")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--show", action="store_true", help="print misses and false flags")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"needs {DATA} (../shared beside the project)")
    sys.path.insert(0, str((args.tree or ROOT).resolve()))
    import newsbrief
    from newsbrief.analysis import analyze
    from newsbrief.sources import iter_clusters

    gold = {g["cluster"]: g for g in map(json.loads, GOLD.open()) if "cluster" in g}
    clusters = {c.id: c for c in iter_clusters(DATA) if getattr(c, "id", None) in gold}
    facts = found = 0
    conflicts = flagged = updates = updates_flagged = false = 0
    bad_agreements = captions = n_agreements = 0
    times: list[float] = []
    shown: list[str] = []
    for cid, g in gold.items():
        arts = newsbrief.prepare(clusters[cid].articles)
        t = time.perf_counter()
        an = analyze(arts)
        times.append(time.perf_counter() - t)
        src = g["letters"]  # letter -> source id

        def refs(sentences: dict) -> dict[str, set[int]]:
            return {src[k]: set(v) for k, v in sentences.items() if k in src}

        cited = [{(c.source, c.sentence) for c in a.citations} for a in an.agreements]
        n_agreements += len(an.agreements)
        captions += sum(bool(CAPTION.search(c.text)) for a in an.agreements for c in a.citations)
        twin = {src[b]: src[a] for a, b in g.get("copies", []) if a in src and b in src}
        for f in g["facts"]:
            want = refs(f["sentences"])
            if len({twin.get(s, s) for s in want}) < 2:
                continue  # stated only by copies of one article: not shared by independent sources
            facts += 1
            hit = any(len({twin.get(s, s) for s, i in c if i in want.get(s, ())}) >= 2 for c in cited)
            found += hit
            if not hit and args.show:
                shown.append(f"MISSED FACT {cid}: {f['fact']}")
        gold_pairs = []
        for c in g["contradictions"]:
            (la, sa), (lb, sb) = list(refs(c["sentences"]).items())[:2]
            gold_pairs.append(((la, sa), (lb, sb), c.get("update", False), c))
        def matches(x, pair) -> bool:
            got = {(c.source, c.sentence) for c in x.citations}
            (la, sa), (lb, sb) = pair[0], pair[1]
            return any((la, i) in got for i in sa) and any((lb, i) in got for i in sb)
        for p in gold_pairs:
            hit = any(matches(x, p) for x in an.contradictions)
            if p[2]:
                updates += 1
                updates_flagged += hit
            else:
                conflicts += 1
                flagged += hit
            if not hit and args.show:
                shown.append(f"MISSED CONFLICT {cid}: {p[3]['values']}")
        for x in an.contradictions:
            if not any(matches(x, p) for p in gold_pairs):
                false += 1
                if args.show:
                    shown.append(f"FALSE FLAG {cid}: {x.kind} {x.subject!r} {x.values} | "
                                 + " || ".join(c.text[:120] for c in x.citations))
        for a, c in zip(an.agreements, cited):
            if any(any((p[0][0], i) in c for i in p[0][1]) and any((p[1][0], i) in c for i in p[1][1])
                   for p in gold_pairs):
                bad_agreements += 1
                if args.show:
                    shown.append(f"CONTRADICTED AGREEMENT {cid}: {a.text[:150]}")
    out = {
        "tree": str(args.tree or "this checkout"), "clusters": len(gold),
        "shared_facts": facts, "facts_found": found, "fact_recall": round(found / max(1, facts), 3),
        "contradictions": conflicts, "flagged": flagged, "updates": updates, "updates_flagged": updates_flagged,
        "false_flags": false, "false_flags_per_cluster": round(false / len(gold), 3),
        "agreements": n_agreements, "agreements_pairing_a_contradiction": bad_agreements,
        "caption_citations_in_agreements": captions,
        "analysis_median_s": round(statistics.median(times), 3),
    }
    print("\n".join(shown))
    for k, v in out.items():
        print(f"{k}: {v}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
