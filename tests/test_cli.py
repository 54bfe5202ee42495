"""The command line: formats, output files, budgets, bad inputs and exit
codes, eval over JSONL, and one real ``python -m newsbrief`` process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsbrief.cli import app
from newsbrief.summarize import DEFAULT_METHOD, methods

runner = CliRunner()

BOILERPLATE = ("more-arrow", "Getty Images", "Sign up", "Filed under", "Susan Walsh/AP", "This story is over")


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def _stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def _check_offsets(d: dict) -> None:
    texts = {s["id"]: s["text"] for s in d["sources"]}
    for s in d["summary"]:
        for c in s["citations"] + s["support"] + s["disputed"]:
            assert texts[c["source"]][c["start"]:c["end"]] == c["text"]


# --- brief -----------------------------------------------------------------

def test_brief_json(examples: Path) -> None:
    r = run("brief", examples, "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["schema"] == "newsbrief.briefing/4" and d["method"] == DEFAULT_METHOD
    assert len(d["sources"]) == 3 and d["summary"] and not d["errors"]
    assert {s["outlet"] for s in d["sources"]} >= {"The Harbor Ledger", "Port Alder Daily Press"}
    _check_offsets(d)
    assert r.stderr == ""


def test_brief_markdown_and_text(examples: Path) -> None:
    md = run("brief", examples, "-f", "md")
    assert md.exit_code == 0 and md.stdout.startswith("# ") and "## Sources" in md.stdout and "[1" in md.stdout
    text = run("brief", examples)  # text is the default
    assert text.exit_code == 0 and "Sources" in text.stdout and "\x1b[" not in text.stdout


def test_example_summary_has_no_boilerplate(examples: Path) -> None:
    d = json.loads(run("brief", examples, "-f", "json").stdout)
    summary = " ".join(s["text"] for s in d["summary"])
    for junk in ("menu", "Filed under", "Sign up", "Enlarge this image", "/The Harbor Ledger",
                 "/Coastline Public Radio",
                 "is a staff reporter", "is a reporter for", "Privacy policy", "All rights reserved"):
        assert junk not in summary


def test_example_captions_dropped(examples: Path) -> None:
    d = json.loads(run("brief", examples, "-f", "json").stdout)
    text = " ".join(s["text"] for s in d["sources"])
    assert "Traffic cones block the west approach" not in text
    assert "Crews from the state Department of Transportation inspect" not in text


def test_brief_output_file(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    r = run("brief", examples, "-f", "md", "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]  # no temp file left behind
    bad = run("brief", examples, "-o", tmp_path / "no" / "such" / "dir.txt")
    assert bad.exit_code == 1 and bad.stderr.startswith("newsbrief: error: cannot write")


def test_brief_word_budget(examples: Path) -> None:
    d = json.loads(run("brief", examples, "-f", "json", "--words", "120").stdout)
    longest = max(len(s["text"].split()) for s in d["summary"])
    assert abs(d["words"] - 120) <= longest
    assert d["words"] == sum(len(s["text"].split()) for s in d["summary"])


def test_brief_sentence_budget(examples: Path) -> None:
    d = json.loads(run("brief", examples, "-f", "json", "--sentences", "3").stdout)
    assert len(d["summary"]) == 3 and d["budget"] == {"words": None, "sentences": 3}
    assert json.loads(run("brief", examples, "-f", "json", "--words", "20", "--sentences", "3").stdout) == d


def test_brief_stdin(examples: Path) -> None:
    text = (examples / "harbor-ledger.txt").read_text(encoding="utf-8")
    r = run("brief", "-", "-f", "json", "--words", "60", input=text)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [s["path"] for s in d["sources"]] == ["-"]
    _check_offsets(d)


def test_brief_skips_bad_files(examples: Path, tmp_path: Path) -> None:
    shutil.copy(examples / "harbor-ledger.txt", tmp_path / "a.txt")
    shutil.copy(examples / "coastline-radio.txt", tmp_path / "b.txt")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    (tmp_path / "empty.txt").write_bytes(b"")
    r = run("brief", tmp_path, "-f", "json")
    assert r.exit_code == 0, r.output
    assert [s["id"] for s in json.loads(r.stdout)["sources"]] == ["a", "b"]
    lines = _stderr_lines(r)
    assert len(lines) == 2
    assert any(line.startswith("newsbrief: skipped ") and "binary.txt" in line for line in lines)
    assert any(line.startswith("newsbrief: skipped ") and "empty.txt: empty file" in line for line in lines)


def test_brief_all_bad(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "nav.txt").write_text("clock menu more-arrow no yes mobile\n\nFiled under:\n", encoding="utf-8")
    r = run("brief", tmp_path / "empty.txt", tmp_path / "nav.txt", tmp_path / "missing.txt")
    assert r.exit_code == 1 and r.stdout == ""
    lines = _stderr_lines(r)
    assert lines[-1] == "newsbrief: error: no usable article"
    assert len(lines) == 4 and all(line.startswith("newsbrief: skipped ") for line in lines[:-1])


def test_brief_unknown_method(examples: Path) -> None:
    r = run("brief", examples, "--method", "nope")
    assert r.exit_code == 2
    assert _stderr_lines(r) == [f"newsbrief: error: unknown method 'nope' (known: {', '.join(methods.names())})"]


def test_brief_usage_errors(examples: Path) -> None:
    assert run("brief", examples, "--format", "xml").exit_code == 2
    assert run("brief", examples, "--words", "0").exit_code == 2
    assert run("brief").exit_code == 2


# --- JSONL: several clusters, malformed rows, eval --------------------------

def _doc(*sentences: str) -> str:
    return "\n".join(sentences)


CLUSTERS = [
    {"id": "library", "summary": "The Elm Street library reopened on Saturday after a two-year renovation. "
                                 "It now has a maker space and longer weekend hours.",
     "documents": [
         _doc("The Elm Street library reopened on Saturday after a renovation that took two years.",
              "Hundreds of residents lined up before the doors opened at nine in the morning.",
              "The renovated building has a maker space with 3D printers and a recording studio.",
              "Weekend hours will be extended until eight in the evening starting next month."),
         _doc("After two years of construction, the Elm Street branch library welcomed readers back on Saturday.",
              "Librarians said the new maker space had been booked for weeks before the opening.",
              "The city paid for the renovation with a bond that voters approved in 2022."),
     ]},
    {"id": "marathon", "summary": "More than 9,000 runners finished the city marathon on Sunday. "
                                  "A local teacher won the women's race.",
     "documents": [
         _doc("More than 9,000 runners crossed the finish line of the city marathon on Sunday morning.",
              "A local high school teacher won the women's race in just under two hours and forty minutes.",
              "Organizers said cool weather helped many runners set personal records."),
         _doc("The city marathon drew its largest field ever, with over 9,000 finishers on Sunday.",
              "The winner of the women's race teaches chemistry at a high school across town.",
              "Road closures along the waterfront were lifted by two in the afternoon."),
     ]},
    {"id": "ferry", "summary": "Ferry fares will rise by fifty cents in July. "
                               "The county says fuel costs drove the increase.",
     "documents": [
         _doc("The county ferry system will raise fares by fifty cents starting the first of July.",
              "Officials blamed the increase on fuel costs, which have climbed for three years in a row.",
              "Monthly passes for commuters will not change until next year."),
         _doc("Riders of the county ferry will pay fifty cents more per trip beginning in July.",
              "The county said rising fuel prices left it no choice but to raise the fares.",
              "Some riders at the terminal said they would switch to driving across the bridge."),
     ]},
]


@pytest.fixture()
def tiny_jsonl(tmp_path: Path) -> Path:
    """Three clusters with references, and a malformed row on line 3."""
    rows = [json.dumps(c) for c in CLUSTERS]
    rows.insert(2, '{"id": "broken", "documents": [')
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_brief_several_clusters_needs_choice(tiny_jsonl: Path) -> None:
    r = run("brief", tiny_jsonl)
    assert r.exit_code == 2
    [err] = _stderr_lines(r)  # one line; the malformed row is reported once a cluster is chosen
    assert err.startswith("newsbrief: error: the input holds 3 clusters") and "--cluster ID or --cluster N (1-3)" in err


def test_brief_choose_cluster(tiny_jsonl: Path) -> None:
    by_id = run("brief", tiny_jsonl, "--cluster", "marathon", "-f", "json")
    assert by_id.exit_code == 0, by_id.output
    d = json.loads(by_id.stdout)
    assert d["id"] == "marathon" and all(s["id"].startswith("marathon/") for s in d["sources"])
    lines = _stderr_lines(by_id)
    assert len(lines) == 1 and lines[0].startswith(f"newsbrief: skipped {tiny_jsonl}:3: malformed JSON")
    by_pos = run("brief", tiny_jsonl, "--cluster", "2", "-f", "json")
    assert json.loads(by_pos.stdout)["id"] == "marathon"
    missing = run("brief", tiny_jsonl, "--cluster", "9")
    assert missing.exit_code == 2 and "no cluster '9'" in missing.stderr


def test_eval_json(tiny_jsonl: Path) -> None:
    r = run("eval", tiny_jsonl, "--json", "-m", "lead", "-m", DEFAULT_METHOD, "--words", "40")
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert [x["method"] for x in res] == ["lead", DEFAULT_METHOD]
    for x in res:
        assert x["clusters"] == 3 and 0 < x["rouge1"] <= 100 and x["rouge2"] <= x["rouge1"]
    assert f"{tiny_jsonl}:3: malformed JSON" in r.stderr
    assert "skipped 1 malformed row" in r.stderr


def test_eval_table_and_limit(tiny_jsonl: Path) -> None:
    r = run("eval", tiny_jsonl, "--limit", "2", "--words", "40")
    assert r.exit_code == 0, r.output
    assert DEFAULT_METHOD in r.stdout and "RLsum" in r.stdout
    assert "malformed" not in r.stderr  # line 3 lies beyond the limit


def test_eval_errors(tmp_path: Path, tiny_jsonl: Path) -> None:
    missing = run("eval", tmp_path / "missing.jsonl")
    assert missing.exit_code == 1
    assert _stderr_lines(missing) == [f"newsbrief: error: {tmp_path / 'missing.jsonl'}: no such file"]
    assert run("eval", tiny_jsonl, "-m", "nope").exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    r = run("eval", bad)
    assert r.exit_code == 1 and "no cluster could be evaluated" in r.stderr


# --- small commands, the real process, real scraped data --------------------

def test_methods_and_version() -> None:
    r = run("methods")
    assert r.exit_code == 0
    names = [line[2:].split()[0] for line in r.stdout.splitlines()]
    assert names == methods.names()
    assert f"* {DEFAULT_METHOD}" in r.stdout
    v = run("--version")
    assert v.exit_code == 0 and v.stdout.startswith("newsbrief ")


def test_python_m_newsbrief(examples: Path, root: Path) -> None:
    p = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(examples), "--format", "json"],
                       capture_output=True, text=True, cwd=root, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["schema"] == "newsbrief.briefing/4"
    bad = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(examples), "--method", "nope"],
                         capture_output=True, text=True, cwd=root, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


def test_kislyak(kislyak: list[Path]) -> None:
    r = run("brief", *kislyak, "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert len(d["sources"]) == 3 and d["summary"]
    _check_offsets(d)
    for text in [s["text"] for s in d["sources"]] + [s["text"] for s in d["summary"]]:
        for junk in BOILERPLATE:
            assert junk not in text


def test_kislyak_word_budget(kislyak: list[Path]) -> None:
    for words in (120, 250):
        d = json.loads(run("brief", *kislyak, "--format", "json", "--words", str(words)).stdout)
        longest = max(len(s["text"].split()) for s in d["summary"])
        assert abs(d["words"] - words) <= longest
        assert d["budget"]["words"] == words
