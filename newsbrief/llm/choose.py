"""From what the user typed (``--llm URL|PATH``, ``$NEWSBRIEF_LLM``) to a backend."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from .base import Backend, LLMSpecError, backends

LLM_ENV = "NEWSBRIEF_LLM"
LLM_MODEL_ENV = "NEWSBRIEF_LLM_MODEL"

NO_BACKEND = (
    "--fuse needs a language model: --llm URL (an OpenAI-compatible server, e.g. "
    "http://127.0.0.1:11434/v1 for Ollama, with --llm-model NAME) or --llm PATH.gguf "
    f"(run in-process; pip install 'newsbrief[llm]'), or set ${LLM_ENV}"
)


def open_backend(spec: str, *, model: str | None = None, timeout: float = 60.0, **options: object) -> Backend:
    """An http(s) URL opens an OpenAI-compatible server (``options``: retries,
    backoff, stream, api_key); any other spec is a path to a ``.gguf`` file."""
    spec = spec.strip()
    if not spec:
        raise LLMSpecError("no language model given: " + NO_BACKEND)
    if urlsplit(spec).scheme in ("http", "https"):
        return backends.get("openai", url=spec, model=model, timeout=timeout, **options)
    if not spec.lower().endswith(".gguf"):
        raise LLMSpecError(f"--llm takes an http(s) URL or a .gguf file, not {spec!r}")
    return backends.get("gguf", path=spec, model=model, timeout=timeout, **options)


def backend_from_options(llm: str | None, model: str | None, timeout: float = 60.0) -> Backend | None:
    """The backend the CLI options (else ``$NEWSBRIEF_LLM`` / ``$NEWSBRIEF_LLM_MODEL``) name; None if none."""
    spec = llm or os.environ.get(LLM_ENV, "")
    if not spec.strip():
        return None
    return open_backend(spec, model=model or os.environ.get(LLM_MODEL_ENV) or None, timeout=timeout)
