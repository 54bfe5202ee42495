"""Agreements: statements that two or more sources make.

Two sentences from different sources agree when they say the same thing in
other words, not merely when they are about the same topic. Embedding cosine
alone rewards topic ("Kislyak did nothing wrong" and "details about Kislyak
are hard to come by" score 0.75), so a pair also needs lexical overlap,
weighted by the cluster's IDF so that the story's name words ("Kislyak",
"Russia", "ambassador"), present everywhere, count little and the words that
carry the claim ("disclosed", "confirmation", "recruiter") count a lot.

A long sentence often shares only one clause with another ("..., who has
served as the Russian ambassador since 2008"): when both sentences hold the
same specific number, the words around it are compared instead.

Thresholds were set by reading cross-source pairs of the Kislyak cluster
and of Multi-News dev clusters (precision first).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Agreement, Article, Citation, Sentence
from ..text import content_words, words

MIN_CONTENT = 4  # fewer content words: a heading or a fragment, not a statement
COS = 0.55  # embedding cosine a whole-sentence match needs...
LEX = 0.4  # ...and IDF-weighted overlap (containment in the shorter sentence)
STRONG_COS, STRONG_LEX = 0.72, 0.3  # near-paraphrases need less word overlap
WINDOW = 10  # words either side of a shared number
ANCHOR_LEX, ANCHOR_COS = 0.5, 0.4

_NUM = re.compile(r"\d")


@dataclass
class _Item:
    doc: int
    sent: Sentence
    toks: set[str]


def _idf(items: Sequence[_Item]) -> dict[str, float]:
    df = Counter(t for it in items for t in it.toks)
    n = len(items)
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def _overlap(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    """IDF-weighted share of the lighter sentence's words found in the other."""
    wa, wb = sum(idf.get(t, 1.0) for t in a), sum(idf.get(t, 1.0) for t in b)
    if not wa or not wb:
        return 0.0
    return sum(idf.get(t, 1.0) for t in a & b) / min(wa, wb)


def _window(text: str, number: str) -> set[str]:
    ws = words(text)
    out: set[str] = set()
    for i, w in enumerate(ws):
        if w == number:
            out |= set(content_words(" ".join(ws[max(0, i - WINDOW): i + WINDOW + 1])))
    return out


def _anchors(toks: set[str]) -> set[str]:
    """Specific numbers (years, amounts): "1" or "2" say little."""
    return {t for t in toks if _NUM.search(t) and (len(t) >= 3 or t.isdigit() and int(t) > 12)}


def pair_score(a: _Item, b: _Item, cos: float, idf: dict[str, float]) -> float:
    """Similarity of two sentences of different sources, 0 when they do not
    state the same thing."""
    lex = _overlap(a.toks, b.toks, idf)
    if (cos >= COS and lex >= LEX) or (cos >= STRONG_COS and lex >= STRONG_LEX):
        return (cos + lex) / 2
    if cos >= ANCHOR_COS:
        for n in _anchors(a.toks) & _anchors(b.toks):
            wa, wb = _window(a.sent.text, n), _window(b.sent.text, n)
            if len(wa & wb) >= 3 and _overlap(wa, wb, idf) >= ANCHOR_LEX:
                return (cos + _overlap(wa, wb, idf)) / 2
    return 0.0


def _items(articles: Sequence[Article]) -> list[_Item]:
    out = []
    for d, a in enumerate(articles):
        for s in a.sentences:
            toks = set(content_words(s.text))
            t = s.text.rstrip("\"”’')] ")
            if len(toks) >= MIN_CONTENT and not t.endswith("?"):
                out.append(_Item(d, s, toks))
    return out


def sentence_embeddings(articles: Sequence[Article], sentences: Sequence[Sentence]) -> np.ndarray:
    """Embeddings of ``sentences``, computed once per story: agreements and
    contradictions both ask, for overlapping sets of sentences."""
    from ..text.embed import embed

    global _LAST
    key = tuple((a.id, a.text) for a in articles)
    cached = _LAST  # one read: another thread may replace it, never half of it
    if cached is None or cached[0] != key:
        every = [s for a in articles for s in a.sentences]
        cached = (key, {(s.source, s.index): i for i, s in enumerate(every)}, embed([s.text for s in every]))
        _LAST = cached
    _, rows, emb = cached
    return emb[[rows[(s.source, s.index)] for s in sentences]]


_LAST: tuple | None = None  # the last story's (key, sentence rows, embeddings)


def match_matrix(articles: Sequence[Article]) -> tuple[list[_Item], np.ndarray]:
    """Candidate sentences and their pairwise agreement scores (0 within a
    source and for non-matches). Shared with the contradiction finder."""
    items = _items(articles)
    n = len(items)
    score = np.zeros((n, n), dtype=np.float32)
    if n < 2:
        return items, score
    emb = sentence_embeddings(articles, [it.sent for it in items])
    cos = emb @ emb.T
    idf = _idf(items)
    docs = np.array([it.doc for it in items])
    for i in range(n):
        for j in np.nonzero((docs > docs[i]) & (cos[i] >= ANCHOR_COS))[0]:
            s = pair_score(items[i], items[j], float(cos[i, j]), idf)
            score[i, j] = score[j, i] = s
    return items, score


def find_agreements(articles: Sequence[Article]) -> list[Agreement]:
    """Groups of matching sentences, one per source, ranked by number of
    sources then similarity.

    Grouping is greedy from the strongest pair: a sentence joins a group
    when it matches every member (complete link), so a chain of loose
    matches (A~B, B~C, A and C unrelated) never becomes one statement.
    """
    items, score = match_matrix(articles)
    pairs = sorted(zip(*np.nonzero(np.triu(score))), key=lambda p: -score[p])
    group_of: dict[int, list[int]] = {}
    groups: list[list[int]] = []
    for i, j in pairs:
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is None and gj is None:
            g = [i, j]
            groups.append(g)
            group_of[i] = group_of[j] = g
        elif (gi is None) != (gj is None):
            g, new = (gi, j) if gi is not None else (gj, i)
            if items[new].doc not in {items[k].doc for k in g} and all(score[new, k] > 0 for k in g):
                g.append(new)
                group_of[new] = g
    out = []
    for g in groups:
        sub = score[np.ix_(g, g)]
        k = len(g)
        sim = float(sub.sum() / (k * (k - 1)))
        central = g[int(np.argmax(sub.sum(axis=1)))]
        g = sorted(g, key=lambda x: items[x].doc)
        names = [articles[items[x].doc].id for x in g]
        out.append(Agreement(text=items[central].sent.text, sources=names,
                             citations=[Citation.of(items[x].sent) for x in g], score=round(sim, 4)))
    out.sort(key=lambda a: (-len(a.sources), -a.score))
    return out
