"""The subsidy claims' reads (a month's, a financial year's) are served by indexes requests declares (store.INDEXES),
as tests/unit/test_inventory_indexes.py checks inventory's: a year is one read of its requisitions, each month an
indexed equality, never a scan of the store."""
from __future__ import annotations

from datetime import datetime, timezone

from services.requests import claims, schemes, store
from shared import store_index
from shared.mongo import connect
from tests.unit.test_inventory_indexes import Recorder, served


def served_by(note: dict) -> bool:
    """Served by an index, or an `$or` whose every branch is (MongoDB then uses an index per branch)."""
    branches = note["filter"].get("$or")
    if branches and set(note["filter"]) == {"$or"}:
        return all(served({**note, "filter": branch}, store.INDEXES) for branch in branches)
    return served(note, store.INDEXES)


def test_a_month_and_a_year_of_claims_read_through_declared_indexes():
    db = connect("mongomock://claims-indexes")["rawbank_test"]
    for name, indexes in store.INDEXES.items():
        db[name].drop()
        db[name].create_indexes(indexes)
    db.schemes.insert_one({"_id": schemes.BOOK, "schemes": {"RMSS": {"code": "RMSS", "valid_from": "2021-04-01"}}})
    db.requisitions.insert_many([{"_id": f"r{n}", "status": "dispatched", "dispatch_month": f"2025-{n % 12 + 1:02d}",
                                  "artisan_id": "A", "pricing": {"lines": []}} for n in range(50)])
    seen: list[dict] = []
    recorded = Recorder(db, seen)
    now = datetime(2026, 12, 6, tzinfo=timezone.utc)
    claims.report(recorded, "RMSS", "2025-05", now)
    claims.year_claims(recorded, "RMSS", "2025-26", now)
    reads = [note for note in seen if note["collection"] == "requisitions"]
    assert len(reads) == 4  # a month: its hand-overs and its returns; a year: the same, once each
    assert all(served_by(note) for note in reads), [note for note in reads if not served_by(note)]
    year = reads[2]["filter"]
    assert store_index.candidates(db.requisitions._target._store, year) is not None  # the embedded store's map too
