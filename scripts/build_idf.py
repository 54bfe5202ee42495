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
from collections import Counter
from pathlib import Path

from _training import add_training_args, training_documents

from newsbrief.stories.idf import DF_FILE
from newsbrief.text.tokens import content_words


def main() -> None:
    ap = argparse.ArgumentParser()
    add_training_args(ap)
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--out", type=Path, default=DF_FILE)
    args = ap.parse_args()
    df: Counter[str] = Counter()
    n = 0
    for docs in training_documents(args.data, args.skip):
        for d in docs:
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
