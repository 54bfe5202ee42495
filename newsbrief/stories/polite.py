"""The feed watcher's manners: every request it makes goes through
:meth:`Hosts.get`, which per origin (``scheme://host:port``):

- obeys robots.txt (:mod:`newsbrief.sources.robots`), kept in the store's
  ``hosts`` table and fetched again after a day; a robots.txt that answers
  5xx or 429, or not at all, puts the whole origin off limits for this poll;
- waits at least ``WatchSettings.rate`` seconds between the end of one
  request and the start of the next (the site's Crawl-delay when larger, up
  to ``max_crawl_delay``), across every feed of the poll;
- after a 429 or 503 with Retry-After (seconds or an HTTP date; a 429
  without one counts as ``DEFAULT_429_WAIT``), asks nothing of the origin
  before then (capped at ``max_retry_after``); the time is kept in the
  store, so the next poll, or another process, waits too.

A URL robots.txt forbids raises :class:`Forbidden`; one that must wait
raises :class:`Waiting`; both are :class:`FetchError`.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from ..sources.fetch import TEXT_TYPES, FetchError, FetchPolicy, Page, fetch
from ..sources.robots import ROBOTS_MAX_BYTES, ROBOTS_TTL, Rules, origin, usable
from ..store import Store

__all__ = ["Forbidden", "Waiting", "WatchSettings", "Hosts", "DEFAULT_429_WAIT", "utc_now", "utc_after"]

DEFAULT_429_WAIT = 600.0  # seconds: a 429 that does not say how long to wait


class Forbidden(FetchError):
    """robots.txt forbids the URL (for our user agent)."""


class Waiting(FetchError):
    """The origin must not be asked now (its Retry-After, or its robots.txt
    could not be read this poll)."""


@dataclass(frozen=True, slots=True)
class WatchSettings:
    """How the watcher fetches: the fetch policy (the server's rules) and
    its manners. ``NEWSBRIEF_WATCH_RATE`` and ``NEWSBRIEF_WATCH_MAX_CRAWL_DELAY``
    (seconds) set the two a user may want to change."""

    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    rate: float = 1.0  # seconds between two requests to one origin
    max_crawl_delay: float = 30.0  # a larger Crawl-delay is taken as this
    max_retry_after: float = 24 * 3600.0
    page_tries: int = 3  # a page that fails this many polls in a row is recorded as seen, with its error
    feed_backoff: float = 300.0  # after a failed poll, the feed waits this long, doubled each failure in a row ...
    feed_backoff_max: float = 6 * 3600.0  # ... up to this

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, fetch: FetchPolicy | None = None) -> WatchSettings:
        """Defaults, ``NEWSBRIEF_FETCH_*`` (unless ``fetch`` is given) and
        ``NEWSBRIEF_WATCH_*``; ValueError with a one-line reason."""
        env = os.environ if env is None else env
        got = {}
        for name in ("rate", "max_crawl_delay"):
            var = f"NEWSBRIEF_WATCH_{name.upper()}"
            raw = (env.get(var) or "").strip()
            if raw:
                try:
                    got[name] = float(raw)
                except ValueError:
                    raise ValueError(f"{var}={raw!r}: expected seconds (a number)") from None
                if not 0 <= got[name] < math.inf:
                    raise ValueError(f"{var}={raw!r}: expected 0 seconds or more")
        return cls(fetch=fetch or FetchPolicy.from_env(env), **got)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def utc_after(seconds: float) -> str:
    """Now plus ``seconds``, rounded up to the whole second (ISO UTC), so a
    wait is never cut short by the rounding."""
    t = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    return (t.replace(microsecond=0) + timedelta(seconds=1 if t.microsecond else 0)).isoformat()


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date), or None."""
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class Hosts:
    """The origins one poll asks, with their rules, waits and last request
    times. ``stop`` cuts a rate-limit sleep short (the request is then not
    made: :class:`Waiting`)."""

    def __init__(self, store: Store, settings: WatchSettings, stop: threading.Event | None = None) -> None:
        self.store, self.settings = store, settings
        self.stop = stop or threading.Event()
        self._last: dict[str, float] = {}  # origin -> monotonic time its last request ended
        self._rules: dict[str, Rules] = {}
        self._off: dict[str, str] = {}  # origin -> why nothing is asked of it this poll

    def get(self, url: str, *, headers: Mapping[str, str] | None = None,
            types: tuple[str, ...] = TEXT_TYPES) -> Page:
        """Fetch ``url`` politely (see the module docstring); FetchError."""
        host = origin(url)
        rules = self._allowed(url)
        return self._request(host, url, headers, types, rules.crawl_delay())

    def _allowed(self, url: str) -> Rules:
        """The rules of ``url``'s origin, after checking that it may be asked
        now and that they allow ``url`` (also run on every redirect target)."""
        host = origin(url)
        self._check_wait(host)
        rules = self._robots(host)
        if not rules.allows(url):
            raise Forbidden(f"forbidden by {host}/robots.txt")
        return rules

    def _redirect(self, url: str) -> None:
        """A redirect target must be allowed too (it is fetched within the same request)."""
        try:
            self._allowed(url)
        except Forbidden as e:
            raise Forbidden(f"redirected to {url}, {e}") from None

    def _check_wait(self, host: str) -> None:
        if host in self._off:
            raise Waiting(self._off[host])
        info = self.store.host(host)
        if info is not None and info.not_before and info.not_before > utc_now():
            raise Waiting(f"{host} asked us to wait: nothing is fetched from it until {info.not_before}")

    def _robots(self, host: str) -> Rules:
        """The origin's rules: from this poll, else from the store when
        fresh, else fetched (and stored when the answer decides anything)."""
        if host in self._rules:
            return self._rules[host]
        info = self.store.host(host)
        if info is not None and info.robots is not None and time.time() - _parse_time(info.robots_fetched) < ROBOTS_TTL:
            rules = Rules(info.robots, info.robots_status or 200)
        else:
            rules = self._fetch_robots(host)
        self._rules[host] = rules
        return rules

    def _fetch_robots(self, host: str) -> Rules:
        try:
            page = self._request(host, f"{host}/robots.txt", None, ("",), None, robots=True)
            text, status = page.body.decode("utf-8", "replace"), page.status
        except Waiting:
            raise
        except FetchError as e:
            if e.status is None or not usable(e.status):
                self._off[host] = f"{host}/robots.txt could not be read ({e}): nothing is fetched from {host} " \
                                  "this poll"
                raise Waiting(self._off[host]) from None
            text, status = "", e.status
        self.store.put_robots(host, text, status)
        return Rules(text, status)

    def _request(self, host: str, url: str, headers: Mapping[str, str] | None, types: tuple[str, ...],
                 crawl_delay: float | None, *, robots: bool = False) -> Page:
        """One request, after the origin's gap since its last one. Its
        redirects must be allowed too, except robots.txt's own (RFC 9309
        follows them: the rules are what the last one answers)."""
        gap = max(self.settings.rate, min(crawl_delay or 0.0, self.settings.max_crawl_delay))
        wait = self._last.get(host, -math.inf) + gap - time.monotonic()
        if wait > 0 and self.stop.wait(wait):
            raise Waiting("the watcher is stopping")
        policy = replace(self.settings.fetch, max_bytes=min(ROBOTS_MAX_BYTES, self.settings.fetch.max_bytes)) \
            if robots else self.settings.fetch
        try:
            return fetch(url, policy, headers=headers, types=types, redirect=None if robots else self._redirect)
        except FetchError as e:
            if e.status in (429, 503):
                self._back_off(host, e)
            raise
        finally:
            self._last[host] = time.monotonic()

    def _back_off(self, host: str, e: FetchError) -> None:
        """A 429 or 503: the origin waits its Retry-After (Waiting); a 503
        without one is an ordinary failure."""
        seconds = retry_after(e.retry_after)
        if seconds is None and e.status == 429:
            seconds = DEFAULT_429_WAIT
        if seconds is None:
            return
        until = utc_after(min(seconds, self.settings.max_retry_after))
        self.store.host_wait(host, until)
        raise Waiting(f"{e}: {host} asked us to wait: nothing is fetched from it until {until}",
                      e.status, e.retry_after) from None


def _parse_time(value: str | None) -> float:
    """POSIX time of a stored ISO time; 0 (long ago) when there is none."""
    try:
        return datetime.fromisoformat(value).timestamp() if value else 0.0
    except ValueError:
        return 0.0
