"""Atom feeds out (/feeds/stories.atom, /feeds/story/ID.atom) and the ranked
front page (front_page, GET /api/stories?order=rank, stories --rank), on a
real SQLite file holding stories written here and a real uvicorn server on
127.0.0.1. Feeds are read back with feedparser and lxml."""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from newsbrief.render.atom import AtomCite, AtomEntry, AtomFeed, AtomLine, AtomSection, atom_feed
from newsbrief.sources import article_from_text
from newsbrief.store import Store
from newsbrief.stories import front_page
from newsbrief.stories.follow import brief_within, stories_feed, story_feed
from texts import COOKIE_WALL

pytest.importorskip("fastapi")
from test_server_hostile import brief_body, held, serve  # noqa: E402,F401  (real uvicorn on 127.0.0.1)

NOW = datetime.now(timezone.utc).replace(microsecond=0)
HOSTILE = "<script>alert('x')</script> Tom & Jerry \x07 sue \u202e the zoo"

BRIDGE = [
    ("Gazette", "The Harbor Bridge in Springfield will reopen in May, city officials said on Monday. Repairs to the "
                "two cracked cables cost $2 million. Engineers found the cracks during an inspection last year."),
    ("Courier", "Springfield's Harbor Bridge reopens in May after repairs costing $2 million, Mayor Ann Lee said. "
                "Cracks in two cables closed the bridge last year. Ferries carried commuters in the meantime."),
    ("Herald", "Mayor Ann Lee said the Harbor Bridge would reopen to traffic in May. The city paid $2 million for "
               "the cable repairs. Shop owners near the bridge welcomed the news on Monday."),
]


def add(store: Store, outlet: str | None, text: str, hours_ago: float, title: str | None = None,
        url: str | None = None, duplicate_of: int | None = None) -> int:
    a = article_from_text(text, id=f"{outlet}-{len(text)}", title=title or text.split(".")[0], outlet=outlet,
                          url=url, published=(NOW - timedelta(hours=hours_ago)).isoformat())
    return store.add_article(a, duplicate_of=duplicate_of)[0]


def story(store: Store, title: str, ids: list[int], state: dict | None = None) -> int:
    """A story growing one article at a time: a version each."""
    sid = store.new_story(title, articles=ids[:1], state=state)
    for a in ids[1:]:
        store.assign(a, sid)
    return sid


def build(path: Path) -> dict[str, int]:
    """Six stories and a junk page; published dates set the ages the ranking expects."""
    with Store(path) as st:
        ids = {}
        ids["bridge"] = story(st, "Harbor Bridge to reopen in May", [
            add(st, o, t, 2, url=f"https://{o.lower()}.example/bridge") for o, t in BRIDGE])
        ids["library"] = story(st, "Fire closes the Elm Street library", [add(
            st, "Gazette", "A fire closed the Elm Street library on Sunday night. Nobody was hurt, the fire "
                           "brigade said. The library will stay shut for at least a month while damage is assessed.",
            2)])
        ids["rail"] = story(st, "Rail workers strike for a second day", [
            add(st, "Courier", "Rail workers in the northern region walked out for a second day on Tuesday. The "
                               "union wants a six percent raise. Most commuter trains were cancelled.", 1),
            add(st, "Herald", "Commuter trains stood still for a second day as rail workers kept up their strike. "
                              "The union asks for a raise of six percent. Talks resume on Thursday.", 1)])
        original = add(st, "Gazette", "The city zoo welcomed two red panda cubs born in June. Keepers said both "
                                      "cubs are healthy. Visitors can see them from next week.", 3)
        ids["zoo"] = story(st, "Zoo shows red panda cubs", [
            original,
            add(st, "Courier", "The city zoo welcomed two red panda cubs born in June. Keepers said both cubs are "
                               "healthy. Visitors can see them from next week!", 3, duplicate_of=original),
            add(st, "gazette ", "Zoo keepers named the red panda cubs Maple and Fern after a public vote. The cubs "
                                "weigh about a kilogram each.", 3)])
        ids["hostile"] = story(st, HOSTILE, [add(
            st, "A&B <News>", "Two cartoon characters filed a complaint against the city zoo on Friday. The zoo "
                              "said it would answer the complaint in court next month.", 5, title=HOSTILE,
            url="javascript:alert(1)")])
        ids["marathon"] = story(st, "City marathon draws record field", [
            add(st, o, f"A record {n} runners started the city marathon on Sunday, organisers said. The "
                       f"winner finished in two hours and {m} minutes. Streets reopened by the afternoon.", 168)
            for o, n, m in (("Gazette", 9000, 11), ("Courier", 9100, 12), ("Herald", 9200, 13))])
        ids["junk"] = st.new_story("cookies", articles=[add(st, None, COOKIE_WALL, 0)], state={"junk": True})
    return ids


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "news.db"  # where the serve fixture's server looks
    return path, build(path)


