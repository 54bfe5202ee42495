"""Hostile and heavy requests against a real server on 127.0.0.1 (uvicorn in
a thread, the app built from the package): the briefing queue is bounded
(503 with Retry-After) and each request has a time budget (503 while
queued, 504 while computing, the place freed when the work ends) while
health and reads keep answering; large inputs get a summary without the
analysis; lone surrogates in any text field; search terms capped; the API
refuses other sites' pages (GETs included); the fetch allow-list's ports."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

pytest.importorskip("fastapi")
import uvicorn  # noqa: E402

from newsbrief.server import Settings, SettingsError, create_app  # noqa: E402
from newsbrief.server import api  # noqa: E402
from newsbrief.server.settings import parse_allow  # noqa: E402

TEXTS = [
    "Officials in Springfield said on Monday that the Harbor Bridge would reopen in May after repairs. "
    "The mayor, Ann Lee, said the work cost $2 million. Engineers found cracks in two cables last year.",
    "The Harbor Bridge in Springfield reopens in May, Mayor Ann Lee said on Monday. Repairs cost $2 million, "
    "she said. Cracks in two cables closed the bridge last year.",
]


class Served:
    """The app on a real socket of 127.0.0.1, served by uvicorn in a thread."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        self.http = httpx.Client(base_url=self.base, timeout=30)

    def close(self) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()

    def busy(self) -> int:
        return self.http.get("/api/health").json()["queue"]["busy"]

    def wait_busy(self, n: int) -> None:
        deadline = time.monotonic() + 20
        while self.busy() != n:
            assert time.monotonic() < deadline, f"the queue never held {n}"
            time.sleep(0.02)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    servers: list[Served] = []

    def start(**kw) -> Served:
        s = Served(Settings(warm_up=False, db=tmp_path / "news.db", **kw))
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.close()


@pytest.fixture
def held(monkeypatch) -> threading.Event:
    """Briefings block until the event is set: a long computation on the models' thread, on demand."""
    gate = threading.Event()
    real = api.brief_articles

    def slow(*a, **kw):
        gate.wait(30)
        return real(*a, **kw)

    monkeypatch.setattr(api, "brief_articles", slow)
    yield gate
    gate.set()


def brief_body(**kw) -> dict:
    return {"articles": [{"text": t} for t in TEXTS], "analysis": False, **kw}


def check_error(r: httpx.Response, status: int, *words: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["detail"], str) and "\n" not in body["detail"]
    for w in words:
        assert w.lower() in body["detail"].lower(), body["detail"]
    return body


# --- the queue and the time budget ----------------------------------------------------------------------------------

def test_full_queue_answers_503_and_reads_keep_answering(serve, held: threading.Event) -> None:
    s = serve(queue_size=2)
    with ThreadPoolExecutor(2) as pool:
        admitted = [pool.submit(s.http.post, "/api/briefings", json=brief_body()) for _ in range(2)]
        s.wait_busy(2)
        extra = s.http.post("/api/briefings", json=brief_body())
        check_error(extra, 503, "busy")
        assert int(extra.headers["retry-after"]) >= 1
        check_error(s.http.get("/api/stories/1/briefing"), 503, "busy")  # a stored story's briefing queues too
        # reads and health do not queue behind the briefings
        assert s.http.get("/api/health").status_code == 200
        assert s.http.get("/api/stories").json() == []
        assert s.http.get("/api/search", params={"q": "bridge"}).json() == []
        held.set()
        assert [f.result().status_code for f in admitted] == [200, 200]
    s.wait_busy(0)
    assert s.http.post("/api/briefings", json=brief_body()).status_code == 200


def test_budget_503_while_queued_504_while_computing(serve, held: threading.Event) -> None:
    s = serve(queue_size=3, briefing_timeout=1.0)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(s.http.post, "/api/briefings", json=brief_body())
        s.wait_busy(1)
        second = pool.submit(s.http.post, "/api/briefings", json=brief_body())
        check_error(first.result(), 504, "longer than the 1 s budget", "without the analysis")
        check_error(second.result(), 503, "waited its whole 1 s budget")
    # the first computation still runs: it keeps its place; the second gave its place back
    assert s.busy() == 1
    held.set()
    s.wait_busy(0)
    assert s.http.post("/api/briefings", json=brief_body()).status_code == 200


