"""Brief every cluster of a JSONL(.gz) file into a JSONL file of briefings,
on all cores or on a Dask cluster, resumable after any crash.

Choices (see README "Batch runs"):

* A cluster's id is its row's ``id`` as the JSON has it: a string, or an
  integer (12345 and "12345" are two clusters). A row without a usable id
  (null, "", missing, a float...) keeps ``"id": null`` and is named by its
  input line, which every output line carries after the id (``"line": N``):
  no real id can collide with it, and it is stable as long as the input file
  is not edited. Each output line is one briefing (``Briefing.to_dict``,
  compact) with that ``line`` added.
* Output lines come in completion order, not input order: a slow cluster
  never holds up the others. Sort by ``id`` if order matters.
* Resume: ids already in the output are skipped; a partial last line is cut
  (``output.resume``). The errors file is rewritten by every run and lists
  each row the output lacks after that run, with its line and reason; a
  failed row is tried again on the next run.
* Memory: the input is streamed and at most ``window`` chunks of ``chunk``
  clusters are in flight; the set of done ids is kept (a few dozen bytes
  per cluster).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

import orjson

from ..model import LoadError
from ..pipeline import NoArticlesError, brief_articles
from ..sources import ClusterRow, RowError, iter_cluster_rows
from ..summarize import DEFAULT_METHOD, get_method, methods
from .engines import EngineError, get_engine
from .output import ChunkWriter, Key, cluster_key, resume

DEFAULT_CHUNK = 16


@dataclass(frozen=True)
class Job:
    """What every worker does to each cluster (picklable, sent once per chunk)."""

    method: str = DEFAULT_METHOD
    words: int | None = None
    sentences: int | None = None
    analysis: bool = False


@dataclass
class Outcome:
    """One cluster's result: its JSON line, or why it failed."""

    id: str | int | None
    line: int
    json: bytes | None = None  # the output line, UTF-8: written as it comes, never decoded
    reason: str | None = None


@dataclass
class ChunkResult:
    pid: int
    outcomes: list[Outcome]
    model_loads: dict[str, int]


def model_loads() -> dict[str, int]:
    """How many times this process has loaded each model, read from the
    per-process caches themselves (1 each after warm-up, whatever the number
    of clusters)."""
    from ..analysis.nlp import load_nlp
    from ..summarize.ranker import load_model
    from ..text.embed import load_model as load_embed

    return {"ranker": load_model.cache_info().misses, "spacy": load_nlp.cache_info().misses,
            "embed": load_embed.cache_info().misses}


def machine_preparation(method: str) -> Callable[[], None] | None:
    """The one-off work a method wants on this machine before a long run
    (the ranker compiles its trees: about 10 s once per model, nothing
    after), or None. Run in the parent before the workers start, so that
    local workers all find it done (remote dask workers do not: they use
    LightGBM unless the model was compiled on their machine)."""
    if method not in methods:
        return None
    return getattr(methods.factory(method), "prepare_machine", None)


def warm_up(job: Job) -> None:
    """Load the models a job needs, once per worker process (the engines call
    it when a worker starts; the caches keep them for every later cluster)."""
    try:
        get_method(job.method)
        if job.analysis:
            from ..analysis.nlp import load_nlp
            from ..text.embed import embed

            load_nlp()
            embed(["warm up"])
    except Exception:  # noqa: BLE001 - a missing model is reported per cluster, with its reason, not as a dead worker
        pass


def brief_chunk(job: Job, rows: list[ClusterRow]) -> ChunkResult:
    """Runs on a worker: brief each cluster (made from its row here, not in
    the parent); a failure costs only its cluster."""
    out = []
    for row in rows:
        cid, line = row.id, row.line
        try:
            c = row.cluster()
            b = brief_articles(c.articles, method=job.method, words=job.words, sentences=job.sentences, id=cid,
                               analysis=job.analysis)
            out.append(Outcome(cid, line, json=_dumps(_with_line(b.to_dict(), line))))
        except NoArticlesError as e:
            why = "; ".join(sorted({err.reason for err in e.errors}))
            out.append(Outcome(cid, line, reason=f"no usable article ({why})" if why else "no usable article"))
        except Exception as e:  # noqa: BLE001 - one bad cluster must not stop a batch
            out.append(Outcome(cid, line, reason=f"briefing failed: {type(e).__name__}: {e}"))
    return ChunkResult(os.getpid(), out, model_loads())


def _with_line(d: dict, line: int) -> dict:
    """The briefing with its input line right after its id, where resume
    reads both without parsing the rest (``output._ID_PREFIX``)."""
    return {"schema": d["schema"], "id": d["id"], "line": line, **d}


def _dumps(d: dict) -> bytes:
    """One output line: orjson costs a third of json's, same values (UTF-8,
    not ASCII escapes). Kept as bytes from worker to file: a str would be
    decoded here, encoded and decoded again by pickle, and encoded once more
    for the write (~8 KB of mostly non-ASCII text per cluster)."""
    return orjson.dumps(d, option=orjson.OPT_APPEND_NEWLINE)


