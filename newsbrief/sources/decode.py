"""Bytes to text: encoding detection and the checks that turn bad files into
one clear reason instead of a traceback."""

from __future__ import annotations

from charset_normalizer import from_bytes

MAX_BYTES = 20 * 1024 * 1024  # a news article is never this big; a dump or a binary is


class SourceError(Exception):
    """A source that cannot be used; the message is the one-line reason."""


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise SourceError(f"too large ({len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    if not data.strip():
        raise SourceError("empty file")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        # A BOM settles it; charset-normalizer would agree, only slower.
        for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
            if data.startswith(bom):
                return _checked(data.decode(enc, errors="strict"))
    head = data[:8192]
    if b"\x00" in head:
        raise SourceError("binary file (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise SourceError("undecodable: no text encoding fits its bytes")
    return _checked(str(best))


def _checked(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise SourceError("empty file")
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\t\f") or ch == "\ufffd")
    if bad > max(8, len(sample) // 50):
        raise SourceError("binary or corrupt: too many control characters for text")
    return text
