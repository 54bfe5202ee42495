"""Typed values in a sentence, and whether two sentences' values agree.

A cross-source pair of sentences about the same thing is only "the same"
statement when the values it gives are compatible: "killed five" and "seven
people died" are about one slot (the dead) and disagree. This module finds
the values a news sentence gives (counts of people, amounts of money,
percentages, plain counts of a noun, ages, durations, dates, weekdays,
times of day, years) with the *slot* each fills, and :func:`compare` judges
two sentences: ``same`` when a shared slot holds compatible values and none
conflicts, ``conflicting`` when a shared slot holds incompatible ones.

Compatibility is generous on purpose (precision first: a conflict shown to a
reader must be real): rounding within 10% ("$12.4 million", "$12 million"),
30% when either side is approximate ("about"), a bound read as one ("at
least 17" allows 23, not 15; two bounds of one kind, "at least six" and "at
least three", are two counts and are compared as such), a less precise date
matching a more precise one ("in May", "May 3"), an hour matching a time in
it. Ranges, comparisons and modal amounts ("up to", "could") are never
values. Regexes, not a parser: the forms that matter in news are few, and a
regex keeps the exact text for the reader.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..text import content_words, stem
from ..text.lexicon import CALENDAR, COURTESY_TITLES, NOT_SURNAMES, ROLE_WORDS, SPEECH_VERBS, TITLES
from ..text.tokens import STOP_WORDS

__all__ = ["Value", "values", "compatible", "Comparison", "compare", "MODAL", "same_person", "names_in", "same_frame", "roles",
           "spelling_variants"]

TOLERANCE, HEDGED_TOLERANCE = 0.1, 0.3
CONTEXT_LEX = 0.5  # share of the words around two head-less values (a date, a time) that must match
ROLE = 3  # words before a name (twice as many after it, in an apposition) that can tell a person's role
FRAME = 2  # words either side of a value that, all equal, make two values fill one slot
PARAPHRASE_CONTEXT = 0.3  # the same, in two sentences already known to say the same thing
ANCHOR_CONTEXT = 0.6  # the same, when only the values' surroundings say the sentences are about one thing...
ANCHOR_CONTEXT_WHEN = 0.3  # ...less for a time or a date, which few things in one story share

_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12}
_HEDGE = (r"about|around|approximately|nearly|almost|roughly|some|over|more than|less than|fewer than|at least|"
          r"an estimated|estimated|close to|upwards of|just over|just under|as many as")
_WORDNUM = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                       "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WORDNUM |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
             "hundred": 100, "a dozen": 12, "dozens": 24, "a hundred": 100}
_WN = "|".join(sorted((re.escape(w) for w in _WORDNUM), key=len, reverse=True))
_N = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"

_NUMBER = re.compile(
    r"(?P<hedge>\b(?:" + _HEDGE + r")\s+)?"
    r"(?P<cur>[$€£]\s?)?(?P<n>" + _N + r")"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|[mbk])\b)?"
    r"(?P<pct>\s?(?:%|percent\b|per cent\b))?")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_WORD = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
               r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = re.compile(r"\b(?P<month>" + _MONTH_WORD + r")(?![a-z])(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?"
                   r"(?:,?\s+(?P<year>1[89]\d\d|20\d\d)\b)?")
_MONTH_BEFORE = re.compile(r"\b" + _MONTH_WORD + r"\s*$")
_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+|this\s+|next\s+)?(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                      r"Sunday)\b")
_TIME = re.compile(r"(?P<hedge>\b(?:about|around|approximately|shortly (?:after|before)|just (?:after|before)|"
                   r"roughly)\s+)?\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![a-z])"
                   r"|\b(?P<word>noon|midnight)\b", re.I)
_YEAR = re.compile(r"\b(?:in|since|by|until|of|from)\s+(?P<y>1[89]\d\d|20\d\d)\b(?!\s*(?:-|–|to|and|or)\s*\d)")
_NUMBER_WORD = re.compile(r"\b(?:" + _WN + r")\b", re.I)
_YEARISH = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_AGE = re.compile(r"(?<!then-)(?<!then )\b(\d{1,3}|(?i:" + _WN + r"))-year-old\s+((?:[A-Z](?:[\w’'-]+|\.)\s)*[A-Z][\w’'-]+|[a-z]+)"
                  r"|\b((?:[A-Z](?:[\w’'-]+|\.)\s){0,2}[A-Z][\w’'-]+),\s(\d{1,3}),")
_RANGE = re.compile(r"^-?\s*(?:to|-|–|or|and|versus|vs\.?)\s*[$€£]?(?:\d+|" + _WN + r")\b|(?:\b(?:between|from|to|or|versus|vs\.?)|[-–])\s*[$€£]?$"
                    r"|\d\s+(?:and|or)\s+$")
MODAL = re.compile(r"\b(?:if|could|would|might|may|up to|as much as|as many as|expected to|plans? to|proposed)\b")
_DURATION = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]"
                       r"(year|month|week|day|hour|minute)s?\b(?:[- ]long)?(?!,? \d)(?!-old)")
_PEOPLE = (r"people|persons|others|victims|civilians|children|students|protesters|demonstrators|passengers|"
           r"soldiers|officers|workers|residents|migrants|men|women|adults|teenagers|patients")
_COUNT_VERB = (r"killed|dead|died|deaths?|injured|wounded|hurt|arrested|detained|missing|evacuated|rescued|"
               r"hospitali[sz]ed|attended|attending|fired|laid off|charged|convicted|indicted")
# "five people were killed", "Seven people died", "at least 12 injured"
_COUNT_AFTER = re.compile(r"(?P<hedge>\b(?:" + _HEDGE + r")\s+)?\b(?P<n>\d{1,3}(?:,\d{3})*|(?i:" + _WN + r"))\s+"
                          r"(?:(?:more\s+|other\s+)?(?:" + _PEOPLE + r"|[A-Z][a-z]+ns|[A-Z][a-z]+is)\s+)?(?:(?:were|was|are|have been|had been|"
                          r"have|had)\s+)?(?:(?:critically|seriously|fatally|badly|also)\s+)?"
                          r"(?P<what>" + _COUNT_VERB + r")\b", re.I)
# "killed five", "injuring at least 12 people", "the death toll rose to 7"
_COUNT_BEFORE = re.compile(r"\b(?P<what>killed|killing|injured|injuring|wounded|wounding|arrested|arresting|"
                           r"evacuated|rescued|death toll (?:of|at|to|rose to|stood at|stands at|climbed to|is|was))"
                           r"\s+(?P<hedge>(?:" + _HEDGE + r")\s+)?(?P<n>\d{1,3}(?:,\d{3})*|(?i:" + _WN + r"))"
                           r"(?!\s*(?:-|–|years?|%|percent|\.\d|[$€£]))\b", re.I)
_COUNT_KIND = {"killed": "killed", "killing": "killed", "dead": "killed", "died": "killed", "death": "killed",
               "deaths": "killed", "injured": "injured", "injuring": "injured", "wounded": "injured",
               "wounding": "injured", "hurt": "injured", "arrested": "arrested", "arresting": "arrested",
               "detained": "arrested", "missing": "missing", "evacuated": "evacuated", "rescued": "rescued",
               "hospitalized": "hospitalized", "hospitalised": "hospitalized", "attended": "attending",
               "attending": "attending", "fired": "fired", "laid off": "fired", "charged": "charged",
               "convicted": "convicted", "indicted": "charged"}
# A person's name: a given name and a surname ("Laurie Graber", "Susana D.
# Gonzalez"); the given name is the slot, the surname the value, so "Officer
# Laurie Graber" and "Officer Laurie Marchetti" fill one slot differently.
_PERSON = re.compile(r"(?=\b(?P<given>[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\s+(?:[A-Z]\.\s+)?"  # overlapping: "Police Officer Laurie Graber"
                     r"(?P<surname>[A-Z][a-z][\w-]*[a-z])(?:['’]s)?\b(?![\w’'-])(?!\s+[A-Z][a-z]))")  # the last of the run
_CHILD = {"boy": "m", "son": "m", "girl": "f", "daughter": "f", "child": "", "toddler": "", "baby": "", "infant": "",
          "kid": ""}
_SKIP_HEAD = {"more", "than", "new", "additional", "extra", "other", "total", "of", "in", "for", "to", "the",
              "a", "an", "and", "or", "some", "about", "nearly", "only", "per", "each", "people's", "times", "its", "their",
              "his", "her", "our", "these", "those"}
_PARTITIVE = {"counts", "count", "charges", "charge", "cases", "case", "instances", "pieces", "units", "rounds"}
_HEAD_BEFORE_SKIP = _SKIP_HEAD | {"is", "was", "are", "were", "be", "been", "has", "had", "have", "with", "at", "by",
                                  "on", "its", "his", "her", "their", "estimated", "put", "puts", "valued"}
_GENERIC_PEOPLE = {"man", "woman", "boy", "girl"}
_NOT_NAMES = STOP_WORDS | NOT_SURNAMES | CALENDAR | TITLES
_VERB_LIKE = re.compile(r"(?:ed|ing|ly)$")  # "said Bob Dunn" / "said Bob Smith" share no role


@dataclass(frozen=True, slots=True)
class Value:
    """One value as written, and the slot it fills.

    ``kind``: count (of people, by what happened to them), number (of a
    noun), money, percent, age, duration:<unit>, date, weekday, time, year.
    ``head``: what it is about (the stem of the counted noun, ``killed`` for
    a count of the dead, the person aged); empty for dates and times, whose
    slot is found from the words around them. ``value``: a number, or for a
    date a (year, month, day) tuple with 0 for what is not given."""

    kind: str
    text: str
    value: float | tuple[int, int, int]
    head: str
    start: int
    hedged: bool = False
    bound: str = ""  # "min" for "at least", "more than"; "max" for "up to", "fewer than"


_MIN_HEDGE = re.compile(r"\b(?:over|more than|at least|upwards of|just over)\b", re.I)
_MAX_HEDGE = re.compile(r"\b(?:less than|fewer than|up to|just under|as many as)\b", re.I)


def _bound(hedge: str | None) -> str:
    if not hedge:
        return ""
    return "min" if _MIN_HEDGE.search(hedge) else "max" if _MAX_HEDGE.search(hedge) else ""


def _num(n: str, scale: str | None) -> float:
    return float(n.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)


def _int(n: str) -> float:
    return float(_WORDNUM.get(n.lower(), 0)) if not n[0].isdigit() else float(n.replace(",", ""))


_UNITS = {"lbs": "pound", "lb": "pound", "kg": "kilogram", "kgs": "kilogram", "km": "kilometer", "kms": "kilometer",
          "mi": "mile", "ft": "feet", "mph": "mile", "sq": "square", "yds": "yard", "hrs": "hour", "mins": "minute"}


def _head(after: str) -> str:
    """The noun a value is about: the first word after it that is not a
    modifier, within the same clause (abbreviated units spelled out)."""
    ws = re.findall(r"[A-Za-z’'-]+", re.split(r"[,;:()—–]|\.(?!\w)", after, maxsplit=1)[0])[:4]
    for k, w in enumerate(ws):
        if w.lower() == "to":
            return ""  # "$2 million to help ...": what follows is a purpose, not the thing counted
        if w[0].isupper() and k + 1 < len(ws) and ws[k + 1].islower():
            continue  # "86 UNRWA schools": a name before the noun counted
        if w.lower() in _PARTITIVE and k + 1 < len(ws) and ws[k + 1].lower() == "of":
            continue  # "31 counts of felony conspiracy" and "12 of felony conspiracy": the felony is counted
        if w.lower() not in _SKIP_HEAD:
            return stem(_UNITS.get(w.lower(), w.lower()))
    return ""


def _head_before(before: str) -> str:
    """The noun a value ending its clause is about: "a net worth of $1.7
    billion", "worth about $2.5bn". Only a word followed by "of", or
    "worth": a verb before an amount ("bail was set at $100,000") says
    nothing of what it is."""
    m = re.search(r"\b([a-z][a-z’'-]+)\s+(?:of\s+)$", before) or re.search(r"\b(worth)\s+$", before)
    if not m or m.group(1) in _HEAD_BEFORE_SKIP:
        return ""
    return "pre:" + stem(m.group(1))


def _inside(at: int, taken: list[tuple[int, int]]) -> bool:
    return any(a <= at < b for a, b in taken)


# One kind of value found in a text: each with the span it takes.
_Found = Iterator[tuple[Value, tuple[int, int]]]


def values(text: str) -> list[Value]:
    """Every value of ``text`` with its slot, each span read once (a count
    of people is not also a plain number; a date's day is not a number):
    the kinds are read in this order, each skipping what an earlier one took."""
    out: list[Value] = []
    taken: list[tuple[int, int]] = []
    # Most sentences hold no number: the patterns that need one are skipped
    # (they are most of the cost).
    digit = any(c.isdigit() for c in text)
    counted = digit or bool(_NUMBER_WORD.search(text))
    kinds: list[_Found] = [
        *((_counts(text, taken), _ages(text, taken)) if counted else ()),
        *((_times(text),) if digit or "noon" in text or "midnight" in text else ()),
        _dates(text, taken), _weekdays(text, taken), _names(text, taken),
        *((_years(text, taken),) if digit else ()),
        _durations(text, taken),
        *((_numbers(text, taken),) if digit else ()),
    ]
    for found in kinds:
        for v, span in found:  # taken grows as the finders go: each sees what came before it
            out.append(v)
            taken.append(span)
    return out


def _counts(text: str, taken: list[tuple[int, int]]) -> _Found:
    """Counts of people or things ("more than 30 people", "dozens of homes")."""
    for pat in (_COUNT_AFTER, _COUNT_BEFORE):
        for m in pat.finditer(text):
            if _inside(m.start("n"), taken):
                continue
            # "the death toll rose to 7": that "to" is the verb's, not a range's end
            before = "" if m.group("what").lower().endswith(" to") else text[max(0, m.start("n") - 10):m.start("n")]
            if _RANGE.search(before) or _RANGE.search(text[m.end("n"):m.end("n") + 12]):
                continue  # "between 20 and 30 people": a range, not one count
            what = m.group("what").lower().split()[0]
            n = _int(m.group("n"))
            if n:
                yield Value("count", m.group(0).strip(), n, _COUNT_KIND[what], m.start(), bool(m.group("hedge")),
                            _bound(m.group("hedge"))), m.span()


def _ages(text: str, taken: list[tuple[int, int]]) -> _Found:
    """Ages ("Smith, 45,", "the 45-year-old")."""
    for m in _AGE.finditer(text):
        if _inside(m.start(), taken):
            continue
        if m.group(1):
            yield Value("age", m.group(0), _int(m.group(1)), m.group(2), m.start()), m.span()
        else:
            yield Value("age", m.group(0).rstrip(","), float(m.group(4)), m.group(3), m.start()), m.span()


def _times(text: str) -> _Found:
    """Times of day, in minutes after midnight."""
    for m in _TIME.finditer(text):
        if m.group("word"):
            minutes = 12 * 60 if m.group("word").lower() == "noon" else 0
            yield Value("time", m.group(0), float(minutes), "", m.start()), m.span()
            continue
        h, mm = int(m.group("h")), m.group("m")
        if h > 12 or (mm and int(mm) > 59):
            continue
        pm = m.group("ap").lower().startswith("p")
        minutes = (h % 12 + (12 if pm else 0)) * 60 + (int(mm) if mm else 0)
        # A time given to the hour is "within the hour": stored with -1 minutes.
        yield Value("time", m.group(0).strip(), float(minutes if mm else -minutes - 1), "", m.start(),
                    bool(m.group("hedge"))), m.span()


def _dates(text: str, taken: list[tuple[int, int]]) -> _Found:
    """Dates, as (year, month, day) with 0 for what is not given."""
    for m in _DATE.finditer(text):
        if _inside(m.start(), taken) or (m.group("month") in ("May", "March") and not (m.group("day") or m.group("year"))
                                         and not re.search(r"\b(?:in|since|by|until|early|late|mid-?|last|next|this)\s+$",
                                                           text[:m.start()])):
            continue  # "may" and "march" are also a verb and a noun: a bare one needs "in May"
        month = _MONTHS.index(m.group("month")[:3].lower()) + 1
        day = int(m.group("day")) if m.group("day") else 0
        year = int(m.group("year")) if m.group("year") else 0
        if day > 31 or _RANGE.search(text[m.end():m.end() + 12]):
            continue
        written = m.group(0).strip()
        if not day and not year:
            month_word = m.group("month").rstrip(".")
            if len(month_word) > 3 or month_word == "May":  # "in June." ends the sentence; "Oct." keeps its dot
                written = month_word
        yield Value("date", written, (year, month, day), "", m.start()), m.span()


def _weekdays(text: str, taken: list[tuple[int, int]]) -> _Found:
    """Days of the week, Monday = 0."""
    for m in _WEEKDAY.finditer(text):
        if not _inside(m.start("day"), taken):
            yield Value("weekday", m.group("day"), float(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                                           "Saturday", "Sunday"].index(m.group("day"))), "",
                        m.start("day")), m.span()


def _names(text: str, taken: list[tuple[int, int]]) -> _Found:
    """A person's surname, with the given name as its slot (two sources may spell it differently)."""
    for m in _PERSON.finditer(text):
        given, surname = m.group("given"), m.group("surname")
        if {given.lower(), surname.lower()} & _NOT_NAMES or _inside(m.start("given"), taken):
            continue
        yield Value("name", surname, 0.0, given.lower(), m.start("surname")), (m.start("given"), m.end("surname"))


def _years(text: str, taken: list[tuple[int, int]]) -> _Found:
    """Years on their own ("in 2009"), not one end of a range."""
    for m in _YEAR.finditer(text):
        if not _inside(m.start("y"), taken) and not _RANGE.search(text[max(0, m.start("y") - 10):m.start("y")]):
            yield Value("year", m.group("y"), float(m.group("y")), "", m.start("y")), m.span("y")


def _durations(text: str, taken: list[tuple[int, int]]) -> _Found:
    """Durations ("nine years", "a month"), the unit in the kind."""
    for m in _DURATION.finditer(text):
        n = m.group(1)
        v = float(_WORDNUM.get(n.lower(), 0) or (n.isdigit() and int(n)) or (1 if n.lower() in ("a", "an") else 0))
        if _RANGE.search(text[m.end(1):m.end(1) + 12]) or _RANGE.search(text[max(0, m.start() - 10):m.start()]):
            continue  # "a nine- to 33-year sentence": a range
        if v and text[max(0, m.start() - 2):m.start()] not in (", ", "s ") and not _inside(m.start(), taken):
            yield Value("duration:" + m.group(2), m.group(0), v, "", m.start()), m.span()  # its slot: the words around it


def _numbers(text: str, taken: list[tuple[int, int]]) -> _Found:
    """Amounts of money, shares and plain numbers with the noun they count."""
    for m in _NUMBER.finditer(text):
        s, e = m.span("n")
        if _inside(s, taken):
            continue
        n, cur, pct, scale = m.group("n"), m.group("cur"), m.group("pct"), m.group("scale")
        if not cur and not pct and not scale:
            if _YEARISH.fullmatch(n) or _MONTH_BEFORE.search(text[:s]) or text[e:e + 2] in ("th", "st", "nd", "rd") \
                    or text[e:e + 1] in ":-/" or text[max(0, s - 1):s] in "-/#:":
                continue
        if _RANGE.search(text[m.end():m.end() + 12]) or _RANGE.search(text[max(0, m.start() - 10):m.start()]):
            continue  # a range or a comparison: not one value
        kind = "money" if cur else "percent" if pct else "number"
        after = text[m.end():]
        if kind == "number" and (d := re.match(r"\s+(?:dollars|euros)\b", after)):
            kind, after = "money", after[d.end():]  # "113 million dollars" is "$113 million"
        head = _head(after) or _head_before(text[:m.start()])
        if head or kind != "number":  # an amount or a share without a noun: its slot is found from the words around it
            yield Value(kind, m.group(0).strip(), _num(n, scale), head, m.start(), bool(m.group("hedge")),
                        _bound(m.group("hedge"))), m.span()


def compatible(a: Value, b: Value) -> bool:
    """Whether two values of one slot can both be true: amounts within
    rounding, a date with a more precise one, a time with one in its hour."""
    if a.kind == "date":
        return all(x == y or not x or not y for x, y in zip(a.value, b.value))  # type: ignore[arg-type]
    if a.kind == "time":
        x, y = float(a.value), float(b.value)  # type: ignore[arg-type]
        if x < 0 or y < 0:  # to the hour: equal hours, or one inside the other's hour
            hx, hy = (-x - 1 if x < 0 else x) // 60, (-y - 1 if y < 0 else y) // 60
            return hx == hy or ((a.hedged or b.hedged) and abs(hx - hy) <= 1)
        return abs(x - y) <= (60 if a.hedged or b.hedged else 0)
    if a.kind == "name":  # short forms and spellings: "Jeff" / "Jeffrey", "Helmsley" / "Helmsey"
        x, y = (re.sub(r"[^a-z]", "", v.text.lower()) for v in (a, b))
        return x.startswith(y) or y.startswith(x) or spelling_variants(a.text, b.text)
    if a.kind in ("age", "weekday", "year") or a.kind.startswith("duration"):
        return a.value == b.value
    x, y = float(a.value), float(b.value)  # type: ignore[arg-type]
    if (a.bound or b.bound) and a.bound != b.bound:  # "at least 17" is no "15"; "more than 20" is "23"
        (lo_a, hi_a), (lo_b, hi_b) = _span(a), _span(b)
        return lo_a <= hi_b and lo_b <= hi_a
    tol = HEDGED_TOLERANCE if a.hedged or b.hedged else TOLERANCE
    return abs(x - y) <= tol * max(x, y)


def _span(v: Value) -> tuple[float, float]:
    """The amounts a value allows: a bound one side, rounding both sides."""
    x = float(v.value)  # type: ignore[arg-type]
    if v.bound == "min":
        return x, math.inf
    if v.bound == "max":
        return 0.0, x
    tol = HEDGED_TOLERANCE if v.hedged else TOLERANCE
    return x * (1 - tol), x * (1 + tol)


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "ó": "o", "í": "i"})


