"""What every summarization method shares: the sentence pool with its cached
features, the length budget, redundancy-aware selection, and reading order.

A method only has to say how good each sentence is (``score``); methods that
select differently (lead's round robin, MMR) override ``select``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

import numpy as np
from ..model import Article, Sentence
from ..text.segment import word_count
from ..text.junk import JUNK_SHARE, furniture_stems
from ..text.standalone import Verdict, judge
from ..registry import Registry
from .terms import Lexicon, Terms, gram, term_counts, tfidf_matrix, tfidf_weights, tokenize  # noqa: F401

MIN_WORDS = 6
NOT_NEWS = Verdict("not news (a page about the page)")
MAX_WORDS = 80


DEFAULT_WORDS = 250  # the length of a Newser (Multi-News reference) summary


@dataclass(frozen=True)
class Budget:
    """Summary length: words (whole sentences, within one sentence of the
    target) or a number of sentences. Neither means "let the method choose":
    a method with a length model calibrates it per cluster, the others take
    ``DEFAULT_WORDS``."""

    words: int | None = DEFAULT_WORDS
    sentences: int | None = None

    def __post_init__(self) -> None:
        if (self.words is not None and self.words <= 0) or (self.sentences is not None and self.sentences <= 0):
            raise ValueError("a budget must be positive")

    @classmethod
    def of(cls, words: int | None = None, sentences: int | None = None) -> Budget:
        """The budget a caller asked for (CLI options, API fields, library
        arguments): ``sentences`` overrides ``words``, so that one length
        rule holds everywhere; neither is ``auto``."""
        if sentences is not None:
            return cls(words=None, sentences=sentences)
        return cls(words=words)

    @property
    def auto(self) -> bool:
        return self.words is None and self.sentences is None

    def fits(self, total: int, words: int) -> bool:
        """A sentence that overshoots the word target is taken only when the
        overshoot is smaller than the gap it fills."""
        if self.words is None:
            return True
        gap = self.words - total
        return words <= gap or (words - gap) < gap

    def full(self, picked: int, total: int) -> bool:
        if self.sentences is not None and picked >= self.sentences:
            return True
        return self.words is not None and total >= self.words - 3


@dataclass
class Pool:
    """The sentences of a cluster, flattened, with features computed once and
    shared by every method (and by support finding afterwards)."""

    articles: list[Article]
    sentences: list[Sentence] = field(init=False)
    doc: np.ndarray = field(init=False)  # article index of each sentence
    pos: np.ndarray = field(init=False)  # index of the sentence within its article
    doc_start: np.ndarray = field(init=False)  # pool index of each article's first sentence

    def __post_init__(self) -> None:
        sizes = [len(a.sentences) for a in self.articles]
        self.sentences = [s for a in self.articles for s in a.sentences]
        self.doc = np.arange(len(sizes), dtype=np.int32).repeat(sizes)
        self.pos = np.array([s.index for s in self.sentences], dtype=np.int32)
        # Index of each article's first sentence (articles are contiguous in the pool).
        self.doc_start = np.array([0, *accumulate(sizes[:-1])], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.sentences)

    @cached_property
    def _stems(self) -> tuple[np.ndarray, np.ndarray, Lexicon]:
        """Lexicon ids of each sentence's content words, flattened, and the
        sentence of each (see :func:`terms.tokenize`)."""
        return tokenize([s.text for s in self.sentences])

    @cached_property
    def tokens(self) -> list[list[str]]:
        """Each sentence's stemmed content words (``content_words``)."""
        ids, rows, lex = self._stems
        stems, ids = lex.stems, ids.tolist()
        ends = np.add.accumulate(np.bincount(rows, minlength=len(self))).tolist()
        return [[stems[i] for i in ids[a:b]] for a, b in zip([0, *ends], ends)]

    @cached_property
    def word_counts(self) -> list[int]:
        """Words of each sentence as Python ints: cheap to read one at a
        time (selection, the briefing's total); ``lengths`` is the array."""
        return [word_count(s.text) for s in self.sentences]

    @cached_property
    def lengths(self) -> np.ndarray:
        """Words of each sentence (``Sentence.words``)."""
        return np.array(self.word_counts, dtype=np.int32).reshape(len(self))

    @cached_property
    def verdicts(self) -> list[Verdict]:
        """Whether each sentence reads on its own, and the bracketed edits
        that make it (:func:`newsbrief.text.standalone.judge`)."""
        whole, start = self.whole, self.doc_start.tolist()
        out: list[Verdict] = []
        for a, k, junk in zip(self.articles, start, self.junk):
            n = len(a.sentences)
            out += [NOT_NEWS] * n if junk else judge(a, whole[k:k + n])  # junk: no story in it
        return out

    @cached_property
    def junk(self) -> list[bool]:
        """Each article: a page about the page (an archive notice, a cookie
        wall; :func:`newsbrief.text.junk.is_junk`), from the pool's stems."""
        ids, rows, lex = self._stems
        n = len(self.articles)
        if not len(ids):
            return [True] * n
        web = np.isin(ids, lex.ids(furniture_stems())).astype(float)
        doc = self.doc[rows]
        total = np.bincount(doc, minlength=n)
        return ((total == 0) | (np.bincount(doc, weights=web, minlength=n) >= JUNK_SHARE * total)).tolist()

    @cached_property
    def whole(self) -> list[bool]:
        """Whole sentences of a sane length, not headings, fragments or
        questions (in news, rhetorical set-ups). (One pass in Python: on ~20
        sentences each numpy call costs more than its work.)"""
        n_content = np.bincount(self._stems[1], minlength=len(self)).tolist()
        return [MIN_WORDS <= w <= MAX_WORDS and c >= 3 and s.text.rstrip("\"”’')]")[-1:] in ".!"
                and not s.text.endswith(("...", "…"))  # cut short
                and (s.text.upper() != s.text if s.text.isascii() else any(ch.islower() for ch in s.text))
                for s, w, c in zip(self.sentences, self.word_counts, n_content)]

    @cached_property
    def candidate(self) -> np.ndarray:
        """Sentences fit to stand in a summary on their own: whole, and read
        without their neighbours. Every method selects among these (and
        their followers, see ``after``)."""
        return np.array([ok and v.fault is None for ok, v in zip(self.whole, self.verdicts)],
                        dtype=bool).reshape(len(self))

    @cached_property
    def after(self) -> list[int]:
        """For a sentence that reads only right after the one before it in
        its article ("He also served ...", a quotation continued), that
        sentence's pool index; -1 for every other. A method may pick it once
        it has picked that one, and the reading order keeps the two
        together."""
        return [i - 1 if ok and v.leaning and s.index > 0 else -1
                for i, (s, ok, v) in enumerate(zip(self.sentences, self.whole, self.verdicts))]

    @cached_property
    def selectable(self) -> np.ndarray:
        """Every sentence a method may pick: the candidates and the
        sentences that follow one (``after``)."""
        return self.candidate | (np.array(self.after, dtype=np.int64).reshape(len(self)) >= 0)

    @cached_property
    def terms(self) -> Terms:
        """Counts of each stemmed content word per sentence (see
        :func:`terms.term_counts`)."""
        ids, rows, lex = self._stems
        return term_counts(ids, rows, len(self), lex)

    @cached_property
    def tfidf(self) -> Terms:
        """L2-normalised TF-IDF rows over stemmed content words; IDF from the
        cluster itself, where a word common to every sentence says little."""
        return tfidf_weights(self.terms)

    @cached_property
    def similarity(self) -> np.ndarray:
        return gram(self.tfidf)

    @cached_property
    def centroid_similarity(self) -> np.ndarray:
        """Cosine of each sentence to the cluster's TF-IDF centroid (summed
        as scipy's ``m.mean(axis=0)`` and ``m @ c`` sum, without their
        per-call overhead)."""
        m = self.tfidf
        n, v = m.shape
        if not n:
            return np.zeros(0)
        c = np.bincount(m.cols, weights=m.data * (1.0 / n), minlength=v)
        norm = math.sqrt(math.fsum((c * c).tolist()))  # exactly rounded: whatever the column order
        if not norm:
            return np.zeros(n)
        return np.bincount(m.rows, weights=m.data * (c / norm)[m.cols], minlength=n)

    @cached_property
    def lexrank(self) -> np.ndarray:
        """Continuous LexRank centrality (TF-IDF cosine graph, edges >= 0.1),
        computed once and shared by the lexrank, salience and ranker methods."""
        sim = self.similarity
        return pagerank(np.where(sim >= 0.1, sim, 0.0)) if len(self) else np.zeros(0)

    @cached_property
    def cross_support(self) -> np.ndarray:
        """Share of the *other* articles that hold a sentence similar to this
        one (TF-IDF cosine >= 0.25): what several outlets say."""
        n_docs = len(self.articles)
        if n_docs < 2:
            return np.zeros(len(self))
        docs = np.bincount(self.doc, minlength=n_docs).nonzero()[0]  # articles with sentences; the others support nothing
        best = np.maximum.reduceat(self.similarity, self.doc_start[docs], axis=1)  # best match in each article
        return np.add.reduce((best >= 0.25) & (self.doc[:, None] != docs), axis=1) / (n_docs - 1)


