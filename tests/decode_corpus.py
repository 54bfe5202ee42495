"""A corpus of real articles in the encodings people's files come in, built
at test time from ../shared (third-party text is never copied into the repo).

Each item is (name, bytes, expected text): the article re-encoded, and what
decoding must give back. A lossy encoding is compared against the original
restricted to what it can hold (typographic quotes and dashes that it lacks
become their ASCII forms, anything else it lacks is dropped), and only
articles that keep non-ASCII characters after that are taken, since
all-ASCII bytes test nothing. Half the items of each encoding are *short*
(one paragraph, at most ~300 characters): short files are where encoding
detection fails.

Encodings: cp1252, latin-1, mac-roman, utf-16 (with a byte-order mark for
whole articles, without one for short items) and "mixed": UTF-8 with one
paragraph in cp1252, as when a paragraph is pasted from an old file.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

ENCODINGS = ("cp1252", "latin-1", "mac-roman", "utf-16", "mixed")
SHORT = 300

ASCII_FOR = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-",
             "\u2026": "...", "\u2022": "*", "\u00a0": " ", "\u20ac": "EUR"}
# Scraping debris that is not text in any encoding: C0/C1 controls, U+FFFD.
DEBRIS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
# Text that is already mojibake (UTF-8 read as latin-1 upstream) is no ground truth.
MOJIBAKE = re.compile(r"[\u00c2\u00c3\u00e2][\u0080-\u00bf]|\u00c3[\u0080-\u00ff]|[\u00ef\u00cf] ?\u00bf ?\u00bd")

Item = tuple[str, bytes, str]


def restrict(text: str, encoding: str) -> str:
    """The text as the encoding can hold it."""
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
        except UnicodeEncodeError:
            out.append(ASCII_FOR.get(ch, ""))
    return "".join(out)


def _non_ascii(text: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch)[0] in "LPSN" for ch in text)


def _short(paragraph: str) -> str:
    """At most ~SHORT characters, cut at a space, keeping the first non-ASCII character."""
    if len(paragraph) <= SHORT:
        return paragraph
    first = next(i for i, ch in enumerate(paragraph) if ord(ch) > 127)
    start = max(0, first - SHORT // 2)
    start = paragraph.find(" ", start) + 1 if start else 0
    piece = paragraph[start:start + SHORT]
    return piece[: piece.rfind(" ")] if " " in piece[first - start + 1:] else piece


def _texts(data: Path, with_val: bool) -> Iterator[str]:
    """Dev articles (and their reference summaries); for latin-1, whose
    accented letters are rare in English news, also the validation split's."""
    with open(data / "multinews" / "dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            yield from row["documents"]
            yield row["summary"]
    if with_val:
        with gzip.open(data / "multinews" / "val_truncated.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                yield from json.loads(line)["documents"]


def _clean(text: str) -> str | None:
    if MOJIBAKE.search(text):
        return None
    text = DEBRIS.sub("", text).strip()
    return text or None


def _single(data: Path, encoding: str, per_kind: int) -> list[Item]:
    codec = encoding.replace("utf-16", "utf-16-le") if encoding == "utf-16" else encoding
    full: list[Item] = []
    short: list[Item] = []
    seen: set[str] = set()
    for n, raw in enumerate(_texts(data, with_val=encoding == "latin-1")):
        text = _clean(raw)
        if text is None:
            continue
        text = restrict(text, codec)
        if not _non_ascii(text):
            continue
        if len(full) < per_kind and len(text) > SHORT:
            bom_codec = "utf-16" if encoding == "utf-16" else codec
            full.append((f"{encoding}-{n}-full", text.encode(bom_codec), text))
        for i, para in enumerate(p.strip() for p in text.split("\n")):
            if len(short) < per_kind and _non_ascii(para) and len(para) >= 40:
                piece = _short(para)
                if _non_ascii(piece) and piece not in seen:
                    seen.add(piece)
                    short.append((f"{encoding}-{n}-{i}-short", piece.encode(codec), piece))
        if len(full) >= per_kind and len(short) >= per_kind:
            break
    return full + short


def _mixed(data: Path, per_kind: int) -> list[Item]:
    """UTF-8 articles (and two-paragraph excerpts) holding non-ASCII text,
    with one paragraph that cp1252 can hold written in cp1252."""
    full: list[Item] = []
    short: list[Item] = []
    for n, raw in enumerate(_texts(data, with_val=False)):
        text = _clean(raw)
        if text is None:
            continue
        paras = [p for p in (q.strip() for q in text.split("\n")) if p]
        odd = next((i for i, p in enumerate(paras) if _non_ascii(restrict(p, "cp1252"))), None)
        if odd is None or not any(_non_ascii(p) for i, p in enumerate(paras) if i != odd):
            continue
        paras[odd] = restrict(paras[odd], "cp1252")
        if len(full) < per_kind:
            full.append((f"mixed-{n}-full", _mix(paras, odd), "\n".join(paras)))
        other = next(i for i, p in enumerate(paras) if i != odd and _non_ascii(p))
        if len(short) < per_kind:
            pair = sorted([odd, other])
            excerpt = [_short(paras[i]) for i in pair]
            if all(_non_ascii(p) for p in excerpt):
                short.append((f"mixed-{n}-short", _mix(excerpt, pair.index(odd)), "\n".join(excerpt)))
        if len(full) >= per_kind and len(short) >= per_kind:
            break
    return full + short


def _mix(paras: list[str], odd: int) -> bytes:
    return b"\n".join(p.encode("cp1252" if i == odd else "utf-8") for i, p in enumerate(paras))


def build(data: Path, per_kind: int = 30) -> dict[str, list[Item]]:
    """Up to ``per_kind`` whole articles and ``per_kind`` short ones per encoding."""
    return {enc: _mixed(data, per_kind) if enc == "mixed" else _single(data, enc, per_kind) for enc in ENCODINGS}
