"""Dask pieces that need ``distributed`` at import time, kept apart so the
rest of the batch package imports without it."""

from __future__ import annotations

from collections.abc import Callable

from distributed.diagnostics.plugin import WorkerPlugin


class InitPlugin(WorkerPlugin):
    """Runs ``init`` once when each worker starts (and on workers that join
    later): models load once per worker, not once per task."""

    def __init__(self, init: Callable[[], None]) -> None:
        self.init = init

    def setup(self, worker) -> None:  # noqa: ANN001 - distributed.Worker
        self.init()
