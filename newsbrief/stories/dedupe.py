"""Near-duplicate detection (wire copies) with MinHash over word 5-gram
shingles and LSH banding, in pure Python + numpy.

Each text becomes the set of its lower-cased word 5-grams; every shingle is
hashed to 64 bits (stable across processes: crc32 of words, mixed with fixed
odd multipliers), and ``num_perm`` multiply-shift hash functions give the
MinHash signature.  The signature is cut into ``bands`` bands of ``rows``
rows; texts sharing any band are candidates, and a candidate is a duplicate
when the fraction of equal signature entries (an unbiased estimate of the
shingle Jaccard) is at least ``threshold`` (0.8 by default).  With 128
permutations in 32 bands of 4 rows, a pair at Jaccard 0.8 becomes a
candidate with probability > 0.999 and a pair at 0.3 with ~0.23, so lookups
touch only a few buckets, whatever the size of the index.

State (ids, signatures, duplicate links) serialises to plain JSON-able lists
and a numpy array via :meth:`NearDup.state` / :meth:`NearDup.from_state`.

:func:`leave_out_copies` applies ingest's two rules (the same text, or a
near-duplicate) to the articles of one briefing.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import numpy as np

from ..model import Article, LoadError
from ..store import content_hash

__all__ = ["NearDup", "shingles", "minhash", "leave_out_copies"]

_WORD = re.compile(r"[a-z0-9]+")
_MASK32 = np.uint64(0xFFFFFFFF)
# fixed odd multipliers that mix the 5 word hashes of a shingle
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)


def _word_hashes(text: str) -> np.ndarray:
    return np.fromiter((zlib.crc32(w.encode()) for w in _WORD.findall(text.lower())), dtype=np.uint64)


def shingles(text: str, k: int = 5) -> np.ndarray:
    """Unique 64-bit hashes of the word ``k``-grams of ``text`` (a text of
    fewer than ``k`` words is one shingle)."""
    w = _word_hashes(text)
    if len(w) == 0:
        return w
    if len(w) < k:
        w = np.concatenate([w, np.zeros(k - len(w), dtype=np.uint64)])
    n = len(w) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h ^= w[j:j + n] * _MIX[j]
        h = (h << np.uint64(13)) | (h >> np.uint64(51))
    return np.unique(h)


class _Perms:
    def __init__(self, num_perm: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.a = (rng.integers(0, 2**63, num_perm, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
        self.b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)


def minhash(sh: np.ndarray, perms: _Perms) -> np.ndarray:
    """MinHash signature (uint32, one entry per permutation)."""
    if len(sh) == 0:
        return np.full(len(perms.a), 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        hv = (perms.a[:, None] * sh[None, :] + perms.b[:, None]) >> np.uint64(32)
    return hv.min(axis=1).astype(np.uint32)


class NearDup:
    """Index of texts; :meth:`add` says which earlier text a new one copies."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, bands: int = 32, k: int = 5,
                 seed: int = 1) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.threshold, self.num_perm, self.bands, self.k, self.seed = threshold, num_perm, bands, k, seed
        self.rows = num_perm // bands
        self._perms = _Perms(num_perm, seed)
        self.ids: list[str] = []
        self._index: dict[str, int] = {}
        self._sigs: list[np.ndarray] = []
        self.duplicate_of: dict[str, str] = {}  # id -> canonical (first-seen) id
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, id: str) -> bool:
        return id in self._index

    def signature(self, text: str) -> np.ndarray:
        return minhash(shingles(text, self.k), self._perms)

    def _band_keys(self, sig: np.ndarray) -> list[bytes]:
        """The signature's bytes, one key a band (slicing bytes is cheaper than slicing the array)."""
        data, width = sig.tobytes(), 4 * self.rows
        return [data[i:i + width] for i in range(0, len(data), width)]

    def query(self, text: str | None = None, sig: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Indexed texts whose estimated Jaccard with ``text`` reaches the
        threshold, best first."""
        if sig is None:
            sig = self.signature(text or "")
        if np.all(sig == 0xFFFFFFFF):  # empty text: never a duplicate
            return []
        cand: set[int] = set()
        for band, key in zip(self._buckets, self._band_keys(sig)):
            cand.update(band.get(key, ()))
        hits = []
        for i in cand:
            j = float(np.count_nonzero(self._sigs[i] == sig)) / self.num_perm
            if j >= self.threshold:
                hits.append((self.ids[i], j))
        hits.sort(key=lambda t: -t[1])
        return hits

    def add(self, id: str, text: str) -> str | None:
        """Index ``text`` under ``id``; return the id of the (first-seen)
        text it near-duplicates, or None."""
        if id in self._index:
            return self.duplicate_of.get(id)
        sig = self.signature(text)
        hits = self.query(sig=sig)
        self._insert(id, sig)
        if hits:
            best = hits[0][0]
            root = self.duplicate_of.get(best, best)
            self.duplicate_of[id] = root
            return root
        return None

    def insert(self, id: str, sig: np.ndarray, duplicate_of: str | None = None) -> None:
        """Index a known signature with a known link (a store replaying what
        it decided before): no query, no new decision."""
        if id in self._index:
            return
        self._insert(id, np.asarray(sig, dtype=np.uint32))
        if duplicate_of is not None:
            self.duplicate_of[id] = self.duplicate_of.get(duplicate_of, duplicate_of)

    def _insert(self, id: str, sig: np.ndarray) -> None:
        i = len(self.ids)
        self.ids.append(id)
        self._index[id] = i
        self._sigs.append(sig)
        if not np.all(sig == 0xFFFFFFFF):
            for band, key in zip(self._buckets, self._band_keys(sig)):
                band.setdefault(key, []).append(i)

    # --- persistence -----------------------------------------------------
    def state(self) -> tuple[dict[str, Any], np.ndarray]:
        """``(meta, signatures)``: meta is JSON-able, signatures a uint32
        array of shape (n, num_perm)."""
        meta = {"threshold": self.threshold, "num_perm": self.num_perm, "bands": self.bands, "k": self.k,
                "seed": self.seed, "ids": list(self.ids), "duplicate_of": dict(self.duplicate_of)}
        sigs = np.stack(self._sigs) if self._sigs else np.zeros((0, self.num_perm), dtype=np.uint32)
        return meta, sigs

    @classmethod
    def from_state(cls, meta: dict[str, Any], sigs: np.ndarray) -> NearDup:
        nd = cls(meta["threshold"], meta["num_perm"], meta["bands"], meta["k"], meta["seed"])
        for id, sig in zip(meta["ids"], np.asarray(sigs, dtype=np.uint32)):
            nd._insert(id, sig)
        nd.duplicate_of = dict(meta["duplicate_of"])
        return nd


def leave_out_copies(articles: list[Article], errors: list[LoadError]) -> list[Article]:
    """``articles`` (cleaned) without the copies of an earlier one, each
    reported in ``errors`` with ``duplicate_of`` naming the article kept.

    A copy is what ingest keeps out of a story's briefing: the same text
    (:func:`~newsbrief.store.content_hash` of the raw text, ingest's article
    identity) or a near-duplicate (:class:`NearDup`, Jaccard of word 5-grams
    >= 0.8: a wire story under a new headline, a word changed). It repeats
    every sentence of the one kept, so it gives a reader nothing to read and
    would count one report as two sources. When its outlet differs, the
    reason says that outlet carries the story too. A looser reprint (an
    outlet that cut or added paragraphs) stays a source; the analysis counts
    it with the article it copies as one (``analysis.independence``).
    """
    index = NearDup()
    kept: list[Article] = []
    root: dict[str, Article] = {}  # index key (input position) -> the kept article it is, or copies
    same_text: dict[str, str] = {}  # content hash -> key of the first article with that text
    for i, a in enumerate(articles):
        key, h = str(i), content_hash(a.raw or a.text)
        if h in same_text:
            first = same_text[h]
            root[key] = root[first]
            errors.append(_copy(a, root[key], f"same text as {_name(articles[int(first)])}"))
            continue
        same_text[h] = key
        sig = index.signature(a.text)
        hits = index.query(sig=sig)
        if hits:
            near, jaccard = hits[0]
            root[key] = root[near]
            index.insert(key, sig, duplicate_of=near)
            errors.append(_copy(a, root[key], f"near-duplicate of {_name(articles[int(near)])} "
                                              f"({jaccard:.0%} of their 5-word runs shared)"))
        else:
            root[key] = a
            index.insert(key, sig)
            kept.append(a)
    return kept


def _name(a: Article) -> str:
    return a.path or a.id


def _copy(a: Article, kept: Article, what: str) -> LoadError:
    also = f"; {a.outlet} carries it too" if a.outlet and a.outlet != kept.outlet else ""
    return LoadError(_name(a), f"{what}: left out as a copy{also}", duplicate_of=kept.id)
