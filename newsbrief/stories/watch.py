"""Following feeds: polls of every feed in the store (``newsbrief watch``).

For each feed: a conditional GET (the stored ETag / Last-Modified; 304 is
nothing new), the feed read (:mod:`newsbrief.sources.feeds`: RSS, Atom,
JSON Feed, news sitemaps and sitemap indexes, whose child sitemaps are read
in turn), and for every item URL not seen before: the page fetched, its
missing headline, date and outlet taken from the feed, and the article
ingested the way ``newsbrief ingest`` does
(:class:`~newsbrief.stories.ingest.Ingestor`). An item seen before that
comes back with a later date is fetched again; when its text changed, the
new text replaces the old article in its story (:meth:`Ingestor.replace`).
Every request is polite (:mod:`.polite`: robots.txt, a per-host rate
limit, Retry-After).

Crash safety: an item is recorded in the same transaction as its article, so
a ``kill -9`` mid-poll leaves every item either stored with its article or
not seen at all, and the next poll fetches just the latter. The feed's new
validators are stored only after a poll in which every item came in (or
was given up); otherwise the next poll gets the feed again (not a 304) and
retries what failed.

Failures: one line each (``PollReport.problems``) and the feed's
``last_error``; the others go on. A feed that fails waits before its next
poll (5 minutes, doubled each failure in a row, up to 6 hours); a page
that fails ``page_tries`` polls in a row is recorded as seen with its
error, so that one dead page does not keep its feed from 304s for ever; a
page robots.txt forbids is recorded as seen at once, with the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..model import Article, LoadError
from ..sources.feeds import Feed, FeedEntry, FeedError, parse_feed
from ..sources.fetch import FEED_TYPES, FetchError, article_from_page
from ..sources.meta import check_date
from ..store import FeedInfo, Store, open_store
from ..store.db import FeedItem, readonly_error
from .ingest import Ingestor
from .polite import Forbidden, Hosts, Waiting, WatchSettings, utc_after, utc_now

__all__ = ["FeedResult", "PollReport", "WatchSettings", "Watcher", "poll_once", "poll_feed", "watch"]

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
               "text/xml;q=0.9, */*;q=0.1")


@dataclass(slots=True)
class FeedResult:
    """What one poll of one feed did."""

    feed_id: int
    url: str
    not_modified: bool = False  # answered 304
    error: str | None = None  # the feed itself could not be fetched or read
    new_items: int = 0  # item URLs not seen before
    added: int = 0  # articles stored
    updated: int = 0  # articles replaced by a changed text (the feed gave the item a later date)
    existing: int = 0  # pages whose text was stored already
    skipped: list[str] = field(default_factory=list)  # pages fetched but no article (not English, no text)
    page_errors: list[str] = field(default_factory=list)  # pages (or child sitemaps) not fetched
    forbidden: list[str] = field(default_factory=list)  # pages robots.txt forbids (recorded as seen)
    waiting: list[str] = field(default_factory=list)  # the feed or its pages wait (backoff, Retry-After)
    complete: bool = True  # every item is in or given up: the feed's validators were kept


@dataclass(slots=True)
class PollReport:
    feeds: list[FeedResult] = field(default_factory=list)
    db: str | None = None
    started: str | None = None
    stopped: bool = False  # cut short by a stop request

    @property
    def added(self) -> int:
        return sum(f.added for f in self.feeds)

    @property
    def not_modified(self) -> int:
        return sum(f.not_modified for f in self.feeds)

    @property
    def problems(self) -> list[str]:
        """One line per feed or page that failed."""
        return [line for f in self.feeds for line in ([f.error] if f.error else []) + f.page_errors]

    @property
    def forbidden(self) -> list[str]:
        """One line per page robots.txt forbids (each once: it is then recorded as seen)."""
        return [line for f in self.feeds for line in f.forbidden]

    @property
    def waiting(self) -> list[str]:
        """One line per feed or host that waits (not failures)."""
        return list(dict.fromkeys(line for f in self.feeds for line in f.waiting))

    def summary(self) -> str:
        """The poll in one line."""
        fs = self.feeds
        return (f"{len(fs)} feed(s) polled ({self.not_modified} not modified, {len(self.waiting)} waiting), "
                f"{sum(f.new_items for f in fs)} new item(s): {self.added} article(s) added, "
                f"{sum(f.updated for f in fs)} updated, {sum(f.existing for f in fs)} already stored, "
                f"{sum(len(f.skipped) for f in fs)} without an article, {len(self.forbidden)} forbidden by "
                f"robots.txt; {len(self.problems)} failure(s)"
                f"{'; stopped' if self.stopped else ''}; database {self.db}")

    def to_dict(self) -> dict[str, Any]:
        return {"db": self.db, "started": self.started, "added": self.added, "not_modified": self.not_modified,
                "stopped": self.stopped, "problems": self.problems, "forbidden": self.forbidden,
                "waiting": self.waiting,
                "feeds": [asdict(f) for f in self.feeds]}


Say = Callable[[str], None]
Models = Callable[[], AbstractContextManager]


@dataclass(slots=True)
class _Poll:
    """What one poll works with."""

    store: Store
    ingestor: Ingestor
    settings: WatchSettings
    hosts: Hosts
    say: Say
    stop: threading.Event
    models: Models  # held while the models run (the server's models thread stays idle meanwhile)


def poll_once(db: str | Path | Store | None, settings: WatchSettings, say: Say | None = None, *,
              stop: threading.Event | None = None, models: Models | None = None) -> PollReport:
    """Poll every feed in the store at ``db`` once; ``say`` gets each
    problem line as it happens; ``stop`` (set from another thread or a
    signal handler) ends the poll before the next item. Store failures
    raise StoreError."""
    with open_store(db, verify=True) as store:
        if store.readonly:
            raise readonly_error(store.path)
        return _poll(store, Ingestor(store), settings, say, stop, models)


def _poll(store: Store, ingestor: Ingestor, settings: WatchSettings, say: Say | None,
          stop: threading.Event | None, models: Models | None) -> PollReport:
    stop = stop or threading.Event()
    ctx = _Poll(store, ingestor, settings, Hosts(store, settings, stop), say or _quiet, stop, models or nullcontext)
    report = PollReport(db=str(store.path), started=utc_now())
    for feed in store.feeds():
        if stop.is_set():
            report.stopped = True
            break
        report.feeds.append(poll_feed(ctx, feed))
    report.stopped = report.stopped or stop.is_set()
    return report


def watch(db: str | Path | Store | None, settings: WatchSettings, interval: float, *, stop: threading.Event,
          say: Say | None = None, on_poll: Callable[[PollReport], None] | None = None,
          models: Models | None = None) -> None:
    """Poll, then wait ``interval`` seconds, until ``stop`` is set (between
    items: what was stored stays). One store and story index for all polls."""
    with open_store(db, verify=True) as store:
        if store.readonly:
            raise readonly_error(store.path)
        ingestor = Ingestor(store)
        while not stop.is_set():
            report = _poll(store, ingestor, settings, say, stop, models)
            if on_poll is not None:
                on_poll(report)
            stop.wait(interval)


def poll_feed(ctx: _Poll, feed: FeedInfo) -> FeedResult:
    """One feed: unless it waits, fetch (conditional), read, take every new or updated item."""
    result = FeedResult(feed.id, feed.url)
    if feed.not_before and feed.not_before > utc_now():
        result.waiting.append(f"feed {feed.url}: waiting until {feed.not_before} (after {feed.errors} failed "
                              "poll(s) in a row)")
        return result
    try:
        page = ctx.hosts.get(feed.url, headers=_request_headers(feed), types=FEED_TYPES)
        if page.status == 304:
            result.not_modified = True
            ctx.store.feed_polled(feed.id, error=None, failed=False)
            return result
        got = parse_feed(page.body, page.url, page.content_type, ctx.settings.fetch.max_bytes)
    except Waiting as e:
        result.waiting.append(f"feed {feed.url}: {e}")
        return result
    except (FetchError, FeedError) as e:
        return _feed_failed(ctx, feed, result, e)
    _read_children(ctx, got, result)
    seen = ctx.store.seen_items(feed.id)
    for entry in got.entries:
        if ctx.stop.is_set():
            result.complete = False
            break
        item = seen.get(entry.url)
        if item is None or _pending(item, ctx.settings.page_tries):
            result.new_items += item is None
            _take(ctx, feed.id, got.title, entry, result)
        elif item.article_id is not None and entry.updated and item.updated and entry.updated > item.updated:
            _update(ctx, feed.id, got.title, entry, item, result)
    problems = result.page_errors + result.forbidden
    ctx.store.feed_polled(feed.id, error=problems[0] if problems else None, failed=False, title=got.title,
                          validators=(page.headers.get("etag"), page.headers.get("last-modified"))
                          if result.complete else None)
    return result


def _feed_failed(ctx: _Poll, feed: FeedInfo, result: FeedResult, e: Exception) -> FeedResult:
    """The feed could not be fetched or read: one line, and it waits
    (exponential backoff) before its next poll."""
    s = ctx.settings
    until = utc_after(min(s.feed_backoff * 2 ** min(feed.errors, 30), s.feed_backoff_max))
    result.error = f"feed {feed.url}: {e} (next try after {until})"
    ctx.say(result.error)
    ctx.store.feed_polled(feed.id, error=str(e), failed=True, not_before=until)
    return result


def _read_children(ctx: _Poll, got: Feed, result: FeedResult) -> None:
    """A sitemap index: its child sitemaps' entries join the feed's (one level deep)."""
    known = {e.url for e in got.entries}
    for child in got.sitemaps:
        if ctx.stop.is_set():
            result.complete = False
            return
        try:
            page = ctx.hosts.get(child, types=FEED_TYPES)
            part = parse_feed(page.body, page.url, page.content_type, ctx.settings.fetch.max_bytes)
        except Waiting as e:
            result.waiting.append(f"sitemap {child}: {e}")
            result.complete = False
            continue
        except (FetchError, FeedError) as e:
            result.page_errors.append(f"sitemap {child}: {e}")
            ctx.say(result.page_errors[-1])
            result.complete = False
            continue
        got.title = got.title or part.title
        got.entries += [e for e in part.entries if e.url not in known and not known.add(e.url)]


def _pending(item: FeedItem, tries: int) -> bool:
    """An item whose page failed fewer than ``tries`` polls in a row: fetched again."""
    return item.article_id is None and 0 < item.failures < tries


def _request_headers(feed: FeedInfo) -> dict[str, str]:
    """Accept, and the validators of the last complete poll (conditional GET)."""
    headers = {"Accept": FEED_ACCEPT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _fetch_page(ctx: _Poll, entry: FeedEntry, outlet: str | None, result: FeedResult) -> Article | None:
    """The item's page as an article (metadata the page lacks from the
    feed), or None after a Waiting (noted; the item stays to do)."""
    try:
        article = article_from_page(ctx.hosts.get(entry.url), id=entry.url)
    except Waiting as e:  # one line per host, not per page
        if str(e) not in result.waiting:
            result.waiting.append(str(e))
        result.complete = False
        return None
    return check_date(with_feed_metadata(article, entry, outlet))[0]


def _take(ctx: _Poll, feed_id: int, outlet: str | None, entry: FeedEntry, result: FeedResult) -> None:
    """Fetch and ingest one new item, recording it with its article."""
    try:
        article = _fetch_page(ctx, entry, outlet, result)
    except Forbidden as e:
        ctx.store.add_feed_item(feed_id, entry.url, None, updated=entry.updated, error=str(e))
        result.forbidden.append(f"page {entry.url}: {e} (recorded as seen, not fetched)")
        return
    except FetchError as e:
        _page_failed(ctx, feed_id, entry, e, result, None)
        return
    if article is None:
        return
    with ctx.models():
        got = ctx.ingestor.add(article, then=lambda aid: ctx.store.add_feed_item(feed_id, entry.url, aid,
                                                                                 updated=entry.updated))
    if isinstance(got, LoadError):  # nothing to store from this page: seen, not retried
        ctx.store.add_feed_item(feed_id, entry.url, None, updated=entry.updated, error=got.reason)
        result.skipped.append(f"page {entry.url}: {got.reason}")
    elif got.created:
        result.added += 1
    else:
        result.existing += 1


def _update(ctx: _Poll, feed_id: int, outlet: str | None, entry: FeedEntry, item: FeedItem,
            result: FeedResult) -> None:
    """An item the feed dates later than when its article was stored: its
    page again; a changed text replaces the article in its story."""
    assert item.article_id is not None
    try:
        article = _fetch_page(ctx, entry, outlet, result)
    except FetchError as e:
        _page_failed(ctx, feed_id, entry, e, result, item.article_id)
        return
    if article is None:
        return

    def record(aid: int) -> None:
        ctx.store.add_feed_item(feed_id, entry.url, aid, updated=entry.updated)

    with ctx.models():
        got = ctx.ingestor.replace(item.article_id, article, then=record)
    if isinstance(got, LoadError):  # the new page has no article: the old one stays
        ctx.store.add_feed_item(feed_id, entry.url, item.article_id, updated=entry.updated, error=got.reason)
        result.skipped.append(f"page {entry.url} (updated): {got.reason}")
    elif got.created:
        result.updated += 1
    else:  # re-dated, the same text
        result.existing += 1


def _page_failed(ctx: _Poll, feed_id: int, entry: FeedEntry, e: FetchError, result: FeedResult,
                 article_id: int | None) -> None:
    """One line; after ``page_tries`` polls in a row (or at once when
    robots.txt forbids it) the item is recorded as seen with the error."""
    n = ctx.store.item_failed(feed_id, entry.url, str(e))
    line = f"page {entry.url}{' (updated)' if article_id else ''}: {e}"
    if n >= ctx.settings.page_tries or isinstance(e, Forbidden):
        if article_id is not None:  # this version of the article is given up; the stored one stays
            ctx.store.add_feed_item(feed_id, entry.url, article_id, updated=entry.updated, error=str(e))
        line += f" (failed {n} poll(s) in a row: recorded as seen, not tried again)"
    else:
        result.complete = False
    result.page_errors.append(line)
    ctx.say(line)


def with_feed_metadata(article: Article, entry: FeedEntry, outlet: str | None) -> Article:
    """The page's own headline, date and outlet win; the feed fills what it
    lacks. An outlet that is only the page's host name (trafilatura's last
    resort) gives way to the feed's title, which names the outlet."""
    host = urlsplit(entry.url).netloc.lower().removeprefix("www.")
    own = article.outlet if article.outlet and article.outlet.lower().removeprefix("www.") != host else None
    return replace(article, title=article.title or entry.title, published=article.published or entry.published,
                   outlet=own or outlet or article.outlet, author=article.author or entry.author)


