"""From loose articles to stored stories: load → clean → features → near-dup
link → online story → one SQLite transaction per article.

The store is the truth; the in-memory indexes (:class:`NearDup`,
:class:`OnlineClusterer`) are a cache of it. An :class:`Ingestor` rebuilds
them by *replaying* the stored features and decisions (forced assignments:
nothing is scored again, nothing re-clustered), then keeps them current by
replaying only the articles added after the last one it saw, inside the write
transaction of each new article. So two processes may ingest into one file at
once, each decides with everything committed before it, and a ``kill -9``
between articles loses nothing committed and leaves no half article: the
article row, its search index row, its features, its near-duplicate link and
its story move together.

Expensive work (cleaning, segmenting, embedding, MinHash) happens before the
transaction; inside it there are only index lookups and inserts, so the write
lock is held for about a millisecond per article.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from ..model import Article, LoadError
from ..store import Store, open_store
from ..store.db import readonly_error
from .cluster import OnlineClusterer, features
from .dedupe import NearDup

__all__ = ["IngestReport", "IngestedArticle", "Ingestor", "ingest"]

TITLE_CHARS = 90
SYNC_CHUNK = 20_000  # articles replayed per bulk step (bounds the memory a rebuild holds at once)


@dataclass(slots=True)
class IngestedArticle:
    """What became of one input article. ``created`` is False when the store
    already held the same text (re-ingest is a no-op)."""

    id: int
    source: str
    story_id: int | None
    duplicate_of: int | None
    created: bool
    new_story: bool = False  # it opened a story
    junk: bool = False  # a page about the web page (cookie wall, archive notice): a story of its own


@dataclass(slots=True)
class IngestReport:
    articles: list[IngestedArticle] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    new_stories: int = 0
    db: str | None = None  # the database file

    @property
    def added(self) -> int:
        return sum(a.created for a in self.articles)

    @property
    def existing(self) -> int:
        return sum(not a.created for a in self.articles)

    @property
    def duplicates(self) -> int:
        """Newly added articles linked to an earlier near-identical one."""
        return sum(a.created and a.duplicate_of is not None for a in self.articles)

    def to_dict(self) -> dict[str, Any]:
        return {"db": self.db, "added": self.added, "existing": self.existing, "duplicates": self.duplicates,
                "new_stories": self.new_stories, "errors": [{"source": e.source, "reason": e.reason}
                                                            for e in self.errors],
                "articles": [asdict(a) for a in self.articles]}


class Ingestor:
    """Adds articles to a :class:`Store`, grouping them into stories.

    Keep one for a long-lived process (a server): it loads the story index
    once and then only catches up with what other writers added.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._reset()

    def _reset(self) -> None:
        self.neardup = NearDup()
        self.clusterer = OnlineClusterer()
        self._last = 0  # highest article id replayed into the indexes
        self._story_of: dict[str, int] = {}  # clusterer story id -> store story id, for stories opened here

    def sync(self) -> int:
        """Replay stored articles not yet in the in-memory indexes; returns
        how many. Cheap when nothing changed (one indexed query); a full
        rebuild goes in bulk, ``SYNC_CHUNK`` articles at a time."""
        n = 0
        rows = iter(self.store.features_after(self._last))
        with _gc_paused():
            while chunk := list(islice(rows, SYNC_CHUNK)):
                try:
                    self._replay(chunk)
                except BaseException:
                    self._reset()  # half a chunk replayed: start again from the file next time
                    raise
                n += len(chunk)
        return n

    def _replay(self, chunk: list[tuple[int, int | None, int | None, bytes, dict, bytes, float | None]]) -> None:
        """Forced, bulk adds of stored articles (their features, near-dup links
        and current stories), in id order: no scoring, no new decision."""
        sig_len = 4 * self.neardup.num_perm
        with_story = [r for r in chunk if r[1] is not None]
        if len({len(r[3]) for r in with_story}) > 1 or any(len(r[5]) != sig_len for r in chunk):
            for aid, story, dup, vec, kws, sig, t in chunk:  # odd blobs: one by one, as written
                key = str(aid)
                self.neardup.insert(key, np.frombuffer(sig, dtype=np.uint32), str(dup) if dup is not None else None)
                if story is not None:
                    self.clusterer.add(key, np.frombuffer(vec, dtype=np.float32), kws, t, story_id=str(story))
                self._last = aid
            return
        self.neardup.insert_many([str(r[0]) for r in chunk],
                                 np.frombuffer(b"".join(r[5] for r in chunk), dtype=np.uint32),
                                 [str(r[2]) if r[2] is not None else None for r in chunk])
        if with_story:
            vecs = np.frombuffer(b"".join(r[3] for r in with_story), dtype=np.float32)
            self.clusterer.add_forced_many([str(r[0]) for r in with_story], vecs.reshape(len(with_story), -1),
                                           [r[4] for r in with_story], [r[6] for r in with_story],
                                           [str(r[1]) for r in with_story])
        self._last = chunk[-1][0]

    def add(self, article: Article) -> IngestedArticle | LoadError:
        """Store one article (cleaned here when it is not yet) in its story;
        the same text again is found, not added."""
        source = article.path or article.id
        raw = article.raw or ""
        if not raw.strip():
            return LoadError(source, "empty article")
        known = self.store.find(raw)
        if known is not None:
            return self._existing(known, source)
        from ..pipeline import prepare

        errors: list[LoadError] = []
        ready = prepare([article], errors)
        if not ready:
            return errors[0] if errors else LoadError(source, "no article text left after cleaning")
        a = ready[0]
        vecs, kws = features([a])
        vec, kw = vecs[0].astype(np.float32), kws[0]
        sig = self.neardup.signature(a.text)
        t = timestamp(a.published)
        try:
            with self.store.transaction():
                if self._last < self.store.last_article_id():
                    self.sync()
                hits = self.neardup.query(sig=sig)
                dup = None
                if hits:
                    first = hits[0][0]
                    dup = int(self.neardup.duplicate_of.get(first, first))
                aid, created = self.store.add_article(a, duplicate_of=dup)
                if not created:  # another writer stored the same text since our check
                    return self._existing(aid, source)
                forced = self.clusterer.assignment.get(str(dup)) if dup is not None else None
                story_key = self.clusterer.add(str(aid), vec, kw, t, story_id=forced)
                story = self._story_of.get(story_key) or (int(story_key) if story_key.isdigit() else None)
                new = story is None
                junk = str(aid) in self.clusterer.junk
                if new:
                    title, origin = story_title(a)
                    story = self.store.new_story(title, articles=[aid],
                                                 state={"title_from": origin, **({"junk": True} if junk else {})})
                    self._story_of[story_key] = story
                else:
                    self.store.assign(aid, story)
                    self._maybe_retitle(story, a)
                self._apply_merges()
                self.store.put_features(aid, vec, kw, sig, t)
                self.neardup.insert(str(aid), sig, str(dup) if dup is not None else None)
                self._last = aid
        except BaseException:
            # The transaction rolled back: the in-memory indexes may hold what
            # the file does not. Rebuild them from the file on the next call.
            self._reset()
            raise
        return IngestedArticle(aid, source, story, dup, True, new, junk)

    def add_all(self, articles: Iterable[Article], report: IngestReport | None = None,
                on_article: Callable[[IngestedArticle | LoadError], None] | None = None) -> IngestReport:
        report = report or IngestReport()
        for a in articles:
            got = self.add(a)
            if isinstance(got, LoadError):
                report.errors.append(got)
            else:
                report.new_stories += got.new_story
                report.articles.append(got)
            if on_article is not None:
                on_article(got)
        return report

    # --- internals ---------------------------------------------------------

    def _existing(self, aid: int, source: str) -> IngestedArticle:
        story, dup = self.store.connection.execute(
            "SELECT story_id, duplicate_of FROM articles WHERE id = ?", (aid,)).fetchone()
        junk = bool((self.store.story_state(story) or {}).get("junk")) if story is not None else False
        return IngestedArticle(aid, source, story, dup, False, junk=junk)

    def _maybe_retitle(self, story: int, a: Article) -> None:
        """A story named after a sentence takes the first real headline."""
        if not a.title:
            return
        if (self.store.story_state(story) or {}).get("title_from") != "title":
            self.store.update_story(story, title=a.title.strip()[:200], state={"title_from": "title"})

    def _apply_merges(self) -> None:
        """Mirror story merges the clusterer made (when it makes any)."""
        merged = getattr(self.clusterer, "merged", None)
        while merged:
            absorbed, kept = merged.pop(0)
            a = self._story_of.get(absorbed) or (int(absorbed) if absorbed.isdigit() else None)
            k = self._story_of.get(kept) or (int(kept) if kept.isdigit() else None)
            if a is not None and k is not None and a != k:
                self.store.merge_stories(a, k)
                self._story_of[absorbed] = k


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a replay builds its many small
    containers (none of them in a cycle): the collector's passes over the
    growing heap cost about a sixth of a rebuild."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def story_title(a: Article) -> tuple[str, str]:
    """The story's first title: the article's headline, else its first
    sentence cut at a word boundary."""
    if a.title and a.title.strip():
        return a.title.strip()[:200], "title"
    first = a.sentences[0].text if a.sentences else a.text
    first = " ".join(first.split())
    if len(first) > TITLE_CHARS:
        first = first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first, "sentence"


