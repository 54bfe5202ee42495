"""The web app: the REST API, the briefing reader (a static page in vanilla
JavaScript) and the API docs, every asset served from the package.

Security choices, in one place:

- a strict Content-Security-Policy (``default-src 'self'``, no inline
  script) on every response; the page builds its DOM with ``textContent``
  only, so article text can never become markup;
- the Host header is checked against ``Settings.allowed_hosts`` (DNS
  rebinding); a state-changing request from another origin, and any request
  to the API (``/api/...``, GETs included: a briefing or a search costs
  seconds of CPU) from another site's page, are refused (``Origin``,
  ``Sec-Fetch-Site``), so a web page the user visits cannot drive the server;
  pages, the docs and their assets load from anywhere, and clients that send
  neither header (curl, scripts) are served;
- the request body is capped while it is read (413 before the whole body is
  in memory);
- every error is JSON with a one-line ``detail``; a server error is logged,
  never shown as a stack trace.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..model import json_schema
from . import api, feeds
from .gate import Gate, Refused
from .settings import Settings
from ..sources.fetch import size_text

if TYPE_CHECKING:
    from ..stories.watch import Watcher

log = logging.getLogger("newsbrief.server")

STATIC = Path(__file__).parent / "static"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI sets style attributes in its markup: the docs page alone admits inline styles (never scripts).
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI app; ``settings`` default to :meth:`Settings.from_env`."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.warm_up:
            await anyio.to_thread.run_sync(warm_up)
        watcher = start_watcher(settings, app.state.gate)
        app.state.watcher = watcher
        try:
            yield
        finally:
            if watcher is not None:
                await anyio.to_thread.run_sync(watcher.stop)

    app = FastAPI(
        title="newsbrief", version=__version__, lifespan=lifespan,
        description="Cited multi-source news briefings: every summary sentence cites the source sentence it "
                    "comes from. Errors are JSON: `{\"detail\": \"one line\", \"errors\": [{source, reason}]}`.",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", swagger_ui_oauth2_redirect_url=None,
    )
    app.state.settings = settings
    app.state.gate = Gate(settings.queue_size, settings.briefing_timeout)
    app.include_router(api.router)
    app.include_router(feeds.router)
    _handlers(app)
    _pages(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(Guard, settings=settings)
    return app


def start_watcher(settings: Settings, gate: Gate) -> Watcher | None:
    """``serve --watch``: the feed watcher's loop in a thread, polling the
    server's store with its fetch settings, its ingests holding the models'
    thread (see :meth:`Gate.hold`); None when not asked for."""
    if not settings.watch_interval:
        return None
    from ..stories.watch import Watcher, WatchSettings

    watcher = Watcher(settings.db, WatchSettings.from_env(fetch=settings.fetch_policy), settings.watch_interval * 60,
                      models=gate.hold)
    watcher.start()
    return watcher


def warm_up() -> None:
    """Load the models once, before the first request waits for them."""
    from ..pipeline import brief_articles
    from ..sources import article_from_text

    texts = ["Officials in Springfield said on Monday that the bridge would reopen in May. "
             "The mayor, Ann Lee, said repairs cost $2 million.",
             "The Springfield bridge reopens in May, Mayor Ann Lee said Monday. Repairs cost $2 million."]
    try:
        brief_articles([article_from_text(t, id=f"w{i}") for i, t in enumerate(texts)], analysis=True)
    except Exception:  # a missing optional model must not stop the server; the request will say why
        log.warning("warm-up failed", exc_info=True)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(api.ApiError)
    async def _api_error(request: Request, exc: api.ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> JSONResponse:
        resp = api.error_response(exc.status, exc.detail)
        resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        resp = api.error_response(exc.status_code, detail)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, detail = describe(exc.errors())
        return api.error_response(status, detail)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
        return api.error_response(500, "internal server error (the server log has the details)")


def describe(errors: list[dict[str, Any]]) -> tuple[int, str]:
    """Pydantic's error list as a status and one line a person can act on."""
    for e in errors:
        if e.get("type") == "json_invalid":
            ctx = e.get("ctx") or {}
            pos = e.get("loc", ("body", 0))[-1]
            return 400, f"malformed JSON: {ctx.get('error', 'decode error')} (at character {pos})"
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
        return 400, "empty request body: send a JSON object such as {\"articles\": [{\"text\": \"...\"}]}"
    parts = []
    for e in errors[:3]:
        loc = [x for x in e.get("loc", ()) if x != "body"]
        where = "".join(f"[{x}]" if isinstance(x, int) else (f".{x}" if i else str(x)) for i, x in enumerate(loc))
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        if e.get("type") == "model_attributes_type" or e.get("type") == "dict_type":
            msg = "expected a JSON object"
        parts.append(f"{where}: {msg}" if where else msg)
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return 422, "invalid request: " + "; ".join(parts) + more


