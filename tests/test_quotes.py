"""Direct quotes: marks, split and multi-paragraph quotes, attribution, via,
merging across sources and exact offsets; then the real Kislyak articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.analysis.quotes import extract_quotes, is_partial, normalize
from newsbrief.model import Article, Quote
from newsbrief.pipeline import load, prepare

FIX = Path(__file__).parent / "fixtures" / "quotes"


def _prep(*texts: str) -> list[Article]:
    return prepare(Article(id=f"s{i}", raw=t, outlet=f"Outlet{i}") for i, t in enumerate(texts))


def _find(quotes: list[Quote], start: str) -> Quote:
    hits = [q for q in quotes if normalize(q.text).startswith(normalize(start))]
    assert hits, f"no quote starting {start!r} in {[q.text for q in quotes]}"
    return hits[0]


@pytest.fixture(scope="module")
def fixture_quotes() -> tuple[list[Article], list[Quote]]:
    arts = prepare(load(FIX / "basic.txt", FIX / "other.txt").articles)
    return arts, extract_quotes(arts)


def test_curly_and_straight_marks() -> None:
    qs = extract_quotes(_prep('“Curly quotes work here,” Ann Lee said.\n"Straight ones work as well," Bo Chan said.'))
    assert [q.speaker for q in qs] == ["Ann Lee", "Bo Chan"]
    assert qs[0].text == "Curly quotes work here"


def test_split_quote_is_one(fixture_quotes) -> None:
    _, qs = fixture_quotes
    q = _find(qs, "The first part matters")
    assert q.text == "The first part matters … but the second part matters more."
    assert q.speaker == "Tom Reyes" and len(q.spans) == 2


def test_multi_sentence_and_multi_paragraph(fixture_quotes) -> None:
    arts, qs = fixture_quotes
    q = _find(qs, "The river has flooded twice")
    assert "We have plans for that" in q.text and q.speaker == "Priya Das"
    paras = {arts[0].text.count("\n", 0, m.start) for m in q.spans}
    assert len(paras) == 2


def test_partial_quotes_and_scare_quotes(fixture_quotes) -> None:
    _, qs = fixture_quotes
    assert is_partial(_find(qs, "a boondoggle")) and not is_partial(_find(qs, "Nobody asked"))
    assert _find(qs, "waste of public money").speaker == "Linda Moss"  # according to
    assert not [q for q in qs if normalize(q.text) == "landmark"]  # unattributed, one word: dropped


def test_told_cnn_is_via_and_titles_stripped(fixture_quotes) -> None:
    _, qs = fixture_quotes
    q = _find(qs, "Nobody asked the people")
    assert (q.speaker, q.via) == ("Walter Gray", "CNN")


def test_pronoun_follow_up(fixture_quotes) -> None:
    _, qs = fixture_quotes
    q = _find(qs, "We waited long enough")
    assert q.speaker == "Ellen Park" and q.text.endswith("Now we build.")


def test_merge_across_sources_with_exact_offsets(fixture_quotes) -> None:
    arts, qs = fixture_quotes
    q = _find(qs, "This bridge will carry")
    assert [c.source for c in q.citations] == [a.id for a in arts]
    by_id = {a.id: a for a in arts}
    for m in q.spans:
        assert by_id[m.source].text[m.start:m.end] == m.text
        assert normalize(m.text) == normalize(q.text)
    for c in q.citations:
        assert by_id[c.source].text[c.start:c.end] == c.text


def test_offsets_everywhere(fixture_quotes) -> None:
    arts, qs = fixture_quotes
    by_id = {a.id: a for a in arts}
    for q in qs:
        for m in q.spans:
            a = by_id[m.source]
            assert a.text[m.start:m.end] == m.text
            s = a.sentences[m.sentence]
            assert s.start <= m.start < s.end


def test_resolve_maps_speaker() -> None:
    qs = extract_quotes(_prep('"We will win this," Sen. Ann Lee said.'), resolve=lambda n: ("e1", "Ann B. Lee"))
    assert (qs[0].speaker, qs[0].speaker_id) == ("Ann B. Lee", "e1")


def test_precision_first_no_wild_guess() -> None:
    qs = extract_quotes(_prep('The sign read "no entry for anyone at all after dark" in red letters.'))
    assert qs and qs[0].speaker is None


# --- the real articles (need ../shared/data) ------------------------------------


@pytest.fixture(scope="module")
def kq(kislyak: list[Path]) -> list[Quote]:
    return extract_quotes(prepare(load(*kislyak).articles))


@pytest.mark.parametrize("start,speaker,via", [
    ("The difference between your exceptionalism and ours", "Kislyak", None),
    ("I think that's very much an overstatement", "William Courtney", None),
    ("You're never confused about what country", "Michael McFaul", "CNN"),
    ("That strikes me as pretty odd", "Steven Pifer", "the Guardian"),
    ("total disinformation", "Maria Zakharova", None),
    ("People were now scared out of meeting", "Mark Galeotti", None),
    ("active, informed and smart", "Evelyn Farkas", None),
])
def test_kislyak(kq: list[Quote], start: str, speaker: str, via: str | None) -> None:
    q = _find(kq, start)
    assert q.speaker is not None and q.speaker.split()[-1] == speaker.split()[-1]
    if via:
        assert q.via == via


def test_kislyak_partial_and_merged(kq: list[Quote]) -> None:
    assert is_partial(_find(kq, "total disinformation"))
    assert len(_find(kq, "We are living through the worst time").citations) == 2
