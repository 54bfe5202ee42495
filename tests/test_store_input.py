"""Hostile input at the story store's edges (issue 17, follow-up): a stored
story's briefing keeps to the server's analysis size limit, a control
character in a search is not a store error, and a ``published`` value that is
not a date (or lies in the future) is left out where articles come in, so it
never becomes a story's first or last seen."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsbrief.model import Article
from newsbrief.sources import load
from newsbrief.store import Store
from newsbrief.stories import ingest, search, stories
from newsbrief.text.embed import available
from texts import BRIDGE_ARTICLES

pytest.importorskip("fastapi")
from test_server_hostile import serve  # noqa: E402,F401  (the fixture: a real uvicorn server on 127.0.0.1)


needs_model = pytest.mark.skipif(not available(), reason="embedding model not available (ingest needs it)")

STORM = ("A winter storm flooded the coast of Maine on Tuesday and cut power to ten thousand homes. "
         "Crews from three states worked through the night to restore the lines, the utility said.")
PARKS = ("The city opened two new parks on the east side on Saturday. Families crowded the playgrounds, "
         "and the parks department said a third would open in the spring.")
BAD_DATES = ["zzzz not a date", "\ud800", "2999-01-01", "March 45, 2020"]




def published_in(db: Path) -> list[str | None]:
    with sqlite3.connect(db) as c:
        return [r[0] for r in c.execute("SELECT published FROM articles ORDER BY id")]


# --- 1. the analysis size limit holds for a stored story's briefing --------------------------------------------------

@needs_model
def test_stored_story_briefing_keeps_to_the_analysis_limit(serve) -> None:
    s = serve(max_analysis_bytes=100)  # one bridge article is ~400 bytes
    r = s.http.post("/api/articles", json={"articles": [{"text": t} for t in BRIDGE_ARTICLES]})
    assert r.status_code == 200, r.text
    sid = r.json()["articles"][0]["story_id"]
    for _ in range(2):  # made, then from the cache: said both times
        r = s.http.get(f"/api/stories/{sid}/briefing", params={"sentences": 2})
        assert r.status_code == 200, r.text
        d = r.json()
        assert d["summary"] and "entities" not in d  # the analysis sections sit at the top level
        notes = [e["reason"] for e in d["errors"] if e["source"] == "analysis"]
        assert len(notes) == 1 and "NEWSBRIEF_MAX_ANALYSIS_BYTES" in notes[0], d["errors"]
    r = s.http.get(f"/api/stories/{sid}/briefing", params={"sentences": 2, "analysis": "false"})
    assert r.status_code == 200 and not [e for e in r.json()["errors"] if e["source"] == "analysis"]
    assert s.http.get("/api/stories/999/briefing").status_code == 404


# --- 2. control characters in a search ------------------------------------------------------------------------------

@needs_model
def test_control_characters_in_a_search_are_not_a_store_error(tmp_path: Path, serve) -> None:
    db = tmp_path / "news.db"
    ingest(Article(id="parks", raw=PARKS), Article(id="storm", raw=STORM), db=db)
    for q in ("parks\x00", "\x00parks", "parks\x00city", "city\tparks\x1b\x7f\x85"):  # a separator, as a space
        hits = search(q, db)
        assert hits and all(h.story_id is not None for h in hits), q
    s = serve()
    r = s.http.get("/api/search?q=parks%00")
    assert r.status_code == 200, r.text
    assert any("parks" in (h["snippet"] or "").lower() for h in r.json())
    for q in ("%00", "%00%01%1F", "%20%00%20"):
        r = s.http.get(f"/api/search?q={q}")
        assert r.status_code == 422, (q, r.text)
        assert "give words to search for" in r.json()["detail"] and "store" not in r.json()["detail"]


# --- 3. published: a date, or left out ------------------------------------------------------------------------------

@needs_model
def test_cli_ingest_leaves_out_a_published_value_that_is_not_a_date(tmp_path: Path) -> None:
    db, rows = tmp_path / "news.db", tmp_path / "rows.jsonl"
    texts = [STORM, PARKS, BRIDGE_ARTICLES[0], "The river flooded the valley again this week. " * 4]
    rows.write_text("".join(json.dumps({"text": t, "published": p}) + "\n" for t, p in zip(texts, BAD_DATES)))
    run = subprocess.run([sys.executable, "-m", "newsbrief", "ingest", str(rows), "--db", str(db)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    warnings = [ln for ln in run.stderr.splitlines() if "published" in ln]
    assert len(warnings) == 4 and "Traceback" not in run.stderr, run.stderr
    assert all(ln.startswith(f"newsbrief: warning: {rows}:") and "the article is kept without it" in ln
               for ln in warnings)
    assert "'zzzz not a date' is not a date" in warnings[0] and "'2999-01-01' is in the future" in warnings[2]
    assert published_in(db) == [None] * 4
    # a story added later is listed first: no stored value passes for a date after it
    later = tmp_path / "later.txt"
    later.write_text(BRIDGE_ARTICLES[1].replace("river bridge", "harbour tunnel"))
    run = subprocess.run([sys.executable, "-m", "newsbrief", "ingest", str(later), "--db", str(db)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    listed = stories(db)
    assert any(str(later) in src for _, src in listed[0].articles), [s.to_dict() for s in listed]
    assert all(s.last_seen and s.last_seen[:1].isdigit() for s in listed)


def test_load_normalises_dates_and_warns_about_the_rest(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    given = ["2017-03-03", "2017-03-03T09:30:00Z", "Tue, 10 Jun 2003 04:00:00 GMT", "March 11, 2025", *BAD_DATES]
    rows.write_text("".join(json.dumps({"text": f"Article {i} about the news.", "published": p}) + "\n"
                            for i, p in enumerate(given)))
    got = load(rows)
    assert [a.published for a in got.articles] == ["2017-03-03", "2017-03-03T09:30:00+00:00",
                                                   "2003-06-10T04:00:00+00:00", "2025-03-11"] + [None] * 4
    assert [w.source for w in got.warnings] == [f"{rows}:{n}" for n in range(5, 9)]


@needs_model
def test_library_ingest_of_articles_checks_their_dates(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    given = [Article(id="bad", raw=STORM, published="zzzz not a date"),
             Article(id="future", raw=PARKS, published="2999-12-31T23:00:00+00:00"),
             Article(id="good", raw=BRIDGE_ARTICLES[0], published="2017-03-03")]
    report = ingest(*given, db=db)
    assert report.added == 3 and not report.errors
    assert [w.source for w in report.warnings] == ["bad", "future"]
    assert [w["source"] for w in report.to_dict()["warnings"]] == ["bad", "future"]
    assert published_in(db) == [None, None, "2017-03-03"]
    assert given[0].published == "zzzz not a date"  # the caller's object is not changed


def test_first_and_last_seen_ignore_dates_that_are_not_iso_or_in_the_future(tmp_path: Path) -> None:
    """A store written before dates were checked (or by a direct Store call)
    may hold any text in ``published``: a story's times read only ISO dates,
    never later than the article's arrival."""
    with Store(tmp_path / "news.db") as store:
        sid = store.new_story("old")
        for i, p in enumerate(["zzzz not a date", "2999-01-01", "2017-03-03", None]):
            store.add_article(Article(id=f"a{i}", raw=f"Text number {i} of the story.", published=p), story_id=sid)
        info = store.story(sid)
    with sqlite3.connect(tmp_path / "news.db") as c:
        arrived = c.execute("SELECT max(added_at) FROM articles").fetchone()[0]
    assert info is not None and (info.first_seen, info.last_seen) == ("2017-03-03", arrived)


