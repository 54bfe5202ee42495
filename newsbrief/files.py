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
    instead of writing to it. An existing file keeps its permissions."""
    target = Path(os.path.realpath(path.expanduser()))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would surprise whoever reads the output
        else:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
