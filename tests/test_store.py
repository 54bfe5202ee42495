"""The SQLite store: idempotent ingest, stories, FTS search, foreign files,
crash safety (a real SIGKILL), concurrent readers, briefing cache."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from newsbrief.model import SCHEMA, Article
from newsbrief.store import SCHEMA_VERSION, Store, StoreError, default_path
from newsbrief.store.db import fts_query

ROOT = Path(__file__).resolve().parent.parent
# Subprocesses import the store without the package's heavy __init__ (models, summarizers): fast start.
_LIGHT = ("import sys, types\n"
          f"pkg = types.ModuleType('newsbrief'); pkg.__path__ = [{str(ROOT / 'newsbrief')!r}]\n"
          "sys.modules['newsbrief'] = pkg\n")


def art(i: int, outlet: str = "Reuters", **kw) -> Article:
    return Article(id=f"doc{i}", path=f"/news/{outlet.lower()}/{i}.txt", outlet=outlet, title=f"Story number {i}",
                   raw=f"Article {i}. The ambassador met the senator on Tuesday in Washington. Detail {i * 7}.",
                   text=f"The ambassador met the senator on Tuesday in Washington. Detail {i * 7}.", **kw)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "nb.db") as s:
        yield s


def test_pragmas_and_stamp(store):
    db = store.connection
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_reopen_keeps_data(tmp_path):
    with Store(tmp_path / "nb.db") as s:
        s.add_article(art(1))
    with Store(tmp_path / "nb.db") as s:
        assert s.count() == 1


def test_default_path(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSBRIEF_DB", str(tmp_path / "x.db"))
    assert default_path() == tmp_path / "x.db"
    monkeypatch.delenv("NEWSBRIEF_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "newsbrief" / "newsbrief.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_path() == Path.home() / ".local" / "share" / "newsbrief" / "newsbrief.db"


def test_add_is_idempotent(store):
    a = art(1)
    aid, created = store.add_article(a)
    assert created
    # same text, different whitespace: same article
    again = Article(id="other", raw="  " + a.raw.replace(" ", "  \n") + "\n")
    assert store.add_article(again) == (aid, False)
    assert store.count() == 1
    assert store.find(a.raw) == aid
    b = store.article(aid)
    assert (b.id, b.raw, b.text, b.title, b.outlet, b.path) == (a.id, a.raw, a.text, a.title, a.outlet, a.path)


def test_stories_listing(store):
    ids = [store.add_article(art(i, outlet, published=f"2017-03-0{i}"))[0]
           for i, outlet in [(1, "Reuters"), (2, "CNN"), (3, "Reuters")]]
    s1 = store.new_story("Ambassador meets senator", articles=ids[:2])
    s2 = store.new_story("Other")
    store.assign(ids[2], s1)
    dup, _ = store.add_article(Article(id="d", raw="A near copy of article one.", outlet="AP"),
                               story_id=s1, duplicate_of=ids[0])
    assert [store.article_story(a) for a in ids + [dup]] == [(s1, None), (s1, None), (s1, None), (s1, ids[0])]
    stories = {s.id: s for s in store.stories()}
    s = stories[s1]
    assert s.title == "Ambassador meets senator"
    assert s.size == 3  # the near-duplicate is listed but not counted
    assert s.outlets == ["AP", "CNN", "Reuters"]
    assert (s.first_seen, s.last_seen) == ("2017-03-01", "2017-03-03")
    assert [a for a, _ in s.articles] == ids + [dup]
    assert s.articles[0][1] == "/news/reuters/1.txt" and s.articles[-1][1] == "d"
    assert stories[s2].size == 0 and stories[s2].articles == []
    arts = store.story_articles(s1)
    assert [a.id for a in arts] == ["doc1", "doc2", "doc3"]
    assert len(store.story_articles(s1, duplicates=True)) == 4
    store.assign(ids[2], s2)
    assert store.story(s1).size == 2 and store.story(s2).size == 1


def test_story_articles_unique_ids(store):
    a = store.add_article(Article(id="1", raw="first text here"))[0]
    b = store.add_article(Article(id="1", raw="second text here"))[0]
    sid = store.new_story("t", articles=[a, b])
    assert len({x.id for x in store.story_articles(sid)}) == 2


def test_state_roundtrip(store):
    sid = store.new_story("t", state={"n": 1})
    assert store.story_state(sid) == {"n": 1}
    store.update_story(sid, state={"n": 2})
    s = store.story(sid)
    assert s.state == {"n": 2} and s.title == "t" and s.version == 3


def test_article_story_of_an_unknown_article(store):
    with pytest.raises(KeyError):
        store.article_story(12345)


def test_fts_finds_phrase(store):
    for i in range(1, 4):
        store.add_article(art(i))
    store.add_article(Article(id="k", raw="raw", text="Sergey Kislyak, Russia's ambassador, left Washington.",
                              title="Kislyak leaves"))
    sid = store.new_story("Kislyak recalled to Moscow")
    hits = store.search('"Russia\'s ambassador"')
    assert hits and hits[0].kind == "article" and hits[0].title == "Kislyak leaves"
    assert "[Russia's ambassador]" in hits[0].snippet
    kinds = {(h.kind, h.id) for h in store.search("kislyak")}
    assert ("story", sid) in kinds and ("article", store.find("raw")) in kinds
    assert store.search("detail 14")[0].source == "/news/reuters/2.txt"
    assert store.search("nothing-like-this") == []


@pytest.mark.parametrize("q", ['"', 'a"b', "AND", "OR NOT", "NEAR(", "*", "title:x", "(((", "-senator",
                               "senator\"", "ambassador AND OR", "", "   ", "^x", "{a b}: c", "'; DROP TABLE x"])
def test_query_special_characters_never_raise(store, q):
    store.add_article(art(1))
    assert isinstance(store.search(q), list)
    assert isinstance(fts_query(q), str)


def test_operators_taken_literally(store):
    store.add_article(art(1))
    assert store.search("ambassador OR zebra") == []  # OR is a word, not an operator
    assert store.search("ambassador senator")


def test_text_file_is_not_a_database(tmp_path):
    p = tmp_path / "notes.db"
    p.write_text("not a database\n" * 10)
    with pytest.raises(StoreError) as e:
        Store(p)
    msg = str(e.value)
    assert "not a newsbrief database" in msg and "\n" not in msg and str(p) in msg
    assert p.read_text() == "not a database\n" * 10  # untouched


def test_other_sqlite_app_is_refused(tmp_path):
    p = tmp_path / "other.db"
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE bookmarks(url TEXT)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="another application"):
        Store(p)
    q = tmp_path / "other2.db"
    db = sqlite3.connect(q)
    db.execute("PRAGMA application_id = 1234")
    db.execute("CREATE TABLE t(x)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="another application"):
        Store(q)
    # and it was not switched to WAL or otherwise modified
    assert sqlite3.connect(q).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_damaged_header_is_refused(tmp_path):
    p = tmp_path / "nb.db"
    with Store(p) as s:
        s.add_article(art(1))
    data = bytearray(p.read_bytes())
    data[:16] = b"garbage garbage!"
    p.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="not a newsbrief database"):
        Store(p)


def test_cli_style_message_no_traceback(tmp_path):
    p = tmp_path / "x.db"
    p.write_text("hello")
    code = _LIGHT + f"from newsbrief.store import Store, StoreError\ntry:\n Store({str(p)!r})\nexcept StoreError as e:\n print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert out.stdout.strip().endswith("not a newsbrief database (not an SQLite file)")


_WRITER = _LIGHT + """
from newsbrief.model import Article
from newsbrief.store import Store
path, n = sys.argv[1], int(sys.argv[2])
s = Store(path)
sid = s.new_story("crash test") if not s.stories() else s.stories()[0].id
for i in range(n):
    text = ("Body of article %d. " % i) + "word " * 400
    aid, created = s.add_article(Article(id="a%d" % i, raw=text, text=text, title="t%d" % i, outlet="o%d" % (i % 5)),
                                 story_id=sid)
    print(i, aid, int(created), flush=True)