class Summarizer:
    """Base class: rank by ``score``, then pick greedily within the budget,
    skipping sentences too close to one already picked."""

    name = "base"
    redundancy = 0.5  # TF-IDF cosine above which a sentence repeats one already picked

    def score(self, pool: Pool) -> np.ndarray:
        raise NotImplementedError

    def select(self, pool: Pool, budget: Budget, seed: Sequence[int] = ()) -> list[int]:
        """Picks within ``budget``, starting from ``seed`` (the opener)."""
        scores = self.score(pool)
        order = (-scores).argsort(kind="stable")
        return greedy(pool, order, budget, self.redundancy, seed)

    def target_words(self, pool: Pool) -> int | None:
        """This cluster's length in words by the method's length model;
        None when it has none (a method with one overrides this)."""
        return None

    def resolve(self, pool: Pool, budget: Budget) -> Budget:
        """The concrete budget for this cluster, the one place that decides
        it: an explicit budget as given; ``auto`` the method's
        ``target_words``, else ``DEFAULT_WORDS``."""
        if not budget.auto:
            return budget
        words = self.target_words(pool)
        return Budget(words=DEFAULT_WORDS if words is None else words)

    def summarize(self, pool: Pool, budget: Budget) -> list[int]:
        """Indices into ``pool.sentences`` in reading order: the news first
        (:func:`~newsbrief.summarize.order.opener`), then the method's picks
        in narrative order. ``budget`` is a concrete one (see ``resolve``)."""
        if not len(pool):
            return []
        first = opener(pool)
        seed = [first] if first is not None else []
        return narrative_order(pool, self.select(pool, budget, seed), first)


