"""Outlet and date of a plain-text article, guessed from the text and the file
name. Plain text carries no metadata, and a citation is worth more when the
reader sees which outlet said it; every guess here is conservative (None
rather than wrong)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

_WORD = r"[A-Z][\w&'’-]*(?:\.[A-Za-z]+)*"
_NAME = rf"(?:[Tt]he )?{_WORD}(?:(?: of| and| &)? {_WORD})*"

# Ordered by how much each pattern says about the article's own outlet.
_OUTLET_PATTERNS = [
    # Wire datelines: "WASHINGTON (AP) —", "(Reuters) -"
    re.compile(r"^[^\n]{0,80}?\((AP|Reuters|AFP|UPI|CNN|Bloomberg|Xinhua|dpa)\)\s*[—–-]", re.M),
    re.compile(rf"(?:did not|didn[’']t) (?:immediately )?respond to (?:questions|a request for comment|requests for comment|an inquiry|inquiries) from ({_NAME})"),
    re.compile(rf"(?:told|said to) ({_NAME}) in an (?:exclusive )?interview"),
    re.compile(rf"\bis an? (?:[\w-]+ ){{0,4}}(?:correspondent|reporter|writer|editor|journalist|columnist|contributor|producer|critic|anchor)(?: [\w-]+){{0,3}} (?:at|for|with) ({_NAME})"),
    re.compile(rf"(?:Copyright|©)\s*(?:\(c\)\s*)?\d{{4}}(?:[-–]\d{{4}})?,? ({_NAME})"),
    re.compile(rf"[Tt]his (?:story|article) (?:was )?originally (?:appeared|published) (?:in|on|at) ({_NAME})"),
]

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
    for pat in _OUTLET_PATTERNS:
        m = pat.search(text)
        if m:
            name = m.group(1).strip(" .,'’")
            if 1 <= len(name.split()) <= 6 and name.lower() not in {"the", "it", "this"}:
                return name
    if path and path != "-":
        stem = Path(path.split("#")[0].split(":")[0]).name.lower()
        m = _DOMAIN.search(stem)
        if m:
            return m.group(1).removeprefix("www.")
        for token in re.split(r"[^a-z0-9]+", stem):
            if token in _KNOWN:
                return _KNOWN[token]
    return None


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DATE_MDY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (\d{1,2}),? (\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def guess_published(text: str) -> str | None:
    """A date in the first lines (a dateline or a 'Published' line) is the
    article's date; dates further down are events, not publication."""
    head = "\n".join(text.lstrip().split("\n")[:3])[:300]
    for m in _DATE_MDY.finditer(head):
        try:
            return date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2))).isoformat()
        except ValueError:
            continue
    for m in _DATE_ISO.finditer(head):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            continue
    return None