def test_large_input_gets_the_summary_without_the_analysis(serve) -> None:
    s = serve(max_analysis_bytes=200)
    r = s.http.post("/api/briefings", json=brief_body(analysis=True))
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["summary"] and d.get("analysis") is None
    assert [e["source"] for e in d["errors"]] == ["analysis"]
    assert "left out" in d["errors"][0]["reason"] and "NEWSBRIEF_MAX_ANALYSIS_BYTES" in d["errors"][0]["reason"]


def test_queue_settings_from_env() -> None:
    s = Settings.from_env({"NEWSBRIEF_QUEUE_SIZE": "9", "NEWSBRIEF_BRIEFING_TIMEOUT": "12.5",
                           "NEWSBRIEF_MAX_ANALYSIS_BYTES": "1000"})
    assert (s.queue_size, s.briefing_timeout, s.max_analysis_bytes) == (9, 12.5, 1000)
    for env in ({"NEWSBRIEF_QUEUE_SIZE": "0"}, {"NEWSBRIEF_BRIEFING_TIMEOUT": "0"}):
        with pytest.raises(SettingsError):
            Settings.from_env(env)


# --- lone surrogates ------------------------------------------------------------------------------------------------

def test_lone_surrogates_are_replaced_at_the_edge(serve) -> None:
    s = serve()
    bad = TEXTS[0].replace("Monday", "Mon\ud800day")
    # json.dumps writes the lone surrogate as the escape "\ud800", as a hostile client would
    body = json.dumps({"articles": [{"text": bad, "title": "Bridge \udc00", "outlet": "Gazette\ud800"},
                                    {"text": TEXTS[1]}], "analysis": False, "id": "story\udfff"})
    headers = {"content-type": "application/json"}
    r = s.http.post("/api/briefings", content=body, headers=headers)
    assert r.status_code == 200, r.text
    src = r.json()["sources"][0]
    assert "Mon\ufffdday" in src["text"] and src["title"] == "Bridge \ufffd" and src["outlet"] == "Gazette\ufffd"
    r = s.http.post("/api/articles", content=json.dumps({"articles": [{"text": bad}]}), headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["added"] == 1
    assert [h["kind"] for h in s.http.get("/api/search", params={"q": "Springfield cracks"}).json()] == ["article"]
    # the form upload: a file whose UTF-8 holds an encoded surrogate
    r = s.http.post("/api/briefings/upload", files={"files": ("a.txt", bad.encode("utf-8", "surrogatepass"))},
                    data={"text": TEXTS[1], "analysis": "false"})
    assert r.status_code == 200, r.text


# --- search ---------------------------------------------------------------------------------------------------------

def test_search_terms_are_capped(serve) -> None:
    s = serve()
    assert s.http.post("/api/articles", json={"articles": [{"text": t} for t in TEXTS]}).status_code == 200
    r = s.http.get("/api/search", params={"q": " ".join(f"word{i}" for i in range(40))})
    check_error(r, 422, "too many search terms", "40", "at most 32")
    # a repeated term counts once: 160 times "a*" is one term, answered
    r = s.http.get("/api/search", params={"q": "bridge " + "a* " * 160})
    assert r.status_code == 200, r.text


def test_cli_search_over_the_cap(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsbrief.cli import app

    r = CliRunner().invoke(app, ["search", " ".join(f"w{i}" for i in range(33)), "--db", str(tmp_path / "n.db")])
    assert r.exit_code == 2 and "too many search terms" in r.stderr and "Traceback" not in r.stderr


# --- other sites' pages ----------------------------------------------------------------------------------------------

def test_cross_site_gets_to_the_api_are_refused(serve) -> None:
    s = serve()
    for headers in ({"sec-fetch-site": "cross-site"}, {"origin": "http://evil.example"}, {"origin": "null"},
                    {"sec-fetch-site": "same-site"}):  # same-site: a page on another port of this host
        for path in ("/api/stories/1/briefing?words=77", "/api/search?q=bridge", "/api/stories"):
            check_error(s.http.get(path, headers=headers), 403, "cross-origin")


def test_own_page_and_plain_clients_keep_working(serve) -> None:
    s = serve()
    for headers in ({}, {"sec-fetch-site": "same-origin"}, {"sec-fetch-site": "none"},
                    {"sec-fetch-site": "same-origin", "origin": s.base}):
        assert s.http.get("/api/search", params={"q": "bridge"}, headers=headers).status_code == 200, headers
        assert s.http.get("/api/stories", headers=headers).status_code == 200
    # pages load from links on other sites
    for path in ("/", "/docs"):
        assert s.http.get(path, headers={"sec-fetch-site": "cross-site"}).status_code == 200


# --- the fetch allow-list's ports -----------------------------------------------------------------------------------

class Site:
    """Two HTTP servers on 127.0.0.1: ``public`` redirects to ``other``, which holds the page."""

    def __init__(self) -> None:
        page = ("<html><head><title>Bridge</title></head><body><article>"
                + "".join(f"<p>{t}</p>" for t in TEXTS) + "</article></body></html>").encode()
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a) -> None:
                pass

            def do_GET(self) -> None:
                site.hits.append(f"{self.server.server_address[1]}{self.path}")
                if self.path.startswith("/redirect?to="):
                    self.send_response(302)
                    self.send_header("Location", self.path.split("=", 1)[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

        self.servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(2)]
        for srv in self.servers:
            threading.Thread(target=srv.serve_forever, daemon=True).start()
        self.public, self.other = (srv.server_address[1] for srv in self.servers)

    def close(self) -> None:
        for srv in self.servers:
            srv.shutdown()
            srv.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def test_allow_list_entry_with_a_port_admits_only_that_port(serve, site: Site) -> None:
    s = serve(fetch_allow=parse_allow(f"127.0.0.1:{site.public}"), fetch_timeout=5)
    ok = s.http.post("/api/briefings", json={"articles": [{"url": f"http://127.0.0.1:{site.public}/a.html"}],
                                             "analysis": False})
    assert ok.status_code == 200, ok.text
    hop = f"http://127.0.0.1:{site.other}/a.html"
    r = s.http.post("/api/briefings", json={"articles": [{"url": f"http://127.0.0.1:{site.public}/redirect?to={hop}"}],
                                            "analysis": False})
    check_error(r, 422, "refused", f"port {site.other}", f"127.0.0.1:{site.other}")
    assert not any(h.startswith(str(site.other)) for h in site.hits)  # the other port was never contacted


def test_bare_allow_list_entry_admits_the_default_ports_only(serve, site: Site) -> None:
    s = serve(fetch_allow=parse_allow("127.0.0.1/32"), fetch_timeout=5)
    r = s.http.post("/api/briefings", json={"articles": [{"url": f"http://127.0.0.1:{site.public}/a.html"}],
                                            "analysis": False})
    check_error(r, 422, "refused", "ports 80 and 443 only")
    assert site.hits == []


@pytest.mark.parametrize("entry, shown", [
    ("127.0.0.1:8080", "127.0.0.1:8080"), ("10.0.0.0/8:443", "10.0.0.0/8:443"), ("[::1]:8080", "[::1]:8080"),
    ("::1", "::1"), ("[fd00::/8]", "fd00::/8"), ("192.168.1.7/32", "192.168.1.7"),
])
def test_allow_list_syntax(entry: str, shown: str) -> None:
    assert [str(a) for a in parse_allow(entry)] == [shown]


@pytest.mark.parametrize("entry", ["127.0.0.1:http", "127.0.0.1:0", "127.0.0.1:70000", "[::1]:x", "localhost:80"])
def test_bad_allow_list_entries(entry: str) -> None:
    with pytest.raises(SettingsError, match="fetch_allow"):
        Settings.from_env({"NEWSBRIEF_FETCH_ALLOW": entry})
