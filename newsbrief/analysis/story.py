"""The analysis context of one story, and the cross-source alignment every
finder shares.

:class:`Story` is to the analysis what :class:`~newsbrief.summarize.base.Pool`
is to the summary (and wraps one): parses, embeddings, typed values and the
alignment, each computed once on first use and passed explicitly to every
finder, so no result depends on what ran before (no module-level cache).

The alignment pairs sentences of different *independent* sources that are
about the same thing and judges each pair: ``same`` (a paraphrase whose
values are compatible), ``conflicting`` (the same slot with incompatible
values: "killed five" / "seven people died"), or ``related`` (about the same
thing, nothing comparable). The summary's "also in", the agreements, the
contradictions and the fact table all read these pairs, so they cannot
disagree about a sentence.

Paraphrase needs both embedding cosine and IDF-weighted word overlap:
cosine alone rewards topic ("Kislyak did nothing wrong" and "details about
Kislyak are hard to come by" score 0.75); weighting by the story's IDF makes
its name words, present everywhere, count little. A long sentence often
shares one clause with another: when both give the same specific number,
the words around it are compared instead.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ..model import Article, Sentence
from ..summarize.base import Pool
from ..text import content_words, words
from ..text.tokens import STOP_WORDS
from .independence import Sources, independent_sources
from .values import Value, compare, names_in, same_frame, values

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..model import Entity

__all__ = ["Story", "Pair", "NOT_STATEMENTS"]

MIN_CONTENT = 3  # fewer content words: a heading or a fragment, not a statement
PARAPHRASE_CONTENT = 4
COS, LEX = 0.55, 0.4  # a paraphrase: embedding cosine and IDF-weighted overlap (containment in the shorter)...
STRONG_COS, STRONG_LEX = 0.72, 0.3  # ...near-paraphrases need less word overlap
CANDIDATE_SIM = 0.1  # TF-IDF cosine a pair needs to be judged at all (every kind of pair shares words)
ANCHOR_COS, ANCHOR_LEX, WINDOW = 0.4, 0.5, 10  # a shared specific number: the words around it
ALIGN_COS, ALIGN_LEX = 0.5, 0.3  # about the same thing (values may differ, which lowers similarity)
NUMBER_ALIGN = 1.0  # cosine + overlap a pair needs before its amounts and counts are compared

# Verdicts of text.standalone that mark page furniture, not statements:
# captions and credits, transcript labels, deks, teasers, calls to the
# reader, pages about the page, and fragments never judged.
NOT_STATEMENTS = frozenset({"furniture", "transcript", "dek", "teaser", "addresses the reader", "not judged",
                            "not news (a page about the page)"})

# Faults of a sentence whose subject is a word for someone named before
# ("His bond was set at $100,000", "The actor, 43, ..."): its values may be
# about another person than a similar sentence's.
UNKNOWN_REFERENT = frozenset({"dangling pronoun", "dangling description"})

_NUM = re.compile(r"\d")


def _norm(text: str) -> str:
    """Lower case, curly apostrophes straight, no dots: "U.S." is "us"."""
    return text.lower().replace("’", "'").replace(".", "")


@dataclass(frozen=True, slots=True)
class Pair:
    """Two sentences of different articles about the same thing (pool
    indices, ``a`` in the earlier article). Between copies of one source
    only ``conflicting`` pairs exist."""

    a: int
    b: int
    verdict: str  # same, conflicting, related
    score: float  # paraphrase strength (cosine and overlap), 0 when not a paraphrase
    conflicts: tuple[tuple[Value, Value], ...] = ()

    def other(self, i: int) -> int:
        return self.b if i == self.a else self.a


class Story:
    """Everything the finders of one story share, computed once on demand."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self._vectors: dict[int, np.ndarray] = {}
        self._values: dict[int, list[Value]] = {}
        self._judged: dict[tuple[int, int], Pair | None] = {}
        self._pairs_with: dict[int, list[Pair]] = {}

    @classmethod
    def of(cls, articles: list[Article]) -> Story:
        """The story of prepared (cleaned, segmented) articles."""
        return cls(Pool(articles))

    @property
    def articles(self) -> list[Article]:
        return self.pool.articles

    @property
    def sentences(self) -> list[Sentence]:
        return self.pool.sentences

    def article_of(self, i: int) -> int:
        return int(self.pool.doc[i])

    # --- sources -----------------------------------------------------------------

    @cached_property
    def sources(self) -> Sources:
        """Independent sources: copies and one outlet's articles count once."""
        return independent_sources(self.articles)

    # --- sentences ---------------------------------------------------------------

    @cached_property
    def statements(self) -> list[int]:
        """Pool indices of the sentences that state something: not
        furniture (captions, credits, deks), not a question, enough content
        words. Only these are aligned, so no caption becomes a fact."""
        tokens, verdicts = self.pool.tokens, self.pool.verdicts
        out = []
        for i, s in enumerate(self.sentences):
            if verdicts[i].fault in NOT_STATEMENTS or len(set(tokens[i])) < MIN_CONTENT:
                continue
            if s.text.rstrip("\"”’')] ").endswith("?"):
                continue
            out.append(i)
        return out

    def vectors(self, rows: list[int]) -> np.ndarray:
        """L2-normalised sentence vectors of these pool indices, embedded on
        first use (ask for many at once, :meth:`pairs_for` does: the model's
        cost is mostly per call, not per sentence)."""
        missing = [i for i in dict.fromkeys(rows) if i not in self._vectors]
        if missing:
            from ..text.embed import embed

            for i, v in zip(missing, embed([self.sentences[i].text for i in missing])):
                self._vectors[i] = v
        return np.array([self._vectors[i] for i in rows]).reshape(len(rows), -1)

    @cached_property
    def idf(self) -> dict[str, float]:
        """IDF of content stems over the story's sentences: the story's own
        name words weigh little, the words that carry a claim a lot."""
        rows = [set(t) for t in self.pool.tokens if len(set(t)) >= MIN_CONTENT]
        df = Counter(t for r in rows for t in r)
        n = len(rows)
        return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}

    def values_of(self, i: int) -> list[Value]:
        """Typed values of sentence ``i``."""
        if i not in self._values:
            self._values[i] = values(self.sentences[i].text)
        return self._values[i]

    # --- alignment ---------------------------------------------------------------

    def pairs_with(self, i: int) -> list[Pair]:
        """The aligned pairs sentence ``i`` is in. Candidates: statements of
        other articles sharing words with it (:meth:`_candidates`) and close
        in embedding space.
        Between copies of one source (a reprint, one outlet's articles) only
        conflicts are kept: a copy confirms nothing, but a reprint that
        changed a value still disagrees."""
        if i in self._pairs_with:
            return self._pairs_with[i]
        out: list[Pair] = []
        group, doc = self.sources.group, self._doc
        cands = self._candidates(i)
        if cands:
            cos = self.vectors(cands) @ self.vectors([i])[0]
            for j, c in zip(cands, cos.tolist()):
                if c < ANCHOR_COS and not self._one_given_name(i, j):
                    continue
                a, b = (i, j) if doc[i] < doc[j] else (j, i)
                if (a, b) not in self._judged:
                    pair = self._judge(a, b, c)
                    if pair is not None and pair.verdict != "conflicting" and group[doc[a]] == group[doc[b]]:
                        pair = None  # a copy confirms nothing; but a copy that changed a value still differs
                    self._judged[(a, b)] = pair
                if self._judged[(a, b)] is not None:
                    out.append(self._judged[(a, b)])
        out.sort(key=lambda p: -p.score)
        self._pairs_with[i] = out
        return out

    def pairs_for(self, rows: list[int]) -> dict[int, list[Pair]]:
        """:meth:`pairs_with` for several sentences, their candidates
        embedded in one call."""
        need = set(rows)
        for i in rows:
            need.update(self._candidates(i))
        if need:
            self.vectors(sorted(need))
        return {i: self.pairs_with(i) for i in rows}

    @cached_property
    def pairs(self) -> list[Pair]:
        """Every aligned cross-source pair, strongest paraphrase first."""
        out = {(p.a, p.b): p for ps in self.pairs_for(self.statements).values() for p in ps}
        return sorted(out.values(), key=lambda p: (-p.score, p.a, p.b))

    def _candidates(self, i: int) -> list[int]:
        """Statements of other articles that share enough words with
        statement ``i`` to be judged (TF-IDF cosine; every kind of pair
        shares words: a paraphrase, a number's window, a value's
        surroundings)."""
        if i not in self._statement_set:
            return []
        doc, sim = self._doc, self.pool.similarity[i]
        return [j for j in np.nonzero(sim >= CANDIDATE_SIM)[0].tolist() if j in self._statement_set and doc[j] != doc[i]]

    @cached_property
    def _doc(self) -> list[int]:
        return self.pool.doc.tolist()

    @cached_property
    def _statement_set(self) -> set[int]:
        return set(self.statements)

    def _tokens(self, i: int, plain: bool = False) -> set[str]:
        toks = set(self.pool.tokens[i])
        return {t for t in toks if not _NUM.search(t)} if plain else toks

    def _judge(self, i: int, j: int, cos: float) -> Pair | None:
        idf = self.idf
        para = self._paraphrase(i, j, cos)
        lex = _overlap(self._tokens(i, True), self._tokens(j, True), idf)
        aligned = bool(para) or (cos >= ALIGN_COS and lex >= ALIGN_LEX)
        vi, vj = self.values_of(i), self.values_of(j)
        if not aligned and not (vi and vj):
            return None
        ta, tb = self.sentences[i].text, self.sentences[j].text
        # Not aligned as sentences: a pair only when the words around two
        # values of one slot match closely ("a collect call ... at 6:57 p.m."
        # in a sentence that otherwise tells something else).
        cmp = compare(ta, tb, vi, vj, idf, anchored=not aligned, paraphrase=bool(para))
        if not aligned and cmp.status != "conflicting":
            return None
        conflicts = tuple((x, y) for x, y in cmp.conflicts if _comparable(x, aligned, bool(para), cos + lex))
        conflicts = tuple((x, y) for x, y in conflicts if x.kind != "name" or self.other_person(i, x, j, y))
        verdicts = self.pool.verdicts
        if verdicts[i].fault in UNKNOWN_REFERENT or verdicts[j].fault in UNKNOWN_REFERENT:
            # "His bond was set at $100,000": whose? Two such sentences may be
            # about two people, so their values are not compared.
            conflicts = ()
        elif not para and not names_in(ta) & names_in(tb):
            # About the same kind of thing, naming no one in common: maybe two
            # people, unless the very words around the values are the same.
            conflicts = tuple((x, y) for x, y in conflicts if same_frame(ta, x, tb, y))
        elif _two_subjects(ta, tb):
            conflicts = ()  # "Simpson ... weighs 157 pounds" / "Carlie ... weighing about 75 lbs."
        if conflicts:
            return Pair(i, j, "conflicting", para, conflicts)
        if not aligned:
            return None
        if para and (_two_people(ta, tb) or i in self._repeated or j in self._repeated):
            # "Jordan Scott, 19, ... was charged with ..." / "Ashley Oxendine, 18, ...", or a line a list repeats
            para = 0.0
        return Pair(i, j, "same" if para else "related", para)

    def _one_given_name(self, i: int, j: int) -> bool:
        """Both sentences name someone of one given name with two surnames:
        judged however differently the rest is worded (the roles decide)."""
        given = {v.head for v in self.values_of(i) if v.kind == "name"}
        return any(v.kind == "name" and v.head in given for v in self.values_of(j))

    @cached_property
    def _repeated(self) -> set[int]:
        """Sentences said more than once in their own article, up to their
        numbers ("His bond was set at $100,000." after each suspect of a
        list): about several things, so they confirm no one of them."""
        keys = [(s.source, re.sub(r"[\d.,]+", "#", s.text.strip())) for s in self.sentences]
        seen = Counter(keys)
        return {i for i, k in enumerate(keys) if seen[k] > 1}

    def _paraphrase(self, i: int, j: int, cos: float) -> float:
        """How strongly two sentences state the same thing in other words
        (0: they do not)."""
        a, b = self._tokens(i), self._tokens(j)
        if len(a) < PARAPHRASE_CONTENT or len(b) < PARAPHRASE_CONTENT:
            return 0.0
        idf = self.idf
        lex = _overlap(a, b, idf)
        if (cos >= COS and lex >= LEX) or (cos >= STRONG_COS and lex >= STRONG_LEX):
            return (cos + lex) / 2
        # The best shared anchor, not the first found: a set's order changes with the hash seed,
        # and the result must not.
        best = 0.0
        for n in _anchors(a) & _anchors(b):
            wa, wb = _window(self.sentences[i].text, n), _window(self.sentences[j].text, n)
            if len(wa & wb) >= 3 and (w := _overlap(wa, wb, idf)) >= ANCHOR_LEX:
                best = max(best, w)
        return (cos + best) / 2 if best else 0.0

    @cached_property
    def _lower_words(self) -> set[str]:
        return {w for a in self.articles for w in re.findall(r"\b[a-z][a-z’'-]+\b", a.text)}

    def other_person(self, i: int, x: Value, j: int, y: Value) -> bool:
        """Two surnames after one given name are a conflict only when both
        are proper names in this story (never written in lower case) and
        one of them never appears in the other article: else the story has
        two people of that given name."""
        if any(w.lower() in self._lower_words for w in (x.text, y.text, x.head)):
            return False
        texts = self._normed_texts
        return _norm(x.text) not in texts[self.article_of(j)] or _norm(y.text) not in texts[self.article_of(i)]

    @cached_property
    def _normed_texts(self) -> list[str]:
        return [_norm(a.text) for a in self.articles]

    @cached_property
    def same(self) -> dict[tuple[int, int], float]:
        """Paraphrase strength of every pair judged ``same``, both ways
        round: what agreements are grouped from."""
        out: dict[tuple[int, int], float] = {}
        for p in self.pairs:
            if p.verdict == "same":
                out[(p.a, p.b)] = out[(p.b, p.a)] = p.score
        return out

    # --- parses and people -------------------------------------------------------

    @cached_property
    def docs(self) -> list[list[Doc]]:
        """One spaCy Doc per sentence of each article (``docs[i][j]`` is
        ``articles[i].sentences[j]``): token offsets map to article offsets
        by adding ``sentence.start``. Sentences, not whole texts, so that
        entities and relations share one pass."""
        from .nlp import load_nlp

        nlp = load_nlp()
        return [list(nlp.pipe(s.text for s in a.sentences)) for a in self.articles]

    @cached_property
    def entities(self) -> list[Entity]:
        from .entities import extract_entities

        return extract_entities(self)

    @cached_property
    def main_people(self) -> list[str]:
        """Each article's most mentioned person (their fullest name), or "":
        who "he" and "the ambassador" most likely are in a profile."""
        out = []
        for a in self.articles:
            best = max((e for e in self.entities if e.type == "PERSON" and a.id in e.sources),
                       key=lambda e: e.sources[a.id], default=None)
            out.append(best.name if best else "")
        return out


