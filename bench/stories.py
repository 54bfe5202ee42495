"""Benchmark online story grouping on Multi-News.

Every document of every cluster is one article whose true story is its
cluster; the articles are shuffled (fixed seed) and fed one by one to
NearDup + OnlineClusterer.  Reports B-cubed precision/recall/F1 and the
adjusted Rand index, and articles/s for the first and last 1,000 articles
(clean + segment + embed + dedupe + cluster per article; model load
excluded).

    .venv/bin/python bench/stories.py                  # dev + val (2,000 clusters)
    .venv/bin/python bench/stories.py --tune           # threshold sweep on val
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsbrief.model import Article  # noqa: E402
from newsbrief.pipeline import prepare  # noqa: E402
from newsbrief.stories import NearDup, OnlineClusterer, features  # noqa: E402

DATA = Path("/work/shared/data/multinews")


def load(path: Path, limit: int | None = None, seed: int = 0) -> list[tuple[str, str, str]]:
    """(article id, true story, text), shuffled."""
    op = gzip.open if path.suffix == ".gz" else open
    items = []
    with op(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            row = json.loads(line)
            for i, d in enumerate(row["documents"]):
                if d.strip():
                    items.append((f"{row['id']}#{i}", row["id"], d))
    random.Random(seed).shuffle(items)
    return items


def bcubed(true: list[str], pred: list[str]) -> tuple[float, float, float]:
    pairs = Counter(zip(true, pred))
    tc, pc = Counter(true), Counter(pred)
    p = sum(c * c / pc[pr] for (t, pr), c in pairs.items()) / len(true)
    r = sum(c * c / tc[t] for (t, pr), c in pairs.items()) / len(true)
    return p, r, 2 * p * r / (p + r)


def metrics(true: list[str], pred: list[str]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score

    p, r, f = bcubed(true, pred)
    return {"bcubed_p": round(p, 4), "bcubed_r": round(r, 4), "bcubed_f1": round(f, 4),
            "ari": round(adjusted_rand_score(true, pred), 4), "stories": len(set(pred)),
            "true_stories": len(set(true)), "articles": len(true)}


def run(items, **params) -> tuple[list[str], list[float], int]:
    """Feed articles one at a time; returns predicted stories, per-article
    seconds, and the number of near-duplicates found."""
    nd, cl = NearDup(), OnlineClusterer(**params)
    pred, secs, dups = [], [], 0
    run.dup_pairs = []
    for aid, _, text in items:
        t0 = time.perf_counter()
        ready = prepare([Article(id=aid, raw=text)])
        if not ready:  # nothing left after cleaning: its own story
            pred.append("empty:" + aid)
            secs.append(time.perf_counter() - t0)
            continue
        a = ready[0]
        dup = nd.add(aid, a.text)
        vec, kws = features([a])
        sid = cl.add(aid, vec[0], kws[0], story_id=cl.assignment.get(dup) if dup else None)
        dups += dup is not None
        if dup:
            run.dup_pairs.append((aid, dup))
        pred.append(sid)
        secs.append(time.perf_counter() - t0)
    return pred, secs, dups


def precompute(items):
    ready = {a.id: a for a in prepare(Article(id=aid, raw=t) for aid, _, t in items)}
    arts = [ready[aid] for aid, _, _ in items if aid in ready]
    vecs, kws = features(arts)
    return {a.id: (v, k) for a, v, k in zip(arts, vecs, kws)}


def sweep(items, feats, thresholds, emb_weights):
    true = [t for _, t, _ in items]
    for ew in emb_weights:
        for th in thresholds:
            cl = OnlineClusterer(threshold=th, emb_weight=ew)
            pred = [cl.add(aid, *feats[aid]) if aid in feats else "empty:" + aid for aid, _, _ in items]
            m = metrics(true, pred)
            print(f"emb_weight={ew:.2f} threshold={th:.2f} {m}", flush=True)


def report(name, items, **params):
    pred, secs, dups = run(items, **params)
    m = metrics([t for _, t, _ in items], pred)
    out = {"data": name, **m, "near_duplicates": dups, "params": params}
    # boilerplate (archive / cookie notices) copied across different true
    # stories: a secondary figure without those articles
    true = {a: t for a, t, _ in items}
    junk = {x for a, d in run.dup_pairs if true[a] != true[d] for x in (a, d)}
    keep = [i for i, (a, _, _) in enumerate(items) if a not in junk]
    out["without_cross_story_boilerplate"] = {
        k: v for k, v in metrics([items[i][1] for i in keep], [pred[i] for i in keep]).items()
        if k in ("bcubed_p", "bcubed_r", "bcubed_f1", "ari", "articles")}
    if len(secs) >= 2000:
        out["articles_per_s_first_1000"] = round(1000 / sum(secs[:1000]), 1)
        out["articles_per_s_last_1000"] = round(1000 / sum(secs[-1000:]), 1)
    out["articles_per_s_all"] = round(len(secs) / sum(secs), 1)
    print(json.dumps(out), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--val-clusters", type=int, default=2000)
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--emb-weight", type=float, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from newsbrief.text.embed import embed

    embed(["warm up"])  # model load excluded from timings
    dev = load(DATA / "dev.jsonl", seed=args.seed)
    val = load(DATA / "val_truncated.jsonl.gz", limit=args.val_clusters, seed=args.seed)
    if args.tune:
        feats = precompute(val)
        sweep(val, feats, np.arange(0.20, 0.51, 0.05), [0.0, 0.15, 0.25, 0.5])
        return
    params = {}
    if args.threshold is not None:
        params["threshold"] = args.threshold
    if args.emb_weight is not None:
        params["emb_weight"] = args.emb_weight
    report("val_truncated[:%d]" % args.val_clusters, val, **params)
    report("dev", dev, **params)


if __name__ == "__main__":
    main()
