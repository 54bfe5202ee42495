"""The ``newsbrief`` command: a thin layer over the library.

Conventions, so that scripts can rely on them: results go to stdout (or
``-o FILE``), diagnostics to stderr as one line each, prefixed ``newsbrief:``;
no traceback for an expected failure. Exit codes: 0 a result was produced,
1 nothing usable (or an unreadable input), 2 a usage error.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager
from enum import Enum
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from . import __version__
from .model import Briefing, Cluster, LoadError
from .files import write_atomic
from .pipeline import NoArticlesError, brief_articles, load, select_story
from .sources import shown
from .summarize import DEFAULT_METHOD, methods

if TYPE_CHECKING:  # imported where used: the CLI starts without loading them
    from rich.table import Table

    from .eval import EvalResult
    from .llm import Backend
    from .server import Settings
    from .store import Store
    from .stories.watch import PollReport, WatchSettings

app = typer.Typer(
    name="newsbrief",
    help="Cited multi-source news briefings, and ROUGE evaluation of summarization methods.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain usage errors: one grep-able block, like every other message here
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    text = "text"
    md = "md"
    json = "json"


def _say(msg: str) -> None:
    print(f"newsbrief: {msg}", file=sys.stderr, flush=True)


def _fail(msg: str, code: int = 1) -> NoReturn:
    _say(f"error: {msg}")
    raise typer.Exit(code)


def _check_methods(names: list[str]) -> None:
    for m in names:
        if m not in methods:
            _fail(f"unknown method {m!r} (known: {', '.join(methods.names())})", 2)


def _version(value: bool) -> None:
    if value:
        print(f"newsbrief {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Cited multi-source news briefings, and ROUGE evaluation of summarization methods."""


DbOption = Annotated[Path | None, typer.Option(
    "--db", envvar="NEWSBRIEF_DB", show_envvar=False,
    help="The story database (SQLite). Default: $NEWSBRIEF_DB, else $XDG_DATA_HOME/newsbrief/newsbrief.db "
         "(~/.local/share/newsbrief/newsbrief.db).")]
LlmOption = Annotated[str | None, typer.Option(
    "--llm", metavar="URL|PATH",
    help="The language model --fuse writes with: an OpenAI-compatible server's URL (Ollama: "
         "http://127.0.0.1:11434/v1; API key from $NEWSBRIEF_LLM_API_KEY) or a .gguf file run in-process "
         "(pip install 'newsbrief[llm]'). Default: $NEWSBRIEF_LLM.")]
LlmModelOption = Annotated[str | None, typer.Option(
    "--llm-model", metavar="NAME",
    help="The model the --llm server runs (default: $NEWSBRIEF_LLM_MODEL, else the server's first).")]


FuseOption = Annotated[bool, typer.Option(
    "--fuse", help="Rewrite the summary into fluent sentences with the language model of --llm; each "
                   "generated sentence is checked against its cited sentences (numbers, dates, names, "
                   "quotations) and replaced by them when it fails.")]
MinSupportOption = Annotated[float | None, typer.Option(
    "--min-support", metavar="P", min=0.0, max=1.0,
    help="With --fuse: also refuse a rewrite the model itself judges supported with probability under P "
         "(the probability is recorded either way, where the backend gives token probabilities).")]


def _llm_backend(llm: str | None, model: str | None) -> Backend:
    """The backend of --llm/--llm-model (or the environment); fails saying how to give one."""
    from .llm import NO_BACKEND, LLMError, LLMSpecError, backend_from_options

    try:
        backend = backend_from_options(llm, model)
    except LLMSpecError as e:
        _fail(str(e), 2)
    except LLMError as e:
        _fail(str(e), 1)
    if backend is None:
        _fail(NO_BACKEND, 2)
    return backend


