"""Direct quotes: marks, split and multi-paragraph quotes, attribution, via,
merging across sources and exact offsets; then the real Kislyak articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.analysis.quotes import extract_quotes, is_partial, normalize
from newsbrief.model import Article, Entity, Quote
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


def test_speaker_is_linked_to_its_entity() -> None:
    qs = extract_quotes(_prep('"We will win this," Sen. Ann Lee said.'), [Entity("e1", "Ann B. Lee", "PERSON", ["Ann Lee"])])
    assert (qs[0].speaker, qs[0].speaker_id) == ("Ann B. Lee", "e1")


def test_he_is_a_person_the_story_knows_and_places_never_speak() -> None:
    """"He says" after a paragraph that names only an organisation is not
    the organisation's; a given name alone is the one person who has it."""
    text = ("Dana Reyes, 32, said his sister is recovering. The Texas Rangers have joined the investigation.\n"
            "Dana says the doctors are hopeful.\n"
            "\u201cShe is very strong,\u201d he says.\n"
            "\u201cWe will appeal,\u201d Lacey Act said.")
    es = [Entity("e1", "Dana Reyes", "PERSON", ["Dana", "Reyes"]), Entity("e2", "Texas Rangers", "ORG"),
          Entity("e3", "Lacey Act", "LAW")]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "She is very strong").speaker == "Dana Reyes"
    assert _find(qs, "We will appeal").speaker is None


def test_precision_first_no_wild_guess() -> None:
    qs = extract_quotes(_prep('The note read "no entry for anyone at all after dark" in red letters.'))
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


# --- attribution beyond "X said" next to the quote ------------------------------


def test_one_speaker_in_the_sentence_gets_a_quote_away_from_the_verb() -> None:
    qs = extract_quotes(_prep(
        "Dana Ortiz said the officers left the building because the crowd put them \"at serious risk of harm.\"\n"
        "Still, Ortiz said, residents shouldn't \"lose heart\" over the delay.\n"
        "A \"second report\" reviewed by the council shows the damage was worse, Ortiz said."))
    assert _find(qs, "at serious risk of harm").speaker == "Dana Ortiz"
    assert _find(qs, "lose heart").speaker == "Ortiz"  # a two-word quote, kept once it has a speaker
    assert _find(qs, "second report").speaker == "Ortiz"


def test_two_speakers_in_the_sentence_is_no_guess() -> None:
    qs = extract_quotes(_prep(
        "Dana Ortiz and Sam Welch toured the site.\n"
        "The \"whole east wing\" has to go, Ortiz said on Tuesday, while Welch said the damage was minor."))
    assert _find(qs, "whole east wing").speaker is None


def test_the_nearest_reporting_verb_wins() -> None:
    qs = extract_quotes(_prep(
        "Dana Ortiz stated one of the officers found a man in the shed who allegedly told him, \"I have a knife.\""))
    assert _find(qs, "I have a knife").speaker is None


def test_multiword_titles_are_stripped() -> None:
    qs = extract_quotes(_prep(
        "\"We will rebuild the school,\" Marion County Sheriff Dana Ortiz said.\n"
        "Harbor Police Chief Sam Welch said the road would stay \"closed until Friday at the earliest.\""))
    assert _find(qs, "We will rebuild").speaker == "Dana Ortiz"
    assert _find(qs, "closed until Friday").speaker == "Sam Welch"


_ROLE_TEXT = ("Marion County Sheriff Dana Ortiz spoke on Monday.\n"
              "\"The deputies are shaken, as you would expect,\" the sheriff said.\n"
              "The Marion County Sheriff says the shooting was a \"tragic accident.\"")


def test_role_noun_speaker_needs_a_resolver() -> None:
    qs = extract_quotes(_prep(_ROLE_TEXT))
    assert _find(qs, "The deputies are shaken").speaker is None  # precision first: no guess from a role
    assert not [q for q in qs if normalize(q.text) == "tragic accident"]  # short and no speaker: dropped


