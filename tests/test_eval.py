"""ROUGE as the literature computes it, and the evaluation loop."""

from __future__ import annotations

import json

import pytest

from newsbrief.eval import RougeScorer, evaluate
from newsbrief.eval.rouge import sentence_lines
from newsbrief.sources import iter_clusters

REF = "The council approved the rail line on Tuesday. It will open in 2029. Critics called it too costly."


def test_identical_text_scores_100_and_lsum_splits_sentences():
    s = RougeScorer().score(REF, REF)
    assert all(v == pytest.approx(100.0) for v in s.values())
    # Reordered sentences: ROUGE-L (one sequence) drops, ROUGE-Lsum (per sentence) does not.
    shuffled = "Critics called it too costly. It will open in 2029. The council approved the rail line on Tuesday."
    r = RougeScorer().score(shuffled, REF)
    assert r["rougeLsum"] == pytest.approx(100.0)
    assert r["rougeL"] < 80


def test_stemming_is_on():
    assert RougeScorer().score("Councils approving lines", "council approved line")["rouge1"] == pytest.approx(100.0)


def test_sentence_lines_uses_news_segmenter():
    assert sentence_lines("Sen. Smith met Gen. Jones at 5 p.m. on Monday. They talked.").split("\n") == [
        "Sen. Smith met Gen. Jones at 5 p.m. on Monday.", "They talked."]


def _write(tmp_path, rows):
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return p


def test_evaluate_scores_reports_and_skips(tmp_path):
    doc = ("The council approved the rail line on Tuesday after a long debate.\n"
           "It will open in 2029 and cost $480 million, officials said.\n"
           "Critics called it too costly for a small city.")
    p = _write(tmp_path, [
        {"id": "one", "documents": [doc, doc.replace("Tuesday", "Tuesday night")], "summary": REF},
        "{not json",
        {"id": "noref", "documents": [doc]},
    ])
    errors = []
    (lead, lex) = evaluate(iter_clusters(p), ["lead", "lexrank"], words=30, errors=errors)
    assert len(errors) == 1 and errors[0].source.endswith(":2") and "malformed JSON" in errors[0].reason
    for r in (lead, lex):
        assert r.clusters == 1
        assert r.skipped == ["noref: no reference summary"]
        assert 40 < r.mean("rouge1") <= 100
        d = r.to_dict()
        assert d["words"] == r.words[0] and d["seconds_per_cluster"] > 0
