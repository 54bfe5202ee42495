"""Benchmark ingest through the real store: shuffled Multi-News articles go
one by one through ``newsbrief.stories.Ingestor`` into a fresh SQLite file
(clean + segment + embed + near-dup + cluster + one transaction each), and
the stories in the file are scored against the true clusters.

Reports B-cubed P/R/F1 and ARI (same definitions as bench/stories.py, which
measures the in-memory clusterer alone), articles/s for the first and last
1,000 articles, the time to re-ingest everything (all found, nothing added),
and the time a new process needs to rebuild its story index from the file.

    .venv/bin/python bench/ingest.py                     # dev + val (2,000 clusters)
    .venv/bin/python bench/ingest.py --data dev
    .venv/bin/python bench/ingest.py --keep /tmp/dbs      # keep the files (dev.db, val_truncated.db)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from stories import DATA, load, metrics  # noqa: E402  (bench/stories.py: data and scores)

from newsbrief.model import Article  # noqa: E402
from newsbrief.store import Store  # noqa: E402
from newsbrief.stories import Ingestor  # noqa: E402


def run(name: str, items: list[tuple[str, str, str]], keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = (keep or Path(tmp)) / f"{name.split('[')[0]}.db"
        db.unlink(missing_ok=True)
        secs, got = [], {}
        with Store(db) as store:
            ing = Ingestor(store)
            for aid, _, text in items:
                t0 = time.perf_counter()
                got[aid] = ing.add(Article(id=aid, raw=text))
                secs.append(time.perf_counter() - t0)
        with Store(db) as store:
            # final stories, by article id; an exact repeat of an
            # earlier text is that article, so it shares its story
            final = {r.article_id: r.story_id for r in store.features_after(0)}
            story = {aid: final[r.id] for aid, r in got.items() if hasattr(r, "created")}
            t0 = time.perf_counter()
            replayed = Ingestor(store).sync()
            rebuild = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = Ingestor(store)
            found = sum(not getattr(again.add(Article(id=aid, raw=text)), "created", True) for aid, _, text in items)
            reingest = time.perf_counter() - t0
        size = db.stat().st_size
    # an article the cleaner empties is stored nowhere: its own story, as in bench/stories.py
    pred = [str(story[aid]) if aid in story else "none:" + aid for aid, _, _ in items]
    out = {"data": name, **metrics([t for _, t, _ in items], pred), "stored": len(final),
           "not_stored": len(items) - len(story),
           "articles_per_s_all": round(len(secs) / sum(secs), 1)}
    if len(secs) >= 2000:
        out["articles_per_s_first_1000"] = round(1000 / sum(secs[:1000]), 1)
        out["articles_per_s_last_1000"] = round(1000 / sum(secs[-1000:]), 1)
    out.update({"reingest_found": found, "reingest_s": round(reingest, 2), "index_rebuild_articles": replayed,
                "index_rebuild_s": round(rebuild, 3), "db_mb": round(size / 2**20, 1)})
    print(json.dumps(out), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", choices=["dev", "val", "both"], default="both")
    ap.add_argument("--val-clusters", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=BENCH / "results" / "ingest.json")
    ap.add_argument("--keep", type=Path, help="write the databases into this directory and keep them")
    args = ap.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    from newsbrief.text.embed import embed

    embed(["warm up"])  # model load excluded from timings
    results = []
    if args.data in ("dev", "both"):
        results.append(run("dev", load(DATA / "dev.jsonl", seed=args.seed), args.keep))
    if args.data in ("val", "both"):
        results.append(run(f"val_truncated[:{args.val_clusters}]",
                           load(DATA / "val_truncated.jsonl.gz", limit=args.val_clusters, seed=args.seed),
                           args.keep))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
