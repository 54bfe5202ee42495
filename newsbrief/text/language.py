"""The language an article is written in, so that a non-English one is
reported and left out instead of being read by English-only models (a German
article's weekdays and common nouns became people and places; a Chinese one
became one "sentence").

CLD2 (``pycld2``, Google's Compact Language Detector 2, Apache-2.0) ships its
tables inside the wheel, downloads nothing, loads in a millisecond and takes
about 0.4 ms an article. Short text is weak evidence (CLD2 calls "Is Kuala
Lumpur airport safe?" Malay, reliably), so a text is called non-English only
when CLD2 is sure, the text is long enough and one other language holds most
of it. ``bench/language.py``: no flag on Multi-News dev English (263 cleaned
articles, their 5,020 paragraphs, 10,253 sentences in three casings, their
first 3 to 20 words); 15 of 15,317 Multi-News val documents flagged, every
one a page not in English (news in German, French, Spanish, Italian, Finnish;
tweet-embed pages in Galician, Irish, Basque, Urdu, Bengali).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycld2

__all__ = ["MIN_SHARE", "MIN_TEXT_BYTES", "Language", "non_english"]

# Below this many bytes of letters (CLD2's count: about 15 words of a Latin
# script, 27 Chinese characters) a text is not judged. The longest English
# text CLD2 gave another language on dev is 61 bytes (a heading and a
# question); a one-sentence German or Arabic text is 90-110.
MIN_TEXT_BYTES = 80
# Percent of the text in the detected language: an English article with a
# foreign quote or embed, or a mixed page, is not called foreign.
MIN_SHARE = 70

# Read as English: CLD2's joke variants of English (Pig Latin, Elmer Fudd,
# hacker, Bork) and Scots, which it gives plain English sentences
# ("But they were funny."); "un"/"xxx": no language found.
_ENGLISH_OR_UNKNOWN = frozenset({"en", "sco", "zzp", "zze", "zzh", "zzb", "un", "xxx"})

# CLD2 rejects controls, surrogates and noncharacters as invalid UTF-8; they
# carry no language, so they become spaces.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      + "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(17)) + "]")


@dataclass(frozen=True, slots=True)
class Language:
    """A detected language: ``code`` as CLD2 gives it (ISO 639: "de",
    "zh-Hant"; "xx-Hani" for a script it has no language model for),
    ``name`` for people ("German") and ``share``, the percent of the text."""

    code: str
    name: str
    share: int


def non_english(text: str) -> Language | None:
    """The language ``text`` is written in when that is surely not English;
    None for English, and for text too short or too mixed to tell."""
    try:
        reliable, found, details = pycld2.detect(_INVALID.sub(" ", text), isPlainText=True)
    except pycld2.error:  # still unreadable to CLD2: no evidence, so no flag
        return None
    name, code, share, _ = details[0]
    if not reliable or found < MIN_TEXT_BYTES or share < MIN_SHARE or code in _ENGLISH_OR_UNKNOWN:
        return None
    return Language(code, _display(name), share)


def _display(name: str) -> str:
    """CLD2's "GERMAN", "ChineseT", "X_Cyrillic" as "German", "Chinese",
    "Cyrillic script"."""
    if name.startswith("X_"):
        return name[2:].replace("_", " ").title() + " script"
    return {"ChineseT": "Chinese"}.get(name, name.replace("_", " ").title())