def test_role_noun_speaker_resolved_through_entity_roles() -> None:
    ortiz = Entity("e1", "Dana Ortiz", "PERSON", roles=["Marion County Sheriff"])
    welch = Entity("e2", "Sam Welch", "PERSON", roles=["police chief"])
    qs = extract_quotes(_prep(_ROLE_TEXT), [ortiz, welch])
    assert (_find(qs, "The deputies are shaken").speaker, _find(qs, "The deputies").speaker_id) == ("Dana Ortiz", "e1")
    assert _find(qs, "tragic accident").speaker == "Dana Ortiz"  # kept now that it has a speaker


def test_name_resolver_role_phrases() -> None:
    from newsbrief.analysis import name_resolver
    es = [Entity("e1", "Dana Ortiz", "PERSON", roles=["Marion County Sheriff"]),
          Entity("e2", "Sam Welch", "PERSON", roles=["Lake County Sheriff"]),
          Entity("e3", "Ann Lee", "PERSON", roles=["Russia's ambassador to the US"]),
          Entity("e4", "Bo Chan", "PERSON", roles=["father of the missing girl"])]
    r = name_resolver(es)
    assert r("the ambassador") == ("e3", "Ann Lee")
    assert r("the 49-year-old father") == ("e4", "Bo Chan")
    assert r("the sheriff") is None  # two sheriffs: ambiguous
    assert r("the Marion County Sheriff") == ("e1", "Dana Ortiz")
    assert r("the mayor") is None
    assert r("the statement") is None


def test_read_joins_a_split_quote() -> None:
    qs = extract_quotes(_prep("\"We regret the delay,\" the statement read, \"and we will open on Monday.\""))
    assert len(qs) == 1 and qs[0].text == "We regret the delay … and we will open on Monday."
    assert qs[0].speaker is None


def test_role_attribution_joins_a_split_quote() -> None:
    qs = extract_quotes(_prep("\"We did our job,\" the sheriff said, \"and we did it well.\""))
    assert len(qs) == 1 and len(qs[0].spans) == 2


def test_she_is_not_the_man_in_view() -> None:
    """The article shows who is a woman; "she said" skips the man named
    beside her, and with no one in view no earlier speaker is guessed."""
    text = ("Ana Ruiz, a senator, questioned the bank's chief.\nShe said the hearing would go on.\n"
            "Tom Pratt said he was sorry.\n"
            "As her colleagues grilled Tom Pratt, Ruiz lit into the bank.\n"
            "\u201cThis is about accountability,\u201d she said.")
    es = [Entity("e1", "Ana Ruiz", "PERSON", ["Ruiz"]), Entity("e2", "Tom Pratt", "PERSON", ["Pratt"])]
    assert _find(extract_quotes(_prep(text), es), "This is about accountability").speaker == "Ana Ruiz"
    far = ("\u201cWe will win,\u201d Tom Pratt said. The bank opened in 1901. Its stock fell. Its board met. "
           "The vote was close.\n\u201cIt is over,\u201d she said.")
    assert _find(extract_quotes(_prep(far), es), "It is over").speaker is None


def test_organisations_speak_for_themselves_but_not_for_their_staff() -> None:
    text = ("The Harbour Trust said: \u201cThese are disturbing allegations.\u201d\n"
            "\u201cIt will be reviewed,\u201d said Harbour Trust lawyer Ty Cobb in a statement.\n"
            "\u201cIt is important to wait,\u201d said the lead author, Dr. Sripal Bangalore, a professor.")
    es = [Entity("e1", "Harbour Trust", "ORG"), Entity("e2", "Ty Cobb", "PERSON"),
          Entity("e3", "Sripal Bangalore", "PERSON")]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "These are disturbing").speaker == "Harbour Trust"
    assert _find(qs, "It will be reviewed").speaker == "Ty Cobb"
    assert _find(qs, "It is important to wait").speaker == "Sripal Bangalore"