@app.command()
def brief(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="[PATH]...",
        help="Article files (.txt, .md, .html), directories, JSONL(.gz) files, or - for stdin.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    method: Annotated[str, typer.Option("--method", "-m", help="Summarization method (see `newsbrief methods`).")]
    = DEFAULT_METHOD,
    words: Annotated[int | None, typer.Option(
        min=1, help="Target summary length in words (whole sentences). Default: calibrated per story by the "
                    "trained ranker, else 250.")] = None,
    sentences: Annotated[int | None, typer.Option(min=1, help="Summary length in sentences; overrides --words.")]
    = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")] = None,
    cluster: Annotated[str | None, typer.Option(
        help="Which story of a multi-cluster JSONL to brief: its id, or its position from 1.")] = None,
    analysis: Annotated[bool, typer.Option(
        "--analysis/--no-analysis", help="Add people, quotes, agreements, contradictions, timeline and relations.")]
    = True,
    story: Annotated[int | None, typer.Option(
        "--story", min=1, max=2**63 - 1,  # SQLite's rowids: a larger number is no id (and no OverflowError)
        help="Brief a stored story (see `newsbrief stories`) instead of PATHs; cached in the database "
             "until the story changes.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="VERSION|DATE",
        help="With --story: only what changed since that version (see `newsbrief stories --versions ID`) or "
             "ISO date/time: new outlets, articles, facts and changed values, each cited.")] = None,
    db: DbOption = None,
    llm: LlmOption = None,
    llm_model: LlmModelOption = None,
    fuse: FuseOption = False,
    min_support: MinSupportOption = None,
) -> None:
    """Brief one story told by several articles: a summary whose every sentence cites its source."""
    _check_methods([method])
    if (llm or llm_model or min_support is not None) and not fuse:
        _fail("--llm, --llm-model and --min-support are for --fuse: add --fuse to rewrite the summary with the "
              "model", 2)
    backend = _llm_backend(llm, llm_model) if fuse else None  # opened before any work: a bad --llm fails fast
    if since is not None and story is None:
        _fail("--since needs --story ID", 2)
    if story is not None:
        if paths:
            _fail("give PATHs or --story, not both", 2)
        if since is not None:
            _emit_changes(story, since, db, format, output)
            return
        from .stories import StoryNotFound, brief_story

        try:
            with _reading(db) as store:
                b = brief_story(story, store, method=method, words=words, sentences=sentences, analysis=analysis)
        except StoryNotFound as e:
            _fail(str(e), 1)
        except NoArticlesError as e:  # every stored article empty or not in English
            for err in e.errors:
                _say(f"skipped {err.source}: {err.reason}")
            _fail("no usable article", 1)
        for err in b.errors:
            _say(f"skipped {err.source}: {err.reason}")
        _emit(_fused(b, backend, min_support), format, output)
        return
    if not paths:
        _fail("nothing to brief: give article PATHs, or --story ID", 2)
    got = load(*paths)
    for w in got.warnings:
        _say(f"warning: {w.source}: {w.reason}")
    try:
        articles, cid = select_story(got, cluster)
    except ValueError as e:
        _fail(str(e), 2)
    try:
        b = brief_articles(articles, method=method, words=words, sentences=sentences,
                           id=cid, errors=got.errors, analysis=analysis)
    except NoArticlesError as e:
        for err in e.errors:
            _say(f"skipped {err.source}: {err.reason}")
        _fail("no usable article", 1)
    _say_errors(b)
    _emit(_fused(b, backend, min_support), format, output)


def _fused(b: Briefing, backend: Backend | None, min_support: float | None = None) -> Briefing:
    """``b`` rewritten by ``backend`` (None: ``b`` as it is, and no model
    code loaded); a backend that failed midway leaves ``b`` extractive,
    said in one line."""
    if backend is None:
        return b
    from .briefing.fuse import Limits, fuse

    fused = fuse(b, backend, limits=Limits(min_support=min_support))
    for err in fused.errors[len(b.errors):]:
        _say(f"warning: {err.reason}")
    return fused


def _emit_changes(story: int, since: str, db: Path | None, format: Format, output: Path | None) -> None:
    """``brief --story ID --since ...``: only what changed (the whole
    briefing is ``brief --story ID``), in the asked format."""
    from .briefing.changes import SinceError, changes
    from .render.changes import changes_markdown, changes_text
    from .stories import StoryNotFound

    try:
        with _reading(db) as store:
            c = changes(store, story, since)
    except StoryNotFound as e:
        _fail(str(e), 1)
    except SinceError as e:
        _fail(f"--since: {e}", 2)
    for err in c.errors:
        _say(f"skipped {err.source}: {err.reason}")
    text = (json.dumps(c.to_dict(), ensure_ascii=False, indent=1) + "\n" if format is Format.json
            else changes_markdown(c) if format is Format.md else changes_text(c))
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as e:
        _fail(f"cannot write {shown(output)}: {e.strerror or e}", 1)


def _say_errors(b: Briefing) -> None:
    """One line per source skipped, and one for all the copies left out (30
    copies of one article would otherwise bury the other lines)."""
    copies = [e for e in b.errors if e.duplicate_of is not None]
    for err in b.errors:
        if err.duplicate_of is None:
            _say(f"skipped {err.source}: {err.reason}")
    if copies:
        kept = {a.id: a.path or a.id for a in b.sources}
        shown = ", ".join(f"{e.source} (copy of {kept.get(e.duplicate_of, e.duplicate_of)})" for e in copies[:3])
        more = f" and {len(copies) - 3} more" if len(copies) > 3 else ""
        _say(f"{len(copies)} duplicate article(s) left out: {shown}{more} (each listed in the briefing's errors)")


