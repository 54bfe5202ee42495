"""What the build scripts share: the Multi-News training clusters, read
past the held-out slice that ``bench/stories.py --held-out`` checks on (so
no shipped table has seen its words)."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the scripts import newsbrief from this checkout


def add_training_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/multinews/train_truncated.jsonl.gz")
    ap.add_argument("--skip", type=int, default=2000, help="leading clusters left out (the held-out slice)")


def training_documents(path: Path, skip: int) -> Iterator[list[str]]:
    """Each cluster's documents, as stored, from cluster ``skip`` on."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= skip:
                yield json.loads(line)["documents"]
