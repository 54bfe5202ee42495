"""The REST API under ``/api``: a thin layer over the library.

Endpoints are plain ``def`` functions, so FastAPI runs them in its thread
pool: a briefing is CPU-bound and must not block the event loop. Every
failure is a JSON ``{"detail": "one line", "errors": [...]}`` with a 4xx
status; a bad article among good ones is skipped and listed in the briefing's
``errors``, as in the CLI.
"""

from __future__ import annotations

import pathlib
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .. import __version__
from ..model import Article, LoadError
from ..pipeline import NoArticlesError, brief_articles
from ..sources import SourceError, article_from_content
from ..sources.meta import check_date
from ..sources.decode import decode, scrub
from ..store import MAX_ID, StoreError, open_store
from ..store.db import CONTROL_CHARS, SearchError
from ..stories import StoryNotFound, brief_story, front_page, ingest, search, stories, story
from ..summarize import DEFAULT_METHOD, methods
from ..sources.fetch import FetchError, fetch_article, size_text
from .gate import Gate, Ticket
from .settings import Settings

router = APIRouter(prefix="/api")

# Briefings and ingests run on the models' one thread behind a bounded queue
# with a time budget (see .gate); fetching URLs, parsing requests and store
# reads run in the request's own thread.

BRIEFING = {"$ref": "#/components/schemas/Briefing"}
ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


