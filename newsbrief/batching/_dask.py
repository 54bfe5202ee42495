"""Dask pieces that need ``distributed`` at import time, kept apart so the
rest of the batch package imports without it."""

from __future__ import annotations

from collections.abc import Callable

from distributed import Nanny, Scheduler, SpecCluster, Worker
from distributed.diagnostics.plugin import WorkerPlugin


class InitPlugin(WorkerPlugin):
    """Runs ``init`` once when each worker starts (and on workers that join
    later): models load once per worker, not once per task."""

    def __init__(self, init: Callable[[], None]) -> None:
        self.init = init

    def setup(self, worker) -> None:  # noqa: ANN001 - distributed.Worker
        self.init()


class _NoHttp:
    """A mixin for distributed's Scheduler and Worker: no HTTP server at all.
    ``dashboard_address=None`` only leaves out the dashboard's pages: the
    scheduler still answers /health, /info and /json on 127.0.0.1:8787 (task
    and worker details) and each worker /metrics on a random port, and
    distributed has no setting to turn that server off."""

    def start_http_server(self, routes, dashboard_address, default_port=0, ssl_options=None) -> None:  # noqa: ANN001
        """Start nothing (see the class)."""


class QuietScheduler(_NoHttp, Scheduler):
    """A Scheduler without HTTP server."""


class QuietWorker(_NoHttp, Worker):
    """A Worker without HTTP server (it runs in the Nanny's process, so it is imported there by name)."""


def local_cluster(workers: int, silence_logs: int) -> SpecCluster:
    """What ``LocalCluster(n_workers=workers, threads_per_worker=1,
    host="127.0.0.1", dashboard_address=None)`` starts (a scheduler and
    ``workers`` single-threaded worker processes, each with its share of the
    memory), without the HTTP servers that LocalCluster cannot leave out."""
    worker = {"cls": Nanny, "options": {
        "host": "127.0.0.1", "nthreads": 1, "worker_class": QuietWorker, "dashboard": False,
        "memory_limit": 1 / workers, "silence_logs": silence_logs}}
    return SpecCluster(
        scheduler={"cls": QuietScheduler, "options": {"host": "127.0.0.1", "dashboard": False,
                                                      "dashboard_address": None}},
        workers={i: worker for i in range(workers)}, worker=worker, silence_logs=silence_logs)
