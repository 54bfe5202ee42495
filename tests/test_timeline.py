"""Timeline: absolute and relative dates, merging across sources, order."""

from __future__ import annotations

from pathlib import Path

import newsbrief
from newsbrief.analysis.timeline import build_timeline
from newsbrief.model import Article


def _arts(*texts: str, published: str | None = None) -> list[Article]:
    return newsbrief.prepare([Article(id=f"s{i}", raw=t, published=published) for i, t in enumerate(texts)])


def test_absolute_dates_sorted_and_merged() -> None:
    arts = _arts("The bridge opened on March 2, 2017, after years of work. It was planned in 1977.",
                 "After years of work, the bridge opened March 2, 2017. The engineer served from 1981 to 1985.")
    got = build_timeline(arts)
    assert [e.date for e in got] == ["1977", "1981/1985", "2017-03-02"]
    assert got[2].precision == "day" and {c.source for c in got[2].citations} == {"s0", "s1"}
    assert got[1].precision == "range"


def test_relative_needs_published_date() -> None:
    text = "The mayor resigned on Wednesday. Nov. 8 is election day."
    assert build_timeline(_arts(text)) == []  # no publication date: nothing guessed
    got = build_timeline(_arts(text, published="2017-03-03"))  # a Friday
    assert ("2017-03-01", "on Wednesday") in [(e.date, e.relative) for e in got]
    assert "2017-11-08" in [e.date for e in got]


def test_month_year() -> None:
    got = build_timeline(_arts("The meetings took place in July and September 2016, officials said."))
    assert [e.date for e in got] == ["2016-07", "2016-09"]


def test_kislyak(kislyak: list[Path]) -> None:
    got = build_timeline(newsbrief.prepare(newsbrief.load(kislyak).articles))
    dates = {e.date: e for e in got}
    assert "Foreign Ministry" in dates["1977"].text
    assert "1985/1989" in dates and "embassy" in dates["1985/1989"].text
    assert "2008" in dates and len({c.source for c in dates["2008"].citations}) == 2
    assert [e.date for e in got] == sorted(e.date for e in got)


def test_weekday_in_a_sentence_about_plans_is_the_coming_one():
    import newsbrief
    from newsbrief.analysis.timeline import build_timeline

    text = ("The bridge was closed on Tuesday after an inspection found corroded cables.\n"
            "The county ferry will add four sailings a day starting Thursday, the agency said.")
    arts = newsbrief.prepare([newsbrief.article(text, id="a", published="2025-03-11")])  # a Tuesday
    dates = {e.date for e in build_timeline(arts)}
    assert "2025-03-11" in dates and "2025-03-13" in dates and "2025-03-06" not in dates
