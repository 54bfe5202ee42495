"""What checking the story store costs, to choose when to check (issue 17).

Ingests Multi-News articles into a fresh store (or measures a given one),
then times, best of ``--repeat`` runs on a warm page cache:

* ``open``: ``Store(path)``, the checks every open makes (header, application
  id, schema, version);
* ``quick_check``: ``PRAGMA quick_check``, run by every writer on opening
  (``Store(path, verify=True)``, i.e. every ``ingest``);
* ``integrity_check``: the full check of ``newsbrief doctor``;
* ``sync``: an ingest's rebuild of its story index from the file, the work an
  ingest does anyway after opening, for scale.

    .venv/bin/python bench/store_check.py                          # dev.jsonl (a few hundred articles)
    .venv/bin/python bench/store_check.py --data val_truncated.jsonl.gz
    .venv/bin/python bench/store_check.py --db news.db             # an existing store, read only
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from newsbrief.store import Store  # noqa: E402
from newsbrief.stories import Ingestor, ingest  # noqa: E402

DATA = BENCH.parent.parent / "shared" / "data" / "multinews"


def best(fn, repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in ms."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * min(times)


def pragma(path: Path, name: str) -> None:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert db.execute(f"PRAGMA {name}").fetchone()[0] == "ok"
    finally:
        db.close()


def sync(path: Path) -> None:
    with Store(path) as s:
        Ingestor(s).sync()


def measure(path: Path, repeat: int) -> dict[str, float]:
    with Store(path) as s:
        articles = s.count()
    return {"articles": articles, "MB": round(path.stat().st_size / 2**20, 1),
            "open_ms": round(best(lambda: Store(path).close(), repeat), 2),
            "quick_check_ms": round(best(lambda: pragma(path, "quick_check"), repeat), 1),
            "integrity_check_ms": round(best(lambda: pragma(path, "integrity_check"), repeat), 1),
            "sync_ms": round(best(lambda: sync(path), max(1, repeat // 2)), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="dev.jsonl", help="a file of ../shared/data/multinews to ingest")
    ap.add_argument("--db", type=Path, help="measure this store instead (nothing is written to it)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if args.db:
        print(measure(args.db, args.repeat))
        return
    src = DATA / args.data
    if not src.is_file():
        sys.exit(f"{src}: not found (../shared/data is needed to build a store)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        ingest(src, db=path)
        print(args.data, measure(path, args.repeat))


if __name__ == "__main__":
    main()
