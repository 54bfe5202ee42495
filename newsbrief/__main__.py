"""``python -m newsbrief``: the same as the ``newsbrief`` script."""

from .cli import main

main()
