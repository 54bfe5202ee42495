"""The ranker's trees compiled to machine code with lleaves (LLVM).

Why: on a Multi-News cluster (~17 candidate sentences, 492 trees) LightGBM's
own prediction costs about 0.7 ms, a quarter of a whole briefing; the
compiled forest costs about 0.25 ms and gives the same scores (to 1e-15:
the same comparisons in the same order, in double precision as LightGBM
does them). Compiling takes about 10 s, so it is done once per machine and
model file and kept in the user's cache; a model whose compiled form is not
there is scored by LightGBM, with the same results.

``newsbrief batch`` (and ``eval`` on an engine) compiles before its workers
start, where the cost is repaid; ``newsbrief compile`` does it by hand.
Where lleaves cannot be imported or loaded, LightGBM is used.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CompiledForest", "cache_dir", "cached_path", "compile_forest", "load_compiled"]

# Inlining every tree into one function makes compiling 8x slower (77 s) for
# no measurable gain at prediction time.
_OPTIONS: dict[str, Any] = {"finline": False}


def cache_dir() -> Path:
    """``$NEWSBRIEF_CACHE``, else ``$XDG_CACHE_HOME/newsbrief`` (``~/.cache/newsbrief``)."""
    env = os.environ.get("NEWSBRIEF_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "newsbrief"


def cached_path(model_file: str | Path) -> Path:
    """Where the compiled form of ``model_file`` is kept: named by the model's
    content, the lleaves version and this CPU (the code is native and uses
    the CPU's own instructions: a cache shared between machines must not
    hand one machine's code to another)."""
    import lleaves
    from llvmlite import binding as llvm

    digest = hashlib.sha256(Path(model_file).read_bytes())
    digest.update(repr((getattr(lleaves, "__version__", "?"), platform.machine(), sys.platform,
                        llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten(),
                        sorted(_OPTIONS.items()))).encode())
    return cache_dir() / f"ranker-{digest.hexdigest()[:20]}.o"


def _digest_path(path: Path) -> Path:
    return path.with_suffix(".sha256")


def _intact(path: Path) -> bool:
    """The object file is the one written after compiling (its digest, kept
    beside it, matches). LLVM aborts the whole process on a damaged object
    file rather than raising, so nothing else may reach it."""
    try:
        want = _digest_path(path).read_text(encoding="ascii").strip()
        return hashlib.sha256(path.read_bytes()).hexdigest() == want
    except OSError:
        return False


# The compiled entry point: (rows, out, first row, end row), doubles, as lleaves declares it, but taking
# plain addresses (a ctypes pointer per argument costs more than the call).
_ENTRY = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32, ctypes.c_int32)


class CompiledForest:
    """A loaded compiled forest; ``predict`` takes what LightGBM's takes."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._entry = self._n_features = None
        # lleaves' ``predict`` is checks and pointer conversions around one call of the compiled
        # function (~8 us of a ~60 us prediction): call it directly where its layout is the one
        # known here (one output per row, in double precision), else through ``predict``.
        func = getattr(model, "_c_entry_func", None)
        if func is not None and getattr(model, "use_fp64", False) and getattr(model, "_n_classes", None) == 1:
            self._entry = _ENTRY(ctypes.cast(func, ctypes.c_void_p).value)
            self._n_features = model.num_feature()

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float64)
        n = len(X)
        if self._entry is None or X.ndim != 2 or X.shape[1] != self._n_features or n >= 2**31 - 1:
            return self._model.predict(X, n_jobs=1)
        out = np.zeros(n)
        self._entry(X.ctypes.data, out.ctypes.data, 0, n)
        return out


def load_compiled(model_file: str | Path) -> CompiledForest | None:
    """The compiled forest of ``model_file`` if it is in the cache (a few ms
    to load), else None. Never compiles."""
    try:
        path = cached_path(model_file)
        if not _intact(path):
            return None
        import lleaves

        model = lleaves.Model(model_file=str(model_file))
        model.compile(cache=str(path), **_OPTIONS)
        return CompiledForest(model)
    except Exception:  # noqa: BLE001 - no lleaves, a damaged cache file: LightGBM scores it the same
        return None


def compile_forest(model_file: str | Path) -> Path | None:
    """Compile ``model_file`` into the cache unless it is there already;
    returns the cached file, or None when lleaves is not usable here. The
    file appears whole or not at all (written aside, then renamed), so
    processes compiling at once do not read each other's half files."""
    try:
        path = cached_path(model_file)
    except Exception:  # noqa: BLE001 - lleaves missing or broken
        return None
    if _intact(path):
        return path
    import lleaves

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.stem + ".", suffix=".tmp", dir=path.parent)
    except OSError:  # a read-only or full cache directory: LightGBM stays in use
        return None
    os.close(fd)
    os.unlink(tmp)  # lleaves writes the cache file only when it is absent
    tmp_digest = tmp + ".sha256"
    try:
        model = lleaves.Model(model_file=str(model_file))
        model.compile(cache=tmp, **_OPTIONS)
        digest = hashlib.sha256(Path(tmp).read_bytes()).hexdigest()
        Path(tmp_digest).write_text(digest + "\n", encoding="ascii")
        os.replace(tmp, path)  # the object first: a digest never vouches for a file not yet in place
        os.replace(tmp_digest, _digest_path(path))
    except Exception:  # noqa: BLE001 - LLVM could not build it here: LightGBM stays in use
        return None
    finally:
        for leftover in (tmp, tmp_digest):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return path
