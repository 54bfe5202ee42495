"""Sentence embeddings, offline and fast: a model2vec static model shipped
inside the package (``newsbrief/models/embed/``, distilled from
sentence-transformers/all-MiniLM-L6-v2 by ``scripts/distill_embeddings.py``).

A sentence's vector is the mean of its WordPiece tokens' (SIF-weighted,
news-centred) vectors, L2-normalised, so the dot product of two rows is their
cosine; unrelated news sentences score near 0, same-story ones ~0.3 and up. Thousands of
sentences a second on one CPU core, needing only numpy, tokenizers and
safetensors at run time (no torch). The tokenizer is uncased: "The Senate"
and "the senate" get the same vector.

The model is read once per process from the packaged folder, or from the
folder named by the environment variable ``NEWSBRIEF_EMBED_MODEL``, always by
local path: nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["EmbeddingModelError", "MODEL_DIR", "ENV_VAR", "available", "dim", "embed", "load_model", "model_dir"]

ENV_VAR = "NEWSBRIEF_EMBED_MODEL"
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "embed"
_REQUIRED = ("model.safetensors", "tokenizer.json", "config.json")


class EmbeddingModelError(RuntimeError):
    """The embedding model cannot be used: model2vec is missing, or the model
    folder is missing or incomplete. The message is one line saying which."""


def model_dir() -> Path:
    """The folder the model is loaded from: ``$NEWSBRIEF_EMBED_MODEL`` when
    set (and non-empty), else the packaged ``newsbrief/models/embed``."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else MODEL_DIR


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise EmbeddingModelError(f"embedding model folder not found: {folder} (set {ENV_VAR} to a model2vec folder)")
    missing = [f for f in _REQUIRED if not (folder / f).is_file()]
    if missing:
        raise EmbeddingModelError(f"embedding model folder {folder} lacks {', '.join(missing)}")


@lru_cache(maxsize=4)
def load_model(folder: str) -> Any:
    """The model2vec model in ``folder``, loaded once per process (its
    ``cache_info`` counts the loads a batch worker reports)."""
    path = Path(folder)
    # Check the folder first: given a path that does not exist, model2vec
    # would take it for a hub repository name and try to download it.
    _check_folder(path)
    try:
        from model2vec import StaticModel
    except ImportError as e:
        raise EmbeddingModelError(f"sentence embeddings need model2vec: pip install model2vec ({e})") from None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        return StaticModel.from_pretrained(path, normalize=True, force_download=False)
    except Exception as e:  # noqa: BLE001 - surface any load failure as one clear line
        raise EmbeddingModelError(f"cannot load embedding model from {path}: {type(e).__name__}: {e}") from e


# The HF tokenizer inside the model is not safe to call from two threads at
# once ("RuntimeError: Already borrowed"); a server runs briefings in a thread
# pool. Encoding is a few milliseconds, so one lock costs little.
_ENCODE = threading.Lock()


def _model() -> Any:
    return load_model(str(model_dir().resolve()))


def available() -> bool:
    """True when :func:`embed` will work (model2vec installed, model loads)."""
    try:
        _model()
    except EmbeddingModelError:
        return False
    return True


def dim() -> int:
    """Width of the vectors :func:`embed` returns."""
    return int(_model().dim)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed ``texts``: a float32 array of shape ``(len(texts), dim())`` with
    L2-normalised rows (a text with no known token, e.g. ``""``, gets a row
    of zeros). Raises :class:`EmbeddingModelError` when the model is unusable."""
    model = _model()
    if isinstance(texts, str):
        raise TypeError("embed() takes a list of texts, not one string")
    texts = list(texts)
    if not texts:
        return np.zeros((0, int(model.dim)), dtype=np.float32)
    with _ENCODE:
        vecs = np.asarray(model.encode(texts, show_progress_bar=False, use_multiprocessing=False),
                          dtype=np.float32)
    # model2vec already normalises; do it again in float32 so that rows are
    # unit length to float32 precision whatever the stored dtype.
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    np.divide(vecs, norms, out=vecs, where=norms > 0)
    return vecs
