"""bench/readability.py, the reader's measuring stick of summaries: each rule
on small sentences written for these tests (one a reader would fault, one
close to it that reads fine), the per-summary figures on a hand-built
briefing, and the CLI on two handmade clusters through the real library."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _load(name: str) -> ModuleType:
    """A bench/ script as a module (registered first, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).parents[1] / "bench" / f"{name}.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rb = _load("readability")


@pytest.mark.parametrize("text, bad", [
    ("Buy Photo Crowds gathered outside the courthouse on Monday.", True),
    ("Volunteers hand out water at the shelter. (AP Photo/Jane Doe)", True),
    ("In this March 3 file photo, the mayor speaks to reporters in the town hall.", True),
    ("Pictured: the damaged bridge after the storm.", True),
    ("Updated 3:45 p.m. The council met again on Friday.", True),
    ("Firefighters search the ruins in Ashford, Kent, March 4, 2019.", True),
    ("The photographer who took the picture was later given an award by the city.", False),
    ("The mayor said the town would sign up more volunteers for the cleanup.", False),
])
def test_furniture(text: str, bad: bool) -> None:
    assert rb.furniture(text) is bad


@pytest.mark.parametrize("text, bad", [
    ("Council approves new budget after long debate", True),
    ("The flood was the worst in a century, officials said...", True),
    ("The council approved the budget after a long debate.", False),
    ('"We are ready," the coach said.', False),
    ("Is the bridge safe? (Officials say yes.)", False),
    ("particularly as it affects the islanders who work on the mainland.", True),  # the tail of a cut sentence
    ("iPhone sales rose by a tenth in the quarter.", False),
])
def test_no_final_punct(text: str, bad: bool) -> None:
    assert rb.no_final_punct(text) is bad


def _article(*paragraphs: list[str]) -> tuple[str, list[list[int]]]:
    """Text and sentence spans of an article given as paragraphs of sentences."""
    text, spans = "", []
    for p, sentences in enumerate(paragraphs):
        if p:
            text += "\n"
        for k, s in enumerate(sentences):
            if k:
                text += " "
            spans.append([len(text), len(text) + len(s)])
            text += s
    return text, spans


def test_dek() -> None:
    text, spans = _article(
        ["That is bad news for the harbor towns."],  # a dek: before the lede
        ["The regional ferry company said on Tuesday it would end its winter service to the three islands next year."],
        ["Fares rose twice last year.", "Passenger numbers fell by a third over the same period, the company said."],
        ["Nobody was surprised."],  # a short one-sentence paragraph
        ['"We saw it coming," Ellis said.'],  # short, but attributed
    )
    assert [rb.dek(text, spans, i) for i in range(len(spans))] == [True, False, False, False, True, False]


@pytest.mark.parametrize("text, bad", [
    ("RYAN: Would you sign it? TRUMP: Well, I would.", True),
    ("Q: When did you first hear about the plan?", True),
    ("MR. SMITH: I have nothing further to add.", True),
    ("Robert Vance: I would much rather have been wrong.", True),
    ("The study (SN: 10/28/17, p. 16) found the same.", False),
    ('The documentary "Ruins: A Town Remembers" aired on Sunday.', False),
    ("The meeting began at 10 a.m. ET: the chairman opened with a statement.", False),
    ("The vote was 7 to 2, with the ratio at 3:1 in favour.", False),
])
def test_transcript(text: str, bad: bool) -> None:
    assert rb.transcript(text) is bad


@pytest.mark.parametrize("text, bad", [
    ("Here are nine moments from the press conference.", True),
    ("Check out the full gallery of entries on the festival's website.", True),
    ("The winners will be announced on Friday, along with the following:", True),
    ("So what does this mean for the harbor towns?", True),
    ("If your train is late, you can claim a refund from the operator.", True),
    ('"Where were you that night?" the prosecutor asked the witness.', False),
    ('The mayor asked residents, "Are you ready for the storm?"', False),
    ("The operator said passengers whose trains ran late could claim a refund.", False),
    ("Heres Bay is a fishing village of about 300 people.", False),
])
def test_teaser(text: str, bad: bool) -> None:
    assert rb.teaser(text) is bad


