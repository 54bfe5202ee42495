"""What the local engine's forkserver runs before it forks workers, so that
each worker starts with it instead of doing it again: every module a worker
runs, the shipped stem table and, when its compiled form is cached, the
default ranker (never LightGBM: see ``preload_compiled``).

Workers wait for all of it, so it is the serial part of a batch's start-up.
Loading the compiled ranker is mostly LLVM linking the object file (~70 ms),
which runs without the GIL: a thread does it while the stem table is read
and the rest of newsbrief imported. The thread is joined before the server
forks anything."""

import gc
import threading

from ..summarize.ranker import preload_compiled

_ranker = threading.Thread(target=preload_compiled, name="newsbrief-preload-ranker")
_ranker.start()

from ..analysis import nlp  # noqa: E402, F401 - what run.model_loads reads after every chunk
from ..text import embed  # noqa: E402, F401 - likewise
from ..text.tokens import load_stems  # noqa: E402
from . import run  # noqa: E402, F401 - imported for the workers

load_stems()
_ranker.join()

# What is loaded now lives as long as every worker: keep the workers' garbage
# collections off it (they would touch every page of it, un-sharing the
# memory that fork shares copy-on-write). gc.freeze's documented use.
gc.freeze()
