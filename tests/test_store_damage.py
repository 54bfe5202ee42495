"""The story store under hostile conditions (issue 17): a damaged file, a
read-only file or folder, a full disk, a story id out of SQLite's range.
Every failure is one line that says what to do, never a traceback; reads
keep working where they can; nothing committed is lost.

The files are real SQLite files damaged the way disks and copies damage
them; the commands run as real subprocesses. A read-only store needs a
process that cannot write it: as root (who can write any file) the commands
run as ``nobody`` through ``setpriv``."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import newsbrief
from newsbrief.model import Article
from newsbrief.store import Store, StoreError, diagnose
from newsbrief.stories import StoryNotFound
from newsbrief.text.embed import available
from texts import BRIDGE_ARTICLES

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "newsbrief"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
needs_model = pytest.mark.skipif(not available(), reason="embedding model not available (ingest needs it)")


def run(*args: str, preexec=None, stdout=subprocess.PIPE, user: list[str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run((user or []) + CLI + list(args), env=ENV, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=120, preexec_fn=preexec)


def one_error_line(out: subprocess.CompletedProcess, *words: str) -> str:
    """The command failed with exactly one line on stderr, saying ``words``."""
    lines = out.stderr.splitlines()
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and len(lines) == 1, out.stderr
    assert lines[0].startswith("newsbrief: error: "), lines
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def make_store(path: Path, filler: int = 30) -> int:
    """A store with one two-article story (written for the tests) and some
    filler articles; returns the story id. Closed, so the WAL is folded in."""
    with Store(path) as s:
        ids = [s.add_article(Article(id=f"bridge{i}", raw=t, title=f"River bridge closes ({i})", outlet=o,
                                     path=f"/news/bridge{i}.txt"))[0]
               for i, (t, o) in enumerate(zip(BRIDGE_ARTICLES, ["Harbor Ledger", "Coast Radio"]))]
        sid = s.new_story("River bridge closes for repairs", articles=ids)
        for i in range(filler):
            s.add_article(Article(id=f"f{i}", raw=f"Filler {i}. " + "The harbour board met again today. " * 40))
    return sid


def rootpage(path: Path, name: str) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    finally:
        db.close()


def overwrite_page(path: Path, page: int) -> None:
    """Page ``page`` (1-based) overwritten with random bytes, as a bad sector or a torn copy leaves it."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    data[(page - 1) * size:page * size] = random.Random(page).randbytes(size)
    path.write_bytes(bytes(data))


