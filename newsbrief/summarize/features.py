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
    support = pool.cross_support
    other = pool.doc[None, :] != pool.doc[:, None]
    sim_other = np.where(other, sim, 0.0)
    max_other = sim_other.max(axis=1) if n_docs > 1 else np.zeros(n)
    mean_other = sim_other.sum(axis=1) / np.maximum(other.sum(axis=1), 1)
    first_idx = {int(d): int(np.flatnonzero(pool.doc == d)[0]) for d in np.unique(pool.doc)}
    sim_first = np.array([sim[i, first_idx[int(pool.doc[i])]] for i in range(n)])
    same = ~other
    np.fill_diagonal(same, False)
    sim_own = np.where(same, sim, 0.0).sum(axis=1) / np.maximum(same.sum(axis=1), 1)

    # SumBasic: mean cluster probability of the sentence's words.
    freq: dict[str, int] = {}
    for toks in pool.tokens:
        for t in toks:
            freq[t] = freq.get(t, 0) + 1
    total = max(sum(freq.values()), 1)
    max_pos = max(int(pool.pos.max()), 1)

    for i, s in enumerate(pool.sentences):
        toks = pool.tokens[i]
        probs = [freq[t] / total for t in toks]
        ods = sorted((odds.get(t, 0.0) for t in set(toks)), reverse=True)
        quoted = sum(len(q) for q in re.findall(r"[\"“]([^\"”]*)[\"”]", s.text))
        out[i] = (
            pool.pos[i], pool.pos[i] / max_pos, float(pool.pos[i] == 0), pool.lengths[i], len(toks), n_docs,
            cent[i], 0.0, lex[i], 0.0, support[i], max_other[i], mean_other[i],
            sim_first[i], sim_own[i],
            float(np.mean(probs)) * 100 if probs else 0.0, max(probs) * 100 if probs else 0.0,
            float(np.mean(ods)) if ods else 0.0, ods[0] if ods else 0.0, float(np.mean(ods[:3])) if ods else 0.0,
            sum(1 for o in ods if o > 0) / max(len(ods), 1),
            float(bool(_QUOTE.search(s.text))), quoted / max(len(s.text), 1), float(bool(_DIGIT.search(s.text))),
            float(bool(_SAID.search(s.text))), float(bool(_PRONOUN_START.match(s.text))),
        )
    out[:, FEATURES.index("centroid_rank")] = _rank(cent)
    out[:, FEATURES.index("lexrank_rank")] = _rank(lex)
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
