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


@dataclass
class Reply:
    text: str
    prompt_tokens: int | None
    completion_tokens: int | None
    finish_reason: str | None


class Backend(Protocol):
    name: str

    def chat(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: list[str] | None = None,
    ) -> Reply: ...


# name -> factory(spec, model=..., timeout=...); open_backend picks one by the spec's form.
backends: Registry[Backend] = Registry("language-model backend")