class Watcher:
    """:func:`watch` in a background thread (``newsbrief serve --watch``),
    with what its last poll did for ``/api/health``."""

    def __init__(self, db: str | Path | None, settings: WatchSettings, interval: float,
                 models: Models | None = None) -> None:
        self.db, self.settings, self.interval, self.models = db, settings, interval, models
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status: dict[str, Any] = {"interval_minutes": interval / 60, "last_poll": None,
                                        "next_poll": utc_now(), "added": 0, "problems": [], "error": None}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="newsbrief-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop between two items and wait for the thread (at most ``timeout`` s)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def status(self) -> dict[str, Any]:
        """The last poll: when, what it added, its problem lines; when the next one is due."""
        return dict(self._status)

    def _run(self) -> None:
        try:
            watch(self.db, self.settings, self.interval, stop=self._stop, on_poll=self._polled, models=self.models)
        except Exception as e:  # a store that cannot be used: shown in the status, the server goes on
            self._status = {**self._status, "next_poll": None, "error": str(e)}

    def _polled(self, report: PollReport) -> None:
        self._status = {**self._status, "last_poll": report.started, "next_poll": utc_after(self.interval),
                        "added": report.added, "problems": report.problems, "waiting": report.waiting}


def _quiet(_line: str) -> None:
    """No progress lines."""
