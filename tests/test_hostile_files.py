"""Hostile file inputs and outputs, through the real CLI: an unreadable
subdirectory, a file name that is not UTF-8, `-o` onto a symlink, a device,
a FIFO or a directory, and HTML nested deeper than libxml2's limit."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from newsbrief.files import write_atomic
from newsbrief.sources import load

STORY = ("The city council voted on Tuesday to close the old bridge for six months of repairs, officials said.\n"
         "Engineers found cracks during a routine inspection last spring, the mayor said.\n"
         "Drivers will use the new ferry while the work goes on, the transport office said.\n")


def run(*args: str | bytes, prefix: list[str] | None = None) -> subprocess.CompletedProcess[bytes]:
    cmd = [*(prefix or []), sys.executable, "-m", "newsbrief", "brief", "--no-analysis", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120)


def _no_dac_override() -> list[str]:
    """As root, chmod 000 stops nothing: run the CLI without the two
    capabilities that let root read any directory, so it is stopped too."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root and setpriv (util-linux) is missing: chmod 000 cannot make a directory unreadable")
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_unreadable_subdirectory_gets_one_line_and_the_rest_is_read(tmp_path):
    (tmp_path / "d" / "locked").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text(STORY)
    (tmp_path / "d" / "locked" / "b.txt").write_text(STORY.replace("bridge", "tunnel"))
    (tmp_path / "d" / "locked").chmod(0)
    try:
        out = run(str(tmp_path / "d"), "--format", "json", prefix=_no_dac_override())
    finally:
        (tmp_path / "d" / "locked").chmod(0o755)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.decode().splitlines() if "locked" in line]
    assert lines == [f"newsbrief: skipped {tmp_path / 'd' / 'locked'}: unreadable directory: Permission denied"]
    assert [s["id"] for s in json.loads(out.stdout)["sources"]] == ["a"]


def test_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(tmp_path):
    """The raw 0xFF byte went into the JSON output, and `-o` crashed on it."""
    name = os.fsencode(tmp_path) + b"/caf\xff.txt"
    with open(name, "wb") as fh:
        fh.write(STORY.encode())
    assert load(os.fsdecode(name)).articles[0].path == f"{tmp_path}/caf\ufffd.txt"
    dest = tmp_path / "brief.json"
    out = run(name, "--format", "json", "-o", str(dest))
    assert out.returncode == 0, out.stderr
    assert json.loads(dest.read_bytes().decode("utf-8"))["sources"][0]["path"] == f"{tmp_path}/caf\ufffd.txt"


def test_output_through_a_symlink_writes_its_target(tmp_path):
    target = tmp_path / "real.md"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target.name)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640  # an existing file keeps its permissions


def _special(tmp_path: Path, kind: str) -> Path:
    if kind == "fifo":
        dest = tmp_path / "pipe"
        os.mkfifo(dest)
    elif kind == "directory":
        dest = tmp_path / "folder"
        dest.mkdir()
    else:
        dest = tmp_path / "null-link"  # a link to /dev/null: the device itself is no test's to replace
        dest.symlink_to("/dev/null")
    return dest


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_writing_onto_anything_but_a_regular_file_is_refused(tmp_path, kind):
    """It was renamed over: a device became a regular file, a FIFO was replaced."""
    dest = _special(tmp_path, kind)
    before = os.stat(dest).st_mode
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(dest, "text")
    assert os.stat(dest).st_mode == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [dest.name]  # no temp file left


def test_cli_output_onto_a_fifo_is_one_line_and_exit_1(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(STORY)
    dest = _special(tmp_path, "fifo")
    out = run(str(article), "--format", "md", "-o", str(dest))
    assert out.returncode == 1
    assert out.stderr.decode().strip().splitlines()[-1] == f"newsbrief: error: cannot write {dest}: not a regular file"
    assert stat.S_ISFIFO(os.stat(dest).st_mode)


@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_html_keeps_its_text(tmp_path, depth):
    """255+ levels: libxml2 dropped everything below its limit ('no article text found')."""
    paragraphs = "".join(f"<p>{line}</p>" for line in STORY.splitlines())
    html = ("<html><head><title>Bridge to close</title></head><body>" + "<div>" * depth + paragraphs
            + "</div>" * depth + "</body></html>")
    f = tmp_path / "deep.html"
    f.write_text(html)
    got = load(f)
    assert not got.errors, got.errors
    assert "routine inspection" in got.articles[0].raw and "new ferry" in got.articles[0].raw
    assert got.articles[0].title == "Bridge to close"
