"""Text stage: sentences with exact offsets, and the word-level views
(tokens, stems, content words) that the summarizers and analysis share."""

from .segment import segment, split_sentences
from .tokens import content_words, stem, words

__all__ = ["segment", "split_sentences", "words", "content_words", "stem"]
