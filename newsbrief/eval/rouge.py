"""ROUGE as the Multi-News literature reports it: rouge-score with the
Porter stemmer; for ROUGE-Lsum, candidate and reference split into sentences,
one per line (without that, Lsum silently equals ROUGE-L)."""

from __future__ import annotations

from rouge_score import rouge_scorer

from ..text import split_sentences

ROUGE_KEYS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def sentence_lines(text: str) -> str:
    flat = " ".join(text.split())
    return "\n".join(flat[s:e] for s, e in split_sentences(flat))


class RougeScorer:
    def __init__(self, keys: tuple[str, ...] = ROUGE_KEYS) -> None:
        self.keys = keys
        self._scorer = rouge_scorer.RougeScorer(list(keys), use_stemmer=True)

    def score(self, candidate: str | list[str], reference: str) -> dict[str, float]:
        """F1 per key, in percent. ``candidate`` may be a list of sentences
        (an extractive summary), which skips re-splitting it."""
        cand = "\n".join(candidate) if isinstance(candidate, list) else sentence_lines(candidate)
        ref = sentence_lines(reference)
        return {k: 100.0 * v.fmeasure for k, v in self._scorer.score(ref, cand).items()}
