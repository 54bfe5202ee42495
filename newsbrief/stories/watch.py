"""Following feeds: one poll of every feed in the store (``newsbrief watch --once``).

For each feed: a conditional GET (the stored ETag / Last-Modified; 304 is
nothing new) through the SSRF-safe fetcher, the feed read
(:mod:`newsbrief.sources.feeds`), and for every item URL not seen before:
the page fetched, its missing headline, date and outlet taken from the feed,
and the article ingested the way ``newsbrief ingest`` does
(:class:`~newsbrief.stories.ingest.Ingestor`).

Crash safety: an item is recorded in the same transaction as its article, so
a ``kill -9`` mid-poll leaves every item either stored with its article or
not seen at all, and the next poll fetches just the latter (an item whose
text was stored before is recorded on its own: the article is already
there). The feed's new validators are stored only after a poll in which
every page came in; otherwise the next poll gets the feed again (not a 304)
and retries the pages that failed.

One feed or page that fails is one line (``PollReport.problems``) and the
feed's ``last_error``; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..model import Article, LoadError
from ..sources.feeds import Feed, FeedEntry, FeedError, parse_feed
from ..sources.fetch import FEED_TYPES, FetchError, FetchPolicy, fetch, fetch_article
from ..sources.meta import check_date
from ..store import FeedInfo, Store, open_store
from ..store.db import readonly_error
from .ingest import Ingestor

__all__ = ["FeedResult", "PollReport", "poll_once", "poll_feed"]

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
    existing: int = 0  # pages whose text was stored already
    skipped: list[str] = field(default_factory=list)  # pages fetched but no article (not English, no text)
    page_errors: list[str] = field(default_factory=list)  # pages not fetched (retried next poll)


@dataclass(slots=True)
class PollReport:
    feeds: list[FeedResult] = field(default_factory=list)
    db: str | None = None

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

    def to_dict(self) -> dict[str, Any]:
        return {"db": self.db, "added": self.added, "not_modified": self.not_modified,
                "problems": self.problems, "feeds": [asdict(f) for f in self.feeds]}


Say = Callable[[str], None]


def poll_once(db: str | Path | Store | None, policy: FetchPolicy, say: Say | None = None) -> PollReport:
    """Poll every feed in the store at ``db`` once; ``say`` gets each
    problem line as it happens. Store failures raise StoreError."""
    with open_store(db, verify=True) as store:
        if store.readonly:
            raise readonly_error(store.path)
        ingestor = Ingestor(store)
        report = PollReport(db=str(store.path))
        for feed in store.feeds():
            report.feeds.append(poll_feed(store, ingestor, feed, policy, say or _quiet))
    return report


def poll_feed(store: Store, ingestor: Ingestor, feed: FeedInfo, policy: FetchPolicy, say: Say) -> FeedResult:
    """One feed: fetch (conditional), read, take every new item."""
    result = FeedResult(feed.id, feed.url)
    try:
        page = fetch(feed.url, policy, headers=_request_headers(feed), types=FEED_TYPES)
        if page.status == 304:
            result.not_modified = True
            store.feed_polled(feed.id, error=None, failed=False)
            return result
        got = parse_feed(page.body, page.url, page.content_type)
    except (FetchError, FeedError) as e:
        result.error = f"feed {feed.url}: {e}"
        say(result.error)
        store.feed_polled(feed.id, error=str(e), failed=True)
        return result
    seen = store.seen_items(feed.id)
    for entry in got.entries:
        if entry.url not in seen:
            result.new_items += 1
            _take(store, ingestor, feed.id, got, entry, policy, result, say)
    done = not result.page_errors
    store.feed_polled(feed.id, error=None if done else result.page_errors[0], failed=False, title=got.title,
                      validators=(page.headers.get("etag"), page.headers.get("last-modified")) if done else None)
    return result


def _request_headers(feed: FeedInfo) -> dict[str, str]:
    """Accept, and the validators of the last complete poll (conditional GET)."""
    headers = {"Accept": FEED_ACCEPT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _take(store: Store, ingestor: Ingestor, feed_id: int, feed: Feed, entry: FeedEntry, policy: FetchPolicy,
          result: FeedResult, say: Say) -> None:
    """Fetch and ingest one new item, recording it with its article."""
    try:
        article = fetch_article(entry.url, policy, id=entry.url)
    except FetchError as e:
        result.page_errors.append(f"page {entry.url}: {e}")
        say(result.page_errors[-1])
        return
    article, _bad_date = check_date(with_feed_metadata(article, entry, feed.title))
    got = ingestor.add(article, then=lambda aid: store.add_feed_item(feed_id, entry.url, aid))
    if isinstance(got, LoadError):  # nothing to store from this page: seen, not retried
        store.add_feed_item(feed_id, entry.url, None)
        result.skipped.append(f"page {entry.url}: {got.reason}")
    elif got.created:
        result.added += 1
    else:
        result.existing += 1


def with_feed_metadata(article: Article, entry: FeedEntry, outlet: str | None) -> Article:
    """The page's own headline, date and outlet win; the feed fills what it
    lacks. An outlet that is only the page's host name (trafilatura's last
    resort) gives way to the feed's title, which names the outlet."""
    host = urlsplit(entry.url).netloc.lower().removeprefix("www.")
    own = article.outlet if article.outlet and article.outlet.lower().removeprefix("www.") != host else None
    return replace(article, title=article.title or entry.title, published=article.published or entry.published,
                   outlet=own or outlet or article.outlet)


def _quiet(_line: str) -> None:
    """No progress lines."""
