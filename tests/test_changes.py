""""What changed" in a stored story: a real SQLite store holding a story
whose article is updated (a toll 12 -> 15 reworded, one new sentence) and a
new article from a new outlet (two new facts, one fact the story already
had, in other words). The library, the CLI and the API must list exactly
the new facts, the changed value and the new outlet, each cited, and
nothing the earlier version said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsbrief.briefing.changes import SinceError, changes, resolve_since
from newsbrief.cli import app
from newsbrief.model import Article
from newsbrief.store import Store, StoryVersion
from newsbrief.stories import StoryNotFound

OLD = """Flooding in the river valley killed 12 people on Tuesday, officials said.
The river burst its banks after three days of heavy rain, forcing hundreds of residents from their homes.
Governor Ann Walsh declared a state of emergency for Harlan County and asked for federal help.
Rescue teams in boats searched flooded streets for people trapped on rooftops."""

# The same page, updated: the toll reworded and changed, one sentence added.
UPDATED = """Officials said on Wednesday that the death toll rose to 15 after the flooding in the river valley.
The river burst its banks after three days of heavy rain, forcing hundreds of residents from their homes.
Governor Ann Walsh declared a state of emergency for Harlan County and asked for federal help.
Rescue teams in boats searched flooded streets for people trapped on rooftops.
Engineers warned that a second dam upstream at Millbrook showed cracks and could fail within days."""

# Another outlet: two new facts, and the emergency declaration again in its own words.
OTHER = """Residents of Harlan County returned on Thursday to find their homes filled with mud after the flood.
The Red Cross opened four shelters in school gyms and said it was housing about 600 people.
Governor Ann Walsh declared a state of emergency for the county and asked Washington for help."""

NEW_FACTS = {
    "Engineers warned that a second dam upstream at Millbrook showed cracks and could fail within days.",
    "Residents of Harlan County returned on Thursday to find their homes filled with mud after the flood.",
    "The Red Cross opened four shelters in school gyms and said it was housing about 600 people.",
}


@pytest.fixture(scope="module")
def flood(tmp_path_factory) -> tuple[Path, int, int]:
    """The store, the story id, and the version the reader saw (before the update)."""
    return build_flood(tmp_path_factory.mktemp("changes") / "news.db")


def build_flood(path: Path) -> tuple[Path, int, int]:
    with Store(path) as st:
        a1, _ = st.add_article(Article(id="valley/flood", raw=OLD, title="Flood kills 12", outlet="Valley News"))
        sid = st.new_story("Valley flood", articles=[a1])
        seen = st.story(sid).version
        with st.transaction():  # what the watcher does with an updated page: new article, old one superseded
            a2, _ = st.add_article(Article(id="valley/flood-2", raw=UPDATED, title="Flood toll rises to 15",
                                           outlet="Valley News"), story_id=sid)
            st.supersede(a1, a2)
        st.add_article(Article(id="courier/shelters", raw=OTHER, title="Shelters open", outlet="County Courier"),
                       story_id=sid)
    return path, sid, seen


def test_update_and_new_outlet(flood) -> None:
    path, sid, seen = flood
    c = changes(path, sid, seen)
    assert (c.since.version, c.to.version) == (seen, Store(path).story(sid).version)
    assert c.new_outlets == ["County Courier"]
    assert [(a.source, a.replaces) for a in c.new_articles] == [("valley/flood-2", [1]), ("courier/shelters", [])]
    assert {f.text for f in c.new_facts} == NEW_FACTS and c.more_facts == 0
    [v] = c.changed_values
    assert (v.kind, v.subject, v.old, v.new) == ("count", "people killed", "killed 12", "death toll rose to 15")
    assert (v.before.source, v.before.sentence, v.after.source, v.after.sentence) == \
        ("valley/flood", 0, "valley/flood-2", 0)
    st = Store(path)
    texts = {"valley/flood": st.article(1).raw, "valley/flood-2": st.article(2).raw,
             "courier/shelters": st.article(3).raw}
    for cite in [v.before, v.after, *(f.citation for f in c.new_facts)]:  # offsets into the (here unchanged) text
        assert texts[cite.source][cite.start:cite.end] == cite.text
    old_sentences = set(OLD.splitlines())
    assert not any(f.text in old_sentences for f in c.new_facts)


def test_since_the_start_date_and_now(flood) -> None:
    path, sid, seen = flood
    everything = changes(path, sid, "2000-01-01")  # before the first version: everything is new
    assert everything.since.version == 0 and everything.changed_values == []
    assert {a.source for a in everything.new_articles} == {"valley/flood-2", "courier/shelters"}
    assert {"Valley News", "County Courier"} == set(everything.new_outlets)
    current = Store(path).story(sid).version
    for since in (current, str(current), "2999-01-01T00:00:00Z"):
        c = changes(path, sid, since)
        assert c.empty and c.new_facts == [] and c.new_outlets == [] and c.changed_values == []
    d = changes(path, sid, seen).to_dict()
    assert json.loads(json.dumps(d)) == d and d["changed_values"][0]["before"]["source"] == "valley/flood"


def test_resolve_since() -> None:
    vs = [StoryVersion(1, 2, "2024-05-01T09:00:00+00:00", [1]), StoryVersion(1, 5, "2024-05-02T12:00:00+00:00", [1, 2])]
    assert resolve_since(1, vs, 7) is None  # before the first recorded version
    assert resolve_since(4, vs, 7).version == 2  # version 4 changed no article: it read as version 2
    assert resolve_since("7", vs, 7).version == 5
    assert resolve_since("2024-05-02", vs, 7).version == 2  # a date is its start, UTC
    assert resolve_since("2024-05-02T12:00:00Z", vs, 7).version == 5  # at or before
    assert resolve_since("2024-05-02T13:59:00+02:00", vs, 7).version == 2  # 11:59 UTC
    for bad in (0, 8, "-1", "yesterday", "2024-13-01", ""):
        with pytest.raises(SinceError):
            resolve_since(bad, vs, 7)


def test_bad_since_and_unknown_story(flood) -> None:
    path, sid, _ = flood
    with pytest.raises(SinceError, match="no version 999"):
        changes(path, sid, 999)
    with pytest.raises(SinceError, match="neither a version number nor an ISO date"):
        changes(path, sid, "last week")
    with pytest.raises(StoryNotFound):
        changes(path, 4242, 1)


def test_a_title_change_is_no_change(tmp_path) -> None:
    with Store(tmp_path / "t.db") as st:
        a, _ = st.add_article(Article(id="a", raw=OLD, outlet="Valley News"))
        sid = st.new_story("t", articles=[a])
        v = st.update_story(sid, title="Valley flood")  # a new version, the same articles
        assert [x.version for x in st.versions(sid)] == [v - 1]
        assert changes(st, sid, v).empty and changes(st, sid, v - 1).empty


runner = CliRunner()


def test_cli(flood) -> None:
    path, sid, seen = flood
    r = runner.invoke(app, ["brief", "--story", str(sid), "--since", str(seen), "--db", str(path), "-f", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {f["text"] for f in d["new_facts"]} == NEW_FACTS and d["new_outlets"] == ["County Courier"]
    md = runner.invoke(app, ["brief", "--story", str(sid), "--since", str(seen), "--db", str(path), "-f", "md"])
    assert md.exit_code == 0 and "## Changed values" in md.stdout and "killed 12 → death toll rose to 15" in md.stdout
    text = runner.invoke(app, ["brief", "--story", str(sid), "--since", "2999-01-01", "--db", str(path)])
    assert text.exit_code == 0 and "Nothing has changed" in text.stdout
    for args, code, words in ((["--story", str(sid), "--since", "99"], 2, "no version 99"),
                              (["--story", str(sid), "--since", "soon"], 2, "neither a version"),
                              (["--story", "77", "--since", "1"], 1, "no story 77"),
                              (["--since", "1"], 2, "--since needs --story")):
        bad = runner.invoke(app, ["brief", *args, "--db", str(path)])
        assert bad.exit_code == code and words in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    vs = runner.invoke(app, ["stories", "--versions", str(sid), "--db", str(path), "-f", "json"])
    assert [v["articles"] for v in json.loads(vs.stdout)][-2:] == [[2], [2, 3]]


def test_api(flood) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsbrief.server import Settings, create_app

    path, sid, seen = flood
    client = TestClient(create_app(Settings(warm_up=False, db=path)), raise_server_exceptions=False)
    r = client.get(f"/api/stories/{sid}/changes", params={"since": seen})
    assert r.status_code == 200, r.text
    d = r.json()
    assert {f["text"] for f in d["new_facts"]} == NEW_FACTS
    assert [(v["old"], v["new"]) for v in d["changed_values"]] == [("killed 12", "death toll rose to 15")]
    for params, status, words in (({"since": "99"}, 422, "no version 99"), ({"since": "later"}, 422, "ISO date"),
                                  ({}, 422, "since")):
        bad = client.get(f"/api/stories/{sid}/changes", params=params)
        assert bad.status_code == status and words in json.dumps(bad.json()["detail"]), bad.text
    missing = client.get("/api/stories/77/changes", params={"since": "1"})
    assert missing.status_code == 404 and "no story 77" in missing.json()["detail"]
    assert [v["version"] for v in client.get(f"/api/stories/{sid}/versions").json()][0] == seen
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "since" in {p["name"] for p in paths["/api/stories/{story_id}/changes"]["get"]["parameters"]}
