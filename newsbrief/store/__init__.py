"""The embedded SQLite store of articles and stories (see :mod:`newsbrief.store.db`)."""

from .db import APPLICATION_ID, SCHEMA_VERSION, Hit, Store, StoreError, StoryInfo, content_hash, default_path, open_store

__all__ = ["Store", "StoreError", "StoryInfo", "Hit", "default_path", "open_store", "content_hash", "APPLICATION_ID",
           "SCHEMA_VERSION"]
