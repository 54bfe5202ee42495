"""Cross-source facts (issue 15): conflicting values are flagged and never
shown as agreement or support, copies count once, captions are never facts,
and the fact table says what each source reports."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsbrief
from newsbrief.analysis import analyze
from newsbrief.analysis.agreements import find_agreements
from newsbrief.analysis.independence import independent_sources
from newsbrief.analysis.story import Story
from newsbrief.analysis.values import compare, values
from newsbrief.model import Article

DISAGREE = Path(__file__).parent / "fixtures" / "disagree"  # three short articles written to disagree


def _arts(*texts: str, outlets: tuple[str | None, ...] = ()) -> list[Article]:
    outs = list(outlets) + [None] * (len(texts) - len(outlets))
    return newsbrief.prepare([Article(id=f"s{i}", raw=t, outlet=o) for i, (t, o) in enumerate(zip(texts, outs))])


@pytest.fixture(scope="module")
def disagreeing():
    return newsbrief.brief(DISAGREE, analysis=True)


def test_every_conflict_is_flagged_with_its_values(disagreeing) -> None:
    got = {frozenset(c.values) for c in disagreeing.analysis.contradictions}
    assert frozenset({"killed five", "Seven people died"}) in got
    assert frozenset({"$2 million", "$3 million", "$2.5 million"}) in got
    assert frozenset({"May", "June"}) in got
    for c in disagreeing.analysis.contradictions:
        assert len({x.source for x in c.citations}) == len(c.values) >= 2
        for x in c.citations:  # each value is cited where it is written
            assert c.values[[y.source for y in c.citations].index(x.source)] in x.text


def _conflicting_pairs(b) -> set[frozenset]:
    return {frozenset((x.source, x.sentence) for x in c.citations) for c in b.analysis.contradictions}


def test_conflicting_sentences_never_agree_or_support(disagreeing) -> None:
    conflicts = _conflicting_pairs(disagreeing)
    for a in disagreeing.analysis.agreements:
        cited = {(x.source, x.sentence) for x in a.citations}
        assert not any(len(cited & c) >= 2 for c in conflicts)
    for s in disagreeing.summary:
        pair = {(s.citations[0].source, s.citations[0].sentence)} | {(x.source, x.sentence) for x in s.support}
        assert not any(len(pair & c) >= 2 for c in conflicts), s.text


def test_a_summary_sentence_shows_who_disputes_it(disagreeing) -> None:
    toll = next(s for s in disagreeing.summary if "killed five" in s.text or "Seven people died" in s.text)
    assert [x.source for x in toll.disputed] == ["valley-post" if "five" in toll.text else "harbor-gazette"]
    assert all(not s.disputed for s in disagreeing.summary if "vigil" in s.text)
    from newsbrief.render.markdown import to_markdown

    assert "disputed by" in to_markdown(disagreeing)


def test_the_fact_table_shows_who_says_what(disagreeing) -> None:
    facts = disagreeing.analysis.facts
    money = next(f for f in facts if any(c.value == "$3 million" for c in f.cells))
    assert money.disputed
    assert sorted(c.value for c in money.cells) == ["$2 million", "$2.5 million", "$3 million"]
    assert sum(c.status == "contradicts" for c in money.cells) == 2
    toll = next(f for f in facts if any(c.value == "Seven people died" for c in f.cells))
    assert [c.status for c in toll.cells].count("absent") == 1  # the third article gives no toll
    for f in facts:
        for c in f.cells:
            assert (c.citation is None) == (c.status == "absent")


def test_compatible_values_are_not_conflicts() -> None:
    assert compare("The bridge will reopen in May, officials said.", "Officials said the bridge will reopen May 3.").status == "same"
    assert compare("More than 20 people were injured in the crash on the highway.",
                   "The crash on the highway injured 23 people.").status != "conflicting"
    assert compare("The city will spend about $12 million on the bridge repairs.",
                   "The city will spend $12.4 million on the bridge repairs.").status == "same"
    assert compare("The storm hit the coast at 8 p.m. on Friday, forecasters said.",
                   "Forecasters said the storm hit the coast at 8:40 p.m. on Friday.").status == "same"
    assert compare("The storm hit the coast at 8 p.m. on Friday, forecasters said.",
                   "Forecasters said the storm hit the coast at 10 p.m. on Friday.").status == "conflicting"
    assert not values("Between 20 and 30 people attended the meeting.")  # a range is not one value
    assert compare("The shelling of the school killed at least 17 people, officials said.",
                   "Officials said the shelling of the school killed 15 people.").status == "conflicting"
    assert compare("The shelling of the school killed at least 17 people, officials said.",
                   "Officials said the shelling of the school killed 23 people.").status == "same"


def test_a_sequence_of_postings_is_not_a_conflict() -> None:
    arts = _arts("He served at the mission to the United Nations from 1981 to 1985, then in the embassy in Washington "
                 "until 1989, officials said.",
                 "He worked at the embassy in Washington from 1985 to 1989, officials said.")
    assert analyze(arts).contradictions == []


ARTICLE = ("The county board voted 5-2 on Tuesday to close the Riverside pool for the summer, citing a $400,000 repair "
           "bill.\n\nBoard chair Ana Ortiz said the pool's pumps failed an inspection in March.\n\n"
           "Swimmers will be sent to the Lakeview pool, which will extend its hours, the board said.\n\n"
           "Parents at the meeting said the Lakeview pool is too far for children without a car.")


def test_thirty_copies_are_one_source() -> None:
    arts = _arts(*[ARTICLE] * 30)
    story = Story.of(arts)
    assert story.sources.independent(list(range(30))) == 1
    an = analyze(story)
    assert an.agreements == [] and an.contradictions == [] and an.facts == []
    b = newsbrief.brief(arts, analysis=False)
    assert all(not s.support for s in b.summary)


def test_a_wire_copy_counts_once() -> None:
    wire = ("Reopening the Riverside pool\n\n" + ARTICLE).replace("Swimmers will be sent", "Swimmers will go")
    other = ("Riverside pool to stay shut this summer. The county board voted on Tuesday to close the Riverside pool "
             "for the summer because of a $400,000 repair bill. Ortiz, the board chair, said the pumps had failed an "
             "inspection in March. Lakeview pool will open longer to take the swimmers.")
    arts = _arts(ARTICLE, wire, other)
    src = independent_sources(arts)
    assert src.group == (0, 0, 2)
    ags = find_agreements(Story.of(arts))
    assert ags and all(a.independent == 2 and len(a.sources) == 2 for a in ags)
    assert any(a.copies == ["s1"] for a in ags)


def test_one_outlet_counts_once() -> None:
    a = ("The county board voted on Tuesday to close the Riverside pool for the summer, citing a repair bill of "
         "$400,000 that the county cannot pay this year.")
    b = ("On Tuesday the county board voted to close the Riverside pool for the summer because of a $400,000 repair "
         "bill the county cannot pay this year.")
    assert find_agreements(Story.of(_arts(a, b)))  # two outlets: an agreement
    assert find_agreements(Story.of(_arts(a, b, outlets=("Gazette", "gazette")))) == []


def test_captions_and_credits_are_never_facts() -> None:
    caps = ["Photo: Firefighters spray water on the burning warehouse in Millbrook on Saturday night. (AP Photo/John Doe)",
            "Courtesy of the Millbrook Fire Department",
            "Fig. 4: The riverside warehouse in Millbrook after the fire, seen from the river on Sunday morning.",
            "Image caption Firefighters spray water on the burning warehouse in Millbrook on Saturday night"]
    a = "\n\n".join(caps + ["A fire destroyed a riverside warehouse in Millbrook on Saturday night, the county fire "
                             "marshal said, and no one was hurt."])
    b = "\n\n".join(caps[::-1] + ["No one was hurt when fire gutted the old warehouse by the river in Millbrook late "
                                   "on Saturday, according to the county fire marshal."])
    arts = _arts(a, b)
    assert independent_sources(arts).group == (0, 1)
    an = analyze(arts)
    texts = [c.text for ag in an.agreements for c in ag.citations] + \
            [c.citation.text for f in an.facts for c in f.cells if c.citation]
    assert texts, "the two accounts of the fire agree"
    assert not any(w in t for t in texts for w in ("Photo", "Courtesy", "Fig.", "caption")), texts


def test_results_do_not_depend_on_what_ran_before() -> None:
    one = _arts("Officials said on Monday the city will spend $16 million on repairs to the Elm Street bridge.",
                "The city will spend $12.4 million on repairs to the Elm Street bridge, officials said on Monday.")
    two = newsbrief.prepare(newsbrief.load(DISAGREE).articles)
    first = analyze(one).to_dict()
    analyze(two)
    assert analyze(one).to_dict() == first


def test_values_read_the_forms_news_uses() -> None:
    def got(text: str) -> set[tuple]:
        return {(v.kind, v.value, v.head) for v in values(text)}

    assert ("count", 15.0, "killed") in got("The school in Jabalia, where 15 Palestinians were killed.")
    assert ("count", 17.0, "killed") in got("Tank shells struck the school, killing at least 17 people.")
    assert ("number", 20.0, "peopl") in got("The hall was booked for 20 people.")  # "for" is not a range's "or"
    assert ("number", 86.0, "school") in got("Families sought refuge in 86 UNRWA schools.")
    assert ("number", 80.0, "school") in got("His agency has opened 80 of its schools.")
    assert ("number", 75.0, "pound") in got("She weighed about 75 lbs. when she vanished.")
    assert ("name", 0.0, "laurie") in got("Plantation Police Officer Laurie Graber was sent.")
    assert not [v for v in values("Capt. Amadou Haya Sanogo spoke.") if v.head == "amadou"]  # a middle name is no surname
    assert not [v for v in values("He got a letter from Mark Zuckerberg.") if v.kind == "date"]  # "Mar" of "Mark"


def test_one_person_named_two_ways_is_a_conflict() -> None:
    arts = _arts("Officer Laurie Graber was sent to the hospital to investigate the theft of the ring, police said.",
                 "Police said Officer Laurie Marchetti was sent to the hospital to investigate the theft of the ring.")
    got = analyze(arts).contradictions
    assert [(c.kind, sorted(c.values)) for c in got] == [("name", ["Graber", "Marchetti"])]
    spelled = _arts("Hotel queen Leona Helmsley left $12 million to her dog, the will shows.",
                    "The will shows hotel queen Leona Helmsey left $12 million to her dog.")
    assert analyze(spelled).contradictions == []  # a spelling, not a fact


def test_a_name_conflicts_when_the_role_is_one() -> None:
    """Two sentences worded differently that give one role two surnames
    disagree; one nationality or one given name alone is two people."""
    heir = _arts("A judge in New Orleans approved a plea deal for real estate heir Robert Durst on a weapons charge.",
                 "The sentence for real estate scion Robert Marchetti was seven years in prison, a court said.")
    got = analyze(heir).contradictions
    assert [(c.kind, sorted(c.values)) for c in got] == [("name", ["Durst", "Marchetti"])]
    two = _arts("Russian Foreign Minister Sergey Lavrov met the president in the Oval Office on Wednesday.",
                "Russian Ambassador Sergey Kislyak met the president in the Oval Office on Wednesday.")
    assert analyze(two).contradictions == []


def test_support_is_a_paraphrase_with_compatible_values() -> None:
    a = ("The county board voted on Tuesday to close the Riverside pool for the summer, citing a repair bill of "
         "$400,000 that the county cannot pay this year. Swimmers were told to use the Lakeview pool instead.")
    b = ("Citing a $400,000 repair bill, the county board voted Tuesday to close the Riverside pool for the summer. "
         "Parents said Lakeview is too far for children without a car.")
    c = ("Citing a $900,000 repair bill, the county board voted Tuesday to close the Riverside pool for the summer. "
         "The pool opened in 1962.")
    brief = newsbrief.brief(_arts(a, b, c), analysis=True)
    closing = [s for s in brief.summary if "Riverside pool" in s.text]
    assert closing
    for s in closing:
        texts = [x.text for x in s.support]
        assert not any(("$900,000" in t) != ("$900,000" in s.text) for t in texts), (s.text, texts)
    assert any(s.support for s in closing)
    assert any(sorted(c.values) == ["$400,000", "$900,000"] for c in brief.analysis.contradictions)


def test_an_agreement_reads_on_its_own(examples: Path) -> None:
    """Its sentence shows with the bracketed name a pronoun stands for, as in
    the summary, when the sentence leans on its article."""
    an = analyze(newsbrief.prepare(newsbrief.load(examples).articles))
    quote = next(a for a in an.agreements if "drive across that bridge" in a.text)
    assert "[Whitfield] said" in quote.text
    assert all("[" not in c.text for c in quote.citations)  # the citations stay the sources' own words


def test_a_story_with_no_statements_is_analysed() -> None:
    """Captions and credits only: nothing to align, and no error."""
    arts = _arts("Photo: Getty Images", "Courtesy of the family")
    story = Story.of(arts)
    assert story.statements == [] and story.pairs == []
    assert analyze(story).agreements == []


def test_a_sentence_about_an_unnamed_he_confirms_nothing() -> None:
    """"His bond was set at $100,000." said of different suspects in two
    lists is no agreement: whose bond is unknown."""
    a = ("Ten firefighters were arrested on Tuesday in Robeson County. Ann Lee, 18, of Orrum, is charged with arson. "
         "Her bond was set at $100,000. Tom Hunt, 19, of Fairmont, is charged with conspiracy. "
         "His bond was set at $100,000.")
    b = ("Deputies arrested ten volunteer firefighters on Tuesday. Jordan Cole, 21, of Rowland, was charged with "
         "burning a house. His bond was set at $100,000. Willie Dean, 17, was charged with larceny. "
         "His bond was set at $100,000.")
    agreements = analyze(_arts(a, b)).agreements
    assert not [g for g in agreements if "bond was set" in g.text], [g.text for g in agreements]
