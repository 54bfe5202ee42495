"""The trained ranker: the shipped model, a tiny training run end to end, and
the fallback when no model is there."""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import numpy as np
import pytest

import newsbrief
from newsbrief.summarize import DEFAULT_METHOD, Budget, Pool
from newsbrief.summarize.features import FEATURES, features
from newsbrief.summarize.ranker import Ranker, load_model, model_available
from newsbrief.summarize.salience import Salience
from newsbrief.train import soft_labels, train

ROOT = Path(__file__).resolve().parents[1]

TOPICS = ["bridge", "election", "storm", "trial", "museum", "strike", "vaccine", "rocket"]
PLACES = ["Port Alder", "Riverton", "Lake Mara", "Cedar Falls"]


def synthetic_cluster(rng: random.Random, k: int) -> dict:
    """A cluster whose reference repeats the key sentences of its articles, so
    that there is something to learn: the key sentence mentions the topic and
    place and comes early; filler does not."""
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    key = [f"The {topic} in {place} drew wide attention on day {i} of the week, officials said." for i in range(3)]
    docs = []
    for d in range(rng.randint(2, 3)):
        filler = [f"A resident named person{rng.randint(1, 999)} walked a dog past shop number {j} that morning."
                  for j in range(rng.randint(3, 6))]
        body = [key[d % 3]] + filler + [key[(d + 1) % 3]]
        docs.append("\n".join(body))
    return {"id": f"syn-{k}", "documents": docs, "summary": " ".join(key)}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    rng = random.Random(7)
    d = tmp_path_factory.mktemp("train")
    data = d / "train.jsonl"
    data.write_text("\n".join(json.dumps(synthetic_cluster(rng, k)) for k in range(60)) + "\n", encoding="utf-8")
    valid = d / "valid.jsonl"
    valid.write_text("\n".join(json.dumps(synthetic_cluster(rng, k)) for k in range(15)) + "\n", encoding="utf-8")
    out = d / "model"
    rep = train(data, out, valid=valid, workers=1, rounds=40, seed=3)
    assert rep.clusters == 60 and rep.sentences > 300 and rep.rounds >= 1
    return out


def test_tiny_training_run_end_to_end(tiny_model: Path):
    meta = json.loads((tiny_model / "meta.json").read_text())
    assert meta["features"] == FEATURES and meta["format"] == "newsbrief.ranker/1"
    assert meta["training"]["clusters"] == 60 and isinstance(meta["odds"], dict)
    assert not any(p.suffix in {".pkl", ".pickle"} for p in tiny_model.iterdir())  # safe formats only
    m = load_model(str(tiny_model))
    rng = random.Random(99)
    c = synthetic_cluster(rng, 0)
    arts = newsbrief.prepare(newsbrief.article(t, id=f"d{i}") for i, t in enumerate(c["documents"]))
    pool = Pool(arts)
    scores = m.score(pool)
    key = [i for i, s in enumerate(pool.sentences) if "drew wide attention" in s.text]
    filler = [i for i in range(len(pool)) if i not in key]
    # It learnt something: key sentences outscore filler.
    assert scores[key].mean() > scores[filler].mean()
    b = newsbrief.brief(arts, method=Ranker(model=str(tiny_model), blend=100.0), words=None, sentences=1)
    assert "drew wide attention" in b.summary[0].text


def test_soft_labels_are_reference_overlap():
    y = soft_labels([["a", "b", "c"], ["x", "y"], []], ["a", "b", "c", "d"])
    assert y[0] == pytest.approx(1.0) and y[1] == 0.0 and y[2] == 0.0


def test_fallback_without_a_model_warns_and_equals_salience(tmp_path: Path):
    arts = newsbrief.prepare(newsbrief.load(ROOT / "examples" / "cluster").articles)
    with pytest.warns(UserWarning, match="falling back"):
        r = Ranker(model=str(tmp_path / "missing"))
    pool = Pool(arts)
    assert r.select(pool, Budget(words=120)) == Salience().select(pool, Budget(words=120))
    # Without a model there is no length model either: auto means 250 words.
    assert r.resolve(pool, Budget(words=None)).words == 250


@pytest.mark.skipif(not model_available(), reason="no ranker model shipped in newsbrief/models/ranker")
def test_shipped_model_is_the_default_loads_and_scores():
    assert DEFAULT_METHOD == "ranker"
    m = load_model()
    size = sum(p.stat().st_size for p in (Path(newsbrief.__file__).parent / "models" / "ranker").iterdir())
    assert size < 50 * 1024 * 1024
    arts = newsbrief.prepare(newsbrief.load(ROOT / "examples" / "cluster").articles)
    pool = Pool(arts)
    s = m.score(pool)
    assert s.shape == (len(pool),) and np.isfinite(s).all() and s.std() > 0
    assert features(pool, m.odds).shape == (len(pool), len(FEATURES))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a shipped model must not fall back
        b = newsbrief.brief(arts)
    assert b.method == "ranker"
    target = m.target_words(pool)
    assert b.budget["words"] == target and 150 <= target <= 350
    assert abs(b.words - target) <= max(len(x.text.split()) for x in b.summary)
    assert b.words == sum(len(x.text.split()) for x in b.summary)


def test_train_cli_on_real_clusters(shared, tmp_path: Path):
    from typer.testing import CliRunner

    from newsbrief.cli import app

    data = shared / "multinews" / "train_truncated.jsonl.gz"
    r = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(tmp_path / "m"), "--limit", "40",
                                 "--workers", "1", "--rounds", "20"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert rep["clusters"] == 40 and (tmp_path / "m" / "model.txt").is_file()
    assert load_model(str(tmp_path / "m")).score(Pool(newsbrief.prepare(
        newsbrief.load(ROOT / "examples" / "cluster").articles))).std() > 0


