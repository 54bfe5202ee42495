"""Agreements: paraphrases across sources are found, topic neighbours are not."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsbrief
from newsbrief.analysis.agreements import find_agreements
from newsbrief.analysis.story import Story  # noqa: E402
from newsbrief.model import Article


def _arts(*texts: str) -> list[Article]:
    return newsbrief.prepare([Article(id=f"s{i}", raw=t) for i, t in enumerate(texts)])


def test_paraphrase_found_and_cited() -> None:
    arts = _arts(
        "The city council approved a new budget for the public library on Monday. Residents were pleased.",
        "On Monday the council approved the public library's new budget, officials said. The mayor was absent.",
    )
    got = find_agreements(Story.of(arts))
    assert len(got) == 1
    ag = got[0]
    assert ag.sources == ["s0", "s1"]
    for c, a in zip(ag.citations, arts):
        assert a.text[c.start:c.end] == c.text
    assert "library" in ag.text


def test_same_topic_is_not_agreement() -> None:
    arts = _arts(
        "The city council approved a new budget for the public library on Monday.",
        "Critics of the council said the library has too few books for children.",
    )
    assert find_agreements(Story.of(arts)) == []


def test_one_sentence_per_source() -> None:
    arts = _arts("The council approved the library budget on Monday. The council approved the library budget Monday.",
                 "On Monday the council approved the library budget.")
    for ag in find_agreements(Story.of(arts)):
        assert len({c.source for c in ag.citations}) == len(ag.citations)


@pytest.fixture(scope="module")
def kislyak_agreements(kislyak: list[Path]):
    arts = newsbrief.prepare(newsbrief.load(kislyak).articles)
    return find_agreements(Story.of(arts))


@pytest.mark.parametrize("needles", [
    ("Flynn", "forced out", "fired"),
    ("Sessions", "disclose", "meetings"),
    ("2008",),
    ("spy",),
])
def test_kislyak(kislyak_agreements, needles: tuple[str, ...]) -> None:
    def hit(ag) -> bool:
        joined = " ".join(c.text for c in ag.citations)
        return needles[0] in joined and (len(needles) == 1 or any(n in joined for n in needles[1:]))
    assert any(hit(ag) and len(ag.sources) >= 2 for ag in kislyak_agreements), needles
