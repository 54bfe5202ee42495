"""A GGUF file run in-process with xllamacpp (llama.cpp's own server engine,
prebuilt wheels): no server for the user to start. xllamacpp is an optional
extra, imported only when a GGUF backend is opened."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

import httpx

from .base import LLMError, LLMSpecError, Message, OnText, Reply, TopTokens, backends, read_top, request_options

INSTALL_HINT = "pip install 'newsbrief[llm]'"
CONTEXT = 4096  # tokens: a group of cited sentences, the instructions and the answer, with room to spare
SEED = 42


@backends.register("gguf")
class LocalGGUF:
    """The model is loaded once per object (a second or so for a small model).

    llama.cpp's engine also listens on a 127.0.0.1 port of its own; it is
    locked with ``api_key`` (a random one unless given), so that no other
    program or web page can use it. :attr:`http_url` and :attr:`api_key` give
    it out on purpose, e.g. to serve the test model over real HTTP.
    """

    name = "gguf"

    def __init__(self, path: str | os.PathLike[str], *, model: str | None = None, context: int = CONTEXT,
                 threads: int | None = None, timeout: float = 60.0, api_key: str | None = None) -> None:
        path = Path(path).expanduser()
        if not path.is_file():
            raise LLMSpecError(f"no GGUF model file at {path}")
        try:
            import xllamacpp
        except ImportError:
            raise LLMError(f"running a GGUF file needs xllamacpp: {INSTALL_HINT}") from None
        try:
            with path.open("rb") as f:
                magic = f.read(4)
        except OSError as e:
            raise LLMSpecError(f"cannot read {path}: {e.strerror}") from None
        if magic != b"GGUF":  # checked here: llama.cpp's own failure on such a file is slow and noisy
            raise LLMError(f"cannot load {path.name} as a GGUF model (no GGUF header)")
        self.path = path
        self.model = model or path.stem
        self.api_key = api_key or secrets.token_urlsafe(24)
        self.threads = threads or os.cpu_count() or 1
        self.timeout = timeout
        try:
            self._server = xllamacpp.Server(self._params(xllamacpp.CommonParams(), context))
        except Exception as e:  # a file that is no GGUF model, or too large for memory
            raise LLMError(f"cannot load {path.name} as a GGUF model ({type(e).__name__})") from None
        self._wait_listening()

    def _wait_listening(self, seconds: float = 30.0) -> None:
        """Wait until the engine's HTTP thread answers. Dropping an engine
        whose listener has not started yet hangs in its destructor (the stop
        comes before the listen loop, which then never ends: 1 in 7 quick
        load-and-drops here), so no engine is handed out before it listens."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self._server.listening_address}/health", timeout=2.0)
                return
            except httpx.HTTPError:
                time.sleep(0.02)

    def _params(self, params: Any, context: int) -> Any:
        params.model.path = str(self.path)
        params.model_alias = {self.model}
        params.n_ctx = context
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.sampling.seed = SEED
        params.verbosity = 0  # llama.cpp's log would show the prompts
        params.api_keys = [self.api_key]
        params.cors_origins = ""
        params.ui = False
        return params

    @property
    def http_url(self) -> str:
        """The engine's OpenAI-compatible endpoint, e.g. ``http://127.0.0.1:40123/v1``."""
        return f"{self._server.listening_address}/v1"

    def __repr__(self) -> str:
        return f"LocalGGUF(path={str(self.path)!r})"

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
        """Always streamed inside (pieces go to ``on_text`` when given), so that
        a generation past ``timeout`` seconds can be stopped. ``logprobs=k``:
        each token's ``k`` likeliest alternatives in ``Reply.top``."""
        body: dict[str, Any] = {"messages": messages, "max_tokens": max_tokens, "temperature": temperature,
                                "seed": SEED, "stream": True, "stream_options": {"include_usage": True},
                                **request_options(stop, logprobs)}
        top: list[TopTokens] = []
        pieces: list[str] = []
        finish: list[str] = []
        usage: dict[str, Any] = {}
        deadline = time.monotonic() + self.timeout

        def callback(chunk: dict[str, Any]) -> bool:
            if "error" in chunk:
                usage["error"] = chunk["error"]
            usage.update(chunk.get("usage") or {})
            for choice in chunk.get("choices") or []:
                piece = (choice.get("delta") or {}).get("content")
                if piece:
                    pieces.append(piece)
                    if on_text:
                        on_text(piece)
                top.extend(read_top(choice.get("logprobs")))
                if choice.get("finish_reason"):
                    finish.append(choice["finish_reason"])
            return time.monotonic() > deadline  # True stops the generation

        self._call(body, callback)
        if "error" in usage:
            self._fail(usage["error"])
        if time.monotonic() > deadline and not finish:
            raise LLMError(f"{self.path.name}: no answer within {self.timeout:g} s")
        return Reply("".join(pieces), usage.get("prompt_tokens"), usage.get("completion_tokens"),
                     finish[-1] if finish else None, top or None)

    def _call(self, body: dict[str, Any], callback: Any) -> None:
        try:
            data = self._server.handle_chat_completions(body, callback)
        except ValueError as e:
            raise LLMError(f"{self.path.name}: {e}") from None
        if isinstance(data, dict) and "error" in data:
            self._fail(data["error"])

    def _fail(self, error: Any) -> None:
        message = error.get("message") if isinstance(error, dict) else error
        raise LLMError(f"{self.path.name}: {' '.join(str(message).split())[:200]}")
