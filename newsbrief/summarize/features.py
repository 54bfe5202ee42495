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
import threading

import numpy as np

from .base import Pool
from .terms import Terms

_QUOTE = re.compile(r"[\"“”]")
_DIGIT = re.compile(r"\d")
_SAID = re.compile(r"\b(said|says|told|according to|stated|added)\b", re.I)
_QUOTED = re.compile(r"[\"“]([^\"”]*)[\"”]")
# The same for a text without "“": a literal first character is searched for at C speed.
_QUOTED_STRAIGHT = re.compile(r"\"([^\"”]*)[\"”]")
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
    order = (-x).argsort(kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    return r / (len(x) - 1)


_SAID_WORDS = ("said", "says", "told", "according to", "stated", "added")
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")  # \w of a lower-cased ASCII text
# Characters that re.I matches to a keyword letter other than by lower-casing (ı, ſ), or whose
# lower case is longer (İ) or is an ASCII letter (the Kelvin sign): their text goes to the regex.
_FOLDS = ("\u0131", "\u017f", "\u0130", "\u212a")


def _said_in(low: str, ascii_: bool) -> bool:
    r"""``_SAID.search`` of a text, given it lower-cased (and without
    ``_FOLDS``): one of the keywords with no word character (``\w``:
    alphanumeric or "_") on either side, what its ``\b`` ask of a keyword
    that starts and ends with a letter. Substring searches; the regex scans
    at ~20 ns a character."""
    if not ("said" in low or "says" in low or "told" in low or "according to" in low or "stated" in low
            or "added" in low):  # (the common case: six searches, without the loop's overhead)
        return False
    for kw in _SAID_WORDS:
        i = low.find(kw)
        while i >= 0:
            j = i + len(kw)
            if ascii_:
                before = i == 0 or low[i - 1] not in _ASCII_WORD
                after = j == len(low) or low[j] not in _ASCII_WORD
            else:
                before = i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_")
                after = j == len(low) or not (low[j].isalnum() or low[j] == "_")
            if before and after:
                return True
            i = low.find(kw, i + 1)
    return False


def _text_features(texts: list[str]) -> list[list[float]]:
    """has_quote, quote_frac, has_digit, said, pronoun_start of each text.

    The regular expressions are the definition; they scan at ~20 ns a
    character, so substring tests (C speed) stand in for them where they
    give the same answer: an ASCII digit, a keyword between non-word
    characters in the lower-cased text (unless the text holds a character
    that re.I folds otherwise, ``_FOLDS``)."""
    out = []
    for t in texts:
        ascii_ = t.isascii()  # then re.I and \d match nothing beyond ASCII
        quote = '"' in t or "“" in t or "”" in t
        if "“" in t:
            frac = sum(map(len, _QUOTED.findall(t))) / max(len(t), 1)
        else:
            frac = sum(map(len, _QUOTED_STRAIGHT.findall(t))) / max(len(t), 1) if '"' in t else 0.0
        if ascii_:
            # Ten substring searches (memchr) cost a tenth of one set look-up per character.
            digit = ("0" in t or "1" in t or "2" in t or "3" in t or "4" in t or "5" in t or "6" in t or "7" in t
                     or "8" in t or "9" in t)
            said = _said_in(t.lower(), True)
        else:
            digit = ("0" in t or "1" in t or "2" in t or "3" in t or "4" in t or "5" in t or "6" in t or "7" in t
                     or "8" in t or "9" in t) or bool(_DIGIT.search(t))
            said = bool(_SAID.search(t)) if any(map(t.__contains__, _FOLDS)) else _said_in(t.lower(), False)
        out.append([quote, frac, digit, said, bool(_PRONOUN_START.match(t))])
    return out


def _best3_sum(values: np.ndarray, rows: np.ndarray, indptr: np.ndarray, n_distinct: np.ndarray) -> np.ndarray:
    """Sum of each row's three largest ``values`` (CSR layout), added from 0.0
    best first: what ``np.bincount`` over a lexsort of the entries gives,
    bit for bit, at half the cost. Each row's values are laid out in a
    column and sorted; a missing value adds 0.0, which changes no sum
    started from 0.0."""
    n = len(n_distinct)
    width = int(np.maximum.reduce(n_distinct)) if n else 0
    if not width:
        return np.zeros(n)
    grid = np.empty((width, n))
    grid.fill(np.inf)
    grid[np.arange(len(values)) - indptr[rows], rows] = -values
    grid.sort(axis=0)
    best3 = -grid[:3]  # a new array, rows in order (negation is exact, signed zeros too)
    best3[best3 == -np.inf] = 0.0
    return np.add.reduce(best3, axis=0, initial=0.0)


class _OddsTable:
    """The odds of every lexicon stem as an array, filled as the lexicon
    grows: one dict look-up per stem per process, not per cluster."""

    def __init__(self) -> None:
        self.key: tuple[int, int] = (0, 0)
        self.odds: dict[str, float] | None = None
        self.values = np.zeros(0)
        self.filled = 0
        self.lock = threading.Lock()

    def get(self, odds: dict[str, float], terms: Terms) -> np.ndarray:
        lex = terms.lexicon
        with self.lock:  # the server briefs in threads
            if self.odds is not odds or self.key != (id(odds), id(lex)):
                self.odds, self.key, self.filled = odds, (id(odds), id(lex)), 0
            need = len(lex.stems)
            if need > self.filled:
                if need > len(self.values):
                    grown = np.zeros(max(need, 2 * len(self.values), 1024))
                    grown[:self.filled] = self.values[:self.filled]
                    self.values = grown
                self.values[self.filled:need] = [odds.get(w, 0.0) for w in lex.stems[self.filled:need]]
                self.filled = need
            return self.values[terms.stem_ids]


_odds_table = _OddsTable()


def features(pool: Pool, odds: dict[str, float] | None = None) -> np.ndarray:
    """One row of ``FEATURES`` per sentence of the pool.

    ``odds`` maps a stem to the log-odds, learnt from the training split, that
    a source word shows up in the reference summary: the ranker's only
    knowledge of which words news summaries keep.

    Word features are computed on the pool's term-count matrix, whole arrays
    at a time (a loop over sentences cost a third of a briefing).
    """
    n = len(pool)
    if not n:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    odds = odds or {}
    sim = pool.similarity
    n_docs = len(pool.articles)
    cent = pool.centroid_similarity
    lex = pool.lexrank * n
    doc = pool.doc
    other = doc[None, :] != doc[:, None]
    sim_other = np.where(other, sim, 0.0)
    same = ~other
    same.flat[::n + 1] = False  # the diagonal
    own = np.bincount(doc)[doc]  # sentences in each sentence's article
    first_of = pool.doc_start[doc]  # each sentence's article's first sentence

    # Per (sentence, distinct word) entries of the count matrix.
    counts = pool.terms
    rows, cols, cnt, indptr = counts.rows, counts.cols, counts.data, counts.indptr
    n_tokens = np.bincount(rows, weights=cnt, minlength=n)
    n_distinct = indptr[1:] - indptr[:-1]
    n_distinct1 = np.maximum(n_distinct, 1)
    # SumBasic: mean cluster probability of the sentence's words.
    freq = np.bincount(cols, weights=cnt, minlength=counts.shape[1])
    prob = freq[cols] / max(np.add.reduce(freq), 1.0)
    word_odds = _odds_table.get(odds, counts)[cols]
    top3_sum = _best3_sum(word_odds, rows, indptr, n_distinct)
    # Largest word probability and odds of each sentence, 0 without words.
    row_max = np.zeros((2, n))
    full = n_distinct.nonzero()[0]
    if len(full):
        both = np.empty((2, len(cols)))
        both[0], both[1] = prob, word_odds
        row_max[:, full] = np.maximum.reduceat(both, indptr[full], axis=1)

    columns = [
        pool.pos, pool.pos / max(int(np.maximum.reduce(pool.pos)), 1), pool.pos == 0,  # pos, pos_rel_cluster, is_first
        pool.lengths, n_tokens, np.full(n, n_docs),  # n_words, n_content, n_docs
        cent, _rank(cent), lex, _rank(lex), pool.cross_support,  # centroid(_rank), lexrank(_rank), support
        np.maximum.reduce(sim_other, axis=1) if n_docs > 1 else np.zeros(n),  # max_sim_other
        np.add.reduce(sim_other, axis=1) / np.maximum(n - own, 1),  # mean_sim_other
        sim[np.arange(n), first_of],  # sim_doc_first
        np.add.reduce(np.where(same, sim, 0.0), axis=1) / np.maximum(own - 1, 1),  # sim_own_doc
        np.bincount(rows, weights=cnt * prob, minlength=n) / np.maximum(n_tokens, 1) * 100,  # sumbasic
        row_max[0] * 100,  # sumbasic_max
        np.bincount(rows, weights=word_odds, minlength=n) / n_distinct1,  # odds_mean
        row_max[1],  # odds_max
        top3_sum / np.maximum(np.minimum(n_distinct, 3), 1),  # odds_top3
        np.bincount(rows, weights=word_odds > 0, minlength=n) / n_distinct1,  # odds_cov
    ]
    columns += zip(*_text_features([s.text for s in pool.sentences]), strict=True)
    # One conversion of every column (each value exactly to float64, then to float32).
    return np.array(columns, dtype=np.float64).T.astype(np.float32, order="C")


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
