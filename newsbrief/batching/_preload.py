"""What the local engine's forkserver runs before it forks workers, so that
each worker starts with it instead of doing it again: every module a worker
runs, the shipped stem table and, when its compiled form is cached, the
default ranker (never LightGBM: see ``preload_compiled``)."""

from ..summarize.ranker import preload_compiled
from ..text.tokens import load_stems
from . import run  # noqa: F401 - imported for the workers

load_stems()
preload_compiled()
