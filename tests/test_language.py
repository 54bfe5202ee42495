"""Non-English articles (issue 17): detected, reported in the briefing's
errors and on the CLI's stderr, and left out of the summary and the analysis
(before, a German article's weekdays became entities and its quote entered
the English summary; a Chinese article was called "no article text"). The
texts in tests/fixtures/languages were written for these tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pycld2
import pytest

import newsbrief
from newsbrief.pipeline import NoArticlesError, prepare
from newsbrief.render import render
from newsbrief.sources import iter_clusters
from newsbrief.text.language import non_english

ROOT = Path(__file__).resolve().parent.parent
LANGS = ROOT / "tests" / "fixtures" / "languages"
NAMES = {"de": "German", "fr": "French", "es": "Spanish", "zh": "Chinese", "ar": "Arabic", "ru": "Russian"}


def cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "newsbrief", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


@pytest.mark.parametrize("code", sorted(NAMES))
def test_own_articles_are_detected(code: str) -> None:
    lang = non_english((LANGS / f"{code}.txt").read_text(encoding="utf-8"))
    assert lang is not None and lang.code == code and lang.name == NAMES[code]


@pytest.mark.parametrize("text", [
    "Der Bürgermeister hat am Mittwoch den neuen Haushalt für das kommende Jahr vorgestellt.",
    "Le gouvernement a présenté mercredi son projet de budget pour l'année prochaine.",
    "قدم رئيس البلدية يوم الأربعاء ميزانية المدينة للعام المقبل.",
    "Мэр в среду представил новый городской бюджет на следующий год.",
])
def test_one_sentence_is_enough(text: str) -> None:
    assert non_english(text) is not None


@pytest.mark.parametrize("text", [
    "Is Jakarta airport safe?", "Kuala Lumpur police said", "Police in Jakarta...", "Sergio Mattarella",
    "Abu Bakar Baasyir", "Source: Rossi P, Bianchi L, et al",
])
def test_short_english_is_not_flagged_on_weak_evidence(text: str) -> None:
    reliable, _, details = pycld2.detect(text, isPlainText=True)
    assert reliable and details[0][1] != "en"  # CLD2 alone calls it another language, "reliably"
    assert non_english(text) is None


def test_unreadable_characters_do_not_break_detection() -> None:
    german = (LANGS / "de.txt").read_text(encoding="utf-8")
    # CLD2 raises on controls, surrogates and noncharacters (a dev article holds a stray "\x97")
    messy = german.replace(" die ", " die\x97\x00\ud800\uffff ")
    assert non_english(messy).code == "de"
    assert non_english("") is None and non_english("\x97 \ud800") is None


def test_real_english_is_never_flagged(shared: Path) -> None:
    """Every Multi-News dev article (as briefed and raw), each paragraph, and
    its first 8 and 12 words: no false flag."""
    clusters = [c for c in iter_clusters(shared / "multinews" / "dev.jsonl") if isinstance(c, newsbrief.Cluster)]
    raw = [a.raw for c in clusters for a in c.articles]
    assert len(raw) >= 200
    errors: list = []
    kept = [a for c in clusters for a in prepare(c.articles, errors, english=True)]
    assert len(kept) >= 250 and not [e for e in errors if "English" in e.reason]
    paragraphs = [p for d in raw for p in d.split("\n") if p.strip()]
    prefixes = [" ".join(d.split()[:n]) for d in raw for n in (8, 12)]
    assert [t for t in raw + paragraphs + prefixes if non_english(t)] == []


def test_mixed_story_briefs_the_english_articles(examples: Path) -> None:
    de, zh = LANGS / "de.txt", LANGS / "zh.txt"
    b = newsbrief.brief(examples, de, zh, analysis=True)
    assert len(b.sources) == 3 and not any("languages" in (s.path or "") for s in b.sources)
    reasons = {e.source: e.reason for e in b.errors}
    assert "written in German (de), not English" in reasons[str(de)]
    assert "written in Chinese (zh), not English" in reasons[str(zh)]  # not "no article text left"
    german = de.read_text(encoding="utf-8")
    assert not any(s.text in german for s in b.summary)
    a = b.analysis
    names = {e.name for e in a.entities}
    assert names and not names & {"Dienstag", "Donnerstag", "Hauptbahnhof", "Anna Keller", "Bürgermeisterin"}
    assert not any("Pendler" in q.text for q in a.quotes)
    assert all(c.source in {s.id for s in b.sources} for x in a.agreements for c in x.citations)
    assert all(c.source in {s.id for s in b.sources} for x in a.timeline for c in x.citations)


def test_only_foreign_articles_is_no_usable_article() -> None:
    with pytest.raises(NoArticlesError) as e:
        newsbrief.analyze(LANGS / "ru.txt")
    assert "written in Russian (ru)" in e.value.errors[0].reason


def test_cli_mixed_story_one_line_per_foreign_article(examples: Path) -> None:
    r = cli("brief", examples, LANGS / "de.txt", "--no-analysis", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"newsbrief: skipped {LANGS / 'de.txt'}: written in German (de), not English: "
                                     "left out of the summary and the analysis, which read English only"]
    d = json.loads(r.stdout)
    assert len(d["sources"]) == 3 and [e["source"] for e in d["errors"]] == [str(LANGS / "de.txt")]
    for fmt in ("md", "text"):  # the other renderings list it too
        assert "written in German (de)" in render(newsbrief.Briefing.from_dict(d), fmt, width=300)


def test_cli_only_foreign_articles_exits_1() -> None:
    r = cli("brief", LANGS / "ar.txt", LANGS / "zh.txt", "--no-analysis")
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 3 and "Traceback" not in r.stderr
    assert "ar.txt: written in Arabic (ar), not English" in lines[0]
    assert "zh.txt: written in Chinese (zh), not English" in lines[1]
    assert lines[2] == "newsbrief: error: no usable article"


def test_cli_stored_story_in_german(tmp_path: Path) -> None:
    """A stored story of only non-English articles: one line and exit 1, no traceback."""
    db = tmp_path / "news.db"
    assert cli("ingest", LANGS / "de.txt", "--db", db).returncode == 0
    r = cli("brief", "--story", "1", "--db", db, "--no-analysis")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.splitlines() == [f"newsbrief: skipped {LANGS / 'de.txt'}: written in German (de), not English: "
                                     "left out of the summary and the analysis, which read English only",
                                     "newsbrief: error: no usable article"]


def test_api_reports_foreign_articles() -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsbrief.server import Settings, create_app

    client = TestClient(create_app(Settings(warm_up=False)), raise_server_exceptions=False)
    english = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "cluster").glob("*.txt"))]
    german = (LANGS / "de.txt").read_text(encoding="utf-8")
    r = client.post("/api/briefings", json={"articles": [{"text": t} for t in [*english, german]], "analysis": False})
    assert r.status_code == 200, r.text
    d = r.json()
    assert len(d["sources"]) == len(english) and "written in German (de)" in d["errors"][0]["reason"]
    r = client.post("/api/briefings", json={"articles": [{"text": german}], "analysis": False})
    assert r.status_code == 422 and "written in German (de)" in r.json()["detail"]


def test_ingest_names_the_language_of_an_article_it_cannot_read(tmp_path):
    """Before: a Chinese article given to ingest was 'no article text left after cleaning'."""
    import newsbrief

    zh = (Path(__file__).parent / "fixtures" / "languages" / "zh.txt").read_text(encoding="utf-8")
    p = tmp_path / "zh.txt"
    p.write_text(zh, encoding="utf-8")
    report = newsbrief.ingest(p, db=tmp_path / "s.db")
    reasons = [str(e) for e in report.errors]
    assert any("written in Chinese" in r for r in reasons), reasons
