"""The quality benchmark's peer adapter: sumy must pick whole sentences of our
cleaned text under our budget rule, offline (no NLTK data, no shared data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from newsbrief.model import Article
from newsbrief.pipeline import prepare
from newsbrief.summarize import Budget

_spec = importlib.util.spec_from_file_location("bench_quality", Path(__file__).parents[1] / "bench" / "quality.py")
quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(quality)

ARTICLES = [
    """The city council voted on Tuesday to close the old river bridge for repairs.
Engineers found deep cracks in two of the bridge's steel supports last month.
The repairs are expected to take about six months and cost nearly four million dollars.
Commuters will be sent to the new highway bridge two miles to the north.
Local shop owners near the old bridge said they feared losing customers during the closure.""",
    """Officials will shut the river bridge for half a year after inspectors found cracked supports.
The council approved the closure and the repair budget in a unanimous vote.
Drivers should expect longer trips while traffic uses the highway bridge.
The mayor said the safety of residents came before any inconvenience.
A public meeting about detours is planned for next week at the library.""",
]


@pytest.mark.parametrize("peer", quality.PEERS)
@pytest.mark.parametrize("words", [30, 45, 400])
def test_peer_summary_whole_sentences_within_budget(peer: str, words: int) -> None:
    ready = prepare([Article(id=f"a{i}", raw=t) for i, t in enumerate(ARTICLES)])
    pool = [s.text for a in ready for s in a.sentences]
    budget = Budget(words=words)

    summary = quality.peer_summary(ready, quality.make_peer(peer), budget)

    assert summary, "a summary must not be empty"
    idx = [pool.index(s) for s in summary]  # whole source sentences only
    assert idx == sorted(set(idx)), "document order, no repeats"
    total = sum(len(s.split()) for s in summary)
    longest = max(len(s.split()) for s in summary)
    # The rule: each sentence was taken only when its overshoot was smaller
    # than the gap it filled, so the last one leaves total < words + gap.
    assert 2 * total < 2 * words + longest
    # ...and the budget is met: either full, or no unpicked sentence fits
    # (a sentence rejected once can never fit later, the gap only shrinks).
    rest = [len(s.split()) for i, s in enumerate(pool) if i not in idx]
    assert budget.full(len(summary), total) or not any(budget.fits(total, w) for w in rest)
    if words >= sum(len(s.split()) for s in pool):
        assert len(summary) == len(pool)


def test_tokenizer_offline() -> None:
    t = quality.TOKENIZER
    assert t.to_words("The U.S. isn't well-known, 2019.") == ("The", "is", "n't", "well-known")
    assert t.to_sentences("One here. Two there.") == ("One here.", "Two there.")
