"""The generated-sentence checker on written cases: each unsupported change
is caught and named, and a faithful rewrite of the same sentences (its
twin) passes, so the checker is not merely strict."""

from __future__ import annotations

import pytest

from newsbrief.briefing.check import Check, check_sentence, evidence
from newsbrief.model import Citation, Edit, SummarySentence

BLAST = ["The blast killed 15 people and injured 40 others in the market on Tuesday, police said."]
RECALL = ["The company announced the recall on March 3, 2021, after two fires."]
LAVROV = ['Foreign Minister Sergey Lavrov called the report "a pack of lies" on Monday.']
OBAMA = ["Former President Barack Obama criticized the plan on Tuesday."]
WARREN = ["Senator Elizabeth Warren said the bill would cost $2 billion over 10 years."]
SNOW = ["The storm dumped 15 inches of snow on Boston last week."]
FIRE = ["The Camp Fire destroyed 120 homes in Paradise.", "Gov. Jerry Brown declared a state of emergency on Thursday."]
SYRIA = ["Airstrikes killed 12 people in Aleppo on Sunday.", "Eight people died in Idlib, the monitor said."]

# (cited, generated, the word a problem must name): each must be caught
CAUGHT = [
    pytest.param(BLAST, "The blast killed 16 people and injured 40 others on Tuesday, police said.", "16", id="changed-number"),
    pytest.param(["The report said 1,520,000 people lost power."], "About 1.5 million people lost power.", "1.5 million",
                 id="rounded-number"),
    pytest.param(SYRIA, "Airstrikes killed 20 people in Aleppo and Idlib on Sunday.", "20", id="summed-number"),
    pytest.param(BLAST, "The blast killed 15 people and injured 40 others on Wednesday, police said.", "Wednesday",
                 id="changed-weekday"),
    pytest.param(RECALL, "The company announced the recall on March 4, 2021, after two fires.", "March 4, 2021",
                 id="changed-date"),
    pytest.param(RECALL, "The company announced the recall in April 2021 after two fires.", "April 2021", id="changed-month"),
    pytest.param(SNOW, "The storm dumped 15 inches of snow on Boston last month.", "last month", id="changed-relative-date"),
    pytest.param(["A spokesman for the ministry declined to comment."],
                 "Ministry spokesman John Kirby declined to comment.", "John Kirby", id="added-name"),
    pytest.param(LAVROV, 'Lavrov called the report "a bunch of lies" on Monday.', "a bunch of lies", id="paraphrased-quote"),
    pytest.param(LAVROV, "Lavrov called the report 'a pack of terrible lies' on Monday.", "a pack of terrible lies",
                 id="padded-single-quote"),
    pytest.param(OBAMA, "President Barack Obama criticized the plan on Tuesday.", "president",
                 id="office-holder-current-for-former"),
    pytest.param(LAVROV, 'Former foreign minister Sergey Lavrov called the report "a pack of lies" on Monday.', "former",
                 id="office-holder-former-for-current"),
    pytest.param(WARREN, "Governor Elizabeth Warren said the bill would cost $2 billion over 10 years.", "governor",
                 id="office-holder-different-title"),
    pytest.param(["President Trump signed the order on Friday."], "President Obama signed the order on Friday.", "Obama",
                 id="office-holder-another-person"),
    pytest.param(SNOW, "The storm dumped 15 centimeters of snow on Boston last week.", "15 centimeters", id="changed-unit"),
    pytest.param(WARREN, "Senator Elizabeth Warren said the bill would cost €2 billion over 10 years.", "€2 billion",
                 id="changed-currency"),
    pytest.param(["Sergey Kislyak met Jeff Sessions in July."], "Sergey Sessions met Kislyak in July.", "Sergey Sessions",
                 id="first-name-given-another-surname"),
    pytest.param(["Jeff Sessions met the ambassador in July."], "Jeff met the ambassador in July.", "Jeff",
                 id="first-name-alone"),
    pytest.param(BLAST, "The blast killed 15 people, police said, but did not injure anyone else on Tuesday.", "not",
                 id="added-negation"),
    pytest.param(["More than 15 people were killed in the blast."], "Fifteen people were killed in the blast.", "Fifteen",
                 id="bound-given-as-exact"),
    pytest.param(['"The cops aren\'t saying exactly what happened," Gentile said.'],
                 "The cops aren't saying exactly what happened, Gentile said.", "cops arent saying", id="quote-told-as-fact"),
    pytest.param(["They fell from the scaffolding at about 11:15 p.m., police said."],
                 "They fell from the scaffolding at 11:15 p.m., police said.", "11:15 p.m.", id="time-hedge-dropped"),
    pytest.param(['"We have taken steps to notify customers," the company said.'],
                 "We have notified customers, the company said.", "We", id="first-person-of-a-source"),
    pytest.param(["Kislyak met Sessions in July."], "I'm sorry, I cannot summarise this.", "I", id="model-speaking"),
    pytest.param(["“His love for this hobby was illustrated through his beautiful works of art,” the fraternity wrote."],
                 "The fraternity wrote: His love for this hobby was shown in his art.", "His love", id="said-colon-paraphrase"),
]

