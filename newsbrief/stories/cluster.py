"""Online story clustering: each new article joins the most likely existing
story or opens a new one; nothing is ever re-clustered.

Article representation (:func:`features`)
    * keywords: counts of the content-word stems of the title and text, plus
      ``"@name"`` for capitalised words that are not sentence-initial (a
      cheap named-entity proxy; spaCy NER is too slow for 100 articles/s;
      absent from lower-cased text, harmless). The clusterer turns them
      into a unit TF-IDF vector (sublinear tf); IDF counts the shipped
      background frequencies (:mod:`newsbrief.stories.idf`) plus the
      stream's own, so the first articles of a stream are weighted as well
      as the ten-thousandth.
    * vector: the static embedding (``newsbrief.text.embed``) of the title
      plus the first 5,000 characters of the cleaned text. Lexical TF-IDF is
      the stronger signal here (nearest-neighbour story accuracy 0.89 on dev,
      0.77 on val, against 0.82 / 0.62 for the embedding), so the embedding
      only adds one feature.

Candidates (the nearest-neighbour index)
    An inverted index maps each term to the (article, weight) pairs of the
    stored articles using it, the ``max_posting`` most recent only. A new
    article probes the lists of its ``probe_terms`` heaviest terms (the rare
    ones: short lists), accumulates partial dot products, and computes the
    exact cosine with the ``members_checked`` best articles found; their
    stories are the candidates. The work per article is bounded by
    ``probe_terms * max_posting``, whatever the number of stored articles.
    Adding the ten stories nearest by embedding centroid as further
    candidates changed no figure, so it is not done.

Decision
    Each candidate story gets a probability of being the article's story
    from a logistic model over :data:`FEATURES` (cosine with the story's
    TF-IDF centroid, best and second-best member cosine, embedding cosine
    with the story centroid, the margins of the centroid and member cosines
    over the best other candidate, the shared rare terms, the article's
    length), fitted on teacher-forced streams of Multi-News training
    clusters (``bench/stories.py --fit``; weights in
    ``newsbrief/models/stories/scorer.json``). The article joins the most
    probable story when that probability reaches ``threshold``, else it
    opens a new story. When both the article's time and the story's newest
    time are known, a gap beyond ``time_grace`` (3 days) lowers the log-odds
    linearly by up to ``time_weight`` at ``time_grace + time_scale``. When
    the article has a headline and the story's articles had some, the share
    of the headline's IDF mass that their headlines use too raises the
    log-odds by up to ``headline_weight`` (1.5). Times and headlines are
    set by principle, not fitted: Multi-News has neither, so they are
    unmeasured there, and without them the decision is the fitted one.

Merges
    Online decisions split a story whose first articles share little
    wording; a later article that covers both halves bridges them. When the
    article, having joined one story, would have joined another with
    probability ``merge_threshold`` had the first not existed (margins taken
    among the rest), and the two stories' TF-IDF sums have cosine
    ``merge_similarity`` or more, the smaller story is merged into the
    larger (:meth:`OnlineClusterer.merge`, logged in
    :attr:`OnlineClusterer.merges`; a store records it so that the merged
    story's id still resolves). Nothing is ever split.

Junk pages (:mod:`newsbrief.text.junk`: cookie walls, log-in prompts,
archive notices) get a story of their own and stay out of every index, even
when a near-duplicate's story is forced on them: the same template recurs
under unrelated stories. Their ids are in :attr:`OnlineClusterer.junk`.

``add(..., story_id=...)`` forces the story without scoring (a store
replaying its assignments, a near-duplicate joining its original's story):
replaying the same articles in the same order rebuilds the same state, since
a forced add runs the very code a scored one runs after its decision.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .idf import Background, background
from ..text.junk import JUNK_SHARE, is_junk

__all__ = ["FEATURES", "SCORER_FILE", "OnlineClusterer", "Scorer", "features", "keywords", "load_scorer"]

_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)\b")

SCORER_FILE = Path(__file__).resolve().parents[1] / "models" / "stories" / "scorer.json"
FEATURES = ("member", "member2", "centroid", "embedding", "length", "rare", "rare_weight", "rare_idf",
            "member_margin", "centroid_margin")
RARE_IDF = 7.0  # a term used by fewer than ~300 of the 119,019 background documents


def keywords(text: str) -> dict[str, int]:
    """Counts of the content-word stems of ``text`` plus ``@word`` for
    non-initial capitalised words (a cheap named-entity proxy)."""
    from ..text.tokens import STOP_WORDS, content_words

    kw = Counter(content_words(text))
    for m in _CAP.finditer(text):
        w = m.group(1).lower()
        if w not in STOP_WORDS:
            kw["@" + w] += 1
    return dict(kw)


def features(articles: Iterable[Any], chars: int = 5000) -> tuple[np.ndarray, list[dict[str, int]]]:
    """``(vectors, keyword counts)`` of prepared articles: one embedding call
    for the whole batch; each article is embedded as one text (title and the
    first ``chars`` characters of its cleaned text)."""
    from ..text.embed import embed

    texts, kws = [], []
    for a in articles:
        body = a.text or a.raw
        texts.append(((a.title + "\n") if a.title else "") + body[:chars])
        kws.append(keywords(((a.title or "") + "\n" + body)[:20000]))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), []
    return embed(texts), kws


@dataclass(frozen=True, slots=True)
class Scorer:
    """Logistic model: P(story) = sigmoid(weights . features + bias).
    ``merge_threshold`` is the probability at which an article that joined
    one story also bridges it with another (> 1: never), when the two
    stories' TF-IDF sums have a cosine of at least ``merge_similarity``."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    merge_threshold: float = 2.0
    merge_similarity: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                "threshold": self.threshold, "merge_threshold": self.merge_threshold,
                "merge_similarity": self.merge_similarity}


