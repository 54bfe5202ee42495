"""newsbrief.analyze end to end on the running example: the issue's
acceptance list, through the public API."""

from __future__ import annotations

import newsbrief
from newsbrief.analysis import name_resolver
from newsbrief.model import Entity


def test_kislyak_analysis(kislyak):
    a = newsbrief.analyze(kislyak)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in kislyak}
    people = {e.name: e for e in a.entities if e.type == "PERSON"}
    for surname in ("Kislyak", "Flynn", "Sessions", "McFaul", "Pifer", "Trump"):
        found = [e for e in people.values() if e.name.split()[-1] == surname]
        assert len(found) == 1, (surname, [e.name for e in found])
        outlets = {stem for stem, t in texts.items() if surname in t}
        assert set(found[0].sources) == outlets, surname
    kinds = {(c.kind, tuple(c.values)) for c in a.contradictions}
    assert any("physicist" in " ".join(v) and "engineer" in " ".join(v) for _, v in kinds)
    assert not any("1981" in " ".join(v) for _, v in kinds)  # a posting 1981-85, then the embassy: no conflict
    agreed = " ".join(g.text for g in a.agreements).lower()
    for phrase in ("flynn", "sessions", "2008", "spy"):
        assert phrase in agreed, phrase
    by_speaker = {q.text[:30]: q.speaker for q in a.quotes}
    assert any(s and "Courtney" in s for t, s in by_speaker.items() if t.startswith("I think that"))
    kislyak_id = next(e.id for e in people.values() if e.name.endswith("Kislyak"))
    assert any(q.speaker_id == kislyak_id for q in a.quotes)
    assert any({r.source_name.split()[-1], r.target_name.split()[-1]} == {"Sessions", "Kislyak"} and r.kind == "met"
               for r in a.relations)


def test_name_resolver_prefers_exact_names_and_unique_surnames():
    es = [Entity("e1", "Michael Flynn", "PERSON", aliases=["Flynn"]), Entity("e2", "Jeff Sessions", "PERSON"),
          Entity("e3", "Mary Smith", "PERSON"), Entity("e4", "John Smith", "PERSON")]
    r = name_resolver(es)
    assert r("Flynn") == ("e1", "Michael Flynn")
    assert r("Attorney Sessions") == ("e2", "Jeff Sessions")
    assert r("Smith") is None  # two Smiths: ambiguous, not guessed
    assert r("John Smith") == ("e4", "John Smith")
    assert r("Nobody") is None


def test_a_contradicted_pair_is_not_also_an_agreement():
    from newsbrief.analysis import _not_contradicted
    from newsbrief.model import Agreement, Citation, Contradiction

    a, b, c = (Citation("x", 1, 0, 5, "one"), Citation("y", 2, 0, 5, "two"), Citation("z", 0, 0, 5, "three"))
    agreements = [Agreement("one", ["x", "y"], [a, b]), Agreement("three", ["x", "z"], [a, c])]
    kept = _not_contradicted(agreements, [Contradiction("number", "cost", ["$1", "$2"], [a, b])])
    assert [g.text for g in kept] == ["three"]
