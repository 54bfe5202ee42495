"""The ranker's compiled trees (lleaves) score exactly as LightGBM does, are
used once compiled, and anything wrong with them falls back to LightGBM."""

from __future__ import annotations

import os
from itertools import islice
from pathlib import Path

import numpy as np
import pytest

from newsbrief.model import Cluster
from newsbrief.pipeline import prepare
from newsbrief.sources import iter_clusters
from newsbrief.summarize import compiled
from newsbrief.summarize.base import Pool
from newsbrief.summarize.features import features
from newsbrief.summarize.ranker import compile_model, default_model_path, load_model, model_available

pytestmark = pytest.mark.skipif(not model_available(), reason="no ranker model installed")
pytest.importorskip("lleaves")


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBRIEF_CACHE", str(tmp_path / "c"))
    assert compiled.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("NEWSBRIEF_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert compiled.cache_dir() == tmp_path / "x" / "newsbrief"


def test_compiled_scores_equal_lightgbm(shared: Path) -> None:
    model_file = default_model_path() / "model.txt"
    path = compile_model()
    assert path is not None and path.is_file() and path == compiled.cached_path(model_file)
    assert Path(os.environ["NEWSBRIEF_CACHE"]) in path.parents  # the session's cache, not the user's
    assert compile_model() == path  # already there: no second compile
    forest = compiled.load_compiled(model_file)
    assert forest is not None
    booster, odds = load_model().booster, load_model().odds
    rows = 0
    for c in islice(iter_clusters(shared / "multinews" / "val_truncated.jsonl.gz"), 60):
        if not isinstance(c, Cluster) or not (arts := prepare(c.articles)):
            continue
        X = features(Pool(arts), odds)
        np.testing.assert_allclose(forest.predict(X), booster.predict(X, num_threads=1), rtol=0, atol=1e-12)
        # The direct call of the compiled function is lleaves' own predict, bit for bit.
        assert np.array_equal(forest.predict(X), forest._model.predict(X.astype(np.float64), n_jobs=1))
        rows += len(X)
    assert rows > 500 and forest._entry is not None
    with pytest.raises(ValueError):  # a wrong width goes to lleaves' check, never to the native code
        forest.predict(np.zeros((2, 3)))


def test_compiled_forest_without_the_entry_point_calls_predict() -> None:
    """Another lleaves version (no ``_c_entry_func``): its ``predict`` is used."""

    class Model:
        def predict(self, X: np.ndarray, n_jobs: int) -> np.ndarray:
            assert X.dtype == np.float64 and X.flags.c_contiguous and n_jobs == 1
            return X.sum(axis=1)

    forest = compiled.CompiledForest(Model())
    X = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert forest._entry is None and forest.predict(X).tolist() == [6.0, 22.0, 38.0]


def test_load_model_uses_the_compiled_forest_once_cached(tmp_path: Path, monkeypatch) -> None:
    model_file = default_model_path() / "model.txt"
    assert compile_model() is not None
    load_model.cache_clear()
    try:
        assert load_model().compiled is not None
        monkeypatch.setenv("NEWSBRIEF_CACHE", str(tmp_path / "empty"))  # nothing compiled there
        load_model.cache_clear()
        assert load_model().compiled is None
        assert compiled.load_compiled(model_file) is None
        broken = compiled.cached_path(model_file)
        broken.parent.mkdir(parents=True)
        broken.write_bytes(b"not an object file")
        assert compiled.load_compiled(model_file) is None  # no digest beside it: never given to LLVM
        (broken.with_suffix(".sha256")).write_text("0" * 64)
        assert compiled.load_compiled(model_file) is None  # damaged: LightGBM instead, no crash
    finally:
        load_model.cache_clear()


def test_unwritable_cache_means_lightgbm(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NEWSBRIEF_CACHE", str(blocker / "cache"))  # cannot be created
    assert compile_model() is None
    assert compiled.load_compiled(default_model_path() / "model.txt") is None


def test_preload_gives_ranker_its_model_without_lightgbm(monkeypatch, tmp_path: Path) -> None:
    """What the batch forkserver does: with the compiled form cached, the
    default ranker's model is loaded once and a later Ranker() reuses it;
    with nothing compiled, nothing is loaded (so no LightGBM before a fork)."""
    from newsbrief.summarize.ranker import Ranker, preload_compiled

    assert compile_model() is not None
    load_model.cache_clear()
    try:
        assert preload_compiled()
        loads = load_model.cache_info().misses
        r = Ranker()
        assert r.model is not None and r.model.compiled is not None
        assert load_model.cache_info().misses == loads  # reused, not loaded again
        assert "booster" not in vars(r.model)  # LightGBM never touched
        monkeypatch.setenv("NEWSBRIEF_CACHE", str(tmp_path / "empty"))
        load_model.cache_clear()
        assert not preload_compiled() and load_model.cache_info().misses == 0
    finally:
        load_model.cache_clear()
