"""Shared fixtures: paths to the example cluster and the shared data, and a
briefing of the examples built once (briefing takes a second or so)."""

from __future__ import annotations

import os
import tempfile
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
