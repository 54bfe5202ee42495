"""The one worker thread that runs the models, and the bounded queue in front of it.

A briefing or an ingest is CPU-bound Python and numpy; under the GIL a
second one in parallel adds no throughput, and spaCy's pipeline is not
documented as thread-safe, so they run one at a time on a single thread
(use ``serve --workers N`` for more). What the gate adds:

- a bounded queue: at most ``queue_size`` requests are admitted at once
  (loading their articles, waiting, or computing); the next one is refused
  at once with 503 and ``Retry-After``, so requests never pile up and the
  server's thread pool stays free for reads and health checks;
- a time budget per request, from admission: a request still queued when it
  runs out is dropped (503), one still computing is answered 504. A thread
  cannot be killed, so that computation runs to its end and keeps its queue
  place until then: the bound stays true of the work in progress.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class Refused(Exception):
    """The gate's answer instead of a result: an HTTP status, a one-line
    reason and the seconds after which a retry makes sense."""

    def __init__(self, status: int, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.status, self.detail, self.retry_after = status, detail, retry_after


class Gate:
    """Admission (:meth:`admit`) and the models' thread (:meth:`Ticket.run`)."""

    def __init__(self, size: int, budget: float) -> None:
        self.size, self.budget = size, budget
        self._count = threading.Lock()
        self.busy = 0  # queue places taken: requests admitted, and computations not yet ended
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbrief-models")
        self._mean = 0.0  # smoothed seconds one computation takes: the Retry-After estimate

    def retry_after(self) -> int:
        """Seconds until a queue place is likely free: the queue's work at the recent pace, within the budget."""
        return max(1, min(math.ceil(self.budget), math.ceil(self._mean * self.size)))

    @contextmanager
    def admit(self) -> Iterator[Ticket]:
        """A queue place for one request, or :class:`Refused` (503) when the queue is full."""
        with self._count:
            full = self.busy >= self.size
            if not full:
                self.busy += 1
        if full:
            raise Refused(503, f"the server is busy: {self.size} briefings are queued or running; "
                               "try again later", self.retry_after())
        ticket = Ticket(self)
        try:
            yield ticket
        finally:
            if ticket.future is None:
                self._free()
            else:  # the place is free when the computation ends, not when the request gives up on it
                ticket.future.add_done_callback(lambda _: self._free())

    def _free(self) -> None:
        with self._count:
            self.busy -= 1

    @contextmanager
    def hold(self) -> Iterator[None]:
        """The models' thread kept idle while the caller runs the models on
        its own thread (the feed watcher of ``serve --watch``, whose store
        connection lives there): no briefing runs at the same time."""
        started, done = threading.Event(), threading.Event()
        self._worker.submit(lambda: (started.set(), done.wait()))  # not timed: no briefing's pace
        started.wait()
        try:
            yield
        finally:
            done.set()

    def submit(self, fn: Callable[[], T]) -> Future:
        """``fn()`` on the models' thread, after the computations before it."""
        return self._worker.submit(self._timed, fn)

    def _timed(self, fn: Callable[[], T]) -> T:
        start = time.monotonic()
        try:
            return fn()
        finally:
            took = time.monotonic() - start
            self._mean = took if not self._mean else 0.7 * self._mean + 0.3 * took


class Ticket:
    """One admitted request: its deadline, and at most one computation."""

    def __init__(self, gate: Gate) -> None:
        self.gate = gate
        self.deadline = time.monotonic() + gate.budget
        self.future: Future | None = None

    def run(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the models' thread, waiting at most what is left of the budget."""
        if self.future is not None:
            raise RuntimeError("one computation per ticket")
        self.future = self.gate.submit(fn)
        try:
            return self.future.result(timeout=max(0.0, self.deadline - time.monotonic()))
        except FutureTimeout:
            budget = f"{self.gate.budget:g} s"
            if self.future.cancel():
                raise Refused(503, f"the server is busy: this request waited its whole {budget} budget "
                                   "for the briefings before it; try again later", self.gate.retry_after()) from None
            raise Refused(504, f"the briefing took longer than the {budget} budget: send fewer or shorter "
                               "articles, or ask without the analysis", self.gate.retry_after()) from None