class ApiError(Exception):
    """A 4xx answer: ``detail`` is the one-line message."""

    def __init__(self, status: int, detail: str, errors: list[LoadError] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []

    def response(self) -> JSONResponse:
        return error_response(self.status, self.detail, self.errors)


def error_response(status: int, detail: str, errors: list[LoadError] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = [{"source": e.source, "reason": e.reason} for e in errors]
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _scrubbed(value: Any) -> Any:
    # before pydantic's own str check, which refuses a lone surrogate outright when a length limit applies
    return scrub(value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_scrubbed)]


# --- request models


class ArticleIn(BaseModel):
    """One article: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")
    text: Text | None = Field(None, description="Plain text (a pasted page source is recognised as HTML).")
    html: Text | None = Field(None, description="An HTML page; trafilatura finds the article in it.")
    url: Text | None = Field(None, description="An http(s) URL the server fetches (see the fetch settings).")
    id: Text | None = Field(None, max_length=100, description="Source id used in citations; default article-N.")
    title: Text | None = Field(None, max_length=1000)
    outlet: Text | None = Field(None, max_length=200)
    published: Text | None = Field(None, max_length=40, description="Publication date, ISO 8601.")

    @model_validator(mode="after")
    def _one_content(self) -> ArticleIn:
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text', 'html' or 'url'"
                             + (f" (got {', '.join(given)})" if given else ""))
        return self


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Text = Field(DEFAULT_METHOD, description="Summarization method (GET /api/config lists them).")
    words: int | None = Field(None, ge=1, description="Target length in words; default: the method's own.")
    sentences: int | None = Field(None, ge=1, le=200, description="Length in sentences; overrides words.")
    analysis: bool = Field(True, description="Add entities, quotes, agreements, contradictions, timeline, relations.")
    id: Text | None = Field(None, max_length=200, description="Id of the briefing (the story).")


class BriefingRequest(Options):
    articles: list[ArticleIn] = Field(..., min_length=1, description="The articles of one story.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "articles": [{"text": "First outlet's article ...", "outlet": "Vox"},
                     {"url": "https://example.org/news/story.html"}],
        "words": 120}]})


# --- helpers


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def gate_of(request: Request) -> Gate:
    return request.app.state.gate


def _check_count(n: int, s: Settings) -> None:
    if n > s.max_articles:
        raise ApiError(413, f"too many articles: {n} (the limit is {s.max_articles})")
    if n == 0:
        raise ApiError(422, "no article given: send at least one text, HTML page, file or URL")


def _check_size(what: str, size: int, s: Settings) -> None:
    if size > s.max_article_bytes:
        raise ApiError(413, f"{what} is too large: {size_text(size)} "
                            f"(the limit is {size_text(s.max_article_bytes)} an article)")


def _check_options(o: Options, s: Settings) -> None:
    if o.method not in methods:
        raise ApiError(422, f"unknown method {o.method!r} (known: {', '.join(methods.names())})")
    if o.words is not None and o.words > s.max_summary_words:
        raise ApiError(422, f"words: at most {s.max_summary_words}")


class _Ids:
    """Unique, citation-safe source ids in request order."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, wanted: str | None, n: int) -> str:
        base = re.sub(r"[^\w.-]+", "-", wanted or "").strip("-") or f"article-{n}"
        cand, k = base, 2
        while cand in self.seen:
            cand, k = f"{base}-{k}", k + 1
        self.seen.add(cand)
        return cand


def _meta(a: Article, item: ArticleIn) -> Article:
    a.title = item.title or a.title
    a.outlet = item.outlet or a.outlet
    a.published = item.published or a.published
    return a


def load_items(items: list[ArticleIn], s: Settings) -> tuple[list[Article], list[LoadError]]:
    """Request articles to raw articles; a failing one becomes a LoadError.
    URLs are fetched a few at a time."""
    _check_count(len(items), s)
    for i, item in enumerate(items):
        content = item.text if item.text is not None else item.html
        if content is not None:
            _check_size(f"articles[{i}]", len(content.encode("utf-8", "surrogatepass")), s)
    ids = _Ids()
    keys = [ids(item.id, i + 1) for i, item in enumerate(items)]
    slots: list[Article | LoadError] = [LoadError("", "")] * len(items)
    urls = [i for i, item in enumerate(items) if item.url is not None]
    if urls:
        with ThreadPoolExecutor(max_workers=min(4, len(urls))) as pool:
            futures = {i: pool.submit(_fetch_one, items[i], keys[i], s) for i in urls}
            for i, f in futures.items():
                slots[i] = f.result()
    for i, item in enumerate(items):
        if item.url is not None:
            continue
        label = item.id or f"articles[{i}]"
        try:
            if not (item.text if item.text is not None else item.html or "").strip():
                raise SourceError("empty text")
            a = article_from_content(item.text if item.text is not None else item.html, id=keys[i],
                                     html=True if item.html is not None else None)
            slots[i] = _meta(a, item)
        except SourceError as e:
            slots[i] = LoadError(label, str(e))
    return [x for x in slots if isinstance(x, Article)], [x for x in slots if isinstance(x, LoadError)]


def _fetch_one(item: ArticleIn, key: str, s: Settings) -> Article | LoadError:
    try:
        return _meta(fetch_article(item.url or "", s.fetch_policy, id=key), item)
    except FetchError as e:
        return LoadError(item.url or "", str(e))


def analysis_fits(arts: list[Article], errors: list[LoadError], s: Settings) -> bool:
    """Whether the analysis of ``arts`` is within the server's size limit; if
    not, the briefing's errors say it was left out. Its cost grows faster
    than the text (seconds for 256 KB, minutes for 1 MB): a summary of
    everything now beats an analysis that the time budget would cut off."""
    size = sum(len(a.raw.encode("utf-8")) for a in arts)
    if size <= s.max_analysis_bytes:
        return True
    errors.append(LoadError("analysis", f"left out: the articles hold {size_text(size)} of text, over the "
                                        f"{size_text(s.max_analysis_bytes)} this server analyses "
                                        "(NEWSBRIEF_MAX_ANALYSIS_BYTES); the summary covers all of it"))
    return False


def checked_dates(arts: list[Article], errors: list[LoadError]) -> list[Article]:
    """The articles with their ``published`` checked (:func:`check_date`): a
    value that is not a date, or is ahead of the clock, is left out and said
    in the briefing's errors (an ingest says it in its own check)."""
    out = []
    for a in arts:
        a, bad_date = check_date(a)
        if bad_date is not None:
            errors.append(bad_date)
        out.append(a)
    return out


def make_briefing(ticket: Ticket, arts: list[Article], errors: list[LoadError], o: Options,
                  s: Settings) -> dict[str, Any]:
    arts = checked_dates(arts, errors)
    analysis = o.analysis and analysis_fits(arts, errors, s)
    try:
        b = ticket.run(lambda: brief_articles(arts, method=o.method, words=o.words, sentences=o.sentences, id=o.id,
                                              errors=errors, analysis=analysis))
    except NoArticlesError as e:
        first = "; ".join(f"{x.source}: {x.reason}" for x in e.errors[:3])
        more = f" (and {len(e.errors) - 3} more)" if len(e.errors) > 3 else ""
        raise ApiError(422, f"no usable article: {first}{more}" if first else "no usable article", e.errors) from None
    return b.to_dict()


# --- endpoints


@router.get("/config", summary="Version, methods, limits and features of this server", tags=["server"])
def config(request: Request) -> dict[str, Any]:
    s = settings_of(request)
    return {
        "version": __version__,
        "methods": methods.names(),
        "default_method": DEFAULT_METHOD,
        "limits": {"max_body_bytes": s.max_body_bytes, "max_articles": s.max_articles,
                   "max_article_bytes": s.max_article_bytes, "max_summary_words": s.max_summary_words,
                   "fetch_max_bytes": s.fetch_max_bytes, "fetch_timeout": s.fetch_timeout,
                   "queue_size": s.queue_size, "briefing_timeout": s.briefing_timeout,
                   "max_analysis_bytes": s.max_analysis_bytes},
        "fetch": s.fetch_enabled,
    }


@router.get("/health", summary="Liveness, and the places taken in the briefing queue", tags=["server"])
async def health(request: Request) -> dict[str, Any]:  # async: answered on the event loop, never waiting for a thread
    gate = gate_of(request)
    watcher = getattr(request.app.state, "watcher", None)  # `serve --watch`: its last poll and the next
    return {"status": "ok", "queue": {"size": gate.size, "busy": gate.busy},
            "watch": watcher.status() if watcher is not None else None}


@router.post(
    "/briefings", summary="Brief one story from posted texts, HTML pages or URLs",
    responses={200: {"content": {"application/json": {"schema": BRIEFING}}, "description": "The briefing"},
               400: ERROR, 413: ERROR, 422: ERROR}, tags=["briefings"],
)
def create_briefing(req: BriefingRequest, request: Request) -> JSONResponse:
    s = settings_of(request)
    _check_options(req, s)
    with gate_of(request).admit() as ticket:
        arts, errors = load_items(req.articles, s)
        return JSONResponse(make_briefing(ticket, arts, errors, req, s))


@router.post(
    "/briefings/upload", summary="Brief one story from uploaded files (and texts and URLs), as multipart form data",
    responses={200: {"content": {"application/json": {"schema": BRIEFING}}, "description": "The briefing"},
               400: ERROR, 413: ERROR, 422: ERROR}, tags=["briefings"],
)
def upload_briefing(
    request: Request,
    files: Annotated[list[UploadFile], File(description=".txt, .md or .html files, one article each")] = [],  # noqa: B006
    text: Annotated[list[Text], Form(description="Pasted article texts")] = [],  # noqa: B006
    url: Annotated[list[Text], Form(description="Article URLs to fetch")] = [],  # noqa: B006
    method: Annotated[Text, Form()] = DEFAULT_METHOD,
    words: Annotated[int | None, Form(ge=1)] = None,
    sentences: Annotated[int | None, Form(ge=1, le=200)] = None,
    analysis: Annotated[bool, Form()] = True,
) -> JSONResponse:
    s = settings_of(request)
    o = Options(method=method, words=words, sentences=sentences, analysis=analysis)
    _check_options(o, s)
    with gate_of(request).admit() as ticket:
        arts, errors = load_form(files, text, url, s)
        return JSONResponse(make_briefing(ticket, arts, errors, o, s))


def load_form(files: list[UploadFile], text: list[str], url: list[str],
              s: Settings) -> tuple[list[Article], list[LoadError]]:
    """Multipart parts to raw articles: texts, then URLs, then files."""
    files = [f for f in files if f.filename or f.size]  # browsers send an empty part for "no file"
    text = [t for t in text if t.strip()]
    url = [u for u in url if u.strip()]
    _check_count(len(files) + len(text) + len(url), s)
    items: list[ArticleIn] = [ArticleIn(text=t) for t in text] + [ArticleIn(url=u.strip()) for u in url]
    arts, errors = load_items(items, s) if items else ([], [])
    ids = _Ids()
    ids.seen.update(a.id for a in arts)
    for f in files:
        name = f.filename or "upload"
        _check_size(name, f.size or 0, s)
        data = f.file.read(s.max_article_bytes + 1)
        _check_size(name, len(data), s)
        stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.rsplit("/", 1)[-1])
        try:
            html = True if name.lower().endswith((".html", ".htm", ".xhtml")) else None
            arts.append(article_from_content(scrub(decode(data)), id=ids(stem, len(arts) + 1), path=name,
                                             html=html))
        except SourceError as e:
            errors.append(LoadError(name, str(e)))
    return arts, errors


