"""Background document frequencies for the story clusterer's TF-IDF.

Counting document frequencies online gives the first articles of a stream
poor weights (after ten articles every word is rare). The clusterer starts
instead from frequencies counted once over Multi-News training documents
(``scripts/build_idf.py``; content-word stems only, ~50,000 stems, shipped
gzipped in ``newsbrief/models/idf/``) and adds the stream's own counts to them.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["DF_FILE", "Background", "IdfError", "background"]

DF_FILE = Path(__file__).resolve().parents[1] / "models" / "idf" / "df.tsv.gz"


class IdfError(RuntimeError):
    """The background frequency file is missing or malformed (one-line message)."""


@dataclass(frozen=True, slots=True)
class Background:
    """``df[stem]`` documents out of ``documents`` use the stem."""

    documents: int = 0
    df: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=4)
def background(path: str | Path | None = None) -> Background:
    """The shipped background frequencies (read once per process)."""
    p = Path(path) if path is not None else DF_FILE
    try:
        with gzip.open(p, "rt", encoding="utf-8") as f:
            head = f.readline().rstrip("\n").split("\t")
            if len(head) != 2 or head[0] != "#documents":
                raise IdfError(f"{p}: not a document-frequency file (first line should be '#documents<TAB>N')")
            df = {}
            for n, line in enumerate(f, 2):
                t, _, c = line.rstrip("\n").partition("\t")
                if not c.isdigit():
                    raise IdfError(f"{p}:{n}: expected 'stem<TAB>count'")
                df[t] = int(c)
            return Background(int(head[1]), df)
    except (OSError, EOFError, ValueError) as e:
        raise IdfError(f"cannot read background document frequencies {p}: {e}") from None