def test_text_features_equal_their_regular_expressions():
    """The substring pre-checks in front of the regexes change no value."""
    from newsbrief.summarize import features as F

    texts = ["He said the line would open.", "“We won,” she told reporters.", 'A "short" quote and "another".',
             "Costs rose 5% in 2019.", "They ſaid so.", "Prices rose by ٣ points.", "It was added later.",
             "The unsaid words.", "According to police, nothing happened.", "'This is it,' he added.",
             "No digits, no quotes here.", "Ａccording to ＳAID", ""]
    want = [[bool(F._QUOTE.search(t)), sum(map(len, F._QUOTED.findall(t))) / max(len(t), 1),
             bool(F._DIGIT.search(t)), bool(F._SAID.search(t)), bool(F._PRONOUN_START.match(t))] for t in texts]
    assert F._text_features(texts) == want
    assert sum(row[3] for row in want) >= 5 and sum(row[2] for row in want) == 2


def test_text_features_equal_their_regular_expressions_on_random_text():
    """Keywords glued to word characters, pronouns after quote marks and
    spaces, letters that re.I folds ("ſ", "İ"): the hand-made tests stay exact."""
    import random

    from newsbrief.summarize import features as F

    rng = random.Random(3)
    pieces = ["said", "says", "told", "according to", "stated", "added", "He", "she", "it", "This", "x", "_", "9",
              "ſ", "İt", "Ａ", '"', "“", "'", " ", ".", "unsaid", "saidx", "Told", "0", "4", "7", "٣", "é", "ıt", "“x”"]
    texts = ["".join(rng.choice(pieces) + rng.choice(["", " ", ",", "_"]) for _ in range(rng.randint(0, 5)))
             for _ in range(20_000)]
    want = [[bool(F._QUOTE.search(t)), sum(map(len, F._QUOTED.findall(t))) / max(len(t), 1),
             bool(F._DIGIT.search(t)), bool(F._SAID.search(t)), bool(F._PRONOUN_START.match(t))] for t in texts]
    assert F._text_features(texts) == want
    assert sum(row[3] for row in want) > 1000 and sum(row[4] for row in want) > 1000


def test_odds_features_equal_a_loop_over_each_sentence():
    """odds_top3 (from a sorted grid) and odds_max/odds_mean: what a plain
    loop over each sentence's distinct stems gives, to the last bit, with
    tied and signed-zero odds."""
    pool = Pool(newsbrief.prepare(newsbrief.load(ROOT / "examples" / "cluster").articles))
    rng = random.Random(5)
    stems = sorted({t for ts in pool.tokens for t in ts})
    choices = [0.0, -0.0, 1.0, 1.5, -1.5, rng.uniform(-3, 3), round(rng.uniform(-3, 3), 3)]
    odds = {w: rng.choice(choices) for w in stems if rng.random() < 0.9}
    X = features(pool, odds).astype(np.float64)
    t = pool.terms
    vocab = t.vocab
    assert len(pool) > 20
    for i in range(len(pool)):
        vals = [odds.get(vocab[c], 0.0) for c in t.cols[t.indptr[i]:t.indptr[i + 1]].tolist()]
        best, acc = sorted(vals, reverse=True)[:3], 0.0
        for v in best:
            acc += v
        want = np.float32(acc / max(min(len(vals), 3), 1))
        assert X[i, FEATURES.index("odds_top3")].tobytes() == np.float64(want).tobytes()
        assert X[i, FEATURES.index("odds_max")] == np.float32(max(vals, default=0.0))


def test_best3_sum_is_the_lexsort_and_bincount_bit_for_bit():
    """The sorted grid gives what the library route gives: a stable lexsort of
    the entries by row then value (descending), the first three of each row
    summed by np.bincount. 2**53 + 1 rounds back to 2**53, so any other
    order of addition shows; signed zeros, ties and empty rows are there."""
    from newsbrief.summarize.features import _best3_sum

    rng = np.random.default_rng(4)
    big = 2.0 ** 53
    pick = np.array([0.0, -0.0, 1.0, 1.0, -1.0, big, -big, 0.5, 3.25])
    for _ in range(300):
        n = int(rng.integers(1, 12))
        n_distinct = rng.integers(0, 7, n)
        indptr = np.concatenate([[0], np.cumsum(n_distinct)])
        rows = np.repeat(np.arange(n), n_distinct)
        values = np.where(rng.random(len(rows)) < 0.7, rng.choice(pick, len(rows)), rng.normal(size=len(rows)))
        order = np.lexsort((-values, rows))
        top3 = (np.arange(len(order)) - indptr[rows]) < 3
        want = np.bincount(rows[top3], weights=values[order][top3], minlength=n)
        assert _best3_sum(values, rows, indptr, n_distinct).tobytes() == want.tobytes()


def test_said_keywords_fold_as_the_regex_does():
    """The substring route for 'said' stands on two facts about this
    Python, checked over every code point: re.I matches a keyword letter
    exactly where lower() gives it, but for the characters in _FOLDS; and
    lower() keeps every other character one character long and as much a
    word character (\\w) as it was."""
    import re

    from newsbrief.summarize import features as F

    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = set("".join(F._SAID_WORDS)) - {" "}
    by_regex = set(re.findall(f"[{''.join(sorted(letters))}]", text, re.I))
    by_lower = {c for c in text if c.lower() in letters}
    assert by_regex - by_lower <= set(F._FOLDS) and not by_lower - by_regex
    odd = [c for c in text if c not in F._FOLDS and (len(c.lower()) != 1 or c.isalnum() != c.lower().isalnum())]
    assert odd == []
