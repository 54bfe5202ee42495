"""The trained ranker: a LightGBM sentence scorer learnt from Multi-News
training clusters (``newsbrief train``), blended with the salience score.

Why a blend: the training split is truncated to about 500 words a cluster, so
the model never sees sentence 30 of a long article; salience's lead prior
says what the model cannot learn there, and the model adds what salience
cannot know (which words and sentence shapes news summaries keep).

The model ships inside the package as LightGBM's text format plus a JSON
file: nothing is unpickled, so loading a model file cannot run code.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from .base import Budget, Pool, Summarizer, methods, minmax
from .compiled import CompiledForest, compile_forest, load_compiled
from .features import FEATURES, features
from .mmr import mmr_select
from .salience import Salience

MODEL_DIR = "models/ranker"
# The calibrated length grows with the number of articles (Newser's summaries
# of big stories are longer); a briefing is read in about a minute, so the
# calibration stops here. An explicit length is never capped.
MAX_AUTO_WORDS = 300


@dataclass
class RankerModel:
    model_file: Path
    meta: dict[str, Any]
    compiled: CompiledForest | None = None  # the same trees as machine code, when compiled here (compiled.py)

    @property
    def odds(self) -> dict[str, float]:
        return self.meta["odds"]

    @cached_property
    def booster(self) -> Any:
        """The LightGBM model, loaded when first needed: with the compiled
        forest it never is, and a process then never imports LightGBM (and,
        through it, scikit-learn: about 1 s).

        Loaded with OpenMP held to one thread: a load with the default
        threads leaves an OpenMP worker behind, and with more OpenMP threads
        than cores libgomp stops spinning at barriers for the whole process,
        which made an in-process llama.cpp model (``--fuse --llm x.gguf``)
        2.3x slower on 2 cores. Scoring already asks for one thread."""
        import lightgbm as lgb
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="openmp"):
            return lgb.Booster(model_file=str(self.model_file))

    def score(self, pool: Pool) -> np.ndarray:
        if not len(pool):
            return np.zeros(0)
        X = features(pool, self.odds)
        if self.compiled is not None:
            return self.compiled.predict(X)
        return self.booster.predict(X, num_threads=1)

    def target_words(self, pool: Pool) -> int:
        """Calibrated summary length for this cluster (see ``newsbrief train``)."""
        cal = self.meta.get("length", {})
        n_docs = len(pool.articles)
        table = cal.get("by_docs", {})
        key = str(min(n_docs, int(cal.get("max_docs", 1))))
        words = int(round(table.get(key, cal.get("default", 250)) * float(cal.get("scale", 1.0))))
        return min(words, MAX_AUTO_WORDS)


def default_model_path() -> Path:
    return Path(str(files("newsbrief").joinpath(MODEL_DIR)))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> RankerModel:
    """Load a ranker from a directory holding ``model.txt`` and ``meta.json``.
    Cached: models load once per process (per worker in batch runs)."""
    d = Path(path) if path else default_model_path()
    model_file, meta_file = d / "model.txt", d / "meta.json"
    if not model_file.is_file() or not meta_file.is_file():
        raise FileNotFoundError(f"no ranker model in {d} (expected model.txt and meta.json)")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta.get("features") != FEATURES:
        raise ValueError(f"ranker model in {d} was trained with other features; retrain with `newsbrief train`")
    return RankerModel(model_file, meta, load_compiled(model_file))


def preload_compiled() -> bool:
    """Load the default model now if its compiled form is cached; True if
    it did. The batch forkserver calls it so that every worker it forks
    starts with the model (about 0.1 s each). It never loads LightGBM
    there (``load_model`` leaves it to first use): a process forked after
    LightGBM's OpenMP pool ran hangs."""
    try:
        if load_model(None).compiled is not None:  # None: the cache key Ranker() looks up
            return True
    except (OSError, ValueError):  # no model or a broken one: each worker reports it, as without a preload
        return False
    # Not compiled here (yet: the parent may be compiling it now): forget it,
    # so that workers load it themselves, after the parent is done.
    load_model.cache_clear()
    return False


def compile_model(path: str | None = None) -> Path | None:
    """Compile the ranker's trees for this machine into the cache (about
    10 s, once per model; see :mod:`newsbrief.summarize.compiled`); returns
    the compiled file, or None when there is no model or lleaves is not
    usable here. Processes that load the model afterwards use it."""
    d = Path(path) if path else default_model_path()
    if not (d / "model.txt").is_file():
        return None
    return compile_forest(d / "model.txt")


def model_available(path: str | None = None) -> bool:
    d = Path(path) if path else default_model_path()
    return (d / "model.txt").is_file() and (d / "meta.json").is_file()


@methods.register("ranker")
class Ranker(Summarizer):
    """Trained scorer + salience, selected with MMR; falls back to plain
    salience (with a warning) when no model is installed."""

    name = "ranker"

    def __init__(self, model: str | None = None, blend: float | None = None, lam: float | None = None) -> None:
        self.salience = Salience()
        try:
            self.model: RankerModel | None = load_model(model)
            if self.model.compiled is None:
                self.model.booster  # noqa: B018 - loaded now, so that a missing LightGBM is reported here
        except (FileNotFoundError, ValueError, ImportError) as e:
            warnings.warn(f"ranker: {e}; falling back to the untrained 'salience' method", stacklevel=2)
            self.model = None
        sel = (self.model.meta.get("selection", {}) if self.model else {})
        self.blend = float(blend if blend is not None else sel.get("blend", 1.0))
        self.lam = float(lam if lam is not None else sel.get("lam", self.salience.lam))

    @staticmethod
    def prepare_machine() -> None:
        """Before a long run: the default model compiled for this machine."""
        compile_model()

    def score(self, pool: Pool) -> np.ndarray:
        base = minmax(self.salience.score(pool))
        if self.model is None:
            return base
        return base + self.blend * minmax(self.model.score(pool))

    def target_words(self, pool: Pool) -> int | None:
        """The model's calibrated length for this cluster."""
        return self.model.target_words(pool) if self.model is not None else None

    def select(self, pool: Pool, budget: Budget, seed: Sequence[int] = ()) -> list[int]:
        if self.model is None:
            return self.salience.select(pool, budget, seed)
        return mmr_select(pool, minmax(self.score(pool)), budget, self.lam, self.redundancy, seed)
