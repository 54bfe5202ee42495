"""Reading a news feed: RSS and Atom through feedparser, JSON Feed with json.

Only what the watcher needs from each item: its article URL (absolute), and
the headline, date and author the feed gives, used when the article page
lacks them. Parsing only, no network and no store: the watcher
(:mod:`newsbrief.stories.watch`) fetches and ingests.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

__all__ = ["Feed", "FeedEntry", "FeedError", "parse_feed", "clean_text", "iso_date", "one_line"]


class FeedError(ValueError):
    """Bytes that are not a feed; ``str()`` is a one-line reason."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str  # absolute http(s) URL of the article
    title: str | None = None
    published: str | None = None  # ISO 8601, UTC
    author: str | None = None
    updated: str | None = None  # when the entry last changed (ISO 8601, UTC): a later one means an updated article


@dataclass(slots=True)
class Feed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # a sitemap index's child sitemaps, to be read in turn


def parse_feed(body: bytes, url: str, content_type: str = "", limit: int = 2 * 1024 * 1024) -> Feed:
    """The feed (or news sitemap, :mod:`.sitemap`) at ``url`` from its
    bytes; FeedError when it is none. Items without an http(s) link are
    left out; the same link twice counts once. ``limit`` bounds a gzipped
    sitemap's inflated size."""
    from .sitemap import is_sitemap, parse_sitemap  # it reads its entries into this module's types

    if is_sitemap(body):
        got = parse_sitemap(body, url, limit)
        return Feed(got.title, _unique(list(got.entries)), got.sitemaps)
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return _json_feed(body, url)
    parsed = feedparser.parse(body, response_headers={"content-location": url,
                                                      "content-type": content_type or "application/xml"})
    entries = _unique([_entry(url, e.get("link") or e.get("id"), e.get("title"), _date(e), e.get("author"),
                              _date(e, "updated_parsed", "published_parsed")) for e in parsed.entries])
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        # A malformed feed that still gives items is read (feedparser's lax mode), as feed readers do.
        why = parsed.get("bozo_exception") if parsed.get("version") else None
        raise FeedError(f"not an RSS or Atom feed ({one_line(why) if why else 'no RSS or Atom elements'})")
    return Feed(clean_text(parsed.feed.get("title")), entries)


def _json_feed(body: bytes, url: str) -> Feed:
    """JSON Feed 1.x (https://jsonfeed.org): feedparser does not read it."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise FeedError(f"not a JSON Feed ({one_line(e)})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/"):
        raise FeedError("not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    entries = [_entry(url, i.get("url") or i.get("external_url"), i.get("title"), iso_date(i.get("date_published")),
                      _json_author(i), iso_date(i.get("date_modified") or i.get("date_published")))
               for i in items if isinstance(i, dict)]
    return Feed(clean_text(doc.get("title")), _unique(entries))


def _entry(base: str, link: Any, title: Any, published: str | None, author: Any,
           updated: str | None) -> FeedEntry | None:
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return FeedEntry(absolute, clean_text(title), published, clean_text(author), updated)


def _unique(entries: list[FeedEntry | None]) -> list[FeedEntry]:
    seen: dict[str, FeedEntry] = {}
    for e in entries:
        if e is not None and e.url not in seen:
            seen[e.url] = e
    return list(seen.values())


def _date(entry: Any, *keys: str) -> str | None:
    """feedparser's parsed date (a UTC struct_time; the first of ``keys``
    it has, by default the publication date) as ISO 8601."""
    # dict.get: the keys as parsed (feedparser's own get maps a missing updated_parsed to published_parsed, warning)
    t = next((dict.get(entry, k) for k in keys or ("published_parsed", "updated_parsed") if dict.get(entry, k)), None)
    if not t:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(t), timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, ValueError, OSError):
        return None


def iso_date(value: Any) -> str | None:
    """An ISO 8601 date or date-time as ISO 8601 in UTC (naive: taken as
    UTC), so that two of them compare as text; None when it is none."""
    if not isinstance(value, str):
        return None
    try:
        d = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    d = d.astimezone(timezone.utc) if d.tzinfo else d.replace(tzinfo=timezone.utc)
    return d.isoformat(timespec="seconds")


def _json_author(item: dict) -> Any:
    authors = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    first = authors[0] if authors else None
    return first.get("name") if isinstance(first, dict) else None


def clean_text(value: Any) -> str | None:
    """Whitespace collapsed, at most 300 characters; None for nothing or a non-string."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split())[:300] or None


def one_line(e: BaseException) -> str:
    """An exception's message on one line, at most 200 characters."""
    text = " ".join(str(e).split())
    return text[:200] or e.__class__.__name__
