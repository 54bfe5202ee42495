"""Read the generated-sentence checker (newsbrief.briefing.check) on real
summary sentences: the extractive summaries of the dev clusters.

1. Self-check (false failures): every summary sentence, a faithful text by
   construction, checked against its own citations; once against the cited
   source sentences alone, once against ``evidence()`` (those plus the words
   the summary added for context in [brackets]). Every failure is a false one.
2. Perturbations (catch rate): from each summary sentence, where it applies,
   one crude automatic change of one fact: a number changed (+1), a name
   swapped for another name of the same story that the cited sentences lack,
   a word of a quotation replaced, a weekday or month changed, "former" put
   before an office title. Each changed sentence is checked against
   ``evidence()``; a pass is a miss.
3. With ``--judge MODEL`` (a .gguf file or an OpenAI-compatible URL): the
   model's own "is this supported?" probability
   (:func:`newsbrief.briefing.fuse.support`) on up to ``--judge-n`` summary
   sentences as they are (faithful) and on their perturbed forms; the AUC is
   the chance that a faithful sentence gets the higher probability (0.5:
   the judge tells nothing).

    .venv/bin/newsbrief batch ../shared/data/multinews/dev.jsonl /tmp/dev_briefs.jsonl
    .venv/bin/python bench/checker.py /tmp/dev_briefs.jsonl [--show 10] [--judge MODEL.gguf]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent)]

from newsbrief.briefing.check import check_sentence, evidence  # noqa: E402
from newsbrief.model import Briefing, SummarySentence  # noqa: E402

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October", "November",
          "December"]
NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+) ([A-Z][a-z]{2,})\b")
TITLE = re.compile(r"(?<![Ff]ormer )\b(President|Sen\.|Senator|Gov\.|Governor|Minister|Secretary|Mayor|Rep\.) (?=[A-Z])")


def number(s: str, _: list[str]) -> str | None:
    m = re.search(r"(?<![\w.,])\d+(?![\d.,]\d)", s)
    return s[:m.start()] + str(int(m.group(0)) + 1) + s[m.end():] if m else None


def name(s: str, others: list[str]) -> str | None:
    m = NAME.search(s)
    if not m:
        return None
    pick = next((o for o in others if o != m.group(2) and o not in s), None)
    return s[:m.start(2)] + pick + s[m.end(2):] if pick else None


def quote(s: str, _: list[str]) -> str | None:
    m = next((q for q in re.finditer(r'“([^”]*)”|"([^"]*)"', s) if len(q.group(0)) >= 14), None)
    if not m:
        return None
    words = list(re.finditer(r"[A-Za-z]{4,}", m.group(1) or m.group(2)))
    if len(words) < 2:
        return None
    w = max(words, key=lambda x: len(x.group(0)))
    at = m.start(1 if m.group(1) else 2) + w.start()
    return s[:at] + "completely" + s[at + len(w.group(0)):]


def when(s: str, _: list[str]) -> str | None:
    for names in (WEEKDAYS, MONTHS):
        m = re.search(r"\b(" + "|".join(names) + r")\b", s)
        if m:
            other = names[(names.index(m.group(1)) + 1) % len(names)]
            return s[:m.start()] + other + s[m.end():]
    return None


def office(s: str, _: list[str]) -> str | None:
    m = TITLE.search(s)
    return s[:m.start()] + "former " + s[m.start():] if m else None


PERTURB: dict[str, Callable[[str, list[str]], str | None]] = {
    "number": number, "name": name, "quotation": quote, "date": when, "office": office}

WORDS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen " \
        "eighteen nineteen".split()


def spelled(s: str) -> str | None:
    """Small numbers written out: "15 people" -> "fifteen people"."""
    out = re.sub(r"(?<![\w$€£.,:/-])([2-9]|1[0-9])(?![\w%.,:/-]|\.\d| ?%| percent)", lambda m: WORDS[int(m.group(1)) - 2], s)
    return out if out != s else None


def surname(s: str) -> str | None:
    """A person named by surname alone, outside quotations: "Sergey Kislyak said" -> "Kislyak said"."""
    quoted = [q.span() for q in re.finditer(r"[“\"][^”\"]*[”\"]", s)]
    m = next((m for m in NAME.finditer(s) if not any(a <= m.start() < b for a, b in quoted)), None)
    return s[:m.start()] + s[m.start(2):] if m else None


def attribution_first(s: str) -> str | None:
    """"X happened, police said." -> "Police said x happened."""
    m = re.match(r"^(.{20,}?), ((?:[\w.'’]+ ){0,4}(?:said|says|told [\w.]+))\.$", s)
    return f"{m.group(2)[0].upper()}{m.group(2)[1:]} {m.group(1)}." if m else None


FAITHFUL: dict[str, Callable[[str], str | None]] = {
    "numbers spelled out": spelled, "surname alone": surname, "attribution first": attribution_first}


