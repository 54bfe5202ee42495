"""The batch output: a JSONL file that survives a crash at any instant.

Completed results are appended in chunks, each chunk one ``write`` on an
``O_APPEND`` descriptor: after a kill (even ``kill -9``) the file holds whole
lines, except at most one partial line at the very end, which :func:`resume`
cuts away before the next run appends. What ``write`` has handed the kernel
survives the process; ``fsync``, for an OS crash or a power cut, follows at
most once a second and at the end (one per chunk was a tenth of the
parent's time), so such a crash costs at most the last second's results,
which the next run briefs again. The output file
itself is the record of what is done; there is no side index to fall out of
step with it.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

# The lines written here start with ``{"schema": "...", "id": ..., "line": N``
# (Briefing.to_dict, and the input line after the id), so the key is read
# without parsing a whole briefing. Outputs written before the line was added
# have none: their ids are all strings.
_ID_PREFIX = re.compile(rb'^\{"schema": ?"[^"\\]*", ?"id": ?("(?:[^"\\]|\\.)*"|-?\d+|null)(?:, ?"line": ?(\d+))?')

Key = str | int | tuple[str, int]


def cluster_key(id: str | int | None, line: int | None) -> Key | None:
    """What tells clusters apart, within a run and across resumes: the row's
    own id with its JSON type (12345 and "12345" are two clusters), or
    ``("line", N)`` for a row without one: no string or integer id can equal
    it. None when neither is known (not a batch line)."""
    if id is None:
        return ("line", line) if isinstance(line, int) and not isinstance(line, bool) else None
    return id if isinstance(id, (str, int)) and not isinstance(id, bool) else None


@dataclass
class Resumed:
    """What an earlier run left in the output file."""

    done: set[Key] = field(default_factory=set)
    lines: int = 0
    truncated: int = 0  # bytes of a partial last line removed
    method: str | None = None  # the method of the first line, to refuse mixing methods in one file


def resume(path: Path) -> Resumed:
    """Read the ids already written to ``path`` and cut a partial last line
    (left by a kill mid-write) so that the next append starts a fresh line.

    Raises ValueError when a complete line is not a briefing with an id: the
    file is not a batch output, and appending to it would mix two things.
    """
    out = Resumed()
    if not path.exists():
        return out
    keep = 0
    with open(path, "r+b") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break  # the partial tail of an interrupted write
            keep += len(raw)
            out.lines += 1
            if not raw.strip():
                continue
            out.done.add(_line_key(raw, path, out.lines, out))
        size = fh.seek(0, os.SEEK_END)
        if size > keep:
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
            out.truncated = size - keep
    return out


def _line_key(raw: bytes, path: Path, lineno: int, out: Resumed) -> Key:
    m = _ID_PREFIX.match(raw)
    if m and out.method is not None:
        key = cluster_key(json.loads(m.group(1)), int(m.group(2)) if m.group(2) else None)
        if key is not None:
            return key
    try:
        row = json.loads(raw)
    except ValueError:
        row = None
    key = cluster_key(row.get("id"), row.get("line")) if isinstance(row, dict) else None
    if key is None or "summary" not in row:
        raise ValueError(f"{path}:{lineno} is not a briefing line with an id; is {path.name} the output of "
                         "an earlier batch run? (give a new output file)")
    if out.method is None:
        out.method = row.get("method")
    return key


class ChunkWriter:
    """Appends whole lines to a file, each chunk with one write; fsync at
    most every ``sync_every`` seconds and on close.

    ``lazy`` files (the errors file) are created on the first write, so a run
    without errors leaves none behind; ``truncate`` starts the file afresh.
    """

    def __init__(self, path: Path, *, truncate: bool = False, lazy: bool = False, sync_every: float = 1.0) -> None:
        self.path = path
        self.lines = 0
        self.sync_every = sync_every
        self._synced = time.monotonic()
        self._dirty = False
        self._fd: int | None = None
        self._flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if truncate else 0)
        if truncate and lazy:
            path.unlink(missing_ok=True)  # a stale errors file from an earlier run
        if not lazy:
            self._open()

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, self._flags, 0o666)
        return self._fd

    def write(self, lines: list[str] | list[bytes]) -> None:
        """Append ``lines`` (each ending in a newline; str, or bytes in UTF-8) durably."""
        if not lines:
            return
        fd = self._open()
        view = memoryview(b"".join(lines) if isinstance(lines[0], bytes) else "".join(lines).encode("utf-8"))
        while view:  # one write in practice; a short write is continued, never lost
            n = os.write(fd, view)
            view = view[n:]
        self.lines += len(lines)
        self._dirty = True
        if time.monotonic() - self._synced >= self.sync_every:
            self.sync()

    def sync(self) -> None:
        """Everything written so far on disk."""
        if self._fd is not None and self._dirty:
            os.fsync(self._fd)
            self._dirty = False
        self._synced = time.monotonic()

    def close(self) -> None:
        if self._fd is not None:
            self.sync()
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
