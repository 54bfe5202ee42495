"""Sentence segmentation for news text, with exact character offsets.

sentencex (a fast rule-based segmenter with an abbreviation list, written in
Rust) finds the boundaries; a short post-pass repairs the news-specific cases
it misses (a time zone after "p.m.", a split before a lower-case word).
"""

from __future__ import annotations

import re
from dataclasses import replace

import sentencex

from ..model import Article, Sentence

# Abbreviations after which a following capitalised word may still belong to
# the same sentence ("5 p.m. ET", "Washington, D.C. officials").
_SOFT_END = re.compile(r"(?:\b[ap]\.m\.|\b[A-Z]\.(?:[A-Z]\.)+|\bNo\.|\bU\.S\.)[\"”’']?$")
_SHORT_TAIL = re.compile(r"^(?:[A-Z]{2,4}|EST|EDT|PST|PDT|CST|CDT|GMT|UTC|ET|PT|CT)\b[.,;]?")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``; paragraphs (lines)
    never share a sentence, and spans exclude surrounding white space."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            spans.extend(_merge(line, [(pos + s, pos + e) for s, e in _line_spans(line)], pos))
        pos += len(line) + 1
    return spans


def _line_spans(line: str) -> list[tuple[int, int]]:
    out = []
    for b in sentencex.get_sentence_boundaries("en", line):
        s, e = b["start_index"], b["end_index"]
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _merge(line: str, spans: list[tuple[int, int]], offset: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            prev = line[ps - offset:pe - offset]
            cur = line[s - offset:e - offset]
            if cur[:1].islower() or (_SOFT_END.search(prev) and _SHORT_TAIL.match(cur) and len(cur.split()) <= 2) \
                    or not any(ch.isalnum() for ch in cur):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def segment(article: Article) -> Article:
    """The article with ``sentences`` filled in from its cleaned ``text``."""
    text = article.text
    sents = []
    para = 0
    last_end = 0
    for i, (s, e) in enumerate(split_sentences(text)):
        para += text.count("\n", last_end, s)
        last_end = s
        sents.append(Sentence(source=article.id, index=i, start=s, end=e, text=text[s:e], paragraph=para))
    return replace(article, sentences=sents)
