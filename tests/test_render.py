"""Renderers: markers point at the right sources, JSON is the model's
contract, citations are exact offsets, and nothing needs a terminal."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from rich.console import Console
from rich.style import Style

import newsbrief
from edited import edited_briefing
from newsbrief.model import SCHEMA, Briefing, Edit, LoadError, apply_edits, pieces
from newsbrief.render import markers, render, to_json, to_markdown, to_terminal
from newsbrief.render.markdown import escape, sentence_text
from newsbrief.render.terminal import ADDED

MARKER = re.compile(r"(?<!\\)\[(\d+(?:, \d+)*)(?:; also (\d+(?:, \d+)*))?\]")


def _nums(s: str | None) -> list[int]:
    return [int(x) for x in s.split(", ")] if s else []


def _section(md: str, name: str) -> str:
    m = re.search(rf"^## {name}\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    assert m, f"no '## {name}' section"
    return m.group(1)


def test_markdown_markers_match_sources(example_briefing: Briefing) -> None:
    b = example_briefing
    md = to_markdown(b)
    found = MARKER.findall(_section(md, "Summary"))
    assert len(found) == len(b.summary)
    num = {a.id: i for i, a in enumerate(b.sources, 1)}
    for (cited, also), s in zip(found, b.summary, strict=True):
        assert _nums(cited) == [num[c.source] for c in s.citations]
        assert set(_nums(also)) == {num[c.source] for c in s.support} - set(_nums(cited))
        assert sentence_text(s) in md
    listed = re.findall(r"^(\d+)\. \*\*(.+?)\*\*", _section(md, "Sources"), re.M)
    assert [int(n) for n, _ in listed] == list(range(1, len(b.sources) + 1))
    assert [t for _, t in listed] == [escape(a.title or a.id) for a in b.sources]


def test_markdown_support_marker_shape(example_briefing: Briefing) -> None:
    """The example stories repeat facts, so some sentence must show support."""
    assert any(markers(example_briefing, s)[1] for s in example_briefing.summary)
    assert re.search(r"\[\d+; also \d+(, \d+)*\]", to_markdown(example_briefing))


def test_markdown_dropped_and_errors() -> None:
    a = newsbrief.article(
        "clock menu more-arrow no yes mobile\n\n"
        "The *council* voted 7-2 on [Monday] to approve the <new> plan_b budget.\n"
        "Members said the budget would fund three new libraries across the city.\n\n"
        "Sign up for our newsletter to get the news in your inbox.", id="a", path="a.txt")
    b = newsbrief.brief_articles([a], words=50, errors=[LoadError("bad.bin", "binary file (NUL bytes), not text")])
    md = to_markdown(b)
    assert r"The \*council\* voted 7-2 on \[Monday\] to approve the \<new\> plan\_b budget." in md
    dropped = _section(md, "Dropped as boilerplate")
    assert "[1] 2 spans" in dropped and "*navigation*" in dropped and "*sign-up prompt*" in dropped
    assert "`bad.bin`: binary file" in _section(md, "Errors")


def test_escape_block_markers() -> None:
    assert escape("# not a heading") == r"\# not a heading"
    assert escape("1. not a list") == r"1\. not a list"
    assert escape("a  b\nc") == "a b c"


def test_json_round_trip_and_offsets(example_briefing: Briefing) -> None:
    b = example_briefing
    d = json.loads(to_json(b))
    assert d == json.loads(json.dumps(b.to_dict()))
    assert d["schema"] == SCHEMA == "newsbrief.briefing/4"
    texts = {s["id"]: s["text"] for s in d["sources"]}
    assert d["summary"]
    for s in d["summary"]:
        assert s["citations"]
        assert s["text"] == apply_edits(s["citations"][0]["text"], [Edit.from_dict(e) for e in s["edits"]])
        for c in s["citations"] + s["support"] + s["disputed"]:
            assert texts[c["source"]][c["start"]:c["end"]] == c["text"]


def test_json_keeps_unicode() -> None:
    # English (a French article is left out as not English), with French words and accents in it
    a = newsbrief.article("The mayor of Besançon said the bridge « restera fermé » for at least ten weeks.\n"
                          "Shop owners on the east bank of the Doubs fear the works will cost them a whole season.",
                          id="fr")
    out = to_json(newsbrief.brief_articles([a], words=40))
    assert "« restera fermé »" in out


def test_terminal_without_tty(example_briefing: Briefing) -> None:
    buf = StringIO()
    to_terminal(example_briefing, Console(file=buf, width=100))
    out = buf.getvalue()
    assert "\x1b[" not in out  # rich drops colour when the file is not a terminal
    assert "Sources" in out and "[1" in out
    for a in example_briefing.sources:
        assert a.outlet and a.outlet in out
    assert out == render(example_briefing, "text")


def test_terminal_colours_on_a_tty(example_briefing: Briefing) -> None:
    buf = StringIO()
    to_terminal(example_briefing, Console(file=buf, width=100, force_terminal=True, color_system="standard"))
    assert "\x1b[" in buf.getvalue()


def test_terminal_shows_errors() -> None:
    a = newsbrief.article("The council voted on Monday to approve the new budget for the city.\n"
                          "Members said it would fund three new libraries across the city.", id="a")
    b = newsbrief.brief_articles([a], words=30, errors=[LoadError("empty.txt", "empty file")])
    out = render(b, "text")
    assert "Errors" in out and "empty.txt" in out and "empty file" in out


def test_render_unknown_format(example_briefing: Briefing) -> None:
    with pytest.raises(ValueError, match="known: text, md, json"):
        render(example_briefing, "xml")


# --- edits: words added for context (schema newsbrief.briefing/4) -------------------------------------------------

def test_edits_survive_the_json_round_trip() -> None:
    b = edited_briefing()
    d = json.loads(to_json(b))
    assert d["summary"][1]["edits"] == [{"start": 0, "end": 2, "removed": "He", "inserted": "[Kislyak]",
                                         "kind": "referent"}]
    assert d["summary"][0]["edits"] == []
    back = Briefing.from_dict(d)
    assert back.summary[1].edits == [Edit(0, 2, "He", "[Kislyak]", "referent")]
    assert [s.edits for s in back.summary] == [s.edits for s in b.summary]
    assert back.to_dict() == b.to_dict()
    for s in d["summary"]:  # the invariant the schema describes
        assert apply_edits(s["citations"][0]["text"], [Edit.from_dict(e) for e in s["edits"]]) == s["text"]
    assert d["summary"][1]["text"].startswith("[Kislyak] also served")
    assert d["summary"][2]["text"] == "The meetings were routine, a spokesman told [Vox]."


def test_pieces_mark_only_bracketed_insertions() -> None:
    s = edited_briefing().summary[2]
    assert s.pieces() == [("T", False), ("he meetings were routine, a spokesman told ", False), ("[Vox]", True),
                          (".", False)]
    assert edited_briefing().summary[0].pieces() == [(edited_briefing().summary[0].text, False)]


@pytest.mark.parametrize("edit", [
    Edit(0, 2, "It", "[Kislyak]", "referent"),  # removed text not in the sentence there
    Edit(0, 3, "He", "[Kislyak]", "referent"),  # offsets do not cover `removed`
    Edit(60, 99, "x", "[y]", "referent"),  # past the end
])
def test_apply_edits_rejects_an_edit_that_does_not_match(edit: Edit) -> None:
    text = edited_briefing().summary[1].citations[0].text
    with pytest.raises(ValueError, match="does not match"):
        apply_edits(text, [edit])
    with pytest.raises(ValueError):
        pieces(text, [edit])


def test_apply_edits_rejects_overlapping_edits() -> None:
    text = "But he said so."
    with pytest.raises(ValueError):
        apply_edits(text, [Edit(0, 5, "But h", "H", "connective"), Edit(4, 6, "he", "[Lee]", "referent")])


def test_markdown_marks_added_words() -> None:
    from markdown_it import MarkdownIt

    md = to_markdown(edited_briefing())
    summary = _section(md, "Summary")
    assert r"*\[Kislyak\]* also served as Russia's ambassador" in summary
    assert r"The meetings were routine, a spokesman told *\[Vox\]*." in summary
    assert "He also served" not in summary and "But the" not in summary
    assert r"Words in \[brackets\] were added for context" in summary
    assert len(MARKER.findall(summary)) == 3  # the escaped brackets are no citation markers
    html = MarkdownIt("commonmark").render(md)
    assert "<em>[Kislyak]</em> also served" in html and "told <em>[Vox]</em>." in html


def test_markdown_without_edits_has_no_legend() -> None:
    b = edited_briefing()
    for s in b.summary:
        s.text, s.edits = s.citations[0].text, []
    md = to_markdown(b)
    assert "added for context" not in md and "*\\[" not in md
    assert r"He also served as Russia's ambassador" in md


def test_terminal_marks_added_words() -> None:
    plain = render(edited_briefing(), "text")
    assert "[Kislyak] also served" in plain and "told [Vox]." in plain and "He also" not in plain
    buf = StringIO()
    to_terminal(edited_briefing(), Console(file=buf, width=120, force_terminal=True, color_system="standard"))
    out = buf.getvalue()
    on, off = Style.parse(ADDED).render("|").split("|")  # the escape codes of the added style
    assert Style.parse(ADDED).italic and on.startswith("\x1b[")
    assert f"{on}[Kislyak]{off} also served" in out and f"told {on}[Vox]{off}." in out
    assert out.count(on) == 2  # only the added words are styled so
