"""Contradictions: sources giving different values for the same thing,
with both values side by side (copies included: a reprint that changed a
value disagrees with its original).

Most come from the story's alignment (:mod:`newsbrief.analysis.story`): a
pair of sentences about the same thing whose shared slot holds incompatible
values (:mod:`newsbrief.analysis.values`: counts of people, amounts,
percentages, ages, durations, dates, weekdays, times of day, years), or
near-identical sentences naming different people. Three kinds are also
looked for across the whole story, because the sentences that carry them
need not align:

* death and injury tolls: two sentences that each give one count of dead
  and one of injured, agreeing on one and not the other ("three dead and
  at least six injured" vs "three were killed, at least three injured");
* the age of a named person (a person has one age in one story), unless
  the surname is shared by two people the story cannot tell apart;
* what a person is by training or profession ("a nuclear physicist by
  training" vs "a trained engineer"), from a closed list of professions:
  free-text descriptions are too varied to compare safely.

Precision first: a false alarm costs the reader more than a miss.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..model import Citation, Contradiction, Sentence
from ..text import stem
from ..text.tokens import STOP_WORDS
from ..text.lexicon import TITLES
from .story import Story
from .values import MODAL, Value, compatible, roles, same_person

__all__ = ["find_contradictions", "subject", "PROFESSIONS"]

PROFESSIONS = frozenset("""engineer physicist chemist biologist economist lawyer attorney doctor physician
surgeon nurse teacher professor journalist reporter editor banker accountant architect pilot soldier officer
farmer mathematician historian scientist diplomat actor actress singer musician writer novelist poet
programmer entrepreneur dentist pharmacist psychologist psychiatrist geologist astronomer linguist
philosopher sociologist judge priest pastor rabbi imam police detective firefighter mechanic electrician
carpenter chef veterinarian""".split())
_TRAINED = re.compile(
    r"\b(?:trained\s+(?:as\s+(?:an?\s+)?)?(?P<a>(?:[a-z]+\s+)?[a-z]+)|"
    r"(?P<b>(?:[a-z]+\s+)?[a-z]+)\s+by\s+(?:training|profession|trade|education))\b")
_APPOSITIVE = re.compile(r"\b([A-Z][a-z’'-]+),\s+(?:a|an)\s+((?:[a-z-]+\s+){0,2}?([a-z]+))(?=[,.;]|\s+(?:who|by|at|for|from|and)\b)")
_KIND = {"age": "age", "date": "date", "weekday": "date", "time": "time", "year": "date", "name": "name"}

NAME_COS = 0.4  # embedding cosine of two sentences that name one person two ways

Add = Callable[[str, str, list[str], Sentence, Sentence, str], None]


def find_contradictions(story: Story) -> list[Contradiction]:
    """Conflicting values between articles, one per kind and subject (a
    third article's value joins it)."""
    out: list[Contradiction] = []
    seen: dict[tuple[str, str], Contradiction] = {}

    def add(kind: str, subject: str, vals: list[str], sa: Sentence, sb: Sentence, note: str) -> None:
        """A new conflict, or a third source's value joining one on the same
        slot ("$2 million" / "$3 million" / "$2.5 million")."""
        key = (kind, subject.lower())
        c = seen.get(key)
        if c is None:
            seen[key] = c = Contradiction(kind, subject, [], [], note)
            out.append(c)
        for v, s in ((vals[0], sa), (vals[1], sb)):
            if s.source not in {x.source for x in c.citations}:
                c.values.append(v)
                c.citations.append(Citation.of(s))

    for p in story.pairs:
        if p.verdict != "conflicting":
            continue
        sa, sb = story.sentences[p.a], story.sentences[p.b]
        for x, y in p.conflicts:
            kind = _KIND.get(x.kind) or ("duration" if x.kind.startswith("duration") else "number")
            add(kind, subject(sa.text, x), [x.text, y.text], sa, sb,
                f"{x.kind.split(':')[0]} differs for the same {'person' if x.kind == 'age' else 'thing'}")
    _tolls_across(story, add)
    _ages_across(story, add)
    _names_across(story, add)
    _professions(story, add)
    return out


_LABEL = {"money": "amount", "percent": "share", "date": "date", "weekday": "day", "time": "time", "year": "year"}


def subject(text: str, v: Value) -> str:
    """What a value is about, in the sentence's own words: "people killed",
    "repairs", "amount (state pledged)"."""
    if v.kind == "count":
        return f"people {v.head}"
    if v.kind == "age":
        return v.head
    if v.kind == "name":
        return f"{v.head.capitalize()}'s surname"
    if not v.head:
        near = [w for w in re.findall(r"[A-Za-z’'-]+", text[max(0, v.start - 40):v.start])
                if w.lower() not in STOP_WORDS][-2:]
        label = _LABEL.get(v.kind, v.kind.split(":")[-1])
        return f"{label} ({' '.join(near)})" if near else label
    if v.head.startswith("pre:"):
        before = re.findall(r"[A-Za-z’'-]+", text[:v.start])[-3:]
        return next((w for w in reversed(before) if stem(w.lower()) == v.head[4:]), v.head[4:])
    tail = re.findall(r"[A-Za-z’'-]+", text[v.start + len(v.text):])[:4]
    return next((w for w in tail if stem(w.lower()) == v.head), v.head)


def _tolls_across(story: Story, add: Add) -> None:
    """Death and injury tolls across the story, without sentence alignment
    (a lead and a terse summary of the same event embed far apart): two
    sentences that each give exactly one count of dead and one of injured
    are about the same event when one count agrees. A lone toll elsewhere
    (an earlier shooting) is never compared this way."""
    both = []
    for i in story.statements:
        s = story.sentences[i]
        if MODAL.search(s.text):
            continue
        t: dict[str, list[Value]] = {}
        for v in story.values_of(i):
            if v.kind == "count" and v.head in ("killed", "injured"):
                t.setdefault(v.head, []).append(v)
        if set(t) == {"killed", "injured"} and all(len(x) == 1 for x in t.values()):
            both.append((i, {k: x[0] for k, x in t.items()}))
    for n, (i, ta) in enumerate(both):
        for j, tb in both[n + 1:]:
            if story.article_of(i) == story.article_of(j):
                continue
            for same, other in (("killed", "injured"), ("injured", "killed")):
                if compatible(ta[same], tb[same]) and not compatible(ta[other], tb[other]):
                    add("number", f"people {other}", [ta[other].text, tb[other].text], story.sentences[i], story.sentences[j],
                        f"the sources agree on the {same} but not on the {other}")


def _ages_across(story: Story, add: Add) -> None:
    """Ages of a named person across the story: a person has one age in one
    story. Skipped when a source gives the person two ages itself, or when
    the surname alone is given and the story names two people with that
    surname (unless one is the article's main person, named far more)."""
    text = " ".join(a.text for a in story.articles)
    ages: list[tuple[Value, int]] = [(v, i) for i in story.statements for v in story.values_of(i)
                                     if v.kind == "age" and v.head[:1].isupper()]
    mains = [m.split()[-1] if m else "" for m in story.main_people]
    titles = {t.capitalize() for t in TITLES} | {"The", "And", "But", "When"}

    def ambiguous(v: Value, i: int) -> bool:
        if len(v.head.split()) > 1:
            return False
        firsts = Counter(f for f in re.findall(r"\b([A-Z][a-z]+)\s+" + re.escape(v.head) + r"\b", text)
                         if f not in titles)
        if len(firsts) <= 1:
            return False
        top = firsts.most_common(1)[0][1]
        return v.head != mains[story.article_of(i)] or top < 3 * (sum(firsts.values()) - top)

    for n, (x, i) in enumerate(ages):
        for y, j in ages[n + 1:]:
            di, dj = story.article_of(i), story.article_of(j)
            if di == dj or not same_person(x.head, y.head) or compatible(x, y):
                continue
            if ambiguous(x, i) or ambiguous(y, j) or any(
                    story.article_of(k) in (di, dj) and same_person(v.head, x.head) and v.value in (x.value, y.value)
                    and story.article_of(k) != (di if v.value == x.value else dj) for v, k in ages):
                continue  # a source that gives both ages itself
            add("age", x.head if len(x.head) >= len(y.head) else y.head, [x.text, y.text],
                story.sentences[i], story.sentences[j], "age differs for the same person")


def _names_across(story: Story, add: Add) -> None:
    """One person named two ways by two sources, across the story: the same
    given name and the same title or role around it, different surnames
    ("meteorologist Robert Ricks" / "meteorologist Robert Okonkwo"), when one
    surname never appears in the other article and both are proper names in
    this story."""
    people = {n.lower() for e in story.entities if e.type == "PERSON" for n in [e.name, *e.aliases]}

    def person(v: Value) -> bool:  # the parser saw a person there, not a place ("New York", "North Korea")
        full = f"{v.head} {v.text.lower()}"
        return any(full in p for p in people)

    names = [(v, i) for i in story.statements for v in story.values_of(i) if v.kind == "name"]
    for n, (x, i) in enumerate(names):
        for y, j in names[n + 1:]:
            if x.head != y.head or story.article_of(i) == story.article_of(j) or compatible(x, y) \
                    or not (person(x) or person(y)):
                continue
            if roles(story.sentences[i].text, x, story.sentences[j].text, y) != "one":
                continue
            if float(story.vectors([i])[0] @ story.vectors([j])[0]) < NAME_COS:
                continue  # the two sentences tell different things: maybe two people of one given name
            if story.other_person(i, x, j, y):
                add("name", f"{x.head.capitalize()}'s surname", [x.text, y.text], story.sentences[i],
                    story.sentences[j], "one person, two surnames")


def _profession(phrase: str) -> str:
    return next((w for w in reversed(re.findall(r"[a-z]+", phrase)) if w in PROFESSIONS), "")


def _professions(story: Story, add: Add) -> None:
    """What the same person was trained as, or is, across the story."""
    mains = story.main_people
    claims: dict[str, list[tuple[str, str, int]]] = {}
    for i in story.statements:
        s = story.sentences[i]
        main = mains[story.article_of(i)]
        for m in _TRAINED.finditer(s.text):
            phrase = re.sub(r"\s+(?:who|that|which|and)$", "", m.group(0))
            prof = _profession(phrase)
            who = _who(s.text, m.start(), main)
            if prof and who:
                claims.setdefault(who.split()[-1].lower(), []).append((phrase, prof, i))
        for m in _APPOSITIVE.finditer(s.text):
            if m.group(3) in PROFESSIONS:
                claims.setdefault(m.group(1).lower(), []).append((m.group(2), m.group(3), i))
    for who, cs in claims.items():
        for n, (pa, na, i) in enumerate(cs):
            for pb, nb, j in cs[n + 1:]:
                if story.article_of(i) != story.article_of(j) and na != nb:
                    add("description", f"{who.title()}'s training/profession", [pa, pb], story.sentences[i],
                        story.sentences[j], f"{na} vs {nb}")


def _who(text: str, at: int, main: str) -> str:
    """Who a description at ``at`` is about: the article's main person when
    the sentence names them or names nobody before it ("he's a trained
    engineer"), else nobody (precision: a name nearby may be someone else)."""
    surname = main.split()[-1] if main else ""
    names = [w for w in re.findall(r"\b[A-Z][a-z’'-]{2,}\b", text[:at])]
    if surname and (surname in text or not names[1:]):
        return main
    return ""