def _emit(b, format: Format, output: Path | None) -> None:
    from .render import render, to_terminal

    if output is not None:
        try:
            write_atomic(output, render(b, format.value))
        except OSError as e:
            _fail(f"cannot write {shown(output)}: {e.strerror or e}", 1)
    elif format is Format.text:
        from rich.console import Console

        to_terminal(b, Console())
    else:
        sys.stdout.write(render(b, format.value))


class ListFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", help="Article files, directories, JSONL(.gz) (articles, or clusters whose documents "
                             "become articles), or - for stdin.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON (every article's fate).")]
    = False,
) -> None:
    """Add articles to the story database: near-duplicates are linked, each article joins or opens a story.

    Re-ingesting the same text adds nothing. Each article is one transaction: an interrupted ingest keeps
    everything before the interruption, and running it again completes it.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .stories import ingest as run

    err = Console(stderr=True)
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as progress:  # no bar (and no stray blank line) in a log
        task = progress.add_task("ingest", total=None, rate="")

        def step(item, done: int, total: int) -> None:
            if isinstance(item, LoadError):
                progress.console.print(f"newsbrief: skipped {item.source}: {item.reason}", markup=False,
                                       highlight=False, soft_wrap=True)
            if done:
                elapsed = progress.tasks[0].elapsed
                progress.update(task, completed=done, total=total,
                                rate=f"{done / elapsed:.0f} articles/s" if elapsed else "")

        try:
            report = run(*paths, db=db, progress=step)
        except KeyboardInterrupt:
            _fail("interrupted: every article before this one is stored; run the same command again to complete",
                  130)
    for w in report.warnings:
        _say(f"warning: {w.source}: {w.reason}")
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        stories = len({a.story_id for a in report.articles if a.created})
        junk = sum(a.junk for a in report.articles if a.created)
        print(f"{report.added} article(s) added ({report.duplicates} near-duplicate(s) linked to their original"
              f"{f', {junk} junk page(s) kept apart' if junk else ''}), "
              f"{report.existing} already stored; {report.new_stories} new story(ies), {stories} story(ies) "
              f"touched; {len(report.errors)} skipped; database {report.db}")
    if not report.articles:
        _fail("nothing ingested", 1)


def _reading(db: Path | None) -> AbstractContextManager[Store]:
    """The story database for a command that only reads it: a mistyped
    ``--db`` is an error, not a new empty database (``ingest`` makes one)."""
    from .store import open_store

    return open_store(db, create=False)


@app.command("stories")
def list_stories(
    db: DbOption = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the K most recently seen stories.")] = None,
    junk: Annotated[bool, typer.Option("--junk", help="Also the junk pages (cookie walls, log-in prompts, "
                                       "archive notices), each a story of its own.")] = False,
    rank: Annotated[bool, typer.Option("--rank", help="The front page: ranked by independent outlets and "
                                       "freshness (score = log2(outlets) - age in days), junk pages never.")] = False,
    atom: Annotated[Path | None, typer.Option("--atom", metavar="FILE", help="Write the Atom feed of the newest "
                                              "stories (briefing those not cached) to FILE instead.")] = None,
    base_url: Annotated[str, typer.Option("--base-url", help="The web page the feed links to (with --atom).")]
    = "http://127.0.0.1:8000/",
    versions: Annotated[int | None, typer.Option(
        "--versions", min=1, max=2**63 - 1, metavar="ID",
        help="List story ID's versions instead (what `brief --story ID --since VERSION` compares).")] = None,
) -> None:
    """List the stored stories, most recently seen first, with their articles."""
    from .stories import stories

    if versions is not None:
        _list_versions(versions, db, format)
        return
    if atom is not None:
        _write_atom(db, atom, base_url)
        return
    if rank:
        _print_ranked(db, limit, format)
        return
    with _reading(db) as store:
        got = stories(store, limit=limit, junk=junk)
    if format is ListFormat.json:
        print(json.dumps([s.to_dict() for s in got], ensure_ascii=False, indent=1))
        return
    if not got:
        _say("no stories yet (add articles with `newsbrief ingest PATH...`)")
    for s in got:
        span = s.first_seen[:10] if s.first_seen else "?"
        if s.last_seen and s.last_seen[:10] != span:
            span += f" – {s.last_seen[:10]}"
        copies = f", {len(s.duplicates)} copies" if s.duplicates else ""
        print(f"[{s.id}] {'(junk page) ' if s.junk else ''}{s.title or '(untitled)'}")
        print(f"     {s.size} article(s){copies}; {', '.join(s.outlets) or 'outlets unknown'}; {span}")


def _print_ranked(db: Path | None, limit: int | None, format: ListFormat) -> None:
    from .stories import front_page

    with _reading(db) as store:
        got = front_page(store, limit=limit)
    if format is ListFormat.json:
        print(json.dumps([r.to_dict() for r in got], ensure_ascii=False, indent=1))
        return
    if not got:
        _say("no stories yet (add articles with `newsbrief ingest PATH...`)")
    for r in got:
        s = r.story
        print(f"[{s.id}] {s.title or '(untitled)'}")
        print(f"     {r.outlets} independent outlet(s), last seen {_ago(r.age_hours)}; "
              f"{', '.join(s.outlets) or 'outlets unknown'}")


def _ago(hours: float) -> str:
    """"40 min ago", "5 h ago", "3 days ago": what a reader scans a front page by."""
    if hours < 1:
        return f"{max(0, round(hours * 60))} min ago"
    return f"{hours:.0f} h ago" if hours < 48 else f"{hours / 24:.0f} days ago"


def _write_atom(db: Path | None, path: Path, base_url: str) -> None:
    """The newest stories' feed, as the server's /feeds/stories.atom but
    briefing every story not cached (no time bound: the user asked)."""
    from .render.atom import atom_feed
    from .stories.follow import stories_feed

    if not re.match(r"https?://[^/\s]+", base_url):
        _fail(f"--base-url must be an http(s) address, not {base_url!r}", 2)
    with _reading(db) as store:
        body = atom_feed(stories_feed(store, base_url, run=lambda work: work()))
    try:
        write_atomic(path, body.decode("utf-8"))
    except OSError as e:
        _fail(f"cannot write {shown(path)}: {e.strerror or e}", 1)
    _say(f"wrote the Atom feed of the newest stories to {shown(path)}")


def _list_versions(story: int, db: Path | None, format: ListFormat) -> None:
    from .briefing.changes import versions
    from .stories import StoryNotFound

    try:
        with _reading(db) as store:
            got = versions(store, story)
    except StoryNotFound as e:
        _fail(str(e), 1)
    if format is ListFormat.json:
        print(json.dumps([v.to_dict() for v in got], ensure_ascii=False, indent=1))
        return
    for v in got:
        print(f"version {v.version}  {v.created[:19].replace('T', ' ')}  {len(v.articles)} article(s): "
              f"{', '.join(map(str, v.articles))}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words (all must match) and "quoted phrases".')],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="At most K results.")] = 20,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
) -> None:
    """Full-text search over stored articles and story titles, best match first."""
    from .store import StoreError
    from .store.db import SearchError, fts_query
    from .stories import search as run

    try:
        fts_query(query)  # a query it will not run is a usage error (exit 2), with or without a database
        with _reading(db) as store:
            hits = run(query, store, limit=limit)
    except SearchError as e:
        _fail(str(e), 2)
    except StoreError as e:
        _fail(str(e), 1)
    if format is ListFormat.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        _say(f"no match for {query!r}")
        raise typer.Exit(1)
    for h in hits:
        where = f"story {h.story_id}" if h.story_id is not None else "no story"
        if h.kind == "story":
            print(f"story {h.id}: {h.title}")
        else:
            print(f"article {h.id} ({where}) {h.source or ''}\n    {' '.join(h.snippet.split())}")


@app.command()
def doctor(db: DbOption = None) -> None:
    """Check the story database in full (SQLite's integrity check) and say what to do when it is damaged.

    Exit codes: 0 sound, 1 a problem was found.
    """
    from .store import diagnose

    d = diagnose(db)
    for problem in d.problems:  # the report, on stdout; the verdict on stderr
        print(f"{d.path}: {problem}")
    if not d.ok:
        _fail(f"{d.path}: {len(d.problems)} problem(s); {d.advice()}", 1)
    print(f"{d.path}: ok ({d.articles} article(s), {d.stories} story(ies); integrity check passed"
          f"{'; read-only' if d.readonly else ''})")


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the story database to FILE: a consistent snapshot, safe while `watch` or `serve` keep writing.

    Restore by copying FILE back over the database while nothing runs on it.
    """
    from .store import StoreError, open_store

    try:
        with open_store(db, create=False) as store:
            out = store.backup(dest, overwrite=force)
            print(f"{out}: backup of {store.path} ({store.count()} article(s))")
    except StoreError as e:
        _fail(str(e), 1)


feeds_app = typer.Typer(help="The feeds `newsbrief watch` follows (RSS, Atom, JSON Feed), kept in the story "
                                "database.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(
    urls: Annotated[list[str], typer.Argument(metavar="URL", help="Feed URLs (http or https).")],
    db: DbOption = None,
) -> None:
    """Follow feeds. Only the URL's form is checked here; `newsbrief watch` fetches them."""
    from .sources.fetch import FetchError, check_url
    from .store import StoreError, open_store

    checked = []
    for url in urls:
        try:
            checked.append(str(check_url(url)))
        except FetchError as e:
            _fail(f"{url}: {e}", 2)
    try:
        with open_store(db) as store:
            for url in checked:
                fid, created = store.add_feed(url)
                print(f"[{fid}] {url}{'' if created else ' (already followed)'}")
    except StoreError as e:
        _fail(str(e), 1)


@feeds_app.command("list")
def feeds_list(
    db: DbOption = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
) -> None:
    """List the followed feeds with their polling state."""
    from .store import StoreError

    try:
        with _reading(db) as store:
            got = store.feeds()
    except StoreError as e:
        _fail(str(e), 1)
    if format is ListFormat.json:
        print(json.dumps([f.to_dict() for f in got], ensure_ascii=False, indent=1))
        return
    if not got:
        _say("no feeds yet (follow one with `newsbrief feeds add URL`)")
    for f in got:
        print(f"[{f.id}] {f.url}{f'  ({f.title})' if f.title else ''}")
        state = f"last polled {f.last_polled}" if f.last_polled else "not polled yet"
        print(f"     {f.items} item(s), {f.articles} article(s); {state}"
              f"{f'; error: {f.last_error}' if f.last_error else ''}"
              f"{f' ({f.errors} failed poll(s) in a row)' if f.errors else ''}"
              f"{f'; backing off: next poll after {f.not_before}' if f.not_before else ''}")


@feeds_app.command("remove")
def feeds_remove(
    feed: Annotated[str, typer.Argument(metavar="URL|ID", help="The feed's URL or its id (`newsbrief feeds list`).")],
    db: DbOption = None,
) -> None:
    """Stop following a feed. Its articles stay in their stories."""
    from .store import StoreError

    try:
        with _reading(db) as store:
            info = store.feed(int(feed) if feed.isdigit() else feed.strip())
            if info is None:
                _fail(f"no feed {feed} (see `newsbrief feeds list`)", 1)
            store.remove_feed(info.id)
    except StoreError as e:
        _fail(str(e), 1)
    print(f"removed [{info.id}] {info.url}")


@app.command()
def watch(
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit.")] = False,
    interval: Annotated[float | None, typer.Option(
        "--interval", metavar="MIN", min=0.01,
        help="Poll every MIN minutes until stopped (Ctrl-C or SIGTERM: stops after the item in hand, exit 0).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print each poll's report as JSON (one line a poll "
                                                          "with --interval).")] = False,
) -> None:
    """Poll the followed feeds and ingest every new article into its story.

    Politely: robots.txt, one request per host per second (NEWSBRIEF_WATCH_RATE; a larger Crawl-delay wins),
    Retry-After, backoff of failing feeds. Fetching follows the server's rules (NEWSBRIEF_FETCH_ALLOW,
    NEWSBRIEF_FETCH_TIMEOUT, ...). Each failed feed or page is one line on stderr; the others go on. Exit
    codes: 0 done (even with failures), 1 the database cannot be used, 2 bad options or settings.
    """
    from .store import StoreError
    from .stories.watch import WatchSettings, poll_once

    if once == (interval is not None):
        _fail("give either --once (one poll, e.g. from cron) or --interval MIN (poll until stopped)", 2)
    try:
        settings = WatchSettings.from_env()
    except ValueError as e:
        _fail(str(e), 2)
    if interval is not None:
        _watch_loop(db, settings, interval * 60, as_json)
        return
    try:
        report = poll_once(db, settings, say=lambda line: _say(f"failed: {line}"))
    except StoreError as e:
        _fail(str(e), 1)
    except KeyboardInterrupt:
        _fail("interrupted: every article before this one is stored with its feed item; the next poll completes",
              130)
    _say_notes(report)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) if as_json else report.summary())


