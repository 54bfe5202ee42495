"""CPU cost of one briefing, sequentially in one process: what a batch worker
spends per cluster (``brief_articles`` with the default method at its
calibrated length, no analysis, plus the JSON line, serialized as the
worker serializes it), without start-up, I/O or
parallelism.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/cpu.py [--data F] [--limit 500] [--repeat 3] [--profile 25]
    HF_HUB_OFFLINE=1 .venv/bin/python bench/cpu.py --against /tmp/old   # in-process A/B (git archive REV | tar -x -C /tmp/old)

Rows are read and parsed before timing. Each pass briefs every cluster; the
figure is CPU time (``time.process_time``, so other jobs on the machine
hardly move it) over clusters, for each pass, then the best and median pass.
The first pass also warms the per-process caches (stems), as a long batch
worker would be. ``--profile N`` runs one more pass under cProfile and prints
the N functions with the most cumulative and own time. ``--dump F`` writes
each cluster's picked sentences (id and text) as JSON, to diff two versions.
``--against DIR`` also loads the package of another tree (an export of an
older commit) under another name and alternates the two on chunks of 50
clusters, ``--repeat`` rounds, in this one process: the same data,
interpreter and machine load for both, so the ratio is steadier than two
runs' figures on a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

from newsbrief.batching.run import _dumps
from newsbrief.model import Cluster
from newsbrief.pipeline import NoArticlesError, brief_articles
from newsbrief.sources import iter_clusters
from newsbrief.summarize import DEFAULT_METHOD, get_method

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "data" / "multinews" / "val_truncated.jsonl.gz"


def one_pass(clusters: list[Cluster], method: str, words: int | None) -> list[tuple[str, list[str]] | None]:
    out = []
    for c in clusters:
        try:
            b = brief_articles(c.articles, method=method, words=words, id=c.id)
        except NoArticlesError:
            out.append(None)
            continue
        _dumps(b.to_dict())  # the batch worker's serializer (orjson)
        out.append((c.id, [s.text for s in b.summary]))
    return out


def _load_tree(root: Path, name: str = "newsbrief_against"):
    """The ``newsbrief`` package of another tree, imported as ``name`` (its
    imports are relative, so it runs whole, beside this one)."""
    import importlib
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, root / "newsbrief" / "__init__.py",
                                                  submodule_search_locations=[str(root / "newsbrief")])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return importlib.import_module(f"{name}.pipeline")


def against(clusters: list[Cluster], root: Path, rounds: int) -> None:
    """Alternate this tree and ``root``'s on chunks of 50 clusters (which goes
    first alternates too); print each one's CPU ms a cluster and the ratio."""
    from newsbrief import pipeline

    pipes = {"other": _load_tree(root), "this": pipeline}

    def run(p, chunk):
        for c in chunk:
            try:
                _dumps(p.brief_articles(c.articles, id=c.id).to_dict())
            except Exception as e:  # noqa: BLE001 - each tree has its own NoArticlesError class
                if type(e).__name__ != "NoArticlesError":
                    raise

    for p in pipes.values():
        run(p, clusters)  # warm both (stems, lexicon, compiled forest)
    spent = dict.fromkeys(pipes, 0.0)
    chunks = [clusters[i:i + 50] for i in range(0, len(clusters), 50)]
    for r in range(rounds):
        for j, chunk in enumerate(chunks):
            for k in (("other", "this") if (j + r) % 2 == 0 else ("this", "other")):
                t0 = time.process_time()
                run(pipes[k], chunk)
                spent[k] += time.process_time() - t0
    n = len(clusters) * rounds
    print(f"in-process A/B, {len(clusters)} clusters x {rounds} rounds: {root} {1000 * spent['other'] / n:.3f} ms, "
          f"this tree {1000 * spent['this'] / n:.3f} ms, this / other {spent['this'] / spent['other']:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--method", default=DEFAULT_METHOD)
    ap.add_argument("--words", type=int, default=None, help="word budget (default: the method's calibrated length)")
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--against", type=Path, metavar="DIR", help="in-process A/B against the tree in DIR")
    args = ap.parse_args()

    clusters = [c for c in islice(iter_clusters(args.data), args.limit) if isinstance(c, Cluster)]
    if args.against:
        against(clusters, args.against.resolve(), args.repeat)
        return 0
    get_method(args.method)
    ms = []
    for _ in range(args.repeat):
        t0 = time.process_time()
        picked = one_pass(clusters, args.method, args.words)
        ms.append(1000 * (time.process_time() - t0) / len(clusters))
    print(f"{args.data.name}: {len(clusters)} clusters, method {args.method}, CPU ms/cluster per pass: "
          f"{', '.join(f'{m:.2f}' for m in ms)} | best {min(ms):.2f} | median {statistics.median(ms):.2f}")
    if args.dump:
        args.dump.write_text(json.dumps(picked, ensure_ascii=False) + "\n")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        one_pass(clusters, args.method, args.words)
        prof.disable()
        st = pstats.Stats(prof, stream=sys.stdout).strip_dirs()
        st.sort_stats("cumulative").print_stats(args.profile)
        st.sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
