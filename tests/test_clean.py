"""The cleaner drops boilerplate with a reason and keeps the story.

Fixture lines are written for these tests (shaped like scraped pages, not
copied from any article)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from newsbrief.clean import clean, clean_text
from newsbrief.model import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

STORY = [
    "The city council voted 7-2 on Tuesday to close the old bridge for repairs, officials said.",
    "Mayor Jane Doe, who followed the debate on Twitter, said the closure would last six months.",
    "Engineers found cracks in photos taken during a routine inspection last spring.",
    "Related charges were filed against the contractor in March, according to court records.",
]


def reasons(raw: str) -> dict[str, str]:
    _, dropped, _ = clean_text(raw)
    return {d.text: d.reason for d in dropped}


def with_story(*lines: str) -> str:
    """Boilerplate lines between real-looking story paragraphs, as on a page."""
    return "\n".join([STORY[0], STORY[1], *lines, STORY[2], STORY[3]])


@pytest.mark.parametrize("line, reason", [
    ("clock menu more-arrow no yes mobile", "navigation"),
    ("Filed under:", "navigation"),
    ("Share this: Twitter", "navigation"),
    ("Help spread the word! Share Tweet 300k shares on Facebook", "share buttons"),
    ("936 SHARES Share Tweet", "navigation"),
    ("Facebook Twitter Email", "navigation"),
    ("(Jane Roe/Agency/Getty Images)", "photo credit"),
    ("John Smith/AP", "photo credit"),
    ("(Image: Getty)", "photo credit"),
    ("toggle caption Jane Roe/NPR", "photo credit"),
    ("Enlarge this image toggle caption Jane Roe/NPR Jane Roe/NPR", "photo credit"),
    ("Enlarge this image", "notice"),
    ("Image copyright Getty Images Image caption The old bridge was built in 1931", "photo caption"),
    ("FILE - In this Aug. 5, 2017 file photo, the old bridge is seen from the river. The council voted to close...",
     "photo caption"),
    ("Media playback is unsupported on your device Media caption The mayor explains the closure", "video caption"),
    ("Sign up for our daily newsletter to get the latest news in your inbox.", "sign-up prompt"),
    ("This story is over 5 years old.", "notice"),
    ("Advertisement", "advertisement"),
    ("Advertisement Continue reading the main story", "advertisement"),
    ("We use cookies to improve your experience. By continuing you accept our cookie policy.", "cookie notice"),
    ("The bridge is closed. — Jane Doe (@janedoe) March 3, 2017", "embedded tweet"),
    ("Related: Council approves new budget for roads", "related link"),
    ("Bridge repairs begin next week Read more", "related link"),
    ("Read or Share this story: https://example.com/abc", "related link"),
    ("PHOTOS: Inside the old bridge", "media link"),
    ("JUST WATCHED Bridge closes Replay More Videos ... MUST WATCH Bridge closes 02:18", "video caption"),
    ("CLOSE The city closes a bridge for six months. Example News", "video caption"),
    ("Associated Press writer John Smith contributed to this report.", "contributor line"),
    ("Write to Jane Roe at jane.roe@example.com", "contact line"),
    ("Follow Jane Roe on Twitter: @janeroe", "contact line"),
    ("By Jane Roe", "byline"),
    ("Copyright 2017 Example Media. All rights reserved.", "notice"),
    ("Story continues below", "notice"),
    ("Topics: bridges, city council, repairs", "navigation"),
])
def test_boilerplate_line_is_dropped_with_reason(line, reason):
    got = reasons(with_story(line))
    assert got.get(line) == reason, got
    text, _, _ = clean_text(with_story(line))
    assert all(s in text for s in STORY)


def test_story_sentences_that_mention_boilerplate_words_are_kept():
    raw = "\n".join(STORY + [
        "She shared a photo of the cracks on Facebook and asked residents to follow the updates.",
        "“We had no choice,” the engineer said. “The bridge was not safe.”",
        "Police said the driver was seen in a video posted online at 3 p.m.",
    ])
    text, dropped, _ = clean_text(raw)
    assert dropped == []
    assert text == raw


def test_caption_before_credit_but_not_a_pointer_to_what_follows():
    got = reasons(with_story("The mayor with engineers (L).", "John Smith/AP"))
    assert got["The mayor with engineers (L)."] == "photo caption"
    got = reasons(with_story("Read part of the interview below.", "John Smith/AP"))
    assert "Read part of the interview below." not in got


def test_author_bio_at_the_top_or_bottom_is_dropped():
    bio = ("Jane Roe is a senior correspondent at Example News, where she covers city hall. "
           "Before joining Example News, she worked at a local paper.")
    assert reasons(with_story() + "\n" + bio)[bio] == "author bio"


def test_inline_credit_and_twitter_link_are_cut_not_the_paragraph():
    raw = "The old bridge at dawn on Monday. (John Smith/Example Agency)\nShe wrote: we will rebuild it pic.twitter.com/abc123"
    text, dropped, _ = clean_text(raw)
    assert "The old bridge at dawn on Monday." in text and "we will rebuild it" in text
    assert {d.reason for d in dropped} >= {"photo credit", "link"}


def test_related_links_after_a_label_are_dropped_until_the_story_resumes():
    raw = with_story("ALSO:", "Council delays vote on parking fees", "Bridge contractor sued over delays")
    got = reasons(raw)
    assert got["Council delays vote on parking fees"] == "related link"
    assert got["Bridge contractor sued over delays"] == "related link"


def test_short_subheading_between_paragraphs_is_dropped():
    assert reasons(with_story("Long road ahead"))["Long road ahead"] == "subheading"


def test_archive_notice_document_ends_with_no_text():
    raw = ("Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive. "
           "Flowing in every day, these data are added to the Wayback Machine after an embargo period.")
    a = clean(Article(id="a", raw=raw))
    assert a.text == "" and a.dropped[0].reason == "archive notice"


def test_cookie_wall_only_document_ends_with_no_text():
    a = clean(Article(id="a", raw="Please enable JavaScript to view this page.\nWe use cookies. Accept all cookies"))
    assert a.text == ""
    assert {d.reason for d in a.dropped} == {"cookie notice"}


def test_headline_becomes_title():
    a = clean(Article(id="a", raw="Old bridge to close for six months\n" + "\n".join(STORY)))
    assert a.title == "Old bridge to close for six months"
    assert a.text.startswith(STORY[0])


def test_nothing_is_dropped_silently():
    raw = "\n".join([
        "clock menu more-arrow no yes mobile", "Filed under:", "Old bridge to close", *STORY,
        "(John Smith/Agency/Getty Images)", "Sign up for the newsletter", "Advertisement",
        "A caption of the bridge at night. (Photo: Jane Roe, AP)",
    ])
    text, dropped, title = clean_text(raw)
    assert not _chars(raw) - _chars(text + "".join(d.text for d in dropped))


def _chars(s: str) -> Counter:
    return Counter(s.replace(" ", "").replace("\n", "").replace("\t", "").replace("\u00a0", ""))


@pytest.fixture(scope="module")
def dev_docs():
    path = DATA / "multinews" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    with open(path, encoding="utf-8") as fh:
        return [d for row in map(json.loads, fh) for d in row["documents"]]


def test_dev_set_nothing_silently_dropped_and_little_story_lost(dev_docs):
    lost_words = total_words = 0
    for raw in dev_docs:
        text, dropped, title = clean_text(raw)
        assert not _chars(raw) - _chars(text + "".join(d.text for d in dropped))
        total_words += len(raw.split())
        lost_words += sum(len(d.text.split()) for d in dropped)
    assert lost_words / total_words < 0.08  # boilerplate is a small share of a page


def test_dev_set_archive_notices_leave_no_text(dev_docs):
    archive = [d for d in dev_docs if d.startswith("Starting in 1996, Alexa Internet") and len(d.split()) < 40]
    assert archive
    for raw in archive:
        assert clean_text(raw)[0] == ""


def test_kislyak_cluster():
    folder = DATA / "kislyak"
    if not folder.exists():
        pytest.skip(f"shared data not found at {folder}")
    vox = next(folder.glob("000_*.txt")).read_text(encoding="utf-8")
    a = clean(Article(id="vox", raw=vox))
    why = {d.text: d.reason for d in a.dropped}
    assert why["clock menu more-arrow no yes mobile"] == "navigation"
    assert why["(Alexander Shcherbak/TASS/Getty Images)"] == "photo credit"
    assert any(r == "author bio" for r in why.values())
    assert a.title and "Kislyak" in a.title
    assert re.search(r"Russian Ambassador to the US Sergey Kislyak", a.text)


def test_npr_framed_caption_of_any_length_is_dropped():
    caption = "Crews from the state transport department inspect a corroded cable on the old bridge over the river on Monday."
    got = reasons(with_story("Enlarge this image", caption, "Jane Roe/Example Radio", "Heard on Morning Edition"))
    assert got[caption] == "photo caption"
    assert got["Jane Roe/Example Radio"] == "photo credit"
    assert got["Heard on Morning Edition"] == "notice"


def test_story_paragraph_before_an_uncaptioned_photo_credit_is_kept():
    para = "The religion followed by many residents includes the ritual use of the river, the council said."
    assert para not in reasons(with_story(para, "AFP"))


def test_npr_toggle_credit_does_not_make_the_line_before_a_caption():
    raw = "Old bridge to close for six months\nEnlarge this image toggle caption Jane Roe/NPR Jane Roe/NPR\n" + "\n".join(STORY)
    text, dropped, title = clean_text(raw)
    assert title == "Old bridge to close for six months"
    assert [d.reason for d in dropped] == ["headline (moved to title)", "photo credit"]


def test_present_tense_caption_before_credit_is_dropped_but_reported_story_text_is_not():
    from newsbrief.clean import clean_text

    raw = ("The council met on Tuesday to discuss the bridge and its repair budget for the year.\n"
           "Traffic cones block the west approach to the Cormorant Street Bridge on Tuesday morning.\n"
           "Jane Doe/The Harbor Ledger\n"
           "Prior to the vote, the mayor said the city had no choice but to close it.\n"
           "Brendan Smialowski/Getty Images\n"
           "The repairs will take at least ten weeks, the state transportation department said.")
    text, dropped, _ = clean_text(raw)
    reasons = {d.text: d.reason for d in dropped}
    assert reasons["Traffic cones block the west approach to the Cormorant Street Bridge on Tuesday morning."] \
        == "photo caption"
    assert "Prior to the vote, the mayor said the city had no choice but to close it." in text


# The speed pre-checks (hints) of the line patterns: each must hold for every
# line its pattern matches, or a boilerplate line would be kept.
HINTED_EXAMPLES = {
    "share buttons": ["936 SHARES Share Tweet", "Share This Article with friends"],
    "notice": ["Copyright 2017 Example Media. All rights reserved.", "© 2019 Example Media, all rights RESERVED"],
    "sign-up prompt": ["Sign up for our daily newsletter to get the latest news in your inbox.",
                       "Get the Morning Briefing EMAILS", "Thanks for subscribing!", "Delivered TO YOUR INBOX daily"],
    "archive notice": ["Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.",
                       "This is a set of web collections curated by the Archive", "The Wayback Machine has it",
                       "Web captures of the page are available"],
    "cookie notice": ["We use cookies to improve your experience.", "Please ENABLE JAVASCRIPT to view this page",
                      "Your browser does not support the video tag."],
    "contributor line": ["Associated Press writer John Smith contributed to this report."],
    "photo caption": ["Photos: The old bridge at night Photos: The old bridge at night closes",
                      "A view of the river 3 of 12 Show Caption The bridge"],
    "related link": ["Bridge repairs begin next week Read more"],
}


def test_line_pattern_hints_hold_for_every_match(dev_docs):
    from newsbrief.clean import rules

    lines = [x for xs in HINTED_EXAMPLES.values() for x in xs]
    lines += [p.strip() for d in dev_docs[:400] for p in d.split("\n") if p.strip()]
    hinted = [(pat, hints, True) for _, pat, _, hints in rules.LINE_PATTERNS if hints]
    hinted += [(pat, hints, False) for _, pat, _, hints in rules._CASED_PATTERNS if hints]
    assert len(hinted) >= 9
    for pat, hints, folded in hinted:
        matched = [x for x in lines if pat.match(x)]
        assert matched, f"no example matches {pat.pattern[:60]}"  # the check below must see matches
        for x in matched:
            if folded and not x.isascii():
                continue  # hints are only used on ASCII lines
            assert any(h in (x.lower() if folded else x) for h in hints), (pat.pattern[:60], x)


def test_caption_tail_is_searched_far_enough_back():
    from newsbrief.clean import rules

    longest = ["Photographed: " + "x" * 80, "Credit: " + "x" * 80, "Photographs courtesy of X" + "x" * 60,
               "AFP PHOTO/" + "x" * 60, "(AP Photo: " + "x" * 80 + ")"]
    for tail in longest:
        line = "The river rose overnight in the valley. " * 3 + tail
        m = rules._CAPTION_TAIL.search(line)
        assert m and m.end() == len(line) and len(m.group(0)) <= rules._CAPTION_TAIL_MAX, tail
        assert rules.line_reason(line) == "photo caption"


def test_inline_credit_found_from_its_bracket_as_with_leading_space():
    """The credit regex starts at "(" (fast); dropping the white space before
    it must give what the plain ``\\s*(...)`` pattern gives."""
    from newsbrief.clean import rules

    plain = re.compile(r"\s*" + rules._INLINE_CREDIT.pattern)
    for para in ["The bridge at night.  (Jane Roe/Agency/Getty Images)",
                 "(Photo: Jane Roe) The bridge (John Smith / AP) at night \t(Credits: Example)",
                 "A view (not a credit) of the bridge (AFP)", "The bridge (AFP) at night", "No credit here."]:
        got, dropped = rules.strip_inline(para)
        assert got == plain.sub("", para).strip()
        assert [d.text for d in dropped] == [m.group(0).strip() for m in plain.finditer(para)]
