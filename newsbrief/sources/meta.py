"""Outlet and date of a plain-text article, guessed from the text and the file
name. Plain text carries no metadata, and a citation is worth more when the
reader sees which outlet said it; every guess here is conservative (None
rather than wrong)."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from ..model import Article, LoadError

_WORD = r"[A-Z][\w&'’-]*(?:\.[A-Za-z]+)*"
_NAME = rf"(?:[Tt]he )?{_WORD}(?:(?: of| and| &)? {_WORD})*"

# Wire datelines sit at the top ("WASHINGTON (AP) —"); further down, a
# "(Reuters)" is more likely a quoted wire story than this article's outlet.
_WIRE = re.compile(r"^[^\n]{0,80}?\((AP|Reuters|AFP|UPI|CNN|Bloomberg|Xinhua|dpa)\)\s*[—–-]")
_HEAD_LINES = 8
# Only the page's own tell-tales: an author bio (at the top or the bottom), a
# copyright line, a syndication note, or "did not respond to ... from <us>".
# ("told BuzzFeed News in an interview" names another outlet far more often.)
# Each with the literals one of its matches must contain: a text holding
# none of them is not searched (whole-text searches were most of the cost of
# reading a Multi-News row).
_OUTLET_PATTERNS = [
    (("respond to",), re.compile(rf"(?:did not|didn[’']t) (?:immediately )?respond to (?:questions|a request for comment|requests for comment|an inquiry|inquiries) from ({_NAME})")),
    # a copyright line of its own; "...; © 2016 by X." ending a book excerpt names the publisher
    (("Copyright", "©"), re.compile(rf"^(?:©\s*)?(?:Copyright|©)\s*(?:©\s*)?(?:\(c\)\s*)?\d{{4}}(?:[-–]\d{{4}})?,? (?:by )?({_NAME})[^\n]{{0,60}}$", re.M)),
    (("originally",), re.compile(rf"[Tt]his (?:story|article) (?:was )?originally (?:appeared|published) (?:in|on|at) ({_NAME})")),
]
_BIO_OUTLET = re.compile(
    rf"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){{1,3}} (?:is|was) an? (?:[\w-]+ ){{0,4}}(?:correspondent|reporter|writer|editor|"
    rf"journalist|columnist|contributor|producer|critic|anchor)(?: [\w-]+){{0,3}} (?:at|for|with) ({_NAME})")
_ALIASES = {"Globe Newspaper Company": "The Boston Globe", "Associated Press": "AP", "The Associated Press": "AP"}
_NOT_OUTLETS = {"the", "it", "this", "the journal", "the paper", "the newspaper", "the magazine", "the site"}

_KNOWN = {
    "ap": "AP", "reuters": "Reuters", "afp": "AFP", "cnn": "CNN", "bbc": "BBC", "nbc": "NBC News",
    "cbs": "CBS News", "abc": "ABC News", "npr": "NPR", "nytimes": "The New York Times",
    "washingtonpost": "The Washington Post", "wsj": "The Wall Street Journal", "guardian": "The Guardian",
    "vox": "Vox", "vice": "VICE News", "mic": "Mic", "politico": "Politico", "fox": "Fox News",
    "foxnews": "Fox News", "bloomberg": "Bloomberg", "usatoday": "USA Today", "latimes": "Los Angeles Times",
    "time": "Time", "newsweek": "Newsweek", "axios": "Axios", "huffpost": "HuffPost", "buzzfeed": "BuzzFeed News",
}
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|org|net|co\.uk|news|tv|io|info))\b", re.I)


def guess_outlet(text: str, path: str | None = None) -> str | None:
    """The article's own outlet, or None. Conservative: a wrong outlet on a
    citation misleads, a missing one only says less."""
    lines = [s for ln in text.split("\n") if (s := ln.strip())]
    for ln in lines[:_HEAD_LINES]:
        m = _WIRE.match(ln)
        if m:
            return _tidy(m.group(1))
    for ln in lines[:_HEAD_LINES] + lines[-3:]:
        m = _BIO_OUTLET.match(ln)
        if m and _ok(m.group(1)):
            return _tidy(m.group(1))
    for needles, pat in _OUTLET_PATTERNS:
        for n in needles:  # a loop, not any(<generator>): the generator cost more than the searches
            if n in text:
                break
        else:
            continue
        m = pat.search(text)
        if m and _ok(m.group(1)):
            return _tidy(m.group(1))
    if path and path != "-":
        return _outlet_of_file(path.split("#")[0].split(":")[0])
    return None


@lru_cache(maxsize=1024)
def _outlet_of_file(path: str) -> str | None:
    """The outlet a file name gives (``nytimes-2016.txt``), once per file:
    every article of a JSONL file has the same one."""
    stem = os.path.basename(path).lower()
    m = _DOMAIN.search(stem)
    if m:
        return m.group(1).removeprefix("www.")
    for token in re.split(r"[^a-z0-9]+", stem):
        if token in _KNOWN:
            return _KNOWN[token]
    return None


def _tidy(name: str) -> str:
    name = name.strip(" .,'’")
    return _ALIASES.get(name, name)


def _ok(name: str) -> bool:
    name = name.strip(" .,'’")
    return 1 <= len(name.split()) <= 6 and name.lower() not in _NOT_OUTLETS


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY),? "
_MDY = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (\d{1,2}),? (\d{4})"
_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_TIME = r"(?:,? (?:at )?\d{1,2}(?::\d{2})? ?(?:[ap]\.?m\.?|[AP]\.?M\.?)?(?: [A-Z]{2,4})?)?"
# A date line ("Mar 11, 2025, 6:42pm PDT", "Tuesday, October 16, 2018"), a
# date with a label ("Published on Aug 11, 2016", "Posted: ..."), or a
# dateline ("MONDAY, Jan. 25, 2016 (HealthDay News) --").
_DATE_LINE = re.compile(
    rf"^(?:(?:published|posted|updated|last updated|date)(?: on| at [^,]{{1,20}} on)?:? )?(?:{_WEEKDAY})?"
    rf"(?:{_MDY}|{_ISO}(?:T[\d:.+-Z]+)?){_TIME}(?:,? by .{{1,60}}|\s*\([^)]{{1,40}}\)\s*(?:--|—|–)\s.*|:\s.*)?$", re.I)
_LABELLED = re.compile(rf"\b(?:Posted|Published)(?: on)?:? (?:{_WEEKDAY})?{_MDY}")


def guess_published(text: str) -> str | None:
    """A date line near the top, or a labelled one ("Posted: ..."), is the
    article's date; dates inside sentences and photo captions ("In this
    May 4, 2001, file photo") are events, not publication."""
    for ln in [s for ln in text.split("\n") if (s := ln.strip())][:_HEAD_LINES]:
        m = _DATE_LINE.match(ln) or (("Posted" in ln or "Published" in ln) and _LABELLED.search(ln))
        if m:
            g = [x for x in m.groups() if x is not None]
            d = _date(*g[:3])
            if d:
                return d
    return None