# --- the store: ingest, stories, search


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[ArticleIn] = Field(..., min_length=1, description="Articles to add; each joins its story.")


def _db(request: Request):
    return settings_of(request).db


def _store_call(fn, *args, **kw):
    """Library store calls, with their failures as one-line answers."""
    try:
        return fn(*args, **kw)
    except StoryNotFound as e:
        raise ApiError(404, str(e)) from None
    except StoreError as e:
        raise ApiError(503, f"the store cannot be used: {e}") from None


def _ingest(ticket: Ticket, arts: list[Article], errors: list[LoadError], request: Request) -> dict[str, Any]:
    if not arts:
        first = "; ".join(f"{x.source}: {x.reason}" for x in errors[:3])
        raise ApiError(422, f"no usable article: {first}" if first else "no usable article", errors)
    report = ticket.run(lambda: _store_call(ingest, *arts, db=_db(request)))
    report.errors[:0] = errors
    out = report.to_dict()
    out.pop("db", None)  # the server's file system is not the client's business
    return out


INGESTED = {"description": "What became of each article (added, already there, near-duplicate) and its story"}


@router.post("/articles", summary="Add articles (texts, HTML pages, URLs) to the store, each into its story",
             responses={200: INGESTED, 400: ERROR, 413: ERROR, 422: ERROR, 503: ERROR}, tags=["store"])
