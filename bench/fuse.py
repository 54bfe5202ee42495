"""Fusion on dev (issue 20, item 4): every dev cluster briefed (extractive,
the default ranker and length), then fused by a language model, and:

* the acceptance, checked independently of the fusion code path: every
  sentence the fused JSON marks ``generated`` is re-checked with
  ``check_sentence`` against ``evidence`` of the extractive sentences it
  ``replaces`` (rebuilt from the JSON); one failure makes the run fail
  (exit 1);
* ROUGE (rouge-score, stemmed, Lsum on sentence lines) of the fused summary
  next to the extractive one, against the Newser reference;
* what happened to each group of cited sentences: rewritten and shown
  (passed), refused by the checker, refused for its form (more than two
  sentences, longer than its sources, cut off, empty), refused for bringing
  more than two content words its sources lack (after passing the checker),
  or skipped by the budget; the pass share (of the checker) is
  (passed + words) / (passed + words + refused by the checker).

Usage: ``.venv/bin/python bench/fuse.py --llm PATH.gguf|URL [--llm-model NAME]
[--start S] [--limit K] [--json OUT] [--md DIR]`` (``--md DIR`` writes each fused
briefing as Markdown and JSON, for reading by hand).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsbrief.briefing.check import check_sentence, evidence  # noqa: E402
from newsbrief.briefing.fuse import fuse, groups  # noqa: E402
from newsbrief.eval import RougeScorer  # noqa: E402
from newsbrief.llm import open_backend  # noqa: E402
from newsbrief.model import Briefing, SummarySentence  # noqa: E402
from newsbrief.pipeline import brief_articles, load  # noqa: E402
from newsbrief.render import render  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "multinews" / "dev.jsonl"


def unsupported(doc: dict) -> list[str]:
    """The generated sentences of a fused briefing's JSON that fail the
    checker, read from the JSON alone."""
    bad = []
    for s in doc["summary"]:
        if s.get("generated"):
            cited = evidence(SummarySentence.from_dict(r) for r in s["replaces"])
            if not check_sentence(s["text"], cited).ok:
                bad.append(s["text"])
    return bad


def outcomes(extractive: Briefing, fused: Briefing) -> dict[str, int]:
    """Groups by what became of them, walking the extractive summary's
    groups: each is either generated sentences (all replacing that group) or
    its own sentences, sharing one reason."""
    out = {"passed": 0, "checker": 0, "words": 0, "copied": 0, "form": 0, "skipped": 0, "generated_sentences": 0}
    if fused.fusion is None:  # the backend failed: nothing was fused (counted in backend_errors)
        return out
    pos = 0
    for g in groups(extractive.summary):
        s = fused.summary[pos]
        if s.generated:
            n = 0
            while pos + n < len(fused.summary) and fused.summary[pos + n].generated and \
                    fused.summary[pos + n].replaces == s.replaces:
                n += 1
            out["passed"] += 1
            out["generated_sentences"] += n
            pos += n
            continue
        reason = s.reason or ""
        kind = ("words" if reason.startswith("the rewrite brings words") else "checker" if s.check
                else "skipped" if "budget" in reason else "copied" if "only copied" in reason else "form")
        out[kind] += 1
        pos += len(g)
    assert pos == len(fused.summary), "the fused summary is its groups, in order"
    return out


def run(args: argparse.Namespace) -> dict:
    backend = open_backend(args.llm, model=args.llm_model)
    scorer, rows, failures = RougeScorer(), [], []
    clusters = load(args.data).clusters[args.start: args.limit]
    for c in clusters:
        b = brief_articles(c.articles, id=c.id)
        t = time.perf_counter()
        fused = fuse(b, backend)
        doc = json.loads(json.dumps(fused.to_dict()))
        bad = unsupported(doc)
        failures += [(c.id, text) for text in bad]
        row = {"id": c.id, "seconds": round(time.perf_counter() - t, 2), "unsupported": bad,
               "extractive": scorer.score([s.text for s in b.summary], c.reference or ""),
               "fused": scorer.score(fused.text, c.reference or ""), **outcomes(b, fused),
               "errors": [e.reason for e in fused.errors if e.source == "llm"]}
        rows.append(row)
        if args.md:
            Path(args.md).mkdir(parents=True, exist_ok=True)
            name = f"{args.start + len(rows):03d}"  # the cluster's position in the file, from 1
            (Path(args.md) / f"{name}.md").write_text(render(fused, "md"), encoding="utf-8")
            (Path(args.md) / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
        print(f"{len(rows):3d}/{len(clusters)} {row['seconds']:5.1f}s passed {row['passed']} checker "
              f"{row['checker']} words {row['words']} copied {row['copied']} form {row['form']} R1 {row['extractive']['rouge1']:.1f} -> "
              f"{row['fused']['rouge1']:.1f}", flush=True)
    return summarise(args, rows, failures, getattr(backend, "model", backend.name))


def summarise(args: argparse.Namespace, rows: list[dict], failures: list, model: str) -> dict:
    def mean(side: str, key: str) -> float:
        return round(statistics.mean(r[side][key] for r in rows), 2)

    total = {k: sum(r[k] for r in rows) for k in ("passed", "checker", "words", "copied", "form", "skipped",
                                                  "generated_sentences")}
    asked = total["passed"] + total["checker"] + total["words"] + total["copied"] + total["form"]
    return {
        "command": " ".join(sys.argv), "model": model, "llm": args.llm, "clusters": len(rows),
        "rouge": {side: {k: mean(side, k) for k in ("rouge1", "rouge2", "rougeLsum")}
                  for side in ("extractive", "fused")},
        "groups": total, "groups_asked": asked,
        "pass_share": round((total["passed"] + total["words"]) / max(1, total["passed"] + total["words"]
                                                                     + total["checker"]), 3),
        "shown_share": round(total["passed"] / max(1, asked), 3),
        "unsupported_shown": failures,
        "seconds": {"total": round(sum(r["seconds"] for r in rows), 1),
                    "per_cluster": round(statistics.mean(r["seconds"] for r in rows), 2)},
        "backend_errors": sum(bool(r["errors"]) for r in rows), "rows": rows,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--llm", required=True, help="a .gguf file or an OpenAI-compatible server URL")
    p.add_argument("--llm-model")
    p.add_argument("--data", default=str(DEV))
    p.add_argument("--start", type=int, default=0, help="skip the first START clusters")
    p.add_argument("--limit", type=int, help="stop before cluster LIMIT (from the file's start)")
    p.add_argument("--json", help="write the results here")
    p.add_argument("--md", help="write each fused briefing as Markdown and JSON into this folder")
    args = p.parse_args()
    out = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "rows"}, indent=1))
    if out["unsupported_shown"]:
        print(f"FAIL: {len(out['unsupported_shown'])} generated sentence(s) shown that the checker refuses")
        return 1
    print("every sentence shown as generated passes the checker")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