def _pages(app: FastAPI) -> None:
    import fastapi_offline

    swagger = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", headers={"Content-Security-Policy": DOCS_CSP,
                                                           "Cache-Control": "no-cache"})


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema plus the briefing contract (the package's JSON Schema)
    and the error shape, so that clients see what they get."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    comps = schema.setdefault("components", {}).setdefault("schemas", {})
    brief = json_schema()
    defs = brief.pop("$defs", {})
    for k in ("$schema", "$id"):
        brief.pop(k, None)
    ref = {f"#/$defs/{k}": f"#/components/schemas/Briefing_{k}" for k in defs}
    comps["Briefing"] = _reref(brief, ref)
    for k, v in defs.items():
        comps[f"Briefing_{k}"] = _reref(v, ref)
    comps["Error"] = {
        "type": "object", "required": ["detail"],
        "properties": {"detail": {"type": "string", "description": "What is wrong, in one line."},
                       "errors": {"type": "array", "description": "Per-article reasons, when articles failed.",
                                  "items": {"type": "object", "properties": {"source": {"type": "string"},
                                                                             "reason": {"type": "string"}}}}},
    }
    app.openapi_schema = schema
    return schema


def _reref(node: Any, ref: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: (ref.get(v, v) if k == "$ref" and isinstance(v, str) else _reref(v, ref)) for k, v in node.items()}
    if isinstance(node, list):
        return [_reref(v, ref) for v in node]
    return node


class Guard:
    """Host and origin checks, the body-size cap and the security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refused = self._refusal(scope, headers)
        if refused:
            await _send_error(send, *refused)
            return
        limit = self.settings.max_body_bytes
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _send_error(send, 413, f"request body too large: {size_text(int(length))} "
                                         f"(the limit is {size_text(limit)})")
            return
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"request body too large: over {size_text(limit)} (the limit)")
            return msg

        async def secured(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in have]
                if b"content-security-policy" not in have:
                    extra.append((b"content-security-policy", CSP.encode()))
                msg["headers"] = list(msg.get("headers", [])) + extra
            await send(msg)

        await self.app(scope, capped, secured)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        allowed = self.settings.allowed_hosts
        host = _hostname(headers.get("host", ""))
        if allowed and host not in allowed:
            return 400, f"host {host or '(none)'!r} is not served here (allowed: {', '.join(allowed)})"
        origin, site = headers.get("origin"), headers.get("sec-fetch-site")
        # "null" (a sandboxed frame, a file:// page) is another origin too
        foreign = bool(origin) and _hostport(origin) != headers.get("host", "").lower()
        if scope.get("method") in UNSAFE:
            refused = foreign or site == "cross-site"
        else:  # a page on another port of this host is "same-site", and may not drive the API either
            refused = scope.get("path", "").startswith("/api/") and (foreign or site in ("cross-site", "same-site"))
        if refused:
            return 403, "cross-origin request refused: use the page served by this server, or a client " \
                        "that sends no Origin"
        return None


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _hostport(origin: str) -> str:
    return origin.split("://", 1)[-1].rstrip("/").lower()


async def _send_error(send: Send, status: int, detail: str) -> None:
    resp = api.error_response(status, detail)
    resp.headers["content-security-policy"] = CSP
    for k, v in HEADERS:
        resp.headers[k.decode()] = v.decode()

    async def _noop() -> Message:
        return {"type": "http.disconnect"}

    await resp({"type": "http"}, _noop, send)
