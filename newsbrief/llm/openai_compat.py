"""Any OpenAI-compatible chat endpoint given by URL: Ollama, a llama.cpp
server, vLLM, a hosted API. Plain httpx (already a dependency) rather than the
``openai`` client: the few calls needed do not justify its weight.

Nothing the user sends is logged or put in an error: not the API key (read
from ``$NEWSBRIEF_LLM_API_KEY``), not the messages (they hold article text).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import httpx

from .base import LLMError, LLMSpecError, Message, OnText, Reply, TopTokens, backends, read_top, request_options

log = logging.getLogger(__name__)

API_KEY_ENV = "NEWSBRIEF_LLM_API_KEY"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_WAIT = 30.0  # seconds: a longer Retry-After is not waited for


def shown_url(url: str) -> str:
    """The URL without user info, query or fragment, which may hold a secret."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def retry_after(response: httpx.Response, default: float) -> float:
    """Seconds the server asks to wait (Retry-After in seconds), else ``default``."""
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return default


@backends.register("openai")
class OpenAIChat:
    """POST ``{url}/chat/completions``; retries connection errors, 429 and 5xx
    with exponential backoff (Retry-After honoured up to 30 s)."""

    name = "openai"

    def __init__(
        self,
        url: str,
        *,
        model: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        stream: bool = False,
        api_key: str | None = None,
    ) -> None:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise LLMSpecError(f"not an http(s) URL: {shown_url(url)!r}")
        parts = urlsplit(url)
        self.url = urlunsplit(parts._replace(path=parts.path.rstrip("/"), fragment=""))
        self.retries = retries
        self.backoff = backoff
        self.stream = stream
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        connect = min(timeout, 10.0)
        self._client = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout, connect=connect))
        self.model = model or self._first_model()

    def __repr__(self) -> str:
        return f"OpenAIChat(url={shown_url(self.url)!r}, model={self.model!r})"

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
        """One completion. With ``stream`` (or ``on_text``) the answer comes as
        server-sent events, each piece passed to ``on_text``; a server that
        answers with plain JSON instead is read as such. ``logprobs=k`` asks
        for each token's ``k`` likeliest alternatives (``Reply.top``; None
        from a server that does not give them)."""
        body: dict = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                      "temperature": temperature, "seed": 0, **request_options(stop, logprobs)}
        streaming = self.stream or on_text is not None
        if streaming:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        started = time.monotonic()
        reply = self._send("POST", "/chat/completions", body, on_text if streaming else None)
        log.debug("%s: %s prompt + %s completion tokens in %.2f s (%s)", shown_url(self.url),
                  reply.prompt_tokens, reply.completion_tokens, time.monotonic() - started, reply.finish_reason)
        return reply

    def close(self) -> None:
        self._client.close()

    def _first_model(self) -> str:
        """The server's first model (Ollama and llama.cpp list theirs)."""
        try:
            data = self._send("GET", "/models", None, None)
        except LLMError as e:
            raise LLMError(f"{e} (while asking for its models; --llm-model NAME skips this)") from None
        models = (data.get("data") or data.get("models") or []) if isinstance(data, dict) else []
        first = models[0] if models and isinstance(models[0], dict) else {}
        name = first.get("id") or first.get("model") or first.get("name")
        if not isinstance(name, str) or not name:
            raise LLMError(f"{shown_url(self.url)} lists no model: give one with --llm-model NAME")
        return name

    def _send(self, method: str, path: str, body: dict | None, on_text: OnText | None):
        """The request, retried; a Reply for chat, the decoded JSON for GET."""
        parts = urlsplit(self.url)
        url = urlunsplit(parts._replace(path=parts.path + path))
        where = shown_url(url)
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            wait = self.backoff * 2**attempt
            try:
                with self._client.stream(method, url, json=body) as response:
                    if response.status_code in RETRY_STATUS and not last:
                        wait = retry_after(response, wait)
                        if wait > MAX_RETRY_WAIT:
                            raise LLMError(f"{where}: HTTP {response.status_code}, retry after {wait:.0f} s")
                        log.info("%s: HTTP %s, retrying in %.1f s", where, response.status_code, wait)
                    else:
                        return self._answer(response, where, body is not None, on_text)
            except httpx.TimeoutException:
                raise LLMError(f"{where}: no answer within {self._client.timeout.read:g} s") from None
            except httpx.TransportError as e:
                if last:
                    raise LLMError(f"{where}: cannot connect ({type(e).__name__})") from None
                log.info("%s: %s, retrying in %.1f s", where, type(e).__name__, wait)
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _answer(self, response: httpx.Response, where: str, is_chat: bool, on_text: OnText | None):
        if response.status_code >= 400:
            response.read()
            raise LLMError(f"{where}: HTTP {response.status_code}{server_says(response)}")
        if is_chat and "text/event-stream" in response.headers.get("content-type", ""):
            return read_stream(response.iter_lines(), where, on_text)
        response.read()
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise LLMError(f"{where}: the answer is not JSON") from None
        return parse_completion(data, where) if is_chat else data


def server_says(response: httpx.Response) -> str:
    """The server's own error message (it describes the request, not its text), cut short."""
    try:
        error = response.json().get("error")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return ""
    message = error.get("message") if isinstance(error, dict) else error
    return f": {' '.join(str(message).split())[:200]}" if message else ""


def parse_completion(data: object, where: str) -> Reply:
    """A chat.completion object read into a Reply."""
    try:
        choice = data["choices"][0]  # type: ignore[index]
        text = choice["message"]["content"]
        if not isinstance(text, str):
            raise TypeError
    except (KeyError, IndexError, TypeError):
        raise LLMError(f"{where}: the answer has no choices[0].message.content") from None
    usage = data.get("usage") or {}  # type: ignore[union-attr]
    top = read_top(choice.get("logprobs")) if choice.get("logprobs") else None
    return Reply(text, usage.get("prompt_tokens"), usage.get("completion_tokens"), choice.get("finish_reason"), top)


def read_stream(lines: Iterator[str], where: str, on_text: OnText | None) -> Reply:
    """Server-sent ``data:`` events of chat.completion.chunk objects, up to ``[DONE]``."""
    pieces: list[str] = []
    finish: str | None = None
    usage: dict = {}
    top: list[TopTokens] = []
    for line in lines:
        if not line.startswith("data:"):
            continue
        payload = line[5:].strip()
        if payload == "[DONE]":
            break
        try:
            chunk = json.loads(payload)
        except json.JSONDecodeError:
            raise LLMError(f"{where}: a streamed event is not JSON") from None
        usage = chunk.get("usage") or usage
        for choice in chunk.get("choices") or []:
            piece = (choice.get("delta") or {}).get("content")
            if piece:
                pieces.append(piece)
                if on_text:
                    on_text(piece)
            top += read_top(choice.get("logprobs"))
            finish = choice.get("finish_reason") or finish
    return Reply("".join(pieces), usage.get("prompt_tokens"), usage.get("completion_tokens"), finish, top or None)
