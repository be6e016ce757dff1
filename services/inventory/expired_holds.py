"""Holds a lot's expiry uncovered: the requisitions held last give theirs back and wait again.

Holds are per requisition and material, not per lot, so a hold whose lot expires is still covered
while the material's other usable lots cover every hold (the dispatch takes them). When they do not
(available below zero), the requisitions that came last give way, one at a time, until the rest are covered.
Who came last is the order of approval: the depot's place numbers (`waitlist.place_again`), the same order
the waitlist keeps, never the time a worker wrote (two holds in one millisecond, or workers whose clocks
differ, would otherwise decide it by chance).
"""
from __future__ import annotations

from services.inventory import waitlist
from services.inventory.reservations import HANDING_OVER, HELD

SWEEP_BATCH = 100


def give_way(db, reservations, batch: int = SWEEP_BATCH) -> int:
    """One look: finish what a crash left half done, then uncover no stock; how many requisitions gave way."""
    moved = 0
    for doc in db.reservations.find({"status": HELD, "giving_way": True}, {"_id": 1}).limit(batch):
        reservations.give_way(doc["_id"])
        moved += 1
    for doc in db.stock.find({"available": {"$lt": 0}}, {"_id": 1}).limit(batch):
        moved += _cover(db, reservations, doc["_id"])
    return moved


def _cover(db, reservations, key: str) -> int:
    moved = 0
    while True:
        doc = db.stock.find_one({"_id": key}, {"available": 1, "holds": 1})
        if doc["available"] >= 0 or not doc.get("holds"):
            return moved
        held = list(db.reservations.find({"_id": {"$in": list(doc["holds"])}, "status": HELD,
                                          HANDING_OVER: {"$ne": True}}, {"queue_seq": 1, "ticket": 1, "updated_at": 1}))
        if not held:  # holds of requisitions on their way elsewhere (or out: handed over part way, whose
            # replay issues the rest from the expired lot): their own worker settles them
            return moved
        reservations.give_way(max(held, key=_came)["_id"])
        moved += 1


def _came(doc: dict) -> tuple:
    """A held requisition's turn: its place, then (for ones held before holds took a place, who sort first, as
    the oldest) the time it was written, then its id, so that no two are ever equal."""
    return waitlist.place_again(doc) or 0, doc["updated_at"], doc["_id"]

