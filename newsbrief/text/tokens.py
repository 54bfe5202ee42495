"""Word-level views of text shared by every method: lower-cased words,
content words without stop words, and Porter stems (the stemmer rouge-score
uses, so what we optimise is what ROUGE counts)."""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.stem.porter import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "just", "like", "also", "would", "could", "s"}
_stemmer = PorterStemmer()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stem(word)


def content_words(text: str) -> list[str]:
    """Stems of the non-stop-words, the unit of similarity for the
    extractive methods."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1]
