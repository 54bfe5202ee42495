"""Atom feeds for feed readers: ``/feeds/stories.atom`` (the newest stories)
and ``/feeds/story/{id}.atom`` (one story, an entry per version). A thin
layer over :mod:`newsbrief.stories.follow`.

A reader polls these, so they answer conditional GETs (ETag, 304) and never
compute without a bound: briefings come from the store's cache; the stories
not briefed yet (and a story feed's newest update, which is not cached) are
computed on the models' thread through the server's queue (:mod:`.gate`,
one queue place per feed request) for at most :data:`FEED_BRIEF_SECONDS`
(and half the briefing budget), newest story first; the rest, or all of
them when the queue is full, get their headlines instead, and a later poll
gets their briefings once made (briefings are cached in the store).
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from ..render.atom import atom_feed
from ..store import MAX_ID, StoreError
from ..stories import StoryNotFound
from ..stories.follow import Runner, stories_feed, story_feed
from .api import ERROR, ApiError, gate_of, settings_of
from .gate import Refused

router = APIRouter(prefix="/feeds", tags=["feeds"])

FEED_BRIEF_SECONDS = 10.0
ATOM = "application/atom+xml; charset=utf-8"
FEED = {200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed"}, 304: {}}

StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="A story id (see GET /api/stories).")]


def _runner(request: Request) -> Runner:
    """Computations for a feed take one place in the server's queue and run
    on the models' thread; a full queue (or the budget running out) computes
    nothing: the feed still answers, with headlines."""
    gate = gate_of(request)

    def run(fn):
        try:
            with gate.admit() as ticket:
                return ticket.run(fn)
        except Refused:
            return None

    return run


def _seconds(request: Request) -> float:
    """The time a feed request may brief for: well within the queue's budget."""
    return min(FEED_BRIEF_SECONDS, gate_of(request).budget / 2)


def _feed(fn, *args, **kw) -> bytes:
    """The feed's bytes; an unknown story is a 404, a store failure a 503, as in the API."""
    try:
        return atom_feed(fn(*args, **kw))
    except StoryNotFound as e:
        raise ApiError(404, str(e)) from None
    except StoreError as e:
        raise ApiError(503, f"the store cannot be used: {e}") from None


def _answer(request: Request, body: bytes) -> Response:
    """The feed, or 304 when the reader already has these bytes."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    asked = request.headers.get("if-none-match", "")
    if etag in [t.strip().removeprefix("W/") for t in asked.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ATOM, headers=headers)


@router.get("/stories.atom", summary="Atom feed of the newest stories, each with its cited briefing",
            responses={**FEED, 503: ERROR}, response_class=Response)
def newest_stories(request: Request) -> Response:
    return _answer(request, _feed(stories_feed, settings_of(request).db, str(request.base_url),
                                  run=_runner(request), seconds=_seconds(request), self_link=str(request.url)))


@router.get("/story/{story_id}.atom", summary="Atom feed of one story: an entry per version, newest first",
            responses={**FEED, 404: ERROR, 422: ERROR, 503: ERROR}, response_class=Response)
def one_story(story_id: StoryId, request: Request) -> Response:
    return _answer(request, _feed(story_feed, settings_of(request).db, story_id, str(request.base_url),
                                  run=_runner(request), seconds=_seconds(request), self_link=str(request.url)))
