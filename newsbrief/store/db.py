"""The embedded article and story store: one SQLite file, stdlib ``sqlite3``.

Location: ``$NEWSBRIEF_DB`` when set, else
``$XDG_DATA_HOME/newsbrief/newsbrief.db`` (``~/.local/share/newsbrief/newsbrief.db``
when ``XDG_DATA_HOME`` is unset); see :func:`default_path`.

Design
------
* WAL journal, ``synchronous=NORMAL``, foreign keys on: readers never block
  the writer and the writer never blocks readers; a crash (even ``kill -9``)
  loses at most the last commits, never leaves a half-written row.
* Every public write method is ONE transaction (``BEGIN IMMEDIATE`` ...
  ``COMMIT``): an article row, its FTS row and its story's counters are written
  together or not at all.
* The file is stamped with ``PRAGMA application_id`` (:data:`APPLICATION_ID`)
  and a ``schema_version`` table; anything else (a text file, another
  application's SQLite database, a newer schema) raises :class:`StoreError`
  with a one-line message.
* Damage: every open reads the header, the schema and the version (0.3 ms);
  a writer (:func:`newsbrief.stories.ingest`) also runs ``PRAGMA
  quick_check`` (it reads the whole file: 2.4 ms for 259 articles, 80-160 ms
  for 14,220 in 121 MB, about 4% of the index rebuild an ingest does anyway;
  ``bench/store_check.py``), so it never writes into a damaged file. Readers
  skip it: it would make a server's story list 10 to 500 times slower.
  :func:`diagnose` (``newsbrief doctor``) runs the full ``integrity_check``.
  Any SQLite failure (damage, full disk, read-only file, busy lock) reaches
  the caller of the library API (:func:`open_store`) as one
  :class:`StoreError` whose message says what to do.
* A file or folder the process cannot write is opened read-only
  (:attr:`Store.readonly`): reads work (a snapshot when not even the
  ``-wal``/``-shm`` files can be made), writes raise :class:`StoreError`.
* Articles are unique by ``content_hash``: sha256 of the raw text after
  Unicode NFC normalisation and whitespace collapsing, so re-ingesting the same
  file is a no-op.
* Full-text search: two FTS5 tables (``articles_fts`` over title + text,
  ``stories_fts`` over story titles), kept in sync by triggers in the same
  transaction as the row they index; ranked with ``bm25`` (titles weigh more).
* Briefings are cached per (story, options) with the story's ``version``;
  options are the briefing settings (method, length, analysis) as canonical
  JSON. Any change to the story (new article, :meth:`Store.update_story`)
  bumps the version, so a stale cached briefing is never returned; nor is one
  written under another briefing schema (``newsbrief.briefing/N``).
* Per-article clustering features (embedding, keyword counts, MinHash
  signature, time) are stored with the article, in the same transaction, so
  a reopened store rebuilds its in-memory story index by replay instead of
  recomputing anything (:mod:`newsbrief.stories.ingest`).
* :meth:`Store.transaction` groups several writes into one transaction;
  write methods called inside it join it.
* The ``stories.centroid`` column is unused (the story index lives in
  memory, rebuilt from ``features``); it stays in the schema because
  dropping it would take a migration of every file for no gain.

* Feeds (``newsbrief feeds``, ``newsbrief watch``): the feeds followed,
  their HTTP validators and error state, and every item URL seen, each with
  the article it became (NULL: fetched, but no article came of it).
  :meth:`Store.add_feed_item` joins an open transaction, so the watcher
  records an item in the same transaction as its article.

Schema (version 3; version 1 and 2 files are migrated on open)::

    schema_version(version INTEGER PRIMARY KEY, applied_at TEXT)
    stories(id INTEGER PK, title, created, first_seen, last_seen, size,
            outlets JSON list, centroid BLOB (unused), state JSON,
            version INTEGER)
    articles(id INTEGER PK, content_hash TEXT UNIQUE NOT NULL, source_id, path,
             title, outlet, url, published, raw TEXT NOT NULL,
             text TEXT NOT NULL, added_at, duplicate_of -> articles.id,
             story_id -> stories.id)
    features(article_id PK -> articles.id, vector BLOB float32,
             keywords JSON, signature BLOB uint32, time REAL)
    briefings(story_id -> stories.id, options JSON, story_version, json,
              created; PK (story_id, options))
    feeds(id INTEGER PK, url TEXT UNIQUE, title, added, last_polled, etag,
          last_modified, last_error, errors INTEGER (failed polls in a row),
          not_before (no poll before: backoff after failures))
    feed_items(feed_id -> feeds.id, url, article_id -> articles.id or NULL,
               first_seen, updated (the entry's date when its article was
               stored), error (why no article), failures INTEGER (fetches
               failed in a row); PK (feed_id, url))
    hosts(host PK (an origin: scheme://host:port), not_before (Retry-After),
          robots (robots.txt text), robots_status, robots_fetched)
    articles_fts(title, text)  -- rowid = articles.id
    stories_fts(title)         -- rowid = stories.id
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
import sqlite3
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from ..model import SCHEMA as BRIEFING_SCHEMA
from ..model import Article

APPLICATION_ID = 0x4E425244  # "NBRD"
SCHEMA_VERSION = 4
_HEADER = b"SQLite format 3\x00"
MAX_ID = 2**63 - 1  # the largest SQLite rowid: an id outside 1..MAX_ID names no story or article

__all__ = ["Store", "StoreError", "StoryInfo", "StoryMerge", "StoryVersion", "Headline", "Hit", "FeatureRow", "FeedInfo", "FeedItem",
           "HostInfo", "Diagnosis", "default_path", "content_hash",
           "diagnose", "store_error", "APPLICATION_ID", "SCHEMA_VERSION", "MAX_ID"]


class StoreError(Exception):
    """The store cannot be used; ``str()`` is a one-line reason for the user
    that says what to do. ``kind`` lets a caller tell apart what it can live
    with (a read-only store still serves reads): ``damaged``, ``full``,
    ``readonly``, ``busy``, ``io``, ``missing`` (no database at the path)
    or ``other``; ``detail`` is SQLite's own
    reason, when there is one."""

    def __init__(self, message: str, kind: str = "other", detail: str | None = None) -> None:
        super().__init__(message)
        self.kind, self.detail = kind, detail


def _one_line(e: BaseException) -> str:
    """SQLite's reason, short and on one line (a UTF-8 decode error quotes the
    damaged bytes: they are cut off)."""
    text = " ".join(str(e).split(" with text ", 1)[0].split())
    return text[:200]


def damaged(path: Path, detail: str) -> StoreError:
    return StoreError(f"{path}: the database is damaged ({detail}); run `newsbrief doctor --db "
                      f"{shlex.quote(str(path))}` for what is wrong and how to recover", "damaged", detail)


def readonly_error(path: Path) -> StoreError:
    return StoreError(f"{path}: the database is read-only (the file or its folder cannot be written): stories, "
                      "search and briefings work, but to add articles make both writable or use another --db",
                      "readonly")


def store_error(e: sqlite3.Error, path: Path) -> StoreError:
    """``e`` as a :class:`StoreError` that says what happened and what to do,
    by SQLite's (extended) error code."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = _one_line(e)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or code == sqlite3.SQLITE_IOERR_CORRUPTFS \
            or "Could not decode" in detail:
        return damaged(path, detail)
    if primary == sqlite3.SQLITE_FULL:
        return StoreError(f"{path}: the disk is full ({detail}); every article stored before is kept: free some "
                          "space and run the command again to complete", "full")
    if primary == sqlite3.SQLITE_READONLY:
        return readonly_error(path)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(f"{path}: the database is busy (another process holds its write lock); try again when "
                          "it is done", "busy")
    if primary == sqlite3.SQLITE_IOERR:  # a write past a file-size limit or on a failing disk
        return StoreError(f"{path}: disk I/O error ({getattr(e, 'sqlite_errorname', None) or detail}); every "
                          "article stored before is kept: check the disk and its free space, then run "
                          f"`newsbrief doctor --db {shlex.quote(str(path))}`", "io")
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return StoreError(f"{path}: cannot open the database ({detail}); check that it and its folder exist and "
                          "can be read", "io")
    return StoreError(f"{path}: database error ({detail})")