def faithful(sentences: list[tuple[Briefing, SummarySentence]], show: int) -> None:
    """Rewrites that keep every fact, and two summary sentences merged into one text: each failure is false."""
    for kind, change in FAITHFUL.items():
        tried = failed = 0
        for _, s in sentences:
            text = change(s.text)
            if text is None:
                continue
            tried += 1
            r = check_sentence(text, evidence([s]))
            failed += not r.ok
            if not r.ok and show and failed <= show:
                print(f"  FALSE FAILURE ({kind}): {text[:160]!r}\n    {r.problems}")
        print(f"faithful rewrite {kind}: {failed}/{tried} false failures ({100 * failed / max(tried, 1):.1f}%)")
    pairs = [(a, b) for (x, a), (y, b) in zip(sentences, sentences[1:]) if x is y]
    bad = [(a, b) for a, b in pairs if not check_sentence(f"{a.text} {b.text}", evidence([a, b])).ok]
    print(f"faithful rewrite two sentences merged: {len(bad)}/{len(pairs)} false failures "
          f"({100 * len(bad) / max(len(pairs), 1):.1f}%)")


def story_names(b: Briefing) -> list[str]:
    """Surnames in the story's sources, most frequent first."""
    counts = Counter(m.group(2) for a in b.sources for m in NAME.finditer(a.text))
    return [n for n, _ in counts.most_common(30)]


def self_check(sentences: list[tuple[Briefing, SummarySentence]], show: int) -> None:
    for label, cited in (("cited sentences only", lambda s: [c.text for c in s.citations]), ("evidence()", None)):
        failed, reasons = 0, Counter()
        t0 = time.perf_counter()
        for _, s in sentences:
            r = check_sentence(s.text, cited(s) if cited else evidence([s]))
            if not r.ok:
                failed += 1
                reasons.update(p.split(" ", 1)[0].strip("'") for p in r.problems)
                if show and failed <= show:
                    print(f"  FALSE FAILURE: {s.text[:160]!r}\n    {r.problems}")
        ms = 1000 * (time.perf_counter() - t0) / len(sentences)
        print(f"self-check against {label}: {failed}/{len(sentences)} false failures "
              f"({100 * failed / len(sentences):.1f}%), {ms:.1f} ms a sentence; {dict(reasons)}")


def perturbed(sentences: list[tuple[Briefing, SummarySentence]], show: int) -> None:
    names = {id(b): story_names(b) for b, _ in sentences}
    for kind, change in PERTURB.items():
        tried = caught = 0
        for b, s in sentences:
            text = change(s.text, names[id(b)])
            if text is None or text == s.text:
                continue
            tried += 1
            r = check_sentence(text, evidence([s]))
            caught += not r.ok
            if r.ok and show and tried - caught <= show:
                print(f"  MISSED {kind}: {text[:160]!r}")
        print(f"perturbation {kind}: caught {caught}/{tried} ({100 * caught / max(tried, 1):.1f}%)")


def judge(sentences: list[tuple[Briefing, SummarySentence]], spec: str, n: int) -> None:
    """The model's support probability for faithful and perturbed sentences, and the AUC between them."""
    from newsbrief.briefing.fuse import support
    from newsbrief.llm import open_backend

    backend = open_backend(spec)
    names = {id(b): story_names(b) for b, _ in sentences}
    faithful_p: list[float] = []
    changed_p: dict[str, list[float]] = {kind: [] for kind in PERTURB}
    missing = 0
    t0 = time.perf_counter()
    for b, s in sentences[:n]:
        p = support(s.text, [s], backend)
        if p is None:
            missing += 1
            continue
        faithful_p.append(p)
        for kind, change in PERTURB.items():
            text = change(s.text, names[id(b)])
            if text is not None and text != s.text and (q := support(text, [s], backend)) is not None:
                changed_p[kind].append(q)
    calls = len(faithful_p) + missing + sum(map(len, changed_p.values()))
    print(f"judge {spec.rsplit('/', 1)[-1]}: {calls} calls, {(time.perf_counter() - t0) / max(calls, 1):.2f} s a call, "
          f"{missing} without a probability")
    mean = sum(faithful_p) / max(len(faithful_p), 1)
    print(f"  faithful: mean P(supported) {mean:.3f} over {len(faithful_p)}")
    every = [q for qs in changed_p.values() for q in qs]
    for kind, qs in [*changed_p.items(), ("all perturbations", every)]:
        if qs:
            print(f"  {kind}: mean {sum(qs) / len(qs):.3f} over {len(qs)}, AUC faithful > changed "
                  f"{auc(faithful_p, qs):.3f}")


def auc(higher: list[float], lower: list[float]) -> float:
    """P(a value of ``higher`` > one of ``lower``), ties counted half (Mann-Whitney)."""
    wins = sum((a > b) + 0.5 * (a == b) for a in higher for b in lower)
    return wins / max(len(higher) * len(lower), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("briefs", type=Path, help="a newsbrief batch output (JSONL of briefings)")
    ap.add_argument("--show", type=int, default=0, help="print up to N false failures and misses of each kind")
    ap.add_argument("--judge", metavar="MODEL", help="also read the model's own support probability (a .gguf or URL)")
    ap.add_argument("--judge-n", type=int, default=300, help="summary sentences the judge reads (default 300)")
    args = ap.parse_args()
    briefs = [Briefing.from_dict(json.loads(line)) for line in args.briefs.read_text().splitlines() if line.strip()]
    sentences = [(b, s) for b in briefs for s in b.summary]
    print(f"{len(briefs)} briefings, {len(sentences)} summary sentences")
    self_check(sentences, args.show)
    faithful(sentences, args.show)
    perturbed(sentences, args.show)
    if args.judge:
        judge(sentences, args.judge, args.judge_n)


if __name__ == "__main__":
    main()
