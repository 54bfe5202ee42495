"""Is a generated sentence supported by the sentences it cites?

A language model's sentence is shown only when every checkable fact in it is
found in its cited sentences: numbers and quantities (with their unit or
currency), dates and times, names (with the office words next to them) and
quotations; and it must not tell a source's words as its own (a cited
quotation without quotation marks, a "we" the sources only quote).

Precision first, in the reader's favour: a rounded number ("1.5 million"
for "1,520,000"), a sum of two cited numbers, a date made more precise than
the sources give it, a title the sources give no one of that name, or a
quotation that is not word for word in a cited sentence are all failures,
even when a reader might let them pass; the cost of a false failure is only
that the extractive sentences are shown instead.

What is not checked: who did what to whom (a swapped subject and object with
the same names and numbers passes), a dropped negation, a quotation given to
another speaker, claims with no number, date, name or quotation in them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analysis.entities import COUNTRY
from ..analysis.nlp import load_nlp
from ..analysis.values import Value, values
from ..model import SummarySentence
from ..stories.idf import background
from ..text import stem
from ..text.lexicon import (CALENDAR, NAME_ABBREVIATIONS, NOT_SURNAMES, TITLE_ABBREVIATIONS, SOCIAL_TITLES, SPEAKER_TITLES, TITLE_HEADS,
                             TITLE_NOUNS, TITLES)
from ..text.tokens import STOP_WORDS

__all__ = ["Check", "check_sentence", "evidence"]


MAX_CHARS = 2000  # longer than any news sentence by far


@dataclass(slots=True)
class Check:
    """The verdict on one generated sentence: ``ok`` when nothing in it is
    unsupported; ``problems``, one line each naming the offending words;
    ``checked``, what was looked for (so a reader sees what a pass means)."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


def check_sentence(generated: str, cited: list[str]) -> Check:
    """Check every number, date, name (with its title) and quotation of
    ``generated`` against ``cited`` (the source sentences it was written
    from, and any context words the caller vouches for: see :func:`evidence`)."""
    if len(generated) > MAX_CHARS:  # no sentence; and the value patterns grow with the square of the length
        return Check(False, [f"a text of {len(generated):,} characters is no sentence (at most {MAX_CHARS:,})"], [])
    gen = _plain(generated)
    refs = [_plain(c) for c in cited if c.strip()]
    spans = _quote_spans(gen)
    rest = _mask(gen, spans)  # what is quoted is checked word for word, not again piece by piece
    problems: list[str] = []
    checked: list[str] = []
    for part in (_check_quotes(gen, spans, refs), _check_numbers(rest, refs), _check_when(rest, refs),
                 _check_names(rest, refs), _check_negation(rest, refs), _check_voice(rest, refs)):
        problems += part[0]
        checked += part[1]
    return Check(not problems, problems, checked)


def evidence(sentences: Iterable[SummarySentence]) -> list[str]:
    """What a sentence written from these summary sentences may draw on: each
    cited source sentence, and the words the summary added for context
    ("[Sergey Kislyak]", "[Salazar said:]"). Those come from the same article
    (a pronoun's referent, a surname's first name, found by the extractive
    stage) and the reader sees them as added, so a fluent rewrite may use them."""
    out: list[str] = []
    for s in sentences:
        out += [c.text for c in s.citations]
        cited = s.citations[0].text if s.citations else ""
        for e in s.edits:
            if e.inserted.strip().startswith("["):
                added = e.inserted.strip().strip("[]").rstrip(":")
                after = re.match(r"\s*[\w'’.-]+", cited[e.end:]) if e.start == e.end else None
                out.append(added + (" " + after.group(0).strip() if after else ""))  # "[Jack] Hopkins": one name
    return out


# --- text -------------------------------------------------------------------

