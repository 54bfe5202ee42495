"""Ingest into the story store, end to end: idempotence, crash safety with a
real SIGKILL, near-duplicate links, search, stored-story briefings and their
cache, and the CLI commands over them."""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsbrief
from newsbrief.model import Article, Briefing
from newsbrief.store import SCHEMA_VERSION, Store
from newsbrief.stories import Ingestor, is_junk, keywords
from newsbrief.text.embed import available
from texts import COOKIE_WALL

pytestmark = pytest.mark.skipif(not available(), reason="embedding model not available")
ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "newsbrief"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


def synthetic_corpus(folder: Path, stories: int = 30, per_story: int = 10, seed: int = 7) -> dict[str, int]:
    """``stories`` made-up stories, each with its own vocabulary; returns
    file name -> true story. Written for the tests, no third-party text."""
    rng = random.Random(seed)
    syll = ["ka", "lo", "mi", "ren", "tor", "vas", "qui", "ber", "lan", "dor", "fis", "gul", "hap", "jen", "nor"]
    common = "the said on in of and a to for with officials reported people city new".split()
    folder.mkdir(parents=True, exist_ok=True)
    truth = {}
    for s in range(stories):
        vocab = ["".join(rng.choice(syll) for _ in range(3)) for _ in range(25)]
        for k in range(per_story):
            sents = []
            for _ in range(8):
                words = [rng.choice(vocab if rng.random() < 0.6 else common) for _ in range(12)]
                sents.append(" ".join(words).capitalize() + ".")
            name = f"s{s:02d}_{k:02d}.txt"
            (folder / name).write_text(" ".join(sents[:4]) + "\n\n" + " ".join(sents[4:]) + "\n", encoding="utf-8")
            truth[name] = s
    return truth


def partition(db: Path) -> set[frozenset[str]]:
    with Store(db) as s:
        return {frozenset(Path(src).name for _, src in st.articles) for st in s.stories()}


def purity(stories: set[frozenset[str]], truth: dict[str, int]) -> float:
    """Share of articles in a story whose majority is their own true story."""
    from collections import Counter

    return sum(Counter(truth[n] for n in st).most_common(1)[0][1] for st in stories) / len(truth)


def check_consistent(db: Path) -> int:
    """Every stored article is whole: text, search row, features, story; the
    story counters match the rows. Returns the article count."""
    with Store(db) as s:
        c = s.connection
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = s.count()
        assert c.execute("SELECT count(*) FROM articles WHERE text = '' OR story_id IS NULL").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM features").fetchone()[0] == n
        assert c.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == n
        for st in s.stories():
            own = c.execute("SELECT count(*) FROM articles WHERE story_id = ? AND duplicate_of IS NULL",
                            (st.id,)).fetchone()[0]
            assert st.size == own >= 1
        return n


def test_reingest_adds_nothing(tmp_path, examples):
    db = tmp_path / "nb.db"
    first = newsbrief.ingest(examples, db=db)
    assert (first.added, first.existing, first.new_stories) == (3, 0, 1)
    again = newsbrief.ingest(examples, db=db)
    assert (again.added, again.existing, again.new_stories) == (0, 3, 0)
    assert [a.id for a in again.articles] == [a.id for a in first.articles]
    with Store(db) as s:
        assert s.count() == 3 and len(s.stories()) == 1
        assert s.stories()[0].version == newsbrief.story(s.stories()[0].id, db=s).version  # nothing bumped


