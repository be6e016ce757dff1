"""Public availability: which depot has which material (in stock, low or out, never how much), where the
depot is and when it opens, so an artisan knows where to go before a journey. No login.

Read by anyone, often, from phones on slow links: the answer is worked out at most once per
`RAWBANK_PUBLIC_CACHE_SECONDS` per process (one reader works it out, the others are served what
there is meanwhile) and kept ready as JSON bytes (and gzipped) with their ETag, so a request costs
a lookup.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from dataclasses import dataclass

from services.inventory import clock, domain, lot_rules
from services.inventory.store import stock_from
from shared.text import districts_called

STATUS = {domain.OK: "in_stock", domain.LOW: "low", domain.DEPLETED: "out"}
LIMIT_DEPOTS, LIMIT_MATERIALS = 500, 5000
PLACE = ("address", "address_hi", "opening_hours")


def gather(db) -> list[dict]:
    """Every depot with every material and its status there (out where no stock was ever received, or where none of
    it may be handed over)."""
    depots = list(db.depots.find({}, {"outbox": 0}).sort("_id", 1).limit(LIMIT_DEPOTS))
    materials = list(db.materials.find({}, {"name": 1, "name_hi": 1, "category": 1, "unit": 1})
                     .sort("_id", 1).limit(LIMIT_MATERIALS))
    today = clock.today()  # available as the API says it: not reserved, not in a lot on hold or expired (by today)
    levels = {doc["_id"]: STATUS[domain.level_of(lot_rules.as_of(stock_from(doc), today).available,
                                                 doc["reorder_level"])]
              for doc in db.stock.find({}, {"sku": 1, "depot": 1, "on_hand": 1, "reserved": 1, "reorder_level": 1,
                                            "lots": 1})}
    return [{"depot": depot["_id"], "name": depot["name"], "name_hi": depot.get("name_hi"), "district": depot["district"],
             "district_hi": depot.get("district_hi"),
             **{k: depot.get(k) for k in PLACE},
             "materials": [{"sku": m["_id"], "name": m["name"], "name_hi": m["name_hi"], "category": m["category"],
                            "unit": m["unit"], "status": levels.get(domain.stock_id(depot["_id"], m["_id"]), "out")}
                           for m in materials]}
            for depot in depots]


@dataclass(frozen=True)
class Snapshot:
    depots: list
    body: bytes
    gzipped: bytes  # the same, compressed once for the many phones that take gzip
    etag: str
    made: float


class Cache:
    """The last answer, kept for `seconds`; at most one reader works out the next while others get the last."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._snapshot: Snapshot | None = None
        self._working = threading.Lock()

    def get(self, db) -> Snapshot:
        current = self._snapshot
        if current is not None and time.monotonic() - current.made < self.seconds:
            return current
        if not self._working.acquire(blocking=current is None):
            return current  # someone is working out the next one: the last is good enough meanwhile
        try:
            depots = gather(db)
            body = json.dumps(depots, ensure_ascii=False, separators=(",", ":")).encode()
            self._snapshot = Snapshot(depots, body, gzip.compress(body, 6),
                                      '"' + hashlib.sha256(body).hexdigest()[:32] + '"', time.monotonic())
            return self._snapshot
        finally:
            self._working.release()


def filtered(depots: list[dict], *, district: str | None = None, sku: str | None = None) -> list[dict]:
    """The depots of a district (its English name, or its Hindi one as a depot of it gives it), and only one
    material, when asked."""
    found = depots
    if district is not None:
        names = {name.casefold() for name in (district, *districts_called(depots, district))}
        found = [d for d in depots if d["district"].casefold() in names]
    if sku:
        found = [{**d, "materials": [m for m in d["materials"] if m["sku"] == sku]} for d in found]
    return found
