"""Feeds and `newsbrief watch --once` against a real HTTP server on 127.0.0.1
(no HTTP mocks): RSS and Atom feeds and article pages written for this test,
conditional GET (ETag, Last-Modified, 304), a malformed feed and a missing
page that are one line each while the rest goes on, and an old store
upgraded to the feeds schema."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsbrief.cli import app
from newsbrief.sources.feeds import FeedError, parse_feed
from newsbrief.store import SCHEMA_VERSION, Store
from newsbrief.text.embed import available

pytestmark = pytest.mark.skipif(not available(), reason="embedding model not available")

SYLL = ["ka", "lo", "mi", "ren", "tor", "vas", "qui", "ber", "lan", "dor", "fis", "gul", "hap", "jen", "nor"]
COMMON = "the said on in of and a to for with officials reported people city new".split()
LAST_MODIFIED = format_datetime(datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc), usegmt=True)


def story_texts(seed: int, n: int) -> list[str]:
    """``n`` made-up articles on one story (a vocabulary of its own), like tests/test_ingest.py's corpus."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice(SYLL) for _ in range(3)) for _ in range(25)]
    out = []
    for _ in range(n):
        sents = [" ".join(rng.choice(vocab if rng.random() < 0.6 else COMMON) for _ in range(12)).capitalize() + "."
                 for _ in range(8)]
        out.append(" ".join(sents[:4]) + "\n" + " ".join(sents[4:]))
    return out


def page(text: str, title: str | None, outlet: str | None) -> bytes:
    head = (f"<title>{title}</title>" if title else "") + \
        (f"<meta property='og:site_name' content='{outlet}'>" if outlet else "")
    body = (f"<h1>{title}</h1>" if title else "") + "".join(f"<p>{p}</p>" for p in text.split("\n"))
    return f"<!doctype html><html><head>{head}</head><body><article>{body}</article></body></html>".encode()


def rss(title: str, items: list[tuple[str, str]]) -> bytes:
    its = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>"
                  f"</item>" for link, t in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>/</link>{its}'
            f"</channel></rss>").encode()