def _say_notes(report: PollReport) -> None:
    """What a poll did not fetch, and is no failure: robots.txt forbids it, or its host or feed waits."""
    for line in report.forbidden:
        _say(f"skipped: {line}")
    for line in report.waiting:
        _say(f"waiting: {line}")


def _watch_loop(db: Path | None, settings: WatchSettings, seconds: float, as_json: bool) -> None:
    """``watch --interval``: polls until SIGINT or SIGTERM, which stop it
    between two items (what was stored stays), exit 0."""
    import signal
    import threading

    from .store import StoreError
    from .stories.watch import watch as watch_feeds

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        _say(f"{signal.Signals(signum).name}: stopping after the item in hand")
        stop.set()

    def polled(report: PollReport) -> None:
        _say_notes(report)
        print(json.dumps(report.to_dict(), ensure_ascii=False) if as_json else f"{report.started} {report.summary()}",
              flush=True)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    try:
        watch_feeds(db, settings, seconds, stop=stop, say=lambda line: _say(f"failed: {line}"), on_poll=polled)
    except StoreError as e:
        _fail(str(e), 1)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _engine_opts(engine: Engine | None, scheduler: str | None) -> str:
    """``--scheduler`` means the dask engine; with ``--engine local`` it is a usage error."""
    if scheduler and engine is Engine.local:
        _fail("--scheduler needs --engine dask", 2)
    return (engine or (Engine.dask if scheduler else Engine.local)).value