def add_articles(req: IngestRequest, request: Request) -> JSONResponse:
    with gate_of(request).admit() as ticket:
        arts, errors = load_items(req.articles, settings_of(request))
        return JSONResponse(_ingest(ticket, arts, errors, request))


@router.post("/articles/upload", summary="Add uploaded files (and texts and URLs) to the store",
             responses={200: INGESTED, 400: ERROR, 413: ERROR, 422: ERROR, 503: ERROR}, tags=["store"])
def upload_articles(
    request: Request,
    files: Annotated[list[UploadFile], File(description=".txt, .md or .html files, one article each")] = [],  # noqa: B006
    text: Annotated[list[Text], Form(description="Pasted article texts")] = [],  # noqa: B006
    url: Annotated[list[Text], Form(description="Article URLs to fetch")] = [],  # noqa: B006
) -> JSONResponse:
    with gate_of(request).admit() as ticket:
        arts, errors = load_form(files, text, url, settings_of(request))
        return JSONResponse(_ingest(ticket, arts, errors, request))


@router.get("/stories", summary="Stories in the store, most recently seen first (or ranked: order=rank)",
            responses={503: ERROR}, tags=["store"])
def list_stories(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 junk: Annotated[bool, Query(description="Also junk pages (cookie walls, archive notices)")] = False,
                 order: Annotated[Literal["recent", "rank"], Query(
                     description="recent: most recently seen first; rank: the front page, by independent outlets "
                                 "and freshness (score = log2(outlets) - age in days; junk pages never)")] = "recent",
                 ) -> list[dict[str, Any]]:
    if order == "rank":
        return [x.to_dict() for x in _store_call(front_page, _db(request), limit=limit)]
    return [x.to_dict() for x in _store_call(stories, _db(request), limit=limit, junk=junk)]


# A story id is an SQLite rowid: a number outside 1..2**63-1 is a 422, not an OverflowError (a 500).
StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="A story id (see GET /api/stories).")]