@needs_model
def test_api_leaves_out_a_published_value_that_is_not_a_date(serve) -> None:
    s = serve()
    # json.dumps writes the lone surrogate as the escape "\ud800", as a hostile client would
    body = json.dumps({"articles": [{"text": STORM, "published": "zzzz not a date"},
                                    {"text": PARKS, "published": "\ud800"}]})
    r = s.http.post("/api/articles", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert [w["reason"].split(" is ")[0] for w in r.json()["warnings"]] == ["published 'zzzz not a date'",
                                                                           "published '\ufffd'"]
    r = s.http.post("/api/articles", json={"articles": [{"text": BRIDGE_ARTICLES[0], "published": "2017-03-03"}]})
    assert r.status_code == 200 and r.json()["warnings"] == []
    listed = s.http.get("/api/stories").json()
    assert all(x["last_seen"][:1].isdigit() for x in listed)
    r = s.http.post("/api/briefings", json={"analysis": False, "articles": [
        {"text": BRIDGE_ARTICLES[0], "published": "2999-01-01", "id": "future"},
        {"text": BRIDGE_ARTICLES[1], "published": "2017-03-03T10:00:00Z", "id": "good"}]})
    assert r.status_code == 200, r.text
    d = r.json()
    assert [(e["source"], "in the future" in e["reason"]) for e in d["errors"]] == [("future", True)]
    assert {x["id"]: x["published"] for x in d["sources"]} == {"future": None, "good": "2017-03-03T10:00:00+00:00"}
