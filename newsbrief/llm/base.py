"""What every language-model backend offers, so the fusion step does not care
which one the user brought: a chat call that returns text and token counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ..registry import Registry

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}
OnText = Callable[[str], None]


class LLMError(Exception):
    """A backend that cannot answer: one line, never the API key or article text."""


class LLMSpecError(LLMError):
    """What names the model is wrong (not a URL, no such .gguf file): a usage error, not a failure."""


TopTokens = dict[str, float]  # a generated token's likeliest alternatives: token text -> log-probability


@dataclass
class Reply:
    text: str
    prompt_tokens: int | None
    completion_tokens: int | None
    finish_reason: str | None
    # Per generated token, when asked for (``logprobs=k``) and the backend gives them; None otherwise.
    top: list[TopTokens] | None = None


def request_options(stop: list[str] | None, logprobs: int) -> dict[str, object]:
    """The optional fields of an OpenAI chat request, as llama.cpp and the servers read them."""
    options: dict[str, object] = {"stop": stop} if stop else {}
    if logprobs:
        options.update(logprobs=True, top_logprobs=logprobs)
    return options


def read_top(logprobs: object) -> list[TopTokens]:
    """An OpenAI ``choice.logprobs`` object (llama.cpp, vLLM and Ollama give
    the same shape) read as each token's alternatives."""
    out: list[TopTokens] = []
    content = logprobs.get("content") if isinstance(logprobs, dict) else None
    for token in content if isinstance(content, list) else []:
        alternatives = token.get("top_logprobs") if isinstance(token, dict) else None
        top: TopTokens = {}
        for alt in alternatives if isinstance(alternatives, list) else [token]:
            if isinstance(alt, dict) and isinstance(alt.get("token"), str) and isinstance(alt.get("logprob"), (int, float)):
                top.setdefault(alt["token"], float(alt["logprob"]))
        out.append(top)
    return out


class Backend(Protocol):
    name: str

    def chat(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: list[str] | None = None,
        logprobs: int = 0,
    ) -> Reply: ...


# name -> factory(spec, model=..., timeout=...); open_backend picks one by the spec's form.
backends: Registry[Backend] = Registry("language-model backend")
