"""The cleaner's rules: what counts as boilerplate in scraped news text.

Each rule names its reason; the reason is what the briefing shows beside the
dropped text. Rules err on keeping: a sentence of the story lost is worse
than a stray "Advertisement" kept, because only the first is invisible.
"""

from __future__ import annotations

import re

from ..model import Dropped

_END = re.compile(r"[.!?:;\"”’')\]]$")
_AGENCIES = (
    r"Getty Images|Getty|AP|AP Photo|Associated Press|Reuters|AFP|EPA|TASS|Bloomberg|Shutterstock|Corbis|ZUMA|"
    r"Zuma Press|Sipa|Sipa USA|NPR|NASA|WireImage|FilmMagic|Redux|Polaris|iStock|iStockphoto|Alamy|"
    r"Rex Features|REX|PA|PA Images|AAP|Xinhua|Anadolu|NurPhoto|SOPA Images|LightRocket|Pool|Handout|Courtesy"
)

NAV_WORDS = frozenset(
    """clock menu more-arrow more arrow no yes mobile share tweet email e-mail facebook twitter pinterest
    linkedin reddit whatsapp print comment comments close search subscribe login log sign in out home next
    previous prev skip to content main navigation toggle icon expand collapse open back top like follow
    save copy link play pause video audio photo photos gallery slideshow menu-icon hamburger caret chevron
    instagram youtube flipboard sms messenger google+ google plus text size - + a|a""".split()
)

# (reason, pattern) matched against a whole line, case-insensitively.
LINE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (reason, re.compile(pat, re.I))
    for reason, pat in [
        ("navigation", r"^filed under:?(\s.{0,80})?$"),
        ("navigation", r"^(top of page|skip to (main )?content|back to top|text size\s*[-+]?|jump to .{0,40})$"),
        ("navigation", r"^(play|watch|listen)( (video|facebook|now|again))?$"),
        ("navigation", r"^click to (email|share|print|tweet|open).{0,60}$"),
        ("navigation", r"^(tweet|share|email|print|comment|comments|twitter|facebook|photo|video|photos)$"),
        ("notice", r"^this (story|article|post) is (over|more than) \d+ (years?|months?) old\.?$"),
        ("notice", r"^(enlarge this image|toggle caption.{0,80}|hide caption|show caption|image \d+ of \d+)$"),
        ("notice", r"^(advertisement\s*)+$|^(sponsored( content)?|ad|ads by .{1,30}|paid content)$"),
        ("notice", r"^story continue[sd] (below|after).{0,30}$|^continue reading.{0,60}$|^\(?continued (below|on|from).{0,40}$"),
        ("notice", r"^media playback is unsupported on your device.*$"),
        ("notice", r"^(this|the) (material|article|content) may not be (published|broadcast|rewritten|redistributed).*$"),
        ("notice", r"^.{0,80}\b(all rights reserved|copyright ©?\s*\d{4}|© ?\d{4}).{0,120}$"),
        ("notice", r"^(update|updated|posted|published|last updated|editor'?s note)\s*:?\s*.{0,60}\d{4}.{0,30}$"),
        ("notice", r"^(update|related|also|more|see also|read more|full coverage|watch|listen|exclusive):?$"),
        ("notice", r"^(read or share this story|read more|more from|more on|related|see also|also read|watch|listen|recommended)\b:?.{0,120}$"),
        ("sign-up prompt", r"^.{0,120}\b(sign up (for|to)|subscribe (to|for|now|today|here)|our (daily |weekly |free )?newsletters?|in your inbox|get (our|the) .{0,40}(newsletter|emails?|alerts?))\b.{0,160}$"),
        ("sign-up prompt", r"^(have a (news )?tip|got a tip|send us a tip|contact us at|follow (us|him|her|me) on|like us on|join (us|the conversation)|download (our|the) app).{0,160}$"),
        ("social-media prompt", r"^(tweet with a location|add a location to your tweets|you can add location information to your tweets|when you tweet with a location).*$"),
        ("archive notice", r"^.{0,40}(alexa internet has been donating|these crawls are part of an effort to archive|wayback machine|this page (is|has been) archived).*$"),
        ("cookie notice", r"^.{0,80}\b(we use cookies|uses cookies|cookie policy|accept (all )?cookies|enable javascript|javascript is disabled|your browser does not support).*$"),
        ("byline", r"^(by|written by|reporting by|story by|posted by)\s+[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3}(,? (and|&) [A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3})?(,? .{0,40})?$"),
        ("dateline", r"^((mon|tues|wednes|thurs|fri|satur|sun)day,? )?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}(,? \d{1,2}:\d{2} ?([ap]\.?m\.?)?( [A-Z]{2,4})?)?( by .{1,60})?$"),
        ("separator", r"^[\W_]+$"),
    ]
]

