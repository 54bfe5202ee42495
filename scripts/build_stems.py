"""Build the Porter stem table newsbrief ships
(``newsbrief/models/stems/porter.txt.gz``).

nltk's stemmer costs about 20 µs a word, and each process used to pay it
again for the same words: in a corpus batch every worker stemmed its ~50,000
distinct words itself (about 1 s of CPU per worker). The table holds the
stems of the content words (``newsbrief.text.tokens``: not stop words,
longer than one letter) used at least ``--min-count`` times in Multi-News
training documents, skipping the first ``--skip`` (2,000) clusters like
``scripts/build_idf.py``. A word not in the table is stemmed as before:
the table changes how fast a stem is found, never what it is.

The first line holds the sha256 of the nltk ``porter.py`` the stems came
from; a process whose nltk differs ignores the table.

    .venv/bin/python scripts/build_stems.py
"""

from __future__ import annotations

import argparse
import gzip
from collections import Counter
from pathlib import Path

from _training import add_training_args, training_documents

from newsbrief.text.tokens import STEMS_FILE, STOP_WORDS, porter_digest, porter_stem, words


def main() -> None:
    ap = argparse.ArgumentParser()
    add_training_args(ap)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--out", type=Path, default=STEMS_FILE)
    args = ap.parse_args()
    counts: Counter[str] = Counter()
    for docs in training_documents(args.data, args.skip):
        for d in docs:
            counts.update(words(d.replace("NEWLINE_CHAR", "\n")))
    kept = sorted(w for w, c in counts.items() if c >= args.min_count and w not in STOP_WORDS and len(w) > 1
                  and " " not in w and "\n" not in w)
    stems = [porter_stem(w) for w in kept]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # One line of words and one of their stems, space-separated: the loader
    # splits both in C and zips them into a dict. mtime=0: same data, same bytes.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(f"{porter_digest()}\n{' '.join(kept)}\n{' '.join(stems)}\n".encode())
    print(f"{args.out}: {len(kept)} words ({sum(s != w for s, w in zip(stems, kept))} with a different stem)")


if __name__ == "__main__":
    main()