@router.get("/stories/{story_id}", summary="One story and its articles",
            responses={404: ERROR, 422: ERROR, 503: ERROR}, tags=["store"])
def get_story(story_id: StoryId, request: Request) -> dict[str, Any]:
    return _store_call(story, story_id, _db(request)).to_dict()


@router.get(
    "/stories/{story_id}/briefing", summary="The briefing of a stored story (cached until the story changes)",
    responses={200: {"content": {"application/json": {"schema": BRIEFING}}, "description": "The briefing"},
               404: ERROR, 422: ERROR, 503: ERROR}, tags=["store"],
)
def get_story_briefing(
    story_id: StoryId, request: Request,
    method: Text = DEFAULT_METHOD,
    words: Annotated[int | None, Query(ge=1)] = None,
    sentences: Annotated[int | None, Query(ge=1, le=200)] = None,
    analysis: bool = True,
) -> JSONResponse:
    s = settings_of(request)
    o = Options(method=method, words=words, sentences=sentences, analysis=analysis)
    _check_options(o, s)
    notes: list[LoadError] = []
    analysis = o.analysis and analysis_fits(_store_call(_story_articles, story_id, _db(request)), notes, s)
    try:
        with gate_of(request).admit() as ticket:
            b = ticket.run(lambda: _store_call(brief_story, story_id, _db(request), method=o.method,
                                               words=o.words, sentences=o.sentences, analysis=analysis))
    except NoArticlesError as e:
        raise ApiError(422, f"story {story_id} has no usable article", e.errors) from None
    b.errors += notes  # said with every answer, cached or not: the cache holds the briefing made without it
    return JSONResponse(b.to_dict())


@router.get(
    "/stories/{story_id}/changes", summary="What changed in a stored story since a version or a date",
    description="New outlets, new articles, new facts (sentences no earlier sentence supports, most central first, "
                "at most 10, `more_facts` counting the rest) and changed values (an updated toll: old and new value, "
                "both cited), from the version the story had at `since` to its current version. Citations are "
                "as in a briefing (article id, sentence index, character offsets into the cleaned text).",
    responses={404: ERROR, 422: ERROR, 503: ERROR}, tags=["store"],
)
def get_story_changes(
    story_id: StoryId, request: Request,
    since: Annotated[Text, Query(min_length=1, max_length=40, description="A version number (see the story's "
                                 "`versions`) or an ISO date or date-time (UTC unless it says otherwise)")],
) -> JSONResponse:
    from ..briefing.changes import SinceError, changes

    try:
        with gate_of(request).admit() as ticket:
            c = ticket.run(lambda: _store_call(changes, _db(request), story_id, since))
    except SinceError as e:
        raise ApiError(422, f"since: {e}") from None
    return JSONResponse(c.to_dict())


@router.get("/stories/{story_id}/versions", summary="A stored story's versions: its article set at each",
            responses={404: ERROR, 422: ERROR, 503: ERROR}, tags=["store"])
def get_story_versions(story_id: StoryId, request: Request) -> list[dict[str, Any]]:
    from ..briefing.changes import versions

    return [v.to_dict() for v in _store_call(versions, _db(request), story_id)]


def _story_articles(story_id: int, db: pathlib.Path | None) -> list[Article]:
    """The articles a stored story's briefing reads (none for an unknown
    story: the briefing call answers 404), read here, outside the models'
    queue, to weigh the analysis before asking for it."""
    with open_store(db) as store:
        return store.story_articles(story_id)


@router.get("/search", summary="Full-text search over stored articles and story titles",
            responses={422: ERROR, 503: ERROR}, tags=["store"])
def search_store(
    request: Request,
    q: Annotated[Text, Query(min_length=1, max_length=500, description="Words to find (any text is safe)")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    if not CONTROL_CHARS.sub(" ", q).strip():  # fts_query reads control characters as spaces
        raise ApiError(422, "q: give words to search for (it holds only spaces or control characters)")
    try:
        return [h.to_dict() for h in _store_call(search, q, _db(request), limit=limit)]
    except SearchError as e:
        raise ApiError(422, f"q: {e}") from None
