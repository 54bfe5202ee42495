"""The language-model backends against the real test model (SmolLM2-135M, in-process and over
llama.cpp's HTTP server on 127.0.0.1), and OpenAIChat against a tiny scripted 127.0.0.1 server
of our own for what a model server does when things go wrong (429, bad JSON, no answer)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsbrief.llm import (
    NO_BACKEND,
    Budgeted,
    LLMError,
    LLMSpecError,
    LocalGGUF,
    OpenAIChat,
    backend_from_options,
    backends,
    open_backend,
)

ASK = [{"role": "user", "content": "What is the capital of France? Answer in one sentence."}]
OK_BODY = {"choices": [{"message": {"role": "assistant", "content": "Paris."}, "finish_reason": "stop"}],
           "usage": {"prompt_tokens": 9, "completion_tokens": 2}}


class Scripted:
    """A 127.0.0.1 HTTP server that answers each request with the next scripted
    (status, headers, body) and records what it was sent."""

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes]], delay: float = 0.0) -> None:
        self.answers = list(answers)
        self.seen: list[tuple[str, dict[str, str], float]] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                self.answer()

            def answer(self) -> None:
                script.seen.append((self.path, dict(self.headers), time.monotonic()))
                time.sleep(delay)
                try:
                    self.reply()
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (timeout tests)
                    pass

            def reply(self) -> None:
                status, headers, body = script.answers.pop(0) if len(script.answers) > 1 else script.answers[0]
                self.send_response(status)
                for name, value in {"content-type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted() -> Iterator[type[Scripted]]:
    servers: list[Scripted] = []

    def make(answers, delay: float = 0.0) -> Scripted:
        servers.append(Scripted(answers, delay))
        return servers[-1]

    yield make  # type: ignore[misc]
    for server in servers:
        server.close()


def ok(body: object = OK_BODY) -> tuple[int, dict[str, str], bytes]:
    return 200, {}, json.dumps(body).encode()


# --- the real test model ---------------------------------------------------------------------------


def test_local_gguf_answers_deterministically(local_llm: LocalGGUF) -> None:
    first = local_llm.chat(ASK, max_tokens=24)
    assert first.text.strip() and "paris" in first.text.lower()
    assert first.prompt_tokens and first.prompt_tokens > 5
    assert 0 < (first.completion_tokens or 0) <= 24
    assert first.finish_reason in ("stop", "length")
    assert local_llm.chat(ASK, max_tokens=24) == first  # temperature 0, fixed seed


def test_local_gguf_streams(local_llm: LocalGGUF) -> None:
    pieces: list[str] = []
    streamed = local_llm.chat(ASK, max_tokens=24, on_text=pieces.append)
    assert len(pieces) > 1 and "".join(pieces) == streamed.text
    assert streamed.text == local_llm.chat(ASK, max_tokens=24).text
    assert streamed.completion_tokens == local_llm.chat(ASK, max_tokens=24).completion_tokens


def test_max_tokens_and_stop_are_obeyed(local_llm: LocalGGUF) -> None:
    short = local_llm.chat(ASK, max_tokens=2)
    assert short.completion_tokens == 2 and short.finish_reason == "length"
    full = local_llm.chat(ASK, max_tokens=24).text
    word = full.split()[1]
    assert word not in local_llm.chat(ASK, max_tokens=24, stop=[word]).text


def test_local_gguf_errors_and_timeout_are_one_line(local_llm: LocalGGUF, monkeypatch) -> None:
    with pytest.raises(LLMError, match=r"^SmolLM2-135M-Instruct\.Q4_1\.gguf: request \(\d+ tokens\) exceeds the "
                                       r"available context size \(4096 tokens\)") as e:
        local_llm.chat([{"role": "user", "content": "word " * 6000}])
    assert "word word" not in str(e.value)
    monkeypatch.setattr(local_llm, "timeout", 0.01)
    pieces: list[str] = []
    with pytest.raises(LLMError, match=r"gguf: no answer within 0\.01 s"):
        local_llm.chat([{"role": "user", "content": "Write a long story about a bridge."}], max_tokens=400,
                       on_text=pieces.append)
    assert len(pieces) < 50  # stopped at the first pieces, not after 400 tokens


def test_openai_chat_over_real_http(llm_server, local_llm: LocalGGUF) -> None:
    backend = open_backend(llm_server.url, api_key=llm_server.api_key)
    assert isinstance(backend, OpenAIChat)
    assert backend.model == "smollm2"  # the server's first (only) model, from GET /models
    reply = backend.chat(ASK, max_tokens=24)
    assert reply == local_llm.chat(ASK, max_tokens=24)  # the same engine, greedy: the same answer


def test_openai_chat_streams_over_real_http(llm_server, local_llm: LocalGGUF) -> None:
    backend = OpenAIChat(llm_server.url, model=llm_server.model, api_key=llm_server.api_key, stream=True)
    pieces: list[str] = []
    reply = backend.chat(ASK, max_tokens=24, on_text=pieces.append)
    assert len(pieces) > 1 and "".join(pieces) == reply.text == local_llm.chat(ASK, max_tokens=24).text
    assert reply.completion_tokens and reply.finish_reason in ("stop", "length")


def test_token_probabilities_in_process_and_over_http(llm_server, local_llm: LocalGGUF) -> None:
    local = local_llm.chat(ASK, max_tokens=3, logprobs=5)
    assert local.top is not None and len(local.top) == 3  # one set of alternatives per generated token
    assert all(len(t) == 5 and all(lp <= 0.0 for lp in t.values()) for t in local.top)
    assert max(local.top[0], key=local.top[0].get) == local.text[:len(max(local.top[0], key=local.top[0].get))]
    assert local_llm.chat(ASK, max_tokens=3).top is None  # not asked: not given
    for stream in (False, True):
        backend = OpenAIChat(llm_server.url, model=llm_server.model, api_key=llm_server.api_key, stream=stream)
        over_http = backend.chat(ASK, max_tokens=3, logprobs=5)
        assert over_http.text == local.text
        assert [set(t) for t in over_http.top] == [set(t) for t in local.top]
        assert all(abs(over_http.top[i][k] - v) < 1e-3 for i, t in enumerate(local.top) for k, v in t.items())


def test_wrong_api_key_is_refused_and_never_shown(llm_server, monkeypatch) -> None:
    secret = "sk-do-not-show-" + "9" * 20
    monkeypatch.setenv("NEWSBRIEF_LLM_API_KEY", secret)
    with pytest.raises(LLMError) as e:
        OpenAIChat(llm_server.url)
    assert "401" in str(e.value) and secret not in str(e.value)
    backend = OpenAIChat(llm_server.url, model="smollm2")  # no model lookup: the chat call is refused
    assert secret not in repr(backend)
    with pytest.raises(LLMError) as e:
        backend.chat(ASK, max_tokens=4)
    assert "401" in str(e.value) and secret not in str(e.value)


def test_server_error_message_is_passed_on(llm_server) -> None:
    backend = OpenAIChat(llm_server.url, model="smollm2", api_key=llm_server.api_key, retries=0)
    too_long = [{"role": "user", "content": "word " * 6000}]
    with pytest.raises(LLMError, match="HTTP 400.*context") as e:
        backend.chat(too_long)
    assert "word word" not in str(e.value)


def test_budget_caps_a_briefing(local_llm: LocalGGUF) -> None:
    budget = Budgeted(local_llm, 120)
    first = budget.chat(ASK, max_tokens=24)
    assert budget.spent == (first.prompt_tokens or 0) + (first.completion_tokens or 0)
    with pytest.raises(LLMError, match="token budget of 120 spent"):
        for _ in range(5):
            budget.chat(ASK, max_tokens=24)
    assert budget.remaining == 0


# --- what goes wrong: a scripted server of our own ---------------------------------------------------


def test_key_is_sent_as_bearer(scripted, monkeypatch) -> None:
    monkeypatch.setenv("NEWSBRIEF_LLM_API_KEY", "sk-abc")
    server = scripted([ok({"data": [{"id": "m1"}, {"id": "m2"}]}), ok()])
    backend = OpenAIChat(server.url)
    assert backend.model == "m1" and backend.chat(ASK).text == "Paris."
    assert [path for path, _, _ in server.seen] == ["/v1/models", "/v1/chat/completions"]
    assert all(headers["Authorization"] == "Bearer sk-abc" for _, headers, _ in server.seen)


def test_429_with_retry_after_then_success(scripted) -> None:
    server = scripted([(429, {"Retry-After": "1"}, b'{"error": "slow down"}'), ok()])
    reply = OpenAIChat(server.url, model="m", backoff=0.01).chat(ASK)
    assert reply.text == "Paris." and reply.prompt_tokens == 9
    (_, _, asked), (_, _, again) = server.seen
    assert again - asked >= 0.95  # Retry-After, not the 0.01 s backoff


def test_5xx_retried_then_given_up_in_one_line(scripted) -> None:
    server = scripted([(503, {}, b'{"error": {"message": "loading model"}}')])
    with pytest.raises(LLMError, match=r"^http://127\.0\.0\.1:\d+/v1/chat/completions: HTTP 503: loading model$"):
        OpenAIChat(server.url, model="m", retries=2, backoff=0.01).chat(ASK)
    assert len(server.seen) == 3


def test_too_long_retry_after_is_not_waited_for(scripted) -> None:
    server = scripted([(429, {"Retry-After": "3600"}, b"")])
    started = time.monotonic()
    with pytest.raises(LLMError, match="HTTP 429, retry after 3600 s"):
        OpenAIChat(server.url, model="m").chat(ASK)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ((200, {}, b"<html>proxy login</html>"), "the answer is not JSON"),
        (ok({"choices": []}), r"no choices\[0\]\.message\.content"),
        (ok({"choices": [{"message": {"content": None}}]}), r"no choices\[0\]\.message\.content"),
        ((200, {"content-type": "text/event-stream"}, b"data: {oops\n\n"), "a streamed event is not JSON"),
    ],
)
def test_bad_answers_are_one_line_errors(scripted, answer, message) -> None:
    server = scripted([answer])
    with pytest.raises(LLMError, match=message) as e:
        OpenAIChat(server.url, model="m").chat(ASK)
    assert "\n" not in str(e.value) and "capital" not in str(e.value)


def test_stream_falls_back_to_plain_json(scripted) -> None:
    server = scripted([ok()])
    pieces: list[str] = []
    assert OpenAIChat(server.url, model="m", stream=True).chat(ASK, on_text=pieces.append).text == "Paris."
    assert pieces == []


def test_no_model_listed_says_how_to_give_one(scripted) -> None:
    server = scripted([ok({"data": []})])
    with pytest.raises(LLMError, match="give one with --llm-model NAME"):
        OpenAIChat(server.url)


def test_server_down_is_one_line_without_hanging() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    started = time.monotonic()
    with pytest.raises(LLMError, match=rf"^http://127\.0\.0\.1:{port}/v1/models: cannot connect \(ConnectError\)"):
        OpenAIChat(f"http://user:pw@127.0.0.1:{port}/v1?key=k", retries=1, backoff=0.01)
    assert time.monotonic() - started < 2


def test_server_that_never_answers_times_out(scripted) -> None:
    server = scripted([ok()], delay=3)
    started = time.monotonic()
    with pytest.raises(LLMError, match=r"/v1/chat/completions: no answer within 0\.5 s"):
        OpenAIChat(server.url, model="m", timeout=0.5).chat(ASK)
    assert time.monotonic() - started < 2


# --- choosing a backend ------------------------------------------------------------------------------


def test_open_backend_dispatch(test_model_path, tmp_path, scripted) -> None:
    assert sorted(backends.names()) == ["gguf", "openai"]
    assert isinstance(open_backend(scripted([ok()]).url, model="m"), OpenAIChat)
    pytest.importorskip("xllamacpp")
    assert isinstance(open_backend(str(test_model_path)), LocalGGUF)
    with pytest.raises(LLMSpecError, match="no GGUF model file at .*missing.gguf"):
        open_backend(str(tmp_path / "missing.gguf"))
    (tmp_path / "junk.gguf").write_bytes(b"not a model")
    with pytest.raises(LLMError, match="cannot load junk.gguf as a GGUF model"):
        open_backend(str(tmp_path / "junk.gguf"))
    with pytest.raises(LLMSpecError, match="an http\\(s\\) URL or a .gguf file, not 'llama3'"):
        open_backend("llama3")
    with pytest.raises(LLMSpecError, match="not an http\\(s\\) URL"):
        open_backend("http://")


def test_backend_from_options_and_environment(scripted, monkeypatch) -> None:
    monkeypatch.delenv("NEWSBRIEF_LLM", raising=False)
    monkeypatch.delenv("NEWSBRIEF_LLM_MODEL", raising=False)
    assert backend_from_options(None, None) is None
    assert "--llm URL" in NO_BACKEND and "--llm PATH.gguf" in NO_BACKEND and "NEWSBRIEF_LLM" in NO_BACKEND
    server = scripted([ok()])
    monkeypatch.setenv("NEWSBRIEF_LLM", server.url)
    monkeypatch.setenv("NEWSBRIEF_LLM_MODEL", "from-env")
    backend = backend_from_options(None, None)
    assert isinstance(backend, OpenAIChat) and backend.model == "from-env"
    assert backend_from_options(None, "given").model == "given"  # type: ignore[union-attr]
    assert server.seen == []  # a named model needs no lookup


def test_xllamacpp_is_optional(test_model_path) -> None:
    """`import newsbrief` never loads xllamacpp; without it a GGUF path says how to install it."""
    code = (
        "import sys; import newsbrief, newsbrief.llm; assert 'xllamacpp' not in sys.modules\n"
        "sys.modules['xllamacpp'] = None\n"
        "from newsbrief.llm import open_backend, LLMError\n"
        f"try: open_backend({str(test_model_path)!r})\n"
        "except LLMError as e: print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "running a GGUF file needs xllamacpp: pip install 'newsbrief[llm]'"


# --- the command line ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "code", "message"),
    [
        ([], 2, "--fuse needs a language model: --llm URL"),
        (["--llm", "llama3"], 2, "--llm takes an http(s) URL or a .gguf file, not 'llama3'"),
        (["--llm", "/nowhere/m.gguf"], 2, "no GGUF model file at /nowhere/m.gguf"),
        (["--llm", "http://127.0.0.1:9/v1"], 1, "http://127.0.0.1:9/v1/models: cannot connect (ConnectError)"),
    ],
)
def test_cli_says_what_is_wrong_with_llm(examples, monkeypatch, options, code, message) -> None:
    from typer.testing import CliRunner

    from newsbrief.cli import app

    monkeypatch.delenv("NEWSBRIEF_LLM", raising=False)
    result = CliRunner().invoke(app, ["brief", str(examples), "--no-analysis", "--fuse", *options])
    assert result.exit_code == code
    assert result.stderr.startswith(f"newsbrief: error: {message}") and result.stderr.count("\n") == 1
    assert result.stdout == ""
