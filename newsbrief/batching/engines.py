"""Engines run one function over a stream of work items on worker processes.

An engine is one class registered here: it starts its workers (running an
``init`` function once in each, which is where models load), submits items,
and waits for any to finish. :meth:`Engine.imap_unordered` does the rest for
every engine: it keeps at most ``window`` items in flight, so a stream larger
than memory is read only as fast as the workers take it.

* ``local``: a process pool on this machine (``concurrent.futures``; workers
  are forked from a fresh "forkserver" process that has imported newsbrief
  once, or spawned where the OS has no forkserver).
* ``dask``: ``dask.distributed``: a LocalCluster bound to 127.0.0.1, or any
  running scheduler (Kubernetes, Slurm, a cloud cluster) by its address; the
  workers there need newsbrief installed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from ..registry import Registry

T = TypeVar("T")

engines: Registry[Engine] = Registry("engine")


def default_workers() -> int:
    """The cores this process may use (its CPU affinity where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class EngineError(RuntimeError):
    """The engine itself failed (workers cannot run, the scheduler went
    away): the run cannot go on, though finished work is kept."""


class WorkerLost(Exception):
    """A worker process died and took the engine's in-flight work with it;
    the engine can start new workers (:meth:`Engine.restart`)."""


# Consecutive items that each killed a worker while running alone: then the
# workers themselves are broken, not the data.
MAX_DEATHS_ALONE = 3


class Engine(ABC):
    """Start with ``with engine:``; ``workers`` is known once started."""

    name = ""
    # Workers start at the first submit, not in start(): one-off work done
    # between the two (compiling the ranker) is seen by every worker.
    workers_start_on_submit = False

    def __init__(self, workers: int | None = None, init: Callable[[], None] | None = None) -> None:
        self.workers = workers or default_workers()
        self.init = init

    def __enter__(self) -> Engine:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def start(self) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Stop the workers; work not finished is dropped."""

    @abstractmethod
    def submit(self, fn: Callable[[T], Any], item: T) -> Any:
        """A future-like handle for ``fn(item)`` on a worker."""

    @abstractmethod
    def wait_any(self, handles: list[Any]) -> list[Any]:
        """Block until at least one handle is finished; return the finished."""

    @abstractmethod
    def outcome(self, handle: Any) -> Any:
        """The result of a finished handle, or the exception it raised
        (returned, not raised). Raises WorkerLost when a worker died with the
        work, EngineError when the engine broke for good."""

    def restart(self) -> None:
        """Replace dead workers after a WorkerLost (engines whose cluster
        does that itself, like dask, never raise WorkerLost)."""
        raise EngineError("a worker process died")

    def imap_unordered(self, fn: Callable[[T], Any], items: Iterable[T],
                       window: int | None = None) -> Iterator[tuple[T, Any]]:
        """``(item, result or exception)`` in completion order, with at most
        ``window`` (default 2 x workers) items submitted and not yet yielded.

        When a worker dies (out of memory, killed), the items then in flight
        are run again one at a time on new workers: an item that kills a
        worker even alone is yielded with an EngineError as its result, and
        the others complete. Several items in a row that each kill a worker
        alone mean the workers cannot run at all: EngineError is raised.
        """
        window = max(1, window or 2 * self.workers)
        it = iter(items)
        pending: dict[Any, T] = {}
        suspects: deque[T] = deque()  # in flight when a worker died: rerun one at a time, to find the culprit
        alone: list[T] = []  # the suspect running by itself, if any
        deaths_alone = 0
        while True:
            try:
                if suspects or alone:
                    if not pending:
                        alone = [suspects.popleft()]
                        pending[self.submit(fn, alone[0])] = alone[0]
                else:
                    for x in islice(it, window - len(pending)):
                        try:
                            pending[self.submit(fn, x)] = x
                        except WorkerLost:
                            suspects.append(x)
                            raise
                if not pending:
                    return
                for h in self.wait_any(list(pending)):
                    got = self.outcome(h)
                    item = pending.pop(h)
                    if alone:
                        alone, deaths_alone = [], 0
                    yield item, got
            except WorkerLost as e:
                lost = list(pending.values())
                pending.clear()
                self.restart()
                if alone:  # it killed its worker with nothing else running
                    culprit, alone = alone[0], []
                    deaths_alone += 1
                    if deaths_alone >= MAX_DEATHS_ALONE:
                        raise EngineError(_BROKEN) from e
                    yield culprit, EngineError("its worker process died while working on it (out of memory?)")
                else:
                    suspects.extend(lost)


def _init_local(init: Callable[[], None] | None, parent_alive: Connection) -> None:
    # Ctrl-C reaches the whole process group; only the parent should act on
    # it (it stops the pool and keeps what is written).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_alive,), name="newsbrief-parent-watch",
                     daemon=True).start()
    if init is not None:
        init()


def _exit_with_parent(parent_alive: Connection) -> None:
    """End this worker as soon as the process that owns the pool is gone,
    however it ended (``kill -9`` included).

    The pipe's only write end is in that process, so this read meets EOF
    exactly when it dies. Without it a worker waits for work forever (every
    worker holds the write ends of the pool's own queues, so they never reach
    EOF) and, holding the forkserver's "alive" pipe, keeps the forkserver up
    too. A pipe rather than ``prctl(PR_SET_PDEATHSIG)``: a worker's parent is
    the forkserver, not the pool's owner, and a pipe works on every OS."""
    with contextlib.suppress(EOFError, OSError):
        parent_alive.recv_bytes()  # nothing is ever sent: returns only at EOF
    os._exit(1)


_BROKEN = (f"worker processes died {MAX_DEATHS_ALONE} times in a row, each on a different item alone: they "
           "cannot run here (out of memory? cannot start?); finished work is saved, run again to resume")


# What the forkserver imports before forking workers: everything a worker runs.
PRELOAD = ["newsbrief.batching._preload", "lleaves"]  # lleaves: LLVM, for the compiled ranker


def _context() -> Any:
    """The multiprocessing context of local workers.

    forkserver where the OS has one: a fresh, single-threaded server process
    imports newsbrief once (about 0.5 s) and
    every worker, and every replacement after a worker dies, is forked from
    it already imported. Spawned workers each import everything again, all at
    once, which doubled the start-up on 2 workers. Not plain fork from the
    caller: it may run threads (the progress bar), and a child forked after
    LightGBM has used its OpenMP pool hangs in its first prediction. Models
    are loaded in each worker (``init``), never in the server, for that reason.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


@engines.register("local")
class LocalEngine(Engine):
    """A pool of ``workers`` processes on this machine."""

    name = "local"
    workers_start_on_submit = True

    def __init__(self, workers: int | None = None, init: Callable[[], None] | None = None,
                 scheduler: str | None = None) -> None:
        if scheduler:
            raise ValueError("a scheduler address needs the dask engine")
        super().__init__(workers, init)
        self.pool = None
        self._alive: tuple[Connection, ...] = ()  # the pipe whose EOF tells the workers that this process is gone

    def start(self) -> None:
        from concurrent.futures import ProcessPoolExecutor

        ctx = _context()
        self._alive = ctx.Pipe(duplex=False)  # (read end, for every worker; write end, only here)
        self.pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_local,
                                        initargs=(self.init, self._alive[0]))
        if ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            # Boot the server now: it imports newsbrief (~0.3 s) while the
            # caller reads its first rows; workers fork from it at the first submit.
            forkserver.ensure_running()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self._close_alive()

    def restart(self) -> None:
        """A broken pool cannot be reused (one dead worker breaks it): a new
        one. Closing the old pool's pipe ends any of its workers still up."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None
        self._close_alive()
        self.start()

    def _close_alive(self) -> None:
        for end in self._alive:
            end.close()
        self._alive = ()

    def submit(self, fn, item):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(fn, item)
        except BrokenProcessPool as e:
            raise WorkerLost(str(e)) from e

    def wait_any(self, handles):
        from concurrent.futures import FIRST_COMPLETED, wait

        return list(wait(handles, return_when=FIRST_COMPLETED).done)

    def outcome(self, handle):
        from concurrent.futures.process import BrokenProcessPool

        exc = handle.exception()
        if isinstance(exc, BrokenProcessPool):
            raise WorkerLost(str(exc)) from exc
        return exc if exc is not None else handle.result()


@engines.register("dask")
class DaskEngine(Engine):
    """``dask.distributed``: a local cluster of ``workers`` single-threaded
    processes bound to 127.0.0.1 (no dashboard, no HTTP server), or the running scheduler at
    ``scheduler`` (then ``workers`` is what that cluster has)."""

    name = "dask"

    def __init__(self, workers: int | None = None, init: Callable[[], None] | None = None,
                 scheduler: str | None = None) -> None:
        super().__init__(workers, init)
        self.scheduler = scheduler
        self.client = None
        self.cluster = None

    def start(self) -> None:
        try:
            from distributed import Client
        except ImportError as e:
            raise EngineError("the dask engine needs dask.distributed: pip install 'newsbrief[batch]'") from e
        from ._dask import InitPlugin, local_cluster

        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="10s")
                self.workers = sum(self.client.nthreads().values()) or 1
            else:
                with _sigint_ignored():  # inherited by the worker processes: Ctrl-C is the parent's to handle
                    self.cluster = local_cluster(self.workers, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except OSError as e:  # distributed raises OSError subclasses for unreachable schedulers
            self.close()
            raise EngineError(f"cannot reach the dask scheduler {self.scheduler}: {e}") from e
        if self.init is not None:
            self.client.register_plugin(InitPlugin(self.init), name="newsbrief-init")

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def submit(self, fn, item):
        return self.client.submit(fn, item, pure=False)

    def wait_any(self, handles):
        from distributed import wait

        return list(wait(handles, return_when="FIRST_COMPLETED").done)

    def outcome(self, handle):
        try:
            if handle.status == "error":
                return handle.exception()
            if handle.status == "cancelled":
                return EngineError("task cancelled (the scheduler restarted or lost it)")
            return handle.result()
        finally:
            handle.release()


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while child processes start (an ignored signal stays
    ignored across exec, and Python then installs no KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def get_engine(name: str, **kwargs: Any) -> Engine:
    """An engine by name; ValueError (one line, the known names) when unknown."""
    try:
        return engines.get(name, **kwargs)
    except KeyError as e:
        raise ValueError(e.args[0]) from None
