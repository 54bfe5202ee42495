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

__all__ = ["Feed", "FeedEntry", "FeedError", "parse_feed"]


class FeedError(ValueError):
    """Bytes that are not a feed; ``str()`` is a one-line reason."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str  # absolute http(s) URL of the article
    title: str | None = None
    published: str | None = None  # ISO 8601, UTC
    author: str | None = None


@dataclass(slots=True)
class Feed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def parse_feed(body: bytes, url: str, content_type: str = "") -> Feed:
    """The feed at ``url`` from its bytes; FeedError when it is none. Items
    without an http(s) link are left out; the same link twice counts once."""
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return _json_feed(body, url)
    parsed = feedparser.parse(body, response_headers={"content-location": url,
                                                      "content-type": content_type or "application/xml"})
    entries = _unique([_entry(url, e.get("link") or e.get("id"), e.get("title"), _date(e), e.get("author"))
                       for e in parsed.entries])
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        # A malformed feed that still gives items is read (feedparser's lax mode), as feed readers do.
        why = parsed.get("bozo_exception") if parsed.get("version") else None
        raise FeedError(f"not an RSS or Atom feed ({_line(why) if why else 'no RSS or Atom elements'})")
    return Feed(_text(parsed.feed.get("title")), entries)


def _json_feed(body: bytes, url: str) -> Feed:
    """JSON Feed 1.x (https://jsonfeed.org): feedparser does not read it."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise FeedError(f"not a JSON Feed ({_line(e)})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/"):
        raise FeedError("not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    entries = [_entry(url, i.get("url") or i.get("external_url"), i.get("title"), _iso(i.get("date_published")),
                      _json_author(i)) for i in items if isinstance(i, dict)]
    return Feed(_text(doc.get("title")), _unique(entries))


def _entry(base: str, link: Any, title: Any, published: str | None, author: Any) -> FeedEntry | None:
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return FeedEntry(absolute, _text(title), published, _text(author))


def _unique(entries: list[FeedEntry | None]) -> list[FeedEntry]:
    seen: dict[str, FeedEntry] = {}
    for e in entries:
        if e is not None and e.url not in seen:
            seen[e.url] = e
    return list(seen.values())


def _date(entry: Any) -> str | None:
    """feedparser's parsed date (a UTC struct_time) as ISO 8601."""
    t = entry.get("published_parsed") or entry.get("updated_parsed")
    if not t:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(t), timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, ValueError, OSError):
        return None


def _iso(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        return None


def _json_author(item: dict) -> Any:
    authors = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    first = authors[0] if authors else None
    return first.get("name") if isinstance(first, dict) else None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split())[:300] or None


def _line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200] or e.__class__.__name__
