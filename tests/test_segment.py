"""Sentence splitting: news abbreviations, quotes, and exact offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbrief.clean import clean_text
from newsbrief.model import Article
from newsbrief.text.segment import segment, split_sentences

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def sents(text: str) -> list[str]:
    spans = split_sentences(text)
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and "\n" not in text[s:e] and e > s
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize("text, expected", [
    # abbreviations that do not end a sentence
    ("The U.S. Army said it would act. Officials agreed.", ["The U.S. Army said it would act.", "Officials agreed."]),
    ("Gen. Smith arrived. Sen. Jones left.", ["Gen. Smith arrived.", "Sen. Jones left."]),
    ("Mr. Smith and Dr. Jones met. They talked.", ["Mr. Smith and Dr. Jones met.", "They talked."]),
    ("Gov. Brown signed it. Rep. Smith objected. Lt. Col. Smith spoke.",
     ["Gov. Brown signed it.", "Rep. Smith objected.", "Lt. Col. Smith spoke."]),
    ("Ald. Jones spoke. Gens. Allen and Brooks agreed.", ["Ald. Jones spoke.", "Gens. Allen and Brooks agreed."]),
    ("J.R.R. Tolkien wrote it. George W. Bush read it.", ["J.R.R. Tolkien wrote it.", "George W. Bush read it."]),
    ("Washington, D.C. officials said no.", ["Washington, D.C. officials said no."]),
    ("It happened on Jan. 5 in St. Louis. Then Feb. 3 too.", ["It happened on Jan. 5 in St. Louis.", "Then Feb. 3 too."]),
    ("He is ranked No. 2 in the world. She is No. 1.", ["He is ranked No. 2 in the world.", "She is No. 1."]),
    ("Vol. 3 is out. See p. 24 for more.", ["Vol. 3 is out.", "See p. 24 for more."]),
    ("Apple Inc. reported earnings. Shares rose.", ["Apple Inc. reported earnings.", "Shares rose."]),
    # ... and where they do
    ("She works for Acme Inc. The company is in Ohio.", ["She works for Acme Inc.", "The company is in Ohio."]),
    ("He moved to the U.S. Last year he left.", ["He moved to the U.S.", "Last year he left."]),
    # times
    ("They met at 5 p.m. Monday. They talked.", ["They met at 5 p.m. Monday.", "They talked."]),
    ("It ended at 5 p.m. The next starts at 9 a.m. ET on Friday.",
     ["It ended at 5 p.m.", "The next starts at 9 a.m. ET on Friday."]),
    ("It was 3 a.m. when the call came.", ["It was 3 a.m. when the call came."]),
    # numbers and ellipses
    ("The deal is worth $3.5 million. It closed.", ["The deal is worth $3.5 million.", "It closed."]),
    ("Rates rose 2.5%. They fell 0.3 percent.", ["Rates rose 2.5%.", "They fell 0.3 percent."]),
    ("He paused... Then he spoke. Wait… what?", ["He paused...", "Then he spoke.", "Wait… what?"]),
    ("Is this real? Yes! It is.", ["Is this real?", "Yes!", "It is."]),
    # quotes: the closing quote stays with its sentence; a closed quote binds its attribution
    ('"First. Second," he said. Then he left.', ['"First. Second," he said.', "Then he left."]),
    ("“It’s over,” he said. “We’re done.” She left.", ["“It’s over,” he said.", "“We’re done.”", "She left."]),
    ('He said, "It is over." She agreed.', ['He said, "It is over."', "She agreed."]),
    ('"Stop!" she yelled. "Now!"', ['"Stop!" she yelled.', '"Now!"']),
    ("‘We will win. We always do,’ she said. Yes.", ["‘We will win. We always do,’ she said.", "Yes."]),
    ('"We will win. We always do.', ['"We will win.', "We always do."]),  # unclosed quote does not bind
    # apostrophes are not quotes
    ("In the '90s he moved. Then he came back. It's 'fine'. Really.",
     ["In the '90s he moved.", "Then he came back.", "It's 'fine'.", "Really."]),
    ("Rock 'n' roll is here. The girls' team won. Yes.", ["Rock 'n' roll is here.", "The girls' team won.", "Yes."]),
])
def test_split(text, expected):
    assert sents(text) == expected


def test_long_quote_is_split_with_closing_quote_on_last_piece():
    line = "We will keep fighting for the people of this city every single day."
    text = '"' + " ".join([line] * 6) + '" he said. Then he left.'
    got = sents(text)
    assert got[0] == '"' + line and got[1] == line
    assert got[-2] == line + '" he said.' and got[-1] == "Then he left."


def test_paragraphs_never_share_a_sentence_and_offsets_are_exact():
    text = "First paragraph without an end\nSecond one. It has two.\n\n  Indented third.  \n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First paragraph without an end", "Second one.", "It has two.",
                                             "Indented third."]


def test_empty_and_blank():
    assert split_sentences("") == [] and split_sentences("\n \n") == []


def test_segment_fills_sentences_with_paragraph_numbers():
    a = segment(Article(id="x", raw="", text="One. Two.\nThree.\n\nFour."))
    assert [(s.text, s.paragraph, s.index, s.source) for s in a.sentences] == [
        ("One.", 0, 0, "x"), ("Two.", 0, 1, "x"), ("Three.", 1, 2, "x"), ("Four.", 3, 3, "x")]
    assert all(a.text[s.start:s.end] == s.text for s in a.sentences)


def test_dev_set_invariants():
    path = DATA / "multinews" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    with open(path, encoding="utf-8") as fh:
        texts = [clean_text(d)[0] for row in map(json.loads, fh) for d in row["documents"]]
    n = 0
    for text in texts:
        for s, e in split_sentences(text):
            sent = text[s:e]
            assert sent and sent == sent.strip() and "\n" not in sent
            assert len(sent.split()) <= 150
            n += 1
    assert n > 5000


def test_clean_and_segment_carry_every_article_field():
    """clean() and segment() build their result with the constructor (speed),
    so a field added to Article must be carried there too; this notices."""
    import dataclasses

    from newsbrief.clean import clean

    raw = "Mayor says the harbor line will reopen next week after repairs.\nAdvertisement"
    values = {"id": "a1", "raw": raw, "title": "T", "outlet": "O", "path": "p.txt", "url": "https://x.test/a",
              "published": "2020-01-02", "text": "", "dropped": [], "sentences": [], "author": "A. Writer"}
    fields = {f.name for f in dataclasses.fields(Article)}
    assert fields == set(values), "a new Article field: carry it in clean() and segment(), then add it here"
    a = Article(**values)
    cleaned = clean(a)
    segmented = segment(cleaned)
    for name in fields - {"text", "dropped", "sentences"}:
        assert getattr(cleaned, name) == values[name] and getattr(segmented, name) == values[name], name
    assert cleaned.text and cleaned.dropped and segmented.text == cleaned.text
    assert segmented.dropped == cleaned.dropped and segmented.sentences and not cleaned.sentences


def test_apostrophe_mask_equals_the_one_pattern():
    """The literal-first patterns (one kind of apostrophe in the text) mask
    what the character-set pattern masks."""
    import importlib
    import random

    seg = importlib.import_module("newsbrief.text.segment")
    rng = random.Random(13)
    pieces = ["'", "’", " ", "  ", "n", "N", "s", "90s", "em", "til", "cause", "the", "girls", "a", "Rock", "\n", "9"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(30_000)]
    want = [seg._APOSTROPHE.sub("_", t) for t in texts]
    assert [seg._mask_apostrophes(t) for t in texts] == want
    assert sum(w != t for w, t in zip(want, texts)) > 200  # the pieces do make masks