def greedy(pool: Pool, order, budget: Budget, redundancy: float, seed: Sequence[int] = ()) -> list[int]:
    """Take sentences in ``order`` until the budget is met, after ``seed``.

    For a word budget a sentence that overshoots is taken only when the
    overshoot is smaller than the gap it fills, so the result ends within one
    sentence of the target.
    """
    picked: list[int] = list(seed)
    total = sum(pool.word_counts[i] for i in picked)
    if picked and budget.full(len(picked), total):
        return picked
    sim, after, cand = pool.similarity, pool.after, pool.candidate
    waiting: set[int] = set()  # followers passed over before the sentence they follow was picked
    retold = opener_retold(pool, seed)

    def take(i: int) -> bool:
        nonlocal total
        w = pool.word_counts[i]
        if (picked and sim[i, picked].max() > redundancy) or retold[i] or not budget.fits(total, w):
            return False
        picked.append(i)
        total += w
        return True

    for i in order:
        i = int(i)
        if i in picked:
            continue
        if not cand[i]:
            if after[i] >= 0 and after[i] not in picked:
                waiting.add(i)
            if after[i] < 0 or after[i] not in picked:
                continue
        if not take(i):
            continue
        while i + 1 in waiting and take(i + 1):  # its follower, passed over before: now it reads
            i += 1
        if budget.full(len(picked), total):
            break
    if not picked:  # every sentence filtered out: fall back to the best non-empty one
        rest = [int(i) for i in order if pool.lengths[int(i)] > 0]
        picked = rest[:1]
    return picked


OPENER_REDUNDANCY = 0.3  # TF-IDF cosine above which a sentence retells the opening event


def opener_retold(pool: Pool, seed: Sequence[int]) -> np.ndarray:
    """Sentences that tell the opener's event again in other words: a
    reader notices a second telling of the news more than any other
    repetition, so the bar is lower than the method's own."""
    if not seed:
        return np.zeros(len(pool), dtype=bool)
    return np.maximum.reduce(pool.similarity[list(seed)], axis=0) > OPENER_REDUNDANCY


def reading_order(pool: Pool, picked: list[int]) -> list[int]:
    """Group by article, articles in the order of their best picked sentence,
    and sentences in their article's order: the summary reads as one
    outlet's account, then what the others add."""
    rank_of_doc: dict[int, int] = {}
    for r, i in enumerate(picked):
        rank_of_doc.setdefault(int(pool.doc[i]), r)
    return sorted(picked, key=lambda i: (rank_of_doc[int(pool.doc[i])], int(pool.pos[i])))


def position_prior(pool: Pool, decay: float = 0.2) -> np.ndarray:
    """Lead bias: news puts what matters first. exp(-decay * index)."""
    return np.exp(-decay * pool.pos.astype(float))


def minmax(x: np.ndarray) -> np.ndarray:
    """Scale scores to [0, 1] within the cluster, so that signals on
    different scales can be added."""
    if not len(x):
        return x
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


PAGERANK_SOLVE_MAX = 96  # sentences; above, LAPACK's O(n^3) solve costs more than ~40 O(n^2) iterations


def pagerank(weights: np.ndarray, damping: float = 0.85, iters: int = 100, tol: float = 1e-6) -> np.ndarray:
    """Stationary scores of the random walk on ``weights`` with restarts.
    A small graph (a typical cluster) is solved directly, ``(I - d T') r =
    (1 - d) / n``, ~10x cheaper than iterating; a large one by power
    iteration to ``tol`` (L1), which agrees with the solve to ~1e-7."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    w = weights.copy()
    w.flat[::n + 1] = 0.0  # the diagonal
    rows = np.add.reduce(w, axis=1, keepdims=True)
    trans = np.full((n, n), 1.0 / n)
    np.divide(w, rows, out=trans, where=rows > 0)
    if n <= PAGERANK_SOLVE_MAX:
        a = np.eye(n)
        a -= damping * trans.T
        return np.linalg.solve(a, np.full(n, (1 - damping) / n))
    r = np.full(n, 1.0 / n)
    for _ in range(iters):
        nxt = (1 - damping) / n + damping * (trans.T @ r)
        if np.abs(nxt - r).sum() < tol:
            r = nxt
            break
        r = nxt
    return r


methods: Registry[Summarizer] = Registry("summarization method")

from .order import narrative_order, opener  # noqa: E402  (order.py reads Pool; imported last to avoid a cycle)
