"""The JSON contract: briefings validate against the shipped JSON Schema and
every offset points at its sentence."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import newsbrief
from newsbrief.model import SCHEMA, json_schema

ROOT = Path(__file__).resolve().parents[1]


def check(doc: dict) -> None:
    jsonschema.validate(doc, json_schema())
    assert doc["schema"] == SCHEMA
    src = {s["id"]: s for s in doc["sources"]}
    for s in doc["sources"]:
        for i, (a, b) in enumerate(s["sentences"]):
            assert 0 <= a < b <= len(s["text"]), (s["id"], i)
    for item in doc["summary"]:
        for c in item["citations"] + item["support"]:
            text = src[c["source"]]["text"]
            assert text[c["start"]:c["end"]] == c["text"]
            assert list(src[c["source"]]["sentences"][c["sentence"]]) == [c["start"], c["end"]]
        assert item["citations"][0]["text"] == item["text"]


def test_example_cluster_validates():
    check(newsbrief.brief(ROOT / "examples" / "cluster").to_dict())


def test_kislyak_cli_json_validates(shared):
    files = sorted(str(p) for p in (shared / "kislyak").glob("*.txt"))
    out = subprocess.run([sys.executable, "-m", "newsbrief", "brief", *files, "--format", "json"],
                         capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    check(doc)
    assert len(doc["sources"]) == 3 and doc["summary"]


def test_schema_rejects_a_broken_briefing():
    doc = newsbrief.brief(ROOT / "examples" / "cluster").to_dict()
    del doc["summary"][0]["citations"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, json_schema())
