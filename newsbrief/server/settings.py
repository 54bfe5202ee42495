"""Server settings: limits, URL-fetch policy, store path.

Every field can be set from the environment as ``NEWSBRIEF_<FIELD>`` (upper
case), e.g. ``NEWSBRIEF_MAX_ARTICLES=10`` or
``NEWSBRIEF_FETCH_ALLOW=127.0.0.1:8080,[::1]:8080``; ``newsbrief serve`` flags win over
the environment. The defaults are for one person on a laptop: generous for
news articles, small enough that one request cannot exhaust memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..sources.fetch import Allowed, AllowListError, FetchPolicy, parse_allow as _parse_allow

PREFIX = "NEWSBRIEF_"
class SettingsError(ValueError):
    """A setting (usually from the environment) that cannot be parsed."""


def parse_allow(value: str | list[str] | tuple[str, ...]) -> tuple[Allowed, ...]:
    """:func:`newsbrief.sources.fetch.parse_allow`, its error a :class:`SettingsError`."""
    try:
        return _parse_allow(value)
    except AllowListError as e:
        raise SettingsError(str(e)) from None


@dataclass(frozen=True, slots=True)
class Settings:
    # The store of `/api/articles`, `/api/stories` and `/api/search`; None is
    # newsbrief.store.default_path() ($NEWSBRIEF_DB or ~/.local/share/newsbrief).
    db: Path | None = None
    # Request limits. A body past max_body_bytes is cut off with 413 before it
    # is read whole; an article (text, HTML, file or fetched page) past
    # max_article_bytes is refused, as is a request with more than max_articles.
    max_body_bytes: int = 8 * 1024 * 1024
    max_articles: int = 30
    max_article_bytes: int = 1024 * 1024
    max_summary_words: int = 2000
    # The models answer one briefing or ingest at a time. At most queue_size
    # such requests are admitted at once (the one computing included: eight
    # people briefing at once are served, a flood is not); the next gets 503
    # with Retry-After at once, so that reads and health never wait behind a
    # pile of briefings. Each admitted request has briefing_timeout seconds
    # from admission: still waiting then, it gets 503; still computing, 504
    # (a thread cannot be interrupted: the computation runs on and keeps its
    # queue place until it ends; a story's briefing is cached for next time).
    queue_size: int = 8
    briefing_timeout: float = 60.0
    # Above this much article text in one briefing (UTF-8 bytes, all articles
    # together), the analysis is left out and the briefing says so: it costs
    # about 12 s for 256 KB and minutes for 1 MB, the summary about 12 s for 1 MB.
    max_analysis_bytes: int = 256 * 1024
    # URL fetching. Only http and https; the host is resolved and every
    # address checked (loopback, private, link-local, multicast, reserved and
    # unspecified addresses are refused unless fetch_allow admits them), at
    # every redirect hop; the connection goes to the checked address.
    # fetch_allow entries: "10.0.0.0/8" or "::1" (ports 80 and 443 only),
    # "127.0.0.1:8080", "10.0.0.0/8:8080", "[::1]:8080" (that port only).
    fetch_enabled: bool = True
    fetch_allow: tuple[Allowed, ...] = ()
    fetch_timeout: float = 10.0  # seconds for the whole fetch of one URL, redirects included
    fetch_max_bytes: int = 2 * 1024 * 1024
    fetch_max_redirects: int = 5
    # Host names the server answers to (Host header); empty: any. `newsbrief
    # serve` on a loopback address admits only localhost names, so that a web
    # page cannot reach the server through DNS rebinding.
    allowed_hosts: tuple[str, ...] = ()
    # Load the summarizer and spaCy models at start-up instead of on the first request.
    warm_up: bool = True
    # Poll the store's feeds every this many minutes in a background thread (`serve --watch`), with the
    # fetch settings above and NEWSBRIEF_WATCH_*; 0: no watcher.
    watch_interval: float = 0.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``NEWSBRIEF_*`` variables, then ``overrides`` (None means unset)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is not None and raw.strip() != "":
                values[f.name] = _parse(f.name, raw.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "fetch_allow" in values and not isinstance(values["fetch_allow"], tuple):
            values["fetch_allow"] = parse_allow(values["fetch_allow"])
        if isinstance(values.get("allowed_hosts"), (str, list)):
            values["allowed_hosts"] = _hosts(values["allowed_hosts"])
        if isinstance(values.get("db"), str):
            values["db"] = Path(values["db"]).expanduser()
        out = cls(**values)
        out.check()
        return out

    @property
    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(self.fetch_enabled, self.fetch_allow, self.fetch_timeout, self.fetch_max_bytes,
                           self.fetch_max_redirects)

    def check(self) -> None:
        for name in ("max_body_bytes", "max_articles", "max_article_bytes", "max_summary_words", "fetch_max_bytes",
                     "queue_size", "max_analysis_bytes"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")
        for name in ("fetch_timeout", "briefing_timeout"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive")
        if self.fetch_max_redirects < 0:
            raise SettingsError("fetch_max_redirects must be 0 or more")
        if not 0 <= self.watch_interval < float("inf"):
            raise SettingsError("watch_interval must be 0 (no watcher) or more minutes")


def _parse(name: str, raw: str) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if name == "fetch_allow":
            return parse_allow(raw)
        if name == "db":
            return Path(raw).expanduser()
        if name == "allowed_hosts":
            return _hosts(raw)
        if kind == "bool":
            low = raw.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except SettingsError:
        raise
    except ValueError:
        raise SettingsError(f"{PREFIX}{name.upper()}={raw!r}: expected {kind}") from None
    return raw


def _hosts(value: str | list[str]) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    return tuple(h.strip().lower() for h in items if h.strip())
