"""The feed watcher against real HTTP servers on 127.0.0.1 (no mocks): each
:class:`Host` is one origin (its own port) that records every request with
its time. robots.txt (a forbidden path is never requested; a 5xx robots.txt
keeps the whole host off limits for the poll), Crawl-delay and the rate
limit (request times apart), 429 with Retry-After (nothing asked before it,
asked after), a slow host (timeout, the others go on), a redirect with a
canonical URL and a byline, a huge feed, a news sitemap index, a page given
up after three polls, an updated article replacing the old one in its
story, and the acceptance case: three outlets' feeds on two stories."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsbrief.sources.fetch import FetchPolicy, parse_allow
from newsbrief.store import Store
from newsbrief.stories.polite import retry_after
from newsbrief.stories.watch import PollReport, WatchSettings, poll_once
from newsbrief.text.embed import available

pytestmark = pytest.mark.skipif(not available(), reason="embedding model not available")


@dataclass
class Route:
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Host:
    """One origin on 127.0.0.1. ``routes`` may change between polls; a 200
    answer carries an ETag (its body's hash) and a matching If-None-Match
    gets 304."""

    def __init__(self) -> None:
        host = self
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, float]] = []  # (path, monotonic time the request came in)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a) -> None:
                pass

            def do_GET(self) -> None:
                host.log.append((self.path, time.monotonic()))
                r = host.routes.get(self.path, Route(b"no such page", "text/plain", 404))
                time.sleep(r.delay)
                etag = '"' + hashlib.sha1(r.body).hexdigest()[:12] + '"'
                if r.status == 200 and self.headers.get("If-None-Match") == etag:
                    return self._send(304, {}, b"")
                self._send(r.status, {"Content-Type": r.ctype, **({"ETag": etag} if r.status == 200 else {}),
                                      **r.headers}, r.body)

            def _send(self, code: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(code)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def paths(self) -> list[str]:
        return [p for p, _ in self.log]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hosts():
    made: list[Host] = []

    def make() -> Host:
        made.append(Host())
        return made[-1]

    yield make
    for h in made:
        h.close()


def settings(*hs: Host, rate: float = 0.0, **fetch) -> WatchSettings:
    allow = parse_allow(",".join(f"127.0.0.1:{h.port}" for h in hs))
    return WatchSettings(fetch=FetchPolicy(allow=allow, **fetch), rate=rate)


def html(text: str, title: str, outlet: str, extra: str = "") -> bytes:
    paras = "".join(f"<p>{p.strip()}.</p>" for p in text.split(". ") if p.strip())
    return (f"<!doctype html><html><head><title>{title}</title><meta property='og:site_name' content='{outlet}'>"
            f"{extra}</head><body><article><h1>{title}</h1>{paras}</article></body></html>").encode()


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """``items``: (link, title, pubDate)."""
    its = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>" for link, t, d in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>/</link>{its}'
            "</channel></rss>").encode()


def atom(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """``items``: (link, title, updated ISO)."""
    es = "".join(f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id><published>2026-11-30T08:00:00Z'
                 f"</published><updated>{u}</updated></entry>" for link, t, u in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<id>urn:{title}</id><updated>2026-11-30T11:00:00Z</updated>{es}</feed>").encode()


DAY = "Mon, 30 Nov 2026 09:00:00 GMT"
RSS = "application/rss+xml"

# Two invented stories, three outlets each: a bridge collapse and a data breach.
BRIDGE = [
    "The Tessing Bridge over the Arno Vale river in Corvallen collapsed early on Tuesday, sending two lorries into "
    "the water. Rescue crews pulled four people from the river and officials said nobody had died. The steel "
    "bridge, built in 1964, had been closed to heavy traffic since March after inspectors found corrosion in its "
    "supports. Mayor Elin Straw said the city would open a temporary ferry crossing within a week. Engineers from "
    "the regional transport agency arrived at the site in the afternoon to examine the wreckage",
    "Four people were rescued from the Arno Vale river after the Tessing Bridge in Corvallen gave way on Tuesday "
    "morning. Two lorries fell into the river when a section of the 1964 steel bridge collapsed. Inspectors had "
    "reported corrosion in the bridge supports in March, and heavy traffic had been banned since then. Corvallen "
    "mayor Elin Straw promised a ferry crossing within a week while the regional transport agency investigates. "
    "Divers searched the river until the evening but found no other victims",
    "Corvallen is without its main river crossing after the Tessing Bridge collapsed into the Arno Vale on Tuesday. "
    "Two lorries plunged into the water and rescuers saved four people, all of whom survived. The bridge had been "
    "closed to lorries heavier than twelve tonnes since inspectors found corroded supports in March. Mayor Elin "
    "Straw told reporters that a ferry would carry commuters across the river from next week. The transport "
    "agency said its engineers would report on the cause of the collapse within a month",
]
BREACH = [
    "Brightwell Mobile said on Monday that hackers had stolen the personal data of 1.2 million customers, including "
    "names, addresses and phone numbers. The telecom operator said no passwords or bank details were taken. Chief "
    "executive Dana Okafor apologised to customers and said the company had informed the data protection "
    "authority. Brightwell discovered the breach on Friday when it noticed unusual traffic on a customer database. "
    "Security experts warned customers to expect phishing messages in the coming weeks",
    "Hackers broke into a customer database at Brightwell Mobile and copied the records of 1.2 million subscribers, "
    "the telecom company disclosed on Monday. The stolen records hold names, home addresses and phone numbers but "
    "no bank details, Brightwell said. Chief executive Dana Okafor said the company noticed unusual database "
    "traffic on Friday and called in outside investigators. The data protection authority confirmed it had been "
    "told of the breach and would examine how the database was secured",
    "Customers of Brightwell Mobile were told on Monday to watch for phishing messages after a breach exposed the "
    "data of 1.2 million people. The telecom operator said the attackers took names, addresses and phone numbers "
    "from a customer database. Dana Okafor, the chief executive, said passwords and payment details were safe and "
    "apologised for the breach. Brightwell said it found the intrusion on Friday and has reported it to the data "
    "protection authority, which is examining the case",
]
FERRY = ("A ferry began carrying commuters across the Arno Vale river in Corvallen on Friday, three days after the "
         "Tessing Bridge collapsed. Mayor Elin Straw said the ferry would run every twenty minutes until a "
         "temporary bridge is built. The regional transport agency said corrosion in the steel supports of the "
         "1964 bridge was the likely cause of the collapse. The two lorries that fell into the river were lifted "
         "out by cranes on Thursday. All four people rescued from the water have left hospital")
OUTLETS = ["Valley Herald", "Coast Daily", "Northern Post"]


def poll(db: Path, s: WatchSettings) -> PollReport:
    return poll_once(db, s)


def add_feeds(db: Path, *urls: str) -> None:
    with Store(db) as st:
        for u in urls:
            st.add_feed(u)


def story_sets(db: Path) -> set[frozenset[str]]:
    with Store(db) as s:
        return {frozenset(src.rsplit("/", 1)[1] for aid, src in st.articles if aid not in st.duplicates)
                for st in s.stories()}


def test_three_outlets_two_stories_then_only_what_changed(hosts, tmp_path: Path) -> None:
    """The acceptance case: three feeds from three outlets (three hosts) on
    two stories; a second poll fetches only the new and the updated items
    and counts the 304."""
    hs = [hosts() for _ in OUTLETS]
    for i, (h, outlet) in enumerate(zip(hs, OUTLETS)):
        h.routes[f"/bridge{i}.html"] = Route(html(BRIDGE[i], f"Bridge collapse, {outlet}", outlet))
        h.routes[f"/breach{i}.html"] = Route(html(BREACH[i], f"Data breach, {outlet}", outlet))
        h.routes["/feed.xml"] = Route(rss(outlet, [(f"/bridge{i}.html", "Bridge", DAY), (f"/breach{i}.html", "Breach",
                                                                                        DAY)]), RSS)
    db = tmp_path / "nb.db"
    add_feeds(db, *(f"{h.base}/feed.xml" for h in hs))
    first = poll(db, settings(*hs))
    assert (first.added, first.problems) == (6, [])
    assert story_sets(db) == {frozenset(f"bridge{i}.html" for i in range(3)),
                              frozenset(f"breach{i}.html" for i in range(3))}

    # second poll: feed 0 unchanged (304), feed 1 gains an item, feed 2 re-dates its breach article (new text)
    for h in hs:
        h.log.clear()
    hs[1].routes["/bridge1b.html"] = Route(html(FERRY, "Bridge: a ferry for Corvallen", OUTLETS[1]))
    hs[1].routes["/feed.xml"] = Route(rss(OUTLETS[1], [("/bridge1b.html", "Ferry", DAY), ("/bridge1.html", "Bridge", DAY),
                                                       ("/breach1.html", "Breach", DAY)]), RSS)
    hs[2].routes["/breach2.html"] = Route(html(BREACH[2].replace("1.2 million", "1.4 million"), "Breach", OUTLETS[2]))
    hs[2].routes["/feed.xml"] = Route(rss(OUTLETS[2], [("/bridge2.html", "Bridge", DAY),
                                                       ("/breach2.html", "Breach", "Tue, 01 Dec 2026 09:00:00 GMT")]),
                                      RSS)
    second = poll(db, settings(*hs))
    assert second.not_modified == 1 and second.added == 1 and second.feeds[2].updated == 1, second.to_dict()
    assert hs[0].paths() == ["/feed.xml"]  # robots.txt is kept for a day: not asked again
    assert hs[1].paths() == ["/feed.xml", "/bridge1b.html"] and hs[2].paths() == ["/feed.xml", "/breach2.html"]
    got = story_sets(db)
    assert frozenset({"bridge0.html", "bridge1.html", "bridge2.html", "bridge1b.html"}) in got
    hs[0].routes["/feed.xml"] = Route(rss(OUTLETS[0], [("/bridge0.html", "Bridge", "Wed, 02 Dec 2026 09:00:00 GMT"),
                                                       ("/breach0.html", "Breach", DAY)]), RSS)
    third = poll(db, settings(*hs))  # re-dated, but the same text: fetched, nothing replaced
    assert (third.added, third.feeds[0].updated, third.feeds[0].existing) == (0, 0, 1) and third.not_modified == 2
    assert frozenset({"breach0.html", "breach1.html", "breach2.html"}) in got  # the new breach2 in place of the old
    with Store(db) as s:
        old, new = s.connection.execute("SELECT id, duplicate_of FROM articles WHERE path LIKE '%breach2.html'"
                                        " ORDER BY id").fetchall()
        assert old[1] == new[0] and new[1] is None  # the old text superseded by the new, kept by id
        assert "1.4 million" in s.article(new[0]).raw and "1.2 million" in s.article(old[0]).raw
        story = s.article_story(new[0])[0]
        assert s.versions(story)[-1].articles == sorted(set(s.versions(story)[-2].articles) - {old[0]} | {new[0]})


def test_robots_forbids_and_crawl_delay(hosts, tmp_path: Path) -> None:
    h = hosts()
    h.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /\n\nUser-agent: newsbrief\nDisallow: /private/\n"
                                    b"Crawl-delay: 0.3\n", "text/plain")
    h.routes["/p1.html"] = Route(html(BRIDGE[0], "Bridge", "Valley Herald"))
    h.routes["/private/p2.html"] = Route(html(BRIDGE[1], "Bridge two", "Valley Herald"))
    h.routes["/moved.html"] = Route(b"", "text/plain", 301, {"Location": "/private/p3.html"})
    h.routes["/private/p3.html"] = Route(html(BRIDGE[2], "Bridge three", "Valley Herald"))
    h.routes["/feed.xml"] = Route(rss("Valley Herald", [("/p1.html", "a", DAY), ("/private/p2.html", "b", DAY),
                                                        ("/moved.html", "c", DAY)]), RSS)
    db = tmp_path / "nb.db"
    add_feeds(db, f"{h.base}/feed.xml")
    r = poll(db, settings(h))
    assert "/private/p2.html" not in h.paths() and "/private/p3.html" not in h.paths()  # never requested
    assert h.paths() == ["/robots.txt", "/feed.xml", "/p1.html", "/moved.html"] and r.added == 1
    assert r.problems == [] and len(r.forbidden) == 2 and all("robots.txt" in p for p in r.forbidden)
    assert "private/p2.html" in r.forbidden[0] and "redirect" not in r.forbidden[0] and "p3.html" in r.forbidden[1]
    times = [t for _, t in h.log]
    assert all(b - a >= 0.3 for a, b in zip(times, times[1:])), times  # Crawl-delay, though the rate is 0
    with Store(db) as s:
        (err,) = s.connection.execute("SELECT error FROM feed_items WHERE url LIKE '%private/p2%'").fetchone()
        assert "robots.txt" in err and s.feeds()[0].last_error.startswith("page ")
    h.log.clear()
    h.routes["/feed.xml"].body += b" "  # a changed feed (new ETag): the forbidden item is not tried again
    r = poll(db, settings(h))
    assert h.paths() == ["/feed.xml"] and r.forbidden == []


def test_rate_limit_per_host_across_feeds(hosts, tmp_path: Path) -> None:
    h, other = hosts(), hosts()
    for name, host in (("a", h), ("b", h), ("c", other)):
        host.routes[f"/{name}.xml"] = Route(b"<rss version='2.0'><channel><title>x</title></channel></rss>", RSS)
    db = tmp_path / "nb.db"
    add_feeds(db, f"{h.base}/a.xml", f"{other.base}/c.xml", f"{h.base}/b.xml")
    poll(db, settings(h, other, rate=0.4))
    times = [t for _, t in h.log]
    assert h.paths() == ["/robots.txt", "/a.xml", "/b.xml"]
    assert all(b - a >= 0.4 for a, b in zip(times, times[1:])), times


def test_429_retry_after_is_obeyed(hosts, tmp_path: Path) -> None:
    h, other = hosts(), hosts()
    h.routes["/feed.xml"] = Route(b"slow down", "text/plain", 429, {"Retry-After": "2"})
    other.routes["/feed.xml"] = Route(rss("Coast Daily", [("/c.html", "c", DAY)]), RSS)
    other.routes["/c.html"] = Route(html(BREACH[0], "Breach", "Coast Daily"))
    db = tmp_path / "nb.db"
    add_feeds(db, f"{h.base}/feed.xml", f"{other.base}/feed.xml")
    r = poll(db, settings(h, other))
    assert r.added == 1 and r.problems == [] and len(r.waiting) == 1 and "429" in r.waiting[0]
    with Store(db) as s:
        until = s.host(f"http://127.0.0.1:{h.port}").not_before
        assert s.feeds()[0].errors == 0  # a host that asks us to wait is no failing feed
    h.log.clear()
    r = poll(db, settings(h, other))
    assert h.paths() == [] and "waiting" not in r.summary().split("(")[0]  # not asked before Retry-After
    assert any(until in line for line in r.waiting)
    while datetime.now(timezone.utc).isoformat() < until:
        time.sleep(0.1)
    h.routes["/feed.xml"] = Route(rss("Valley Herald", []), RSS)
    r = poll(db, settings(h, other))
    assert h.paths() == ["/feed.xml"] and r.waiting == []
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    assert 85 <= retry_after(when) <= 90 and retry_after("120") == 120 and retry_after("soon") is None


def test_unreadable_robots_slow_host_and_huge_feed(hosts, tmp_path: Path) -> None:
    """robots.txt answering 503: nothing else asked of that host this poll
    (and it is asked again next poll); a host slower than the timeout and a
    feed over the byte limit are one line each; the good feed goes on."""
    down, slow, huge, good = hosts(), hosts(), hosts(), hosts()
    down.routes["/robots.txt"] = Route(b"busy", "text/plain", 503)
    down.routes["/feed.xml"] = Route(rss("Down", []), RSS)
    slow.routes["/feed.xml"] = Route(rss("Slow", []), RSS, delay=1.5)
    huge.routes["/feed.xml"] = Route(rss("Huge", [(f"/{i}.html", "x" * 200, DAY) for i in range(2000)]), RSS)
    good.routes["/feed.xml"] = Route(rss("Coast Daily", [("/c.html", "c", DAY)]), RSS)
    good.routes["/c.html"] = Route(html(BREACH[1], "Breach", "Coast Daily"))
    db = tmp_path / "nb.db"
    add_feeds(db, *(f"{h.base}/feed.xml" for h in (down, slow, huge, good)))
    s = settings(down, slow, huge, good, timeout=0.5, max_bytes=256 * 1024)
    r = poll(db, s)
    assert down.paths() == ["/robots.txt"] and any("robots.txt could not be read" in w for w in r.waiting)
    assert r.added == 1 and len(r.problems) == 2, r.problems
    assert any("timed out" in p for p in r.problems) and any("larger than the 0.25 MB limit" in p for p in r.problems)
    assert all("\n" not in p for p in r.problems)
    down.log.clear()
    poll(db, s)
    assert down.paths() == ["/robots.txt"]  # a 5xx robots.txt is not kept


def test_redirect_canonical_url_author_and_sitemap_index(hosts, tmp_path: Path) -> None:
    h = hosts()
    canonical = f"{h.base}/news/bridge-collapse"
    h.routes["/go/1"] = Route(b"", "text/plain", 301, {"Location": "/bridge.html?utm_source=feed"})
    h.routes["/bridge.html?utm_source=feed"] = Route(html(
        BRIDGE[0], "Bridge collapse", "Valley Herald",
        f"<link rel='canonical' href='{canonical}'><meta name='author' content='Mira Holt'>"))
    h.routes["/breach.html"] = Route(html(BREACH[0], "", "Valley Herald").replace(b"<title></title>", b""))
    h.routes["/sitemap-index.xml"] = Route(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>/news-sitemap.xml</loc></sitemap></sitemapindex>", "application/xml")
    h.routes["/news-sitemap.xml"] = Route(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>/go/1</loc><news:news><news:publication><news:name>Valley Herald</news:name></news:publication>"
        b"<news:publication_date>2026-11-30T09:00:00Z</news:publication_date><news:title>Bridge</news:title>"
        b"</news:news></url><url><loc>/breach.html</loc><news:news><news:publication><news:name>Valley Herald"
        b"</news:name></news:publication><news:publication_date>2026-11-30</news:publication_date>"
        b"<news:title>Hackers take 1.2 million records</news:title></news:news></url>"
        b"<url><loc>/about.html</loc></url></urlset>", "application/xml")
    db = tmp_path / "nb.db"
    add_feeds(db, f"{h.base}/sitemap-index.xml")
    r = poll(db, settings(h))
    assert r.added == 2 and r.problems == [], r.to_dict()
    assert "/about.html" not in h.paths()  # not a news entry
    with Store(db) as s:
        rows = dict(s.connection.execute("SELECT path, id FROM articles").fetchall())
        bridge = s.article(rows[f"{h.base}/bridge.html?utm_source=feed"])
        assert (bridge.url, bridge.author) == (canonical, "Mira Holt")
        breach = s.article(rows[f"{h.base}/breach.html"])
        assert breach.title == "Hackers take 1.2 million records"  # from the sitemap
        assert s.feeds()[0].title == "Valley Herald"


def test_dead_page_given_up_after_three_polls(hosts, tmp_path: Path) -> None:
    h = hosts()
    h.routes["/feed.xml"] = Route(rss("Valley Herald", [("/dead.html", "d", DAY)]), RSS)
    h.routes["/dead.html"] = Route(b"oops", "text/plain", 500)
    db = tmp_path / "nb.db"
    add_feeds(db, f"{h.base}/feed.xml")
    lines = [poll(db, settings(h)).problems for _ in range(3)]
    assert all(len(x) == 1 and "HTTP 500" in x[0] for x in lines)
    assert "recorded as seen" in lines[2][0] and "recorded as seen" not in lines[1][0]
    h.log.clear()
    r = poll(db, settings(h))  # given up: the validators were kept, the feed answers 304
    assert r.not_modified == 1 and h.paths() == ["/feed.xml"]


def test_watch_interval_stops_cleanly_on_sigterm(hosts, tmp_path: Path) -> None:
    h = hosts()
    h.routes["/feed.xml"] = Route(rss("Valley Herald", []), RSS)
    db = tmp_path / "nb.db"
    add_feeds(db, f"{h.base}/feed.xml")
    proc = subprocess.Popen([sys.executable, "-m", "newsbrief", "watch", "--interval", "0.01", "--db", str(db)],
                            env={**os.environ, "HF_HUB_OFFLINE": "1", "NEWSBRIEF_WATCH_RATE": "0",
                                 "NEWSBRIEF_FETCH_ALLOW": f"127.0.0.1:{h.port}"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while h.paths().count("/feed.xml") < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert len(lines) >= 2 and all("feed(s) polled" in line for line in lines), out
    assert "SIGTERM: stopping" in err


def test_serve_watch_reports_its_polls(hosts, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsbrief.server import Settings, create_app

    h = hosts()
    h.routes["/feed.xml"] = Route(rss("Valley Herald", [("/p.html", "p", DAY)]), RSS)
    h.routes["/p.html"] = Route(html(BRIDGE[2], "Bridge", "Valley Herald"))
    db = tmp_path / "nb.db"
    add_feeds(db, f"{h.base}/feed.xml")
    app = create_app(Settings(db=db, warm_up=False, watch_interval=1.0, fetch_allow=parse_allow(f"127.0.0.1:{h.port}")))
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while not (client.get("/api/health").json()["watch"] or {}).get("last_poll") and time.monotonic() < deadline:
            time.sleep(0.1)
        watch = client.get("/api/health").json()["watch"]
    assert watch["last_poll"] and watch["next_poll"] > watch["last_poll"] and watch["added"] == 1, watch
    assert watch["problems"] == [] and watch["interval_minutes"] == 1.0
    with Store(db) as s:
        assert s.count() == 1


def test_cli_bad_watch_setting_is_one_line(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from newsbrief.cli import app

    monkeypatch.setenv("NEWSBRIEF_WATCH_RATE", "fast")
    r = CliRunner().invoke(app, ["watch", "--once", "--db", str(tmp_path / "nb.db")])
    assert r.exit_code == 2 and r.stderr.strip() == "newsbrief: error: NEWSBRIEF_WATCH_RATE='fast': expected seconds " \
                                                   "(a number)"
    r = CliRunner().invoke(app, ["serve", "--watch", "--workers", "2", "--db", str(tmp_path / "nb.db")])
    assert r.exit_code == 2 and "--workers 1" in r.stderr
