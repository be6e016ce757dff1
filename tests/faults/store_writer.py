"""A process that writes to a durable store, for tests that kill it or fill its disk.

    python -m tests.faults.store_writer write STORE   # writes until killed; prints "<step> <log size>" per synced step
    python -m tests.faults.store_writer fill STORE    # writes until the disk is full, restarts; prints a JSON verdict
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
    n, done, failure = 0, -1, None
    while failure is None:
        try:
            step(db, n)
            store.sync()  # on disk now: only now is the step done
            done, n = n, n + 1
        except StoreWriteError as exc:
            failure = str(exc)
    in_memory = _contents(db)
    try:
        step(db, n)
        refused_after = False
    except StoreWriteError:
        refused_after = True
    store.client.close()
    store.close()
    ballast.unlink()  # space again: a restart takes writes again
    reloaded = DurableStore(path)
    rdb = reloaded.client.rawbank_test
    on_disk = _contents(rdb)
    total = rdb.totals.find_one({"_id": "total"})
    step(rdb, total["last"] + 1)
    reloaded.sync()
    print(json.dumps({"steps": done + 1, "failure": failure, "memory_is_disk": in_memory == on_disk,
                      "done_kept": total["last"] >= done and all(f"doc-{k}" in on_disk["docs"] for k in range(done + 1)),
                      "consistent": total["count"] == total["last"] + 1 and total["last"] <= done + 1, "refused_after": refused_after,
                      "written_after": rdb.docs.find_one({"_id": f"doc-{total['last'] + 1}"}) is not None}))
    reloaded.close()


def _contents(db) -> dict:
    return {"docs": {d["_id"]: d for d in db.docs.find()}, "total": db.totals.find_one({"_id": "total"})}


if __name__ == "__main__":
    {"write": write, "fill": fill}[sys.argv[1]](Path(sys.argv[2]))