# Curly quotes keep their direction (they pair better than straight ones); guillemets become curly.
_QUOTE_CHARS = str.maketrans({"„": "“", "«": "“", "»": "”", "‚": "‘", "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def _plain(text: str) -> str:
    """One form for quote marks, dashes and spaces: the style of a quotation
    or an apostrophe is no fact. Square brackets go: words added for context
    are checked as any others."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTE_CHARS).replace("--", "-")
    text = re.sub(r"(?<=\w)’(?=\w)", "'", text)  # an apostrophe, not a closing quotation mark
    # straight double quotes get a direction, as scraped text mixes them ('"Anyone ... before,”')
    text = re.sub(r'(?:^|(?<=[\s(\[:—-]))"', "“", text).replace('"', "”")
    return re.sub(r"\s+", " ", text.replace("[", "").replace("]", "")).strip()


def _fold(text: str) -> str:
    """Lower case without accents, for matching names and quotations."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


# --- quotations -------------------------------------------------------------

_DOUBLE = re.compile(r"“[^“”]*(?:”|$|(?=“))|‘[^‘’]{2,}’(?!\w)")  # a paragraph's quotation may run on unclosed
# A single-quoted span, not an apostrophe: opens after a space or start, closes before one or punctuation.
_SINGLE = re.compile(r"(?<![\w'])'(?=[A-Za-z])([^']{2,}?[\w.,!?])'(?![\w])")
_SAID_COLON = re.compile(r"\b(?:said|says|wrote|writes|added|stated|told [\w ]{1,30}?):\s+(\S.*)$")
_GAP = re.compile(r"\s*\.\.\.\s*")  # an ellipsis: words left out of a quotation


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the quotations (marks included): double-quoted first, then
    single-quoted ones outside them."""
    spans = [m.span() for m in _DOUBLE.finditer(text)]
    spans += [m.span() for m in _SINGLE.finditer(text) if not any(a <= m.start() < b for a, b in spans)]
    if not spans and (m := _SAID_COLON.search(text)):
        spans.append(m.span(1))  # "The fraternity wrote: His love ...": the words after the colon are quoted
    return sorted(spans)


def _quote_form(text: str) -> str:
    """A quotation's words as compared: case, quote marks and the space
    before punctuation do not count."""
    text = re.sub(r"[\"'“”‘’]", "", _fold(text))
    return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", text)).strip()


def _verbatim(quote: str, refs: list[str]) -> bool:
    """Every piece of the quotation (split at an ellipsis) in one cited
    sentence, in order; or across the cited sentences read in a row."""
    body = quote.strip().strip("\"'“”‘’").strip()
    pieces = [p for p in (_quote_form(x).strip(" ,.;:!?") for x in _GAP.split(body)) if p]
    if not pieces:
        return True
    for ref in [*refs, " ".join(refs)]:
        r, at = _quote_form(ref), 0
        for p in pieces:
            at = r.find(p, at)
            if at < 0:
                break
            at += len(p)
        else:
            return True
    return False


def _check_quotes(gen: str, spans: list[tuple[int, int]], refs: list[str]) -> tuple[list[str], list[str]]:
    problems, checked = [], []
    for a, b in spans:
        q = gen[a:b]
        checked.append(f"quotation {_short(q)}")
        if not _verbatim(q, refs):
            problems.append(f"quotation {_short(q)} is not word for word in the cited sentences")
    return problems, checked


# --- numbers and quantities -------------------------------------------------

_SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_ORDINALS = {w: i + 3 for i, w in enumerate("third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                                            "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                                            "nineteenth twentieth".split())}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ABBR_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound sterling"}
_UNITS = {"mile": "mile", "kilometer": "kilometer", "kilometre": "kilometer", "km": "kilometer", "meter": "meter",
          "metre": "meter", "centimeter": "centimeter", "cm": "centimeter", "millimeter": "millimeter",
          "mm": "millimeter", "foot": "foot", "feet": "foot", "ft": "foot", "inch": "inch", "yard": "yard",
          "pound": "pound", "lb": "pound", "kilogram": "kilogram", "kg": "kilogram", "gram": "gram", "ton": "ton",
          "tonne": "ton", "ounce": "ounce", "oz": "ounce", "acre": "acre", "hectare": "hectare", "gallon": "gallon",
          "liter": "liter", "litre": "liter", "barrel": "barrel", "degree": "degree", "mph": "mile per hour",
          "kph": "kilometer per hour", "second": "second", "minute": "minute", "hour": "hour", "day": "day",
          "week": "week", "month": "month", "year": "year", "decade": "decade", "century": "century",
          "point": "point", "percent": "percent", "dollar": "dollar", "euro": "euro", "yen": "yen", "yuan": "yuan"}
_WORD = "|".join(sorted([*_SMALL, *_TENS, *_ORDINALS], key=len, reverse=True))
_AMOUNT = re.compile(
    r"(?P<cur>[$€£])?\s?(?:(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.?\d+)(?:(?P<abbr>bn|mn|[kmb])\b)?"
    r"|(?P<w>\b(?:" + _WORD + r")(?:-(?:" + "|".join(_SMALL) + r"))?\b|\ba dozen\b|\bdozen\b))"
    r"(?:[\s-](?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    r"(?P<unit>\s?%|[\s-](?:per ?cent|percentage points?)\b|[\s-](?:years?[\s-]old)\b"
    r"|[\s-]?[a-z]+\b(?!-old))?", re.I)
_VAGUE = re.compile(r"\b(?:dozens|scores|hundreds|thousands|millions|billions)\b", re.I)
_QUALIFIER = re.compile(r"\b(?P<min>more than|over|at least|upwards of|in excess of)\s+$|\b(?P<max>fewer than|less than|"
                        r"up to|nearly|almost|under|just under|as many as)\s+$|\b(?P<approx>about|around|roughly|some|"
                        r"approximately|an estimated|estimated|close to|as few as)\s+$", re.I)


@dataclass(frozen=True, slots=True)
class _Amount:
    """A number as written, its value, its unit or currency and whether it
    is given as a bound ("more than 15") or an estimate ("about 15")."""

    text: str
    value: float
    unit: str
    qualifier: str


def _word_value(w: str) -> float | None:
    w = w.lower()
    if w in ("dozen", "a dozen"):
        return 12.0
    if w == "one":
        return None  # "one of the", "one day": a pronoun more often than a count
    head, _, tail = w.partition("-")
    if head in _TENS and (not tail or tail in _SMALL):
        return float(_TENS[head] + _SMALL.get(tail, 0))
    return float(_SMALL.get(w, _ORDINALS.get(w, -1))) if not tail and (w in _SMALL or w in _ORDINALS) else None


def _unit_word(m: re.Match[str]) -> str:
    """The unit written after an amount, spelled out and singular ("" for none)."""
    raw = (m.group("unit") or "").strip(" -").lower()
    if raw in ("%", "percent", "per cent"):
        return "percent"
    if raw.startswith("percentage point"):
        return "percentage point"
    if raw.endswith("old"):
        return "age"
    word = raw[:-2] if raw.endswith("ches") else raw[:-1] if raw.endswith("s") and raw[:-1] in _UNITS else raw
    return _UNITS.get("century" if word == "centuries" else word, "")


def _unit(m: re.Match[str]) -> str:
    """The unit or currency of an amount ("$15 million" is in dollars)."""
    unit, cur = _unit_word(m), m.group("cur")
    return _CURRENCY[cur] if cur and unit in ("", "dollar") else unit


def _amounts(text: str) -> list[_Amount]:
    """Every number written in ``text``, in digits or words, scaled ("1.5
    million", "$2bn") with its unit."""
    out = []
    for m in _AMOUNT.finditer(text):
        if m.group("n"):
            if re.match(r"[\w]", text[m.start("n") - 1:m.start("n")] or " ") and not text[m.start("n") - 1].isdigit():
                continue  # "G7", "MH17": a name's digits are checked with the name
            if re.match(r":\d", text[m.end("n"):]) or re.search(r"\d:$", text[:m.start("n")]):
                continue  # "11:15 p.m.": a time, checked as one
            value = float(m.group("n").replace(",", ""))
            abbr = (m.group("abbr") or "").lower()
            if abbr and m.group("cur"):
                value *= _ABBR_SCALES[abbr]
        else:
            got = _word_value(m.group("w"))
            if got is None:
                continue
            value = got
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        start = m.start("cur") if m.group("cur") else m.start("n") if m.group("n") else m.start("w")
        q = _QUALIFIER.search(text[max(0, start - 25):start])
        end = m.end() if _unit_word(m) else max(m.end("n"), m.end("w"), m.end("abbr"), m.end("scale"))
        out.append(_Amount(text[start:end].strip(), value, _unit(m), q.lastgroup if q else ""))  # type: ignore[arg-type]
    return out


def _check_numbers(gen: str, refs: list[str]) -> tuple[list[str], list[str]]:
    """Each amount of ``gen`` equals one of the cited ones, in the same unit
    (a cited number with no unit allows any), qualified no more strongly."""
    problems, checked = [], []
    cited = [a for r in refs for a in _amounts(r)]
    cited += [_Amount(v.text, float(v.value), "age", "") for r in refs for v in values(r) if v.kind == "age"]  # "Lee, 45,"
    for a in _amounts(gen):
        checked.append(f"number {a.text}")
        same = [c for c in cited if abs(c.value - a.value) <= 1e-9 * max(1.0, a.value)]
        if not same:
            problems.append(f"number {a.text!r} is not in the cited sentences")
            continue
        units = [c for c in same if not a.unit or c.unit == a.unit or (not c.unit and a.unit != "age")]
        if not units:
            problems.append(f"{a.text!r}: the cited sentences give {same[0].text!r} (another unit)")
        elif not a.qualifier and all(c.qualifier for c in units):
            problems.append(f"{a.text!r} is given as exact; the cited sentences qualify it ({_qualified(refs, units[0])})")
        elif a.qualifier in ("min", "max") and not any(c.qualifier == a.qualifier for c in units):
            problems.append(f"{a.text!r} is given as a bound the cited sentences do not give")
    for w in _VAGUE.findall(gen):
        checked.append(f"number {w}")
        if not any(re.search(rf"\b{w}\b", r, re.I) for r in refs):
            problems.append(f"number {w!r} is not in the cited sentences")
    return problems, checked


def _qualified(refs: list[str], a: _Amount) -> str:
    for r in refs:
        if (at := r.find(a.text)) >= 0:
            q = _QUALIFIER.search(r[max(0, at - 25):at])
            return f"{q.group(0).strip() if q else ''} {a.text}".strip()
    return a.text


# --- dates and times --------------------------------------------------------

_RELATIVE = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|(?:(?:earlier|later) )?(?:last|this|next|past|coming)\s+(?:week(?:end)?|"
    r"month|year|spring|summer|fall|autumn|winter|decade|century|night|morning|evening|afternoon)|"
    r"(?:days?|weeks?|months?|years?|decades?)\s+(?:ago|earlier|later))\b", re.I)


def _relative(text: str) -> list[str]:
    return [re.sub(r"^(?:earlier|later) ", "", re.sub(r"\s+", " ", m.group(0).lower())) for m in _RELATIVE.finditer(text)]


def _when(text: str) -> list[Value]:
    return [v for v in values(text) if v.kind in ("date", "weekday", "time")]


def _date_found(v: Value, cited: list[Value], years: set[int]) -> bool:
    """A date the sources give as precisely: the same month, the same day if
    one is given, the same year if one is given (or that year cited beside it)."""
    y, m, d = v.value  # type: ignore[misc]
    return any(c.kind == "date" and c.value[1] == m and (not d or c.value[2] == d)  # type: ignore[index]
               and (not y or c.value[0] == y or (not c.value[0] and y in years)) for c in cited)  # type: ignore[index]


def _check_when(gen: str, refs: list[str]) -> tuple[list[str], list[str]]:
    """Each date, weekday, time and relative date ("last week") of ``gen``
    in the cited sentences."""
    problems, checked = [], []
    cited = [v for r in refs for v in _when(r)]
    years = {int(y) for r in refs for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", r)}
    for v in _when(gen):
        checked.append(f"{v.kind} {v.text}")
        if v.kind == "date":
            found = _date_found(v, cited, years)
        else:
            found = any(c.kind == v.kind and c.value == v.value for c in cited)
        if not found:
            problems.append(f"{v.kind} {v.text!r} is not in the cited sentences")
        elif v.kind == "time" and not v.hedged and all(c.hedged for c in cited if c.kind == "time" and c.value == v.value):
            problems.append(f"time {v.text!r} is given as exact; the cited sentences say about when")
    said = {w for r in refs for w in _relative(r)}
    for w in _relative(gen):
        checked.append(f"date {w}")
        if w not in said:
            problems.append(f"date {w!r} is not in the cited sentences")
    return problems, checked


# --- names and the titles next to them ---------------------------------------

# A name word: initials ("U.S.", "J."), an abbreviated title ("Sen."), or a word (a final dot ends the sentence)
_TOKEN = r"(?:[A-Z]\.)+|(?:" + "|".join(sorted(NAME_ABBREVIATIONS + TITLE_ABBREVIATIONS, key=len, reverse=True)) + \
    r")\.|[A-Z][\w'&-]*"
_RUN = re.compile(r"(?:" + _TOKEN + r")(?:\s(?:(?:of|de|da|del|van|von|der|bin|al|la|le|du|the)\s)?(?:" + _TOKEN + r"))*")
_ABBREVIATION = {*TITLE_NOUNS, "mr", "mrs", "ms", "dr", "st", "jr", "sr", "mt", "ft", "rev", "hon", "pres"}
_TITLE_WORDS = TITLES | TITLE_HEADS | SPEAKER_TITLES | {"ex", "prime", "interim", "outgoing", "incoming"}
_HEADS = TITLES | TITLE_HEADS | {"speaker", "leader", "minister"}
# Words that change which holder of an office someone is: "former President X" is not "President X".
_OFFICE_MODIFIERS = {"former", "ex", "late", "then", "acting", "interim", "deputy", "vice", "retired", "outgoing",
                     "incoming", "elect", "president-elect", "assistant"}
# Lower-case words before a name that tell an office ("former foreign minister X"), not "the" or "new".
_LOWER_TITLES = (TITLES | TITLE_HEADS | _OFFICE_MODIFIERS | {"prime", "foreign", "defense", "interior", "finance",
                                                            "press", "national", "security", "state"}) - SOCIAL_TITLES
_ORG_WORDS = {"general", "major", "private", "principal", "st", "saint", "chair", "chief", "officer", "agent", "justice"}
_NAME_ENTITIES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
COMMON = 0.01  # a word in this share of news articles is capitalised at a sentence's start by grammar, not as a name
_JOINERS = {"of", "de", "da", "del", "van", "von", "der", "bin", "al", "la", "le", "du", "the"}


@dataclass(frozen=True, slots=True)
class _Name:
    """A capitalised run as names go: its words (titles stripped) and the
    title words before it (capitalised or not)."""

    words: tuple[str, ...]
    titles: frozenset[str]
    text: str


def _key(word: str) -> str:
    """A name word as compared: folded, without a possessive or a final dot."""
    w = _fold(word)
    w = re.sub(r"['’]s?$", "", w)
    return w if w.rstrip(".") in _ABBREVIATION or re.fullmatch(r"(?:[a-z]\.)+", w) else w.rstrip(".")


def _title_key(word: str) -> str:
    w = _key(word).rstrip(".")
    return TITLE_NOUNS.get(w, w)


def _title_words_before(text: str, at: int) -> list[str]:
    """The lower-case title words just before a name ("former foreign minister")."""
    out: list[str] = []
    clause = re.split(r"(?<=[a-z]{2})[.!?]\s|[;:,()\"]", text[:at])[-1]  # not across a sentence's end: "... private. Tesla"
    for w in reversed(re.findall(r"[\w.'-]+", clause)[-4:]):
        k = _title_key(w)
        parts = k.split("-")
        if parts[0] in ("ex", "then") and len(parts) > 1:
            out += ["former" if parts[0] == "ex" else "then", *(p for p in parts[1:] if p in _LOWER_TITLES)]
        elif k in _LOWER_TITLES:
            out.append(k)
        else:
            break
    return out


def _apposition(text: str, end: int) -> list[str]:
    """Title words of an apposition after a name (", Russia's foreign
    minister,"): the sources' way of giving an office."""
    m = re.match(r",\s+((?:[\w.'-]+\s+){0,5}[\w.'-]+)\s*(?:,|$)", text[end:])
    words = [re.sub(r"'s?$", "", _title_key(w)) for w in m.group(1).split()] if m else []
    return [w for w in words if w in _LOWER_TITLES or w in SPEAKER_TITLES] if any(w in _HEADS for w in words) else []


def _strip_titles(words: list[str]) -> tuple[list[str], list[str]]:  # (name, title)
    """A capitalised run's leading title ("Chinese President", "New Orleans
    Federal Judge"), up to the last word of it that is an office, and the
    name after it; not when what is left is no person ("Justice Department",
    "General Motors")."""
    k = max((i + 1 for i, w in enumerate(words[:-1]) if _title_key(w) in _HEADS), default=0)
    if k and (_key(words[-1]) in NOT_SURNAMES or (k == 1 and _title_key(words[0]) in _ORG_WORDS)):
        k = 0
    return words[k:], words[:k]


def _names(text: str, starts: set[int], appositions: bool = False) -> list[_Name]:
    """The names of ``text``: capitalised runs without leading titles, stop
    words, months and weekdays; the first word of a run at ``starts`` (a
    sentence's first word, capitalised by grammar) is left out."""
    out = []
    for m in _RUN.finditer(text):
        words = m.group(0).split()
        if m.start() in starts and _title_key(words[0]) not in _TITLE_WORDS:
            words = words[1:]  # "Using Mr Wilson's": not a name's first word
        words, prefix = _strip_titles(words) if words else ([], [])
        if any(_title_key(w) not in _TITLE_WORDS for w in prefix):  # "House Intelligence Committee Chairman": a name too
            out.append(_Name(tuple(_key(w) for w in prefix), frozenset(), " ".join(prefix)))
        titles = [_title_key(w) for w in prefix]
        titles += _title_words_before(text, m.start()) + (_apposition(text, m.end()) if appositions else [])
        while words and _key(words[0]) in STOP_WORDS | CALENDAR | _JOINERS:
            words.pop(0)
        words = [w for w in words if _key(w) not in CALENDAR and not _key(w).startswith("i'")]  # "I'm"
        if words and not (len(words) == 1 and _title_key(words[0]) in _HEADS):  # "President" alone: a title
            shown = " ".join(words)
            shown = shown if "." in _key(words[-1]) else re.sub(r"(?:'s?|\.)$", "", shown)
            out.append(_Name(tuple(_key(w) for w in words), frozenset(titles) & _LOWER_TITLES, shown))
    return out


def _starts(text: str, lower: set[str]) -> set[int]:
    """Where a sentence begins with a word capitalised by grammar only: a
    stop word, a word the sources write in lower case (``lower``: "Yo-yo
    dieting"), or a common word ("Authorities said") where spaCy finds no
    name ("Donald met"). A rare word there is a name ("Sergey Sessions met")."""
    at = {0} | {m.end() for m in re.finditer(r"[.:;!?]\s+(?=[A-Z])", text)}
    words = {a: w.group(0).lower() for a in at if (w := re.match(r"[A-Z][\w'-]*", text[a:]))}
    bg = background()
    stops = {a for a, w in words.items() if w in STOP_WORDS or w in lower or w.startswith("i'")}
    common = {a for a, w in words.items() if a not in stops and bg.df.get(stem(w), 0) >= COMMON * bg.documents}
    if not common:
        return stops  # spaCy (the cost of the check) only for a common word that may be a name
    doc = load_nlp()(text, disable=["parser"])
    in_entity = {t.idx for e in doc.ents if e.label_ in _NAME_ENTITIES for t in e}  # "Today" is a DATE
    return stops | (common - in_entity)


def _cited_names(refs: list[str]) -> list[_Name]:
    return [n for r in refs for n in _names(r, set(), appositions=True)]


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in _JOINERS and w)


def _word_found(w: str, known: set[str], acronyms: set[str]) -> bool:
    """A name word in the cited ones: the same word, a longer or shorter form
    of it ("Russia"/"Russian", "Jeff"/"Jeffrey"), an acronym of a cited
    name, or another name of the same country."""
    if w in known or w.replace(".", "") in acronyms:
        return True
    if len(w) >= 4 and any(len(k) >= 4 and (k.startswith(w) or w.startswith(k)) and abs(len(k) - len(w)) <= 3
                           for k in known):
        return True
    country = COUNTRY.get(w)
    return bool(country) and any(COUNTRY.get(k) == country for k in known)


def _check_names(gen: str, refs: list[str]) -> tuple[list[str], list[str]]:
    """Each name of ``gen`` in the cited sentences, with no first name the
    sources give another surname, and with the titles the sources give it."""
    problems, checked = [], []
    cited = _cited_names(refs)
    # name words as the sources capitalise them ("Fat" is no name for a source that says "fat"), and common
    # words a model may capitalise ("a Compassion Over Killing Investigator")
    known = {w for n in cited for w in n.words} | {_key(w) for r in refs for w in re.findall(r"\b[A-Z][\w.'-]*", r)}
    bg = background()
    known |= {w for r in refs for w in re.findall(r"\b[a-z][\w'-]*", r) if bg.df.get(stem(w), 0) >= COMMON * bg.documents}
    known |= {_fold(c) for r in refs for k, c in COUNTRY.items() if re.search(rf"\b{re.escape(k)}\b", _fold(r))}
    acronyms = {_initials(n.words) for n in cited if len(n.words) > 1}
    joined = " ".join(_fold(r) for r in refs)
    lower = {w for r in refs for w in re.findall(r"\b[a-z][\w'-]*", r)}
    for name in _names(gen, _starts(gen, lower)):
        checked.append(f"name {name.text}")
        problem = _name_problem(name, cited, known, acronyms, joined)
        if problem is None and name.titles and name.words[-1] not in NOT_SURNAMES:  # "former Secret Service agent"
            checked.append(f"title {' '.join(sorted(name.titles))} of {name.text}")
            problem = _title_problem(name, cited)
        if problem:
            problems.append(problem)
    return problems, checked


def _name_problem(name: _Name, cited: list[_Name], known: set[str], acronyms: set[str], joined: str) -> str | None:
    """Why a name is not supported (None when it is): a word the sources
    lack, a first name they give another surname, a first name alone."""
    country = COUNTRY.get(" ".join(name.words))
    if (country and _fold(country) in known) or (len(name.words) > 2 and _initials(name.words) in known):
        return None  # "United States" for "U.S.", "Federal Bureau of Investigation" for "FBI"
    missing = [w for w in name.words if w not in _JOINERS and not _word_found(w, known, acronyms)]
    if missing:
        which = f" ({', '.join(missing)})" if len(name.words) > 1 else ""
        return f"name {name.text!r} is not in the cited sentences{which}"
    if len(name.words) > 1 and (re.search(r"\b" + re.escape(" ".join(name.words)) + r"\b", joined)
                                or any(_subsequence(name.words, n.words) for n in cited)):
        return None  # "Gloria Chapman" for "Gloria Hiroko Chapman": a middle name left out
    for a, b in zip(name.words, name.words[1:]):
        others = {n.words[n.words.index(a) + 1] for n in cited if a in n.words[:-1]}
        if others and b not in others:
            return f"name {name.text!r}: the cited sentences give {a.title()} another name ({', '.join(sorted(others))})"
    if len(name.words) == 1:
        w = name.words[0]
        firsts = [n for n in cited if len(n.words) > 1 and n.words[0] == w]
        if firsts and not any(w in n.words[1:] or n.words == (w,) for n in cited):
            return f"name {name.text!r}: the cited sentences use it only as a first name ({firsts[0].text})"
    return None


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def _title_problem(name: _Name, cited: list[_Name]) -> str | None:
    """The office words before a name must be ones the sources put before
    that person's name, with the same "former", "acting", "deputy"."""
    same = [n for n in cited if n.words[-1] == name.words[-1]]
    if not same:
        return None
    mods = name.titles & _OFFICE_MODIFIERS
    if any(name.titles <= n.titles and mods == n.titles & _OFFICE_MODIFIERS for n in same):
        return None
    given = sorted({" ".join(sorted(n.titles)) for n in same if n.titles})
    said = f"the cited sentences call them {' / '.join(given)!r}" if given else "the cited sentences give no title"
    return f"title {' '.join(sorted(name.titles))!r} of {name.text!r}: {said}"


# --- negation ---------------------------------------------------------------

_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n't\b", re.I)
_ANY_NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|no longer|denied|denies)\b|n't\b",
                           re.I)


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'll|I'd|me|my|mine|we|we're|we've|us|our|ours)\b", re.I)
SHINGLE = 6  # words of a quotation in a row that, outside quotation marks, make it someone's words shown as fact