@pytest.mark.parametrize("text, bad", [
    ("Herman has handled hundreds of such cases, he told me.", True),
    ("We visited the camp on a cold morning in March.", True),
    ("Our reporter spent a week on the ferry.", True),
    ("I spoke to several residents who had lost their homes.", True),
    ("The memorial honours soldiers who died in World War I and World War II.", False),
    ("The school receives Title I funding from the federal government.", False),
    ("US officials said the talks would resume next week.", False),
    ('"I am not going anywhere," the senator told us.', True),  # "us" is outside the quotation
    ('"I am not going anywhere," the senator said. "My work here is not done."', False),
    ("The company plans to reopen the coal mine next spring.", False),
])
def test_first_person(text: str, bad: bool) -> None:
    assert rb.first_person(text) is bad


def test_first_person_inside_an_ongoing_quotation() -> None:
    # The middle sentence of a quotation spanning several sentences carries no marks.
    assert rb.first_person("My family has farmed here for a century.")
    assert not rb.first_person("My family has farmed here for a century.", inside=True)
    source = '"We will not sell," Ortiz said. "My family has farmed here for a century. It stays."'
    start = source.index("My family")
    assert rb.opens_inside(source, start)
    assert not rb.opens_inside(source, 0)
    assert not rb.opens_inside("First paragraph ends.\n" + source, len("First paragraph ends.\n"))


@pytest.mark.parametrize("text, inside, bad", [
    ('"We will rebuild the harbor before the summer season begins."', False, True),
    ('"We will rebuild the harbor before the summer season begins," he said.', False, True),
    ('"We will rebuild the harbor before the summer season begins," Smith said.', False, False),
    ('"We will rebuild the harbor before the summer season begins," said the mayor, Ana Ruiz.', False, False),
    ('"The sanctions are not working and everyone knows it," [Galeotti] said.', False, False),
    ("[Galeotti said:] The sanctions are not working and everyone knows it.", True, False),
    ('[It] added: "The sanctions are not working and everyone knows it."', False, True),
    ("The sanctions are not working and everyone knows it.", True, True),  # mid-quotation, no marks
    ('According to Smith, "the sanctions are not working and everyone knows it."', False, False),
    ('The mayor called the storm "the worst we have seen in fifty years."', False, False),
    ('The bill would "rename the old post office after the town\'s first doctor."', False, False),
    ('He added: "The harbor will reopen before the summer season begins."', False, True),
    ('Officials described the damage as "severe."', False, False),  # a short quote: not mostly quoted
])
def test_quote_no_speaker(text: str, inside: bool, bad: bool) -> None:
    assert rb.quote_no_speaker(text, inside) is bad


@pytest.mark.parametrize("text, bad", [
    ("He had to deal with the worst downturn since the 1930s.", True),
    ("That is bad news for relations between the two countries.", True),
    ("That's bad news for relations between the two countries.", True),
    ("He’s a proud and stubborn man who has never lost an election.", True),
    ('[Ruiz said:] "It is a sad day for the islands."', True),
    ("That night, the river broke its banks.", True),
    ("These measures will cost the city four million dollars.", True),
    ("It warned of a storm of unprecedented strength.", True),
    ("On Monday, it announced a recall of 40,000 cars.", True),
    ("Police said he was arrested near the border.", True),
    ("The rest of her estate will go to charity, the lawyer said.", True),
    ("This week, the council voted to close the bridge.", False),
    ("This year the festival drew a record crowd.", False),
    ("It was not immediately clear how many people were hurt.", False),
    ("It is unclear whether the bridge will reopen.", False),
    ("It was the first time the race had been cancelled.", False),
    ("It would be 33 minutes before the paramedics reached the gate.", False),
    ("[Obama] had to deal with the worst downturn since the 1930s.", False),
    ("After his arrest, Smith was taken to the county jail.", False),
    ("Smith said he would appeal the ruling.", False),
    ("A teacher said she had warned the school about the roof.", False),
    ("Officials said they had found no sign of foul play.", False),
    ("Those who live near the river were told to leave.", False),
    ("Both Smith and Jones denied the charges.", False),
    ("No other details, such as the cause of the fire, were released.", False),
])
def test_dangling_pronoun(text: str, bad: bool) -> None:
    lower = frozenset({"police", "officials"})  # the article writes these in lower case too: not names
    assert rb.dangling_pronoun(text, lower=lower) is bad


