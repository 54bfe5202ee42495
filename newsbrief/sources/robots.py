"""robots.txt for the feed watcher, read with Protego (Scrapy's parser:
wildcards, ``$``, longest match wins, Crawl-delay, Sitemap lines).

What an answer means follows Google's convention (RFC 9309):

- 2xx: the rules apply;
- 4xx (no robots.txt, or none for us): everything is allowed;
- 5xx, 429, or no answer at all (timeout, refused connection, too big): the
  whole site is off limits for now, since it may forbid everything.

The watcher (:mod:`newsbrief.stories.polite`) keeps the text in the store
and fetches it again after :data:`ROBOTS_TTL`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from protego import Protego

__all__ = ["AGENT", "ROBOTS_TTL", "ROBOTS_MAX_BYTES", "Rules", "origin", "robots_url", "usable"]

AGENT = "newsbrief"  # the product token of our User-Agent, which robots.txt groups name
ROBOTS_TTL = 24 * 3600.0  # seconds a stored robots.txt is trusted
ROBOTS_MAX_BYTES = 500 * 1024  # Google reads the first 500 KiB; a bigger one is not read at all here


def origin(url: str) -> str:
    """``scheme://host:port`` of a URL: what robots.txt, the rate limit and
    Retry-After are kept per (one robots.txt serves one origin)."""
    u = urlsplit(url)
    port = u.port or (443 if u.scheme == "https" else 80)
    host = u.hostname or ""
    return f"{u.scheme}://{'[' + host + ']' if ':' in host else host}:{port}"


def robots_url(url: str) -> str:
    return origin(url) + "/robots.txt"


class Rules:
    """One origin's robots.txt as it applies to us: the ``text`` and the
    HTTP ``status`` it came with (4xx: no rules)."""

    def __init__(self, text: str, status: int) -> None:
        self.text, self.status = text, status
        self._parsed = Protego.parse(text if 200 <= status < 300 else "")

    def allows(self, url: str) -> bool:
        """May we fetch ``url``? (Matched on its path and query, for our agent.)"""
        return bool(self._parsed.can_fetch(url, AGENT))

    def crawl_delay(self) -> float | None:
        """Seconds between two requests the site asks of us, if it does."""
        delay = self._parsed.crawl_delay(AGENT)
        return float(delay) if delay is not None else None


def usable(status: int) -> bool:
    """Whether a robots.txt answer decides anything (2xx or 4xx but 429);
    otherwise the site is off limits until it answers one."""
    return 200 <= status < 300 or (400 <= status < 500 and status != 429)