def test_an_oral_history_label_speaks_for_its_section() -> None:
    """"DANA REYES (host):" labels the paragraphs after it: her own words
    and thoughts are hers; words she reports from someone else are not."""
    text = ("DANA REYES (host, 1999-2015):\n"
            "My wildest dream when I started was \u201cThis will be fun and we will do it well.\u201d\n"
            "I got a call from my agent saying, \u201cListen, they are looking for a new host for the show.\u201d\n"
            "UPDATE: the show ended in 2015.\n"
            "SAM OKAFOR (writer, 1996-2001):\n"
            "I just said to her, \u201cYou can put this through your prism and make it better.\u201d")
    es = [Entity("e1", "Dana Reyes", "PERSON"), Entity("e2", "Sam Okafor", "PERSON")]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "This will be fun").speaker == "Dana Reyes"
    assert _find(qs, "Listen, they are looking").speaker is None
    assert _find(qs, "You can put this").speaker == "Sam Okafor"


def test_doubled_single_marks_are_quote_marks() -> None:
    """‘‘The Wolfman’’ (an outlet's double quotes): a title, closed where it
    closes, not a quote running on through the review."""
    text = ("Remember ‘‘The Wolfman’’? The cast had fun. The new film is not very good.\n"
            "‘‘It was a joy to make,’’ said Emily Blunt. The makeup took hours.")
    qs = extract_quotes(_prep(text))
    assert [(q.text, q.speaker) for q in qs] == [("It was a joy to make", "Emily Blunt")]


def test_the_person_of_an_organisation_and_descriptions_in_view() -> None:
    text = ("\u201cThis is a new normal,\u201d says the EIA\u2019s Andrea Johnson.\n"
            "Rep. Will Hurd (R-Texas), a former CIA officer, said he was not worried.\n"
            "\u201cI spent my life protecting sources,\u201d he said.\n"
            "The senator asked Tom Pratt, \u201cIs it about the stock price?\u201d\n"
            "\u201cNo, it is about our customers,\u201d the executive answered.")
    es = [Entity("e1", "EIA", "ORG"), Entity("e2", "Andrea Johnson", "PERSON"), Entity("e3", "Will Hurd", "PERSON"),
          Entity("e4", "Tom Pratt", "PERSON", roles=["bank chief"]),
          Entity("e5", "Carrie Tolstedt", "PERSON", roles=["former executive"])]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "This is a new normal").speaker == "Andrea Johnson"
    assert _find(qs, "I spent my life").speaker == "Will Hurd"
    assert _find(qs, "No, it is about").speaker is None  # the executive of the roles is not the one in view


def test_he_is_the_subject_behind_its_role() -> None:
    text = ("On the morning of the operation, consultant plastic surgeon Neil Bulstrode marks the shape of "
            "Louise Sorkin's ears.\nHe said: \u201cWhen a patient has one ear we can match the new ear to that.\u201d")
    es = [Entity("e1", "Neil Bulstrode", "PERSON"), Entity("e2", "Louise Sorkin", "PERSON")]
    assert _find(extract_quotes(_prep(text), es), "When a patient").speaker == "Neil Bulstrode"


def test_names_are_not_matched_by_surname_alone_across_given_names() -> None:
    """"Doris Kenny said" is not the story's Niya Kenny; "the student said"
    after "One student ... says" is that unnamed student, not the one the
    roles know; "Rep. Will Hurd" keeps his given name."""
    from newsbrief.analysis import name_resolver
    r = name_resolver([Entity("e1", "Niya Kenny", "PERSON", roles=["student"]), Entity("e2", "Tim Bird", "PERSON")])
    assert r("Doris Kenny") is None and r("Kenny") == ("e1", "Niya Kenny") and r("DC Bird") == ("e2", "Tim Bird")
    text = ("One student, who asked not to be named, says the class tried to calm things down.\n"
            "\u201cShe was told to just get up and leave,\u201d the student said.")
    qs = extract_quotes(_prep(text), [Entity("e1", "Niya Kenny", "PERSON", roles=["student"])])
    assert _find(qs, "She was told").speaker is None


