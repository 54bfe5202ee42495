"""Sentence segmentation for news text, with exact character offsets.

sentencex (a fast rule-based segmenter with an abbreviation list, written in
Rust) finds the boundaries; a short post-pass repairs the news-specific cases
it misses:

* a title before a name never ends a sentence ("Ald. Jones", "Gens. Smith");
* "No. 2", "Vol. 3", "Jan. 5", "p. 24": an abbreviation before a number;
* "at 5 p.m. Monday", "9 a.m. ET on Friday": a time and its day or zone;
* a piece that starts in lower case, or has no letters or digits, continues
  the sentence before it.

Before sentencex sees a line, apostrophes that are not quote marks ("the
'90s", "rock 'n' roll", "the girls' team") are masked with a same-length
character, so that sentencex does not pair them up as a quotation and swallow
the sentences in between. Offsets are unchanged by the mask.

Quotations: sentencex does not split inside a closed quotation, so a quote of
several sentences stays one sentence together with its attribution::

    "First. Second," he said.      -> one sentence
    "First." He left.              -> two sentences ('"First."' keeps its quote mark)
    "First. Second.                -> two sentences (an unclosed quote does not bind)

A citation of a quote then carries who said it. A quotation (or bracketed
note) of more than 60 words is the exception: it is split at its own
sentence ends, the closing quote mark staying with the last piece, since one
hundred-word "sentence" would eat a summary's budget. Every sentence
satisfies ``text[start:end] == sentence`` and never spans a newline.
"""

from __future__ import annotations

import re

import sentencex

from ..model import Article, Sentence
from .lexicon import TITLE_ABBREVIATIONS

# Titles that come before a name and so never end a sentence.
_TITLE_END = re.compile(rf"(?:^|[\s(\"“‘'])(?:{'|'.join(TITLE_ABBREVIATIONS)})\.$")
# Abbreviations that come before a number.
_NUMBERED_END = re.compile(
    r"(?:^|[\s(])(?:No|Nos|Vol|Vols|p|pp|Fig|Figs|Art|Ch|Sec|Ex|Ref|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"Rte|Hwy|Apt|Ste)\.$")
_TIME_END = re.compile(r"\b[ap]\.m\.$", re.I)
_TIME_TAIL = re.compile(
    r"^(?:[A-Z]{1,2}[SD]?T|ET|PT|CT|MT|GMT|UTC|BST|CET|CEST|local|Eastern|Central|Pacific|Mountain|Greenwich|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|today|tonight|tomorrow|yesterday|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?= \d))\b")
# Other soft ends: a capitalised word may follow without a new sentence ("Washington, D.C. officials").
_SOFT_END = re.compile(r"(?:\b[A-Z]\.(?:[A-Z]\.)+|\bNo\.|\bU\.S\.)[\"”’']?$")
_SHORT_TAIL = re.compile(r"^(?:[A-Z]{2,4}|EST|EDT|PST|PDT|CST|CDT|GMT|UTC|ET|PT|CT)\b[.,;]?")

# Apostrophes, not quote marks: the '90s, 'em, rock 'n' roll, the girls' team.
_APOSTROPHE_TAIL = r"(?:(?<=\s['’])(?=\d\ds\b|em\b|til\b|cause\b|n['’]\s)|(?<=\s[nN]['’])(?=\s)|(?<=\ws['’])(?=\s+[a-z]))"
_APOSTROPHE = re.compile(r"['’]" + _APOSTROPHE_TAIL)
# The same for a text holding one kind of apostrophe only: a pattern that starts with a literal
# character is searched for at C speed, one that starts with a character set a character at a time
# (8x slower on a line).
_APOSTROPHE_STRAIGHT = re.compile("'" + _APOSTROPHE_TAIL)
_APOSTROPHE_CURLY = re.compile("’" + _APOSTROPHE_TAIL)


def _mask_apostrophes(text: str) -> str:
    """``_APOSTROPHE.sub("_", text)``: every apostrophe that is not a quote mark masked."""
    if "’" not in text:
        return _APOSTROPHE_STRAIGHT.sub("_", text) if "'" in text else text
    if "'" not in text:
        return _APOSTROPHE_CURLY.sub("_", text)
    return _APOSTROPHE.sub("_", text)


LONG_QUOTE_WORDS = 60
LONG_QUOTE_CHARS = 300  # cheap pre-check: 60 words are never shorter
_QUOTE_CHARS = re.compile(r"[\"“”\[\]]")