@pytest.mark.parametrize("text, bad", [
    ("But the expected eviction had not happened by late Sunday.", True),
    ("However, the council rejected the plan.", True),
    ("In fact, the bridge had been closed twice before.", True),
    ('"And we will keep fighting," Ruiz said.', True),
    ("As a result, the ferry will stop running in January.", True),
    ("Then-President Obama signed the bill in 2010.", False),
    ("So far, no arrests have been made.", False),
    ("Butler County officials closed the road.", False),
    ("Andrews was elected mayor in 2016.", False),
])
def test_dangling_connective(text: str, bad: bool) -> None:
    assert rb.dangling_connective(text) is bad


@pytest.mark.parametrize("text, bad", [
    ("The two were arrested on Friday.", True),
    ("The company said it would appeal.", True),
    ("The 45-year-old man was taken to hospital.", True),
    ("The company's founder, Maria Lopez, said it would appeal.", False),
    ("The president of Acme Corp. said the plant would close.", False),
    ("The bridge was closed on Friday.", False),
])
def test_dangling_description(text: str, bad: bool) -> None:
    assert rb.dangling_description(text) is bad


def _briefing() -> dict:
    """Two summaries over one handmade article: one opens with its lede, one
    opens with a quotation from the middle and dangles a pronoun."""
    text, spans = _article(
        ["The regional ferry company said on Tuesday it would end its winter service to the three islands next year."],
        ['"We cannot keep losing money on empty boats," the company\'s director, Ana Ruiz, said.',
         '"It is a sad day for the islands."'],
        ["He said the summer timetable would not change."],
    )
    source = {"id": "a", "text": text, "sentences": spans}

    def sent(i: int, shown: str | None = None, edits: list | None = None) -> dict:
        a, b = spans[i]
        cite = {"source": "a", "sentence": i, "start": a, "end": b, "text": text[a:b]}
        return {"text": shown or text[a:b], "citations": [cite], "edits": edits or []}

    good = {"id": "good", "sources": [source], "summary": [
        sent(0), sent(1), sent(3, "[Ruiz] said the summer timetable would not change.",
                                [{"start": 0, "end": 2, "removed": "He", "inserted": "[Ruiz]", "kind": "referent"}])]}
    bad = {"id": "bad", "sources": [source], "summary": [sent(2), sent(3)]}
    return {"good": good, "bad": bad}


def test_summary_figures() -> None:
    b = _briefing()
    good, bad = rb.check_briefing(b["good"]), rb.check_briefing(b["bad"])
    assert [c.faults for c in good] == [[], [], []]
    assert bad[0].faults == ["quote_no_speaker", "dangling_pronoun"]  # "It is a sad day...": whose voice, what "it"?
    assert bad[1].faults == ["dangling_pronoun"]
    row = rb.score([good, bad])
    assert row["summaries"] == 2 and row["sentences"] == 5
    assert row["quote_no_speaker"] == pytest.approx(20.0)
    assert row["dangling_pronoun"] == pytest.approx(40.0)
    assert row["any"] == pytest.approx(40.0)
    assert row["opener_ok"] == pytest.approx(50.0)  # the lede opens "good"; "bad" opens with a quotation
    assert row["opener_faulty"] == pytest.approx(50.0)
    assert row["words"] == pytest.approx((19 + 14 + 8 + 8 + 8) / 2)
    assert row["sents"] == pytest.approx(2.5)