def test_a_document_speaks_for_its_authors() -> None:
    text = ("\u201cThe intrusion was skilful and patient,\u201d according to the Harbour Trust report.\n"
            "The report details where the malware came from.\n"
            "\u201cThe tactic is new to this kind of crime,\u201d the report says.\n"
            "\u201cWe are studying it,\u201d the January report said.")
    qs = extract_quotes(_prep(text), [Entity("e1", "Harbour Trust", "ORG")])
    assert _find(qs, "The intrusion was").speaker == "Harbour Trust"
    assert _find(qs, "The tactic is new").speaker == "Harbour Trust"
    assert _find(qs, "We are studying").speaker is None  # a month owns no report


def test_quotes_that_continue_someone_already_speaking() -> None:
    text = ("Attorney Ronald Bienstock says the raids have worried the builders he represents. "
            "He says they fear they must prove where their wood came from.\n"
            "\u201cThere hasn't been that moment where people have tested the case.\u201d\n"
            "And while some say the law is a burden, Chris Martin supports it: \u201cI think it's a wonderful thing.\u201d\n"
            "\u201cThey keep in touch with other groups,\u201d says Alison Brooks. They visit and give gifts. "
            "\u201cIt's a way of building up distant contacts.\u201d")
    es = [Entity("e1", "Ronald Bienstock", "PERSON"), Entity("e2", "Chris Martin", "PERSON"),
          Entity("e3", "Alison Brooks", "PERSON")]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "There hasn't been").speaker == "Ronald Bienstock"
    assert _find(qs, "I think it's a wonderful").speaker == "Chris Martin"
    joined = _find(qs, "They keep in touch")  # one speaker's two pieces, joined
    assert "It's a way of building" in joined.text and joined.speaker == "Alison Brooks"


def test_words_talked_about_are_not_quotes_and_hyphenated_roles_are_roles() -> None:
    text = ("\u201cIt's going up everywhere,\u201d says study co-author Christopher Murray, a director.\n"
            "Andrea Johnson said the word \u201cverify\u201d fits the rules better. "
            "The case was dubbed \u201cthe trial of the century\u201d by the press.")
    qs = extract_quotes(_prep(text))
    assert [(q.text, q.speaker) for q in qs] == [("It's going up everywhere", "Christopher Murray")]


def test_places_the_parser_did_not_see_as_people_and_possessives_do_not_speak() -> None:
    """With the story's entities, a capitalised run the parser saw as no one
    ("Pearl Harbor") is no speaker; "Spacey's spokesperson said" is not
    Spacey; "Charles Lago of DTLA Entertainment Group, ..., said" is Lago;
    "the complaint adds" names no one."""
    text = ("Barack Obama spoke at Pearl Harbor. At Pearl Harbor, he urged people to resist "
            "\u201cthe urge to turn inward\u201d in hard times.\n"
            "Kevin Spacey's spokesperson said he is \u201ctaking the time necessary to seek evaluation.\u201d\n"
            "Charles Lago of DTLA Entertainment Group, his former manager, said he was \u201cnot surprised at all.\u201d\n"
            "Tom Stubits told Myrna Arias to keep her phone on, and \u201cscolded her loudly\u201d when she did not, "
            "the complaint adds.")
    es = [Entity("e1", "Barack Obama", "PERSON"), Entity("e2", "Kevin Spacey", "PERSON"),
          Entity("e3", "Charles Lago", "PERSON"), Entity("e4", "DTLA Entertainment Group", "ORG"),
          Entity("e5", "Tom Stubits", "PERSON"), Entity("e6", "Myrna Arias", "PERSON")]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "the urge to turn inward").speaker in (None, "Barack Obama")
    assert _find(qs, "taking the time").speaker is None
    assert _find(qs, "not surprised at all").speaker == "Charles Lago"
    assert _find(qs, "scolded her loudly").speaker is None


