"""Bytes to text: encoding detection and the checks that turn bad files into
one clear reason instead of a traceback."""

from __future__ import annotations


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


def decode(data: bytes) -> str:
    check_size(len(data))
    if not data.strip():
        raise SourceError("empty file" if not data else "empty file (only white space)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SourceError(f"binary file ({what}), not text")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        # A BOM settles it; charset-normalizer would agree, only slower.
        for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
            if data.startswith(bom):
                try:
                    return _checked(data.decode(enc, errors="strict"))
                except UnicodeDecodeError as e:
                    raise SourceError(f"undecodable: {enc} byte-order mark but invalid {enc} ({e.reason})") from None
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _bomless_utf16(head)
        if utf16:
            try:
                return _checked(data.decode(utf16, errors="strict"))
            except UnicodeDecodeError:
                pass
        raise SourceError("binary file (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare text that is not UTF-8 (~12 ms import)

    best = from_bytes(data).best()
    if best is None:
        raise SourceError("undecodable: no text encoding fits its bytes")
    return _checked(str(best))


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