# --- the front page ------------------------------------------------------------------------------------------------

def test_front_page_ranks_by_independent_outlets_then_freshness(db) -> None:
    path, ids = db
    got = front_page(path, now=NOW)
    order = [r.story.id for r in got]
    # score = log2(independent outlets) - age in days:
    # bridge 3 @2h 1.50, rail 2 @1h 0.96, library 1 @2h -0.08, zoo 1 @3h -0.13, hostile 1 @5h -0.21,
    # marathon 3 @168h -5.42; the junk page never
    assert order == [ids[k] for k in ("bridge", "rail", "library", "zoo", "hostile", "marathon")]
    by = {r.story.id: r for r in got}
    assert by[ids["bridge"]].outlets == 3 and by[ids["library"]].outlets == 1  # same age: 3 outlets first
    assert by[ids["rail"]].score > by[ids["marathon"]].score  # fresh 2 outlets over a week-old 3
    assert by[ids["zoo"]].outlets == 1  # a copy (duplicate_of) and the same outlet again count nothing
    assert by[ids["bridge"]].score == pytest.approx(math.log2(3) - 2 / 24, abs=1e-6)
    assert by[ids["marathon"]].score == pytest.approx(math.log2(3) - 7, abs=1e-6)
    assert [r.story.id for r in front_page(path, limit=2, now=NOW)] == order[:2]


def test_api_order_rank_and_default_order(db, serve) -> None:
    path, ids = db
    s = serve()
    ranked = s.http.get("/api/stories", params={"order": "rank"}).json()
    assert [x["id"] for x in ranked][:2] == [ids["bridge"], ids["rail"]]
    assert ranked[-1]["id"] == ids["marathon"] and ranked[0]["independent_outlets"] == 3
    assert ranked[0]["score"] > ranked[1]["score"] > ranked[-1]["score"]
    recent = s.http.get("/api/stories").json()  # the default order is as before: most recently seen first
    assert recent[0]["id"] == ids["rail"] and "score" not in recent[0]
    bad = s.http.get("/api/stories", params={"order": "best"})
    assert bad.status_code == 422 and "order" in bad.json()["detail"]


def test_cli_stories_rank(db) -> None:
    from typer.testing import CliRunner

    from newsbrief.cli import app

    path, ids = db
    r = CliRunner().invoke(app, ["stories", "--rank", "--db", str(path)])
    assert r.exit_code == 0, r.output
    lines = [x for x in r.output.splitlines() if x.startswith("[")]
    assert lines[0].startswith(f"[{ids['bridge']}] Harbor Bridge") and lines[-1].startswith(f"[{ids['marathon']}]")
    assert "3 independent outlet(s)" in r.output


# --- the feeds -----------------------------------------------------------------------------------------------------

def check_feed(body: bytes, entries: int) -> feedparser.FeedParserDict:
    etree.fromstring(body)  # well-formed XML, or this raises
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and len(parsed.entries) == entries
    return parsed


