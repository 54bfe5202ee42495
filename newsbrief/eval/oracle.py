"""The greedy extractive ROUGE oracle, and ROUGE-1/2 fast enough to call
inside tuning and training loops.

One implementation for everyone: the benchmarks report the oracle as the
ceiling of extractive summarization, and the trained scorer takes its labels
from it, so both must agree on what "best sentences" means.

Exactness. :func:`tokenize` is rouge-score's own tokenizer (lower-case,
non-alphanumerics to spaces, Porter stemmer on words longer than 3 letters),
with the stemmer memoised, since stemming is nearly all of the cost.
Tokenising sentences one by one and concatenating gives the tokens of the
joined text, so :func:`fast_rouge12` on the concatenation equals
rouge-score's ROUGE-1/ROUGE-2 F1 (``tests/test_oracle.py`` checks this).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from nltk.stem import porter
from rouge_score import tokenize as _rouge_tokenize

from ..summarize.base import Budget

if TYPE_CHECKING:
    from ..summarize.base import Pool

__all__ = ["tokenize", "fast_rouge12", "oracle_select", "oracle_summary"]


class _MemoStemmer:
    """rouge-score's stemmer (``DefaultTokenizer(use_stemmer=True)`` builds a
    default ``PorterStemmer``), memoised per word: news text repeats words,
    and Porter stemming dominates tokenising time otherwise."""

    def __init__(self) -> None:
        self.stem = lru_cache(maxsize=1 << 20)(porter.PorterStemmer().stem)


@lru_cache(maxsize=1)
def _stemmer() -> _MemoStemmer:
    return _MemoStemmer()


def tokenize(text: str) -> list[str]:
    """rouge-score's tokens (``DefaultTokenizer(use_stemmer=True)``)."""
    return _rouge_tokenize.tokenize(text, _stemmer())


def bigrams(tokens: Sequence[str]) -> Counter:
    return Counter(zip(tokens, tokens[1:]))


def _f1(overlap: int, cand: int, ref: int) -> float:
    """rouge-score's F1, computed the same way so figures match to the bit."""
    p, r = overlap / max(cand, 1), overlap / max(ref, 1)
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def fast_rouge12(cand_tokens: Sequence[str], ref_tokens: Sequence[str]) -> tuple[float, float]:
    """ROUGE-1 and ROUGE-2 F1 in percent of a candidate against a reference,
    both given as :func:`tokenize` tokens (a summary's tokens are its
    sentences' tokens concatenated in output order; order matters for R2).
    Equal to ``100 * rouge_scorer.RougeScorer([...], use_stemmer=True)``."""
    c1, r1 = Counter(cand_tokens), Counter(ref_tokens)
    c2, r2 = bigrams(cand_tokens), bigrams(ref_tokens)
    o1 = sum(min(v, c1[g]) for g, v in r1.items())
    o2 = sum(min(v, c2[g]) for g, v in r2.items())
    return (100.0 * _f1(o1, len(cand_tokens), len(ref_tokens)),
            100.0 * _f1(o2, max(len(cand_tokens) - 1, 0), max(len(ref_tokens) - 1, 0)))


