"""Backfills a service runs at start (its spec's `at_start`), each marked done in the store once a whole pass has
run, so that later starts (every app and worker process, every gunicorn worker) skip its scan, which no index
serves.

The mark is written only after the pass: a process killed during one leaves no mark and the next start runs it
again. Each fill stays conditional, so two processes starting together, or a pass run twice, fill each field once.
Read by `_id` only: no index of its own. A restored backup brings its own marks with the documents they speak of.
"""
from __future__ import annotations

from typing import Callable

from pymongo.errors import DuplicateKeyError

from shared.envelope import utcnow_iso

COLLECTION = "backfills"


def once(db, name: str, fill: Callable[[], int]) -> int:
    """Run `fill` (how many it filled) unless the backfill `name` is marked done; mark it done once it has run."""
    if db[COLLECTION].find_one({"_id": name}, {"_id": 1}) is not None:
        return 0
    filled = fill()
    try:
        db[COLLECTION].update_one({"_id": name}, {"$setOnInsert": {"done_at": utcnow_iso()}}, upsert=True)
    except DuplicateKeyError:  # another process marked it at the same moment
        pass
    return filled