def spelling_variants(a: str, b: str) -> bool:
    """Two spellings of one name ("Helmsley" / "Helmsey", "Krähenbühl" /
    "Kraehenbuehl"): a difference of spelling is not one of fact."""
    a, b = a.lower().translate(_FOLD), b.lower().translate(_FOLD)
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def same_person(a: str, b: str) -> bool:
    """Same surname and no conflicting first name ("Hunt" is "Jordan Hunt",
    "Austin Hunt" is not), or two words for a young child of no conflicting
    sex ("three-year-old son", "2-year-old toddler")."""
    ca, cb = _CHILD.get(a.lower()), _CHILD.get(b.lower())
    if ca is not None and cb is not None:
        return not ca or not cb or ca == cb
    if a.lower() in _GENERIC_PEOPLE or b.lower() in _GENERIC_PEOPLE:
        return False
    wa, wb = a.split(), b.split()
    return wa[-1] == wb[-1] and (len(wa) == 1 or len(wb) == 1 or wa[0] == wb[0])


def _family(kind: str) -> str:
    return "when" if kind in ("date", "weekday") else kind


def _context(text: str, v: Value) -> set[str]:
    """Content words around a value (not numbers): what is said of it."""
    near = text[max(0, v.start - 40): v.start + len(v.text) + 50]
    return {t for t in content_words(near) if not t[0].isdigit() and t != v.head}