def timestamp(published: str | None) -> float | None:
    """POSIX time of an ISO date or date-time (naive = UTC), else None."""
    if not published:
        return None
    try:
        d = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.timestamp()


def ingest(*sources: Any, db: str | Path | Store | None = None,
           progress: Callable[[IngestedArticle | LoadError, int, int], None] | None = None) -> IngestReport:
    """Add articles to the store at ``db`` (a path, an open :class:`Store`,
    or None for :func:`newsbrief.store.default_path`), each into its story.

    ``sources`` are what :func:`newsbrief.brief` takes: files, directories,
    JSONL (articles, or clusters whose documents become articles), Article
    and Cluster objects. Sources that cannot be read are reported in
    ``errors``; everything else is stored, one transaction per article.
    ``progress(item, done, total)`` is called for every unreadable source
    (``done == 0``) and after every article.

    A store opened here is checked first (:meth:`Store.verify`): nothing is
    written into a damaged file, and a read-only one is refused before any
    article is read. Any store failure is a :class:`~newsbrief.store.StoreError`; what was
    committed before it stays.
    """
    from ..pipeline import load

    with open_store(db, verify=True) as store:
        if store.readonly:
            raise readonly_error(store.path)
        got = load(*sources)
        articles = list(got.articles) + [a for c in got.clusters for a in c.articles]
        total = len(articles)
        report = IngestReport(errors=list(got.errors), db=str(store.path))
        if progress is not None:
            for e in got.errors:
                progress(e, 0, total)
        done = 0

        def step(item: IngestedArticle | LoadError) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(item, done, total)

        Ingestor(store).add_all(articles, report, step)
    return report
