"""The REST API: briefings from texts, HTML, uploads and URLs; 4xx JSON for
bad input; URL fetching against a local HTTP server (SSRF rules, redirects,
limits); the OpenAPI schema and offline docs; security headers and the
host/origin checks. The app runs in-process (FastAPI's TestClient); the
fetcher makes real connections to a test server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from newsbrief.server import Settings, SettingsError, create_app  # noqa: E402
from newsbrief.sources.fetch import FetchError, check_url, fetch, refusal  # noqa: E402
from newsbrief.server.settings import parse_allow  # noqa: E402


def make_client(**kw) -> TestClient:
    return TestClient(create_app(Settings(warm_up=False, **kw)), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return make_client()


@pytest.fixture(scope="module")
def texts(kislyak: list[Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in kislyak]


def check_offsets(d: dict) -> None:
    src = {s["id"]: s["text"] for s in d["sources"]}
    assert d["summary"]
    for s in d["summary"]:
        for c in s["citations"] + s["support"] + s["disputed"]:
            assert src[c["source"]][c["start"]:c["end"]] == c["text"]


def check_error(r, status: int, *words: str) -> dict:
    """A 4xx/5xx answer: JSON with a one-line detail naming the problem, no traceback."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert isinstance(body["detail"], str) and "\n" not in body["detail"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    for w in words:
        assert w.lower() in body["detail"].lower(), body["detail"]
    return body


# --- a local web server for URL fetching ---------------------------------------------------------------------------

