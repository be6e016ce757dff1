"""A process that writes to a durable store, for tests that kill it or fill its disk.

    python -m tests.faults.store_writer write STORE   # writes until killed; prints "<step> <log size>" per synced step
    python -m tests.faults.store_writer fill STORE    # writes until the disk is full; prints a JSON verdict
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from shared.durable_store import DurableStore, StoreWriteError


def step(db, n: int) -> None:
    """Two store calls: a new document, and a running total over every step."""
    db.docs.replace_one({"_id": f"doc-{n}"}, {"n": n, "pad": "x" * (n * 37 % 900)}, upsert=True)
    db.totals.update_one({"_id": "total"}, {"$inc": {"count": 1}, "$set": {"last": n}}, upsert=True)


def write(path: Path) -> None:
    store = DurableStore(path)
    db = store.client.rawbank_test
    total = db.totals.find_one({"_id": "total"}) or {"last": -1}
    wal = path.with_name(path.name + "-wal")
    n = total["last"] + 1
    while True:
        step(db, n)
        store.sync()  # on disk now: only now is the step reported done
        print(n, os.stat(wal).st_size, flush=True)
        n += 1


def fill(path: Path) -> None:
    ballast = path.with_name("ballast")
    ballast.write_bytes(b"\0" * 256 * 1024)
    store = DurableStore(path)
    db = store.client.rawbank_test
    n, failure = 0, None
    while failure is None:
        before = {"docs": db.docs.count_documents({}), "total": db.totals.find_one({"_id": "total"})}
        try:
            step(db, n)
            n += 1
        except StoreWriteError as exc:
            failure = str(exc)
            after = {"docs": db.docs.count_documents({}), "total": db.totals.find_one({"_id": "total"})}
    ballast.unlink()  # space again: the store takes writes again
    step(db, n)
    kept = {d["_id"]: d for d in db.docs.find()}
    store.client.close()
    store.close()
    reloaded = DurableStore(path)
    print(json.dumps({"steps": n, "failure": failure, "unchanged": before == after or _half(before, after),
                      "reloaded_equal": {d["_id"]: d for d in reloaded.client.rawbank_test.docs.find()} == kept,
                      "written_after": reloaded.client.rawbank_test.docs.find_one({"_id": f"doc-{n}"}) is not None}))
    reloaded.close()


def _half(before: dict, after: dict) -> bool:
    """A step is two calls: the disk may fill between them, leaving the first call's document only."""
    return after["docs"] == before["docs"] + 1 and after["total"] == before["total"]


if __name__ == "__main__":
    {"write": write, "fill": fill}[sys.argv[1]](Path(sys.argv[2]))
