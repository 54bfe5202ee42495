"""Build the background document frequencies the story clusterer ships
(``newsbrief/models/idf/df.tsv.gz``).

Counts, for every content-word stem (``newsbrief.text.tokens.content_words``),
the number of Multi-News training documents using it, skipping the first
``--skip`` (2,000) clusters: those are the held-out check of
``bench/stories.py --held-out``, so no figure reported on them saw their
words. Stems in fewer than ``--min-df`` documents are left out (an unknown
stem counts as document frequency 0).

    .venv/bin/python scripts/build_idf.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsbrief.stories.idf import DF_FILE  # noqa: E402
from newsbrief.text.tokens import content_words  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/multinews/train_truncated.jsonl.gz")
    ap.add_argument("--skip", type=int, default=2000, help="leading clusters left out (the held-out slice)")
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--out", type=Path, default=DF_FILE)
    args = ap.parse_args()
    df: Counter[str] = Counter()
    n = 0
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i < args.skip:
                continue
            for d in json.loads(line)["documents"]:
                if d.strip():
                    df.update(set(content_words(d)))
                    n += 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted((t, c) for t, c in df.items() if c >= args.min_df)
    # mtime=0: the same data gives the same bytes
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(f"#documents\t{n}\n".encode())
        gz.write("".join(f"{t}\t{c}\n" for t, c in rows).encode())
    print(f"{args.out}: {len(rows)} stems, {n} documents")


if __name__ == "__main__":
    main()