def _context_match(ta: str, x: Value, tb: str, y: Value, idf: dict[str, float] | None) -> float:
    ca, cb = _context(ta, x), _context(tb, y)
    w = (lambda t: idf.get(t, 1.0)) if idf else (lambda t: 1.0)
    wa, wb = sum(map(w, ca)), sum(map(w, cb))
    return sum(map(w, ca & cb)) / min(wa, wb) if wa and wb else 0.0


def same_frame(ta: str, x: Value, tb: str, y: Value) -> bool:
    """The words around two values are the same (see :func:`_frame`)."""
    f = _frame(ta, x)
    return bool(f) and f == _frame(tb, y)


def _frame(text: str, v: Value) -> tuple[str, ...]:
    """The ``FRAME`` words either side of a value, lower-cased: "renovations
    of [33] properties ." and "renovations of [73] properties ." fill one
    slot whatever the rest of the sentences say."""
    before = re.findall(r"[\w’'-]+", text[:v.start].lower())[-FRAME:]
    after = re.findall(r"[\w’'-]+|[.,;:]", text[v.start + len(v.text):].lower())[:FRAME]
    return (*before, "|", *after) if len(before) == FRAME and len(after) == FRAME else ()


def roles(ta: str, x: Value, tb: str, y: Value) -> str:
    """How the words describing two names compare: ``one`` (a word in
    common: "real estate heir Robert Durst" / "real estate scion Robert
    Delacroix"), ``two`` (both described, nothing in common: "Foreign
    Minister Sergey Lavrov" / "Ambassador Sergey Kislyak" are two people) or
    ``unknown``."""
    ra, rb = _role(ta, x), _role(tb, y)
    if ra & rb:
        return "one"
    roles_a, roles_b = ra & ROLE_WORDS, rb & ROLE_WORDS  # "two" needs roles, not any words ("canal", "office")
    return "two" if roles_a and roles_b else "unknown"


