"""The embedded SQLite store of articles and stories (see :mod:`newsbrief.store.db`)."""

from .db import (APPLICATION_ID, MAX_ID, SCHEMA_VERSION, Diagnosis, FeatureRow, FeedInfo, Headline, Hit, Store, StoreError,
                 StoryInfo, StoryMerge, StoryVersion, content_hash, default_path, diagnose, open_store, store_error)

__all__ = ["Store", "StoreError", "StoryInfo", "StoryMerge", "StoryVersion", "Headline", "Hit", "FeatureRow", "FeedInfo", "Diagnosis", "default_path",
           "diagnose", "open_store", "store_error", "content_hash", "APPLICATION_ID", "SCHEMA_VERSION", "MAX_ID"]
