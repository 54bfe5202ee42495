"""The benchmarks' own code, offline (no NLTK data, no shared data): the sumy
peer adapter must pick whole sentences of our cleaned text under our budget
rule; the oracle rows and the length curve must score like everything else."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from texts import BRIDGE_ARTICLES

from newsbrief.eval import RougeScorer, evaluate, oracle_summary
from newsbrief.model import Article, Cluster
from newsbrief.pipeline import brief_articles, prepare
from newsbrief.summarize import Budget
from newsbrief.summarize.base import reading_order


def _load(name: str) -> ModuleType:
    """A bench/ script as a module (registered first, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).parents[1] / "bench" / f"{name}.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


quality = _load("quality")
length_curve = _load("length_curve")

ARTICLES = BRIDGE_ARTICLES


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


REFERENCE = ("The council voted to close the river bridge for six months after engineers found cracked supports. "
             "Repairs will cost about four million dollars, and traffic will use the highway bridge.")


def _cluster() -> Cluster:
    return Cluster("bridge", [Article(id=f"a{i}", raw=t) for i, t in enumerate(ARTICLES)], REFERENCE)


def test_oracle_rows_scored_like_methods() -> None:
    rows = {r.method: r for r in quality.run_oracles([_cluster(), Cluster("noref", [])], 40)}
    assert list(rows) == list(quality.ORACLES)
    ours = {r.method: r for r in evaluate([_cluster()], ["lead", "salience"], words=40)}
    for r in rows.values():
        assert r.clusters == 1 and r.skipped == ["noref: no reference summary"]
        assert r.mean("rouge1") >= max(o.mean("rouge1") for o in ours.values())
    assert rows["oracle"].words[0] <= 40 + 10 and rows["oracle (unbounded)"].words[0] >= rows["oracle"].words[0]


def test_length_curve_scores_equal_rouge_score(tmp_path: Path) -> None:
    """The curve's fast ROUGE-1/2 gives rouge-score's figures for the same summaries."""
    items = length_curve.prepared([_cluster()])
    names = ["lead", "sumy-lexrank", "oracle"]
    res = length_curve.curve(items, names, [30, 60])
    scorer, peers = RougeScorer(("rouge1", "rouge2")), {"sumy-lexrank": quality.make_peer("sumy-lexrank")}
    it = items[0]
    for name in names:
        for pt in res[name]:
            budget = Budget(words=pt["budget"])
            if name == "sumy-lexrank":
                texts = quality.peer_summary(it.ready, peers[name], budget)
            elif name == "oracle":
                picked = reading_order(it.pool, oracle_summary(it.pool, REFERENCE, budget.words))
                texts = [it.pool.sentences[i].text for i in picked]
            else:
                texts = [s.text for s in brief_articles(_cluster().articles, method=name, words=budget.words).summary]
            s = scorer.score(texts, REFERENCE)
            assert (pt["rouge1"], pt["rouge2"]) == pytest.approx((s["rouge1"], s["rouge2"]), abs=1e-3)
            assert pt["words"] == sum(len(t.split()) for t in texts)
    out = tmp_path / "curve.png"
    length_curve.plot(res, out, "test", 40.0)
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_cpu_bench_against_another_tree_runs_both_packages(capsys) -> None:
    """bench/cpu.py --against: the other tree is a separate package (its own
    pipeline module) and both brief the clusters; the line names both."""
    cpu = _load("cpu")
    root = Path(__file__).parents[1]
    other = cpu._load_tree(root, "newsbrief_test_other")
    import newsbrief.pipeline

    assert other is not newsbrief.pipeline and other.__name__ == "newsbrief_test_other.pipeline"
    clusters = [Cluster(id=f"c{k}", articles=[Article(id=f"a{i}", raw=t) for i, t in enumerate(ARTICLES)])
                for k in range(2)]
    cpu.against(clusters, root, 1)
    out = capsys.readouterr().out
    assert out.startswith("in-process A/B, 2 clusters x 1 rounds:") and "this / other" in out