def _role(text: str, v: Value) -> set[str]:
    """Words that describe a person next to a name: the three words before
    its given name and an apposition after it (", a former TV news
    anchor,"); lower-case words and titles, not courtesy titles or other
    names ("Russian"). A sentence's first word is taken as written: "Actor"
    and "Russian" look alike there."""
    given = text.rfind(v.head.capitalize(), 0, v.start)
    if given < 0:
        return set()
    before = re.split(r"[,;:()\"“”]", text[:given])[-1]
    near = re.findall(r"[\w’'-]+", before)[-ROLE:]
    after = text[v.start + len(v.text):]
    if after.startswith(","):
        near += re.findall(r"[\w’'-]+", re.split(r"[,;:()]", after[1:])[0])[:2 * ROLE]
    return {w.lower() for w in near if (w.islower() or w.lower() in TITLES) and w.lower() not in COURTESY_TITLES
            and w.lower() not in STOP_WORDS | SPEECH_VERBS and len(w) > 2 and not _VERB_LIKE.search(w)}


def names_in(text: str) -> set[str]:
    """Capitalised words after the first: who and what a sentence names."""
    return {w.lower().replace("’", "'") for w in re.findall(r"(?<=[\w,;:’'\"”)] )[A-Z][\w’'-]+", text)}


