"""Sentence-by-stem matrices of a pool, as plain numpy arrays.

A cluster holds ~20 sentences: scipy.sparse's per-call overhead (format
checks, index dtypes, matmul dispatch) cost more than its arithmetic, so the
pool keeps the CSR arrays itself and multiplies densely while that is small.
Every figure is summed in the order scipy and scikit-learn sum it, so the
values are theirs to the last bit (``tests/test_summarize.py`` checks it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from ..text.tokens import STOP_WORDS, stem, words

if TYPE_CHECKING:
    from scipy import sparse

# Counts are laid out densely up to 2**20 cells (8 MB), beyond that sorted.
# The similarity is summed densely while the (sentence, entry, sentence)
# array is small: its cost grows as sentences^2 x longest row, scipy's CSR
# product's as entries x sentences-per-stem plus a fixed ~0.1 ms, so for
# larger pools scipy.sparse is cheaper.
DENSE_CELLS = 1 << 20
GRAM_DENSE_CELLS = 1 << 16
LEXICON_MAX = 1_000_000


class Lexicon(dict[str, int]):
    """Word -> id of its stem when it is a content word, else -1: the filter
    and stemmer of :func:`newsbrief.text.tokens.content_words`, paid once per
    word per process instead of once per occurrence."""

    def __init__(self) -> None:
        super().__init__()
        self.stems: list[str] = []
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()  # the server briefs in threads; a miss must number a stem once

    def __missing__(self, word: str) -> int:
        with self._lock:
            i = -1
            if word not in STOP_WORDS and len(word) > 1:
                s = stem(word)
                i = self._ids.setdefault(s, len(self.stems))
                if i == len(self.stems):
                    self.stems.append(s)
            self[word] = i
            return i

    def ids(self, stems) -> list[int]:
        """The ids of those of ``stems`` the lexicon has numbered."""
        known = self._ids
        return [known[s] for s in stems if s in known]


_lexicon = Lexicon()


def lexicon() -> Lexicon:
    """The process's lexicon; a fresh one once it holds ``LEXICON_MAX``
    words (pools keep the one they were built with)."""
    global _lexicon
    if len(_lexicon) > LEXICON_MAX:
        _lexicon = Lexicon()
    return _lexicon


@dataclass(frozen=True)
class Terms:
    """Stemmed content words per sentence, as CSR arrays: row ``i``'s entries
    are ``indptr[i]:indptr[i+1]``, in the order scikit-learn's vectorizers
    lay them out (by each stem's first occurrence in the pool), with their
    column (local stem number), value (count, or TF-IDF weight) and row."""

    indptr: np.ndarray
    cols: np.ndarray
    data: np.ndarray
    rows: np.ndarray
    stem_ids: np.ndarray  # lexicon id of each column's stem
    lexicon: Lexicon

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, len(self.stem_ids)

    @property
    def vocab(self) -> list[str]:
        """The stem of each column."""
        stems = self.lexicon.stems
        return [stems[i] for i in self.stem_ids.tolist()]

    def with_data(self, data: np.ndarray) -> Terms:
        return Terms(self.indptr, self.cols, data, self.rows, self.stem_ids, self.lexicon)

    def to_scipy(self) -> sparse.csr_matrix:
        from scipy import sparse

        n, v = self.shape
        return sparse.csr_matrix((self.data, self.cols, self.indptr), shape=(n, max(v, 1) if n else v))


def tokenize(texts: list[str]) -> tuple[np.ndarray, np.ndarray, Lexicon]:
    """Lexicon ids of the content words of each text, flattened, with the
    text each belongs to: ``content_words`` of every text, as ids."""
    lex = lexicon()
    ws = [words(t) for t in texts]
    ids = np.array(list(map(lex.__getitem__, chain.from_iterable(ws))), dtype=np.int64)  # (fromiter: slower)
    rows = np.arange(len(texts)).repeat([len(w) for w in ws])
    keep = ids >= 0
    return ids[keep], rows[keep], lex


def term_counts(ids: np.ndarray, rows: np.ndarray, n: int, lex: Lexicon) -> Terms:
    """Counts of each stem per sentence (float64), laid out as
    scikit-learn's ``CountVectorizer`` lays them out but for the column
    numbering (first occurrence here, alphabetical there), which changes no
    value."""
    uniq, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    v = len(uniq)
    by_first = first.argsort()  # columns numbered by first occurrence
    rank = np.empty(v, dtype=np.int64)
    rank[by_first] = np.arange(v)
    cols = rank[inverse]
    stem_ids = uniq[by_first]
    key = rows * v + cols
    if n * v <= DENSE_CELLS:
        cnt = np.bincount(key, minlength=n * v)
        key = cnt.nonzero()[0]
        counts = cnt[key].astype(np.float64)
    else:
        key, counts = np.unique(key, return_counts=True)
        counts = counts.astype(np.float64)
    erows, ecols = np.divmod(key, v) if v else (key, key)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.accumulate(np.bincount(erows, minlength=n), out=indptr[1:])
    return Terms(indptr, ecols, counts, erows, stem_ids, lex)


def tfidf_weights(counts: Terms) -> Terms:
    """TF-IDF rows from :func:`term_counts`, as scikit-learn's
    ``TfidfVectorizer(sublinear_tf=True, norm="l2")`` computes them: tf = 1 +
    ln(count), smoothed idf = ln((1 + n) / (1 + df)) + 1, rows L2-normalised.

    Hand-written for speed: on a cluster of ~20 sentences the vectorizer's
    parameter checks and sparse conversions cost several times the
    arithmetic. With sklearn's in-row order every sum adds in the same
    order, so the figures are identical to the last bit."""
    n, v = counts.shape
    cols, rows = counts.cols, counts.rows
    data = np.log(counts.data) + 1.0
    idf = np.log((n + 1) / (np.bincount(cols, minlength=v) + 1.0)) + 1.0
    data *= idf[cols]
    norm = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
    data /= np.where(norm > 0, norm, 1.0)[rows]
    return counts.with_data(data)


def gram(m: Terms) -> np.ndarray:
    """``m @ m.T`` as a dense array, summed as scipy's CSR product sums it:
    ``out[i, j]`` adds ``w_ie * m[j, col_e]`` over row ``i``'s entries in
    order, here as a sum over the middle axis of an (i, e, j) array, which
    numpy adds in sequence (``np.add.reduceat`` does not, nor a sum over a
    lone axis: one sentence is a Python sum, in order, not scipy, whose
    import would cost a batch worker ~0.2 s for a few one-sentence pools)."""
    n, v = m.shape
    if not n:
        return np.zeros((0, 0))
    if n == 1:
        total = 0.0
        for w in m.data.tolist():
            total += w * w
        return np.array([[total]])
    width = int(np.maximum.reduce(m.indptr[1:] - m.indptr[:-1]))
    if n * n * width > GRAM_DENSE_CELLS:
        s = m.to_scipy()
        return (s @ s.T).toarray()
    dense_t = np.zeros((v, n))
    dense_t[m.cols, m.rows] = m.data
    terms = np.zeros((n, width, n))
    terms[m.rows, np.arange(len(m.data)) - m.indptr[m.rows]] = dense_t[m.cols] * m.data[:, None]
    return np.add.reduce(terms, axis=1)


def tfidf_matrix(docs: list[list[str]]) -> sparse.csr_matrix:
    """TF-IDF rows of tokenised documents in scikit-learn's layout, columns
    alphabetical: ``TfidfVectorizer(analyzer=identity, sublinear_tf=True,
    norm="l2")``, bit for bit (what the tests compare against)."""
    from scipy import sparse

    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(t, len(index)) for d in docs for t in d), dtype=np.int64)
    lex = Lexicon()
    lex.stems = list(index)  # the tokens stand for stems here
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    t = tfidf_weights(term_counts(ids, rows, len(docs), lex))
    n, v = t.shape
    if not v:
        return sparse.csr_matrix((n, 1 if n else 0))
    vocab = t.vocab
    by_name = np.empty(v, dtype=np.int32)
    by_name[sorted(range(v), key=vocab.__getitem__)] = np.arange(v, dtype=np.int32)
    return sparse.csr_matrix((t.data, by_name[t.cols], t.indptr.astype(np.int32)), shape=(n, v))
