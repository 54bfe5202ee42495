"""Small file helpers shared by the CLI, the batch runner and the store."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same directory and rename, so a reader
    (or a crash) never sees half a briefing.

    A symlink is written through: its target is what gets replaced, as with
    any program writing a file, and the link stays. Anything but a regular
    file or a new path (a device, a FIFO, a socket, a directory) is refused
    with OSError "not a regular file": renaming over it would replace it
    instead of writing to it. An existing file keeps its permissions; one
    this process may not write is refused ("permission denied": the rename
    would need only the folder's permission), and one with other hard links
    is written in place, so that every link sees the new text (a rename
    would leave them the old file)."""
    target = Path(os.path.realpath(path.expanduser()))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    if st is not None and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "permission denied", str(path))
    if st is not None and st.st_nlink > 1:
        _write_in_place(target, text)
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if st is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would surprise whoever reads the output
        else:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_in_place(target: Path, text: str) -> None:
    """Truncate and write: not atomic, but the only way to change what every
    hard link sees. Encoded first, so an encoding error leaves the file whole."""
    data = text.encode("utf-8")
    with open(target, "wb") as fh:
        fh.write(data)
