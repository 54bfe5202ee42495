"""Follow stories in a feed reader: Atom feeds of the store.

Two feeds (rendered by :func:`newsbrief.render.atom.atom_feed`):

- the newest stories (:func:`stories_feed`): one entry per story (id
  ``urn:newsbrief:story:ID``, updated when its article set last changed),
  its content the story's cited briefing;
- one story (:func:`story_feed`): one entry per recorded version, newest
  first (id ``urn:newsbrief:story:ID:vN``): the first version lists the
  articles the story began with, each later one the articles it gained (and
  lost) since the version before. The newest is the update since the
  version before it as :func:`newsbrief.briefing.changes.changes` finds it
  (new facts and changed values, each cited; new outlets); a story of one
  version gets its briefing.

A feed is a cheap GET that a reader polls, so it never computes without a
bound: a briefing comes from the store's cache when there is one; what is
not cached is computed only through the ``run`` callable the caller gives
(the server's runs it on the models' thread behind its queue, and gives up
when the queue is full), within ``seconds`` (:func:`brief_within`); a story
left without a briefing gets its articles' headlines, each with its outlet.
Older versions' entries list the articles gained (``changes`` compares a
version with the current one only).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..briefing.changes import Changes, changes
from ..model import Briefing, Citation
from ..pipeline import NoArticlesError
from ..render.atom import AtomCite, AtomEntry, AtomFeed, AtomLine, AtomSection
from ..store import Headline, Store, StoryInfo, StoryVersion, open_store
from .api import Db, StoryNotFound, brief_story, cached_briefing

__all__ = ["STORIES_IN_FEED", "VERSIONS_IN_FEED", "Runner", "brief_within", "briefing_lines", "change_sections",
           "stories_feed", "story_feed", "story_link"]

STORIES_IN_FEED = 30
VERSIONS_IN_FEED = 20

# Runs a computation where the caller allows it (the server: on the models'
# thread, through its queue); None when it could not (the queue was full).
Runner = Callable[[Callable[[], Any]], Any]


@dataclass(slots=True)
class _Story:
    """What one story's entries are made of, read in one store visit."""

    info: StoryInfo
    versions: list[StoryVersion]
    heads: dict[int, Headline]
    briefing: Briefing | None
    update: Changes | None = None  # since the version before the newest


def story_link(base: str, story_id: int) -> str:
    """The story on the web page (``app.js`` routes ``#/story/ID``)."""
    return f"{base.rstrip('/')}/#/story/{story_id}"


def brief_within(ids: Iterable[int], db: Db = None, seconds: float | None = None) -> dict[int, Briefing]:
    """Brief stories in turn (summary only: the analysis is the page's) until
    ``seconds`` have passed (None: all of them); each is cached in the store.
    A story with no usable article is left out."""
    deadline = None if seconds is None else time.monotonic() + seconds
    out: dict[int, Briefing] = {}
    for sid in ids:
        if deadline is not None and time.monotonic() >= deadline:
            break
        try:
            out[sid] = brief_story(sid, db, analysis=False)
        except (NoArticlesError, StoryNotFound):
            continue
    return out


def _known_briefing(store: Store, story_id: int) -> Briefing | None:
    """The page's cached briefing (with analysis), else the feed's own."""
    return cached_briefing(story_id, store) or cached_briefing(story_id, store, analysis=False)


def _read(store: Store, info: StoryInfo) -> _Story:
    versions = store.versions(info.id)
    ids = {a for v in versions for a in v.articles} | {a for a, _ in info.articles if a not in info.duplicates}
    heads = {h.id: h for h in store.headlines(sorted(ids))}
    return _Story(info, versions, heads, _known_briefing(store, info.id))


def _fill(stories: list[_Story], db: Db, run: Runner | None, seconds: float | None) -> None:
    """Brief the stories with no cached briefing, as far as ``run`` and the time go."""
    missing = [s.info.id for s in stories if s.briefing is None]
    if missing and run is not None:
        made = run(lambda: brief_within(missing, db, seconds)) or {}
        for s in stories:
            s.briefing = s.briefing or made.get(s.info.id)


