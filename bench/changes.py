"""Read what "what changed" says on real stories: each Multi-News cluster
(dev, at least ``--min-docs`` articles) becomes a stored story whose first
half of the articles is version A and the whole cluster the current version;
``newsbrief.briefing.changes.changes(since=A)`` then lists the new facts and
changed values of the second half. Multi-News gives no outlets or dates, so
no new outlets are listed and every article is from its own source.

The output is for a human reader to judge: each new fact with the earlier
sentence closest to it (embedding cosine, only a reading aid: "is this
really not said before?"), each changed value with both sentences. The
figures in BENCHMARKS.md ("new facts judged new / listed", "changed values
judged real / listed") come from reading this output.

    .venv/bin/python bench/changes.py --skip 0 --count 10 > /tmp/changes-heldout.txt
    .venv/bin/python bench/changes.py --min-docs 3 --max-docs 3 --count 10   # 1 + 2 articles
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent)]

from newsbrief.briefing.changes import Changes, changes  # noqa: E402
from newsbrief.model import Article  # noqa: E402
from newsbrief.store import Store  # noqa: E402

DEV = BENCH.parent.parent / "shared" / "data" / "multinews" / "dev.jsonl"


def clusters(min_docs: int, skip: int, count: int, max_docs: int = 99) -> list[tuple[str, list[str]]]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [(r["id"], [d for d in r["documents"] if d.strip()]) for r in rows]
    return [(cid, ds) for cid, ds in docs if min_docs <= len(ds) <= max_docs][skip:skip + count]


def story_changes(store: Store, cid: str, docs: list[str]) -> tuple[Changes, float]:
    half = len(docs) // 2
    ids = [store.add_article(Article(id=f"{cid}/{j}", raw=d))[0] for j, d in enumerate(docs)]
    sid = store.new_story(cid, articles=ids[:half])
    seen = store.story(sid).version
    for a in ids[half:]:
        store.assign(a, sid)
    t = time.perf_counter()
    c = changes(store, sid, seen)
    return c, time.perf_counter() - t


def closest(c: Changes, store: Store, sid_texts: dict[str, str], text: str) -> str:
    """The earlier version's sentence closest to ``text`` (a reading aid)."""
    from newsbrief.text.embed import embed
    from newsbrief.text import segment

    old = [s.text for k, t in sid_texts.items() for s in segment(Article(id=k, raw=t, text=t)).sentences]
    if not old:
        return ""
    vs = embed([text, *old])
    sims = vs[1:] @ vs[0]
    k = int(sims.argmax())
    return f"{sims[k]:.2f} {old[k]}"


def report(cid: str, docs: list[str], c: Changes, secs: float, store: Store) -> list[str]:
    half = len(docs) // 2
    before = {f"{cid}/{j}": d for j, d in enumerate(docs[:half])}
    out = [f"=== {cid}: {half} + {len(docs) - half} articles; {len(c.new_facts)} new facts listed "
           f"(+{c.more_facts} more), {len(c.changed_values)} changed values; {secs:.2f} s"]
    for n, f in enumerate(c.new_facts, 1):
        out.append(f"  F{n} [{f.citation.source}#{f.citation.sentence}] {f.text}")
        out.append(f"      closest earlier: {closest(c, store, before, f.citation.text)}")
    for n, v in enumerate(c.changed_values, 1):
        out.append(f"  V{n} {v.subject}: {v.old} -> {v.new}")
        out.append(f"      before [{v.before.source}#{v.before.sentence}] {v.before.text}")
        out.append(f"      now    [{v.after.source}#{v.after.sentence}] {v.after.text}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-docs", type=int, default=4)
    ap.add_argument("--max-docs", type=int, default=99)
    ap.add_argument("--skip", type=int, default=0, help="Clusters (of those with enough articles) to skip")
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--json", type=Path, help="Also write each cluster's Changes as JSON here")
    a = ap.parse_args()
    dump = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "changes.db") as store:
        for cid, docs in clusters(a.min_docs, a.skip, a.count, a.max_docs):
            c, secs = story_changes(store, cid, docs)
            print("\n".join(report(cid, docs, c, secs, store)), flush=True)
            dump.append({"cluster": cid, "seconds": round(secs, 3), **c.to_dict()})
    if a.json:
        a.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