class Site:
    """A tiny HTTP server on 127.0.0.1 with the pages the fetch tests need; it records every path requested."""

    def __init__(self, article: str) -> None:
        site = self
        self.hits: list[str] = []
        page = (f"<!doctype html><html><head><title>Test story</title><meta property='og:site_name' "
                f"content='Test Gazette'></head><body><nav>Home News Sports</nav><article><h1>Test story</h1>"
                + "".join(f"<p>{para}</p>" for para in article.split("\n") if para.strip())
                + "</article><footer>© Test Gazette</footer></body></html>").encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a) -> None:
                pass

            def do_GET(self) -> None:
                site.hits.append(self.path)
                p = self.path
                if p == "/article.html":
                    self._send(200, "text/html; charset=utf-8", page)
                elif p == "/plain.txt":
                    self._send(200, "text/plain; charset=utf-8", article.encode("utf-8"))
                elif p == "/image.png":
                    self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
                elif p == "/big.txt":
                    self._send(200, "text/plain", b"word " * 40_000)
                elif p == "/big-chunked.txt":  # no Content-Length: the limit must hold while reading
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for _ in range(50):
                        chunk = b"word " * 1000
                        try:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        except OSError:
                            return
                    self.wfile.write(b"0\r\n\r\n")
                elif p == "/slow.txt":
                    time.sleep(3)
                    self._send(200, "text/plain", b"late")
                elif p.startswith("/redirect?to="):
                    self._send(302, "text/plain", b"", location=p.split("=", 1)[1])
                elif p == "/loop":
                    self._send(302, "text/plain", b"", location="/loop")
                else:
                    self._send(404, "text/plain", b"no such page")

            def _send(self, code: int, ctype: str, body: bytes, location: str | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # the fetcher hangs up on oversized and slow pages on purpose

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site(texts: list[str]):
    s = Site(texts[1])
    yield s
    s.close()


@pytest.fixture(scope="module")
def fetching(site: Site) -> TestClient:
    """A server whose allow-list admits the test site's port of 127.0.0.1, with small limits."""
    return make_client(fetch_allow=parse_allow(f"127.0.0.1:{site.port}"), fetch_max_bytes=64 * 1024,
                       fetch_timeout=1.5, fetch_max_redirects=3)


# --- briefings ------------------------------------------------------------------------------------------------------

def test_briefing_from_texts_with_analysis(client: TestClient, texts: list[str]) -> None:
    arts = [{"text": t, "outlet": o} for t, o in zip(texts, ["Vox", "VICE News", "Mic"])]
    r = client.post("/api/briefings", json={"articles": arts, "words": 120})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["schema"] == "newsbrief.briefing/4"
    assert [s["id"] for s in d["sources"]] == ["article-1", "article-2", "article-3"]
    assert [s["outlet"] for s in d["sources"]] == ["Vox", "VICE News", "Mic"]
    check_offsets(d)
    assert 60 <= d["words"] <= 180
    for key in ("entities", "quotes", "agreements", "contradictions", "timeline", "relations"):
        assert isinstance(d[key], list)
    assert any(e["name"] == "Sergey Kislyak" for e in d["entities"])


def test_briefing_matches_the_library(client: TestClient, texts: list[str]) -> None:
    """Thin layer: the API's briefing is the library's, byte for byte."""
    import newsbrief

    r = client.post("/api/briefings", json={"articles": [{"text": t, "id": f"k{i}"} for i, t in enumerate(texts)],
                                            "analysis": False, "method": "lead", "sentences": 4})
    assert r.status_code == 200, r.text
    want = newsbrief.brief_articles([newsbrief.article(t, id=f"k{i}") for i, t in enumerate(texts)],
                                    method="lead", sentences=4).to_dict()
    assert r.json() == json.loads(json.dumps(want))
    r = client.post("/api/briefings", json={"articles": [{"text": t, "id": f"k{i}"} for i, t in enumerate(texts)],
                                            "analysis": False, "method": "lead", "sentences": 4, "words": 20})
    assert r.json() == json.loads(json.dumps(want))  # sentences override words


def test_briefing_from_html(client: TestClient, examples: Path) -> None:
    html = (examples / "daily-press.html").read_text(encoding="utf-8")
    plain = (examples / "harbor-ledger.txt").read_text(encoding="utf-8")
    r = client.post("/api/briefings", json={"articles": [{"html": html}, {"text": plain}], "analysis": False})
    assert r.status_code == 200, r.text
    d = r.json()
    first = d["sources"][0]
    assert "<" not in first["text"] and first["title"]  # trafilatura found the article and its title
    check_offsets(d)


def test_pasted_page_source_is_read_as_html(client: TestClient, examples: Path) -> None:
    html = (examples / "daily-press.html").read_text(encoding="utf-8")
    r = client.post("/api/briefings", json={"articles": [{"text": html}], "analysis": False, "sentences": 2})
    assert r.status_code == 200, r.text
    assert "<p>" not in r.json()["sources"][0]["text"]


def test_duplicate_ids_are_made_unique(client: TestClient, texts: list[str]) -> None:
    r = client.post("/api/briefings", json={"articles": [{"text": texts[0], "id": "x"}, {"text": texts[1], "id": "x"}],
                                            "analysis": False, "sentences": 3})
    assert [s["id"] for s in r.json()["sources"]] == ["x", "x-2"]


def test_upload_files_with_a_bad_one_reported(client: TestClient, kislyak: list[Path]) -> None:
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in kislyak]
    files.append(("files", ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")))
    r = client.post("/api/briefings/upload", files=files, data={"analysis": "false", "words": "100"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert [s["id"] for s in d["sources"]] == [p.stem for p in kislyak]
    assert d["errors"] == [{"source": "photo.png", "reason": "binary file (PNG image), not text"}]
    check_offsets(d)


def test_upload_mixes_files_and_texts(client: TestClient, kislyak: list[Path], texts: list[str]) -> None:
    r = client.post("/api/briefings/upload", files=[("files", (kislyak[0].name, kislyak[0].read_bytes(), "text/plain"))],
                    data={"text": [texts[1]], "analysis": "false", "method": "lexrank", "sentences": "3"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert len(d["sources"]) == 2 and d["method"] == "lexrank" and len(d["summary"]) == 3


# --- bad input: 4xx with a clear message ----------------------------------------------------------------------------

def test_empty_body(client: TestClient) -> None:
    check_error(client.post("/api/briefings", content=b"", headers={"content-type": "application/json"}),
                400, "empty request body")


def test_malformed_json(client: TestClient) -> None:
    check_error(client.post("/api/briefings", content=b'{"articles": [', headers={"content-type": "application/json"}),
                400, "malformed JSON")


@pytest.mark.parametrize("body, words", [
    ({"articles": []}, ["articles", "at least 1"]),
    ([1, 2], ["JSON object"]),
    ({"articles": [{"text": "a", "url": "http://x"}]}, ["articles[0]", "exactly one"]),
    ({"articles": [{}]}, ["exactly one"]),
    ({"articles": [{"text": "a"}], "bogus": 1}, ["bogus"]),
    ({"articles": [{"text": "a"}], "words": 0}, ["words"]),
    ({"articles": [{"text": "a"}], "method": "nope"}, ["unknown method 'nope'"]),
    ({"articles": [{"text": "   "}]}, ["no usable article", "empty"]),
])
def test_invalid_requests(client: TestClient, body, words) -> None:
    check_error(client.post("/api/briefings", json=body), 422, *words)


def test_too_many_articles() -> None:
    c = make_client(max_articles=3)
    check_error(c.post("/api/briefings", json={"articles": [{"text": f"Article {i}."} for i in range(4)]}),
                413, "too many articles", "limit is 3")
    files = [("files", (f"a{i}.txt", b"Some text.", "text/plain")) for i in range(4)]
    check_error(c.post("/api/briefings/upload", files=files), 413, "too many articles")


def test_too_large_article(texts: list[str]) -> None:
    c = make_client(max_article_bytes=4096)
    big = max(texts, key=len)
    check_error(c.post("/api/briefings", json={"articles": [{"text": big}]}), 413, "articles[0]", "too large")
    check_error(c.post("/api/briefings/upload", files=[("files", ("big.txt", big.encode(), "text/plain"))]),
                413, "big.txt", "too large")


def test_too_large_body() -> None:
    c = make_client(max_body_bytes=10_000)
    body = json.dumps({"articles": [{"text": "word " * 5000}]}).encode()
    check_error(c.post("/api/briefings", content=body, headers={"content-type": "application/json"}),
                413, "request body too large")

    def chunks():  # no Content-Length: the cap must hold while the body streams in
        for _ in range(20):
            yield b" " * 1000

    check_error(c.post("/api/briefings", content=chunks(), headers={"content-type": "application/json"}),
                413, "request body too large")


def test_binary_upload_alone(client: TestClient) -> None:
    body = check_error(client.post("/api/briefings/upload", files=[("files", ("x.bin", b"\0\1\2\3" * 100, "application/octet-stream"))]),
                       422, "no usable article", "binary")
    assert body["errors"][0]["source"] == "x.bin"


def test_upload_with_nothing(client: TestClient) -> None:
    check_error(client.post("/api/briefings/upload", data={"analysis": "false"}), 422, "no article given")


def test_server_error_is_json_without_traceback(client: TestClient, monkeypatch) -> None:
    from newsbrief.server import api

    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "brief_articles", boom)
    body = check_error(client.post("/api/briefings", json={"articles": [{"text": "Some text here."}]}), 500)
    assert "secret" not in body["detail"]


def test_unknown_path_is_json(client: TestClient) -> None:
    check_error(client.get("/api/nothing"), 404)


# --- URL fetching and SSRF -------------------------------------------------------------------------------------------

def test_briefing_from_url_on_the_allow_list(fetching: TestClient, site: Site, texts: list[str]) -> None:
    r = fetching.post("/api/briefings", json={"articles": [{"url": f"{site.base}/article.html"}, {"text": texts[0]}],
                                              "analysis": False})
    assert r.status_code == 200, r.text
    src = r.json()["sources"][0]
    assert src["url"] == f"{site.base}/article.html"
    assert src["outlet"] == "Test Gazette" and "Home News Sports" not in src["text"]
    assert src["text"][:60] in texts[1]
    check_offsets(r.json())


def test_url_through_allowed_redirect(fetching: TestClient, site: Site) -> None:
    r = fetching.post("/api/briefings", json={"articles": [{"url": f"{site.base}/redirect?to=/plain.txt"}],
                                              "analysis": False, "sentences": 2})
    assert r.status_code == 200, r.text
    assert r.json()["sources"][0]["url"] == f"{site.base}/plain.txt"


def test_loopback_refused_without_allow_list(client: TestClient, site: Site) -> None:
    before = len(site.hits)
    for url in (f"{site.base}/plain.txt", f"http://localhost:{site.port}/plain.txt",
                f"http://[::ffff:127.0.0.1]:{site.port}/plain.txt", f"http://2130706433:{site.port}/plain.txt",
                f"http://0.0.0.0:{site.port}/plain.txt"):
        body = check_error(client.post("/api/briefings", json={"articles": [{"url": url}]}), 422, "refused")
        assert re.search(r"loopback|unspecified", body["detail"]), body["detail"]
    assert len(site.hits) == before  # nothing was sent to the refused address


def test_redirect_to_a_refused_address(fetching: TestClient, site: Site) -> None:
    """127.0.0.1 is allowed here; the metadata address it redirects to is not, and is never contacted."""
    for target, kind in (("http://169.254.169.254/latest/meta-data/", "link-local"),
                         ("http://10.1.2.3/admin", "private"), ("http://[::1]/", "loopback")):
        body = check_error(fetching.post("/api/briefings", json={"articles": [{"url": f"{site.base}/redirect?to={target}"}]}),
                           422, "refused", kind)
        assert body["errors"][0]["source"].endswith(target)


@pytest.mark.parametrize("path, words", [
    ("/image.png", ["not a web page", "image/png"]),
    ("/big.txt", ["larger than", "64 KB"]),
    ("/big-chunked.txt", ["larger than"]),
    ("/slow.txt", ["timed out"]),
    ("/loop", ["more than 3 redirects"]),
    ("/missing", ["HTTP 404"]),
])
def test_fetch_limits(fetching: TestClient, site: Site, path: str, words: list[str]) -> None:
    t = time.monotonic()
    check_error(fetching.post("/api/briefings", json={"articles": [{"url": site.base + path}]}), 422, *words)
    assert time.monotonic() - t < 10  # the fetch deadline, not the server's patience


@pytest.mark.parametrize("url, words", [
    ("file:///etc/passwd", ["only http and https"]),
    ("ftp://example.org/x", ["only http and https"]),
    ("javascript:alert(1)", ["only http and https"]),
    ("/relative/path", ["only http and https"]),
    ("http://user:pw@example.org/", ["user name or password"]),
    ("http://", ["no host"]),
])
def test_bad_urls(client: TestClient, url: str, words: list[str]) -> None:
    check_error(client.post("/api/briefings", json={"articles": [{"url": url}]}), 422, *words)


def test_fetch_disabled() -> None:
    c = make_client(fetch_enabled=False)
    check_error(c.post("/api/briefings", json={"articles": [{"url": "https://example.org/"}]}), 422, "disabled")


def test_a_refused_url_among_good_texts_is_skipped(client: TestClient, texts: list[str]) -> None:
    r = client.post("/api/briefings", json={"articles": [{"text": texts[0]}, {"url": "http://127.0.0.1:9/x"}],
                                            "analysis": False, "sentences": 2})
    assert r.status_code == 200
    assert r.json()["errors"][0]["source"] == "http://127.0.0.1:9/x" and "loopback" in r.json()["errors"][0]["reason"]


@pytest.mark.parametrize("addr, kind", [
    ("127.0.0.1", "loopback"), ("127.8.8.8", "loopback"), ("10.0.0.1", "private"), ("172.16.5.4", "private"),
    ("192.168.1.1", "private"), ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"),
    ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"), ("100.64.0.1", "not a public"),
    ("::1", "loopback"), ("fe80::1", "link-local"), ("fc00::1", "private"), ("ff02::1", "multicast"),
    ("::ffff:10.0.0.1", "private"), ("::", "unspecified"),
    ("8.8.8.8", None), ("93.184.215.14", None), ("2001:4860:4860::8888", None),
])
def test_refusal_table(addr: str, kind: str | None) -> None:
    why = refusal(ipaddress.ip_address(addr), 80)
    assert (why is None) if kind is None else (why is not None and kind in why), why


def test_allow_list_admits_only_its_networks() -> None:
    allow = parse_allow("10.0.0.0/8, ::1")
    assert refusal(ipaddress.ip_address("10.9.9.9"), 80, allow) is None
    assert refusal(ipaddress.ip_address("::1"), 443, allow) is None
    assert refusal(ipaddress.ip_address("192.168.0.1"), 80, allow) is not None
    assert refusal(ipaddress.ip_address("127.0.0.1"), 80, allow) is not None


def test_fetch_function_directly(site: Site) -> None:
    s = Settings(warm_up=False, fetch_allow=parse_allow(f"127.0.0.1:{site.port}"))
    page = fetch(f"{site.base}/plain.txt", s.fetch_policy)
    assert page.content_type == "text/plain" and page.body.startswith(b"This") or page.body
    with pytest.raises(FetchError, match="loopback"):
        fetch(f"{site.base}/plain.txt", Settings(warm_up=False).fetch_policy)
    with pytest.raises(FetchError, match="only http and https"):
        check_url("gopher://x")


# --- settings -------------------------------------------------------------------------------------------------------

def test_settings_from_env(tmp_path: Path) -> None:
    s = Settings.from_env({"NEWSBRIEF_MAX_ARTICLES": "7", "NEWSBRIEF_FETCH_ALLOW": "127.0.0.1/32, ::1",
                           "NEWSBRIEF_FETCH_ENABLED": "no", "NEWSBRIEF_DB": str(tmp_path / "x.db"),
                           "NEWSBRIEF_FETCH_TIMEOUT": "2.5", "NEWSBRIEF_ALLOWED_HOSTS": "Example.org,localhost"})
    assert s.max_articles == 7 and s.fetch_enabled is False and s.fetch_timeout == 2.5
    assert [str(n) for n in s.fetch_allow] == ["127.0.0.1", "::1"]
    assert s.fetch_allow[0].port is None
    assert s.db == tmp_path / "x.db" and s.allowed_hosts == ("example.org", "localhost")
    assert Settings.from_env({"NEWSBRIEF_MAX_ARTICLES": "7"}, max_articles=3).max_articles == 3  # flags win


@pytest.mark.parametrize("env, words", [
    ({"NEWSBRIEF_MAX_ARTICLES": "many"}, "expected int"),
    ({"NEWSBRIEF_FETCH_ALLOW": "localhost"}, "not an IP address"),
    ({"NEWSBRIEF_MAX_BODY_BYTES": "0"}, "at least 1"),
    ({"NEWSBRIEF_FETCH_ENABLED": "perhaps"}, "expected bool"),
])
def test_bad_settings(env: dict, words: str) -> None:
    with pytest.raises(SettingsError, match=words):
        Settings.from_env(env)


def test_serve_reports_bad_settings(monkeypatch) -> None:
    from typer.testing import CliRunner

    from newsbrief.cli import app

    monkeypatch.setenv("NEWSBRIEF_MAX_ARTICLES", "lots")
    r = CliRunner().invoke(app, ["serve", "--port", "0"])
    assert r.exit_code == 2
    assert r.stderr.startswith("newsbrief: error: NEWSBRIEF_MAX_ARTICLES='lots'")


# --- docs, schema, headers, host and origin checks ------------------------------------------------------------------

def test_openapi_schema(client: TestClient) -> None:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    d = r.json()
    assert d["openapi"].startswith("3.1")
    for path in ("/api/briefings", "/api/briefings/upload", "/api/config"):
        assert path in d["paths"]
    ok = d["paths"]["/api/briefings"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Briefing"}
    schemas = d["components"]["schemas"]
    assert "summary" in schemas["Briefing"]["properties"] and "Error" in schemas
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(d)))
    for ref in refs:  # every reference resolves inside the document
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref


def test_docs_are_served_offline(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    script_src = re.search(r"script-src ([^;]*)", r.headers["content-security-policy"]).group(1)
    assert script_src.strip() == "'self'"  # Swagger UI runs without inline script
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", r.text), "docs must load nothing from another host"
    assert "<script>" not in r.text.replace(" ", "")  # no inline script (CSP)
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', r.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for a in assets:
        got = client.get(a)
        assert got.status_code == 200 and len(got.content) > 0, a
        assert not re.search(rb"\b(src|href)=[\"'](https?:)?//", got.content[:0] if a.endswith(".js") else got.content)


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/config", "/static/app.js"):
        r = client.get(path)
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    page = client.get("/").text
    assert "<script src=\"/static/app.js\"" in page and not re.search(r"<script>(?!</script>)", page)
    js = client.get("/static/app.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, f"the page must not parse text as HTML or code ({sink})"


def test_host_check() -> None:
    c = make_client(allowed_hosts=("127.0.0.1", "localhost"))
    check_error(c.get("/api/config", headers={"host": "attacker.example"}), 400, "not served here")
    assert c.get("/api/config", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert c.get("/api/config", headers={"host": "localhost"}).status_code == 200


def test_cross_origin_posts_are_refused(client: TestClient) -> None:
    body = {"articles": [{"text": "Some text."}], "analysis": False}
    check_error(client.post("/api/briefings", json=body, headers={"origin": "http://evil.example"}), 403, "cross-origin")
    check_error(client.post("/api/briefings", json=body, headers={"origin": "null"}), 403, "cross-origin")
    check_error(client.post("/api/briefings", json=body, headers={"sec-fetch-site": "cross-site"}), 403)
    same = client.post("/api/briefings", json=body, headers={"origin": "http://testserver"})
    assert same.status_code == 200


# --- the store: ingest, stories, story briefing, search -------------------------------------------------------------

@pytest.fixture(scope="module")
def stored(tmp_path_factory, texts: list[str]):
    """A client on a fresh store holding the three Kislyak articles, and the ingest report."""
    c = make_client(db=tmp_path_factory.mktemp("store") / "news.db")
    arts = [{"text": t, "outlet": o, "id": o} for t, o in zip(texts, ["Vox", "VICE", "Mic"])]
    r = c.post("/api/articles", json={"articles": arts})
    assert r.status_code == 200, r.text
    return c, r.json()


def test_ingest_report(stored, texts: list[str]) -> None:
    c, report = stored
    assert report["added"] == 3 and report["existing"] == 0 and report["errors"] == []
    assert "db" not in report  # the server's paths are its own
    assert all(a["story_id"] is not None for a in report["articles"])
    again = c.post("/api/articles", json={"articles": [{"text": texts[0]}]}).json()
    assert again["added"] == 0 and again["existing"] == 1
    assert again["articles"][0]["id"] == report["articles"][0]["id"]


def test_stories_and_story(stored) -> None:
    c, report = stored
    listed = c.get("/api/stories").json()
    assert sum(s["size"] for s in listed) >= 3
    sid = report["articles"][0]["story_id"]
    one = c.get(f"/api/stories/{sid}").json()
    assert one["id"] == sid and report["articles"][0]["id"] in [a["id"] for a in one["articles"]]
    assert one in listed
    check_error(c.get("/api/stories/999999"), 404, "no story 999999")
    check_error(c.get("/api/stories/abc"), 422, "story_id")


def test_story_briefing(stored) -> None:
    c, report = stored
    sid = report["articles"][0]["story_id"]
    r = c.get(f"/api/stories/{sid}/briefing", params={"analysis": "false", "sentences": 3})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["id"] == str(sid) and len(d["summary"]) == 3
    assert c.get(f"/api/stories/{sid}/briefing", params={"analysis": "false", "sentences": 3, "words": 20}).json() == d
    check_offsets(d)
    check_error(c.get(f"/api/stories/{sid}/briefing", params={"method": "nope"}), 422, "unknown method")


def test_search(stored) -> None:
    c, report = stored
    hits = c.get("/api/search", params={"q": "Kislyak ambassador"}).json()
    assert hits and all(h["kind"] in ("article", "story") for h in hits)
    assert {h["story_id"] for h in hits} & {a["story_id"] for a in report["articles"]}
    assert c.get("/api/search", params={"q": '"AND( OR * NEAR'}).status_code == 200  # FTS syntax is just text
    check_error(c.get("/api/search", params={"q": ""}), 422, "q")
    check_error(c.get("/api/search", params={"q": "   "}), 422, "q")


def test_upload_into_the_store(stored, examples: Path) -> None:
    c, _ = stored
    p = examples / "coastline-radio.txt"
    r = c.post("/api/articles/upload", files=[("files", (p.name, p.read_bytes(), "text/plain")),
                                              ("files", ("x.png", b"\x89PNG\r\n\x1a\n\0\0", "image/png"))])
    assert r.status_code == 200, r.text
    assert r.json()["added"] == 1 and r.json()["errors"][0]["source"] == "x.png"
    check_error(c.post("/api/articles", json={"articles": [{"url": "file:///etc/passwd"}]}), 422, "only http")


def test_junk_pages_listed_on_request(tmp_path: Path) -> None:
    from texts import COOKIE_WALL

    c = make_client(db=tmp_path / "junk.db")
    got = c.post("/api/articles", json={"articles": [{"text": COOKIE_WALL}]}).json()
    assert got["articles"][0]["junk"] is True
    assert c.get("/api/stories").json() == []
    listed = c.get("/api/stories", params={"junk": "true"}).json()
    assert len(listed) == 1 and listed[0]["junk"] is True


def test_unusable_store(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n" * 20)
    c = make_client(db=bad)
    check_error(c.get("/api/stories"), 503, "the store cannot be used")
    check_error(c.post("/api/articles", json={"articles": [{"text": "Some news today."}]}), 503, "store")
    assert bad.read_text().startswith("these are my notes")