def _slot(x: Value, y: Value) -> bool:
    if _family(x.kind) != _family(y.kind):
        return False
    if x.kind != y.kind:  # a date and a weekday: not comparable
        return False
    if x.kind == "age":
        return same_person(x.head, y.head)
    return x.head == y.head


@dataclass(frozen=True, slots=True)
class Comparison:
    """How the values of two sentences relate: ``same`` (a shared slot holds
    compatible values, none conflicts), ``conflicting`` (a shared slot holds
    incompatible values: ``conflicts`` names them), or ``none`` (no slot in
    common)."""

    status: str
    conflicts: tuple[tuple[Value, Value], ...] = ()


def compare(ta: str, tb: str, va: list[Value] | None = None, vb: list[Value] | None = None,
            idf: dict[str, float] | None = None, anchored: bool = False, paraphrase: bool = False) -> Comparison:
    """Judge the values of two sentences already known to be about the same
    thing. A slot conflicts only when each side gives exactly one value for
    it and the other side gives no compatible value of that kind: two values
    on one side are ambiguous, and a compatible one means they agree on it.
    Values without a head (dates, times, years) fill one slot only when the
    words around them match. A modal sentence ("could cost up to") gives
    no amounts to compare; ages and dates still count. ``anchored``: the
    sentences are not known to be about the same thing, so every slot must
    also be told by the words around its values (``ANCHOR_CONTEXT``, and two
    words at least); ``paraphrase``: they are known to say the same thing,
    so the surroundings need agree less (``PARAPHRASE_CONTEXT``)."""
    va = values(ta) if va is None else va
    vb = values(tb) if vb is None else vb
    if not va or not vb:
        return Comparison("none")
    modal = bool(MODAL.search(ta) or MODAL.search(tb))
    named = bool(names_in(ta) & names_in(tb))  # "Simpson ... weighs 157 pounds" / "Carlie ... 75 lbs.": two people
    conflicts: list[tuple[Value, Value]] = []
    agreed = False
    for x in va:
        if modal and x.kind in ("number", "money", "percent", "count"):
            continue
        same = [y for y in vb if _slot(x, y)]
        mine = [z for z in va if _slot(z, x)]
        if not same:
            continue
        if any(compatible(x, y) for y in same):
            agreed = True
            continue
        if len(same) != 1 or len(mine) != 1:
            continue
        y = same[0]
        if any(compatible(x, z) for z in vb if z.kind == x.kind):
            continue  # the other side also gives this value, for something else: no sure conflict
        role = roles(ta, x, tb, y) if x.kind == "name" else "unknown"
        if role == "two":
            continue
        if same_frame(ta, x, tb, y) or role == "one":
            conflicts.append((x, y))  # the very words around the value are the same, or the role: one slot
            continue
        if anchored and not named:
            continue
        if anchored:
            if x.kind == "year" or x.kind.startswith("duration"):
                continue  # "divorced in 1992" / "acquitted in 1995": a year or a span tells no slot without its sentence
            if x.kind == "date" and any(p != q for p, q in zip(x.value[:2], y.value[:2]) if p and q):  # type: ignore[index]
                continue  # "February 1997" / "Oct. 3, 1995": two events; one told two ways differs by a day
            shared = _context(ta, x) & _context(tb, y)
            bar = ANCHOR_CONTEXT_WHEN if x.kind in ("time", "date", "weekday") else ANCHOR_CONTEXT
            if len(shared) < 2 or _context_match(ta, x, tb, y, idf) < bar:
                continue
        elif (not x.head or x.kind in ("number", "money", "percent", "name")) and \
                _context_match(ta, x, tb, y, idf) < (PARAPHRASE_CONTEXT if paraphrase else CONTEXT_LEX):
            continue
        conflicts.append((x, y))
    if conflicts:
        return Comparison("conflicting", tuple(conflicts))
    return Comparison("same" if agreed else "none")
