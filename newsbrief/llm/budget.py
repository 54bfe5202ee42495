"""A per-briefing token cap: one model call per group of cited sentences adds
up, and a hosted API bills every token, so the caller sets a ceiling."""

from __future__ import annotations

from .base import Backend, LLMError, Message, OnText, Reply


class Budgeted:
    """A backend that stops with :class:`LLMError` once ``limit`` tokens (prompt
    and completion together) are spent; each call's ``max_tokens`` is cut to
    what is left. Make one per briefing."""

    def __init__(self, backend: Backend, limit: int) -> None:
        if limit <= 0:
            raise ValueError(f"token budget must be positive, not {limit}")
        self.backend = backend
        self.name = backend.name
        self.limit = limit
        self.spent = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.spent)

    def chat(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 256,
        temperature: float = 0.0,
        stop: list[str] | None = None,
        logprobs: int = 0,
        on_text: OnText | None = None,
    ) -> Reply:
        if self.remaining == 0:
            raise LLMError(f"token budget of {self.limit} spent")
        allowed = min(max_tokens, self.remaining)
        extra: dict = {"logprobs": logprobs} if logprobs else {}
        if on_text is not None:
            extra["on_text"] = on_text
        reply = self.backend.chat(messages, max_tokens=allowed, temperature=temperature, stop=stop, **extra)
        # A server that does not count tokens is charged what it was allowed to write.
        written = allowed if reply.completion_tokens is None else reply.completion_tokens
        self.spent += (reply.prompt_tokens or 0) + written
        return reply

    def __repr__(self) -> str:
        return f"Budgeted({self.backend!r}, limit={self.limit}, spent={self.spent})"
