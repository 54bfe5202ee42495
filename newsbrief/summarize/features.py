"""Sentence features for the trained ranker.

Every feature is computed on lower-cased, stemmed content words, because the
training split (Multi-News train, truncated) is lower-cased and tokenised
("( ap )", "we ' ll") while users' text is cased and full-length: a feature
that reads capital letters, paragraph breaks or article length would learn
the training format instead of the news. Position is kept as the index
within the article, which both forms share.
"""

from __future__ import annotations

import math
import re

import numpy as np

from .base import Pool

_QUOTE = re.compile(r"[\"“”]")
_DIGIT = re.compile(r"\d")
_SAID = re.compile(r"\b(said|says|told|according to|stated|added)\b", re.I)
_QUOTED = re.compile(r"[\"“]([^\"”]*)[\"”]")
_PRONOUN_START = re.compile(r"^[\"“']?\s*(he|she|they|it|this|that|these|those|his|her|their)\b", re.I)

FEATURES = [
    "pos", "pos_rel_cluster", "is_first", "n_words", "n_content", "n_docs",
    "centroid", "centroid_rank", "lexrank", "lexrank_rank", "support", "max_sim_other", "mean_sim_other",
    "sim_doc_first", "sim_own_doc", "sumbasic", "sumbasic_max",
    "odds_mean", "odds_max", "odds_top3", "odds_cov",
    "has_quote", "quote_frac", "has_digit", "said", "pronoun_start",
]


def _rank(x: np.ndarray) -> np.ndarray:
    """Rank within the cluster, scaled to [0, 1] (0 = best)."""
    if len(x) < 2:
        return np.zeros(len(x))
    order = np.argsort(-x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    return r / (len(x) - 1)


def features(pool: Pool, odds: dict[str, float] | None = None) -> np.ndarray:
    """One row of ``FEATURES`` per sentence of the pool.

    ``odds`` maps a stem to the log-odds, learnt from the training split, that
    a source word shows up in the reference summary: the ranker's only
    knowledge of which words news summaries keep.

    Word features are computed on the pool's term-count matrix, whole arrays
    at a time (a loop over sentences cost a third of a briefing).
    """
    n = len(pool)
    out = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if not n:
        return out
    odds = odds or {}
    sim = pool.similarity
    n_docs = len(pool.articles)
    cent = pool.centroid_similarity
    lex = pool.lexrank * n
    other = pool.doc[None, :] != pool.doc[:, None]
    sim_other = np.where(other, sim, 0.0)
    docs, first = np.unique(pool.doc, return_index=True)
    first_of = np.zeros(int(docs.max()) + 1, dtype=np.int64)
    first_of[docs] = first
    same = ~other
    np.fill_diagonal(same, False)

    # Per (sentence, distinct word) entries of the count matrix.
    counts = pool.terms
    rows, cols, cnt = counts.rows, counts.cols, counts.data
    n_tokens = np.bincount(rows, weights=cnt, minlength=n)
    n_distinct = np.diff(counts.indptr)
    # SumBasic: mean cluster probability of the sentence's words.
    freq = np.bincount(cols, weights=cnt, minlength=counts.shape[1])
    prob = freq[cols] / max(freq.sum(), 1.0)
    word_odds = np.array([odds.get(w, 0.0) for w in counts.vocab], dtype=np.float64)[cols]
    # The three best odds of each sentence: sort by sentence, then odds, descending.
    order = np.lexsort((-word_odds, rows))
    top3 = (np.arange(len(order)) - counts.indptr[rows]) < 3
    texts = [s.text for s in pool.sentences]

    f = {
        "pos": pool.pos, "pos_rel_cluster": pool.pos / max(int(pool.pos.max()), 1), "is_first": pool.pos == 0,
        "n_words": pool.lengths, "n_content": n_tokens, "n_docs": n_docs,
        "centroid": cent, "centroid_rank": _rank(cent), "lexrank": lex, "lexrank_rank": _rank(lex),
        "support": pool.cross_support,
        "max_sim_other": sim_other.max(axis=1) if n_docs > 1 else 0.0,
        "mean_sim_other": sim_other.sum(axis=1) / np.maximum(other.sum(axis=1), 1),
        "sim_doc_first": sim[np.arange(n), first_of[pool.doc]],
        "sim_own_doc": np.where(same, sim, 0.0).sum(axis=1) / np.maximum(same.sum(axis=1), 1),
        "sumbasic": np.bincount(rows, weights=cnt * prob, minlength=n) / np.maximum(n_tokens, 1) * 100,
        "sumbasic_max": _row_max(prob, counts.indptr) * 100,
        "odds_mean": np.bincount(rows, weights=word_odds, minlength=n) / np.maximum(n_distinct, 1),
        "odds_max": _row_max(word_odds, counts.indptr),
        "odds_top3": (np.bincount(rows[top3], weights=word_odds[order][top3], minlength=n)
                      / np.maximum(np.minimum(n_distinct, 3), 1)),
        "odds_cov": np.bincount(rows, weights=word_odds > 0, minlength=n) / np.maximum(n_distinct, 1),
        "has_quote": [bool(_QUOTE.search(t)) for t in texts],
        "quote_frac": [sum(map(len, _QUOTED.findall(t))) / max(len(t), 1) for t in texts],
        "has_digit": [bool(_DIGIT.search(t)) for t in texts],
        "said": [bool(_SAID.search(t)) for t in texts],
        "pronoun_start": [bool(_PRONOUN_START.match(t)) for t in texts],
    }
    for k, name in enumerate(FEATURES):
        out[:, k] = f[name]
    return out


def _row_max(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Largest of each CSR row's ``values``; 0 for an empty row."""
    out = np.zeros(len(indptr) - 1)
    full = np.flatnonzero(np.diff(indptr) > 0)
    if len(full):
        out[full] = np.maximum.reduceat(values, indptr[full])
    return out


def log_odds(in_source: dict[str, int], in_summary: dict[str, int], docs: int, min_count: int = 20,
             prior: float = 1.0) -> dict[str, float]:
    """Smoothed log-odds that a stem present in a cluster's sources also
    appears in its reference summary, centred on the corpus average."""
    kept = {w: c for w, c in in_source.items() if c >= min_count}
    if not kept:
        return {}
    base = sum(in_summary.get(w, 0) for w in kept) / sum(kept.values())
    base_lo = math.log((base + 1e-9) / (1 - base + 1e-9))
    out = {}
    for w, c in kept.items():
        k = in_summary.get(w, 0)
        p = (k + prior * base) / (c + prior)
        out[w] = round(math.log(p / (1 - p + 1e-9)) - base_lo, 3)
    return out