def atom(title: str, items: list[tuple[str, str]]) -> bytes:
    es = "".join(f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id>'
                 f"<updated>2026-11-30T11:00:00Z</updated></entry>" for link, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<id>urn:x</id><updated>2026-11-30T11:00:00Z</updated>{es}</feed>").encode()


class Site:
    """Feeds and pages on 127.0.0.1; records every request's path and headers. ``routes`` may change between polls."""

    def __init__(self) -> None:
        site = self
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.etag = '"rss-1"'
        self.hold = threading.Event()  # set: /a3.html answers; clear: it waits (a poll to kill mid-way)
        self.hold.set()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                if self.path == "/a3.html":
                    site.hold.wait(20)
                extra = {}
                if self.path == "/rss.xml":  # ETag validator
                    if self.headers.get("If-None-Match") == site.etag:
                        return self._send(304, None, b"")
                    extra["ETag"] = site.etag
                if self.path == "/atom.xml":  # Last-Modified validator
                    if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                        return self._send(304, None, b"")
                    extra["Last-Modified"] = LAST_MODIFIED
                if self.path not in site.routes:
                    return self._send(404, "text/plain", b"no such page")
                ctype, body = site.routes[self.path]
                self._send(200, ctype, body, extra)

            def _send(self, code: int, ctype: str | None, body: bytes, extra: dict | None = None) -> None:
                self.send_response(code)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


A = story_texts(11, 5)  # story A: a1..a5
B = story_texts(23, 2)  # story B: b1, b2


@pytest.fixture
def site(monkeypatch):
    s = Site()
    s.routes.update({
        # a1 has no title and no outlet of its own: both come from the feed
        "/a1.html": ("text/html", page(A[0], None, None)),
        "/a2.html": ("text/html; charset=utf-8", page(A[1], "Alpha two", "Daily Alpha")),
        "/a3.html": ("text/html", page(A[2], "Alpha three", "Atom Herald")),
        "/a4.html": ("text/html", page(A[3], "Alpha four", "Mixed Post")),
        "/b1.html": ("text/html", page(B[0], "Beta one", "Daily Alpha")),
        "/b2.html": ("text/html", page(B[1], "Beta two", "Atom Herald")),
        "/rss.xml": ("application/rss+xml", rss("Daily Alpha", [("/a1.html", "Alpha one from the feed"),
                                                                ("/a2.html", "Alpha two"), ("/b1.html", "Beta one")])),
        "/atom.xml": ("application/atom+xml", atom("Atom Herald", [(f"{s.base}/b2.html", "Beta two"),
                                                                   (f"{s.base}/a3.html", "Alpha three")])),
        "/mixed.xml": ("text/xml", rss("Mixed Post", [("/missing.html", "Gone"), ("/a4.html", "Alpha four")])),
        "/broken.xml": ("application/rss+xml", b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x'),
    })
    monkeypatch.setenv("NEWSBRIEF_FETCH_ALLOW", f"127.0.0.1:{s.port}")
    monkeypatch.setenv("NEWSBRIEF_WATCH_RATE", "0")  # the rate limit has its own test (tests/test_watch_polite.py)
    yield s
    s.close()


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def feeds_json(db: Path) -> dict[str, dict]:
    r = run("feeds", "list", "--db", str(db), "-f", "json")
    assert r.exit_code == 0, r.output
    return {f["url"].rsplit("/", 1)[1]: f for f in json.loads(r.stdout)}


def stories(db: Path) -> set[frozenset[str]]:
    with Store(db) as s:
        return {frozenset(Path(src).name for _, src in st.articles) for st in s.stories()}


def test_watch_once_polls_feeds_into_stories(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "nb.db"
    urls = [f"{site.base}/{name}" for name in ("rss.xml", "atom.xml", "mixed.xml", "broken.xml")]
    r = run("feeds", "add", *urls, "--db", str(db))
    assert r.exit_code == 0, r.output
    assert site.requests == []  # adding does not fetch
    assert run("feeds", "add", urls[0], "--db", str(db)).stdout.strip().endswith("(already followed)")

    r = run("watch", "--once", "--db", str(db))
    assert r.exit_code == 0, r.output
    problems = [line for line in r.stderr.splitlines() if line.startswith("newsbrief: failed:")]
    assert len(problems) == 2, r.stderr  # one line for the broken feed, one for the missing page
    assert "broken.xml" in problems[0] or "broken.xml" in problems[1]
    assert any("missing.html" in p and "404" in p for p in problems)
    assert "6 article(s) added" in r.stdout, r.stdout
    assert stories(db) == {frozenset({"a1.html", "a2.html", "a3.html", "a4.html"}), frozenset({"b1.html", "b2.html"})}

    with Store(db) as s:  # what the page lacked came from the feed
        a1 = next(a for st in s.stories() for aid, src in st.articles if src.endswith("/a1.html")
                  for a in [s.article(aid)])
        assert (a1.title, a1.outlet, a1.published[:10]) == ("Alpha one from the feed", "Daily Alpha", "2026-11-30")

    state = feeds_json(db)
    assert state["rss.xml"]["etag"] == '"rss-1"' and state["rss.xml"]["last_error"] is None
    assert state["atom.xml"]["last_modified"] == LAST_MODIFIED
    assert state["broken.xml"]["errors"] == 1 and "not an RSS or Atom feed" in state["broken.xml"]["last_error"]
    # a page failed: no validators kept, so the next poll reads the feed again and retries the page
    assert state["mixed.xml"]["etag"] is None and "missing.html" in state["mixed.xml"]["last_error"]
    assert (state["mixed.xml"]["items"], state["mixed.xml"]["articles"]) == (2, 1)  # the missing page: 1 failure

    # second poll: conditional GETs, nothing new fetched except the page that failed
    site.requests.clear()
    r = run("watch", "--once", "--db", str(db))
    assert r.exit_code == 0, r.output
    assert "0 article(s) added" in r.stdout and "(2 not modified, 1 waiting)" in r.stdout, r.stderr
    sent = dict(site.requests)
    assert sent["/rss.xml"]["if-none-match"] == '"rss-1"'
    assert sent["/atom.xml"]["if-modified-since"] == LAST_MODIFIED
    assert "newsbrief/" in sent["/rss.xml"]["user-agent"]
    assert sorted(p for p in site.paths() if p.endswith(".html")) == ["/missing.html"]
    # the broken feed backs off (5 minutes after its first failure): not asked, and shown as waiting
    assert "/broken.xml" not in site.paths() and "waiting: feed " in r.stderr and "broken.xml" in r.stderr
    broken = feeds_json(db)["broken.xml"]
    assert broken["errors"] == 1 and broken["not_before"] > broken["last_polled"]

    # a new item: the feed changes (a new ETag) and only the new page is fetched
    site.routes["/a5.html"] = ("text/html", page(A[4], "Alpha five", "Daily Alpha"))
    site.routes["/rss.xml"] = ("application/rss+xml", rss("Daily Alpha", [("/a5.html", "Alpha five"),
                                                                          ("/a1.html", "x"), ("/a2.html", "Alpha two")]))
    site.etag = '"rss-2"'
    site.requests.clear()
    r = run("watch", "--once", "--db", str(db), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 1
    assert sorted(p for p in site.paths() if p.endswith(".html")) == ["/a5.html", "/missing.html"]
    assert frozenset({"a1.html", "a2.html", "a3.html", "a4.html", "a5.html"}) in stories(db)


def test_kill_9_mid_poll_loses_and_duplicates_nothing(site: Site, tmp_path: Path) -> None:
    """A poll killed while it waits for a page, then another poll: the same
    store as an uninterrupted run, every item once with its article."""
    db = tmp_path / "nb.db"
    assert run("feeds", "add", *(f"{site.base}/{n}" for n in ("rss.xml", "atom.xml", "mixed.xml")),
               "--db", str(db)).exit_code == 0
    site.hold.clear()
    proc = subprocess.Popen([sys.executable, "-m", "newsbrief", "watch", "--once", "--db", str(db)],
                            env={**os.environ, "HF_HUB_OFFLINE": "1"}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while "/a3.html" not in site.paths() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert "/a3.html" in site.paths(), "the poll never reached the held page"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        site.hold.set()
    with Store(db) as s:  # a1, a2, b1 (RSS) and b2 (Atom, before a3) were committed, each with its item
        assert s.count() == 4
        assert s.connection.execute("SELECT count(*) FROM feed_items WHERE article_id IS NOT NULL").fetchone()[0] == 4
    site.requests.clear()
    r = run("watch", "--once", "--db", str(db))
    assert r.exit_code == 0, r.output
    assert sorted(p for p in site.paths() if p.endswith(".html")) == ["/a3.html", "/a4.html", "/missing.html"]
    assert stories(db) == {frozenset({"a1.html", "a2.html", "a3.html", "a4.html"}), frozenset({"b1.html", "b2.html"})}
    with Store(db) as s:
        items = s.connection.execute("SELECT count(article_id), count(DISTINCT article_id) FROM feed_items").fetchone()
        assert s.count() == 6 and items == (6, 6)
    # the same store as one uninterrupted poll of the same feeds
    fresh = tmp_path / "fresh.db"
    assert run("feeds", "add", *(f"{site.base}/{n}" for n in ("rss.xml", "atom.xml", "mixed.xml")),
               "--db", str(fresh)).exit_code == 0
    assert run("watch", "--once", "--db", str(fresh)).exit_code == 0
    assert store_state(db) == store_state(fresh)


def store_state(db: Path) -> dict:
    """What a poll leaves in the store, without ids and times: articles (by
    page), stories (as sets of pages), feed items and feed state."""
    with Store(db) as s:
        c = s.connection
        articles = sorted(c.execute("SELECT path, title, outlet, url, published, author, content_hash, duplicate_of"
                                    " IS NOT NULL FROM articles").fetchall())
        items = sorted(c.execute("SELECT f.url, i.url, a.path, i.updated, i.error, i.failures FROM feed_items i"
                                 " JOIN feeds f ON f.id = i.feed_id LEFT JOIN articles a ON a.id = i.article_id"
                                 ).fetchall())
        feeds = sorted(c.execute("SELECT url, title, etag, last_modified, last_error, errors FROM feeds").fetchall())
    return {"articles": articles, "stories": stories(db), "items": items, "feeds": feeds}


def test_feeds_list_and_remove(tmp_path: Path) -> None:
    db = tmp_path / "nb.db"
    r = run("feeds", "add", "ftp://example.org/feed", "--db", str(db))
    assert r.exit_code == 2 and "only http and https" in r.stderr
    assert run("feeds", "add", "https://example.org/a.xml", "https://example.org/b.xml", "--db", str(db)).exit_code == 0
    r = run("feeds", "list", "--db", str(db))
    assert "[1] https://example.org/a.xml" in r.stdout and "not polled yet" in r.stdout
    assert run("feeds", "remove", "1", "--db", str(db)).exit_code == 0
    assert run("feeds", "remove", "https://example.org/b.xml", "--db", str(db)).exit_code == 0
    assert run("feeds", "remove", "https://example.org/b.xml", "--db", str(db)).exit_code == 1
    assert feeds_json(db) == {}
    assert run("watch", "--db", str(db)).exit_code == 2  # --once or --interval
    assert run("watch", "--once", "--interval", "5", "--db", str(db)).exit_code == 2


def test_old_store_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as s:  # a version 2 file: the schema without the feeds tables
        conn = s.connection
        conn.executescript("DROP TABLE feed_items; DROP TABLE feeds; DELETE FROM schema_version;"
                           "INSERT INTO schema_version VALUES (2, '2026-01-01T00:00:00+00:00'); PRAGMA user_version = 2;")
    with sqlite3.connect(db) as c:
        assert not c.execute("SELECT name FROM sqlite_master WHERE name = 'feeds'").fetchall()
    with Store(db) as s:
        assert s.connection.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION >= 3
        fid, created = s.add_feed("https://example.org/feed.xml")
        assert created and s.feed(fid).url == "https://example.org/feed.xml"


def test_parse_json_feed_and_refuse_a_page() -> None:
    got = parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": ['
                     b'{"id": "1", "url": "/c1.html", "title": "C", "date_published": "2026-11-30T10:00:00Z"}]}',
                     "https://example.org/feed.json", "application/feed+json")
    assert got.title == "J" and got.entries[0].url == "https://example.org/c1.html"
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>not a feed</body></html>", "https://example.org/", "text/html")