@dataclass(frozen=True, slots=True)
class Merge:
    """Story ``from_id`` went into ``into_id`` when ``article_id`` bridged
    them; ``moved`` are the articles ``from_id`` held then (the bridging one
    among them when it had joined ``from_id``)."""

    from_id: str
    into_id: str
    article_id: str
    moved: tuple[str, ...]


@lru_cache(maxsize=4)
def load_scorer(path: str | Path | None = None) -> Scorer:
    """The shipped scorer (``newsbrief/models/stories/scorer.json``)."""
    p = Path(path) if path is not None else SCORER_FILE
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
        if tuple(d["features"]) != FEATURES:
            raise ValueError(f"features {d['features']} differ from {list(FEATURES)}")
        return Scorer(tuple(float(w) for w in d["weights"]), float(d["bias"]), float(d["threshold"]),
                      float(d.get("merge_threshold", 2.0)), float(d.get("merge_similarity", 0.0)))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise RuntimeError(f"cannot read story scorer {p}: {e}") from None


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def _margin(x: np.ndarray) -> np.ndarray:
    """Each value minus the best of the others."""
    if len(x) < 2:
        return x.copy()
    i = int(np.argmax(x))
    rest = np.delete(x, i)
    out = x - x[i]
    out[i] = x[i] - rest.max()
    return out


