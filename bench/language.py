"""Language detection (issue 17): false flags on real English text, what it
finds in the project's own non-English texts, and its cost.

    .venv/bin/python bench/language.py [--data ../shared/data] [--val 5622] [--repeat 3]

Precision: :func:`newsbrief.text.language.non_english` on every Multi-News
dev article as a briefing sees it (cleaned), on the raw documents, their
paragraphs and sentences, their first N words (headline-length English), the
same sentences upper- and lower-cased, and on the articles of the first
``--val`` Multi-News val clusters (lower-cased, tokenised text). Every flag
is printed: on English text each one is a false flag.

Recall: the six articles of ``tests/fixtures/languages`` (German, French,
Spanish, Chinese, Arabic, Russian, written for this project), whole, by
sentence and by prefixes of N words (characters for Chinese): the length
below which a text is not judged.

Cost: the detector per article (best of --repeat) and the briefing of each
dev cluster with and without the check (``brief_articles``, no analysis).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import statistics
import time
from pathlib import Path

from newsbrief.pipeline import brief_articles, prepare
from newsbrief.sources import iter_clusters
from newsbrief.text.language import MIN_SHARE, MIN_TEXT_BYTES, non_english

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "languages"
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


def flags(label: str, texts: list[str]) -> int:
    """Print and count the texts called non-English."""
    hits = [(lang, t) for t in texts if (lang := non_english(t))]
    print(f"  {label:<34} {len(texts):>6} texts  {len(hits):>3} flagged")
    for lang, t in hits[:5]:
        print(f"      {lang.code} {lang.share}%: {t[:70]!r}")
    return len(hits)


def precision(data: Path, val: int) -> None:
    clusters = list(iter_clusters(data / "multinews" / "dev.jsonl"))
    raw = [a.raw for c in clusters for a in c.articles]
    cleaned = [a.text for c in clusters for a in prepare(c.articles)]
    paras = [p for d in raw for p in d.split("\n") if p.strip()]
    sents = [s for d in raw for s in SENTENCE_END.split(d) if s.strip()]
    print(f"English (Multi-News dev, {len(clusters)} clusters); a flag here is a false flag")
    total = flags("articles, cleaned", cleaned) + flags("documents, raw", raw)
    total += flags("paragraphs", paras) + flags("sentences", sents)
    total += flags("sentences, UPPER CASE", [s.upper() for s in sents])
    total += flags("sentences, lower case", [s.lower() for s in sents])
    for n in (3, 5, 8, 12, 20):
        total += flags(f"first {n} words", [" ".join(d.split()[:n]) for d in raw])
    with gzip.open(data / "multinews" / "val_truncated.jsonl.gz", "rt", encoding="utf-8") as f:
        docs = [d for line in itertools.islice(f, val) for d in json.loads(line)["documents"]]
    print(f"Multi-News val, first {val} clusters (lower-cased, tokenised; some pages are not English)")
    flags("documents", docs)
    print(f"false flags on dev English: {total}")


def recall() -> None:
    print(f"\nOwn non-English texts ({FIXTURES.relative_to(ROOT)}); judged from {MIN_TEXT_BYTES} bytes, "
          f"{MIN_SHARE}% in one language")
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang = non_english(text)
        sents = [s for s in SENTENCE_END.split(text.replace("\n", " ")) if s.strip()]
        cut = list(text) if path.stem == "zh" else text.split()
        joiner = "" if path.stem == "zh" else " "
        shortest = next((n for n in range(1, len(cut) + 1) if non_english(joiner.join(cut[:n]))), None)
        unit = "characters" if path.stem == "zh" else "words"
        print(f"  {path.stem}: whole -> {lang.code if lang else 'not flagged'}; "
              f"sentences flagged {sum(bool(non_english(s)) for s in sents)}/{len(sents)}; "
              f"flagged from the first {shortest} {unit}")


def cost(data: Path, repeat: int) -> None:
    clusters = list(iter_clusters(data / "multinews" / "dev.jsonl"))
    texts = [a.text for c in clusters for a in prepare(c.articles)]
    best = min(_time(lambda: [non_english(t) for t in texts]) for _ in range(repeat))
    print(f"\nCost: {best / len(texts) * 1000:.3f} ms per article (dev, {len(texts)} cleaned articles, "
          f"mean {statistics.mean(len(t) for t in texts):.0f} characters)")
    with_check = [min(_time(lambda: brief_articles(c.articles)) for _ in range(repeat)) for c in clusters]
    prep = [min(_time(lambda: prepare(c.articles, english=True)) for _ in range(repeat))
            - min(_time(lambda: prepare(c.articles)) for _ in range(repeat)) for c in clusters]
    print(f"  briefing a dev cluster (no analysis): median {statistics.median(with_check) * 1000:.1f} ms; "
          f"the check's share: median {statistics.median(prep) * 1000:.2f} ms")


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--val", type=int, default=5622, help="Multi-News val clusters to read (all: 5622)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    precision(args.data, args.val)
    recall()
    cost(args.data, args.repeat)


if __name__ == "__main__":
    main()