ENGINE_HELP = "local: a process pool on this machine; dask: dask.distributed (a LocalCluster on 127.0.0.1, or --scheduler)."


@app.command("eval")
def eval_(
    data: Annotated[Path, typer.Argument(metavar="DATA.jsonl[.gz]",
                                         help="Clusters with reference summaries, one JSON object a line.")],
    method: Annotated[list[str] | None, typer.Option(
        "--method", "-m", help="Method to evaluate; repeat for several. Default: the default method.")] = None,
    words: Annotated[int | None, typer.Option(
        min=1, help="Summary length in words. Default: each method's own (calibrated for the ranker, else 250).")]
    = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first K rows.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
    engine: Annotated[Engine | None, typer.Option(help=ENGINE_HELP + " Default: this process.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes for --engine (default: all cores).")]
    = None,
    scheduler: Annotated[str | None, typer.Option(help="Address of a running dask scheduler (implies --engine "
                                                  "dask).")] = None,
) -> None:
    """ROUGE (F1, %) of summarization methods against reference summaries.

    With --engine the clusters are spread over worker processes; the scores are the same.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .batching.engines import EngineError
    from .eval import evaluate
    from .sources import iter_clusters

    names = list(dict.fromkeys(method or [DEFAULT_METHOD]))
    _check_methods(names)
    name = _engine_opts(engine, scheduler) if engine or scheduler else None
    if not data.is_file():
        _fail(f"{data}: {'is a directory' if data.is_dir() else 'no such file'}", 1)

    err = Console(stderr=True)
    bad = 0

    def clusters(progress: Progress, task) -> Iterator[Cluster]:
        """Clusters only: a malformed row is reported (with its line) and counted here."""
        nonlocal bad
        for item in islice(iter_clusters(data), limit):
            if isinstance(item, Cluster):
                yield item
                continue
            bad += 1
            e = item if isinstance(item, LoadError) else LoadError(item.path or item.id, "an article, not a cluster")
            progress.console.print(f"newsbrief: skipped {e.source}: {e.reason}", markup=False, highlight=False,
                                   soft_wrap=True)
            progress.advance(task)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(f"evaluating {', '.join(names)}", total=limit)
        try:
            results = evaluate(clusters(progress, task), names, words=words, on_cluster=lambda: progress.advance(task),
                               engine=name, workers=workers, scheduler=scheduler)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except (EngineError, RuntimeError) as e:
            _fail(str(e), 1)

    _say_eval_skips(results, bad)
    if as_json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return
    Console().print(_eval_table(results, data, words))


def _say_eval_skips(results: list[EvalResult], bad: int) -> None:
    """What an evaluation left out (exit 1 when no cluster could be evaluated at all)."""
    for r in results:
        if r.skipped:
            _say(f"{r.method}: skipped {len(r.skipped)} cluster(s), e.g. {r.skipped[0]}")
    if bad:
        _say(f"skipped {bad} malformed row(s)")
    if not any(r.clusters for r in results):
        _fail("no cluster could be evaluated", 1)


def _eval_table(results: list[EvalResult], data: Path, words: int | None) -> Table:
    """The scores as a table, one row a method."""
    from rich.table import Table

    length = f"{words} words" if words else "default lengths"
    table = Table(title=f"ROUGE F1 (%) on {data.name}, {length}", title_justify="left")
    for col in ("method", "clusters", "R1", "R2", "RL", "RLsum", "words", "s/cluster"):
        table.add_column(col, justify="left" if col == "method" else "right")
    for r in results:
        d = r.to_dict()
        if not r.clusters:
            table.add_row(r.method, "0", *("—",) * 6)
            continue
        table.add_row(r.method, str(r.clusters), *(f"{d[k]:.2f}" for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")),
                      f"{d['words']:.0f}", f"{d['seconds_per_cluster']:.3f}")
    return table


@app.command()
def batch(
    data: Annotated[Path, typer.Argument(metavar="IN.jsonl[.gz]", help="Clusters, one JSON object a line "
                                         "({\"id\", \"documents\": [...]}, the Multi-News form).")],
    output: Annotated[Path, typer.Argument(metavar="OUT.jsonl", help="Briefings, one JSON a line; appended to, "
                                           "so a re-run resumes where the last one stopped.")],
    engine: Annotated[Engine | None, typer.Option(help=ENGINE_HELP)] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: all cores; with "
                                                "--scheduler: the cluster's).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Address of a running dask scheduler, e.g. "
                                                  "tcp://10.0.0.5:8786 (implies --engine dask).")] = None,
    method: Annotated[str, typer.Option("--method", "-m", help="Summarization method.")] = DEFAULT_METHOD,
    analysis: Annotated[bool, typer.Option("--analysis/--no-analysis", help="Add the cross-source analysis "
                                           "(people, quotes, agreements, ...); about 20x slower.")] = False,
    words: Annotated[int | None, typer.Option(min=1, help="Summary length in words (default: the method's).")]
    = None,
    sentences: Annotated[int | None, typer.Option(min=1, help="Summary length in sentences.")] = None,
    errors: Annotated[Path | None, typer.Option(help="Where failed rows go (default: OUT.errors.jsonl); "
                                                "rewritten by every run.")] = None,
    chunk: Annotated[int, typer.Option(min=1, help="Clusters per task and per durable write.")] = 16,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first K rows.")] = None,
) -> None:
    """Brief every cluster of a JSONL file into OUT, on all cores or a Dask cluster; re-run to resume.

    Exit codes: 0 every row briefed (or already done), 1 some rows failed (see the errors file),
    2 usage error, 130 interrupted (finished work is kept).
    """
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    from .batching import batch as run_batch
    from .batching.run import Status

    _check_methods([method])
    name = _engine_opts(engine, scheduler)
    if not data.is_file():
        _fail(f"{data}: {'is a directory' if data.is_dir() else 'no such file'}", 1)

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f}/s" if speed else "--/s", style="progress.data.speed")

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("clusters"), Rate(),
                  TextColumn("ETA"), TimeRemainingColumn(), TimeElapsedColumn(), console=Console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task(f"{name}: starting", total=None)

        def show(st: Status) -> None:
            notes = [f"{st.already_done} done before"] if st.already_done else []
            notes += [f"{st.failed} failed"] if st.failed else []
            bar.update(task, total=st.todo, completed=st.briefed + st.failed,
                       description=st.phase or "briefing" + (f" ({', '.join(notes)})" if notes else ""))

        try:
            rep = run_batch(data, output, engine=name, workers=workers, scheduler=scheduler, method=method,
                            analysis=analysis, words=words, sentences=sentences,
                            errors=errors, chunk=chunk, limit=limit, progress=show)
        except (ValueError, FileNotFoundError) as e:
            _fail(str(e), 2 if isinstance(e, ValueError) else 1)
        except OSError as e:
            _fail(f"{shown(e.filename or output)}: {e.strerror or e}", 1)

    if rep.truncated_bytes:
        _say(f"resumed: cut a partial last line ({rep.truncated_bytes} bytes) left by an interrupted run")
    if not rep.error or rep.briefed or rep.failed:
        _say(f"{rep.briefed} briefed, {rep.failed} failed, {rep.skipped} already done; {rep.seconds:.1f} s, "
             f"{rep.rate:.1f} clusters/s on {rep.workers} {name} worker(s) -> {output}")
    if rep.failed:
        _say(f"failed rows (line, reason): {rep.errors_path}")
    if rep.error:
        _fail(rep.error, 1)
    if rep.interrupted:
        _say("interrupted: finished work is saved; run the same command again to resume")
        raise typer.Exit(130)
    if rep.failed:
        raise typer.Exit(1)


@app.command()
def train(
    data: Annotated[Path, typer.Option("--data", help="Training clusters with reference summaries (JSONL[.gz]).")],
    out: Annotated[Path, typer.Option("--out", help="Directory for model.txt and meta.json.")],
    valid: Annotated[Path | None, typer.Option(help="Validation clusters, for early stopping.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first K training clusters.")] = None,
    valid_limit: Annotated[int, typer.Option(min=1, help="Validation clusters to use.")] = 1000,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: all cores).")] = None,
    rounds: Annotated[int, typer.Option(min=1, help="Maximum boosting rounds.")] = 600,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Train the sentence ranker on clusters with reference summaries (Multi-News form).

    To make it the default method, train into newsbrief/models/ranker (see README).
    """
    from dataclasses import asdict

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .train import train as run_train

    for p in (data, valid):
        if p is not None and not p.is_file():
            _fail(f"{p}: no such file", 1)
    err = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        tasks: dict[str, int] = {}

        def step(stage: str, advance: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], advance=advance, total=total)

        try:
            rep = run_train(data, out, valid=valid, limit=limit, valid_limit=valid_limit, workers=workers,
                            rounds=rounds, seed=seed, progress=step)
        except ValueError as e:
            _fail(str(e), 1)
    print(json.dumps(asdict(rep), indent=1))


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on. Anything but a loopback address exposes the "
                                           "server to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Worker processes. One briefing runs at a time in each (its models are not "
                            "thread-safe), so N workers brief N stories at once on N cores, each with its own "
                            "copy of the models (about 0.5 GB).")] = 1,
    watch: Annotated[bool, typer.Option("--watch", help="Also poll the followed feeds (`newsbrief feeds`) in the "
                                                         "background, as `newsbrief watch --interval` does.")] = False,
    watch_interval: Annotated[float, typer.Option("--watch-interval", metavar="MIN", min=0.01,
                                                  help="Minutes between two polls with --watch.")] = 15.0,
) -> None:
    """Serve the briefing reader (web page) and the REST API (docs at /docs).

    Limits and the URL-fetch allow-list come from NEWSBRIEF_* environment
    variables (see README, "Web app").
    """
    import ipaddress

    import uvicorn

    from .server import Settings, SettingsError, create_app

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    try:
        interval = watch_interval if watch else None
        settings = Settings.from_env(db=db, watch_interval=interval)
        if loopback and not settings.allowed_hosts:
            settings = Settings.from_env(db=db, allowed_hosts=LOOPBACK_NAMES, watch_interval=interval)
    except SettingsError as e:
        _fail(str(e), 2)
    if settings.watch_interval:
        _check_watch(settings, workers)
    if not loopback:
        _say(f"warning: listening on {host}: anyone who can reach this machine can use the server")
    shown = f"[{host}]" if ":" in host else host
    _say(f"serving on http://{shown}:{port}/ (API docs: /docs); Ctrl-C stops")
    if workers > 1:  # each worker process builds its app from the environment: hand it the settings there
        import os

        os.environ["NEWSBRIEF_DB"] = str(settings.db) if settings.db else os.environ.get("NEWSBRIEF_DB", "")
        os.environ["NEWSBRIEF_ALLOWED_HOSTS"] = ",".join(settings.allowed_hosts)
        target: object = "newsbrief.server.app:create_app"
    else:
        target = create_app(settings)
    try:
        uvicorn.run(target, factory=workers > 1, workers=workers, host=host, port=port, log_level="warning",
                    server_header=False)
    except OSError as e:
        _fail(f"cannot listen on {host}:{port}: {e.strerror or e}", 1)