_CREDIT_LINE = re.compile(
    rf"^\(?(?:(?:photo|image|picture|photograph|credit|photo credit|image copyright|image)s?\s*(?:by|:|–|-)\s*)?"
    rf"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,4}}\s*/\s*)*"
    rf"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,4}}\s*/\s*(?:[A-Z][\w.'’ -]*)|(?:{_AGENCIES})(?: \(\d+\))?)\)?$"
)
_CREDIT_PREFIX = re.compile(
    r"^\(?(photo|image|picture|photograph|credit|photo credit|image copyright|image caption|caption)s?\s*(by\b|:|–|-)", re.I)
_INLINE_CREDIT = re.compile(
    rf"\s*\((?:(?:AP |Reuters |AFP )?Photo(?: by)?[:/ ]\s*)?[A-Z][^()\n]{{0,80}}/\s*(?:[^()\n]{{0,60}})\)"
    rf"|\s*\((?:Photo|Image|Credit)s?:\s*[^()\n]{{1,80}}\)"
    rf"|\s*\((?:{_AGENCIES})\)(?=\s*$)"
)
_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} (?:is|was|has been|serves as) (?:a|an|the|our) "
    r"[^.]{0,100}\b(?:correspondent|reporter|writer|editor|journalist|columnist|contributor|producer|anchor|"
    r"blogger|critic|staff writer|fellow)\b"
)
_BIO_HINT = re.compile(
    r"\b(where (he|she|they) (covers|writes|reports|edits)|(he|she|they) (covers|writes about|previously worked)|"
    r"before (joining|coming to)|follow (him|her|them) on|you can (reach|follow|email)|@\w{2,})", re.I)


def line_reason(line: str) -> str | None:
    """Why a whole line is boilerplate, or None when it is (or may be) story text."""
    words = line.split()
    if _is_navigation(words, line):
        return "navigation"
    if len(words) <= 40:
        for reason, pat in LINE_PATTERNS:
            if pat.match(line):
                return reason
    if len(words) <= 12 and (_CREDIT_LINE.match(line) or (_CREDIT_PREFIX.match(line) and not _END.search(line))):
        return "photo credit"
    if len(words) <= 2 and not _END.search(line) and not any(ch.isdigit() for ch in line):
        return "fragment"
    return None


def _is_navigation(words: list[str], line: str) -> bool:
    if not 2 <= len(words) <= 20 or _END.search(line):
        return False
    nav = sum(1 for w in words if w.lower().strip(".,|") in NAV_WORDS)
    return nav / len(words) >= 0.7


_CAPTION_HINT = re.compile(
    r"\((?:L|R|C|left|right|center|centre|top|bottom|front|back|pictured)\)|\b(?:pictured|in this (?:file )?photo|"
    r"file photo|photographed|is seen|are seen|poses?|posing)\b", re.I)


def ends_sentence(line: str) -> bool:
    return bool(_END.search(line))


def is_caption(line: str) -> bool:
    """Only the short line before a credit, or one with a caption tell-tale:
    pages often put a credit under a photo with no caption at all, and the
    paragraph above it is then story text."""
    n = len(line.split())
    if line.endswith(("\"", "”")):
        return False
    return n <= 12 or (n <= 40 and bool(_CAPTION_HINT.search(line)))


def is_bio(line: str, index: int, total: int) -> bool:
    """An author bio names a journalist's job and where they work; it sits near
    the top or the bottom of the page, or carries a bio tell-tale."""
    if not _BIO.match(line):
        return False
    return index < 8 or index >= total - 3 or bool(_BIO_HINT.search(line))


def is_headline(line: str, following: list[str]) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 22:
        return False
    if not _END.search(line):
        return True
    # "Who is X? Here's what to know." followed by a section label such as "Impact"
    return bool(following) and line_reason(following[0]) == "fragment"


def strip_inline(para: str) -> tuple[str, list[Dropped]]:
    """Remove credits glued into a paragraph, e.g. a caption ending in
    "(Alexander Shcherbak/TASS/Getty Images)"."""
    dropped = [Dropped(m.group(0).strip(), "photo credit") for m in _INLINE_CREDIT.finditer(para)]
    if dropped:
        para = _INLINE_CREDIT.sub("", para).strip()
    return para, dropped
