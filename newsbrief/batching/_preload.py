"""What the local engine's forkserver imports before it forks workers:
everything a worker runs, and the shipped stem table (read once there, each
worker starts with it instead of reading or computing it again)."""

from ..text.tokens import load_stems
from . import run  # noqa: F401 - imported for the workers

load_stems()
