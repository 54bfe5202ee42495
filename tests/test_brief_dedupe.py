"""Copies among the inputs of one briefing (issue 17): 30 copies of one
article are one source, not 30, in the CLI, the library and the server, with
each copy left out named in the briefing's errors and, on the CLI, one
stderr line for all of them. A near-duplicate from another outlet is left
out with that outlet named; a looser reprint stays a source."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import newsbrief
from newsbrief.model import Briefing
from newsbrief.render import to_json

ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


def test_cli_leaves_out_29_copies_with_one_stderr_line(examples: Path, tmp_path: Path) -> None:
    a = tmp_path / "harbor-ledger.txt"
    shutil.copy(examples / "harbor-ledger.txt", a)
    copies = []
    for i in range(1, 30):
        copies.append(tmp_path / f"a-copy{i}.txt")
        shutil.copy(a, copies[-1])
    others = [examples / "coastline-radio.txt", examples / "daily-press.html"]

    r = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(a), *map(str, copies), *map(str, others),
                        "--no-analysis", "--format", "json"], env=ENV, capture_output=True, text=True, timeout=120)

    assert r.returncode == 0, r.stderr
    b = json.loads(r.stdout)
    assert [s["path"] for s in b["sources"]] == [str(a), *map(str, others)]
    assert [e["source"] for e in b["errors"]] == [str(c) for c in copies]
    assert {e["duplicate_of"] for e in b["errors"]} == {b["sources"][0]["id"]}
    assert all(e["reason"].startswith(f"same text as {a}") for e in b["errors"])
    lines = r.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"newsbrief: 29 duplicate article(s) left out: {copies[0]} (copy of {a}), ")
    assert "and 26 more" in lines[0]


def test_library_keeps_one_of_each_text_and_names_the_outlet_of_a_near_copy(kislyak: list[Path]) -> None:
    text = kislyak[0].read_text(encoding="utf-8")
    paras = text.split("\n\n")
    arts = [
        newsbrief.article(text, id="vox", outlet="Vox"),
        newsbrief.article("  " + text.replace("\n", " \n ") + "\n", id="vox-again", outlet="Vox"),  # spacing only
        newsbrief.article(text.replace("ambassador", "envoy", 1), id="yahoo", outlet="Yahoo News"),  # one word
        newsbrief.article("\n\n".join(paras[: len(paras) // 2]), id="cut", outlet="Daily Bugle"),  # half of it
        newsbrief.article(kislyak[1].read_text(encoding="utf-8"), id="other"),
    ]

    b = newsbrief.brief(arts)

    assert [s.id for s in b.sources] == ["vox", "cut", "other"]
    by_id = {e.source: e for e in b.errors}
    assert set(by_id) == {"vox-again", "yahoo"} and {e.duplicate_of for e in b.errors} == {"vox"}
    assert by_id["vox-again"].reason == "same text as vox: left out as a copy"
    assert by_id["yahoo"].reason.startswith("near-duplicate of vox (")
    assert by_id["yahoo"].reason.endswith("left out as a copy; Yahoo News carries it too")
    # JSON and back: the link to the source kept is part of the contract.
    d = json.loads(to_json(b))
    assert {e["source"]: e.get("duplicate_of") for e in d["errors"]} == {"vox-again": "vox", "yahoo": "vox"}
    assert Briefing.from_dict(d).to_dict() == d


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_briefing_leaves_out_copies(kislyak: list[Path], tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    text = kislyak[0].read_text(encoding="utf-8")
    body = {"articles": [{"text": text, "id": "a"}, {"text": text, "id": "b"},
                         {"text": kislyak[1].read_text(encoding="utf-8"), "id": "c"}], "analysis": False}
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "newsbrief", "serve", "--port", str(port)],
                            env={**ENV, "NEWSBRIEF_DB": str(tmp_path / "news.db")}, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"newsbrief serve did not start: {log.read()[-2000:]}")
                time.sleep(0.2)
        req = urllib.request.Request(base + "/api/briefings", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            d = json.loads(r.read())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()

    assert [s["id"] for s in d["sources"]] == ["a", "c"]
    assert d["errors"] == [{"source": "b", "reason": "same text as a: left out as a copy", "duplicate_of": "a"}]