# (cited, generated): faithful rewrites of the same facts, each must pass
PASSED = [
    pytest.param(BLAST, "Police said the blast in the market on Tuesday killed 15 people and injured 40 others.",
                 id="reordered"),
    pytest.param(BLAST, "The blast killed fifteen people and injured forty others on Tuesday, police said.",
                 id="number-words-for-digits"),
    pytest.param(["Eleven people were hurt."], "11 people were hurt.", id="digits-for-number-words"),
    pytest.param(["The report said 1,520,000 people lost power."], "The report said 1.52 million people lost power.",
                 id="same-number-scaled"),
    pytest.param(RECALL, "On March 3, 2021, after two fires, the company announced the recall.", id="date-moved"),
    pytest.param(RECALL, "The company announced the recall in March after two fires.", id="date-less-precise"),
    pytest.param(["They fell from the scaffolding at about 11:15 p.m., police said."],
                 "Police said they fell from the scaffolding around 11:15 p.m.", id="time-hedge-kept"),
    pytest.param(SNOW, "Last week the storm dumped 15 inches of snow on Boston.", id="relative-date-moved"),
    pytest.param(["A spokesman for the ministry in Moscow declined to comment."],
                 "The ministry's spokesman in Moscow declined to comment.", id="no-name-added"),
    pytest.param(LAVROV, "On Monday, Lavrov called the report “a pack of lies.”", id="quote-curly-surname-alone"),
    pytest.param(LAVROV, "Lavrov called the report 'a pack of lies' on Monday.", id="quote-single"),
    pytest.param(OBAMA, "On Tuesday, former President Obama criticized the plan.", id="office-holder-kept"),
    pytest.param(LAVROV, 'Foreign Minister Lavrov called the report "a pack of lies" on Monday.', id="title-kept"),
    pytest.param(WARREN, "Sen. Elizabeth Warren said the bill would cost $2bn over 10 years.", id="title-abbreviated"),
    pytest.param(["Sergey Lavrov, Russia's foreign minister, spoke on Monday."],
                 "Russian Foreign Minister Sergey Lavrov spoke on Monday.", id="title-from-apposition"),
    pytest.param(SNOW, "Boston got 15 inches of snow from the storm last week.", id="same-unit"),
    pytest.param(WARREN, "Warren said the bill would cost 2 billion dollars over 10 years.", id="currency-spelled-out"),
    pytest.param(FIRE, "The Camp Fire destroyed 120 homes in Paradise, and Gov. Jerry Brown declared a state of "
                       "emergency on Thursday.", id="merged-two-sentences"),
    pytest.param(SYRIA, "Airstrikes killed 12 people in Aleppo on Sunday, and eight died in Idlib, the monitor said.",
                 id="merged-numbers-kept-apart"),
    pytest.param(["More than 15 people were killed in the blast."], "Over 15 people were killed in the blast.",
                 id="bound-kept"),
    pytest.param(["The United States sent troops."], "The U.S. sent troops.", id="country-abbreviation"),
    pytest.param(['"The cops aren\'t saying exactly what happened," Gentile said.'],
                 "Gentile said “the cops aren’t saying exactly what happened.”", id="quote-kept-quoted"),
    pytest.param(['"We have taken steps to notify customers," the company said.'],
                 'The company said it had "taken steps to notify customers."', id="first-person-left-in-quote"),
    pytest.param(["“His love for this hobby was illustrated through his beautiful works of art,” the fraternity wrote."],
                 "The fraternity wrote: His love for this hobby was illustrated through his beautiful works of art.",
                 id="said-colon-verbatim"),
    pytest.param(['"Anyone climbing the North Ridge should go with a guide,” Lloyd said.'],
                 'Lloyd said that "anyone climbing the North Ridge should go with a guide."', id="mixed-quote-marks"),
]


@pytest.mark.parametrize(("cited", "generated", "token"), CAUGHT)
def test_unsupported_change_is_caught_and_named(cited: list[str], generated: str, token: str) -> None:
    got = check_sentence(generated, cited)
    assert not got.ok
    assert any(token in p for p in got.problems), got.problems
    assert all("\n" not in p for p in got.problems)


@pytest.mark.parametrize(("cited", "generated"), PASSED)
def test_faithful_rewrite_passes(cited: list[str], generated: str) -> None:
    got = check_sentence(generated, cited)
    assert got == Check(True, [], got.checked)
    assert got.checked  # every twin holds something to check


def test_checked_lists_what_was_looked_for() -> None:
    got = check_sentence('On Tuesday, Foreign Minister Sergey Lavrov said 15 people were "wounded."',
                         ['Foreign Minister Sergey Lavrov said on Tuesday that 15 people were "wounded."'])
    assert got.ok
    assert {"number 15", "weekday Tuesday", "quotation “wounded.”", "name Sergey Lavrov",
            "title foreign minister of Sergey Lavrov"} <= set(got.checked)


def test_nothing_cited_supports_nothing() -> None:
    got = check_sentence("Sergey Kislyak met Jeff Sessions twice in 2016.", [])
    assert not got.ok
    assert len(got.problems) >= 3  # the year, the two names


def test_evidence_lets_context_words_in() -> None:
    """A summary sentence's bracketed context ("[Sergey] Kislyak") comes from
    its article: evidence() vouches for it; the cited sentence alone does not."""
    cited = "Kislyak also served as ambassador to Belgium in 1998."
    s = SummarySentence(text="[Sergey] Kislyak also served as ambassador to Belgium in 1998.",
                        citations=[Citation("a", 0, 0, len(cited), cited)], edits=[Edit(0, 0, "", "[Sergey] ", "referent")])
    assert not check_sentence(s.text, [c.text for c in s.citations]).ok
    assert check_sentence(s.text, evidence([s])).ok
    assert check_sentence("Sergey Kislyak served as ambassador to Belgium in 1998.", evidence([s])).ok
    assert not check_sentence("Sergey Kislyak served as ambassador to Belgium in 1999.", evidence([s])).ok


def test_a_text_too_long_to_be_a_sentence_is_refused_at_once() -> None:
    got = check_sentence("1 2 3 " * 5000, ["12 people were hurt."])
    assert not got.ok and got.problems == ["a text of 30,000 characters is no sentence (at most 2,000)"]
