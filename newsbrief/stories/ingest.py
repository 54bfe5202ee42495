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
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ..model import Article, LoadError
from ..sources.meta import check_date
from ..store import FeatureRow, Store, StoryMerge, open_store
from ..store.db import readonly_error
from .cluster import Merge, OnlineClusterer, features
from .dedupe import NearDup

__all__ = ["IngestReport", "IngestedArticle", "Ingestor", "ingest"]

TITLE_CHARS = 90


class _Prepared(NamedTuple):
    article: Article
    vector: np.ndarray
    keywords: dict[str, float]
    signature: np.ndarray
    time: float | None


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
    merged: int | None = None  # the story it bridged with this one, merged into it (that id resolves here)


@dataclass(slots=True)
class IngestReport:
    articles: list[IngestedArticle] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    # articles stored, but not as given: a published date left out, a file of mixed encodings
    warnings: list[LoadError] = field(default_factory=list)
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
                "warnings": [{"source": w.source, "reason": w.reason} for w in self.warnings],
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
        self.clusterer = OnlineClusterer()  # its story ids are the store's, as strings
        self._last = 0  # highest article id replayed into the indexes

    def sync(self) -> int:
        """Replay stored articles not yet in the in-memory indexes; returns
        how many. Cheap when nothing changed (one indexed query)."""
        n = 0
        try:
            with _gc_paused():
                merges = self.store.merges(after=self._last)
                origin: dict[int, int] = {}  # a moved article -> the story it went into first
                for m in merges:
                    for a in m.articles:
                        origin.setdefault(a, m.from_id)
                for row in self.store.features_after(self._last):
                    merges = self._replay_merges(merges, row.article_id)
                    self._replay(row, origin.get(row.article_id))
                    n += 1
                self._replay_merges(merges, self._last + 1)
        except BaseException:
            self._reset()  # an article half replayed: start again from the file next time
            raise
        return n

    def _replay_merges(self, merges: list[StoryMerge], before: int) -> list[StoryMerge]:
        """Apply, in the order made, the recorded merges bridged by an article
        before ``before`` (each right after its bridging article, as the
        writer did); returns the rest."""
        i = 0
        while i < len(merges) and (merges[i].article_id or max(merges[i].articles, default=0)) < before:
            m = merges[i]
            self.clusterer.merge(str(m.from_id), str(m.into_id), str(m.article_id))
            i += 1
        return merges[i:]

    def _replay(self, row: FeatureRow, origin: int | None = None) -> None:
        """Index a stored article as its live ingest did, with the decisions
        the store holds (its near-duplicate link, its story; ``origin``, the
        story it went into before a merge moved it): no scoring, so the
        indexes end as the writer's did."""
        key = str(row.article_id)
        dup = str(row.duplicate_of) if row.duplicate_of is not None else None
        self.neardup.insert(key, np.frombuffer(row.signature, dtype=np.uint32), dup)
        if row.story_id is not None:
            story = str(origin if origin is not None else row.story_id)
            # A junk page's copy was forced into the page's story, which made it junk in a story of its own:
            # forced into its new story alone, a copy that passes the junk test itself would join the index.
            junk_copy = dup is not None and dup in self.clusterer.junk
            opened = self.clusterer.add(key, np.frombuffer(row.vector, dtype=np.float32), row.keywords, row.time,
                                        story_id=self.clusterer.assignment[dup] if junk_copy else story,
                                        headline=row.title)
            if junk_copy:
                self.clusterer.rename_story(opened, story)
        self._last = row.article_id

    def add(self, article: Article, then: Callable[[int], None] | None = None) -> IngestedArticle | LoadError:
        """Store one article (cleaned here when it is not yet) in its story;
        the same text again is found, not added. ``then(article id)`` runs
        inside the article's transaction (its own one when the text was
        stored before), so what it writes commits with the article: the feed
        watcher records the item there."""
        source = article.path or article.id
        got = self._prepared(article)
        if isinstance(got, LoadError):
            return got
        if isinstance(got, int):
            return self._existing(got, source, then)
        a, vec, kw, sig, t = got
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
                    return self._existing(aid, source, then)
                forced = self.clusterer.assignment.get(str(dup)) if dup is not None else None
                stories, merges = len(self.clusterer), len(self.clusterer.merges)
                key = self.clusterer.add(str(aid), vec, kw, t, story_id=forced, headline=a.title)
                junk = str(aid) in self.clusterer.junk
                new = len(self.clusterer) > stories
                merged = self._record_merges(aid, self.clusterer.merges[merges:])
                if new:  # the store names the story the clusterer opened
                    title, origin = story_title(a)
                    story = self.store.new_story(title, articles=[aid],
                                                 state={"title_from": origin, **({"junk": True} if junk else {})})
                    self.clusterer.rename_story(key, str(story))
                else:
                    story = int(key)
                    if merged is None:
                        self.store.assign(aid, story)
                    self._maybe_retitle(story, a)
                self.store.put_features(aid, vec, kw, sig, t)
                self.neardup.insert(str(aid), sig, str(dup) if dup is not None else None)
                if then is not None:
                    then(aid)
                self._last = aid
        except BaseException:
            # The transaction rolled back: the in-memory indexes may hold what
            # the file does not. Rebuild them from the file on the next call.
            self._reset()
            raise
        return IngestedArticle(aid, source, story, dup, True, new, junk, merged)

    def replace(self, old_id: int, article: Article,
                then: Callable[[int], None] | None = None) -> IngestedArticle | LoadError:
        """Store ``article`` as the updated version of stored article
        ``old_id`` (a feed re-dated the item and its text changed): it joins
        the old one's story, which it supersedes (the old one becomes its
        duplicate: out of briefings, still readable by id for "what
        changed"). A text stored already is found, as by :meth:`add`.
        ``then`` runs in the same transaction. KeyError for an unknown id."""
        source = article.path or article.id
        got = self._prepared(article)
        if isinstance(got, LoadError):
            return got
        if isinstance(got, int):
            return self._existing(got, source, then)
        a, vec, kw, sig, t = got
        try:
            with self.store.transaction():
                if self._last < self.store.last_article_id():
                    self.sync()
                story, _ = self.store.article_story(old_id)
                aid, _ = self.store.add_article(a)
                self.store.supersede(old_id, aid)  # the old article and its copies now copy the new one
                if story is not None:
                    self.clusterer.add(str(aid), vec, kw, t, story_id=str(story), headline=a.title)
                self.store.put_features(aid, vec, kw, sig, t)
                self.neardup.insert(str(aid), sig)
                for key, root in list(self.neardup.duplicate_of.items()):  # as a replay from the store links them
                    if root == str(old_id):
                        self.neardup.duplicate_of[key] = str(aid)
                self.neardup.duplicate_of[str(old_id)] = str(aid)
                if then is not None:
                    then(aid)
                self._last = aid
        except BaseException:
            self._reset()
            raise
        return IngestedArticle(aid, source, story, None, True)

    def _prepared(self, article: Article) -> _Prepared | LoadError | int:
        """What :meth:`add` and :meth:`replace` compute before their
        transaction: the article cleaned, with its clustering features; or
        the id of the same text stored already; or why nothing is stored."""
        source = article.path or article.id
        raw = article.raw or ""
        if not raw.strip():
            return LoadError(source, "empty article")
        known = self.store.find(raw)
        if known is not None:
            return known
        from ..pipeline import prepare

        errors: list[LoadError] = []
        ready = prepare([article], errors)
        if not ready:
            return errors[0] if errors else LoadError(source, "no article text left after cleaning")
        a = ready[0]
        vecs, kws = features([a])
        return _Prepared(a, vecs[0].astype(np.float32), kws[0], self.neardup.signature(a.text), timestamp(a.published))

    def add_all(self, articles: Iterable[Article], report: IngestReport | None = None,
                on_article: Callable[[IngestedArticle | LoadError], None] | None = None) -> IngestReport:
        report = report or IngestReport()
        for a in articles:
            a, bad_date = check_date(a)  # files and JSONL rows are checked on loading; Article objects here
            if bad_date is not None:
                report.warnings.append(bad_date)
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

    def _existing(self, aid: int, source: str, then: Callable[[int], None] | None = None) -> IngestedArticle:
        if then is not None:
            with self.store.transaction():
                then(aid)
        story, dup = self.store.article_story(aid)
        junk = bool((self.store.story_state(story) or {}).get("junk")) if story is not None else False
        return IngestedArticle(aid, source, story, dup, False, junk=junk)

    def _record_merges(self, aid: int, merges: list[Merge]) -> int | None:
        """Write the merges the clusterer made on adding article ``aid`` (it
        bridged two stories): the article goes into the story it joined,
        then that story and the other become one, as in the clusterer.
        Returns the story merged away (None: no merge)."""
        if not merges:
            return None
        first = merges[0]
        self.store.assign(aid, int(first.from_id if str(aid) in first.moved else first.into_id))
        for m in merges:
            self.store.merge_stories(int(m.from_id), int(m.into_id), aid)
        return int(merges[-1].from_id)

    def _maybe_retitle(self, story: int, a: Article) -> None:
        """A story named after a sentence takes the first real headline."""
        if not a.title:
            return
        if (self.store.story_state(story) or {}).get("title_from") != "title":
            self.store.update_story(story, title=a.title.strip()[:200], state={"title_from": "title"})


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
        report = IngestReport(errors=list(got.errors), warnings=list(got.warnings), db=str(store.path))
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
