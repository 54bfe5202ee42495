"""The greedy ROUGE oracle and the fast ROUGE-1/2 that tuning, training and
the benchmarks rely on: exact against rouge-score, a ceiling for every
method, within budget, and fast."""

from __future__ import annotations

import itertools
import statistics
import time

import pytest
from texts import BRIDGE_ARTICLES
from rouge_score import rouge_scorer, tokenizers

from newsbrief.eval import RougeScorer, fast_rouge12, oracle_select, oracle_summary
from newsbrief.eval.oracle import tokenize
from newsbrief.model import Article, Cluster
from newsbrief.pipeline import prepare
from newsbrief.sources import iter_clusters
from newsbrief.summarize import Budget, Pool, methods
from newsbrief.summarize.base import reading_order

PAIRS = [
    ("The council approved the rail line on Tuesday.", "Council approves rail lines; Tuesday's vote."),
    ("It costs $480 million (about 3.5% of the budget), officials said.", "Officials said it costs 480 million."),
    ("Running runners ran; the runner's runs were running late!", "Runners running: runs ran late."),
    ("U.S. COVID-19 cases rose 12,000 in 2020 -- a record.", "In 2020, COVID-19 cases in the U.S. hit a record."),
    ("", "A reference with no candidate at all."),
    ("Nothing in common here.", "Völlig anders: 42 zebras."),
]

CLUSTERS = [
    ("bridge", BRIDGE_ARTICLES,
     "The council voted to close the river bridge for six months after engineers found cracks in its steel "
     "supports. Repairs will cost about four million dollars. Traffic will use the highway bridge, and shop "
     "owners fear losing customers."),
    ("storm", [
        """A powerful storm knocked out power to more than 200,000 homes across the region on Sunday night.
Winds of up to 70 miles per hour toppled trees and brought down power lines in three counties.
Utility crews from neighbouring states were called in to help restore service.
Schools in the hardest-hit towns will stay closed on Monday.
Forecasters expect calmer weather by the middle of the week.""",
        """Emergency officials urged residents to stay away from downed power lines after the storm.
The utility said most customers should have power back by Wednesday.
One man was injured when a tree fell on his car, police said.
The governor declared a state of emergency in the three worst-affected counties."""],
     "A storm with 70 mph winds cut power to over 200,000 homes on Sunday night. The governor declared a "
     "state of emergency in three counties; the utility expects to restore most power by Wednesday. Schools "
     "will stay closed Monday and one man was hurt by a falling tree."),
]


def _pool(docs: list[str]) -> Pool:
    return Pool(prepare([Article(id=f"a{i}", raw=t) for i, t in enumerate(docs)]))


def _score(pool: Pool, picked: list[int], reference: str) -> tuple[float, float]:
    r = RougeScorer(("rouge1", "rouge2")).score([pool.sentences[i].text for i in reading_order(pool, picked)],
                                                reference)
    return r["rouge1"], r["rouge2"]


def test_tokenize_is_rouge_scores_tokenizer() -> None:
    ref = tokenizers.DefaultTokenizer(use_stemmer=True)
    for a, b in PAIRS:
        assert tokenize(a) == ref.tokenize(a) and tokenize(b) == ref.tokenize(b)


@pytest.mark.parametrize(("cand", "ref"), PAIRS)
def test_fast_rouge12_equals_rouge_score(cand: str, ref: str) -> None:
    s = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True).score(ref, cand)
    r1, r2 = fast_rouge12(tokenize(cand), tokenize(ref))
    assert r1 == pytest.approx(100 * s["rouge1"].fmeasure, abs=1e-12)
    assert r2 == pytest.approx(100 * s["rouge2"].fmeasure, abs=1e-12)


def test_fast_rouge12_of_concatenated_sentences_equals_scorer_on_lines() -> None:
    """A summary's tokens are its sentences' tokens joined in output order."""
    pool = _pool(CLUSTERS[0][1])
    picked = [0, 3, 6]
    r1, r2 = fast_rouge12([t for i in picked for t in tokenize(pool.sentences[i].text)], tokenize(CLUSTERS[0][2]))
    assert (r1, r2) == pytest.approx(_score(pool, picked, CLUSTERS[0][2]), abs=1e-12)


@pytest.mark.parametrize("words", [25, 40, 60, None])
@pytest.mark.parametrize(("cid", "docs", "reference"), CLUSTERS)
def test_oracle_beats_or_equals_every_method(cid: str, docs: list[str], reference: str, words: int | None) -> None:
    pool = _pool(docs)
    o1, o2 = _score(pool, oracle_summary(pool, reference, words), reference)
    for name in methods.names():
        m1, m2 = _score(pool, methods.get(name).summarize(pool, Budget(words=words or 400)), reference)
        assert o1 >= m1 and (o1 + o2) >= (m1 + m2), f"{name} at {words} words beats the oracle on {cid}"


def test_oracle_respects_budgets_and_candidates() -> None:
    sents = [tokenize(s) for s in CLUSTERS[1][1][0].split("\n") + CLUSTERS[1][1][1].split("\n")]
    ref = tokenize(CLUSTERS[1][2])
    lengths = [len(s) for s in sents]
    for w in (10, 20, 35, 50):
        picked = oracle_select(sents, ref, max_words=w, lengths=lengths)
        assert picked and len(set(picked)) == len(picked)
        total = 0
        for i in picked:  # every pick obeyed the rule that every method obeys
            assert Budget(words=w).fits(total, lengths[i])
            total += lengths[i]
    assert len(oracle_select(sents, ref, max_sentences=2)) <= 2
    assert set(oracle_select(sents, ref, candidates=[1, 4, 6])) <= {1, 4, 6}
    mask = [i % 2 == 0 for i in range(len(sents))]
    assert all(i % 2 == 0 for i in oracle_select(sents, ref, candidates=mask))
    assert oracle_select(sents, []) == [] and oracle_select([], ref) == []
    # Unbounded, it stops when ROUGE stops rising: not every sentence is taken.
    assert 0 < len(oracle_select(sents, ref)) < len(sents)


def test_oracle_is_fast() -> None:
    pool = _pool([d for _, docs, _ in CLUSTERS for d in docs] * 2)  # ~38 sentences
    toks = [tokenize(s.text) for s in pool.sentences]
    ref = tokenize(CLUSTERS[0][2] + " " + CLUSTERS[1][2])
    oracle_select(toks, ref, max_words=250)
    t0 = time.perf_counter()
    for _ in range(20):
        oracle_select(toks, ref, max_words=250, lengths=pool.lengths)
    assert (time.perf_counter() - t0) / 20 < 0.01


def test_oracle_far_above_lead_on_dev(shared) -> None:
    path = shared / "multinews" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    gains = []
    for c in itertools.islice((c for c in iter_clusters(path) if isinstance(c, Cluster) and c.reference), 10):
        pool = Pool(prepare(c.articles))
        oracle, _ = _score(pool, oracle_summary(pool, c.reference, 250), c.reference)
        lead, _ = _score(pool, methods.get("lead").summarize(pool, Budget(words=250)), c.reference)
        gains.append(oracle - lead)
    assert statistics.fmean(gains) >= 10, gains