def word_count(text: str) -> int:
    """Words as a reader counts them, the unit of every length budget."""
    return len(text.split())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``; paragraphs (lines)
    never share a sentence, and spans exclude surrounding white space."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for s, e in _merge(line, _line_spans(line)):
                if e - s > LONG_QUOTE_CHARS:
                    spans.extend((pos + a, pos + b) for q in _split_long_quote(line, s, e)
                                 for a, b in _split_run(line, *q))
                else:
                    spans.append((pos + s, pos + e))
        pos += len(line) + 1
    return spans


def _line_spans(line: str, masked: str | None = None) -> list[tuple[int, int]]:
    if masked is None:
        masked = _mask_apostrophes(line)
    out = []
    for b in sentencex.get_sentence_boundaries("en", masked):
        s, e = b["start_index"], b["end_index"]
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _split_long_quote(line: str, s: int, e: int) -> list[tuple[int, int]]:
    """A quotation of more than ~60 words is split at its own sentence ends
    (the closing quote mark stays with the last one): one "sentence" of a
    hundred words would eat a summary's whole budget."""
    seg = line[s:e]
    if len(seg.split()) <= LONG_QUOTE_WORDS or not _QUOTE_CHARS.search(seg):
        return [(s, e)]
    masked = _QUOTE_CHARS.sub(" ", _mask_apostrophes(seg))
    return [(s + a, s + b) for a, b in _merge(seg, _line_spans(seg, masked))]


MAX_SENTENCE_WORDS = 120  # news sentences run to ~60; a longer one is a list, a dump or unpunctuated text
MAX_SENTENCE_CHARS = 1_500
_RUN_BREAK = re.compile(r"[;:,)\]\u2014\u2013]$|^[-\u2014\u2013]$")


def _split_run(line: str, s: int, e: int) -> list[tuple[int, int]]:
    """A "sentence" over ``MAX_SENTENCE_WORDS`` words or
    ``MAX_SENTENCE_CHARS`` characters (text with no sentence ends: a
    transcript, a list, a scraped blob, a script without spaces) is cut into
    pieces within both bounds, each at the last clause break (a comma,
    semicolon, colon or dash) in its second half, else at a word boundary,
    else anywhere: otherwise one such run would be the whole summary, and
    the parser would refuse it."""
    out = []
    while e - s > MAX_SENTENCE_CHARS or (e - s > LONG_QUOTE_CHARS and _words_over(line, s, e)):
        limit = min(e, s + MAX_SENTENCE_CHARS)
        spaces = [m.start() for m in _SPACE.finditer(line, s, limit)]
        if len(spaces) >= MAX_SENTENCE_WORDS:
            spaces = spaces[:MAX_SENTENCE_WORDS]
            limit = spaces[-1]
        half = spaces[len(spaces) // 2:]
        cut = next((i for i in reversed(half) if _RUN_BREAK.search(line[max(s, i - 1):i])), None)
        if cut is None:
            cut = spaces[-1] if spaces and spaces[-1] > s else limit
        out.append((s, cut))
        s = cut
        while s < e and line[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))
    return out


_SPACE = re.compile(r"\s+")


def _words_over(line: str, s: int, e: int) -> bool:
    return line.count(" ", s, e) >= MAX_SENTENCE_WORDS


def _joins(prev: str, cur: str) -> bool:
    """Whether ``cur`` continues the sentence ``prev`` rather than starting one.

    The tests are ordered cheapest first; each regex runs only when a cheap
    test it implies has passed (a pair of ordinary sentences costs no regex)."""
    first = cur[:1]
    if first.islower() or (not first.isalnum() and not any(ch.isalnum() for ch in cur)):
        return True
    if not prev.endswith((".", ".\"", ".”", ".’", ".'")):
        return False
    prev = prev[-16:]  # every pattern below looks at the last word or two
    # A title starts with a capital 2-6 characters before the final ".".
    if prev[-1] == "." and not prev[-8:-2].islower() and _TITLE_END.search(prev):
        return True
    if first.isdigit() and _NUMBERED_END.search(prev):
        return True
    if prev[-2:] in ("m.", "M.") and _TIME_END.search(prev) and _TIME_TAIL.match(cur):
        return True
    # Every short tail starts with two capitals.
    return bool(cur[1:2].isupper() and _SHORT_TAIL.match(cur) and len(cur.split()) <= 2 and _SOFT_END.search(prev))


def _merge(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _joins(line[out[-1][0]:out[-1][1]], line[s:e]):
            out[-1] = (out[-1][0], e)
        else:
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
        sents.append(Sentence(article.id, i, s, e, text[s:e], para))
    # The constructor, not dataclasses.replace (5x its cost); tests check that every field is carried.
    a = article
    return Article(id=a.id, raw=a.raw, title=a.title, outlet=a.outlet, path=a.path, url=a.url,
                   published=a.published, text=a.text, dropped=a.dropped, sentences=sents, author=a.author)
