"""Bytes to text: encoding detection and the checks that turn bad files into
one clear reason instead of a traceback."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Any


MAX_BYTES = 20 * 1024 * 1024  # a news article is never this big; a dump or a binary is

# File signatures: a named format is a better reason than "NUL bytes".
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive (or .docx/.epub)"),
    (b"\x1f\x8b", "gzip-compressed file (only .jsonl.gz is read compressed)"),
    (b"\xfd7zXZ\x00", "xz-compressed file"), (b"\x7fELF", "executable"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"), (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"SQLite format 3\x00", "SQLite database"), (b"\xd0\xcf\x11\xe0", "MS Office document"),
]


class SourceError(Exception):
    """A source that cannot be used; the message is the one-line reason."""


def check_size(size: int) -> None:
    """Refuse before reading: a 2 GB file must not be read to learn it is too big."""
    if size > MAX_BYTES:
        raise SourceError(f"too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read in, and what the user should
    know about that reading (``warning``: one line, or None)."""

    text: str
    encoding: str
    warning: str | None = None


def decode(data: bytes) -> str:
    """The text of a file's bytes (see :func:`decode_text`)."""
    return decode_text(data).text


def decode_text(data: bytes) -> Decoded:
    """Bytes to text, right on real files: a byte-order mark, then UTF-8,
    then UTF-8 with a few paragraphs in cp1252 (an old file pasted into a new
    one), then the Western single-byte encodings, unless their reading is no
    text and charset-normalizer finds another that is (Cyrillic, Greek, CJK...).

    Statistical detection alone misreads short Western files (cp1252 taken
    for cp1250, or for a CJK encoding when two accented bytes happen to form
    one character), and those are most of what is not UTF-8 in news text.
    Raises SourceError with the reason for a file that is not text."""
    check_size(len(data))
    if not data.strip():
        raise SourceError("empty file" if not data else "empty file (only white space)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SourceError(f"binary file ({what}), not text")
    for bom, enc in _BOMS:
        if data.startswith(bom):  # a BOM settles it
            try:
                return Decoded(_checked(data.decode(enc, errors="strict")), enc)
            except UnicodeDecodeError as e:
                raise SourceError(f"undecodable: {enc} byte-order mark but invalid {enc} ({e.reason})") from None
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _bomless_utf16(head)
        if utf16:
            try:
                return Decoded(_checked(data.decode(utf16, errors="strict")), utf16)
            except UnicodeDecodeError:
                pass
        raise SourceError("binary file (NUL bytes), not text")
    try:
        return Decoded(_checked(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    return _mixed_utf8(data) or _single_byte(data)


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes that are not UTF-8 read as cp1252."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start:err.end].decode("cp1252", errors="replace"), err.end


codecs.register_error("newsbrief-cp1252", _cp1252_fallback)


def _mixed_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with some paragraphs that are not (cp1252 pasted into UTF-8):
    each byte that is not UTF-8 is read as cp1252 and the rest stays UTF-8,
    so at most the offending characters can be wrong. Taken only when at least
    as many non-ASCII paragraphs are valid UTF-8 as not: a single-byte file
    hardly ever forms a valid UTF-8 sequence, let alone in half its paragraphs."""
    valid = invalid = 0
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            valid += 1
        except UnicodeDecodeError:
            invalid += 1
    if not valid or invalid > valid:
        return None
    text = _checked(data.decode("utf-8", errors="newsbrief-cp1252"))
    return Decoded(text, "utf-8", f"mixed encoding: {invalid} paragraph(s) not UTF-8, read as cp1252")


# charset-normalizer's own limit (its default ``threshold``): a reading
# messier than this is not text in that encoding.
MESS_LIMIT = 0.2


def _single_byte(data: bytes) -> Decoded:
    """cp1252 (a superset of latin-1's printable characters) or Mac Roman,
    whichever reads more plausibly. A reading charset-normalizer finds
    replaces it when it is in Latin script and more plausible still (cp1250
    for Polish; a DOS, other Mac or HP page only when clearly so, see
    :func:`_handicap`), or when the Western reading is no text at all
    (Cyrillic, Greek, CJK...): a Western reading that is text is never
    traded for another script."""
    from charset_normalizer import from_bytes  # ~12 ms to import, only for text that is not UTF-8
    from charset_normalizer.md import mess_ratio

    western = min((_read(data, enc) for enc in ("cp1252", "mac_roman")), key=lambda d: _implausible(d.text))
    odd = _implausible(western.text)
    messy = mess_ratio(western.text, MESS_LIMIT) > MESS_LIMIT
    if not odd and not messy:
        return Decoded(_checked(western.text), western.encoding)
    found = [m for m in from_bytes(data) if m.chaos <= MESS_LIMIT]  # best first
    if messy and found and not _latin(str(found[0])):
        return Decoded(_checked(str(found[0])), found[0].encoding)
    latin = [(_implausible(str(m)) + _handicap(m.encoding), m) for m in found if _latin(str(m))]
    fewest = min(latin, key=lambda pair: pair[0], default=None)
    if fewest is not None and fewest[0] < odd:
        return Decoded(_checked(str(fewest[1])), fewest[1].encoding)
    if messy and odd:
        raise SourceError("undecodable: no text encoding fits its bytes")
    return Decoded(_checked(western.text), western.encoding)


# The encodings news text is written in: the Windows code pages and ISO 8859.
NEWS_ENCODING = re.compile(r"cp125\d|iso8859-\d+")


def _handicap(encoding: str) -> float:
    """What a reading in an encoding news is hardly ever written in must beat
    the Western reading by: a whole implausibility (costs come in halves),
    such as a byte cp1252 leaves undefined ('Z\ufffdrich', a real cp437 file).
    DOS code pages (cp437, cp850, cp852, cp775...), the other Mac ones and
    HP Roman-8 are practically never used for news, and on a short Western
    text one of them often reads a little more plausibly by accident
    ('\u2514 bient\u02d8t' for 'À bientôt' as cp852, '\u0173sterreich' for
    'Österreich' as cp775): a reader would rather have the Western reading
    unless the text clearly is something else."""
    return 0 if NEWS_ENCODING.fullmatch(codecs.lookup(encoding).name) else 0.75


def _read(data: bytes, encoding: str) -> Decoded:
    return Decoded(data.decode(encoding, errors="replace"), encoding)


def _latin(text: str) -> bool:
    """Letters and accents all Latin: a Hebrew vowel point ('\u05b5rhus' for
    'Århus' as cp1255) is no letter, and no Latin either."""
    return all(unicodedata.name(ch, "").startswith(("LATIN", "COMBINING"))
               for ch in text if ord(ch) > 127 and unicodedata.category(ch)[0] in "LM")


def _implausible(text: str) -> float:
    """How wrong a reading looks, in characters: an undefined byte; a symbol
    inside a word ('zdecydowa³a': cp1250 read as cp1252); a capital outside
    ASCII inside a word or alone ('donÕt', 'a Ñ b': Mac Roman read as cp1252;
    'cafÈ': cp1252 read as Mac Roman), which no Western language writes; and,
    half as wrong, one starting a word ('Òspent'), which is rare: Western
    text writes its accents mostly in small letters and its quotes and dashes
    as punctuation. Capitals in a word in capitals ('CAFÉ') are fine, and so
    is one starting the first word of a sentence ('Émile a dit', 'Ça va?'),
    which every Western language writes; one alone there is half as wrong
    ('À bientôt', but also 'you. Ñ Jack': a Mac Roman dash). Half as wrong
    too, what cp1252 capitals look like in Mac Roman: a maths or modifier
    symbol touching a letter ('÷sterreich', 'bient˘t'), an ellipsis or
    closing quote opening a word ('said …mile') and an inverted mark or
    guillemet opening a word that nothing closes ('said ¡ngel'), so that one
    accented capital inside a sentence ('said Émile') is a tie. Ties go to
    cp1252 (first for ``min``), the far more common encoding."""
    capitals = sum(_odd_capitals(m.group(), _opens_sentence(text, m.start()))
                   for m in _ACCENTED_WORD.finditer(text))
    unclosed = sum(max(0, len(opening.findall(text)) - text.count(closing)) for opening, closing in _PAIRS)
    marks = sum(_letters_beside(text, m.start()) for m in _MARK.finditer(text)) + unclosed
    return text.count("\ufffd") + len(_SYMBOL_IN_WORD.findall(text)) + capitals + marks / 2


# A run of letters with one outside ASCII (possessive, so linear in a long run of letters).
_ACCENTED_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]*+[^\x00-\x7f\W\d_][^\W\d_]*")
# A number sign, currency, maths or other symbol, an inverted mark or a low quote ('d\u201aclar\u201a':
# cp850 read as cp1252), between two letters (not the soft hyphen or the middle dot: 'col·legi' is Catalan).
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[\u00a1-\u00ac\u00ae-\u00b6\u00b8-\u00bf\u00d7\u00f7\u02c6\u02dc\u201a\u201e\u2030\u2122\u20ac](?=[^\W\d_])")
# What ends a sentence, then only opening quotes, brackets, dashes or spaces up to the word.
_SENTENCE_END = re.compile(r"(?:[.!?]\s|\n)[\W_]*\Z")
# Maths and modifier symbols, and the florin sign, which no Western language writes against a
# letter (not the acute accent: people type it as an apostrophe, 'don´t'); and the ellipsis and
# closing quote, which do not open a word.
_MARKS = "".join(ch for ch in map(chr, range(0x80, 0x2300))
                 if unicodedata.category(ch) in ("Sm", "Sk", "Lm") and ch not in "\u00b4\u02bb\u02bc") + "\u0192"
_MARK = re.compile(f"[{re.escape(_MARKS)}\u2026\u201d]")
# An inverted mark or a guillemet opening a word, and what closes it.
_PAIRS = tuple((re.compile(rf"{opening}(?=[^\W\d_])"), closing)
               for opening, closing in (("\u00a1", "!"), ("\u00bf", "?"), ("\u00ab", "\u00bb")))


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` is the first of a sentence (the text's start counts as a line break)."""
    before = "\n" + text[:at] if at <= 16 else text[at - 16:at]
    return _SENTENCE_END.search(before) is not None


def _letters_beside(text: str, at: int) -> int:
    """How many sides of the mark at ``at`` touch a letter (an ellipsis or
    closing quote: 1 when it opens a word after a space)."""
    after = text[at + 1:at + 2].isalpha()
    if text[at] in "\u2026\u201d":
        return int(after and (at == 0 or text[at - 1].isspace()))
    return int(after) + int(at > 0 and text[at - 1].isalpha())


def _odd_capitals(word: str, opens_sentence: bool) -> float:
    if len(word) > 1 and word.isupper():
        return 0
    lone = 0.5 if opens_sentence else 1
    initial = 0 if opens_sentence else 0.5
    return sum((initial if word[1:2].islower() else lone if len(word) == 1 else 1) if j == 0 else 1
               for j, ch in enumerate(word) if ord(ch) > 127 and ch.isupper())


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark: mostly-Latin text has a NUL in every
    other byte, on the same side; a binary file's NULs fall anywhere."""
    even, odd = head[0::2], head[1::2]
    n = min(len(even), len(odd))
    if n < 8:
        return None
    if odd.count(0) > 0.8 * n and even.count(0) < 0.05 * n:
        return "utf-16-le"
    if even.count(0) > 0.8 * n and odd.count(0) < 0.05 * n:
        return "utf-16-be"
    return None


def _checked(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise SourceError("empty file (only white space)")
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\t\f") or ch == "\ufffd")
    if bad > max(8, len(sample) // 50):
        raise SourceError("binary or corrupt: too many control characters for text")
    return text


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Lone surrogates (JSON allows ``"\\ud800"``; no UTF-8 text can hold one)
    become U+FFFD where text comes in, so that nothing further in (hashing,
    SQLite, the JSON written out) meets a string it cannot encode. A valid
    pair arrives already joined into one code point."""
    return LONE_SURROGATE.sub("\ufffd", text)


def scrub_json(value: Any) -> Any:
    """:func:`scrub` applied to every string of a parsed JSON value."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [scrub_json(v) for v in value]
    if isinstance(value, dict):
        return {scrub(k): scrub_json(v) for k, v in value.items()}
    return value
