"""Online story clustering: each new article joins the most similar existing
story or opens a new one; nothing is ever re-clustered.

Article representation (:func:`features`)
    * vector: the static embedding (``newsbrief.text.embed``) of the title
      plus the first 5,000 characters of the cleaned text, as one text (the
      model mean-pools tokens, so this is a length-weighted mean over the
      sentences). On dev, nearest-neighbour story accuracy is 0.82 for this,
      0.78 for the mean of the first 12 sentence embeddings, 0.74 for 5;
      one call per article is also the cheapest.
    * keywords: counts of the content-word stems of the title and text,
      plus ``"@name"`` for capitalised words that are not sentence-initial
      (a cheap named-entity proxy; spaCy NER is too slow for 100 articles/s;
      absent from lower-cased text, harmless).  Lexical TF-IDF is the
      stronger signal here: nearest-neighbour story accuracy 0.90 (dev) /
      0.81 (val) against 0.78 / 0.66 for the static embeddings.

Matching (:class:`OnlineClusterer`)
    Candidates are the ``candidates`` (10) stories nearest by centroid
    cosine — normalised centroids live in one contiguous float32 matrix, so
    this is one matrix-vector product and an ``argpartition`` (~0.1 ms for
    5,000 stories x 256 dims, far below the per-article embedding and
    cleaning cost at these sizes; swap in hnswlib beyond ~10^5 stories) —
    plus the stories using any of the article's ``rare_terms`` (8) rarest
    already-seen terms (posting lists no longer than ``max_posting``).
    Each candidate scores::

        score = emb_weight * cosine(article, centroid)
              + kw_weight * tfidf_cosine(article, story profile)
              - time_penalty

    The story profile is the sum of its members' sublinear term
    frequencies (1 + log tf); IDF comes from document frequencies counted
    online; the story-side norm is cached and refreshed when the story
    changes. ``time_penalty`` (when the article time and the story's newest
    time are both known) grows linearly from 0 to ``time_weight`` as the gap
    passes ``time_grace`` (3 days) up to ``time_grace + time_scale``. The
    best candidate is joined when its score reaches ``threshold``;
    otherwise a new story opens. Centroids, profiles, postings and document
    frequencies update incrementally. Defaults tuned on Multi-News val
    (``bench/stories.py --tune``).

State serialises via :meth:`OnlineClusterer.state` (a JSON-able dict and a
float32 array of centroid sums) and :meth:`OnlineClusterer.from_state`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

__all__ = ["OnlineClusterer", "features", "keywords"]

_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)\b")


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


class OnlineClusterer:
    def __init__(self, threshold: float = 0.30, kw_weight: float = 1.0, emb_weight: float = 0.15,
                 candidates: int = 10, rare_terms: int = 8, max_posting: int = 50,
                 time_grace: float = 3 * 86400.0, time_scale: float = 7 * 86400.0,
                 time_weight: float = 0.2) -> None:
        self.threshold, self.kw_weight, self.emb_weight = threshold, kw_weight, emb_weight
        self.candidates, self.rare_terms, self.max_posting = candidates, rare_terms, max_posting
        self.time_grace, self.time_scale, self.time_weight = time_grace, time_scale, time_weight
        self.dim: int | None = None
        self._sums: np.ndarray = np.zeros((0, 0), dtype=np.float32)   # capacity x dim, running sums
        self._cent: np.ndarray = np.zeros((0, 0), dtype=np.float32)   # capacity x dim, normalised
        self.story_ids: list[str] = []
        self.sizes: list[int] = []
        self.latest: list[float | None] = []
        self.story_kw: list[dict[str, float]] = []  # term -> summed sublinear tf of members
        self._snorm: list[float] = []
        self._postings: dict[str, list[int]] = {}  # term -> story rows using it
        self._row: dict[str, int] = {}
        self.members: list[list[str]] = []
        self.assignment: dict[str, str] = {}
        self.df: Counter[str] = Counter()
        self.n_docs = 0

    def __len__(self) -> int:
        return len(self.story_ids)

    def _idf(self, t: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(t, 0) + 1)) + 1.0

    def _grow(self, dim: int) -> None:
        if self.dim is None:
            self.dim = dim
            self._sums = np.zeros((64, dim), dtype=np.float32)
            self._cent = np.zeros((64, dim), dtype=np.float32)
        elif len(self.story_ids) == len(self._sums):
            cap = 2 * len(self._sums)
            for name in ("_sums", "_cent"):
                old = getattr(self, name)
                new = np.zeros((cap, self.dim), dtype=np.float32)
                new[:len(old)] = old
                setattr(self, name, new)

    @staticmethod
    def _tf(keywords: Iterable[str] | Mapping[str, float]) -> dict[str, float]:
        if isinstance(keywords, Mapping):
            return {t: 1.0 + math.log(c) for t, c in keywords.items() if c > 0}
        return {t: 1.0 for t in keywords}

    def _story_norm(self, row: int) -> float:
        return math.sqrt(sum((self._idf(t) * c) ** 2 for t, c in self.story_kw[row].items())) or 1.0

    def _candidates(self, vector: np.ndarray, tf: dict[str, float]) -> tuple[np.ndarray, list[int]]:
        n = len(self.story_ids)
        sims = self._cent[:n] @ vector
        k = min(self.candidates, n)
        rows = set((np.argpartition(-sims, k - 1)[:k] if k < n else np.arange(n)).tolist())
        # plus the stories using the article's rarest known terms (short posting lists)
        rare = sorted((t for t in tf if 0 < self.df.get(t, 0) <= self.max_posting), key=lambda t: self.df[t])
        for t in rare[:self.rare_terms]:
            rows.update(self._postings.get(t, ()))
        return sims, sorted(rows)

    def score(self, vector: np.ndarray, keywords: Iterable[str] | Mapping[str, float] = (),
              time: float | None = None) -> list[tuple[int, float]]:
        """Candidate stories (row, score), best first."""
        if not self.story_ids:
            return []
        tf = self._tf(keywords)
        sims, rows = self._candidates(np.asarray(vector, dtype=np.float32).ravel(), tf)
        wa = {t: w * self._idf(t) for t, w in tf.items()}
        anorm = math.sqrt(sum(w * w for w in wa.values())) or 1.0
        out = []
        for r in rows:
            s = self.emb_weight * float(sims[r])
            if wa and self.kw_weight:
                skw = self.story_kw[r]
                dot = sum(w * self._idf(t) * skw[t] for t, w in wa.items() if t in skw)
                s += self.kw_weight * dot / (anorm * self._snorm[r])
            last = self.latest[r]
            if time is not None and last is not None:
                gap = abs(time - last) - self.time_grace
                if gap > 0:
                    s -= self.time_weight * min(1.0, gap / self.time_scale)
            out.append((r, s))
        out.sort(key=lambda t: -t[1])
        return out

    def add(self, article_id: str, vector: np.ndarray, keywords: Iterable[str] | Mapping[str, float] = (),
            time: float | None = None, story_id: str | None = None) -> str:
        """Assign ``article_id`` to a story and return the story id.

        ``keywords`` is a set of terms or a mapping term -> count (as from
        :func:`keywords`); ``time`` is a POSIX timestamp when known.
        ``story_id`` forces the story (e.g. the story of a near-duplicate)."""
        if article_id in self.assignment:
            return self.assignment[article_id]
        v = np.asarray(vector, dtype=np.float32).ravel()
        self._grow(len(v))
        tf = self._tf(keywords)
        if story_id is not None and story_id in self._row:
            row = self._row[story_id]
        else:
            best = self.score(v, tf, time)
            if story_id is None and best and best[0][1] >= self.threshold:
                row = best[0][0]
            else:
                row = self._new_story(story_id)
        self._sums[row] += v
        norm = float(np.linalg.norm(self._sums[row]))
        self._cent[row] = self._sums[row] / norm if norm > 0 else 0.0
        self.sizes[row] += 1
        skw = self.story_kw[row]
        for t, w in tf.items():
            if t not in skw:
                self._postings.setdefault(t, []).append(row)
            skw[t] = skw.get(t, 0.0) + w
        self.members[row].append(article_id)
        if time is not None:
            self.latest[row] = time if self.latest[row] is None else max(self.latest[row], time)
        self.df.update(tf.keys())
        self.n_docs += 1
        self._snorm[row] = self._story_norm(row)
        sid = self.story_ids[row]
        self.assignment[article_id] = sid
        return sid

    def _new_story(self, story_id: str | None) -> int:
        row = len(self.story_ids)
        sid = story_id or f"s{row}"
        self.story_ids.append(sid)
        self._row[sid] = row
        self.sizes.append(0)
        self.latest.append(None)
        self.story_kw.append({})
        self._snorm.append(1.0)
        self.members.append([])
        return row

    # --- persistence -----------------------------------------------------
    def state(self) -> tuple[dict[str, Any], np.ndarray]:
        """``(meta, sums)``: meta is JSON-able; sums is the float32 array of
        centroid sums, one row per story (in ``meta["stories"]`` order)."""
        n = len(self.story_ids)
        meta = {
            "params": {"threshold": self.threshold, "kw_weight": self.kw_weight, "emb_weight": self.emb_weight,
                       "candidates": self.candidates, "rare_terms": self.rare_terms,
                       "max_posting": self.max_posting,
                       "time_grace": self.time_grace, "time_scale": self.time_scale,
                       "time_weight": self.time_weight},
            "dim": self.dim, "n_docs": self.n_docs, "df": dict(self.df),
            "stories": [{"id": s, "size": z, "latest": t, "keywords": dict(k), "members": m}
                        for s, z, t, k, m in zip(self.story_ids, self.sizes, self.latest, self.story_kw,
                                                 self.members)],
        }
        sums = self._sums[:n].copy() if self.dim else np.zeros((0, 0), dtype=np.float32)
        return meta, sums

    @classmethod
    def from_state(cls, meta: dict[str, Any], sums: np.ndarray) -> OnlineClusterer:
        c = cls(**meta["params"])
        c.n_docs, c.df = int(meta["n_docs"]), Counter(meta["df"])
        if meta["dim"]:
            c.dim = int(meta["dim"])
            n = len(meta["stories"])
            cap = max(64, 1 << (n - 1).bit_length()) if n else 64
            c._sums = np.zeros((cap, c.dim), dtype=np.float32)
            c._sums[:n] = np.asarray(sums, dtype=np.float32)
            norms = np.linalg.norm(c._sums, axis=1, keepdims=True)
            c._cent = np.divide(c._sums, norms, out=np.zeros_like(c._sums), where=norms > 0)
        for s in meta["stories"]:
            row = c._new_story(s["id"])
            c.sizes[row] = int(s["size"])
            c.latest[row] = s["latest"]
            c.story_kw[row] = {t: float(w) for t, w in s["keywords"].items()}
            for t in c.story_kw[row]:
                c._postings.setdefault(t, []).append(row)
            c._snorm[row] = c._story_norm(row)
            c.members[row] = list(s["members"])
            for a in s["members"]:
                c.assignment[a] = s["id"]
        return c