def _update(s: _Story, db: Db, seconds: float | None) -> tuple[Briefing | None, Changes | None]:
    """The story's briefing (when not cached) and what its newest version
    added to the one before, in that order while the time lasts."""
    deadline = None if seconds is None else time.monotonic() + seconds
    briefing = s.briefing or brief_within([s.info.id], db, seconds).get(s.info.id)
    if len(s.versions) < 2 or (deadline is not None and time.monotonic() >= deadline):
        return briefing, None
    try:
        return briefing, changes(db, s.info.id, s.versions[-2].version)
    except (NoArticlesError, StoryNotFound):
        return briefing, None


def stories_feed(db: Db, base: str, *, limit: int = STORIES_IN_FEED, run: Runner | None = None,
                 seconds: float | None = None, self_link: str | None = None) -> AtomFeed:
    """The newest stories (most recently seen first, junk pages and empty
    stories left out), one entry each; ``base`` is the web page's address.
    Without ``run``, only cached briefings are used."""
    with open_store(db) as store:
        infos = [s for s in store.stories() if not s.junk and s.size][:limit]
        got = [_read(store, s) for s in infos]
    _fill(got, db, run, seconds)
    base = base.rstrip("/") + "/"
    return AtomFeed(id="urn:newsbrief:stories", title="newsbrief: newest stories", link=base,
                    self_link=self_link or base + "feeds/stories.atom",
                    subtitle="Stories grouped from many outlets, each with a cited briefing",
                    entries=[_story_entry(s, base) for s in got])


def story_feed(db: Db, story_id: int, base: str, *, limit: int = VERSIONS_IN_FEED, run: Runner | None = None,
               seconds: float | None = None, self_link: str | None = None) -> AtomFeed:
    """One story's versions, newest first (at most ``limit``); raises
    :class:`StoryNotFound` for an unknown id. Without ``run``, the newest
    entry has the cached briefing (or the headlines) and no update."""
    with open_store(db) as store:
        info = store.story(story_id)
        if info is None:
            raise StoryNotFound(f"no story {story_id} in the store")
        got = _read(store, info)
    if run is not None:
        got.briefing, got.update = run(lambda: _update(got, db, seconds)) or (got.briefing, None)
    base = base.rstrip("/") + "/"
    title = info.title or f"Story {story_id}"
    return AtomFeed(id=f"urn:newsbrief:story:{story_id}", title=f"newsbrief: {title}",
                    link=story_link(base, story_id), self_link=self_link or f"{base}feeds/story/{story_id}.atom",
                    subtitle="Each entry is what this story gained since the entry before it",
                    entries=_version_entries(got, base, limit))


def _changed(s: _Story) -> datetime:
    """When the story's article set last changed (else when it was made)."""
    return _instant(s.versions[-1].created if s.versions else s.info.created)


def _instant(value: str) -> datetime:
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return datetime.now(timezone.utc)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _story_entry(s: _Story, base: str) -> AtomEntry:
    info = s.info
    outlets = sorted({h.outlet for h in s.heads.values() if h.outlet})
    lead = f"{_count(info.size, 'article')}" + (f" from {', '.join(outlets)}." if outlets else ".")
    return AtomEntry(id=f"urn:newsbrief:story:{info.id}", title=info.title or f"Story {info.id}",
                     link=story_link(base, info.id), updated=_changed(s), lead=lead, **_body(s))


def _body(s: _Story) -> dict:
    """The briefing as the entry's section, or the headlines and a note."""
    if s.briefing is not None:
        return {"sections": [AtomSection("Briefing", briefing_lines(s.briefing))]}
    current = [s.heads[a] for a, _ in s.info.articles if a in s.heads]
    return {"sections": [AtomSection("Headlines", [_headline(h) for h in current])],
            "note": "The cited briefing of this story is not made yet: open the story to read it."}