def default_path() -> Path:
    """``$NEWSBRIEF_DB``, else ``$XDG_DATA_HOME/newsbrief/newsbrief.db``
    (``~/.local/share/newsbrief/newsbrief.db``)."""
    env = os.environ.get("NEWSBRIEF_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "newsbrief" / "newsbrief.db"


def normalise(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    """sha256 (hex) of :func:`normalise` (``text``): the article identity."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(slots=True)
class StoryInfo:
    """One story as listed by :meth:`Store.stories`.

    ``articles`` holds ``(article id, source)`` pairs, where source is the
    original path, else the source id the article was loaded with.
    """

    id: int
    title: str | None
    size: int
    outlets: list[str]
    first_seen: str | None
    last_seen: str | None
    created: str
    version: int
    articles: list[tuple[int, str]] = field(default_factory=list)
    state: Any = None
    duplicates: dict[int, int] = field(default_factory=dict)  # article id -> the article it copies

    @property
    def junk(self) -> bool:
        """The story is one junk page (a cookie wall, a log-in prompt, an
        archive notice: :mod:`newsbrief.text.junk`), kept but not news."""
        return bool((self.state or {}).get("junk"))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "size": self.size, "outlets": self.outlets,
                "first_seen": self.first_seen, "last_seen": self.last_seen, "created": self.created,
                "version": self.version, "junk": self.junk,
                "articles": [{"id": a, "source": src, "duplicate_of": self.duplicates.get(a)}
                             for a, src in self.articles]}


@dataclass(slots=True)
class StoryVersion:
    """A story's article set as of one version (what "what changed since"
    compares with)."""

    story_id: int
    version: int
    created: str
    articles: list[int]

    def to_dict(self) -> dict[str, Any]:
        return {"story_id": self.story_id, "version": self.version, "created": self.created,
                "articles": self.articles}


@dataclass(slots=True)
class Hit:
    """One search result: an article (``kind="article"``) or a story title."""

    kind: str
    id: int
    story_id: int | None
    title: str | None
    snippet: str
    score: float  # bm25: lower is better
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "story_id": self.story_id, "title": self.title,
                "snippet": self.snippet, "score": round(self.score, 4), "source": self.source}


@dataclass(slots=True)
class FeedInfo:
    """One followed feed and its polling state."""

    id: int
    url: str
    title: str | None
    added: str
    last_polled: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_error: str | None = None
    errors: int = 0  # polls in a row whose feed could not be fetched or read
    items: int = 0  # item URLs seen
    articles: int = 0  # of them, those that became an article
    not_before: str | None = None  # no poll before this (ISO UTC): the backoff after failed polls

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(slots=True)
class Headline:
    """What a reader sees of an article without its text: the feeds' and
    the front page's cheap view of a story."""

    id: int
    story_id: int | None
    title: str | None  # the headline, else the start of the cleaned text
    outlet: str | None
    url: str | None
    published: str | None
    added: str


_FCOLS = ("f.id, f.url, f.title, f.added, f.last_polled, f.etag, f.last_modified, f.last_error, f.errors,"
          " (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id),"
          " (SELECT count(article_id) FROM feed_items i WHERE i.feed_id = f.id), f.not_before")


@dataclass(slots=True)
class FeedItem:
    """One item URL recorded for a feed."""

    url: str
    article_id: int | None  # None: no article (see error), or its fetch failed `failures` times so far
    updated: str | None  # the feed entry's date (ISO UTC) when its article was stored
    error: str | None
    failures: int


@dataclass(slots=True)
class HostInfo:
    """The feed watcher's politeness state of one origin (scheme://host:port)."""

    host: str
    not_before: str | None  # nothing is asked of the host before this (ISO UTC): its Retry-After
    robots: str | None  # its robots.txt ('' when it had none)
    robots_status: int | None  # the HTTP status robots.txt came with
    robots_fetched: str | None


@dataclass(slots=True)
class StoryMerge:
    """Story ``from_id`` went into ``into_id`` (``article_id`` bridged them);
    ``articles`` are the ones ``from_id`` held then, copies included: what a
    new process replays to rebuild the clusterer as the writer had it."""

    from_id: int
    into_id: int
    article_id: int | None
    at: str
    articles: list[int]


class FeatureRow(NamedTuple):
    """One stored article's clustering features with its current story and
    near-duplicate link: what a new process replays to rebuild its indexes."""

    article_id: int
    story_id: int | None
    duplicate_of: int | None
    vector: bytes  # float32
    keywords: dict[str, float]
    signature: bytes  # uint32 MinHash
    time: float | None
    title: str | None = None  # the headline, which the clusterer weighs too


# Tables added by version 2 (also run as the migration of a version 1 file).
_V2 = """
DROP TABLE IF EXISTS briefings;
CREATE TABLE briefings (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    options TEXT NOT NULL,
    story_version INTEGER NOT NULL,
    json TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (story_id, options)
);
CREATE TABLE features (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    vector BLOB NOT NULL,
    keywords TEXT NOT NULL,
    signature BLOB NOT NULL,
    time REAL
);
"""

# Tables added by version 3 (also the migration of a version 1 or 2 file): followed feeds.
_V3 = """
CREATE TABLE IF NOT EXISTS feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    added TEXT NOT NULL,
    last_polled TEXT,
    etag TEXT,
    last_modified TEXT,
    last_error TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    not_before TEXT
);
CREATE TABLE IF NOT EXISTS feed_items (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    first_seen TEXT NOT NULL,
    updated TEXT,
    error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (feed_id, url)
);
"""

# Tables added by version 4 (also the migration of a version 1-3 file): story versions (the
# article set of each version, for "what changed since"), merges of one story into another (so a
# merged story's id still resolves), and the politeness state of the feed watcher (per host: the
# time before which it must not be asked again, its robots.txt; per feed: the next poll after a
# failure).
_V4 = """
CREATE TABLE IF NOT EXISTS story_versions (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    articles TEXT NOT NULL,
    PRIMARY KEY (story_id, version)
);
CREATE TABLE IF NOT EXISTS story_merges (
    from_id INTEGER PRIMARY KEY,
    into_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    at TEXT NOT NULL,
    articles TEXT NOT NULL DEFAULT '[]',
    seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS hosts (
    host TEXT PRIMARY KEY,
    not_before TEXT,
    robots TEXT,
    robots_status INTEGER,
    robots_fetched TEXT
);
"""

_SCHEMA = f"""
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    title TEXT,
    created TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    outlets TEXT NOT NULL DEFAULT '[]',
    centroid BLOB,
    state TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    source_id TEXT,
    path TEXT,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,
    author TEXT,
    raw TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    duplicate_of INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_path ON articles(path);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE stories_fts USING fts5(title, tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text)
    VALUES (new.id, coalesce(new.title, ''), CASE WHEN new.text <> '' THEN new.text ELSE new.raw END);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text, raw ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    INSERT INTO articles_fts(rowid, title, text)
    VALUES (new.id, coalesce(new.title, ''), CASE WHEN new.text <> '' THEN new.text ELSE new.raw END);
END;
CREATE TRIGGER stories_ai AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts(rowid, title) VALUES (new.id, coalesce(new.title, ''));
END;
CREATE TRIGGER stories_ad AFTER DELETE ON stories BEGIN
    DELETE FROM stories_fts WHERE rowid = old.id;
END;
CREATE TRIGGER stories_au AFTER UPDATE OF title ON stories BEGIN
    DELETE FROM stories_fts WHERE rowid = old.id;
    INSERT INTO stories_fts(rowid, title) VALUES (new.id, coalesce(new.title, ''));
END;
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
"""


class Store:
    """The article/story database. Use as a context manager or call :meth:`close`.

    One ``Store`` is one connection; open one per thread/process. Many readers
    and one writer may use the same file at once (WAL).
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 10.0, verify: bool = False,
                 create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._db, self.readonly = self._open(self.path, timeout, create)
        if verify:
            try:
                self.verify()
            except BaseException:
                self._db.close()
                raise

    # --- opening -----------------------------------------------------------

    @staticmethod
    def _open(path: Path, timeout: float, create: bool) -> tuple[sqlite3.Connection, bool]:
        """The connection, and whether it is read-only (the file or its folder
        cannot be written: reads still work). Without ``create``, a path that
        holds no database yet is an error (see :func:`no_database`)."""
        if why := no_database(path, create):
            raise StoreError(why, "missing")
        existing = path.exists() and path.stat().st_size > 0
        if existing:
            try:
                with open(path, "rb") as f:
                    head = f.read(16)
            except OSError as e:
                raise StoreError(f"{path}: cannot read ({e.strerror or e})") from None
            if head != _HEADER:
                raise StoreError(f"{path}: not a newsbrief database (not an SQLite file)")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"{path.parent}: cannot create the database directory ({e.strerror or e})") from None
            if not os.access(path.parent, os.W_OK | os.X_OK):
                raise StoreError(f"{path}: cannot create the database: its folder is read-only; use another --db",
                                 "readonly")
        readonly = existing and not _writable(path)
        try:
            db = _connect_readonly(path, timeout) if readonly else sqlite3.connect(str(path), timeout=timeout,
                                                                                     isolation_level=None)
        except sqlite3.Error as e:
            raise store_error(e, path) from None
        try:
            Store._check_and_init(db, path, readonly)
        except StoreError:
            db.close()
            raise
        except sqlite3.Error as e:
            db.close()
            raise store_error(e, path) from None
        return db, readonly

    @staticmethod
    def _check_and_init(db: sqlite3.Connection, path: Path, readonly: bool) -> None:
        # One statement, so one snapshot: read apart, a writer initialising the file in between would show
        # its tables with the header not yet stamped, i.e. another application's database.
        app, tables = db.execute("SELECT (SELECT application_id FROM pragma_application_id()),"
                                 " (SELECT count(*) FROM sqlite_master)").fetchone()
        if app != APPLICATION_ID and (app != 0 or tables):
            raise StoreError(f"{path}: not a newsbrief database (an SQLite database of another application)")
        db.execute("PRAGMA foreign_keys = ON")
        if not readonly and db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise StoreError(f"{path}: cannot switch the database to WAL mode")
        db.execute("PRAGMA synchronous = NORMAL")
        if app == 0:
            if readonly:
                raise StoreError(f"{path}: an empty database that cannot be written (read-only); make it and its "
                                 "folder writable, or use another --db", "readonly")
            db.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have initialised it while we waited for the lock.
                if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    for stmt in _statements(_SCHEMA + _V2 + _V3 + _V4):
                        db.execute(stmt)
                    db.execute("INSERT INTO schema_version(version, applied_at) VALUES (?, ?)",
                               (SCHEMA_VERSION, _now()))
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
        try:
            version = db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        except sqlite3.OperationalError:
            raise StoreError(f"{path}: damaged newsbrief database (no schema_version table)", "damaged") from None
        if version is None:
            raise StoreError(f"{path}: damaged newsbrief database (empty schema_version table)", "damaged")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: written by a newer newsbrief (schema {version}, this one reads "
                             f"{SCHEMA_VERSION}); upgrade newsbrief")
        if version < SCHEMA_VERSION:
            if readonly:
                raise StoreError(f"{path}: written by an older newsbrief (schema {version}) and read-only: make it "
                                 "writable once so that it can be upgraded", "readonly")
            Store._migrate(db, version)

    @staticmethod
    def _migrate(db: sqlite3.Connection, version: int) -> None:
        """Bring an older file up to :data:`SCHEMA_VERSION`, in one transaction."""
        db.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            if current < 2:  # v2: clustering features; briefing cache keyed by options (cache is dropped)
                for stmt in _statements(_V2):
                    db.execute(stmt)
            if current < 3:  # v3: feeds and the items seen in them (v4's feed column included)
                for stmt in _statements(_V3):
                    db.execute(stmt)
            elif current < 4:
                db.execute("ALTER TABLE feeds ADD COLUMN not_before TEXT")
                for col in ("updated TEXT", "error TEXT", "failures INTEGER NOT NULL DEFAULT 0"):
                    db.execute(f"ALTER TABLE feed_items ADD COLUMN {col}")
            if current < 4 and "author" not in {r[1] for r in db.execute("PRAGMA table_info(articles)")}:
                db.execute("ALTER TABLE articles ADD COLUMN author TEXT")  # v4's article column
            if current < 4:  # v4: story versions (each story's present article set is its first), merges, hosts
                for stmt in _statements(_V4):
                    db.execute(stmt)
                for (sid,) in db.execute("SELECT id FROM stories").fetchall():
                    Store._snapshot(db, sid)
                db.execute("DROP TABLE IF EXISTS temp.tx_versions")  # committed below, not through _Tx
            if current < SCHEMA_VERSION:
                db.execute("INSERT INTO schema_version(version, applied_at) VALUES (?, ?)", (SCHEMA_VERSION, _now()))
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            _rollback(db)
            raise

    def verify(self) -> None:
        """``PRAGMA quick_check`` (every page and record, not the index
        contents): a writer calls it on opening so that it never adds to a
        damaged file. It reads the whole file, so readers do not."""
        try:
            rows = self._db.execute("PRAGMA quick_check(3)").fetchall()
        except sqlite3.Error as e:
            raise store_error(e, self.path) from None
        if rows != [("ok",)]:
            raise damaged(self.path, next(filter(None, map(_check_row, rows[0][0].splitlines())), "quick_check"))

    def backup(self, dest: str | Path, *, overwrite: bool = False) -> Path:
        """Copy the whole database to ``dest`` as one consistent snapshot,
        while other processes go on reading and writing (SQLite's online
        backup: a plain file copy of a WAL database can miss the commits
        still in its ``-wal`` file, or catch one half-written). The copy is
        written beside ``dest`` and renamed into place, so an interrupted
        backup never leaves a half file under that name; it is checked
        (``quick_check``) before the rename. Restoring is copying the file
        back while nothing runs on the store."""
        target = Path(os.path.realpath(Path(dest).expanduser()))
        if target == Path(os.path.realpath(self.path)):
            raise StoreError(f"{dest}: is the database itself; give another file")
        if target.exists() and not overwrite:
            raise StoreError(f"{dest}: exists; give another file, or overwrite it (--force)")
        if target.exists() and not target.is_file():
            raise StoreError(f"{dest}: not a regular file")
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            out = sqlite3.connect(tmp)
            try:
                self._db.backup(out)
                out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                rows = out.execute("PRAGMA quick_check(1)").fetchall()
            finally:
                out.close()
            if rows != [("ok",)]:
                raise StoreError(f"{dest}: the copy failed its check ({rows[0][0]}); nothing was written")
            os.replace(tmp, target)
        except sqlite3.Error as e:
            raise StoreError(f"{dest}: cannot write the backup ({_one_line(e)})", "io") from None
        except OSError as e:
            raise StoreError(f"{dest}: cannot write the backup ({e.strerror or e})", "io") from None
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return target

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection (for tests and ad-hoc queries)."""
        return self._db

    def transaction(self) -> _Tx:
        """``with store.transaction():`` makes the writes inside it one
        transaction (taken with the write lock at once: ``BEGIN IMMEDIATE``),
        so that a reader or a crash sees all of them or none."""
        return _Tx(self._db)

    # --- articles ----------------------------------------------------------

    def add_article(self, article: Article, story_id: int | None = None,
                    duplicate_of: int | None = None) -> tuple[int, bool]:
        """Insert ``article`` (one transaction); return ``(id, created)``.

        Idempotent by :func:`content_hash` of ``article.raw``: the same text
        again returns the existing id and ``created=False`` (and changes
        nothing). ``article.text`` (the cleaned text) is stored as given, ''
        when the article was not prepared yet.
        """
        raw = article.raw or ""
        h = content_hash(raw)
        with self.transaction() as db:
            row = db.execute("SELECT id FROM articles WHERE content_hash = ?", (h,)).fetchone()
            if row:
                return row[0], False
            cur = db.execute(
                "INSERT INTO articles(content_hash, source_id, path, title, outlet, url, published, raw, text,"
                " added_at, duplicate_of, story_id, author) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (h, article.id, article.path, article.title, article.outlet, article.url, article.published,
                 raw, article.text or "", _now(), duplicate_of, story_id, article.author))
            aid = cur.lastrowid
            if story_id is not None:
                self._refresh(db, story_id)
            return aid, True

    def find(self, raw: str) -> int | None:
        """The id of the article whose raw text is ``raw`` (after normalising), or None."""
        row = self._db.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash(raw),)).fetchone()
        return row[0] if row else None

    def article(self, article_id: int) -> Article | None:
        row = self._db.execute(f"SELECT {_ACOLS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def article_story(self, article_id: int) -> tuple[int | None, int | None]:
        """``(story id, id of the article it copies)`` of a stored article,
        each None when it has none; KeyError for an unknown id."""
        row = self._db.execute("SELECT story_id, duplicate_of FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(f"no article {article_id}")
        return row[0], row[1]

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def last_article_id(self) -> int:
        """The highest article id (0 when empty); ids only grow, so readers
        can ask for what came after the last one they saw."""
        return self._db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]

    # --- feeds -----------------------------------------------------------------

    def add_feed(self, url: str, title: str | None = None) -> tuple[int, bool]:
        """Follow ``url`` (checked by the caller); ``(id, created)``: a feed
        already followed is found, not added again."""
        with self.transaction() as db:
            row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row:
                return row[0], False
            cur = db.execute("INSERT INTO feeds(url, title, added) VALUES (?, ?, ?)", (url, title, _now()))
            return cur.lastrowid, True

    def feeds(self) -> list[FeedInfo]:
        """Every followed feed, in the order they were added."""
        rows = self._db.execute(f"SELECT {_FCOLS} FROM feeds f ORDER BY f.id").fetchall()
        return [FeedInfo(*r) for r in rows]

    def feed(self, key: int | str) -> FeedInfo | None:
        """The feed with id ``key`` (an int) or URL ``key`` (a str), or None."""
        where = "f.id = ?" if isinstance(key, int) else "f.url = ?"
        row = self._db.execute(f"SELECT {_FCOLS} FROM feeds f WHERE {where}", (key,)).fetchone()
        return FeedInfo(*row) if row else None

    def remove_feed(self, feed_id: int) -> bool:
        """Stop following a feed (its seen items go; its articles stay)."""
        with self.transaction() as db:
            return db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)).rowcount > 0

    def seen_items(self, feed_id: int) -> dict[str, FeedItem]:
        """The item URLs of a feed already recorded, with their state."""
        rows = self._db.execute("SELECT url, article_id, updated, error, failures FROM feed_items WHERE feed_id = ?",
                                (feed_id,))
        return {r[0]: FeedItem(*r) for r in rows}

    def add_feed_item(self, feed_id: int, url: str, article_id: int | None, *, updated: str | None = None,
                      error: str | None = None) -> None:
        """Record an item as seen (joins an open transaction: the watcher
        records it with its article): its article (None: none, ``error``
        says why) and the feed entry's date. Recording it again replaces
        both (an updated article) and clears its failures."""
        with self.transaction() as db:
            db.execute("INSERT INTO feed_items(feed_id, url, article_id, first_seen, updated, error)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(feed_id, url) DO UPDATE SET"
                       " article_id = excluded.article_id, updated = coalesce(excluded.updated, updated),"
                       " error = excluded.error, failures = 0",
                       (feed_id, url, article_id, _now(), updated, error))

    def item_failed(self, feed_id: int, url: str, error: str) -> int:
        """Count a failed fetch of an item's page (its article, if any, is
        kept); returns its failures in a row."""
        with self.transaction() as db:
            db.execute("INSERT INTO feed_items(feed_id, url, article_id, first_seen, error, failures)"
                       " VALUES (?, ?, NULL, ?, ?, 1) ON CONFLICT(feed_id, url) DO UPDATE SET"
                       " error = excluded.error, failures = failures + 1", (feed_id, url, _now(), error))
            return db.execute("SELECT failures FROM feed_items WHERE feed_id = ? AND url = ?",
                              (feed_id, url)).fetchone()[0]

    def feed_polled(self, feed_id: int, *, error: str | None, failed: bool, title: str | None = None,
                    validators: tuple[str | None, str | None] | None = None, not_before: str | None = None) -> None:
        """Record a poll: its first problem (None: none), whether the feed
        itself failed (counted in ``errors``, reset by a poll that read it),
        the feed's title when it gave one, its new ``(etag,
        last_modified)`` (None keeps the old ones: a poll with items still to
        fetch must not be answered 304 next time) and the time before which
        it is not polled again (None: next time)."""
        with self.transaction() as db:
            db.execute("UPDATE feeds SET last_polled = ?, last_error = ?, not_before = ?,"
                       " errors = CASE WHEN ? THEN errors + 1 ELSE 0 END, title = coalesce(?, title) WHERE id = ?",
                       (_now(), error, not_before, failed, title, feed_id))
            if validators is not None:
                db.execute("UPDATE feeds SET etag = ?, last_modified = ? WHERE id = ?", (*validators, feed_id))

    def host(self, host: str) -> HostInfo | None:
        """The watcher's state of an origin (``scheme://host:port``), or None."""
        row = self._db.execute("SELECT host, not_before, robots, robots_status, robots_fetched FROM hosts"
                               " WHERE host = ?", (host,)).fetchone()
        return HostInfo(*row) if row else None

    def put_robots(self, host: str, robots: str, status: int) -> None:
        """Keep an origin's robots.txt (the text; '' when it had none) and its HTTP status."""
        with self.transaction() as db:
            db.execute("INSERT INTO hosts(host, robots, robots_status, robots_fetched) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT(host) DO UPDATE SET robots = excluded.robots,"
                       " robots_status = excluded.robots_status, robots_fetched = excluded.robots_fetched",
                       (host, robots, status, _now()))

    def host_wait(self, host: str, until: str | None) -> None:
        """Ask nothing of an origin before ``until`` (ISO UTC; None: no wait)."""
        with self.transaction() as db:
            db.execute("INSERT INTO hosts(host, not_before) VALUES (?, ?)"
                       " ON CONFLICT(host) DO UPDATE SET not_before = excluded.not_before", (host, until))

    def supersede(self, old_id: int, new_id: int) -> None:
        """``new_id`` is the updated version of article ``old_id``: it takes
        the old one's story, and the old one (with its copies) becomes its
        duplicate, so it leaves briefings but stays readable by id."""
        with self.transaction() as db:
            row = db.execute("SELECT story_id FROM articles WHERE id = ?", (old_id,)).fetchone()
            if row is None or not db.execute("SELECT 1 FROM articles WHERE id = ?", (new_id,)).fetchone():
                raise KeyError(f"no article {old_id if row is None else new_id}")
            db.execute("UPDATE articles SET story_id = ?, duplicate_of = NULL WHERE id = ?", (row[0], new_id))
            db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ? OR duplicate_of = ?", (new_id, old_id, old_id))
            if row[0] is not None:
                self._refresh(db, row[0])

    # --- clustering features -------------------------------------------------

    def put_features(self, article_id: int, vector: Any, keywords: Mapping[str, float], signature: Any,
                     time: float | None = None) -> None:
        """Store an article's clustering features (joins an open transaction)."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO features(article_id, vector, keywords, signature, time)"
                       " VALUES (?,?,?,?,?)",
                       (article_id, _blob(vector), json.dumps(keywords, ensure_ascii=False, separators=(",", ":")),
                        _blob(signature), time))

    def features_after(self, article_id: int) -> Iterator[FeatureRow]:
        """The features of the articles after ``article_id`` that have them,
        in id order."""
        cur = self._db.execute(
            "SELECT a.id, a.story_id, a.duplicate_of, f.vector, f.keywords, f.signature, f.time, a.title"
            " FROM articles a JOIN features f ON f.article_id = a.id WHERE a.id > ? ORDER BY a.id", (article_id,))
        for r in cur:
            try:
                kws = orjson.loads(r[4])
            except orjson.JSONDecodeError:  # what json.dumps writes and orjson refuses (NaN counts)
                kws = self._decode(r[4], f"keywords of article {r[0]}", dict)
            yield FeatureRow(r[0], r[1], r[2], r[3], kws, r[5], r[6], r[7])

    # --- stories -----------------------------------------------------------

    def new_story(self, title: str | None = None, *, state: Any = None, articles: Iterable[int] = ()) -> int:
        """Create a story (optionally with its first articles); return its id."""
        with self.transaction() as db:
            sid = db.execute("INSERT INTO stories(title, created, state) VALUES (?,?,?)",
                             (title, _now(), _json(state))).lastrowid
            ids = list(articles)
            if ids:
                db.executemany("UPDATE articles SET story_id = ? WHERE id = ?", [(sid, a) for a in ids])
            self._refresh(db, sid)
            return sid

    def assign(self, article_id: int, story_id: int | None) -> None:
        """Move an article to a story (None: to no story); one transaction."""
        with self.transaction() as db:
            row = db.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise KeyError(f"no article {article_id}")
            if row[0] == story_id:
                return
            if story_id is not None and not db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
                raise KeyError(f"no story {story_id}")
            db.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))
            for sid in (row[0], story_id):
                if sid is not None:
                    self._refresh(db, sid)

    def update_story(self, story_id: int, *, title: str | None = None, state: Any = None) -> int:
        """Change a story's title and/or state (given ones only) and bump its
        version, invalidating cached briefings. Returns the new version."""
        with self.transaction() as db:
            if not db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
                raise KeyError(f"no story {story_id}")
            if title is not None:
                db.execute("UPDATE stories SET title = ? WHERE id = ?", (title, story_id))
            if state is not None:
                db.execute("UPDATE stories SET state = ? WHERE id = ?", (_json(state), story_id))
            return self._bump(db, story_id)

    def story_state(self, story_id: int) -> Any:
        """The story's ``state`` JSON alone (no article list: cheap on a hot path)."""
        row = self._db.execute("SELECT state FROM stories WHERE id = ?", (story_id,)).fetchone()
        return self._decode(row[0], f"state of story {story_id}", dict) if row and row[0] is not None else None

    def story(self, story_id: int) -> StoryInfo | None:
        """The story, or None (also for an id no SQLite row can have). The
        id of a story merged into another gives the one it went into (its
        ``id`` says which): readers' links outlive merges."""
        if not 1 <= story_id <= MAX_ID:
            return None
        got = self.stories(ids=[self.resolve_story(story_id)])
        return got[0] if got else None

    def resolve_story(self, story_id: int) -> int:
        """The story that ``story_id`` is now: itself, or the story it was
        merged into (followed through later merges)."""
        seen = {story_id}
        while (row := self._db.execute("SELECT into_id FROM story_merges WHERE from_id = ?",
                                       (story_id,)).fetchone()) is not None and row[0] not in seen:
            story_id = row[0]
            seen.add(story_id)
        return story_id

    def merge_stories(self, from_id: int, into_id: int, article_id: int | None = None) -> StoryMerge:
        """Move every article of story ``from_id`` into ``into_id`` and record
        the merge (``article_id``: the article that bridged them), one
        transaction. Both stories get a new version (``from_id``'s is empty);
        ``from_id`` leaves the story list and its id resolves to
        ``into_id`` (:meth:`story`). KeyError for an unknown or already
        merged story, ValueError for a story merged into itself."""
        if from_id == into_id:
            raise ValueError(f"cannot merge story {from_id} into itself")
        with self.transaction() as db:
            for sid in (from_id, into_id):
                if (not db.execute("SELECT 1 FROM stories WHERE id = ?", (sid,)).fetchone()
                        or db.execute("SELECT 1 FROM story_merges WHERE from_id = ?", (sid,)).fetchone()):
                    raise KeyError(f"no story {sid} to merge (unknown, or merged already)")
            moved = [r[0] for r in db.execute("SELECT id FROM articles WHERE story_id = ? ORDER BY id", (from_id,))]
            db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (into_id, from_id))
            done = StoryMerge(from_id, into_id, article_id, _now(), moved)
            db.execute("INSERT INTO story_merges(from_id, into_id, article_id, at, articles, seq) VALUES"
                       " (?,?,?,?,?, (SELECT coalesce(max(seq), 0) + 1 FROM story_merges))",
                       (from_id, into_id, article_id, done.at, json.dumps(moved)))
            self._refresh(db, from_id)
            self._refresh(db, into_id)
            return done

    def merges(self, after: int = 0) -> list[StoryMerge]:
        """Recorded merges bridged by an article after ``after`` in the order
        made: by bridging article (a merge of no article: by its last moved
        one), then as recorded."""
        return [StoryMerge(f, i, a, at, self._decode(arts, f"merge of story {f}", list))
                for f, i, a, at, arts, _ in self._db.execute(
                    "SELECT from_id, into_id, article_id, at, articles, coalesce(article_id,"
                    " (SELECT max(value) FROM json_each(articles)), 0) AS k FROM story_merges WHERE k > ?"
                    " ORDER BY k, seq", (after,))]

    def stories(self, ids: Iterable[int] | None = None) -> list[StoryInfo]:
        """Stories, most recently seen first, each with its articles; a story
        merged into another is listed only when asked for by id."""
        sql = "SELECT id, title, size, outlets, first_seen, last_seen, created, version, state FROM stories"
        args: list[Any] = []
        if ids is not None:
            args = list(ids)
            sql += f" WHERE id IN ({','.join('?' * len(args))})" if args else " WHERE 0"
        else:
            sql += " WHERE id NOT IN (SELECT from_id FROM story_merges)"
        sql += " ORDER BY coalesce(last_seen, created) DESC, id DESC"
        out = [StoryInfo(id=r[0], title=r[1], size=r[2], outlets=self._decode(r[3], f"outlets of story {r[0]}", list),
                         first_seen=r[4], last_seen=r[5], created=r[6], version=r[7],
                         state=self._decode(r[8], f"state of story {r[0]}", dict) if r[8] is not None else None)
               for r in self._db.execute(sql, args)]
        by_id = {s.id: s for s in out}
        if by_id:
            q = ("SELECT id, story_id, coalesce(path, source_id, '#' || id), duplicate_of FROM articles"
                 " WHERE story_id IS NOT NULL")
            if ids is not None:
                q += f" AND story_id IN ({','.join('?' * len(by_id))})"
            for aid, sid, src, dup in self._db.execute(q + " ORDER BY id", list(by_id) if ids is not None else []):
                if sid in by_id:
                    by_id[sid].articles.append((aid, src))
                    if dup is not None:
                        by_id[sid].duplicates[aid] = dup
        return out

    def story_articles(self, story_id: int, *, duplicates: bool = False) -> list[Article]:
        """The story's articles as :class:`Article` objects (ids unique within
        the story), ready for ``pipeline.brief_articles``; near-duplicates
        (``duplicate_of`` set) are left out unless ``duplicates``. A merged
        story's id reads the story it went into."""
        story_id = self.resolve_story(story_id)
        sql = f"SELECT {_ACOLS} FROM articles WHERE story_id = ?"
        if not duplicates:
            sql += " AND duplicate_of IS NULL"
        # Arrival order, which is the order the user gave them: a stored story
        # then briefs exactly like the same files given to ``brief``.
        rows = self._db.execute(sql + " ORDER BY id", (story_id,)).fetchall()
        arts = [_article(r) for r in rows]
        seen: dict[str, int] = {}
        for a in arts:
            seen[a.id] = seen.get(a.id, 0) + 1
        for a, r in zip(arts, rows):
            if seen[a.id] > 1:
                a.id = f"{a.id}#{r[0]}"
        return arts

    def versions(self, story_id: int) -> list[StoryVersion]:
        """The story's recorded versions, oldest first: each is the article
        set (near-duplicates left out) the story had from that version on."""
        rows = self._db.execute("SELECT version, created, articles FROM story_versions WHERE story_id = ?"
                                " ORDER BY version", (story_id,)).fetchall()
        return [StoryVersion(story_id, v, c, self._decode(a, f"version {v} of story {story_id}", list))
                for v, c, a in rows]

    def headlines(self, article_ids: Iterable[int]) -> list[Headline]:
        """The headlines of these articles, in id order (unknown ids left
        out); an article with no headline gets the start of its text."""
        ids = list(article_ids)
        rows = self._db.execute(
            "SELECT id, story_id, coalesce(nullif(trim(title), ''), substr(text, 1, 200)), outlet, url, published,"
            f" added_at FROM articles WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id", ids).fetchall()
        return [Headline(*r) for r in rows]

    def independent_outlets(self) -> dict[int, int]:
        """Per story, how many independent sources it has, counted cheaply
        for the front page: distinct outlets (case and spaces aside) among
        its articles that copy no other, plus one for each such article with
        no outlet. Stories without such articles are absent."""
        return dict(self._db.execute(
            "SELECT story_id, count(DISTINCT nullif(lower(trim(outlet)), ''))"
            " + sum(coalesce(trim(outlet), '') = '') FROM articles"
            " WHERE story_id IS NOT NULL AND duplicate_of IS NULL GROUP BY story_id").fetchall())

    # --- search ------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Full-text search over article titles + texts and story titles,
        best (bm25) first. Any user input is safe: words are quoted, "double
        quoted" parts are phrases, FTS operators are taken literally."""
        match = fts_query(query)
        if not match or limit <= 0:
            return []
        hits = [
            Hit("article", r[0], r[1], r[2], r[3], r[4], r[5])
            for r in self._db.execute(
                "SELECT a.id, a.story_id, a.title, snippet(articles_fts, -1, '[', ']', '…', 12),"
                " bm25(articles_fts, 5.0, 1.0), coalesce(a.path, a.source_id)"
                " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?", (match, limit))
        ]
        hits += [
            Hit("story", r[0], r[0], r[1], r[1] or "", r[2])
            for r in self._db.execute(
                "SELECT s.id, s.title, bm25(stories_fts) FROM stories_fts JOIN stories s ON s.id = stories_fts.rowid"
                " WHERE stories_fts MATCH ? ORDER BY bm25(stories_fts) LIMIT ?", (match, limit))
        ]
        hits.sort(key=lambda h: h.score)
        return hits[:limit]

    # --- briefing cache ----------------------------------------------------

    def cached_briefing(self, story_id: int, options: Mapping[str, Any]) -> dict | None:
        """The cached briefing dict made with ``options`` for the story's
        current version, or None. A briefing cached under another briefing
        schema (an older newsbrief wrote it) counts as not cached: the caller
        makes a new one, and :meth:`put_briefing` replaces the old row."""
        row = self._db.execute(
            "SELECT b.json FROM briefings b JOIN stories s ON s.id = b.story_id"
            " WHERE b.story_id = ? AND b.options = ? AND b.story_version = s.version",
            (story_id, _options(options))).fetchone()
        if row is None:
            return None
        data = self._decode(row[0], f"cached briefing of story {story_id}", dict)
        return data if isinstance(data, dict) and data.get("schema") == BRIEFING_SCHEMA else None

    def put_briefing(self, story_id: int, options: Mapping[str, Any], briefing: Any,
                     version: int | None = None) -> bool:
        """Cache a briefing (a :class:`Briefing` or its dict) made with
        ``options``. ``version`` is the story version the briefing was made
        from: when the story changed since, nothing is cached (returns False),
        so a briefing of older articles never poses as current."""
        data = briefing.to_dict() if hasattr(briefing, "to_dict") else briefing
        with self.transaction() as db:
            row = db.execute("SELECT version FROM stories WHERE id = ?", (story_id,)).fetchone()
            if row is None:
                raise KeyError(f"no story {story_id}")
            if version is not None and version != row[0]:
                return False
            db.execute("INSERT OR REPLACE INTO briefings(story_id, options, story_version, json, created)"
                       " VALUES (?,?,?,?,?)",
                       (story_id, _options(options), row[0], json.dumps(data, ensure_ascii=False), _now()))
            return True

    # --- internals ---------------------------------------------------------

    def _decode(self, text: str, what: str, kind: type) -> Any:
        """A JSON column: what the store wrote, so anything else (bytes a
        damaged page left) is damage, reported as such."""
        try:
            value = json.loads(text)
        except (ValueError, TypeError):
            value = None
        if not isinstance(value, kind):
            raise damaged(self.path, f"the {what} is not valid JSON")
        return value

    @staticmethod
    def _bump(db: sqlite3.Connection, story_id: int) -> int:
        db.execute("UPDATE stories SET version = version + 1 WHERE id = ?", (story_id,))
        db.execute("DELETE FROM briefings WHERE story_id = ? AND story_version < "
                   "(SELECT version FROM stories WHERE id = ?)", (story_id, story_id))
        return db.execute("SELECT version FROM stories WHERE id = ?", (story_id,)).fetchone()[0]

    @staticmethod
    def _refresh(db: sqlite3.Connection, story_id: int) -> None:
        """Recompute size, outlets, first/last seen; bump the version.

        An article's time is its publication date, never later than when it
        was added (a date ahead of the clock would keep the story first in
        the list for good); a stored date that is not ISO (stored before
        ingest checked dates) is not compared as one."""
        size, first, last = db.execute(
            f"SELECT count(*), min({_SEEN}), max({_SEEN})"
            " FROM articles WHERE story_id = ? AND duplicate_of IS NULL", (story_id,)).fetchone()
        outlets = [r[0] for r in db.execute(
            "SELECT DISTINCT outlet FROM articles WHERE story_id = ? AND outlet IS NOT NULL ORDER BY outlet",
            (story_id,))]
        db.execute("UPDATE stories SET size = ?, first_seen = ?, last_seen = ?, outlets = ? WHERE id = ?",
                   (size, first, last, json.dumps(outlets), story_id))
        Store._bump(db, story_id)
        Store._snapshot(db, story_id)

    @staticmethod
    def _snapshot(db: sqlite3.Connection, story_id: int) -> None:
        """Record the story's article set under its current version: one
        version per transaction (an updated page is added, then its old text
        superseded: a reader must never see the set in between, with both),
        and none whose set equals the version before it."""
        db.execute("CREATE TEMP TABLE IF NOT EXISTS tx_versions (story_id INTEGER PRIMARY KEY, version INTEGER)")
        mine = db.execute("SELECT version FROM temp.tx_versions WHERE story_id = ?", (story_id,)).fetchone()
        if mine is not None:  # this transaction's earlier version of the story gives way to this one
            db.execute("DELETE FROM story_versions WHERE story_id = ? AND version = ?", (story_id, mine[0]))
            db.execute("DELETE FROM temp.tx_versions WHERE story_id = ?", (story_id,))
        ids = [r[0] for r in db.execute("SELECT id FROM articles WHERE story_id = ? AND duplicate_of IS NULL"
                                        " ORDER BY id", (story_id,))]
        last = db.execute("SELECT articles FROM story_versions WHERE story_id = ? ORDER BY version DESC LIMIT 1",
                          (story_id,)).fetchone()
        if last is not None and json.loads(last[0]) == ids:
            return
        version = db.execute("SELECT version FROM stories WHERE id = ?", (story_id,)).fetchone()[0]
        db.execute("INSERT OR REPLACE INTO story_versions(story_id, version, created, articles) VALUES (?, ?, ?, ?)",
                   (story_id, version, _now(), json.dumps(ids)))
        db.execute("INSERT INTO temp.tx_versions VALUES (?, ?)", (story_id, version))