def test_cli_on_saved_briefings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "saved.jsonl"
    path.write_text("".join(json.dumps(b) + "\n" for b in _briefing().values()), encoding="utf-8")
    out_json = tmp_path / "figures.json"
    assert rb.main(["--briefings", str(path), "--json", str(out_json), "--show", "dangling_pronoun"]) == 0
    out = capsys.readouterr().out
    assert "[saved.jsonl] bad #0" in out and "| saved.jsonl | 2 | 5 |" in out
    assert json.loads(out_json.read_text())["saved.jsonl"]["dangling_pronoun"] == pytest.approx(40.0)


def test_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        rb.main(["--briefings", str(tmp_path / "nope.jsonl")])
    assert e.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("readability: no such file") and "\n" not in err


def test_cli_on_handmade_clusters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The --data path end to end: two clusters through newsbrief.brief."""
    ferry = ["The regional ferry company said on Tuesday it would end its winter service to the three islands.\n"
             "It blamed rising fuel costs and falling passenger numbers over the past five years.\n"
             '"We cannot keep losing money on empty boats," the director, Ana Ruiz, said.',
             "Island residents said the end of the winter ferry would leave them cut off for months.\n"
             "But the company said a smaller boat could run on weekends if the council paid for it."]
    bridge = ["The city council voted on Tuesday to close the old river bridge for repairs.\n"
              "Engineers found deep cracks in two of the bridge's steel supports last month.",
              "Officials will shut the river bridge for half a year after inspectors found cracked supports.\n"
              "He said the safety of residents came before any inconvenience."]
    data = tmp_path / "two.jsonl"
    data.write_text("".join(json.dumps({"id": cid, "documents": docs}) + "\n"
                            for cid, docs in (("ferry", ferry), ("bridge", bridge))), encoding="utf-8")
    exclude = tmp_path / "exclude.json"
    exclude.write_text(json.dumps({"ids": ["nothing-to-exclude"]}), encoding="utf-8")
    code = rb.main(["--data", str(data), "-m", "lead", "-m", "salience", "--exclude-ids", str(exclude)])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| method | n | sentences | furn |")
    rows = {line.split(" | ")[0].strip("| "): line for line in lines if line.startswith("| lead") or
            line.startswith("| salience")}
    assert set(rows) == {"lead", "salience"}
    assert all(row.split(" | ")[1] == "2" for row in rows.values())  # both clusters briefed


def test_a_sentence_right_after_the_one_it_leans_on_has_its_context() -> None:
    good = _briefing()["good"]
    source = good["sources"][0]

    def cite(i: int) -> dict:
        a, z = source["sentences"][i]
        return {"text": source["text"][a:z], "edits": [],
                "citations": [{"source": "a", "sentence": i, "start": a, "end": z, "text": source["text"][a:z]}]}

    after_its_speaker = rb.check_briefing({**good, "summary": [cite(1), cite(2)]})
    after_the_lede = rb.check_briefing({**good, "summary": [cite(0), cite(2)]})
    assert after_its_speaker[1].faults == []  # '"It is a sad day ..."' right after Ruiz's first quote
    assert "quote_no_speaker" in after_the_lede[1].faults


def test_blind_reading_figures_follow_the_key(tmp_path: Path) -> None:
    reading = _load("reading")
    rows = [
        {"cluster": "c1", "summary": "A", "sentence": 1, "dangling": True},
        {"cluster": "c1", "summary": "A", "sentence": 2, "redundant": True},
        {"cluster": "c1", "summary": "B", "sentence": 1},
        {"cluster": "c1", "summary": "A", "first_states_event": False, "order": 2, "readability": 2},
        {"cluster": "c1", "summary": "B", "first_states_event": True, "order": 5, "readability": 4},
        {"cluster": "c1", "event": "a bridge closed"},
    ]
    table = reading.figures(rows, {"c1": {"A": "before", "B": "after"}})
    assert table["before"]["sentences"] == 2 and table["before"]["faulty"] == 50.0 and table["before"]["any"] == 100.0
    assert table["after"]["faulty"] == 0.0 and table["after"]["first_states_event"] == 1
    assert table["after"]["readability"] == 4 and table["before"]["order"] == 2
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n")
    with pytest.raises(SystemExit, match="not JSON"):
        reading.load([path])
