"""The library API over the store: list stories, search, brief a stored
story. The CLI (``newsbrief stories / search / brief --story``) and the web
server call these; every call opens its own connection when given a path,
so threads and processes can share one database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..model import Briefing
from ..store import Hit, Store, StoryInfo, open_store, store_error
from ..summarize import DEFAULT_METHOD, Budget

__all__ = ["StoryNotFound", "brief_story", "cached_briefing", "search", "stories", "story"]

Db = str | Path | Store | None


class StoryNotFound(KeyError):
    """No story with that id in the store."""

    def __str__(self) -> str:  # KeyError quotes its argument; this is a sentence
        return str(self.args[0]) if self.args else "no such story"


def stories(db: Db = None, limit: int | None = None, junk: bool = False) -> list[StoryInfo]:
    """Stories, most recently seen first, each with its articles. Junk pages
    (each a story of its own, see :attr:`StoryInfo.junk`) only with ``junk``."""
    with open_store(db) as store:
        got = store.stories()
    if not junk:
        got = [s for s in got if not s.junk]
    return got[:limit] if limit is not None else got


def story(story_id: int, db: Db = None) -> StoryInfo:
    with open_store(db) as store:
        info = store.story(story_id)
    if info is None:
        raise StoryNotFound(f"no story {story_id} in the store")
    return info


def search(query: str, db: Db = None, limit: int = 20) -> list[Hit]:
    """Full-text search (SQLite FTS5, bm25) over articles and story titles;
    any input is safe (see :func:`newsbrief.store.db.fts_query`)."""
    with open_store(db) as store:
        return store.search(query, limit)


def brief_story(story_id: int, db: Db = None, *, method: str = DEFAULT_METHOD, words: int | None = None,
                sentences: int | None = None, analysis: bool = True) -> Briefing:
    """The briefing of a stored story: cached in the store per settings, and
    made again once the story has changed (a new article, a merge).

    Near-duplicates (wire copies) are left out: they would count one report
    as several sources. Articles are re-cleaned from their raw text, so the
    briefing equals :func:`newsbrief.brief` of the same files.
    """
    from ..pipeline import brief_articles

    options = _options(method, words, sentences, analysis)
    with open_store(db) as store:
        info = store.story(story_id)
        if info is None:
            raise StoryNotFound(f"no story {story_id} in the store")
        story_id = info.id  # a merged story's id names the story it went into
        cached = store.cached_briefing(story_id, options)
        if cached is not None:
            return Briefing.from_dict(cached)
        version = info.version
        articles = store.story_articles(story_id)
        for a in articles:
            a.text = ""  # re-clean: the briefing lists what the cleaner dropped, as for files
        b = brief_articles(articles, method=method, words=words, sentences=sentences, id=str(story_id),
                           analysis=analysis)
        _cache(store, story_id, options, b, version)
    return b


def cached_briefing(story_id: int, db: Db = None, *, method: str = DEFAULT_METHOD, words: int | None = None,
                    sentences: int | None = None, analysis: bool = True) -> Briefing | None:
    """The briefing :func:`brief_story` would return with these settings
    when it is cached for the story as it is now, else None: a cheap read
    for views (feeds) that must not brief many stories on one request."""
    with open_store(db) as store:
        cached = store.cached_briefing(store.resolve_story(story_id), _options(method, words, sentences, analysis))
    return Briefing.from_dict(cached) if cached is not None else None


def _options(method: str, words: int | None, sentences: int | None, analysis: bool) -> dict[str, Any]:
    """The briefing cache key: words given with sentences change nothing."""
    asked = Budget.of(words, sentences)
    return {"method": method, "words": asked.words, "sentences": asked.sentences, "analysis": analysis}


def _cache(store: Store, story_id: int, options: dict[str, Any], b: Briefing, version: int) -> None:
    """Cache the briefing when the store can take it: a read-only store, a
    full disk or a writer holding the lock cost the cache, not the briefing
    the user is waiting for (damage still stops everything)."""
    if store.readonly:
        return
    try:
        store.put_briefing(story_id, options, b, version=version)
    except sqlite3.Error as e:
        if store_error(e, store.path).kind not in ("readonly", "full", "busy"):
            raise