def _line_of(source: str | None) -> int | None:
    """The input line from a source like ``in.jsonl:12`` or ``in.jsonl:12#0``."""
    m = re.search(r":(\d+)(?:#\d+)?$", source or "")
    return int(m.group(1)) if m else None


@dataclass
class Status:
    """Progress so far, passed to the ``progress`` callback after each chunk."""

    rows_total: int | None = None  # non-blank input lines, once counted (in the background)
    already_done: int = 0  # ids found in the output at start
    skipped: int = 0  # rows read this run whose id was already done
    briefed: int = 0
    failed: int = 0
    phase: str | None = None  # one-off work before briefing starts, when any

    @property
    def todo(self) -> int | None:
        """Rows left to process this run (approximate: duplicate rows count)."""
        return None if self.rows_total is None else max(0, self.rows_total - self.already_done)


@dataclass
class WorkerStats:
    clusters: int = 0
    model_loads: dict[str, int] = field(default_factory=dict)


@dataclass
class BatchReport:
    """What a run did. ``failed`` rows are in ``errors_path``; ``interrupted``
    means Ctrl-C (or an engine failure, see ``error``) stopped it early, with
    everything finished kept in the output."""

    input: str
    output: str
    errors_path: str
    engine: str
    workers: int
    method: str
    analysis: bool
    already_done: int = 0
    skipped: int = 0
    briefed: int = 0
    failed: int = 0
    truncated_bytes: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    error: str | None = None
    worker_stats: dict[int, WorkerStats] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Clusters processed (briefed or failed) per second of this run."""
        return (self.briefed + self.failed) / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rate"] = round(self.rate, 2)
        d["worker_stats"] = {str(k): asdict(v) for k, v in self.worker_stats.items()}
        return d


def default_errors_path(output: Path) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl``; any other name gets ``.errors.jsonl`` appended."""
    name = output.name
    stem = name[: -len(".jsonl")] if name.lower().endswith(".jsonl") else name
    return output.with_name(stem + ".errors.jsonl")


