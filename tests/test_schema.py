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
from edited import edited_briefing
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
        check_summary_sentence(item, src)
    for key in ("quotes", "agreements", "contradictions", "timeline", "relations"):
        for item in doc.get(key, []):
            assert item["citations"], (key, item)
            for c in item["citations"]:
                assert src[c["source"]]["text"][c["start"]:c["end"]] == c["text"], key
    for e in doc.get("entities", []):
        for m in e["mentions"]:
            assert src[m["source"]]["text"][m["start"]:m["end"]] == m["text"]
        assert sum(e["mentions_per_source"].values()) == len(e["mentions"])
    for q in doc.get("quotes", []):
        for m in q["spans"]:
            assert src[m["source"]]["text"][m["start"]:m["end"]] == m["text"]


def check_summary_sentence(item: dict, src: dict) -> None:
    """Every citation points at its sentence; an extractive sentence is its
    first citation with its edits applied; a generated one (issue 20) has no
    edits, cites exactly what the extractive sentences it replaces cite, and
    those check as extractive sentences."""
    for c in item["citations"] + item["support"]:
        text = src[c["source"]]["text"]
        assert text[c["start"]:c["end"]] == c["text"]
        assert list(src[c["source"]]["sentences"][c["sentence"]]) == [c["start"], c["end"]]
    if item.get("generated"):
        assert not item["edits"] and item["replaces"] and item["check"]["ok"]
        for r in item["replaces"]:
            assert not r.get("generated")
            check_summary_sentence(r, src)
        key = lambda c: (c["source"], c["sentence"])  # noqa: E731
        assert [key(c) for c in item["citations"]] == list(dict.fromkeys(key(c) for r in item["replaces"]
                                                                          for c in r["citations"]))
        return
    cited, text = item["citations"][0]["text"], item["text"]
    pos = 0
    for e in sorted(item["edits"], key=lambda e: e["start"]):  # offsets into the cited sentence
        assert pos <= e["start"] <= e["end"] <= len(cited) and cited[e["start"]:e["end"]] == e["removed"]
        pos = e["end"]
    for e in sorted(item["edits"], key=lambda e: -e["start"]):
        cited = cited[:e["start"]] + e["inserted"] + cited[e["end"]:]
    assert cited == text


def test_example_cluster_validates():
    check(newsbrief.brief(ROOT / "examples" / "cluster").to_dict())


def test_kislyak_cli_json_validates(shared):
    files = sorted(str(p) for p in (shared / "kislyak").glob("*.txt"))
    out = subprocess.run([sys.executable, "-m", "newsbrief", "brief", *files, "--format", "json"],
                         capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    check(doc)
    assert len(doc["sources"]) == 3 and doc["summary"]
    for key in ("entities", "quotes", "agreements", "contradictions", "timeline", "relations"):
        assert doc[key], f"analysis section {key} is empty on the Kislyak articles"


def test_no_analysis_leaves_the_sections_out():
    out = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(ROOT / "examples" / "cluster"),
                          "--format", "json", "--no-analysis"], capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    check(doc)
    assert "entities" not in doc and "quotes" not in doc


def test_schema_rejects_a_broken_briefing():
    doc = newsbrief.brief(ROOT / "examples" / "cluster").to_dict()
    del doc["summary"][0]["citations"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, json_schema())


def test_schema_version_is_the_models() -> None:
    schema = json_schema()
    assert SCHEMA == "newsbrief.briefing/4"
    assert schema["$id"] == schema["properties"]["schema"]["const"] == SCHEMA
    assert schema["properties"]["summary"]["items"] == {"$ref": "#/$defs/summary_sentence"}
    assert "edits" in schema["$defs"]["summary_sentence"]["required"]


def test_briefing_with_edits_validates():
    doc = json.loads(json.dumps(edited_briefing().to_dict()))
    check(doc)
    assert [len(x["edits"]) for x in doc["summary"]] == [0, 1, 2]


@pytest.mark.parametrize("breakage", [
    lambda d: d["summary"][0].pop("edits"),  # edits are required, even when empty
    lambda d: d["summary"][1]["edits"][0].pop("removed"),
    lambda d: d["summary"][1]["edits"][0].update(start="0"),
    lambda d: d["summary"][1]["edits"][0].update(kind="rewrite"),
    lambda d: d["summary"][1]["edits"][0].update(start=-1),
    lambda d: d.update(schema="newsbrief.briefing/2"),
])
def test_schema_rejects_broken_edits(breakage):
    doc = json.loads(json.dumps(edited_briefing().to_dict()))
    breakage(doc)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, json_schema())
