"""Batch runs on hostile input (issue 17): row ids of every JSON type, rows
without one, resume after ``kill -9`` with such rows, and worker processes
that end when the batch process is killed alone."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import psutil

from newsbrief import batch


def _rows(path: Path, n: int) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in islice(fh, n)]


def _with_id(row: dict, *id: object) -> str:
    """The row as a JSONL line with ``id`` replaced (no ``id`` at all when none is given)."""
    d = {k: v for k, v in row.items() if k != "id"}
    if id:
        d["id"] = id[0]
    return json.dumps(d)


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _cli(src: Path, out: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsbrief", "batch", str(src), str(out), *args],
                            env={**os.environ, "HF_HUB_OFFLINE": "1"}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_output(proc: subprocess.Popen, out: Path) -> None:
    deadline = time.monotonic() + 120
    while not (out.exists() and out.stat().st_size) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def test_ids_keep_their_json_type_and_rows_without_one_are_named_by_their_line(shared: Path,
                                                                                tmp_path: Path) -> None:
    dev = _rows(shared / "multinews" / "val_truncated.jsonl.gz", 9)
    lines = [
        _with_id(dev[0], None),      # 1: null
        _with_id(dev[1], 12345),     # 2: an integer...
        _with_id(dev[2], "12345"),   # 3: ...and the same digits as a string: two clusters
        _with_id(dev[3], None),      # 4: a second null: a cluster of its own, not a duplicate
        _with_id(dev[4], ""),        # 5: empty
        _with_id(dev[5]),            # 6: missing
        _with_id(dev[6], 1.5),       # 7: a float
        _with_id(dev[7], True),      # 8: a boolean (== 1 in Python)
        _with_id(dev[8], 1),         # 9: the integer 1
        json.dumps({"id": 77, "documents": [" ", ""]}),       # 10: a bad row with an integer id
        json.dumps({"id": "art", "text": "An article row."}),  # 11: an article row
        _with_id(dev[0], 12345),     # 12: a duplicate of line 2's id
        json.dumps({"id": None, "documents": []}),            # 13: a bad row without an id
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")

    rep = batch(src, out, workers=1, chunk=3)

    got = _lines(out)
    assert sorted((d["line"], d["id"]) for d in got) == [
        (1, None), (2, 12345), (3, "12345"), (4, None), (5, None), (6, None), (7, None), (8, None), (9, 1)]
    assert isinstance(next(d["id"] for d in got if d["line"] == 2), int)
    assert all(list(d)[:3] == ["schema", "id", "line"] and d["summary"] for d in got)
    errors = {e["line"]: e for e in _lines(tmp_path / "out.errors.jsonl")}
    assert {k: (e["id"], e["reason"][:20]) for k, e in errors.items()} == {
        10: (77, "cluster has no non-e"), 11: ("art", "an article row ('tex"),
        12: (12345, "duplicate cluster id"), 13: (None, "cluster has no non-e")}
    assert "line 2" in errors[12]["reason"]
    assert (rep.briefed, rep.failed) == (9, 4)

    # Run again: every cluster is found done, by its id or, without one, by its line.
    before = out.read_bytes()
    again = batch(src, out, workers=1, chunk=3)
    assert (again.already_done, again.skipped, again.briefed, again.failed) == (9, 9, 0, 4)
    assert out.read_bytes() == before


def test_resume_after_kill_9_with_rows_without_ids(shared: Path, tmp_path: Path) -> None:
    """Killed mid-run and run again, a file where most rows have no usable id
    ends exactly as one uninterrupted run leaves it (in another order)."""
    rows = _rows(shared / "multinews" / "val_truncated.jsonl.gz", 120)
    # null, empty, missing; and the integer i, then the string of the same digits on the next row
    lines = [_with_id(r, *[(None,), ("",), (), (i,), (str(i - 1),)][i % 5]) for i, r in enumerate(rows)]
    src, out, ref = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "ref.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = batch(src, ref, workers=1, chunk=4)
    assert whole.briefed > len(rows) - 5

    proc = _cli(src, out, "--workers", "1", "--chunk", "4")
    try:
        _wait_for_output(proc, out)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the whole tree, as a crash would
        proc.wait()
    first = out.read_bytes().splitlines(keepends=True)
    assert 0 < len(first) < len(rows) - 10, "the kill must land mid-run"
    with open(out, "ab") as fh:  # what a kill in the middle of a write leaves
        fh.write(b'{"schema":"newsbrief.briefing/4","id":null,"li')

    rep = batch(src, out, workers=1, chunk=4)

    assert rep.already_done == rep.skipped == len([x for x in first if x.endswith(b"\n")])
    assert sorted(out.read_bytes().splitlines()) == sorted(ref.read_bytes().splitlines())
    assert (rep.already_done + rep.briefed, rep.failed) == (whole.briefed, whole.failed)
    errors = tmp_path / "out.errors.jsonl"
    if whole.failed:  # the same rows, with the same reasons
        assert errors.read_text() == (tmp_path / "ref.errors.jsonl").read_text()


def _alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
    return out


def test_workers_exit_when_the_batch_process_is_killed_alone(shared: Path, tmp_path: Path) -> None:
    """``kill -9`` of the batch process only (not its group): its forkserver,
    its workers and the resource tracker go too, instead of idling for ever."""
    dev = _rows(shared / "multinews" / "dev.jsonl", 40)
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(_with_id(r, f"{r['id']}-{k}") + "\n" for k in range(6) for r in dev), encoding="utf-8")
    proc = _cli(src, out, "--workers", "2", "--chunk", "2")
    tree: list[psutil.Process] = []
    try:
        _wait_for_output(proc, out)
        tree = psutil.Process(proc.pid).children(recursive=True)
        workers = [p for p in tree if p.ppid() != proc.pid]  # forked by the forkserver
        assert proc.poll() is None and len(workers) >= 2, "the kill must land mid-run, with the workers up"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 20
        while _alive(tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [(p.pid, " ".join(p.cmdline())[-80:]) for p in _alive(tree)]
        assert not left, f"still running after the batch process died: {left}"
    finally:
        for p in _alive(tree):
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