def oracle_select(sentence_tokens: list[list[str]], reference_tokens: list[str], *,
                  max_words: int | None = None, max_sentences: int | None = None,
                  lengths: Sequence[int] | None = None,
                  candidates: Sequence[int] | Sequence[bool] | np.ndarray | None = None) -> list[int]:
    """The greedy extractive oracle (Nallapati et al. 2017; BertSum; the
    Multi-News paper): repeatedly add the sentence that most increases
    mean(ROUGE-1 F1, ROUGE-2 F1) of the selection against the reference, and
    stop when none increases it, or when the budget is met.

    ``sentence_tokens`` and ``reference_tokens`` are :func:`tokenize` tokens.
    As in those papers, n-grams are counted within sentences (bigrams across
    a sentence boundary depend on output order, which the selection does not
    fix); the selection is then scored like any summary.

    ``max_words`` follows :class:`~newsbrief.summarize.base.Budget`
    (``fits``/``full``), the rule every method obeys, over ``lengths`` (pass
    whitespace word counts, e.g. ``Pool.lengths``; default: token counts).
    ``candidates`` is a boolean mask or a list of allowed indices (default
    all). Returns indices in the order picked (best first), which also serves
    as a ranking for training labels.

    Cost: only n-grams shared with the reference are kept, and each step
    rescans them against the reference counts still unmatched, so a
    25-sentence cluster takes about a millisecond.
    """
    n = len(sentence_tokens)
    if candidates is None:
        allowed: Sequence[int] = range(n)
    else:
        arr = np.asarray(candidates)
        allowed = np.flatnonzero(arr).tolist() if arr.dtype == bool else arr.astype(int).tolist()
    ref1, ref2 = Counter(reference_tokens), bigrams(reference_tokens)
    n1, n2 = len(reference_tokens), max(len(reference_tokens) - 1, 0)
    if not n1:
        return []
    bounded = max_words is not None or max_sentences is not None
    budget = Budget(words=max_words, sentences=max_sentences) if bounded else None

    # Per allowed sentence: (index, words, unigrams, bigrams in the reference, #unigrams, #bigrams).
    pending = []
    for i in allowed:
        t = sentence_tokens[i]
        g1 = {g: c for g, c in Counter(t).items() if g in ref1}
        if not g1:  # nothing in common with the reference: can only lower F1
            continue
        g2 = {g: c for g, c in bigrams(t).items() if g in ref2}
        w = int(lengths[i]) if lengths is not None else len(t)
        pending.append((i, w, g1, g2, len(t), max(len(t) - 1, 0)))

    rem1, rem2 = dict(ref1), dict(ref2)  # reference counts not yet matched
    picked: list[int] = []
    ov1 = ov2 = c1 = c2 = total = 0
    best = 0.0
    while pending and not (budget and budget.full(len(picked), total)):
        choice, choice_ov = -1, (0, 0)
        for k, (_, w, g1, g2, l1, l2) in enumerate(pending):
            if budget and not budget.fits(total, w):
                continue
            o1 = ov1 + sum(min(c, rem1[g]) for g, c in g1.items())
            o2 = ov2 + sum(min(c, rem2[g]) for g, c in g2.items())
            # F1 = 2 * overlap / (candidate + reference): same value as P/R form.
            v = o1 / (c1 + l1 + n1) + (o2 / (c2 + l2 + n2) if c2 + l2 + n2 else 0.0)
            if v > best:
                best, choice, choice_ov = v, k, (o1, o2)
        if choice < 0:
            break
        i, w, g1, g2, l1, l2 = pending.pop(choice)
        for g, c in g1.items():
            rem1[g] = max(rem1[g] - c, 0)
        for g, c in g2.items():
            rem2[g] = max(rem2[g] - c, 0)
        picked.append(i)
        (ov1, ov2), c1, c2, total = choice_ov, c1 + l1, c2 + l2, total + w
    return picked


def oracle_summary(pool: Pool, reference: str, words: int | None = None, *, all_sentences: bool = False,
                   tokens: list[list[str]] | None = None) -> list[int]:
    """The oracle over a newsbrief :class:`Pool`, in the order picked (pass
    through ``reading_order`` for output).

    By default only ``pool.selectable`` sentences may be picked, the same
    sentences every newsbrief method chooses from, so the oracle is the
    ceiling of *our* selection and its picks are labels our selector can
    act on. ``all_sentences=True`` gives the literature's oracle over every
    sentence (fragments, headings and questions included); bench/quality.py
    reports both. With no candidate at all, every sentence is allowed.
    ``tokens`` (one :func:`tokenize` list per sentence) avoids re-tokenising
    a pool used several times.
    """
    toks = tokens if tokens is not None else [tokenize(s.text) for s in pool.sentences]
    cand = None if all_sentences or not pool.selectable.any() else pool.selectable
    return oracle_select(toks, tokenize(reference), max_words=words, lengths=pool.lengths, candidates=cand)