def test_sigkill_mid_ingest_then_second_ingest_completes(tmp_path):
    docs = tmp_path / "docs"
    truth = synthetic_corpus(docs)
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(CLI + ["ingest", str(docs), "--db", str(db)], env=ENV, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline, done = time.monotonic() + 60, 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            # readers work while the ingest writes: the library API, as a user would call it
            done = sum(len(st.articles) for st in newsbrief.stories(db=db))
            if done >= 30:
                assert newsbrief.search("the", db=db, limit=3)
                break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    proc.stderr.close()
    stored = check_consistent(db)
    assert 30 <= stored < len(truth), "the ingest should have been killed mid-run"

    out = subprocess.run(CLI + ["ingest", str(docs), "--db", str(db), "--json"], env=ENV, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rep = json.loads(out.stdout)
    assert (rep["added"], rep["existing"]) == (len(truth) - stored, stored)
    assert check_consistent(db) == len(truth)
    # the store replays its decisions: killed + resumed groups exactly as one uninterrupted run
    clean = tmp_path / "clean.db"
    newsbrief.ingest(docs, db=clean)
    assert partition(db) == partition(clean)
    # and the grouping is about right (made-up words, so not a quality measure: bench/stories.py is)
    assert purity(partition(db), truth) >= 0.95


def test_two_ingests_at_once_share_one_story_index(tmp_path):
    """Two processes ingest halves of the same stories into one file at the
    same time: each decides with what the other committed, so every story
    ends up whole, not split in two."""
    docs = tmp_path / "docs"
    truth = synthetic_corpus(docs, stories=10, per_story=6, seed=5)
    files = sorted(docs.iterdir())
    halves = [files[0::2], files[1::2]]
    db = tmp_path / "both.db"
    newsbrief.ingest(files[0], db=db)  # create the file first, so both start on an existing database
    procs = [subprocess.Popen(CLI + ["ingest", *map(str, h), "--db", str(db)], env=ENV, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for h in halves]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert check_consistent(db) == len(files)
    # one index shared through the file: as good as one process ingesting everything
    one = tmp_path / "one.db"
    newsbrief.ingest(files, db=one)
    # A process blind to the other's stories would open each story twice: about
    # twice the stories. (The arrival order differs from run to run, and the
    # clusterer is order-sensitive on these made-up words: a margin, not equality.)
    assert len(partition(db)) < 1.5 * len(partition(one))
    assert purity(partition(db), truth) >= 0.8


def test_resumed_ingestor_equals_one_pass(tmp_path):
    docs = tmp_path / "docs"
    synthetic_corpus(docs, stories=8, per_story=5, seed=3)
    files = sorted(docs.iterdir())
    rng = random.Random(1)
    rng.shuffle(files)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    newsbrief.ingest(files, db=one)
    newsbrief.ingest(files[:17], db=two)   # a new process would rebuild its index from the file alone:
    with Store(two) as s:                  # so does a fresh Ingestor
        ing = Ingestor(s)
        assert ing.sync() == 17
        ing.add_all(newsbrief.load(files[17:]).articles)
    assert partition(one) == partition(two)


def test_rebuilt_ingestor_decides_as_the_writer(tmp_path):
    """A new process (a fresh Ingestor on a copy of the file) must rebuild
    the live writer's indexes to the bit, and so make the same decisions for
    new articles, whether it replays the file at once or catches up."""
    docs = tmp_path / "docs"
    synthetic_corpus(docs, stories=8, per_story=5, seed=11)
    files = sorted(docs.iterdir())
    random.Random(2).shuffle(files)
    arts = newsbrief.load(files).articles
    live_db, copy_db = tmp_path / "live.db", tmp_path / "copy.db"
    with Store(live_db) as s:
        live = Ingestor(s)
        live.add_all(arts[:24])
        written = copy.deepcopy((live.clusterer, live.neardup))
        dst = sqlite3.connect(copy_db)
        s.connection.backup(dst)  # the file as a new process would find it (WAL included)
        dst.close()
        got_live = [(a.story_id, a.duplicate_of) for a in live.add_all(arts[24:]).articles]
    with Store(copy_db) as s:
        fresh = Ingestor(s)
        assert fresh.sync() == 24
        for k in ("assignment", "story_ids", "sizes", "latest", "story_kw", "_snorm2", "members", "_avec", "df",
                  "junk", "_row"):
            assert getattr(fresh.clusterer, k) == getattr(written[0], k), k
        assert fresh.clusterer._sums.tobytes() == written[0]._sums.tobytes()
        assert {t: (r.tobytes(), w.tobytes()) for t, (r, w) in fresh.clusterer._postings.items()} == \
            {t: (r.tobytes(), w.tobytes()) for t, (r, w) in written[0]._postings.items()}
        assert fresh.neardup._buckets == written[1]._buckets
        assert fresh.neardup.duplicate_of == written[1].duplicate_of
        got_fresh = [(a.story_id, a.duplicate_of) for a in fresh.add_all(arts[24:]).articles]
    assert got_fresh == got_live
    assert partition(copy_db) == partition(live_db)


def test_rebuilt_index_keeps_a_junk_pages_copy_out(tmp_path):
    """A near-copy of a junk page is junk too, even when its own words pass
    the junk test (a news sentence more); a rebuilt index must keep it out
    of every story as the writer did."""
    news = ("The city council voted on Tuesday to widen the harbour bridge, a project that engineers say will "
            "take three years and cost the region about forty million euros. Traffic on the bridge has doubled "
            "since the new ferry terminal opened, and commuters from the northern suburbs wait up to an hour at "
            "peak times. The mayor said work would begin in the spring, once the regional transport authority "
            "approved the plans. Opponents argued that the money should go to trams instead, and a petition "
            "against the scheme gathered twelve thousand signatures in a month. Shopkeepers on the quay fear "
            "months of closures, though the council")
    page = COOKIE_WALL + " " + news
    copy_ = page + " Residents near the harbour welcomed the bridge vote, and fishermen asked for a quieter night."
    with Store(tmp_path / "s.db") as s:
        live = Ingestor(s)
        got = live.add_all([Article(id="page", raw=page), Article(id="copy", raw=copy_)]).articles
        assert [(a.duplicate_of, a.junk, a.new_story) for a in got] == [(None, True, True), (got[0].id, True, True)]
        assert not is_junk(keywords(s.article(got[1].id).text))  # junk as a copy, not by its words
        fresh = Ingestor(s)
        fresh.sync()
        assert fresh.clusterer.junk == live.clusterer.junk == {str(a.id) for a in got}
        for k in ("assignment", "story_ids", "_row", "_avec", "df", "_postings"):
            assert getattr(fresh.clusterer, k) == getattr(live.clusterer, k), k


def wire_copy(text: str) -> str:
    """What a second outlet does with wire copy: a new first line, a word
    changed, a credit at the end."""
    body = text.split("\n", 1)[1].replace(" said ", " told reporters ", 1)
    return "Metro desk | Staff and wire reports\n" + body + "\n(Reporting by wire staff.)"


def test_near_duplicates_are_linked_and_not_counted_as_sources(tmp_path, examples):
    db = tmp_path / "nb.db"
    src = sorted(examples.glob("*.txt"))[0]
    copy = tmp_path / "copy.txt"
    copy.write_text(wire_copy(src.read_text(encoding="utf-8")), encoding="utf-8")
    rep = newsbrief.ingest(examples, copy, db=db)
    by_src = {Path(a.source).name: a for a in rep.articles}
    original, dup = by_src[src.name], by_src["copy.txt"]
    assert dup.duplicate_of == original.id and original.duplicate_of is None
    assert dup.story_id == original.story_id
    assert rep.duplicates == 1
    st = newsbrief.story(original.story_id, db=db)
    assert st.size == 3 and st.duplicates == {dup.id: original.id}
    b = newsbrief.brief_story(st.id, db=db, analysis=False)
    assert "copy.txt" not in {Path(a.path).name for a in b.sources}




def test_junk_pages_are_kept_apart_and_listed_only_on_request(tmp_path, examples):
    db = tmp_path / "nb.db"
    walls = []
    for i in range(2):  # the same template twice: a copy, and still no story of the news
        walls.append(tmp_path / f"wall{i}.txt")
        walls[-1].write_text(COOKIE_WALL + (" Thank you." if i else ""), encoding="utf-8")
    rep = newsbrief.ingest(examples, *walls, db=db)
    by_src = {Path(a.source).name: a for a in rep.articles}
    assert [by_src[w.name].junk for w in walls] == [True, True]
    assert not any(a.junk for n, a in by_src.items() if not n.startswith("wall"))
    news = newsbrief.stories(db=db)
    assert len(news) == 1 and not news[0].junk and news[0].size == 3
    everything = newsbrief.stories(db=db, junk=True)
    junk = [s for s in everything if s.junk]
    assert {a for s in junk for _, a in s.articles} == {str(w) for w in walls}
    assert all(s.to_dict()["junk"] for s in junk)
    again = newsbrief.ingest(walls[0], db=db).articles[0]  # re-ingest: found, still junk
    assert not again.created and again.junk


def test_search_finds_an_article_by_a_phrase(tmp_path, examples):
    db = tmp_path / "nb.db"
    rep = newsbrief.ingest(examples, db=db)
    target = rep.articles[1]
    text = Store(db).article(target.id).text
    words = text.split()
    phrase = " ".join(words[40:46]).strip(".,;:\"'“”")
    hits = newsbrief.search(f'"{phrase}"', db=db)
    assert hits and hits[0].kind == "article" and hits[0].id == target.id
    assert newsbrief.search('"zebra crossing in antarctica"', db=db) == []


def test_stored_story_briefing_equals_briefing_of_its_files(tmp_path, examples, kislyak):
    db = tmp_path / "nb.db"
    rep = newsbrief.ingest(kislyak, examples, db=db)
    assert rep.new_stories == 2 and rep.added == 6
    stories = newsbrief.stories(db=db)
    for st in stories:
        files = [src for _, src in st.articles]
        assert {Path(f).parent for f in files} in ({Path(kislyak[0]).parent}, {examples})
        got = newsbrief.brief_story(st.id, db=db)
        want = newsbrief.brief(files, analysis=True)
        got_d, want_d = got.to_dict(), want.to_dict()
        assert got_d.pop("id") == str(st.id)
        want_d.pop("id")
        assert got_d == want_d
        # the second call is the cached one, and equal
        with Store(db) as s:
            assert s.cached_briefing(st.id, {"method": newsbrief.DEFAULT_METHOD, "words": None, "sentences": None,
                                             "analysis": True}) is not None
        assert newsbrief.brief_story(st.id, db=db).to_dict() == got.to_dict()


def test_cached_briefing_is_rebuilt_when_the_story_grows(tmp_path, examples):
    db = tmp_path / "nb.db"
    files = sorted(examples.iterdir())
    newsbrief.ingest(files[:2], db=db)
    sid = newsbrief.stories(db=db)[0].id
    before = newsbrief.brief_story(sid, db=db, method="lead", analysis=False)
    assert len(before.sources) == 2
    newsbrief.ingest(files[2], db=db)
    assert [s.id for s in newsbrief.stories(db=db)] == [sid]
    after = newsbrief.brief_story(sid, db=db, method="lead", analysis=False)
    assert len(after.sources) == 3


def test_article_objects_and_story_title(tmp_path, examples):
    """Article objects go in as they are; a story without headlines is named
    after its first sentence, then takes the first real headline."""
    db = tmp_path / "nb.db"
    *loaded, titled = newsbrief.load(examples).articles
    arts = [Article(id=a.id, raw=a.text) for a in newsbrief.prepare(loaded)]  # the body, no headline
    rep = newsbrief.ingest(arts, db=db)
    assert rep.new_stories == 1 and rep.articles[0].source == arts[0].id
    first = newsbrief.stories(db=db)[0].title
    with Store(db) as s:
        text = " ".join(s.article(rep.articles[0].id).text.split())
    assert len(first) <= 91 and text.startswith(first.rstrip("…"))
    headline = newsbrief.prepare(newsbrief.load(titled.path).articles)[0].title
    assert headline and headline != first
    newsbrief.ingest(titled, db=db)
    assert [s.title for s in newsbrief.stories(db=db)] == [headline]


def test_briefing_round_trips_through_its_dict(example_briefing):
    d = json.loads(json.dumps(example_briefing.to_dict()))
    assert Briefing.from_dict(d).to_dict() == d


def test_version1_file_is_migrated(tmp_path):
    db = tmp_path / "v1.db"
    with Store(db) as s:
        aid = s.add_article(Article(id="x", raw="One. Two.", text="One. Two."))[0]
        c = s.connection
        c.executescript("DROP TABLE features; DROP TABLE briefings; DROP TABLE feed_items; DROP TABLE feeds;"
                        "DELETE FROM schema_version;"
                        "INSERT INTO schema_version VALUES (1, 'then'); PRAGMA user_version = 1;")
    with Store(db) as s:
        c = s.connection
        assert c.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION  # through every migration
        assert c.execute("SELECT count(*) FROM features").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM feeds").fetchone()[0] == 0
        assert s.article(aid).raw == "One. Two."


def test_version3_file_is_migrated_with_its_stories_as_first_versions(tmp_path):
    db = tmp_path / "v3.db"
    with Store(db) as s:
        a = s.add_article(Article(id="a", raw="One. Two.", text="One. Two."))[0]
        b = s.add_article(Article(id="b", raw="Three. Four.", text="Three. Four."))[0]
        sid = s.new_story("T", articles=[a, b])
        s.add_feed("https://example.org/feed.xml")
        c = s.connection
        c.executescript("DROP TABLE story_versions; DROP TABLE story_merges; DROP TABLE hosts;"
                        "ALTER TABLE feeds DROP COLUMN not_before; ALTER TABLE articles DROP COLUMN author;"
                        "ALTER TABLE feed_items DROP COLUMN updated; ALTER TABLE feed_items DROP COLUMN error;"
                        "ALTER TABLE feed_items DROP COLUMN failures; DELETE FROM schema_version;"
                        "INSERT INTO schema_version VALUES (3, 'then'); PRAGMA user_version = 3;")
    with Store(db) as s:
        c = s.connection
        assert c.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        assert "not_before" in [r[1] for r in c.execute("PRAGMA table_info(feeds)")]
        assert "author" in [r[1] for r in c.execute("PRAGMA table_info(articles)")]
        assert {"updated", "error", "failures"} <= {r[1] for r in c.execute("PRAGMA table_info(feed_items)")}
        assert [v.articles for v in s.versions(sid)] == [[a, b]]
        assert s.feeds()[0].url == "https://example.org/feed.xml"


def test_each_change_of_a_storys_articles_is_a_version(tmp_path):
    with Store(tmp_path / "v.db") as s:
        a = s.add_article(Article(id="a", raw="One. Two.", text="One. Two."))[0]
        b = s.add_article(Article(id="b", raw="Three. Four.", text="Three. Four."))[0]
        sid = s.new_story("T", articles=[a])
        s.update_story(sid, title="New title")  # no change of articles: no new version
        s.assign(b, sid)
        vs = s.versions(sid)
        assert [v.articles for v in vs] == [[a], [a, b]]
        assert vs[0].version < vs[1].version == s.story(sid).version


def test_cli_stories_search_and_story_briefing(tmp_path, examples):
    db = str(tmp_path / "nb.db")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(CLI + list(args), env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=120)

    out = run("ingest", str(examples), "--db", db)
    assert out.returncode == 0 and out.stdout.startswith("3 article(s) added"), out.stderr
    got = json.loads(run("stories", "--db", db, "--format", "json").stdout)
    assert len(got) == 1 and sorted(Path(a["source"]).name for a in got[0]["articles"]) == sorted(
        p.name for p in examples.iterdir())
    text = run("stories", "--db", db).stdout
    assert text.startswith(f"[{got[0]['id']}] {got[0]['title']}")
    wall = tmp_path / "wall.txt"
    wall.write_text(COOKIE_WALL, encoding="utf-8")
    out = run("ingest", str(wall), "--db", db)
    assert out.returncode == 0 and "1 junk page(s) kept apart" in out.stdout, out.stdout
    assert run("stories", "--db", db).stdout == text  # hidden by default
    assert "(junk page)" in run("stories", "--db", db, "--junk").stdout
    hits = json.loads(run("search", "Whitfield", "--db", db, "--format", "json").stdout)
    assert hits and all(h["story_id"] == got[0]["id"] for h in hits)
    b = json.loads(run("brief", "--story", str(got[0]["id"]), "--db", db, "--format", "json", "--no-analysis").stdout)
    assert b["id"] == str(got[0]["id"]) and len(b["sources"]) == 3
    for args, msg in [(("brief", "--story", "99", "--db", db), "no story 99"),
                      (("brief", str(examples), "--story", "1", "--db", db), "not both"),
                      (("search", "nothing-like-this", "--db", db), "no match")]:
        bad = run(*args)
        assert bad.returncode != 0 and msg in bad.stderr and "Traceback" not in bad.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01binary" * 100)
    for cmd in (["stories"], ["search", "x"], ["ingest", str(examples)], ["brief", "--story", "1"]):
        bad = run(*cmd, "--db", str(junk))
        assert bad.returncode == 1 and bad.stderr.strip().count("\n") == 0, bad.stderr
        assert "not a newsbrief database" in bad.stderr


def test_empty_and_binary_inputs_are_reported(tmp_path, examples):
    d = tmp_path / "in"
    shutil.copytree(examples, d)
    (d / "empty.txt").write_text("")
    (d / "blob.txt").write_bytes(bytes(range(256)) * 20)
    rep = newsbrief.ingest(d, db=tmp_path / "nb.db")
    assert rep.added == 3
    assert {Path(e.source).name for e in rep.errors} == {"empty.txt", "blob.txt"}


def test_a_transaction_records_one_version_however_many_changes_it_makes(tmp_path):
    with Store(tmp_path / "v.db") as s:
        a = s.add_article(Article(id="a", raw="Twelve died.", text="Twelve died."))[0]
        sid = s.new_story("T", articles=[a])
        with s.transaction():  # an updated page: its new text joins, then the old one is superseded
            b = s.add_article(Article(id="b", raw="Fifteen died.", text="Fifteen died."))[0]
            s.assign(b, sid)
            s.supersede(a, b)
        c = s.add_article(Article(id="c", raw="Another outlet.", text="Another outlet."))[0]
        s.assign(c, sid)
        assert [v.articles for v in s.versions(sid)] == [[a], [b], [b, c]]
    with Store(tmp_path / "v.db") as s:  # and a new connection's first transaction starts afresh
        d = s.add_article(Article(id="d", raw="A fourth.", text="A fourth."))[0]
        s.assign(d, sid)
        assert [v.articles for v in s.versions(sid)] == [[a], [b], [b, c], [b, c, d]]