def test_stories_feed_validates_and_links_to_the_page(db, serve) -> None:
    path, ids = db
    s = serve()
    r = s.http.get("/feeds/stories.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = check_feed(r.content, 6)  # the junk page is left out
    assert feed.feed.link == s.base + "/" and feed.feed.title == "newsbrief: newest stories"
    listed = [x["id"] for x in s.http.get("/api/stories").json()]
    assert [e.id for e in feed.entries] == [f"urn:newsbrief:story:{i}" for i in listed]
    for e in feed.entries:
        sid = e.id.rsplit(":", 1)[1]
        assert e.link == f"{s.base}/#/story/{sid}"
        assert s.http.get(e.link.split("#")[0]).status_code == 200  # the page the link opens
        assert s.http.get(f"/api/stories/{sid}").status_code == 200  # and the story that page loads
    bridge = next(e for e in feed.entries if e.id.endswith(f":{ids['bridge']}"))
    html = bridge.content[0].value
    assert "3 articles from Courier, Gazette, Herald." in html
    assert 'href="https://gazette.example/bridge"' in html  # each sentence cites its outlet, linked


def test_hostile_titles_stay_text(db, serve) -> None:
    path, ids = db
    s = serve()
    for url in ("/feeds/stories.atom", f"/feeds/story/{ids['hostile']}.atom"):
        body = s.http.get(url).content
        feed = check_feed(body, 6 if "stories" in url else 1)
        e = next(e for e in feed.entries if f":{ids['hostile']}" in e.id)
        assert e.title.startswith("<script>alert('x')</script> Tom & Jerry")  # the reader sees the text
        assert "\x07" not in e.title and "<script>" not in body.decode()  # escaped in the XML, control gone
        assert "javascript:" not in e.content[0].value  # a non-http URL is no link
        assert "A&amp;B &lt;News&gt;" in e.content[0].value


def test_atom_feed_scrubs_what_xml_cannot_hold() -> None:
    when = NOW
    feed = AtomFeed("urn:x", "T \ud800 \x00 \ufffe", "http://h/", "http://h/feed",
                    [AtomEntry("urn:x:1", "a \udfff b \x1b", "http://h/#/story/1", when,
                               [AtomSection("S", [AtomLine("x < y & \x0c z", [AtomCite("O", "https://o.example/?a=1&b=2")])])])])
    parsed = check_feed(atom_feed(feed), 1)
    assert parsed.feed.title == "T \ufffd" and parsed.entries[0].title == "a \ufffd b"
    assert 'href="https://o.example/?a=1&amp;b=2"' in parsed.entries[0].content[0].value
    assert "x &lt; y &amp;   z" in parsed.entries[0].content[0].value


def test_story_feed_has_an_entry_per_version_newest_first(db, serve) -> None:
    path, ids = db
    s = serve()
    sid = ids["bridge"]
    with Store(path) as st:
        versions = st.versions(sid)
    assert len(versions) == 3
    feed = check_feed(s.http.get(f"/feeds/story/{sid}.atom").content, 3)
    assert [e.id for e in feed.entries] == [f"urn:newsbrief:story:{sid}:v{v.version}" for v in reversed(versions)]
    assert all(e.link == f"{s.base}/#/story/{sid}" for e in feed.entries)
    assert feed.feed.link == f"{s.base}/#/story/{sid}"
    assert [e.title for e in feed.entries] == ["Harbor Bridge to reopen in May: 1 new article (Herald)",
                                               "Harbor Bridge to reopen in May: 1 new article (Courier)",
                                               "Harbor Bridge to reopen in May"]
    newest, first = feed.entries[0].content[0].value, feed.entries[-1].content[0].value
    # the newest entry is the update since the version before: the new outlet, its new fact, cited and linked
    assert "Update since version" in newest and "Briefing" not in newest
    assert "<h3>New outlets</h3>\n<p>Herald</p>" in newest
    assert ('Shop owners near the bridge welcomed the news on Monday. [<a href="https://herald.example/bridge">'
            'Herald</a>]') in newest
    assert "The city paid $2 million" not in newest  # said before: no new fact
    assert "The story as first seen: 1 article." in first and "Briefing" not in first
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_unknown_or_bad_story_feed(db, serve) -> None:
    s = serve()
    r = s.http.get("/feeds/story/999.atom")
    assert r.status_code == 404 and r.json() == {"detail": "no story 999 in the store"}
    for bad in ("0", "abc", str(2**63)):
        r = s.http.get(f"/feeds/story/{bad}.atom")
        assert r.status_code == 422 and "\n" not in r.json()["detail"], bad


def test_conditional_get_answers_304(db, serve) -> None:
    path, ids = db
    s = serve()
    first = s.http.get(f"/feeds/story/{ids['library']}.atom")
    again = s.http.get(f"/feeds/story/{ids['library']}.atom", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert s.http.get(f"/feeds/story/{ids['library']}.atom", headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_busy_server_answers_with_headlines(db, serve, held: threading.Event) -> None:
    """A full queue briefs nothing for the feed, and the feed still answers."""
    path, ids = db
    s = serve(queue_size=1)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(s.http.post, "/api/briefings", json=brief_body())
        s.wait_busy(1)
        r = s.http.get("/feeds/stories.atom")
        held.set()
        assert pending.result().status_code == 200
    feed = check_feed(r.content, 6)
    for e in feed.entries:
        html = e.content[0].value
        assert "Headlines" in html and "not made yet" in html and "Briefing" not in html


def test_feeds_use_the_briefing_cache_and_a_time_bound(db) -> None:
    path, ids = db
    assert brief_within([ids["bridge"], ids["rail"]], path, seconds=0) == {}  # no time: nothing briefed
    plain = stories_feed(path, "http://h/")
    assert all(e.note and "not made yet" in e.note for e in plain.entries)
    made = brief_within([ids["bridge"]], path)
    assert list(made) == [ids["bridge"]]
    cached = {e.id: e for e in stories_feed(path, "http://h/").entries}  # no briefer: the cache alone
    entry = cached[f"urn:newsbrief:story:{ids['bridge']}"]
    assert entry.note is None and entry.sections[0].heading == "Briefing"
    assert cached[f"urn:newsbrief:story:{ids['rail']}"].sections[0].heading == "Headlines"
    assert story_feed(path, ids["bridge"], "http://h/").entries[0].sections[-1].heading == "Briefing"


def test_cli_writes_the_feed(db, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsbrief.cli import app

    path, ids = db
    out = tmp_path / "stories.atom"
    r = CliRunner().invoke(app, ["stories", "--db", str(path), "--atom", str(out), "--base-url", "https://news.example/"])
    assert r.exit_code == 0, r.output
    feed = check_feed(out.read_bytes(), 6)
    assert feed.entries[0].link.startswith("https://news.example/#/story/")
    assert all("Briefing" in e.content[0].value for e in feed.entries)  # the CLI briefs every story


def test_a_changed_value_reads_old_to_new_with_both_outlets() -> None:
    from newsbrief.briefing.changes import ChangedValue, Changes, NewArticle, VersionRef
    from newsbrief.model import Citation
    from newsbrief.stories.follow import change_sections

    before = Citation("g1", 0, 0, 36, "A storm killed 12 people on Saturday.")
    after = Citation("c1", 0, 0, 45, "The death toll rose to 15 on Sunday.")
    c = Changes(1, "Storm", "2", VersionRef(2, None), VersionRef(3, None), new_outlets=["Courier"],
                new_articles=[NewArticle(7, "c1", "Courier", "Toll rises", "https://courier.example/storm")],
                changed_values=[ChangedValue("count", "people killed", "12", "15", before, after, "Gazette", "Courier")])
    sections = change_sections(c)
    assert [x.heading for x in sections] == ["New outlets", "Changed"]
    line = sections[1].lines[0]
    assert line.text == "people killed: 12 → 15. The death toll rose to 15 on Sunday."
    assert [(x.label, x.href) for x in line.cites] == [("Courier", "https://courier.example/storm"),
                                                       ("before: Gazette", None)]
