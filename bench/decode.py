"""Encoding detection on real text: dev articles (and, for latin-1, validation
articles with accents) re-encoded as cp1252, latin-1, Mac Roman, UTF-16 and
UTF-8 with one cp1252 paragraph, half of them short; prints how many decode
back exactly, per encoding, and the first misses. The corpus is built from
../shared at run time (tests/decode_corpus.py).

    .venv/bin/python bench/decode.py            # 200 whole + 200 short articles per encoding
    .venv/bin/python bench/decode.py --per-kind 30
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from decode_corpus import build  # noqa: E402

from newsbrief.sources.decode import SourceError, decode_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-kind", type=int, default=200, help="whole and short articles per encoding")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    corpus = build(args.data, args.per_kind)
    for encoding, items in corpus.items():
        t0 = time.perf_counter()
        misses = []
        for name, data, expected in items:
            try:
                got = decode_text(data).text
            except SourceError as e:
                got = f"<{e}>"
            if got != expected:
                misses.append(name)
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(items))
        short = sum(name.endswith("short") for name, _, _ in items)
        print(f"{encoding:10} {len(items) - len(misses):4}/{len(items)} exact ({short} short)  {ms:.2f} ms/file"
              f"{'  misses: ' + ', '.join(misses[:5]) if misses else ''}")


if __name__ == "__main__":
    main()
