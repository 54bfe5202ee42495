"""Paths that name nothing, or something odd, through the real CLI: a
mistyped --db (a reader must not create it), doctor on no database, special
files inside an input folder, and an -o folder whose name is not UTF-8
(-o onto a read-only or hard-linked file: tests/test_output_files.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsbrief.sources import load
from newsbrief.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
STORY = ("The city council voted on Tuesday to close the old bridge for six months of repairs, officials said.\n"
         "Engineers found cracks during a routine inspection last spring, the mayor said.\n"
         "Drivers will use the new ferry while the work goes on, the transport office said.\n")


def run(*args: str | bytes, user: list[str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*(user or []), sys.executable, "-m", "newsbrief", *args], env=ENV, cwd=ROOT,
                          capture_output=True, timeout=120)


def error_lines(out: subprocess.CompletedProcess[bytes]) -> list[str]:
    return out.stderr.decode("utf-8").splitlines()  # strict: a raw invalid byte fails here


# --- 1, 2: a command that only reads never creates a database ------------------------------------------------------

@pytest.mark.parametrize("command", [["stories"], ["search", "bridge"], ["brief", "--story", "1"], ["doctor"]],
                         ids=lambda c: c[0])
def test_a_reading_command_on_a_mistyped_db_creates_nothing(tmp_path, command) -> None:
    """They silently made an empty database at the typo (doctor: "1 problem(s); restore ... from a backup")."""
    db = tmp_path / "typo.db"
    out = run(*command, "--db", str(db))
    assert out.returncode == 1 and out.stdout == b""
    assert error_lines(out) == [f"newsbrief: error: no database at {db} (ingest articles first, or check --db)"]
    assert list(tmp_path.iterdir()) == []


def test_doctor_on_a_folder_says_it_is_a_folder(tmp_path) -> None:
    out = run("doctor", "--db", str(tmp_path))
    assert out.returncode == 1 and out.stdout == b""
    assert error_lines(out) == [f"newsbrief: error: {tmp_path} is a directory, not a database"]


def test_a_reader_opens_no_empty_store_but_a_writer_makes_one(tmp_path) -> None:
    db = tmp_path / "new.db"
    with pytest.raises(StoreError, match="no database at") as e:
        Store(db, create=False)
    assert e.value.kind == "missing" and not db.exists()
    db.touch()
    with pytest.raises(StoreError, match="an empty file, not a newsbrief database yet"):
        Store(db, create=False)
    assert db.stat().st_size == 0
    with Store(db) as s:  # ingest's way: made on first use
        assert s.stories() == []
    with Store(db, create=False) as s:
        assert s.stories() == []


# --- 3: special files inside an input folder -------------------------------------------------------------------------

def test_special_files_in_a_folder_get_a_line_each_and_are_never_read(tmp_path) -> None:
    """A FIFO and a link to /dev/zero in a folder were skipped without a word."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(STORY)
    os.mkfifo(d / "pipe.txt")  # read, it would block for ever
    (d / "zero.txt").symlink_to("/dev/zero")  # read, it would never end
    (d / "gone.txt").symlink_to("nowhere")
    out = run("brief", "--no-analysis", "-f", "json", str(d))
    assert out.returncode == 0, out.stderr
    assert error_lines(out) == [f"newsbrief: skipped {d / 'gone.txt'}: not a regular file (a symbolic link to nothing)",
                                f"newsbrief: skipped {d / 'pipe.txt'}: not a regular file (FIFO)",
                                f"newsbrief: skipped {d / 'zero.txt'}: not a regular file (character device)"]
    assert [s["id"] for s in json.loads(out.stdout)["sources"]] == ["a"]
    named = load(d / "pipe.txt")  # named directly: the same reason
    assert [(e.source, e.reason) for e in named.errors] == [(str(d / "pipe.txt"), "not a regular file (FIFO)")]


# --- 4: a file name that is not UTF-8 in an -o error -----------------------------------------------------------------

def test_an_o_folder_that_is_not_utf8_is_shown_with_a_replacement_character(tmp_path) -> None:
    """The message held a surrogate escape ("nodir\\udcff") instead of valid UTF-8."""
    article = tmp_path / "a.txt"
    article.write_text(STORY)
    dest = os.fsencode(tmp_path) + b"/nodir\xff/brief.md"
    out = run("brief", "--no-analysis", "-f", "md", str(article), "-o", dest)
    assert out.returncode == 1
    assert error_lines(out)[-1] == f"newsbrief: error: cannot write {tmp_path}/nodir\ufffd/brief.md: No such file or directory"