def _date(a: str, b: str, c: str) -> str | None:
    try:
        if a.isdigit():  # ISO
            return date(int(a), int(b), int(c)).isoformat()
        return date(int(c), _MONTHS[a[:3].lower()], int(b)).isoformat()
    except (ValueError, KeyError):
        return None


# A clock a little ahead of ours, or a date in a time zone east of UTC, is not "in the future".
FUTURE_SLACK = timedelta(days=1)
_MDY_DATE = re.compile(rf"(?:{_WEEKDAY})?{_MDY}", re.I)


def check_date(article: Article) -> tuple[Article, LoadError | None]:
    """``article`` with its ``published`` in ISO form, or a copy without it
    and a warning that says why (see :func:`checked_published`). Applied
    where articles come in: files and JSONL rows, API requests, ingest."""
    iso, why = checked_published(article.published)
    if iso == article.published:
        return article, None
    fixed = replace(article, published=iso)
    return fixed, LoadError(article.path or article.id, why) if why else None


def checked_published(value: str | None) -> tuple[str | None, str | None]:
    """A publication date given as metadata, as ``(ISO 8601 form, None)``,
    or ``(None, why it is left out)`` when it is not a date or lies more
    than a day ahead of the clock. A story's first and last seen, its place
    in the story list and the clustering's time all come from it, so a
    value that is not a date must not pass for one (and a date in another
    format would sort as text among the ISO ones).

    Read: ISO 8601 (``datetime.fromisoformat``), a feed's RFC 2822 date
    ("Tue, 10 Jun 2003 04:00:00 GMT") and the date lines the text guesser
    reads ("March 11, 2025"). Not dateutil's fuzzy parser: it takes "may"
    or "5" for a date this month, the guess this check is here to refuse."""
    if value is None or not value.strip():
        return None, None
    when = _parse_date(value.strip())
    shown = repr(value if len(value) <= 40 else value[:40] + "…")
    if when is None:
        return None, (f"published {shown} is not a date (give ISO 8601, such as 2024-05-01 or "
                      "2024-05-01T09:30:00Z); the article is kept without it")
    iso, moment = when
    limit = datetime.now(timezone.utc) + FUTURE_SLACK
    if moment > limit:
        return None, (f"published {shown} is in the future (after {limit.isoformat(timespec='minutes')}); "
                      "the article is kept without it")
    return iso, None


def _parse_date(value: str) -> tuple[str, datetime] | None:
    """``(ISO form, the moment in UTC)`` of a date string, else None; a date
    without a time is its first moment, a time without an offset is UTC."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        pass
    else:
        return day.isoformat(), datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            moment = parse(value)
        except (ValueError, TypeError, IndexError):
            continue
        aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        return moment.isoformat(), aware
    m = _MDY_DATE.fullmatch(value)
    iso = _date(*m.groups()) if m else None
    return (iso, datetime.fromisoformat(iso).replace(tzinfo=timezone.utc)) if iso else None
