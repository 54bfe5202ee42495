"""The ``newsbrief`` command: a thin layer over the library.

Conventions, so that scripts can rely on them: results go to stdout (or
``-o FILE``), diagnostics to stderr as one line each, prefixed ``newsbrief:``;
no traceback for an expected failure. Exit codes: 0 a result was produced,
1 nothing usable (or an unreadable input), 2 a usage error.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from enum import Enum
from itertools import islice
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .model import Article, Cluster, LoadError
from .files import write_atomic
from .pipeline import NoArticlesError, brief_articles, load, select_story
from .summarize import DEFAULT_METHOD, methods

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


@app.command()
def brief(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", help="Article files (.txt, .md, .html), directories, JSONL(.gz) files, or - for stdin.")],
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
) -> None:
    """Brief one story told by several articles: a summary whose every sentence cites its source."""
    from .render import render, to_terminal

    _check_methods([method])
    got = load(*paths)
    try:
        articles, cid = select_story(got, cluster)
    except ValueError as e:
        _fail(str(e), 2)
    try:
        b = brief_articles(articles, method=method, words=None if sentences else words, sentences=sentences,
                           id=cid, errors=got.errors, analysis=analysis)
    except NoArticlesError as e:
        for err in e.errors:
            _say(f"skipped {err.source}: {err.reason}")
        _fail("no usable article", 1)
    for err in b.errors:
        _say(f"skipped {err.source}: {err.reason}")

    if output is not None:
        try:
            write_atomic(output, render(b, format.value))
        except OSError as e:
            _fail(f"cannot write {output}: {e.strerror or e}", 1)
    elif format is Format.text:
        from rich.console import Console

        to_terminal(b, Console())
    else:
        sys.stdout.write(render(b, format.value))


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
) -> None:
    """ROUGE (F1, %) of summarization methods against reference summaries."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .eval import evaluate
    from .sources import iter_clusters

    names = list(dict.fromkeys(method or [DEFAULT_METHOD]))
    _check_methods(names)
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
        results = evaluate(clusters(progress, task), names, words=words, on_cluster=lambda: progress.advance(task))

    for r in results:
        if r.skipped:
            _say(f"{r.method}: skipped {len(r.skipped)} cluster(s), e.g. {r.skipped[0]}")
    if bad:
        _say(f"skipped {bad} malformed row(s)")
    if not any(r.clusters for r in results):
        _fail("no cluster could be evaluated", 1)

    if as_json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return
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
    Console().print(table)


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
    db: Annotated[Path | None, typer.Option(
        help="Store of articles and stories. Default: $NEWSBRIEF_DB, else ~/.local/share/newsbrief/newsbrief.db.")]
    = None,
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
        settings = Settings.from_env(db=db)
        if loopback and not settings.allowed_hosts:
            settings = Settings.from_env(db=db, allowed_hosts=LOOPBACK_NAMES)
    except SettingsError as e:
        _fail(str(e), 2)
    if not loopback:
        _say(f"warning: listening on {host}: anyone who can reach this machine can use the server")
    shown = f"[{host}]" if ":" in host else host
    _say(f"serving on http://{shown}:{port}/ (API docs: /docs); Ctrl-C stops")
    try:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", server_header=False)
    except OSError as e:
        _fail(f"cannot listen on {host}:{port}: {e.strerror or e}", 1)


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
    try:
        app(prog_name="newsbrief")
    except BrokenPipeError:  # `newsbrief ... | head`: the reader left, nothing to report
        sys.stderr.close()
        sys.exit(1)
