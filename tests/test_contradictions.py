"""Contradictions: conflicting values are surfaced, different things are not."""

from __future__ import annotations

from pathlib import Path

import newsbrief
from newsbrief.analysis.contradictions import find_contradictions, values
from newsbrief.model import Article


def _arts(*texts: str) -> list[Article]:
    return newsbrief.prepare([Article(id=f"s{i}", raw=t) for i, t in enumerate(texts)])


def test_repair_cost() -> None:
    arts = _arts(
        "The city will spend $12.4 million on repairs to the Elm Street bridge, officials said on Monday.",
        "Officials said on Monday the city will spend $16 million on repairs to the Elm Street bridge.",
    )
    got = find_contradictions(arts)
    assert len(got) == 1
    c = got[0]
    assert c.kind == "number" and c.values == ["$12.4 million", "$16 million"]
    assert [x.source for x in c.citations] == ["s0", "s1"]
    for x, a in zip(c.citations, arts):
        assert a.text[x.start:x.end] == x.text


def test_rounding_is_not_a_conflict() -> None:
    arts = _arts("The city will spend $12.4 million on repairs to the Elm Street bridge, officials said.",
                 "Officials said the city will spend about $12 million on repairs to the Elm Street bridge.")
    assert find_contradictions(arts) == []


def test_different_things_not_flagged() -> None:
    arts = _arts(
        "More than 6,500 Palestinians have been wounded in the Israeli strikes since the fighting began.",
        "At least 116 Palestinians were killed in the Israeli strikes on Wednesday, health officials said.",
    )
    assert find_contradictions(arts) == []


def test_ages_of_different_people_not_flagged() -> None:
    arts = _arts("John Huggins, 17, of Fairmont, is charged with arson at the church.",
                 "Shellia Huggins, 19, of Fairmont, was charged with arson at the church.")
    assert find_contradictions(arts) == []


def test_age_of_same_person() -> None:
    arts = _arts("The 66-year-old Kislyak has been ambassador in Washington since 2008.",
                 "The 67-year-old Kislyak has been the ambassador in Washington since 2008.")
    got = find_contradictions(arts)
    assert [c.kind for c in got] == ["age"] and got[0].values == ["66-year-old Kislyak", "67-year-old Kislyak"]


def test_values() -> None:
    got = {(v.kind, v.value, v.head) for v in values("Repairs cost $12.4 million in repairs and 30% of funds on Nov. 8, 2016.")}
    assert ("money", 12.4e6, "repair") in got and ("percent", 30.0, "fund") in got
    assert not any(v.value in (8.0, 2016.0) for v in values("on Nov. 8, 2016"))


def test_kislyak(kislyak: list[Path]) -> None:
    got = find_contradictions(newsbrief.prepare(newsbrief.load(kislyak).articles))
    desc = [c for c in got if c.kind == "description"]
    assert desc and any("physicist" in v for v in desc[0].values) and any("engineer" in v for v in desc[0].values)
    first = [c for c in got if c.kind == "date"]
    assert first and "1981" in first[0].values[0] and "1985" in first[0].values[1]
    assert "Kislyak" in first[0].subject
    assert len({c.source for c in first[0].citations}) == 2
    assert len(got) <= 3  # precision: nothing else flagged
