"""A cooperative's member at the depot's counter: the shares handed over at the depot that are theirs, found by
what the member gives (their name, their member number or the request's number), so that the depot's staff reach
the request's page at requests, where what the member says they received is recorded."""
from __future__ import annotations

import re

from services.inventory import returns
from services.inventory.reservations import ISSUED

MEMBERS = 20  # artisans a name may match
LIMIT = 10  # requests shown at most, newest first


def shares_handed_over(db, depot: str, typed: str) -> list[dict]:
    """[{requisition, artisan_id}] of cooperatives' requisitions handed over at `depot` (their holds issued) whose
    share is a member's the words name (name in English or Hindi, or number), or of the request with this number."""
    words = typed.strip().lstrip("#").strip()
    if not words:
        return []
    said = re.compile(re.escape(words), re.IGNORECASE)
    members = [doc["_id"] for doc in db.artisans.find(
        {"$or": [{"_id": {"$regex": "^" + re.escape(words) + "$", "$options": "i"}},
                 {"name": {"$regex": said}}, {"name_hi": {"$regex": said}}]}, {"_id": 1}).limit(MEMBERS)]
    query = {"depot": depot, "status": ISSUED, "cooperative": {"$nin": [None, ""]},
             "$or": [{"shares.artisan_id": {"$in": members}}, *returns.numbered(words)]}
    found = []
    for doc in db.reservations.find(query, {"_id": 1, "cooperative": 1, "shares": 1, "updated_at": 1})\
            .sort("updated_at", -1).limit(LIMIT):
        theirs = [s["artisan_id"] for s in doc.get("shares") or [] if s["artisan_id"] in members]
        for artisan_id in theirs or [s["artisan_id"] for s in doc.get("shares") or []]:
            found.append({"requisition": doc, "artisan_id": artisan_id})
    return found
