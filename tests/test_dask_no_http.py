"""The dask engine's own cluster serves no HTTP: while a real batch runs on
it, no socket of the process tree answers an HTTP request (distributed's
LocalCluster, even with ``dashboard_address=None``, answers /health and
/info on 127.0.0.1:8787, and each worker /metrics on a port of its own)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import psutil
import pytest

from newsbrief import batch
from newsbrief.batching.run import Status

pytest.importorskip("distributed", reason="the dask engine needs dask.distributed (pip install 'newsbrief[batch]')")


def listeners() -> set[int]:
    """Ports of this process tree's listening TCP sockets (the scheduler here, nannies and workers below)."""
    me = psutil.Process()
    ports = set()
    for p in [me, *me.children(recursive=True)]:
        try:
            conns = p.net_connections(kind="tcp")
        except psutil.Error:
            continue
        ports.update(c.laddr.port for c in conns if c.status == psutil.CONN_LISTEN)
    return ports


def answers_http(port: int) -> bool:
    """Whether 127.0.0.1:port answers a plain HTTP request as HTTP. dask's own
    protocol waits for a frame instead, or hangs up: no answer within the timeout."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.settimeout(0.5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return s.recv(5) == b"HTTP/"
    except OSError:
        return False


def test_a_running_dask_batch_leaves_no_http_listener(examples: Path, tmp_path: Path) -> None:
    docs = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*")) if p.suffix in (".txt", ".md")]
    assert len(docs) >= 2
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"c{i}", "documents": docs}) + "\n" for i in range(4)), encoding="utf-8")
    seen: dict[int, bool] = {}

    def probe(_: Status) -> None:  # called while the cluster is up and working
        for port in listeners() - seen.keys():
            seen[port] = answers_http(port)

    rep = batch(src, tmp_path / "out.jsonl", engine="dask", workers=1, chunk=1, progress=probe)
    assert rep.ok and rep.engine == "dask" and rep.briefed == 4
    assert len(seen) >= 3, seen  # the scheduler, the nanny and the worker were probed
    assert not [port for port, http in seen.items() if http], seen