def _two_subjects(ta: str, tb: str) -> bool:
    """Both sentences open with a name, not the same one, and neither names
    the other's: they describe two people or things alike."""
    fa, fb = (re.match(r"[A-Z][a-z][\w’'-]*", t) for t in (ta, tb))
    if not fa or not fb:
        return False
    a, b = fa.group(0), fb.group(0)
    if a == b or a.lower() in STOP_WORDS or b.lower() in STOP_WORDS:
        return False
    return a not in tb and b not in ta


_OPENING_NAME = re.compile(r"^(?:[A-Z][a-z’'-]+\s+(?:[A-Z]\.\s+)?){1,3}([A-Z][a-z’'-]+)(?:\s+Jr\.|\s+Sr\.)?(?=,|\s+[a-z])")


def _two_people(ta: str, tb: str) -> bool:
    """Both sentences open with a full name, not the same person's, and
    neither names the other: the same words said of two people are two
    statements."""
    ma, mb = _OPENING_NAME.match(ta), _OPENING_NAME.match(tb)
    if not ma or not mb:
        return False
    a, b = ma.group(1), mb.group(1)
    if a == b:  # one surname: two people when the given names differ ("Jordan Hunt" / "Austin Hunt")
        return ma.group(0).split()[0] != mb.group(0).split()[0]
    return a not in tb and b not in ta


def _comparable(x: Value, aligned: bool, paraphrase: bool, strength: float) -> bool:
    """Whether a conflict of this kind is sure enough at this alignment:
    amounts and counts need strongly aligned sentences, years and spans a
    paraphrase ("served three years" and "to serve seven years" are two
    terms); the rest (ages, dates, times) an alignment or matching
    surroundings."""
    if x.kind == "year" or x.kind.startswith("duration"):
        return paraphrase
    if x.kind in ("number", "money", "percent", "count") and aligned:
        return strength >= NUMBER_ALIGN
    return True


def _overlap(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    """IDF-weighted share of the lighter side's words found in the other."""
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

