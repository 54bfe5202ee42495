"""Batch runs: both engines end to end on real clusters, bad rows reported and
skipped, models loaded once per worker, nothing listening beyond 127.0.0.1,
resume after a real ``kill -9`` of the whole process tree, and ``eval``
through the engines giving the sequential figures."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from newsbrief import batch
from newsbrief.batching import EngineError, get_engine
from newsbrief.batching.output import ChunkWriter, resume
from newsbrief.batching.run import Status
from newsbrief.cli import app
from newsbrief.eval import evaluate
from newsbrief.model import Cluster
from newsbrief.pipeline import brief_articles
from newsbrief.sources import iter_clusters
from newsbrief.summarize import DEFAULT_METHOD


def _rows(path: Path, n: int) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in islice(fh, n)]


def _out_lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), "no half line at the end"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def _check_offsets(d: dict) -> None:
    texts = {s["id"]: s["text"] for s in d["sources"]}
    for s in d["summary"]:
        for c in s["citations"] + s["support"] + s["disputed"]:
            assert texts[c["source"]][c["start"]:c["end"]] == c["text"]


@pytest.fixture(scope="module")
def dev_rows(shared: Path) -> list[dict]:
    return _rows(shared / "multinews" / "dev.jsonl", 8)


def test_local_engine_end_to_end_with_bad_rows(dev_rows: list[dict], tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    no_id = {k: v for k, v in dev_rows[5].items() if k != "id"}
    lines = [json.dumps(dev_rows[0]), "{not json", json.dumps({"id": "empty", "documents": ["  ", ""]}),
             *(json.dumps(r) for r in dev_rows[1:5]), json.dumps(no_id), json.dumps(dev_rows[1])]  # last: a duplicate
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    seen: list[Status] = []

    rep = batch(src, out, engine="local", workers=2, chunk=2, progress=lambda s: seen.append(s))

    got = _out_lines(out)
    ids = [d["id"] for d in got]
    want = {r["id"] for r in dev_rows[:5]}
    assert sorted(i for i in ids if i is not None) == sorted(want) and len(ids) == len(set(ids))
    assert [d["line"] for d in got if d["id"] is None] == [8]  # a row without id: named by its line
    for d in got:
        assert d["schema"] == "newsbrief.briefing/4" and d["method"] == DEFAULT_METHOD and d["summary"]
        _check_offsets(d)
    # A line is exactly what the library makes of that cluster in this process.
    first = next(c for c in iter_clusters(src) if isinstance(c, Cluster))
    here = json.loads(json.dumps(brief_articles(first.articles, id=first.id).to_dict()))
    assert next(d for d in got if d["id"] == first.id) == {**here, "line": 1}

    errors = [json.loads(x) for x in (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_line = {e["line"]: e for e in errors}
    assert set(by_line) == {2, 3, 9}
    assert "malformed JSON" in by_line[2]["reason"] and "no non-empty documents" in by_line[3]["reason"]
    assert "duplicate" in by_line[9]["reason"] and by_line[9]["id"] == dev_rows[1]["id"]
    assert by_line[3]["id"] == "empty" and by_line[2]["id"] is None  # a row that parsed keeps its id
    assert (rep.briefed, rep.failed, rep.skipped, rep.interrupted) == (6, 3, 0, False) and not rep.ok
    assert seen and seen[-1].briefed == 6

    # Models load once per worker process, however many clusters it briefs.
    assert sum(w.clusters for w in rep.worker_stats.values()) == 6
    assert all(w.model_loads["ranker"] == 1 and w.model_loads["spacy"] == 0 for w in rep.worker_stats.values())
    assert os.getpid() not in rep.worker_stats  # the work ran in the pool, not here

    # Run again: everything done is skipped, the bad rows are reported again.
    before = out.read_bytes()
    again = batch(src, out, engine="local", workers=1, chunk=2)
    assert (again.briefed, again.skipped, again.failed) == (0, 6, 3)
    assert out.read_bytes() == before


def _listening(proc: psutil.Process) -> list[tuple[str, int]]:
    """TCP listeners and bound UDP sockets of a process and its descendants."""
    found = []
    for p in [proc, *proc.children(recursive=True)]:
        try:
            conns = p.net_connections(kind="inet")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        for c in conns:
            if c.status == psutil.CONN_LISTEN or c.type == socket.SOCK_DGRAM:
                found.append((c.laddr.ip, c.laddr.port))
    return found


def test_dask_engine_end_to_end_on_localhost_only(dev_rows: list[dict], tmp_path: Path) -> None:
    """One LocalCluster as the dask engine starts it by default, then used as
    a running cluster by its address (``--scheduler``) for a batch and an eval."""
    pytest.importorskip("distributed")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in dev_rows[:6]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    clusters = [c for c in iter_clusters(src) if isinstance(c, Cluster)][:4]
    listeners: list[tuple[str, int]] = []

    def check(_: Status) -> None:  # called while the cluster works
        if not listeners:
            listeners.extend(_listening(psutil.Process()))

    with get_engine("dask", workers=2) as eng:
        address = eng.cluster.scheduler_address
        rep = batch(src, out, scheduler=address, chunk=2, progress=check)
        par = evaluate(clusters, ["lead"], words=100, engine="dask", scheduler=address, chunk=1)

    assert address.startswith("tcp://127.0.0.1:")
    assert len(listeners) >= 3, listeners  # the scheduler, and a worker and a nanny per worker
    assert {ip for ip, _ in listeners} == {"127.0.0.1"}, listeners
    assert rep.ok and rep.engine == "dask" and rep.briefed == 6 and rep.workers == 2
    assert sorted(d["id"] for d in _out_lines(out)) == sorted(r["id"] for r in dev_rows[:6])
    assert all(w.model_loads["ranker"] == 1 for w in rep.worker_stats.values())
    seq = evaluate(clusters, ["lead"], words=100)
    assert (par[0].scores, par[0].words, par[0].clusters) == (seq[0].scores, seq[0].words, 4)


def test_resume_after_kill_9(shared: Path, tmp_path: Path) -> None:
    rows = _rows(shared / "multinews" / "val_truncated.jsonl.gz", 240)
    src, out = tmp_path / "val.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cmd = [sys.executable, "-m", "newsbrief", "batch", str(src), str(out), "--workers", "1", "--chunk", "4"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}

    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (out.exists() and out.stat().st_size) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        with contextlib.suppress(ProcessLookupError):  # gone already: the assertion below says so
            os.killpg(proc.pid, signal.SIGKILL)  # the whole tree, workers included, as a crash would
        proc.wait()
    first = _out_lines(out)
    assert 0 < len(first) < len(rows) - 10, "the kill must land mid-run"
    with open(out, "ab") as fh:  # what a kill in the middle of a write leaves
        fh.write(b'{"schema": "newsbrief.briefing/4", "id": "multinews-val-')

    rep = batch(src, out, workers=1, chunk=4)  # the same run again, here to save a process start

    assert rep.truncated_bytes == len(b'{"schema": "newsbrief.briefing/4", "id": "multinews-val-')
    assert rep.already_done == rep.skipped == len(first) and not rep.interrupted
    got = _out_lines(out)
    ids = [d["id"] for d in got]
    errors = tmp_path / "out.errors.jsonl"
    failed = {json.loads(x)["id"] for x in errors.read_text().splitlines()} if errors.exists() else set()
    assert len(failed) == rep.failed
    assert len(ids) == len(set(ids)), "no cluster twice"
    assert set(ids) | failed == {row["id"] for row in rows} and not set(ids) & failed
    assert got[: len(first)] == first, "finished work was kept, not redone"


def test_resume_reads_ids_and_cuts_a_partial_tail(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = [json.dumps({"schema": "newsbrief.briefing/4", "id": f"c{i}", "method": "lead", "summary": []})
             for i in range(3)]
    with ChunkWriter(out) as w:
        w.write([x + "\n" for x in lines])
    tail = b'{"schema": "newsbrief.briefing/4", "id": "c3", "met'
    out.write_bytes(out.read_bytes() + tail)

    got = resume(out)

    assert got.done == {"c0", "c1", "c2"} and got.method == "lead" and got.truncated == len(tail)
    assert out.read_text().splitlines() == lines

    other = tmp_path / "notes.jsonl"
    other.write_text('{"text": "an article, not a briefing"}\n')
    with pytest.raises(ValueError, match="not a briefing line"):
        resume(other)


def test_resume_refuses_another_method(dev_rows: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"schema": "newsbrief.briefing/4", "id": "x", "method": "lead", "summary": []}) + "\n")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(dev_rows[0]) + "\n")
    with pytest.raises(ValueError, match="method 'lead'"):
        batch(src, out, method="salience")


def test_eval_through_engines_matches_sequential(shared: Path) -> None:
    data = shared / "multinews" / "dev.jsonl"
    clusters = [c for c in islice(iter_clusters(data), 6)]
    names = ["lead", DEFAULT_METHOD]
    ticks: list[int] = []

    seq = evaluate(clusters, names, words=120)
    par = evaluate(clusters, names, words=120, engine="local", workers=2, chunk=2, on_cluster=lambda: ticks.append(1))

    def figures(rs):
        return [(r.method, r.clusters, r.scores, r.words, r.skipped) for r in rs]

    assert figures(par) == figures(seq) and seq[0].clusters == 6
    assert len(ticks) == 6


runner = CliRunner()


@pytest.mark.parametrize("args, message", [
    (["--engine", "local", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    (["--method", "nope"], "unknown method"),
])
def test_cli_batch_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "documents": ["One sentence here."]}\n')
    r = runner.invoke(app, ["batch", str(src), str(tmp_path / "out.jsonl"), *args])
    assert r.exit_code == 2 and r.stderr.startswith("newsbrief: error:") and message in r.stderr


def test_cli_batch_refuses_gz_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "documents": ["One sentence here."]}\n')
    r = runner.invoke(app, ["batch", str(src), str(tmp_path / "out.jsonl.gz")])
    assert r.exit_code == 2 and "plain JSONL" in r.stderr and not (tmp_path / "out.jsonl.gz").exists()


def test_cli_eval_scheduler_needs_dask(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "documents": ["One sentence here."], "summary": "One."}\n')
    r = runner.invoke(app, ["eval", str(src), "--engine", "local", "--scheduler", "tcp://127.0.0.1:1"])
    assert r.exit_code == 2 and "--scheduler needs --engine dask" in r.stderr


def test_local_engine_survives_a_worker_death() -> None:
    """The item that kills its worker is found (rerun alone) and reported;
    the other items in flight at the time are rerun and complete."""
    from crashy import shout_or_die

    items = ["a", "b", "c", "die", "d", "e", "f", "g"]
    with get_engine("local", workers=2) as eng:
        got = dict(eng.imap_unordered(shout_or_die, items, window=4))

    assert set(got) == set(items)
    assert {k: v for k, v in got.items() if k != "die"} == {x: x.upper() for x in items if x != "die"}
    assert isinstance(got["die"], EngineError) and "died" in str(got["die"])


def test_local_engine_gives_up_when_workers_cannot_run() -> None:
    from crashy import shout_or_die

    with get_engine("local", workers=1) as eng, pytest.raises(EngineError, match="cannot run"):
        list(eng.imap_unordered(shout_or_die, ["die"] * 5))


def test_chunk_writer_syncs_at_most_every_interval(tmp_path: Path, monkeypatch) -> None:
    from newsbrief.batching import output

    synced: list[int] = []
    monkeypatch.setattr(output.os, "fsync", lambda fd: synced.append(fd))
    w = output.ChunkWriter(tmp_path / "o.jsonl", sync_every=3600)
    for i in range(5):
        w.write([f'{{"id": "{i}"}}\n'])
    assert synced == []  # within the interval: written, not yet synced
    assert (tmp_path / "o.jsonl").read_text().count("\n") == 5  # a killed process keeps them all
    w.close()
    assert len(synced) == 1  # closing syncs what is pending
    w = output.ChunkWriter(tmp_path / "o.jsonl", sync_every=0)
    w.write(['{"id": "5"}\n'])
    w.write(['{"id": "6"}\n'])
    w.close()
    assert len(synced) == 3  # every chunk once the interval has passed; nothing pending at close


def test_chunk_writer_takes_utf8_bytes_as_they_come(tmp_path: Path) -> None:
    """Workers send their lines as orjson's UTF-8 bytes: written unchanged,
    and the same file as the str lines of the errors file would give."""
    from newsbrief.batching.run import _dumps

    rows = [{"id": "a", "text": "“Café” — ok"}, {"id": "b", "n": [1, 2.5, None]}]
    with ChunkWriter(tmp_path / "b.jsonl") as w:
        w.write([_dumps(r) for r in rows])
    with ChunkWriter(tmp_path / "s.jsonl") as w:
        w.write([json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows])
    assert (tmp_path / "b.jsonl").read_bytes() == (tmp_path / "s.jsonl").read_bytes()
    assert [json.loads(x) for x in (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()] == rows


def test_local_engine_boots_its_server_at_start_and_forks_workers_at_first_submit() -> None:
    """What lets ``batch`` prepare the ranker after ``start()``: no worker
    exists before the first submit, so every worker finds it prepared."""
    from crashy import shout_or_die

    me = psutil.Process()
    with get_engine("local", workers=2) as eng:
        if eng.pool._mp_context.get_start_method() != "forkserver":
            pytest.skip("no forkserver on this OS")
        time.sleep(0.5)
        servers = me.children()
        assert servers and all(not s.children() for s in servers)  # the forkserver, booted, and no worker yet
        assert dict(eng.imap_unordered(shout_or_die, ["a", "b"])) == {"a": "A", "b": "B"}
        assert any(s.children() for s in servers)  # workers are forked from it