def count_rows(path: Path) -> int:
    """Non-blank lines of a JSONL(.gz) file (for the progress total), reading
    it in blocks without parsing."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    n = 0
    with opener(path, "rb") as fh:
        for raw in fh:
            n += bool(raw.strip())
    return n


def batch(input: str | Path, output: str | Path, *, engine: str | None = None, workers: int | None = None,
          scheduler: str | None = None, method: str = DEFAULT_METHOD, analysis: bool = False,
          words: int | None = None, sentences: int | None = None, errors: str | Path | None = None,
          chunk: int = DEFAULT_CHUNK, window: int | None = None, limit: int | None = None,
          progress: Callable[[Status], None] | None = None) -> BatchReport:
    """Brief every cluster of ``input`` (JSONL or JSONL.gz, Multi-News form)
    into ``output``, one briefing JSON a line, resuming a previous run.

    ``engine`` is ``"local"`` (a process pool of ``workers``, default all
    cores) or ``"dask"`` (a LocalCluster on 127.0.0.1, or the scheduler at
    ``scheduler``); the default is dask when ``scheduler`` is given, else local. Rows that cannot be briefed go to ``errors`` (default
    ``OUT.errors.jsonl``) and the run goes on. Ctrl-C stops it cleanly
    (``report.interrupted``); run again to resume.

    Raises ValueError for bad arguments (unknown method or engine, an output
    that is not a batch output) and FileNotFoundError for a missing input.
    Workers are separate processes: in a script, call this under
    ``if __name__ == "__main__":``, as with any process pool.
    """
    src, out = Path(input), Path(output)
    err_path = _checked_paths(src, out, errors, method, chunk)
    res = resume(out)
    if res.method is not None and res.method != method:
        raise ValueError(f"{out} holds briefings made with method {res.method!r}; resume with --method "
                         f"{res.method} or write to a new file")
    job = Job(method=method, words=words, sentences=sentences, analysis=analysis)
    engine = engine or ("dask" if scheduler else "local")
    eng = get_engine(engine, workers=workers, init=functools.partial(warm_up, job), scheduler=scheduler)
    report = BatchReport(str(src), str(out), str(err_path), engine, eng.workers, method, analysis,
                         already_done=len(res.done), truncated_bytes=res.truncated)
    status = Status(already_done=len(res.done))
    if progress is not None:  # the total is only for the progress display
        threading.Thread(target=_count_into, args=(src, status, limit), daemon=True).start()
    rows = _Rows(src, res.done, status, report, ChunkWriter(out, lazy=True),
                 ChunkWriter(err_path, truncate=True, lazy=True))

    t0 = time.perf_counter()
    prepare = machine_preparation(method)
    try:
        if prepare is not None and not eng.workers_start_on_submit:
            _prepare_machine(prepare, method, status, progress)  # before the workers start, so that they find it done
        with eng:
            if prepare is not None and eng.workers_start_on_submit:
                # while the engine boots; still before any worker starts
                _prepare_machine(prepare, method, status, progress)
            report.workers = eng.workers
            fn = functools.partial(brief_chunk, job)
            for clusters, got in eng.imap_unordered(fn, rows.chunks(chunk, limit), window):
                with _no_interrupt():  # a chunk's lines and its counts go together
                    rows.record(clusters, got)
                if progress:
                    progress(status)
    except KeyboardInterrupt:
        report.interrupted = True
    except EngineError as e:
        report.interrupted, report.error = True, str(e)
    finally:
        rows.close()
        report.seconds = time.perf_counter() - t0
        report.skipped, report.briefed, report.failed = status.skipped, status.briefed, status.failed
    return report


def _checked_paths(src: Path, out: Path, errors: str | Path | None, method: str, chunk: int) -> Path:
    """The errors file's path, once the arguments are known to make a run
    (ValueError or FileNotFoundError otherwise, before anything is written)."""
    if method not in methods:
        raise ValueError(f"unknown method {method!r} (known: {', '.join(methods.names())})")
    if not src.is_file():
        raise FileNotFoundError(f"{src}: {'is a directory' if src.is_dir() else 'no such file'}")
    if out.name.lower().endswith(".gz"):
        raise ValueError(f"{out}: the output is plain JSONL (appended chunk by chunk); compress it after the run")
    if out.exists() and src.resolve() == out.resolve():
        raise ValueError("the output file must not be the input file")
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"{out.parent}: no such directory")
    err_path = Path(errors) if errors is not None else default_errors_path(out)
    if err_path.resolve() in (out.resolve(), src.resolve()):
        raise ValueError("the errors file must differ from the input and the output")
    return err_path


def _prepare_machine(prepare: Callable[[], None], method: str, status: Status,
                     progress: Callable[[Status], None] | None) -> None:
    """Run the method's one-off preparation for this machine, shown as the run's phase meanwhile."""
    status.phase = f"preparing {method} for this machine"
    if progress is not None:
        progress(status)
    prepare()
    status.phase = None


class _Rows:
    """The rows of one run: read into chunks of work, and each row's outcome
    written to the output or the errors file and counted in ``status``."""

    def __init__(self, src: Path, done: set[Key], status: Status, report: BatchReport, writer: ChunkWriter,
                 err_writer: ChunkWriter) -> None:
        self.src, self.done, self.status, self.report = src, done, status, report
        self.writer, self.err_writer = writer, err_writer
        self.seen: dict[Key, int] = {}  # keys read this run -> their line, to refuse duplicate ids

    def fail(self, source_line: int | None, reason: str, cid: str | int | None = None) -> str:
        """The errors-file line of a row the output lacks, counted as failed."""
        self.status.failed += 1
        return json.dumps({"id": cid, "line": source_line, "input": str(self.src), "reason": reason},
                          ensure_ascii=False) + "\n"

    def chunks(self, chunk: int, limit: int | None) -> Iterator[list[ClusterRow]]:
        """The work, streamed; rows that fail before briefing go to the errors file here."""
        buf: list[ClusterRow] = []
        for item in islice(iter_cluster_rows(self.src, articles=False), limit):
            if isinstance(item, ClusterRow):
                line, key = item.line, cluster_key(item.id, item.line)
                if key in self.seen:  # the first row with an id is the cluster, in every run
                    with _no_interrupt():
                        self.err_writer.write([self.fail(line, f"duplicate cluster id (first at line {self.seen[key]})",
                                                         item.id)])
                    continue
                self.seen[key] = line
                if key in self.done:
                    self.status.skipped += 1
                    continue
                buf.append(item)
                if len(buf) >= chunk:
                    yield buf
                    buf = []
            else:
                with _no_interrupt():
                    self.err_writer.write([_row_error(item, self.fail)])
        if buf:
            yield buf

    def record(self, clusters: list[ClusterRow], got: ChunkResult | BaseException) -> None:
        """Write a finished chunk: its briefings to the output, its failures (or the worker's) to the errors file."""
        if isinstance(got, BaseException):
            reason = f"worker failed: {type(got).__name__}: {got}"
            self.err_writer.write([self.fail(c.line, reason, c.id) for c in clusters])
            return
        self.writer.write([o.json for o in got.outcomes if o.json is not None])
        bad = [self.fail(o.line, o.reason or "", o.id) for o in got.outcomes if o.json is None]
        self.err_writer.write(bad)
        self.status.briefed += len(got.outcomes) - len(bad)
        w = self.report.worker_stats.setdefault(got.pid, WorkerStats())
        w.clusters += len(got.outcomes)
        w.model_loads = got.model_loads

    def close(self) -> None:
        self.writer.close()
        self.err_writer.close()


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, so that what is written and what is
    counted agree (only in the main thread, where signals arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda *a: got.append(a))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if got:
            raise KeyboardInterrupt


def _row_error(item: LoadError, fail: Callable[..., str]) -> str:
    """A row that is no cluster, with the row's id when it had one."""
    return fail(_line_of(item.source), item.reason, item.id if isinstance(item, RowError) else None)


def _count_into(src: Path, status: Status, limit: int | None) -> None:
    try:
        n = count_rows(src)
    except (OSError, EOFError, ValueError):  # a damaged file: the reader reports it; no total then
        return
    status.rows_total = min(n, limit) if limit is not None else n
