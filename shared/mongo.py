"""MongoDB client factory for mongodb:// and mongomock:// URIs, and index creation."""
from __future__ import annotations

from typing import Iterable

import pymongo
from pymongo import IndexModel


def connect(uri: str):
    """Return a client for the URI; the in-process store is serialised by one lock."""
    if uri.startswith("mongomock://"):
        from shared import embedded_store
        return embedded_store.connect()
    return pymongo.MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000, connect=False)


def sync_writes(db) -> None:
    """Return once every write made so far is on disk: before something leaves the process on the
    strength of it (an event, a message). Only the durable embedded store has anything to wait for."""
    lock = getattr(db, "_lock", None)  # the embedded store's (shared/embedded_store.Locked)
    sync = getattr(getattr(lock, "journal", None), "sync", None)
    if sync is not None:
        sync()


def ping(client) -> None:
    """Raise if the store does not answer."""
    client.admin.command("ping")


def ensure_indexes(db, indexes: dict[str, Iterable[IndexModel]]) -> None:
    """Create the declared indexes of each collection (safe to repeat)."""
    for collection, models in indexes.items():
        models = list(models)
        if models:
            db[collection].create_indexes(models)
