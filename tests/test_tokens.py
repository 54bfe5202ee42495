"""Words, stop words and stems: the loaders that avoid importing nltk and
scikit-learn whole, and the shipped stem table, give what those libraries give."""

from __future__ import annotations

import gzip

import pytest

from newsbrief.text import tokens


def test_porter_loaded_from_its_file_is_nltks():
    from nltk.stem.porter import PorterStemmer

    ref = PorterStemmer()
    sample = ["running", "generalization", "agreed", "happiness", "relational", "cats", "ponies", "sky",
              "hopefully", "conditional", "electricity", "adjustable", "ambassador", "investigations"]
    assert [tokens.porter_stem(w) for w in sample] == [ref.stem(w) for w in sample]


def test_stop_words_are_scikit_learns_plus_news_words():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert tokens.ENGLISH_STOP_WORDS == frozenset(ENGLISH_STOP_WORDS)
    assert tokens.STOP_WORDS >= ENGLISH_STOP_WORDS | {"said", "says"}


def test_shipped_stem_table_matches_the_stemmer_word_for_word():
    table = tokens._load_stem_table()
    assert len(table) > 50_000, "the shipped table was not read (missing, damaged, or built with another nltk?)"
    wrong = [(w, s) for w, s in table.items() if tokens.porter_stem(w) != s]
    assert not wrong, f"{len(wrong)} stale entries, e.g. {wrong[:3]}: rebuild with scripts/build_stems.py"
    assert not any(w in tokens.STOP_WORDS or len(w) < 2 for w in table)


def _write(path, text: str) -> None:
    path.write_bytes(gzip.compress(text.encode()))


def test_stem_table_from_another_nltk_or_damaged_is_ignored(tmp_path):
    ok = tmp_path / "ok.txt.gz"
    _write(ok, f"{tokens.porter_digest()}\nrunning cats\nrun cat\n")
    assert tokens._load_stem_table(ok) == {"running": "run", "cats": "cat"}
    other = tmp_path / "other.txt.gz"
    _write(other, f"{'0' * 64}\nrunning cats\nrun cat\n")
    assert tokens._load_stem_table(other) == {}
    uneven = tmp_path / "uneven.txt.gz"
    _write(uneven, f"{tokens.porter_digest()}\nrunning cats\nrun\n")
    assert tokens._load_stem_table(uneven) == {}
    for name, data in (("short.txt.gz", gzip.compress(b"only a line")), ("notgz.txt.gz", b"plain bytes"),
                       ("cut.txt.gz", gzip.compress(b"x" * 1000)[:20]), ("latin.txt.gz", gzip.compress(b"\xff\xfe"))):
        (tmp_path / name).write_bytes(data)
        assert tokens._load_stem_table(tmp_path / name) == {}, name
    assert tokens._load_stem_table(tmp_path / "missing.txt.gz") == {}


def test_stem_of_a_word_outside_the_table_is_computed_and_kept(monkeypatch):
    word = "zorblification"  # no news text uses it
    assert word not in tokens._load_stem_table()
    monkeypatch.delitem(tokens._stems, word, raising=False)
    assert tokens.stem(word) == tokens.porter_stem(word) == "zorblif"
    assert tokens._stems[word] == "zorblif"
    monkeypatch.setattr(tokens, "STEMS_MAX", 0)  # full: stemmed each time, not kept
    assert tokens.stem("quuxations") == tokens.porter_stem("quuxations")
    assert "quuxations" not in tokens._stems


@pytest.mark.parametrize("text", ["The ambassador's meetings were investigated, officials said.",
                                  "Élections: 2016 results\nagreed"])
def test_content_words_are_stems_of_non_stop_words(text):
    got = tokens.content_words(text)
    want = [tokens.porter_stem(w) for w in tokens.words(text) if w not in tokens.STOP_WORDS and len(w) > 1]
    assert got == want and got
