"""A work function for the engine tests that kills its worker process on
one item, as an out-of-memory kill would (a module of its own, so that the
workers unpickle it without importing a test module)."""

import os


def shout_or_die(item: str) -> str:
    if item == "die":
        os._exit(3)
    return item.upper()
