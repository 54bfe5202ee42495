"""What the local engine's forkserver runs before it forks workers, so that
each worker starts with it instead of doing it again: every module a worker
runs, the shipped stem table and, when its compiled form is cached, the
default ranker (never LightGBM: see ``preload_compiled``)."""

from ..analysis import nlp  # noqa: F401 - what run.model_loads reads after every chunk
from ..summarize.ranker import preload_compiled
from ..text import embed  # noqa: F401 - likewise
from ..text.tokens import load_stems
from . import run  # noqa: F401 - imported for the workers

load_stems()
preload_compiled()