class _Tx:
    """``with`` block = one ``BEGIN IMMEDIATE`` transaction; inside an open
    transaction it joins it (the outermost block commits or rolls back)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")
            self.outer = True
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        if exc_type is not None:
            _rollback(self.db)
            return
        try:
            if self.db.execute("SELECT 1 FROM sqlite_temp_master WHERE name = 'tx_versions'").fetchone():
                self.db.execute("DELETE FROM temp.tx_versions")  # the next transaction's versions are new ones
            self.db.execute("COMMIT")
        except BaseException:  # a full disk fails the COMMIT and leaves the transaction open
            _rollback(self.db)
            raise


def _rollback(db: sqlite3.Connection) -> None:
    """Undo the open transaction, if any: SQLite has already rolled it back
    after some errors (a damaged page, a full disk), and a failing ROLLBACK
    must not hide the error that caused it."""
    if db.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")


def no_database(path: Path, create: bool = False) -> str | None:
    """Why ``path`` cannot be opened as a database, or None: a directory, or
    a special file (opening a FIFO would block). Unless ``create``, also
    nothing there, or an empty file: a command that only reads (``newsbrief
    stories``, ``search``, ``doctor``) must not leave a new database at a
    mistyped ``--db``."""
    missing = f"no database at {path} (ingest articles first, or check --db)"
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None if create else missing
    except OSError:
        return None  # opening it says what is wrong (a folder that cannot be searched)
    if stat.S_ISDIR(st.st_mode):
        return f"{path} is a directory, not a database"
    if not stat.S_ISREG(st.st_mode):
        return f"{path} is not a regular file, not a database"
    if st.st_size == 0 and not create:
        return f"{path} is an empty file, not a newsbrief database yet (ingest articles first, or check --db)"
    return None


def _writable(path: Path) -> bool:
    """Whether this process may write the file and make its ``-wal`` and
    ``-shm`` files beside it (WAL needs both)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _connect_readonly(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection. In a folder where SQLite cannot make the
    ``-shm`` file, WAL mode reads only with ``immutable=1``: safe when no
    ``-wal`` file is there, since a writer would have made one; with one, its
    commits would be missed, so that is an error."""
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as e:
        db.close()
        if ((e.sqlite_errorcode or 0) & 0xFF) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(f"{path}: read-only, and its write-ahead log {wal.name} cannot be read without write access "
                         "to the folder; open it once with write access so that the log is folded in", "readonly")
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, isolation_level=None)


_ACOLS = "id, source_id, path, title, outlet, url, published, raw, text, author"


def _article(r) -> Article:
    return Article(id=r[1] or r[2] or f"a{r[0]}", raw=r[7], title=r[3], outlet=r[4], path=r[2], url=r[5],
                   published=r[6], text=r[8] or "", author=r[9])


def _blob(v: Any) -> bytes | None:
    if v is None or isinstance(v, bytes):
        return v
    if hasattr(v, "tobytes"):
        return v.tobytes()
    return bytes(v)


def _options(options: Mapping[str, Any]) -> str:
    return json.dumps(dict(options), sort_keys=True, separators=(",", ":"))


def _json(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


# Compared as text, like added_at: ISO dates only (the scalar min() is NULL when published is).
_SEEN = ("coalesce(min(CASE WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN published END,"
         " added_at), added_at)")
# Control characters (C0, DEL, C1): a NUL ends SQLite's reading of the MATCH string ("unterminated string").
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TOKEN = re.compile(r'"([^"]*)"|([^\s"]+)')


# FTS5's cost grows with the square of the ANDed terms (160 terms: seconds on
# a small store); a search of more words than this is a pasted text, not a query.
MAX_SEARCH_TERMS = 32


class SearchError(ValueError):
    """A search query that is not run (too many terms); ``str()`` says what to do."""


def fts_query(query: str) -> str:
    """A safe FTS5 MATCH expression for user input: every bare word and every
    "quoted phrase" becomes a quoted FTS5 string (inner quotes doubled), all
    ANDed; operators (AND, OR, NEAR, *, -, :, parentheses) match literally,
    so there are no prefix queries ("a*" is the word "a"). A term repeated
    (in any case) counts once; more than MAX_SEARCH_TERMS distinct terms
    raise SearchError. Control characters separate words, as spaces do.
    Returns '' when nothing searchable is left."""
    parts: dict[str, str] = {}
    for phrase, word in _TOKEN.findall(CONTROL_CHARS.sub(" ", query or "")):
        term = (phrase or word).strip()
        if term and re.search(r"\w", term):
            parts.setdefault(term.casefold(), '"' + term.replace('"', '""') + '"')
    if len(parts) > MAX_SEARCH_TERMS:
        raise SearchError(f"too many search terms: {len(parts)} (at most {MAX_SEARCH_TERMS}); "
                          "search for fewer words, or a \"quoted phrase\"")
    return " ".join(parts.values())


def _statements(script: str) -> list[str]:
    """Split the schema script into statements (triggers hold inner ';')."""
    out, buf = [], ""
    for line in script.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


@contextlib.contextmanager
def open_store(db: str | Path | Store | None, *, verify: bool = False, create: bool = True) -> Iterator[Store]:
    """A Store for one call of the library API: opened from a path (or the
    default path for None; checked with :meth:`Store.verify` when
    ``verify``; made when missing only with ``create``) and closed
    afterwards, or an open Store lent as is (a server keeps one open). This
    is where every SQLite error of the library API becomes a
    :class:`StoreError` that says what to do."""
    store = db if isinstance(db, Store) else Store(db, verify=verify, create=create)
    try:
        yield store
    except sqlite3.Error as e:
        raise store_error(e, store.path) from e
    finally:
        if store is not db:
            store.close()


@dataclass(slots=True)
class Diagnosis:
    """What :func:`diagnose` found: ``problems`` is empty for a sound store."""

    path: Path
    problems: list[str] = field(default_factory=list)
    articles: int | None = None
    stories: int | None = None
    readonly: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def advice(self) -> str:
        """What to do about the problems, in one line. (``sqlite3 .recover``
        is no advice: the sqlite3 3.40 shell fails on the FTS5 tables even of
        a sound store, and its copy lacks the application id.)"""
        return (f"restore {self.path} from a backup, or ingest your sources again into a new --db (stories are "
                "rebuilt from the articles); move the damaged file aside rather than writing to it")


def diagnose(path: str | Path | None = None, limit: int = 20) -> Diagnosis:
    """The full check behind ``newsbrief doctor``: the store opens (header,
    schema, version), SQLite's ``integrity_check`` (every page, record and
    index entry; up to ``limit`` problems) and the JSON columns decode. It
    writes nothing a reader would not (an empty file stays empty), so it is
    safe on a damaged file; it reads it all, hence not on every open.
    Raises :class:`StoreError` (``missing``) when there is no database at
    ``path`` to check: that is no damage, and no backup is to be restored."""
    path = Path(path) if path is not None else default_path()
    out = Diagnosis(path)
    if why := no_database(path):  # nothing to check: no advice to restore a backup
        raise StoreError(why, "missing")
    try:
        store = Store(path, create=False)
    except StoreError as e:
        out.problems.append(_problem(e, path))
        return out
    with store:
        out.readonly = store.readonly
        db = store.connection
        try:
            # quick_check first: it lists damaged pages where integrity_check may stop at the first bad record
            for check in ("quick_check", "integrity_check"):
                lines = [x for r in db.execute(f"PRAGMA {check}({int(limit)})") for x in r[0].splitlines()]
                out.problems += [p for p in map(_check_row, lines) if p and p != "ok" and p not in out.problems]
            del out.problems[limit:]
            out.articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            out.stories = len(store.stories())
        except sqlite3.Error as e:
            out.problems.append(_problem(store_error(e, path), path))
        except StoreError as e:
            out.problems.append(_problem(e, path))
    return out


def _check_row(row: str) -> str:
    """One problem line of ``quick_check``/``integrity_check``, on one line."""
    return _one_line(Exception(row.replace("*** in database main ***", "")))


def _problem(e: StoreError, path: Path) -> str:
    """A problem as :func:`diagnose` lists it: damage by its detail (the
    message's advice is to run the diagnosis)."""
    return f"damaged: {e.detail}" if e.kind == "damaged" and e.detail else str(e).removeprefix(f"{path}: ")
