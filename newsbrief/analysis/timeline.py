"""Timeline: dated events from the sentences of several sources.

Regexes rather than dateparser: dateparser is heavy to import, and it guesses
(a bare "May" or "March" becomes today's month). The forms used in news are
few: "March 2, 2017", "Nov. 8", "July 2016", "in 1977", "from 1981 to 1985",
"since 2008", and relative ones ("on Wednesday", "yesterday", "last fall").

A date without a year ("Nov. 8", "in July and September") takes the year of
the article's publication date, or a year written in the same sentence; with
neither it is left out rather than guessed. Relative dates are resolved
against ``Article.published`` when it is known and left out otherwise (the
Multi-News and Kislyak articles carry no date, so they yield only absolute
dates). Events stating the same date in similar words in several sources
are merged, one citation per source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..model import Article, Citation, Sentence, TimelineEvent
from ..text import content_words

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MON = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|July|Aug(?:ust|\.)?|" \
       r"Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_YEAR = r"(1[89]\d\d|20\d\d)"
_DAY_DATE = re.compile(rf"\b({_MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?")
_MONTH_YEAR = re.compile(rf"\b({_MON})(?:\s+(?:and|or)\s+({_MON}))?\s+(?:of\s+)?{_YEAR}\b")
_IN_MONTHS = re.compile(rf"\bin\s+({_MON})(?:\s+(?:and|or)\s+({_MON}))?\b(?!\s+\d)")
_RANGE = re.compile(rf"\b(?:from|between)\s+{_YEAR}\s+(?:to|and|until|through)\s+{_YEAR}\b|\b{_YEAR}\s*[-–]\s*{_YEAR}\b")
_BARE_YEAR = re.compile(rf"\b(?:in|since|until|by|of|during|early|late|mid-?)\s+{_YEAR}\b(?!s)")
_WEEKDAY = re.compile(r"\b(?:on|last|this|next)?\s*(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_YESTERDAY = re.compile(r"\b(yesterday|today)\b", re.I)
# News reports the past; a weekday in a sentence about plans is the next one.
_FUTURE = re.compile(r"\b(will|would|starting|beginning|next|plans? to|planned|scheduled|expected to|is set to|"
                     r"are set to|is due|are due|upcoming)\b", re.I)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MERGE_OVERLAP = 0.3


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _published(a: Article) -> dt.date | None:
    try:
        return dt.date.fromisoformat((a.published or "")[:10])
    except ValueError:
        return None


def _dates(s: Sentence, pub: dt.date | None) -> list[tuple[str, str, str | None]]:
    """(date, precision, relative phrase) for each date in a sentence."""
    text, out, used = s.text, [], []
    years = [int(y) for y in re.findall(rf"\b{_YEAR}\b", text)]
    ctx_year = pub.year if pub else (years[0] if len(set(years)) == 1 else None)

    def free(m: re.Match) -> bool:
        if any(a < m.end() and m.start() < b for a, b in used):
            return False
        used.append(m.span())
        return True

    for m in _DAY_DATE.finditer(text):
        y = int(m.group(3)) if m.group(3) else ctx_year
        if y and free(m) and 1 <= int(m.group(2)) <= 31:
            try:
                out.append((dt.date(y, _month(m.group(1)), int(m.group(2))).isoformat(), "day", None))
            except ValueError:
                pass
    for m in _MONTH_YEAR.finditer(text):
        if free(m):
            for name in filter(None, (m.group(1), m.group(2))):
                out.append((f"{m.group(3)}-{_month(name):02d}", "month", None))
    for m in _RANGE.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if free(m) and a < b:
            out.append((f"{a}/{b}", "range", None))
    for m in _BARE_YEAR.finditer(text):
        if free(m):
            out.append((m.group(1), "year", None))
    if ctx_year:
        for m in _IN_MONTHS.finditer(text):
            if m.group(1) != "May" and free(m):
                for name in filter(None, (m.group(1), m.group(2))):
                    out.append((f"{ctx_year}-{_month(name):02d}", "month", None))
    if pub:  # relative dates: only against a known publication date
        future = bool(_FUTURE.search(text))
        for m in _WEEKDAY.finditer(text):
            if free(m):
                day = _WEEKDAYS.index(m.group(1).lower())
                if future or m.group(0).strip().lower().startswith("next"):
                    # "will ... starting Thursday": the coming one, not the last one
                    when = pub + dt.timedelta(days=(day - pub.weekday()) % 7 or 7)
                else:
                    when = pub - dt.timedelta(days=(pub.weekday() - day) % 7)
                out.append((when.isoformat(), "day", m.group(0).strip()))
        for m in _YESTERDAY.finditer(text):
            if free(m):
                d = pub - dt.timedelta(days=1 if m.group(1).lower() == "yesterday" else 0)
                out.append((d.isoformat(), "day", m.group(0)))
    return out


def _similar(a: set[str], b: set[str], ta: str, tb: str, date: str) -> bool:
    """Similar words, or the same date phrase ("since 2008") plus two more
    shared words: long sentences often share just the dated clause."""
    if not a or not b:
        return False
    if len(a & b) / min(len(a), len(b)) >= MERGE_OVERLAP:
        return True
    phrase = re.compile(r"\b(?:since|in|from|until)\s+" + re.escape(date.split("/")[0]) + r"\b")
    pa, pb = phrase.search(ta), phrase.search(tb)
    return bool(pa and pb and pa.group(0) == pb.group(0) and len(a & b) >= 3)


def build_timeline(articles: Sequence[Article]) -> list[TimelineEvent]:
    """Dated events, chronological (ties keep source order), merged across
    sources when the same date comes with similar words."""
    events: list[tuple[TimelineEvent, set[str]]] = []
    for a in articles:
        pub = _published(a)
        for s in a.sentences:
            toks = set(content_words(s.text))
            for date, precision, rel in _dates(s, pub):
                same = next((e for e, t in events if e.date == date and _similar(t, toks, e.text, s.text, date)
                             and s.source not in {c.source for c in e.citations}), None)
                if same:
                    same.citations.append(Citation.of(s))
                elif not any(e.date == date and e.citations[0].source == s.source and e.citations[0].sentence == s.index
                             for e, _ in events):
                    events.append((TimelineEvent(date, s.text, [Citation.of(s)], precision, rel), toks))
    return sorted((e for e, _ in events), key=lambda e: e.date)
