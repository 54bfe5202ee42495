"""Sentence embeddings from the shipped static model (newsbrief/models/embed):
shapes, normalisation, same story closer than different stories, case, the
env-var override, no network, and the clear errors when it cannot load."""

from __future__ import annotations

import socket
import sys

import numpy as np
import pytest

pytest.importorskip("model2vec", reason="model2vec is not installed (needed for newsbrief.text.embed)")

from newsbrief.text import embed as E  # noqa: E402


@pytest.fixture
def fresh_cache():
    """Loading is cached per folder: start and end these tests with an empty cache."""
    E.load_model.cache_clear()
    yield
    E.load_model.cache_clear()


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_shipped_model_is_there():
    for name in ("model.safetensors", "tokenizer.json", "config.json", "README.md"):
        assert (E.MODEL_DIR / name).is_file(), name
    size = sum(p.stat().st_size for p in E.MODEL_DIR.iterdir() if p.is_file())
    assert size < 20_000_000
    assert "Apache-2.0" in (E.MODEL_DIR / "README.md").read_text(encoding="utf-8")


def test_shapes_dtype_and_unit_rows(monkeypatch):
    monkeypatch.delenv(E.ENV_VAR, raising=False)
    assert E.available()
    texts = ["The Senate passed the bill on Tuesday.", "Flooding closed the main road.", "Hi"]
    v = E.embed(texts)
    assert v.shape == (3, E.dim())
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert E.embed([]).shape == (0, E.dim())
    assert E.embed(("a tuple works",)).shape == (1, E.dim())
    # The same text always gets the same vector, alone or in a batch.
    np.testing.assert_allclose(E.embed([texts[1]])[0], v[1], atol=1e-6)


def test_empty_text_is_a_zero_row():
    v = E.embed(["", "The storm hit the coast."])
    assert not np.any(v[0])
    assert np.linalg.norm(v[1]) == pytest.approx(1.0, abs=1e-5)


def test_one_string_is_refused():
    with pytest.raises(TypeError):
        E.embed("not a list")  # type: ignore[arg-type]


def test_case_does_not_matter():
    a, b, c = E.embed(["The Senate passed the bill", "the senate passed the bill", "THE SENATE PASSED THE BILL"])
    assert cos(a, b) > 0.9  # the WordPiece tokenizer is uncased: in fact identical
    assert cos(a, c) > 0.9


def test_same_story_closer_than_different_story():
    storm = [
        "Hurricane Mara made landfall near Port Alder on Sunday, flooding streets and cutting power to thousands.",
        "Thousands lost electricity as Hurricane Mara came ashore by Port Alder, with floodwater filling roads.",
    ]
    trial = [
        "The jury found the former mayor guilty of bribery after a three-week trial.",
        "A jury convicted the ex-mayor on bribery charges following a trial that lasted three weeks.",
    ]
    other = "The museum opened a new wing dedicated to medieval tapestries."
    s1, s2, t1, t2, o = E.embed([*storm, *trial, other])
    same = min(cos(s1, s2), cos(t1, t2))
    different = max(cos(s1, t1), cos(s1, t2), cos(s2, t1), cos(s2, t2), cos(s1, o), cos(t1, o))
    assert same > different + 0.1, (same, different)


def test_env_var_chooses_the_folder(tmp_path, monkeypatch, fresh_cache):
    link = tmp_path / "my-model"
    link.symlink_to(E.MODEL_DIR, target_is_directory=True)
    monkeypatch.setenv(E.ENV_VAR, str(link))
    assert E.model_dir() == link
    assert E.embed(["hello world"]).shape == (1, E.dim())


def test_loads_without_network(monkeypatch, fresh_cache):
    def refuse(self, address, *args, **kwargs):  # noqa: ANN001
        raise AssertionError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.delenv(E.ENV_VAR, raising=False)
    assert E.embed(["offline"]).shape == (1, E.dim())


def test_missing_folder_is_a_clear_error(tmp_path, monkeypatch, fresh_cache):
    missing = tmp_path / "no-such-model"
    monkeypatch.setenv(E.ENV_VAR, str(missing))
    assert not E.available()
    with pytest.raises(E.EmbeddingModelError, match="embedding model folder not found") as err:
        E.embed(["anything"])
    assert str(missing) in str(err.value) and "\n" not in str(err.value)


def test_incomplete_folder_is_a_clear_error(tmp_path, monkeypatch, fresh_cache):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv(E.ENV_VAR, str(tmp_path))
    with pytest.raises(E.EmbeddingModelError, match="lacks model.safetensors, tokenizer.json"):
        E.embed(["anything"])


def test_model2vec_missing_is_a_clear_error(monkeypatch, fresh_cache):
    monkeypatch.delenv(E.ENV_VAR, raising=False)
    monkeypatch.setitem(sys.modules, "model2vec", None)  # makes `import model2vec` fail
    assert not E.available()
    with pytest.raises(E.EmbeddingModelError, match="need model2vec"):
        E.embed(["anything"])


def test_embed_is_safe_from_many_threads():
    """A server embeds from its thread pool; the tokenizer underneath is not
    re-entrant, so concurrent calls must neither fail nor mix up rows."""
    from concurrent.futures import ThreadPoolExecutor

    from newsbrief.text.embed import available, embed

    if not available():
        pytest.skip("embedding model not available")
    texts = [f"The council voted {i} times on the bridge repair budget for district {i}." * 8 for i in range(64)]
    want = embed(texts)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda t: embed([t])[0], texts))
    assert np.allclose(np.stack(got), want, atol=1e-5)