def _check_watch(settings: Settings, workers: int) -> None:
    """``serve --watch``: one watcher, in one process, with settings that parse."""
    from .stories.watch import WatchSettings

    if workers > 1:
        _fail("--watch runs the feed watcher in one process: use --workers 1, or run `newsbrief watch --interval "
              "MIN` beside the server", 2)
    try:
        WatchSettings.from_env(fetch=settings.fetch_policy)
    except ValueError as e:
        _fail(str(e), 2)
    _say(f"watching the feeds of the store every {settings.watch_interval:g} min (state: /api/health)")


@app.command("methods")
def list_methods() -> None:
    """List the summarization methods; * marks the default."""
    for name in methods.names():
        mod = sys.modules.get(methods.factory(name).__module__)
        para = " ".join(((mod.__doc__ if mod else None) or "").strip().split("\n\n", 1)[0].split())
        doc = re.split(r"(?<=\.)\s+(?=[A-Z])", para, maxsplit=1)[0]  # first sentence ("et al. 2004" is not an end)
        print(f"{'*' if name == DEFAULT_METHOD else ' '} {name:<10} {doc}".rstrip())


def main() -> None:
    """Entry point of the ``newsbrief`` script and ``python -m newsbrief``."""
    from .store import StoreError

    try:
        try:
            app(prog_name="newsbrief")
        finally:
            sys.stdout.flush()  # here, not at exit: a full disk is then one line, not "Exception ignored"
    except BrokenPipeError:  # `newsbrief ... | head`: the reader left, nothing to report
        sys.stderr.close()
        sys.exit(1)
    except StoreError as e:  # any command that opens the story database
        _say(f"error: {e}")
        sys.exit(1)
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO) or e.filename:
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # what is still buffered goes nowhere
        _say(f"error: cannot write the output: {e.strerror or e}; free some space (or write elsewhere) and run "
             "the command again")
        sys.exit(1)
