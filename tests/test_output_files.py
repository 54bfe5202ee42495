"""-o onto a file the user may not write (refused, one line, exit 1), or
onto one with other hard links (written in place, so every link sees it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbrief.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
STORY = ("The city council voted on Tuesday to close the old bridge for six months of repairs, officials said.\n"
         "Engineers found cracks during a routine inspection last spring, the mayor said.\n"
         "Drivers will use the new ferry while the work goes on, the transport office said.\n")


def run(*args: str, user: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*user, sys.executable, "-m", "newsbrief", *args], env=ENV, cwd=ROOT,
                          capture_output=True, timeout=120)


@pytest.fixture
def nobody() -> Iterator[tuple[Path, list[str]]]:
    """A folder ``nobody`` owns and the prefix of a process that runs as
    ``nobody`` (as root, which may write anything, via ``setpriv``); the folder
    is outside pytest's private tmp so that ``nobody`` can reach it."""
    user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="newsbrief-f3-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            shutil.rmtree(folder)
            pytest.skip("running as root and setpriv (util-linux) is absent: no process here would be refused a write")
        user = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chown(folder, 65534, 65534)
    try:
        yield folder, user
    finally:
        shutil.rmtree(folder)


def test_o_onto_a_file_the_user_may_not_write_is_refused(nobody) -> None:
    """The rename replaced a mode-444 file: the folder's write permission was enough."""
    folder, user = nobody
    article, dest = folder / "a.txt", folder / "brief.md"
    article.write_text(STORY)
    dest.write_text("keep me\n")
    if user:
        os.chown(dest, 65534, 65534)
    dest.chmod(0o444)
    inode = dest.stat().st_ino
    out = run("brief", "--no-analysis", "-f", "md", str(article), "-o", str(dest), user=user)
    assert out.returncode == 1
    assert out.stderr.decode().splitlines()[-1] == f"newsbrief: error: cannot write {dest}: permission denied"
    assert dest.read_text() == "keep me\n" and dest.stat().st_ino == inode
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "brief.md"]  # no temp file left


def test_o_onto_a_hard_linked_file_changes_every_link(tmp_path) -> None:
    """The rename gave the written name a new inode; the other link kept the old text."""
    dest, other = tmp_path / "brief.md", tmp_path / "also.md"
    dest.write_text("old\n")
    dest.chmod(0o640)
    os.link(dest, other)
    write_atomic(dest, "new\n")
    assert dest.read_text() == other.read_text() == "new\n"
    assert os.path.samefile(dest, other) and dest.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["also.md", "brief.md"]