class OnlineClusterer:
    """Incremental story grouping (see the module docstring).

    ``threshold`` defaults to the scorer's tuned value; ``scorer`` to the
    shipped one. ``junk_share=None`` turns the junk test off."""

    def __init__(self, threshold: float | None = None, scorer: Scorer | None = None, probe_terms: int = 30,
                 max_posting: int = 100, members_checked: int = 30, junk_share: float | None = JUNK_SHARE,
                 use_background: bool = True, time_grace: float = 3 * 86400.0,
                 time_scale: float = 7 * 86400.0, time_weight: float = 2.0,
                 merge_threshold: float | None = None, merge_similarity: float | None = None,
                 headline_weight: float = 1.5) -> None:
        self.scorer = scorer or load_scorer()
        self.threshold = self.scorer.threshold if threshold is None else threshold
        self.merge_threshold = self.scorer.merge_threshold if merge_threshold is None else merge_threshold
        self.merge_similarity = self.scorer.merge_similarity if merge_similarity is None else merge_similarity
        self._w = np.asarray(self.scorer.weights, dtype=np.float64)
        if min(probe_terms, max_posting, members_checked) < 1:
            raise ValueError("probe_terms, max_posting and members_checked must be at least 1")
        self.probe_terms, self.max_posting, self.members_checked = probe_terms, max_posting, members_checked
        self.junk_share = junk_share
        self.time_grace, self.time_scale, self.time_weight = time_grace, time_scale, time_weight
        self.headline_weight = headline_weight
        self._bg: Background = background() if use_background else Background()
        self._bg_df: dict[str, int] = {}
        self.dim: int | None = None
        # stories, by row
        self._sums: np.ndarray = np.zeros((0, 0), dtype=np.float32)  # embedding sums
        self._cent: np.ndarray = np.zeros((0, 0), dtype=np.float32)  # ... normalised
        self.story_ids: list[str] = []
        self.sizes: list[int] = []
        self.latest: list[float | None] = []
        self.headlines: list[set[str]] = []  # the stems of the members' headlines
        self.story_kw: list[dict[str, float]] = []  # sum of the members' unit TF-IDF vectors
        self._snorm2: list[float] = []
        self.members: list[list[str]] = []
        self._arows: list[list[int]] = []  # each story's article rows
        self._row: dict[str, int] = {}
        self.merges: list[Merge] = []  # in the order made
        # articles, by insertion order (junk pages excluded)
        self._avec: list[dict[str, float]] = []
        self._astory: list[int] = []
        self._postings: dict[str, tuple[array, array]] = {}  # term -> (article rows, weights)
        self.assignment: dict[str, str] = {}
        self.junk: set[str] = set()
        self._junk_rows: set[int] = set()
        self.df: Counter[str] = Counter()
        self.n_docs = 0

    def __len__(self) -> int:
        return len(self.story_ids)

    # --- weights -----------------------------------------------------------
    def _background_df(self, t: str) -> int:
        got = self._bg_df.get(t)
        if got is None:
            if t.startswith("@"):  # a name: its stem's frequency
                from ..text.tokens import stem

                got = self._bg.df.get(stem(t[1:]), 0)
            else:
                got = self._bg.df.get(t, 0)
            self._bg_df[t] = got
        return got

    def _idf(self, t: str) -> float:
        return math.log((self._bg.documents + self.n_docs + 1) / (self._background_df(t) + self.df.get(t, 0) + 1)) + 1.0

    def _vector(self, keywords: Iterable[str] | Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
        """(unit TF-IDF vector, idf of its terms)."""
        if isinstance(keywords, Mapping):
            tf = {t: 1.0 + math.log(c) for t, c in keywords.items() if c > 0}
        else:
            tf = dict.fromkeys(keywords, 1.0)
        idf = {t: self._idf(t) for t in tf}
        v = {t: w * idf[t] for t, w in tf.items()}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        return {t: w / norm for t, w in v.items()}, idf

    # --- scoring -----------------------------------------------------------
    def _member_sims(self, v: dict[str, float]) -> dict[int, float]:
        """Exact cosine with the ``members_checked`` stored articles that
        share most weight on the article's ``probe_terms`` heaviest terms."""
        rows, vals = [], []
        for t in heapq.nlargest(self.probe_terms, v, key=v.__getitem__):
            p = self._postings.get(t)
            if p is not None:
                rows.append(np.frombuffer(p[0], dtype=np.intc))  # array "i" is a C int
                vals.append(np.frombuffer(p[1], dtype=np.float32) * v[t])
        if not rows:
            return {}
        found, inverse = np.unique(np.concatenate(rows), return_inverse=True)
        acc = np.bincount(inverse, weights=np.concatenate(vals))
        del rows, vals  # release the buffers before the arrays grow again
        k = self.members_checked
        top = found[np.argpartition(-acc, k - 1)[:k]] if len(found) > k else found
        return {r: _dot(v, self._avec[r]) for r in top.tolist()}

    def _features(self, e: np.ndarray, v: dict[str, float], idf: dict[str, float]) -> tuple[list[int], np.ndarray]:
        best: dict[int, float] = {}
        second: dict[int, float] = {}
        for r, s in self._member_sims(v).items():
            row = self._astory[r]
            if s > best.get(row, -1.0):
                second[row] = best.get(row, 0.0)
                best[row] = s
            elif s > second.get(row, 0.0):
                second[row] = s
        rows = sorted(best)
        X = np.zeros((len(rows), len(FEATURES)))
        if not rows:
            return rows, X
        emb = self._cent[rows] @ e
        length = math.log1p(len(v))
        for i, row in enumerate(rows):
            skw = self.story_kw[row]
            dot = rare = weight = excess = 0.0
            for t, w in v.items():
                x = skw.get(t)
                if x is not None:
                    dot += w * x
                    if idf[t] > RARE_IDF:
                        rare += 1
                        weight += w
                        excess += idf[t] - RARE_IDF
            X[i, :8] = (best[row], second.get(row, 0.0), dot / math.sqrt(self._snorm2[row] or 1.0), emb[i],
                        length, math.log1p(rare), weight, math.log1p(excess))
        X[:, 8] = _margin(X[:, 0])
        X[:, 9] = _margin(X[:, 2])
        return rows, X

    def _headline_terms(self, headline: str | None) -> dict[str, float]:
        """The headline's content-word stems with their IDF ({}: none given)."""
        from ..text.tokens import content_words

        return {t: self._idf(t) for t in set(content_words(headline))} if headline else {}

    def _probabilities(self, rows: list[int], X: np.ndarray, time: float | None,
                       heads: Mapping[str, float] | None = None) -> np.ndarray:
        z = X @ self._w + self.scorer.bias
        if heads:  # the share of the headline's IDF that a story's headlines use too
            total = sum(heads.values()) or 1.0
            for i, r in enumerate(rows):
                told = self.headlines[r]
                if told:
                    z[i] += self.headline_weight * sum(w for t, w in heads.items() if t in told) / total
        if time is not None:
            for i, r in enumerate(rows):
                last = self.latest[r]
                if last is not None:
                    gap = abs(time - last) - self.time_grace
                    if gap > 0:
                        z[i] -= self.time_weight * min(1.0, gap / self.time_scale)
        return 1.0 / (1.0 + np.exp(-z))

    def candidate_features(self, vector: np.ndarray, keywords: Iterable[str] | Mapping[str, float] = ()
                           ) -> tuple[list[str], np.ndarray]:
        """Candidate story ids and their :data:`FEATURES` rows (what the
        scorer sees; ``bench/stories.py --fit`` learns from it)."""
        v, idf = self._vector(keywords)
        rows, X = self._features(np.asarray(vector, dtype=np.float32).ravel(), v, idf)
        return [self.story_ids[r] for r in rows], X

    def score(self, vector: np.ndarray, keywords: Iterable[str] | Mapping[str, float] = (),
              time: float | None = None, headline: str | None = None) -> list[tuple[int, float]]:
        """Candidate stories (row, probability), most probable first."""
        v, idf = self._vector(keywords)
        rows, X = self._features(np.asarray(vector, dtype=np.float32).ravel(), v, idf)
        p = self._probabilities(rows, X, time, self._headline_terms(headline))
        return sorted(zip(rows, p.tolist()), key=lambda t: -t[1])

    # --- updates -----------------------------------------------------------
    def add(self, article_id: str, vector: np.ndarray, keywords: Iterable[str] | Mapping[str, float] = (),
            time: float | None = None, story_id: str | None = None, headline: str | None = None) -> str:
        """Assign ``article_id`` to a story and return the story id.

        ``keywords`` is a set of terms or a mapping term -> count (as from
        :func:`keywords`); ``time`` is a POSIX timestamp and ``headline``
        the article's headline, when known.
        ``story_id`` forces the story without scoring (e.g. the story of a
        near-duplicate, or a store replaying its assignments); a story id
        not seen before opens that story. A junk page always gets a story
        of its own (a new one when the forced story already exists), and so
        does an article forced into a junk page's story (a copy of it)."""
        if article_id in self.assignment:
            return self.assignment[article_id]
        e = np.asarray(vector, dtype=np.float32).ravel()
        self._grow(len(e))
        counts = keywords if isinstance(keywords, Mapping) else dict.fromkeys(keywords, 1)
        if self.junk_share is not None and (is_junk(counts, self.junk_share) or (
                story_id is not None and story_id in self._row and self._row[story_id] in self._junk_rows)):
            row = self._new_story(story_id if story_id not in self._row else None)
            self._junk_rows.add(row)
            self.sizes[row] = 1
            self.members[row].append(article_id)
            self.junk.add(article_id)
            self.assignment[article_id] = self.story_ids[row]
            return self.story_ids[row]
        v, idf = self._vector(keywords)
        heads = self._headline_terms(headline)
        bridged = -1
        if story_id is not None:
            row = self._row[story_id] if story_id in self._row else self._new_story(story_id)
        else:
            rows, X = self._features(e, v, idf)
            row = -1
            if rows:
                p = self._probabilities(rows, X, time, heads)
                i = int(np.argmax(p))
                if p[i] >= self.threshold:
                    row, bridged = rows[i], self._bridge(rows, X, i, time, heads)
            if row < 0:
                row = self._new_story(None)
        self._insert(article_id, row, e, v, time)
        self.headlines[row].update(heads)
        if bridged >= 0:  # the larger (else older) story keeps its id
            small, large = sorted((row, bridged), key=lambda r: (self.sizes[r], -r))
            self.merge(self.story_ids[small], self.story_ids[large], article_id)
        return self.assignment[article_id]

    def _bridge(self, rows: list[int], X: np.ndarray, chosen: int, time: float | None,
                heads: Mapping[str, float]) -> int:
        """The story, other than the chosen one, that the article would have
        joined with ``merge_threshold`` had the chosen one not existed
        (margins taken among the rest), else -1."""
        if len(rows) < 2 or self.merge_threshold > 1.0:
            return -1
        rest = [r for k, r in enumerate(rows) if k != chosen]
        Y = np.delete(X, chosen, axis=0)
        Y[:, 8] = _margin(Y[:, 0])
        Y[:, 9] = _margin(Y[:, 2])
        p = self._probabilities(rest, Y, time, heads)
        j = int(np.argmax(p))
        if p[j] < self.merge_threshold or rest[j] in self._junk_rows:
            return -1
        a, b = rows[chosen], rest[j]
        cos = _dot(self.story_kw[a], self.story_kw[b]) / math.sqrt((self._snorm2[a] * self._snorm2[b]) or 1.0)
        return b if cos >= self.merge_similarity else -1

    def merge(self, from_id: str, into_id: str, article_id: str) -> Merge:
        """Move every article of story ``from_id`` into ``into_id`` (recorded
        in :attr:`merges`); ``from_id`` is left empty and is never a
        candidate again. The work is the size of ``from_id``, whatever the
        number of stored articles. A store replays its recorded merges
        through here."""
        src, dst = self._row[from_id], self._row[into_id]
        if src == dst or src in self._junk_rows or dst in self._junk_rows:
            raise ValueError(f"cannot merge story {from_id!r} into {into_id!r}")
        done = Merge(from_id, into_id, article_id, tuple(self.members[src]))
        self._sums[dst] += self._sums[src]
        norm = float(np.linalg.norm(self._sums[dst]))
        self._cent[dst] = self._sums[dst] / norm if norm > 0 else 0.0
        skw = self.story_kw[dst]
        for t, w in self.story_kw[src].items():
            skw[t] = skw.get(t, 0.0) + w
        self._snorm2[dst] = sum(w * w for w in skw.values())
        for a in self._arows[src]:
            self._astory[a] = dst
        self._arows[dst] += self._arows[src]
        self.members[dst] += self.members[src]
        for a in self.members[src]:
            self.assignment[a] = into_id
        self.sizes[dst] += self.sizes[src]
        self.headlines[dst] |= self.headlines[src]
        times = [t for t in (self.latest[src], self.latest[dst]) if t is not None]
        self.latest[dst] = max(times) if times else None
        self._sums[src] = 0.0
        self._cent[src] = 0.0
        self.sizes[src], self.latest[src], self.story_kw[src], self._snorm2[src] = 0, None, {}, 0.0
        self._arows[src], self.members[src], self.headlines[src] = [], [], set()
        self.merges.append(done)
        return done

    def rename_story(self, old: str, new: str) -> None:
        """Call story ``old`` ``new`` from now on: a store gives the stories
        the clusterer opens its own ids, the ids a replay of it forces."""
        if new in self._row:
            raise ValueError(f"story id {new!r} is taken")
        row = self._row.pop(old)
        self._row[new] = row
        self.story_ids[row] = new
        for a in self.members[row]:
            self.assignment[a] = new

    def _insert(self, article_id: str, row: int, e: np.ndarray, v: dict[str, float], time: float | None) -> None:
        self._sums[row] += e
        norm = float(np.linalg.norm(self._sums[row]))
        self._cent[row] = self._sums[row] / norm if norm > 0 else 0.0
        self.sizes[row] += 1
        skw = self.story_kw[row]
        self._snorm2[row] += 2 * _dot(v, skw) + sum(w * w for w in v.values())
        a = len(self._avec)
        self._avec.append(v)
        self._astory.append(row)
        self._arows[row].append(a)
        postings, keep = self._postings, self.max_posting
        for t, w in v.items():
            skw[t] = skw.get(t, 0.0) + w
            p = postings.get(t)
            if p is None:
                postings[t] = (array("i", (a,)), array("f", (w,)))
            else:
                p[0].append(a)
                p[1].append(w)
                if len(p[0]) >= 2 * keep:  # keep the most recent
                    del p[0][:-keep], p[1][:-keep]
        self.members[row].append(article_id)
        if time is not None:
            last = self.latest[row]
            self.latest[row] = time if last is None else max(last, time)
        self.df.update(v.keys())
        self.n_docs += 1
        self.assignment[article_id] = self.story_ids[row]

    def _grow(self, dim: int) -> None:
        if self.dim is None:
            self.dim = dim
            self._sums = np.zeros((64, dim), dtype=np.float32)
            self._cent = np.zeros((64, dim), dtype=np.float32)
        elif dim != self.dim:
            raise ValueError(f"vector has {dim} dimensions, the clusterer {self.dim}")
        if len(self.story_ids) >= len(self._sums):
            cap = 2 * len(self._sums)
            for name in ("_sums", "_cent"):
                old = getattr(self, name)
                new = np.zeros((cap, self.dim), dtype=np.float32)
                new[:len(old)] = old
                setattr(self, name, new)

    def _new_story(self, story_id: str | None) -> int:
        row = len(self.story_ids)
        sid, k = story_id, row
        while sid is None or sid in self._row:
            sid, k = f"s{k}", k + 1
        self.story_ids.append(sid)
        self._row[sid] = row
        self.sizes.append(0)
        self.latest.append(None)
        self.headlines.append(set())
        self.story_kw.append({})
        self._snorm2.append(0.0)
        self.members.append([])
        self._arows.append([])
        return row
