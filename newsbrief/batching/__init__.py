"""Corpus-scale batch runs: brief every cluster of a JSONL(.gz) file on all
cores or on a Dask cluster, resumable after a crash (``newsbrief batch``).

``run`` holds the library function, ``engines`` the registry of engines
(``local``, ``dask``; a new one is one class), ``output`` the crash-safe
chunked writer and the resume reader.
"""

from .engines import Engine, EngineError, engines, get_engine
from .run import BatchReport, Status, batch

__all__ = ["batch", "BatchReport", "Status", "Engine", "EngineError", "engines", "get_engine"]
