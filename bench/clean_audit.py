"""Audit the cleaner on real scraped text (Multi-News dev + the kislyak cluster).

Prints every dropped span with its reason, so over-dropping shows, and every
kept line that looks like boilerplate, so under-dropping shows; then counts by
reason. Read the output by eye: the rules are tuned against it.

    .venv/bin/python bench/clean_audit.py            # everything
    .venv/bin/python bench/clean_audit.py --counts   # only the counts
    .venv/bin/python bench/clean_audit.py --reason "photo credit" --no-kept
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from newsbrief.clean import clean
from newsbrief.model import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

_SUSPECT_WORDS = re.compile(
    r"https?:|www\.|(?<!\w)@\w|pic\.twitter\.com|\w/\w|©|\bGetty\b|\b(?:Photo|Image|Picture)s?\b|\bSubscrib|"
    r"\bnewsletter|\bcookies?\b|\bAdvertisement\b|\bClick\b|\bShare\b|^Follow\b|\bCopyright\b|"
    r"\b(?:Twitter|Facebook|Instagram)\b:|^\(?[A-Z ,]{3,}\((?:AP|Reuters|AFP|CNN)\)|\bRead more\b|^Related\b|"
    r"\bsign up\b|\b(?:caption|credit)\b|^(?:WATCH|VIDEO|PHOTOS?|LISTEN)\b|\bcontributed to this report")
_TWEET = re.compile(r"[—–-] .{1,60} \(@\w+\) \w+ \d{1,2}, \d{4}")
_END = re.compile(r"[.!?\"”’')\]]$")


def suspect(line: str) -> str | None:
    """Why a kept line looks like boilerplate, or None."""
    if _TWEET.search(line):
        return "tweet embed"
    m = _SUSPECT_WORDS.search(line)
    if m and len(line.split()) <= 40:
        return f"word {m.group(0)!r}"
    if len(line.split()) <= 6:
        return "short"
    if not _END.search(line):
        return "no end punctuation"
    return None


def articles():
    for p in sorted((DATA / "kislyak").glob("*.txt")):
        yield Article(id=f"kislyak/{p.stem}", raw=p.read_text(encoding="utf-8"))
    with open(DATA / "multinews" / "dev.jsonl", encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            for i, d in enumerate(row["documents"]):
                yield Article(id=f"{row['id']}/{i}", raw=d)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counts", action="store_true", help="only print counts by reason")
    ap.add_argument("--reason", help="only show drops with this reason")
    ap.add_argument("--no-kept", action="store_true", help="do not list suspicious kept lines")
    ap.add_argument("--no-dropped", action="store_true", help="do not list dropped lines")
    args = ap.parse_args(argv)
    if not (DATA / "multinews" / "dev.jsonl").exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1

    reasons: Counter[str] = Counter()
    kept_suspects: Counter[str] = Counter()
    n_docs = n_empty = 0
    out = sys.stdout
    for art in articles():
        n_docs += 1
        a = clean(art)
        if not a.text.strip():
            n_empty += 1
        for d in a.dropped:
            reasons[d.reason] += 1
            if not args.counts and not args.no_dropped and (args.reason is None or d.reason == args.reason):
                out.write(f"DROP {a.id} [{d.reason}] {d.text[:300]!r}\n")
        for line in filter(None, a.text.split("\n")):
            why = suspect(line)
            if why:
                kept_suspects[why.split(" ")[0]] += 1
                if not args.counts and not args.no_kept and args.reason is None:
                    out.write(f"KEEP {a.id} [{why}] {line[:300]!r}\n")
    print(f"\n{n_docs} documents, {n_empty} with no text left after cleaning")
    print("dropped by reason:")
    for r, c in reasons.most_common():
        print(f"  {c:6d}  {r}")
    print(f"  {sum(reasons.values()):6d}  total")
    print("kept lines flagged for review:", dict(kept_suspects.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
