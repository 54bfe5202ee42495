"""Time and memory stay linear in the input: long runs are cut into
sentences, long articles and long stories are read up to a bound, and what
is not read is recorded, never cut silently (issue 17)."""

from __future__ import annotations

import newsbrief
from newsbrief.model import Article
from newsbrief.text.limits import MAX_ARTICLE_CHARS, MAX_STORY_SENTENCES, cap_sentences, sentence_quota
from newsbrief.text.segment import MAX_SENTENCE_CHARS, MAX_SENTENCE_WORDS, split_sentences

_WORDS = ("harbour council budget river bridge school vote storm power road market clinic ferry tunnel "
          "library stadium museum airport").split()


def _distinct_sentences(n: int) -> str:
    """``n`` different sentences, ten a paragraph."""
    out = []
    for i in range(n):
        a, b, c = _WORDS[i % 18], _WORDS[(i // 18) % 18], _WORDS[(i // 324) % 18]
        out.append(f"Officials said the {a} plan number {i} would change the {b} and the {c} by year {1900 + i % 100}.")
    return "\n".join(" ".join(out[k:k + 10]) for k in range(0, n, 10))


def test_a_run_without_punctuation_is_cut_within_the_bounds():
    text = " ".join(f"word{i}" for i in range(5000))
    spans = split_sentences(text)
    assert len(spans) >= 5000 // MAX_SENTENCE_WORDS
    assert all(len(text[s:e].split()) <= MAX_SENTENCE_WORDS for s, e in spans)
    assert " ".join(text[s:e] for s, e in spans) == text  # nothing lost, offsets exact


def test_a_run_is_cut_at_a_clause_break_when_there_is_one():
    text = ", ".join(["the river rose over the old stone wall"] * 60) + "."
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(text[s:e].endswith((",", ".")) for s, e in spans)


def test_a_run_without_spaces_is_cut_by_characters():
    text = "字" * (3 * MAX_SENTENCE_CHARS + 7)
    spans = split_sentences(text)
    assert [e - s for s, e in spans] == [MAX_SENTENCE_CHARS] * 3 + [7]


def test_an_unpunctuated_blob_gives_a_summary_within_the_budget(tmp_path):
    """Before: one 905k-word "sentence" was the summary of a 255-word budget."""
    p = tmp_path / "blob.txt"
    p.write_text(" ".join(f"the council met again on item {i} and talked" for i in range(3000)), encoding="utf-8")
    b = newsbrief.brief(p, words=255)
    assert 0 < b.words <= 255 + MAX_SENTENCE_WORDS


def test_sentence_quota_shares_the_story_among_its_articles():
    def ends(n: int, length: int = 10) -> list[int]:
        return [length * (i + 1) for i in range(n)]

    assert sentence_quota([ends(10), ends(20)], total=100) is None
    k = sentence_quota([ends(10), ends(500), ends(900)], total=310)
    assert k == 150 and 10 + 150 + 150 == 310
    assert sentence_quota([ends(5)] * 1000, total=100) == 1  # every article keeps its first sentence
    # Long sentences: the character bound binds first.
    assert sentence_quota([ends(100, 1000), ends(10, 1000)], total=1000, chars=50_000) == 40


def test_a_long_story_is_read_up_to_the_bound_and_says_what_was_not_read(tmp_path):
    n = MAX_STORY_SENTENCES + 400
    (tmp_path / "long.txt").write_text(_distinct_sentences(n), encoding="utf-8")
    (tmp_path / "short.txt").write_text(_distinct_sentences(30), encoding="utf-8")
    b = newsbrief.brief(tmp_path, words=100)
    sizes = {a.path.rsplit("/", 1)[-1]: len(a.sentences) for a in b.sources}
    assert sizes["short.txt"] == 30  # a short article keeps everything
    assert sum(sizes.values()) == MAX_STORY_SENTENCES
    long = next(a for a in b.sources if a.path.endswith("long.txt"))
    assert long.text.endswith(long.sentences[-1].text)  # a prefix: every offset stays valid
    notes = [d for d in long.dropped if d.reason.startswith("not read")]
    assert len(notes) == 1 and "430 more sentences" in notes[0].reason, notes
    assert all(s.text == a.text[s.start:s.end] for a in b.sources for s in a.sentences)


def test_an_article_past_the_character_bound_is_read_in_part(tmp_path):
    para = "The harbour council met again and the vote was put off until the spring session.\n"
    text = para * (MAX_ARTICLE_CHARS // len(para) + 50)
    p = tmp_path / "huge.txt"
    p.write_text(text, encoding="utf-8")
    a = newsbrief.prepare([newsbrief.article(text, id="huge")])[0]
    assert len(a.raw) <= MAX_ARTICLE_CHARS
    assert any(d.reason.startswith("not read: the article goes on for") for d in a.dropped)


def test_cap_sentences_leaves_a_story_within_the_bound_untouched():
    arts = newsbrief.prepare([newsbrief.article(_distinct_sentences(40), id="a")])
    assert cap_sentences(arts, total=1000) is arts
    cut = cap_sentences(arts, total=25)
    assert len(cut[0].sentences) == 25 and cut[0].dropped[-1].reason.startswith("not read")
    assert isinstance(cut[0], Article)


def test_no_sentence_reaches_the_parser_over_its_limit():
    """Before: one unpunctuated 1M-character run was one sentence, and spaCy
    refused it (E088) in the middle of the analysis."""
    from newsbrief.analysis.nlp import load_nlp

    text = " ".join(["the ferry crossing stayed closed while the council argued"] * 20_000)  # 1.2M characters
    a = newsbrief.prepare([newsbrief.article(text, id="run")])[0]
    assert max(len(s.text) for s in a.sentences) <= MAX_SENTENCE_CHARS < load_nlp().max_length


def test_an_oversized_jsonl_row_is_reported_and_skipped_without_parsing(tmp_path):
    """Before: a JSONL row had no size limit (a 100 MB line ran for more than ten minutes)."""
    import json

    from newsbrief.sources import MAX_ROW_BYTES, iter_cluster_rows

    p = tmp_path / "rows.jsonl"
    big = json.dumps({"id": "big", "documents": ["word " * (MAX_ROW_BYTES // 5 + 10)]})
    good = json.dumps({"id": "good", "documents": [_distinct_sentences(12), _distinct_sentences(15)]})
    p.write_text(big + "\n" + good + "\n", encoding="utf-8")
    rows = list(iter_cluster_rows(p))
    assert [type(r).__name__ for r in rows] == ["LoadError", "ClusterRow"]
    assert rows[0].source.endswith(":1") and rows[0].reason.startswith("row too large (")
    assert rows[1].id == "good" and rows[1].line == 2


def test_a_lone_surrogate_in_a_jsonl_row_becomes_a_replacement_character(tmp_path):
    """Before: a JSON escape "\\ud800" in a row crashed brief and ingest with
    a traceback, and batch could never finish the file."""
    import json
    import subprocess
    import sys

    p = tmp_path / "rows.jsonl"
    row = {"id": "s\ud800", "title": "Bridge \ud800 vote", "outlet": "Gazette \udfff",
           "documents": [_distinct_sentences(12) + " A lone \ud800 mark.", _distinct_sentences(14)]}
    p.write_text(json.dumps(row) + "\n", encoding="ascii")  # json.dumps escapes the surrogates
    b = newsbrief.brief(p)
    assert "A lone \ufffd mark." in b.sources[0].text
    out = tmp_path / "out.jsonl"
    r = subprocess.run([sys.executable, "-m", "newsbrief", "batch", str(p), str(out), "--workers", "1"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["id"] == "s\ufffd"
