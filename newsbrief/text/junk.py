"""Junk pages: scraped text that is about the web page itself (a cookie or
consent wall, a log-in or subscription prompt, a "page not found", a web
archive's crawl notice) rather than about the world.

Such pages carry no story, and the same template turns up under many
unrelated stories (Multi-News holds archive notices under dozens of them), so
clustering glues those stories together; near-duplicate detection finds them
copies of each other. The clusterer keeps a junk article in a story of its own.

The test reads only the keyword counts the clusterer already stores
(:func:`newsbrief.stories.cluster.keywords`), so a store replaying its
articles reaches the same verdicts: a page is junk when at least
``JUNK_SHARE`` of its content words are web-page furniture (the lexicon
below: browsers, accounts, subscriptions, archiving, errors). On Multi-News
val (2,000 clusters) it flags 144 of the 173 pages copied under different
stories and 23 other pages, every one a cookie, log-in, notification, error
or web-archive page; on dev the 5 archive notices and no news
(``bench/stories.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

__all__ = ["JUNK_SHARE", "furniture_share", "furniture_stems", "is_junk"]

JUNK_SHARE = 0.2

# Words about the page, the site and the reader's account, not about events.
# Deliberately without the names of social networks and without "video",
# "share" or "app": news about technology uses them.
_FURNITURE = """
cookie cookies browser browsers javascript scripting enable enabled disable disabled subscribe subscriber subscribers
subscription subscriptions login logged log sign signed account accounts email emails password username privacy policy
terms click clicking site website websites page pages homepage crawl crawls crawled crawler crawling archive archived
archives archiving wayback seed seedlist url urls domain domains host hosts verify verification verified profile
register registration advertising advertisements advertisers reprint reprints copyright permission download downloaded
notification notifications newsletter newsletters consent settings personalize personalized personalise tailor
collection collections captures welcome sorry error request requested spelling expired unavailable invalid
"""


@lru_cache(maxsize=1)
def furniture_stems() -> frozenset[str]:
    """The stems of the furniture lexicon (what :func:`furniture_share` counts)."""
    from .tokens import stem

    return frozenset(stem(w) for w in _FURNITURE.split())


def furniture_share(keywords: Mapping[str, float]) -> float:
    """Share of the content-word occurrences (``@name`` entries aside) that
    are web-page furniture."""
    stems = furniture_stems()
    total = furniture = 0.0
    for t, c in keywords.items():
        if t.startswith("@"):
            continue
        total += c
        if t in stems:
            furniture += c
    return furniture / total if total else 0.0


def is_junk(keywords: Mapping[str, float], share: float = JUNK_SHARE) -> bool:
    """True for a page about the page (see the module docstring), and for a
    text without a single content word (nothing to group it by)."""
    return not any(not t.startswith("@") for t in keywords) or furniture_share(keywords) >= share