"""


def test_sigkill_mid_ingest_leaves_a_sound_db(tmp_path):
    db, n = tmp_path / "crash.db", 400
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(db), str(n)], stdout=subprocess.PIPE, text=True,
                            env=env)
    seen = 0
    deadline = time.monotonic() + 15
    while seen < 40 and time.monotonic() < deadline:
        if proc.stdout.readline():
            seen += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as s:
        c = s.connection
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = s.count()
        print("killed after", done, "of", n)
        assert 40 <= done < n, "the writer should have been killed mid-run"
        assert c.execute("SELECT count(*) FROM articles WHERE raw IS NULL OR text IS NULL OR text = ''"
                         " OR content_hash IS NULL OR story_id IS NULL").fetchone()[0] == 0
        # FTS index and story counters are consistent with the rows that made it
        assert c.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == done
        assert s.stories()[0].size == done
    # a second run adds the rest, without duplicates
    out = subprocess.run([sys.executable, "-c", _WRITER, str(db), str(n)], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    created = sum(int(line.split()[2]) for line in out.stdout.splitlines())
    assert created == n - done
    with Store(db) as s:
        c = s.connection
        assert s.count() == n
        assert c.execute("SELECT count(DISTINCT source_id) FROM articles").fetchone()[0] == n
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(s.stories()) == 1 and s.stories()[0].size == n


def test_reader_reads_while_writer_holds_a_transaction(tmp_path):
    p = tmp_path / "nb.db"
    with Store(p) as writer, Store(p, timeout=0.2) as reader:
        aid = writer.add_article(art(1))[0]
        sid = writer.new_story("Ambassador", articles=[aid])
        w = writer.connection
        w.execute("BEGIN IMMEDIATE")
        w.execute("INSERT INTO stories(title, created) VALUES ('uncommitted', 'now')")
        t = time.monotonic()
        assert [s.id for s in reader.stories()] == [sid]  # old snapshot, no wait
        assert reader.search("ambassador")
        assert reader.story_articles(sid)[0].id == "doc1"
        assert time.monotonic() - t < 0.5
        with pytest.raises(sqlite3.OperationalError):  # a second writer waits, then gives up
            reader.connection.execute("BEGIN IMMEDIATE")
        w.execute("COMMIT")
        assert len(reader.stories()) == 2


def doc(*summary: str) -> dict:
    """A stand-in briefing dict of the current schema (the cache returns no other)."""
    return {"schema": SCHEMA, "summary": list(summary)}


def test_briefing_cache_invalidated_by_update(store):
    aid = store.add_article(art(1))[0]
    sid = store.new_story("t", articles=[aid])
    assert store.cached_briefing(sid, {"method": "textrank", "words": 100}) is None
    store.put_briefing(sid, {"method": "textrank", "words": 100}, doc("x"))
    store.put_briefing(sid, {"method": "lead", "words": None}, doc("y"))
    assert store.cached_briefing(sid, {"method": "textrank", "words": 100}) == doc("x")
    assert store.cached_briefing(sid, {"method": "lead", "words": None}) == doc("y")
    assert store.cached_briefing(sid, {"method": "textrank", "words": 200}) is None
    v = store.story(sid).version
    assert store.update_story(sid, title="new title") == v + 1
    assert store.cached_briefing(sid, {"method": "textrank", "words": 100}) is None
    assert store.cached_briefing(sid, {"method": "lead", "words": None}) is None
    store.put_briefing(sid, {"method": "textrank", "words": 100}, doc("z"))
    assert store.cached_briefing(sid, {"method": "textrank", "words": 100}) == doc("z")
    # a briefing made from an older version of the story is not cached
    v = store.story(sid).version
    store.update_story(sid, title="newer")
    assert not store.put_briefing(sid, {"method": "lead", "words": 1}, doc(), version=v)
    assert store.cached_briefing(sid, {"method": "lead", "words": 1}) is None
    # a new article in the story also invalidates
    store.add_article(art(2), story_id=sid)
    assert store.cached_briefing(sid, {"method": "textrank", "words": 100}) is None
    assert store.search("newer")[0].kind == "story"


def test_briefing_object_is_cached_as_its_dict(store):
    from newsbrief.pipeline import brief_articles

    a = Article(id="x", raw="The senator met the ambassador. They talked for an hour. Nothing was agreed.")
    aid = store.add_article(a)[0]
    sid = store.new_story("t", articles=[aid])
    b = brief_articles(store.story_articles(sid), method="lead", words=20)
    store.put_briefing(sid, {"method": "lead", "words": 20}, b)
    assert store.cached_briefing(sid, {"method": "lead", "words": 20})["schema"] == b.to_dict()["schema"]


def test_briefing_cached_under_an_older_schema_is_ignored_and_replaced(tmp_path):
    """A store file whose cache an older newsbrief filled (briefing schema /2,
    no edits): the cached row is not returned, and the new briefing replaces it."""
    from newsbrief.stories import brief_story

    path = tmp_path / "old.db"
    opts = {"method": "lead", "words": 20, "sentences": None, "analysis": False}
    with Store(path) as st:
        aid = st.add_article(Article(id="x", raw="The senator met the ambassador. They talked for an hour. "
                                                  "Nothing was agreed."))[0]
        sid = st.new_story("t", articles=[aid])
        old = {"schema": "newsbrief.briefing/2", "summary": [{"text": "stale", "citations": [], "support": []}]}
        assert st.put_briefing(sid, opts, old)
        assert st.cached_briefing(sid, opts) is None
        assert st.put_briefing(sid, {**opts, "words": 30}, doc("fresh"))
        assert st.cached_briefing(sid, {**opts, "words": 30}) == doc("fresh")
    with closing(sqlite3.connect(path)) as raw:  # what is on disk: the old row is still there, under the same key
        rows = raw.execute("SELECT json FROM briefings WHERE story_id = ?", (sid,)).fetchall()
    assert sorted(json.loads(r[0])["schema"] for r in rows) == ["newsbrief.briefing/2", SCHEMA]
    # a row without a schema (no briefing this newsbrief wrote) is not returned either
    with Store(path) as st:
        st.put_briefing(sid, {**opts, "words": 40}, {"summary": []})
        assert st.cached_briefing(sid, {**opts, "words": 40}) is None

    b = brief_story(sid, db=path, method="lead", words=20, analysis=False)  # made anew, not the stale one
    assert b.summary and b.summary[0].text != "stale"
    with Store(path) as st:
        cached = st.cached_briefing(sid, opts)
    assert cached is not None and cached["schema"] == SCHEMA and cached == b.to_dict()
    with closing(sqlite3.connect(path)) as raw:  # the /2 row was replaced, not added beside: words 20, 30, 40
        rows = raw.execute("SELECT json FROM briefings WHERE story_id = ?", (sid,)).fetchall()
    assert len(rows) == 3 and all(json.loads(r[0]).get("schema") != "newsbrief.briefing/2" for r in rows)


def test_backup_is_a_consistent_copy_taken_while_another_process_writes(tmp_path):
    db, copy = tmp_path / "nb.db", tmp_path / "backup" / "nb-copy.db"
    copy.parent.mkdir()
    with Store(db) as s:
        s.add_article(Article(id="first", raw="One. Two.", text="One. Two."))
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys; from newsbrief.store import Store; from newsbrief.model import Article\n"
        "with Store(sys.argv[1]) as s:\n"
        "    for i in range(300):\n"
        "        s.add_article(Article(id=str(i), raw=f'Text {i}.', text=f'Text {i}.'))\n"), str(db)])
    try:
        time.sleep(0.3)
        with Store(db) as s:
            assert s.backup(copy) == copy.resolve()
    finally:
        writer.wait(timeout=60)
    with closing(sqlite3.connect(copy)) as c:  # one self-contained file: no -wal needed to read it
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert c.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == n >= 1
    with Store(copy) as s:  # the copy is a newsbrief store
        assert s.count() == n and s.article(1).raw == "One. Two."
    assert not [p for p in copy.parent.iterdir() if p.name != copy.name]  # no temp file left


def test_backup_refuses_the_database_itself_and_an_existing_file(tmp_path):
    db, other = tmp_path / "nb.db", tmp_path / "old.db"
    other.write_text("keep me")
    with Store(db) as s:
        with pytest.raises(StoreError, match="is the database itself"):
            s.backup(db)
        with pytest.raises(StoreError, match="exists"):
            s.backup(other)
        assert other.read_text() == "keep me"
        s.backup(other, overwrite=True)
    with Store(other) as s:
        assert s.count() == 0


def test_cli_backup(tmp_path):
    db, copy = tmp_path / "nb.db", tmp_path / "copy.db"
    cli = [sys.executable, "-m", "newsbrief"]
    with Store(db) as s:
        s.add_article(Article(id="a", raw="One. Two.", text="One. Two."))
    out = subprocess.run(cli + ["backup", str(copy), "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "1 article(s)" in out.stdout, out.stderr
    again = subprocess.run(cli + ["backup", str(copy), "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and again.stderr.strip().count("\n") == 0 and "exists" in again.stderr
    missing = subprocess.run(cli + ["backup", str(copy), "--db", str(tmp_path / "none.db"), "--force"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "none.db" in missing.stderr and not (tmp_path / "none.db").exists()
