"""Contradictions: conflicting values are surfaced, different things are not."""

from __future__ import annotations

from pathlib import Path

import newsbrief
from newsbrief.analysis.contradictions import find_contradictions
from newsbrief.analysis.story import Story
from newsbrief.analysis.values import values
from newsbrief.model import Article


def _arts(*texts: str) -> list[Article]:
    return newsbrief.prepare([Article(id=f"s{i}", raw=t) for i, t in enumerate(texts)])


def test_repair_cost() -> None:
    arts = _arts(
        "The city will spend $12.4 million on repairs to the Elm Street bridge, officials said on Monday.",
        "Officials said on Monday the city will spend $16 million on repairs to the Elm Street bridge.",
    )
    got = find_contradictions(Story.of(arts))
    assert len(got) == 1
    c = got[0]
    assert c.kind == "number" and c.values == ["$12.4 million", "$16 million"]
    assert [x.source for x in c.citations] == ["s0", "s1"]
    for x, a in zip(c.citations, arts):
        assert a.text[x.start:x.end] == x.text


def test_rounding_is_not_a_conflict() -> None:
    arts = _arts("The city will spend $12.4 million on repairs to the Elm Street bridge, officials said.",
                 "Officials said the city will spend about $12 million on repairs to the Elm Street bridge.")
    assert find_contradictions(Story.of(arts)) == []


def test_different_things_not_flagged() -> None:
    arts = _arts(
        "More than 6,500 Palestinians have been wounded in the Israeli strikes since the fighting began.",
        "At least 116 Palestinians were killed in the Israeli strikes on Wednesday, health officials said.",
    )
    assert find_contradictions(Story.of(arts)) == []


def test_ages_of_different_people_not_flagged() -> None:
    arts = _arts("John Huggins, 17, of Fairmont, is charged with arson at the church.",
                 "Shellia Huggins, 19, of Fairmont, was charged with arson at the church.")
    assert find_contradictions(Story.of(arts)) == []


def test_age_of_same_person() -> None:
    arts = _arts("The 66-year-old Kislyak has been ambassador in Washington since 2008.",
                 "The 67-year-old Kislyak has been the ambassador in Washington since 2008.")
    got = find_contradictions(Story.of(arts))
    assert [c.kind for c in got] == ["age"] and got[0].values == ["66-year-old Kislyak", "67-year-old Kislyak"]


def test_values() -> None:
    got = {(v.kind, v.value, v.head) for v in values("Repairs cost $12.4 million in repairs and 30% of funds on Nov. 8, 2016.")}
    assert ("money", 12.4e6, "repair") in got and ("percent", 30.0, "fund") in got
    assert not any(v.value in (8.0, 2016.0) for v in values("on Nov. 8, 2016"))


def test_kislyak(kislyak: list[Path]) -> None:
    got = find_contradictions(Story.of(newsbrief.prepare(newsbrief.load(kislyak).articles)))
    desc = [c for c in got if c.kind == "description"]
    assert desc and any("physicist" in v for v in desc[0].values) and any("engineer" in v for v in desc[0].values)
    # A UN posting 1981-85, then the embassy until 1989, does not contradict
    # "the embassy, 1985 to 1989": a sequence is not a conflict.
    assert not any("1981" in " ".join(c.values) for c in got)
    assert len(got) == 1  # precision: nothing else flagged


def test_toll_aligned_by_the_victim_noun() -> None:
    arts = _arts(
        "A gunman opened fire on a Maserati on the Strip, leaving three people dead and at least six injured.",
        "Three people were killed, at least three were injured and the city was in the midst of a manhunt.",
        "Two people were critically wounded in a shooting at a parking garage on Feb. 6.",
    )
    got = find_contradictions(Story.of(arts))
    assert [(c.kind, c.subject, c.values) for c in got] == [
        ("number", "people injured", ["at least six injured", "at least three were injured"])]


def test_noun_before_the_amount() -> None:
    arts = _arts("Wilbur Ross was picked as commerce secretary. Now Forbes listed Ross with a net worth of $1.7 billion.",
                 "Mr Ross, an investor, has a net worth of about $2.5bn. He made his name restructuring steel firms.")
    got = find_contradictions(Story.of(arts))
    assert [c.values for c in got] == [["$1.7 billion", "about $2.5bn"]]


def test_verb_before_the_amount_is_no_head() -> None:
    arts = _arts("Jordan Scott, 19, was charged with arson. His bond was set at $200,000.",
                 "Austin Hunt, 23, was charged with arson. His bond was set at $100,000.")
    assert find_contradictions(Story.of(arts)) == []


def test_age_of_a_child_in_words() -> None:
    arts = _arts("Ugandan authorities are hunting for a leopard in Queen Elizabeth National park after it snatched and "
                 "ate a ranger's three-year-old son. Rangers are searching the lodge.",
                 "A 2-year-old toddler was attacked and killed by a leopard on Friday at the Mweya Safari Lodge in "
                 "Uganda's Queen Elizabeth National Park. The mother was nearby.")
    got = find_contradictions(Story.of(arts))
    assert [(c.kind, c.values) for c in got] == [("age", ["three-year-old son", "2-year-old toddler"])]


def test_age_across_the_cluster_needs_an_unambiguous_person() -> None:
    same = _arts("The 72-year-old Durst agreed to the sentence. Durst is held in New Orleans. Durst will move.",
                 "Judge Engelhardt sentenced the ailing Durst, 73, to an 85-month term. Durst said nothing.")
    assert [(c.kind, c.values) for c in find_contradictions(Story.of(same))] == [("age", ["72-year-old Durst", "Durst, 73"])]
    two = _arts("John Huggins, 17, of Fairmont, is charged with arson. Police said Huggins set the fire.",
                "Shellia Huggins was also charged. Huggins, 19, is held on bond.")
    assert find_contradictions(Story.of(two)) == []