def _check_voice(gen: str, refs: list[str]) -> tuple[list[str], list[str]]:
    """Whose words these are: a first person ("I'm sorry", "we") where no
    cited sentence has one outside a quotation is the model speaking; six
    words in a row of a cited quotation given without quotation marks are a
    source's words told as fact."""
    problems: list[str] = []
    unquoted = [_mask(r, _quote_spans(r)) for r in refs]
    if (m := _FIRST_PERSON.search(gen)) and not any(_FIRST_PERSON.search(r) for r in unquoted):
        problems.append(f"first person {m.group(0)!r} is not in the cited sentences (outside their quotations)")
    said = {tuple(ws[i:i + SHINGLE]) for r in refs for a, b in _quote_spans(r)
            for ws in [_quote_form(r[a:b]).split()] for i in range(len(ws) - SHINGLE + 1)}
    said -= {tuple(ws[i:i + SHINGLE]) for r in unquoted for ws in [_quote_form(r).split()]
             for i in range(len(ws) - SHINGLE + 1)}  # words the sources also write outside quotation marks
    ws = _quote_form(gen).split()
    told = next((" ".join(ws[i:i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1) if tuple(ws[i:i + SHINGLE]) in said), None)
    if told:
        problems.append(f"quoted words {told!r} are given without quotation marks")
    return problems, ["first person", "quotations kept quoted"]


def _check_negation(gen: str, refs: list[str]) -> tuple[list[str], list[str]]:
    """A negation the cited sentences do not have at all (one direction only:
    a dropped negation cannot be told from a clause left out)."""
    m = _NEGATION.search(gen)
    if not m:
        return [], []
    if any(_ANY_NEGATION.search(r) for r in refs):
        return [], [f"negation {m.group(0)}"]
    return [f"negation {m.group(0)!r} is not in the cited sentences"], [f"negation {m.group(0)}"]