def replace_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Bytes inside records changed in place (the pages stay well formed)."""
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    path.write_bytes(data.replace(old, new))


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, int]:
    p = tmp_path / "nb.db"
    return p, make_store(p)


# --- a damaged file ---------------------------------------------------------


@pytest.mark.parametrize("damage", ["stories page", "random bytes after the header"])
def test_damaged_store_is_one_line_for_every_reading_command(db, damage) -> None:
    path, sid = db
    if damage == "stories page":
        overwrite_page(path, rootpage(path, "stories"))
    else:
        path.write_bytes(path.read_bytes()[:100] + random.Random(3).randbytes(50_000))
    for args in (["stories"], ["search", "bridge"], ["brief", "--story", str(sid), "--no-analysis", "-f", "md"]):
        one_error_line(run(*args, "--db", str(path)), str(path), "damaged", "newsbrief doctor")


@pytest.mark.parametrize("old,new,what", [  # what used to be a JSONDecodeError, and an OperationalError
    (b'["Coast Radio", "Harbor Ledger"]', b'["Coast Radio", "Harbor Ledger" ', "not valid JSON"),
    (b"River bridge closes for repairs", b"River bridge \xff\xfe\xfd\xfc\xfb\xfa for repairs", "decode"),
])
def test_damaged_record_is_a_store_error_not_a_decode_error(db, old, new, what) -> None:
    path, _ = db
    replace_in_place(path, old, new)
    with pytest.raises(StoreError) as e:
        newsbrief.stories(db=path)
    assert e.value.kind == "damaged" and what in str(e.value) and "\n" not in str(e.value)
    one_error_line(run("stories", "--db", str(path)), "damaged", "newsbrief doctor")


@needs_model
def test_ingest_never_writes_into_a_damaged_store(db, examples) -> None:
    """Damage ingest itself would not read (an index of the briefing cache):
    it used to add articles to the damaged file; the check on opening for
    writing (quick_check) refuses it, and leaves the file as it was."""
    path, _ = db
    overwrite_page(path, rootpage(path, "sqlite_autoindex_briefings_1"))
    before = path.read_bytes()
    one_error_line(run("ingest", str(examples), "--db", str(path)), "damaged")
    assert path.read_bytes() == before


def test_doctor_reports_a_sound_and_a_damaged_store(db, tmp_path) -> None:
    path, _ = db
    out = run("doctor", "--db", str(path))
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert out.stdout.strip() == f"{path}: ok (32 article(s), 1 story(ies); integrity check passed)"
    overwrite_page(path, rootpage(path, "articles_story"))
    d = diagnose(path)
    assert not d.ok and all("\n" not in p for p in d.problems), d.problems
    out = run("doctor", "--db", str(path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stdout.splitlines() == [f"{path}: {p}" for p in d.problems]
    one_error_line(out, "problem(s)", "backup", "ingest your sources again")
    notes = tmp_path / "notes.db"
    notes.write_text("my notes\n")
    assert diagnose(notes).problems == ["not a newsbrief database (not an SQLite file)"]
    with pytest.raises(StoreError, match="no database at"):  # no damage to report (see test_hostile_paths.py)
        diagnose(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


# --- read-only --------------------------------------------------------------


@pytest.fixture
def readonly_dir() -> Iterator[tuple[Path, list[str]]]:
    """A folder for a store and the command prefix of a process that cannot
    write what is made read-only there: ``setpriv`` to ``nobody`` as root
    (the folder is outside pytest's private tmp so that ``nobody`` can reach it)."""
    user: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv (util-linux) is absent: no process here would be refused a write")
        user = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    folder = Path(tempfile.mkdtemp(prefix="newsbrief-ro-"))
    folder.chmod(0o755)
    try:
        yield folder, user
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


_API = """
import json, sys
from pathlib import Path
from fastapi.testclient import TestClient
from newsbrief.server import Settings, create_app
c = TestClient(create_app(Settings(warm_up=False, db=Path(sys.argv[1]))), raise_server_exceptions=False)
sid = sys.argv[2]
got = {u: c.get(u).status_code for u in ["/api/stories", f"/api/stories/{sid}", "/api/search?q=bridge",
                                          f"/api/stories/{sid}/briefing?analysis=false&sentences=2"]}
r = c.post("/api/articles", json={"articles": [{"text": "Some news today about the harbour."}]})
got["POST"] = [r.status_code, r.json()["detail"]]
print(json.dumps(got))
"""


@pytest.mark.parametrize("folder_writable", [True, False], ids=["read-only file", "read-only folder"])
def test_readonly_store_serves_reads_and_refuses_writes(readonly_dir, folder_writable) -> None:
    folder, user = readonly_dir
    path = folder / "nb.db"
    sid = make_store(path, filler=3)
    path.chmod(0o444)
    if not folder_writable:
        folder.chmod(0o555)
    before = path.read_bytes()
    listed = run("stories", "--db", str(path), user=user)
    assert listed.returncode == 0 and "River bridge closes for repairs" in listed.stdout, listed.stderr
    found = run("search", "cracked supports", "--db", str(path), user=user)
    assert found.returncode == 0 and "bridge" in found.stdout, found.stderr
    briefed = run("brief", "--story", str(sid), "--no-analysis", "-f", "json", "--db", str(path), user=user)
    assert briefed.returncode == 0, briefed.stderr
    assert json.loads(briefed.stdout)["summary"]
    one_error_line(run("ingest", str(ROOT / "examples" / "cluster"), "--db", str(path), user=user),
                   "read-only", "make both writable or use another --db")
    assert path.read_bytes() == before
    if folder_writable:
        return
    api = subprocess.run(user + [sys.executable, "-c", _API, str(path), str(sid)], env=ENV, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert api.returncode == 0, api.stderr
    got = json.loads(api.stdout)
    assert [got[k] for k in list(got)[:4]] == [200] * 4, got
    assert got["POST"][0] == 503 and "read-only" in got["POST"][1]
    assert path.read_bytes() == before


# --- a full disk ------------------------------------------------------------


def corpus(folder: Path, stories: int = 4, per_story: int = 4) -> Path:
    """Made-up stories, each with its own words (written for the tests)."""
    rng = random.Random(5)
    syll = ["ka", "lo", "mi", "ren", "tor", "vas", "qui", "ber", "lan", "dor", "fis", "gul"]
    folder.mkdir()
    for s in range(stories):
        vocab = ["".join(rng.choice(syll) for _ in range(3)) for _ in range(20)]
        for k in range(per_story):
            sents = [" ".join(rng.choice(vocab) for _ in range(12)).capitalize() + "." for _ in range(8)]
            (folder / f"s{s}_{k}.txt").write_text(" ".join(sents) + "\n", encoding="utf-8")
    return folder


def partition(path: Path) -> set[frozenset[str]]:
    with Store(path) as s:
        return {frozenset(Path(src).name for _, src in st.articles) for st in s.stories()}


@needs_model
def test_full_disk_during_ingest_loses_nothing_and_a_rerun_completes(tmp_path) -> None:
    docs = corpus(tmp_path / "docs")
    whole = tmp_path / "whole.db"
    newsbrief.ingest(docs, db=whole)
    path = tmp_path / "full.db"
    with Store(path) as s:
        pages = s.connection.execute("PRAGMA page_count").fetchone()[0]
        s.connection.execute(f"PRAGMA max_page_count = {pages + 12}")  # SQLITE_FULL, as a full disk gives it
        with pytest.raises(StoreError) as e:
            newsbrief.ingest(docs, db=s)
        assert e.value.kind == "full" and "disk is full" in str(e.value) and "\n" not in str(e.value)
        assert not s.connection.in_transaction
        kept = s.count()
    assert 0 < kept < 16
    assert diagnose(path).ok
    again = newsbrief.ingest(docs, db=path)
    assert (again.added, again.existing) == (16 - kept, kept)
    assert partition(path) == partition(whole)


def _file_size_limit() -> None:
    """In the child: files may not grow past 300 kB, and a write past it
    fails (EFBIG) instead of killing the process, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


@needs_model
def test_cli_ingest_that_cannot_write_is_one_line_and_a_rerun_completes(tmp_path) -> None:
    path = tmp_path / "nb.db"
    data = str(corpus(tmp_path / "docs", stories=6, per_story=5))
    out = run("ingest", data, "--db", str(path), preexec=_file_size_limit)
    lines = [x for x in out.stderr.splitlines() if ": skipped " not in x]
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(lines) == 1, out.stderr
    assert "every article stored before is kept" in lines[0], lines[0]
    assert diagnose(path).ok
    with Store(path) as s:
        kept = s.count()
    assert 0 < kept < 30
    again = run("ingest", data, "--db", str(path), "--json")
    assert again.returncode == 0, again.stderr
    assert (json.loads(again.stdout)["added"], json.loads(again.stdout)["existing"]) == (30 - kept, kept)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["stories"], ["brief", "--story"], ["brief", "--story", "-f", "md"]])
# a small output fails when flushed at the end, a big one at once; rich's console (the text briefing) on its own
def test_stdout_on_a_full_disk_is_one_line(db, args) -> None:
    path, sid = db
    if "--story" in args:
        args.insert(args.index("--story") + 1, str(sid))
        args += ["--no-analysis"]
    with open("/dev/full", "w") as full:
        out = run(*args, "--db", str(path), stdout=full)
    one_error_line(out, "cannot write the output", "No space left on device")


# --- story ids --------------------------------------------------------------


def test_story_id_out_of_range_is_a_clear_answer(db) -> None:
    path, sid = db
    out = run("brief", "--story", str(2**63), "--db", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "Invalid value for '--story'" in out.stderr and str(2**63 - 1) in out.stderr
    for bad in (2**63, 0, -1):
        with pytest.raises(StoryNotFound):
            newsbrief.brief_story(bad, db=path)
        with pytest.raises(StoryNotFound):
            newsbrief.story(bad, db=path)
    from fastapi.testclient import TestClient

    from newsbrief.server import Settings, create_app

    c = TestClient(create_app(Settings(warm_up=False, db=path)), raise_server_exceptions=False)
    for url in (f"/api/stories/{2**63}", f"/api/stories/{2**63}/briefing", "/api/stories/0"):
        r = c.get(url)
        assert r.status_code == 422 and "story_id" in r.json()["detail"], (url, r.text)
    r = c.get(f"/api/stories/{2**63 - 1}")
    assert r.status_code == 404 and r.json()["detail"] == f"no story {2**63 - 1} in the store"
    assert c.get(f"/api/stories/{sid}").status_code == 200