def test_call_letters_timestamps_and_titles_after_a_conjunction() -> None:
    text = ("4:25 P.M. Hamas leaders publish several statements.\n"
            "But Secretary-General Ban Ki-moon called the shelling unjustifiable.\n"
            "\u201cNothing is more shameful than attacking sleeping children,\u201d the U.N. chief said.\n"
            "\u201cThe ring was taken right off her finger,\u201d WOFL reported.")
    es = [Entity("e1", "Hamas", "ORG"), Entity("e2", "Ban Ki-moon", "PERSON"),
          Entity("e3", "Pierre Krahenbuhl", "PERSON", roles=["UNRWA chief"])]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "Nothing is more shameful").speaker is None  # the chief of the roles is not the one in view
    ring = _find(qs, "The ring was taken")
    assert ring.speaker is None and ring.via == "WOFL"


def test_spokespeople_relative_clauses_and_quoted_as_saying() -> None:
    text = ("\u201cOur executives performed strongly in a hard year,\u201d a BP spokesman said.\n"
            "The hearing heard from Arnelle Simpson, his oldest daughter, who said her father was \u201cmy best friend "
            "and my rock.\u201d\n"
            "\u201cNo one likes to see the suffering,\u201d Harper was quoted as saying.\n"
            "UN High Commissioner for Human Rights Navi Pillay says both sides are committing \u201ca violation of "
            "international law.\u201d\n"
            "\u201cThe factions are united,\u201d Abu Zuhri said.")
    es = [Entity("e1", "BP", "ORG"), Entity("e2", "Arnelle Simpson", "PERSON"), Entity("e3", "Stephen Harper", "PERSON",
                                                                                      ["Harper"]),
          Entity("e4", "Navi Pillay", "PERSON"), Entity("e5", "Sami Abu Zuhri", "PERSON")]
    qs = extract_quotes(_prep(text), es)
    assert _find(qs, "Our executives performed").speaker == "BP"
    assert _find(qs, "my best friend").speaker == "Arnelle Simpson"
    assert _find(qs, "No one likes").speaker == "Stephen Harper"
    assert _find(qs, "a violation of").speaker == "Navi Pillay"
    assert _find(qs, "The factions are united").speaker == "Sami Abu Zuhri"


def test_an_interviews_initials_label_its_answers() -> None:
    text = ("Peter Travers spoke with Matt Damon about the film.\n"
            "PT: What did you think when you heard?\n"
            "MD: I thought, \u201cWait a minute, this is not how it should go.\u201d I said so at the time.")
    es = [Entity("e1", "Peter Travers", "PERSON"), Entity("e2", "Matt Damon", "PERSON")]
    assert _find(extract_quotes(_prep(text), es), "Wait a minute").speaker == "Matt Damon"


def test_signs_and_case_names_are_not_quotes() -> None:
    text = ("Rogovin held a sign that read, \u201cThe eyes of the world are watching to see what we do today.\u201d\n"
            "Protesters carried signs reading \u201cWe protest for peace.\u201d\n"
            "The series \u201cThe People v. O.J. Simpson\u201d won nine awards, said critic Ann Lee.\n"
            "\u201cIt was the best show of the year,\u201d Ann Lee said.")
    assert [q.text for q in extract_quotes(_prep(text))] == ["It was the best show of the year"]


def test_a_description_is_the_one_person_in_view_with_that_role() -> None:
    text = ("Sen. Elizabeth Warren questioned John Stumpf for an hour.\nWarren moved on to the subject of cross-selling.\n"
            "The senator asked Stumpf, \u201cCross-selling is all about the stock price, isn't it?\u201d")
    es = [Entity("e1", "Elizabeth Warren", "PERSON", ["Warren"], roles=["Sen."]),
          Entity("e2", "Pat Toomey", "PERSON", ["Toomey"], roles=["Sen."]),
          Entity("e3", "John Stumpf", "PERSON", ["Stumpf"], roles=["CEO"])]
    assert _find(extract_quotes(_prep(text), es), "Cross-selling is all").speaker == "Elizabeth Warren"