def briefing_lines(b: Briefing) -> list[AtomLine]:
    """The summary, each sentence cited by the outlets it comes from and
    those that say the same (named once each, in order)."""
    by_id = {a.id: a for a in b.sources}
    lines = []
    for s in b.summary:
        cites: dict[str, AtomCite] = {}
        for c in s.citations + s.support:
            cite = _cite(c, by_id)
            cites.setdefault(cite.label, cite)
        lines.append(AtomLine(s.text, list(cites.values())))
    return lines


def _cite(c: Citation, by_id: dict) -> AtomCite:
    a = by_id.get(c.source)
    if a is None:
        return AtomCite(c.source)
    return AtomCite(a.outlet or a.title or a.id, a.url)


def change_sections(c: Changes) -> list[AtomSection]:
    """What changed as entry sections: new outlets, changed values (the new
    sentence cited, the earlier outlet named) and new facts, each cited."""
    arts = {a.source: a for a in c.new_articles}

    def cite(x: Citation, outlet: str | None) -> AtomCite:
        a = arts.get(x.source)
        return AtomCite(outlet or (a.outlet if a else None) or x.source, a.url if a else None)

    out = []
    if c.new_outlets:
        out.append(AtomSection("New outlets", [AtomLine(", ".join(c.new_outlets))]))
    if c.changed_values:
        out.append(AtomSection("Changed", [
            AtomLine(f"{v.subject}: {v.old} → {v.new}. {v.after.text}",
                     [cite(v.after, v.new_outlet), AtomCite(f"before: {v.old_outlet or v.before.source}")])
            for v in c.changed_values]))
    if c.new_facts:
        lines = []
        for f in c.new_facts:
            cites = {x.label: x for x in [cite(f.citation, f.outlet)] + [cite(x, None) for x in f.support]}
            lines.append(AtomLine(f.text, list(cites.values())))
        out.append(AtomSection("New facts", lines))
    return out


def _headline(h: Headline) -> AtomLine:
    title = " ".join((h.title or f"Article {h.id}").split())
    return AtomLine(title, [AtomCite(h.outlet or "outlet unknown", h.url)])


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _version_entries(s: _Story, base: str, limit: int) -> list[AtomEntry]:
    if not s.versions:  # a story the store has no version of: one entry for it as it is
        return [_story_entry(s, base)]
    title = s.info.title or f"Story {s.info.id}"
    entries = []
    for i in range(len(s.versions) - 1, max(-1, len(s.versions) - 1 - limit), -1):
        v, prev = s.versions[i], (s.versions[i - 1] if i else None)
        entries.append(_version_entry(s, v, prev, title, base, newest=not entries))
    return entries


def _version_entry(s: _Story, v: StoryVersion, prev: StoryVersion | None, title: str, base: str,
                   newest: bool) -> AtomEntry:
    before = set(prev.articles) if prev else set()
    new = [s.heads[a] for a in v.articles if a not in before and a in s.heads]
    gone = len(before - set(v.articles))
    outlets = sorted({h.outlet for h in new if h.outlet})
    if prev is None:
        head, lead = title, f"The story as first seen: {_count(len(v.articles), 'article')}."
    else:
        head = f"{title}: {_count(len(new), 'new article')}" + (f" ({', '.join(outlets)})" if outlets else "")
        lead = f"Update since version {prev.version}: {_count(len(new), 'new article')}" + (
            f"; {_count(gone, 'earlier article')} no longer in it (updated or moved)" if gone else "") + "."
    sections = [AtomSection("New articles" if prev else "Articles", [_headline(h) for h in new])]
    note = None
    if newest and prev is not None and s.update is not None:
        sections[:0] = change_sections(s.update)
        note = f"And {_count(s.update.more_facts, 'more new fact')}: open the story." if s.update.more_facts else None
    elif newest:
        body = _body(s)
        sections += [x for x in body["sections"] if x.heading == "Briefing"]
        note = body.get("note")
    return AtomEntry(id=f"urn:newsbrief:story:{s.info.id}:v{v.version}", title=head,
                     link=story_link(base, s.info.id), updated=_instant(v.created), lead=lead,
                     sections=sections, note=note)
