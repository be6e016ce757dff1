"""Holds for approved requisitions: every line held or none, waitlisted in order when short.

A requisition has one document in `reservations` (its status, lines, progress, waitlist place
and outbox). Holds live on stock documents as `holds.<requisition_id>`; each line is one
conditional write that is a no-op when the hold is already there, so resuming after a crash
never holds twice. A worker moves a requisition only under its lease (lease.py).
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from services.inventory import domain, ledger, lot_rules, waitlist
from services.inventory.errors import InvalidRequisition, StockBusy
from services.inventory.lease import leased, utcnow
from services.inventory.stock_writes import SOURCE, write_stock
from shared.envelope import new_event

log = logging.getLogger(__name__)

RESERVING, HELD, WAITLISTED, FAILED = "reserving", "held", "waitlisted", "failed"
RELEASED, CANCELLED, ISSUED = "released", "cancelled", "issued"
ACTOR = "inventory"
LOT_EXPIRED = "lot_expired"  # StockWaitlisted's reason when a held requisition gave way
#: (status, lost_hold, giving_way) of a requisition that gave its holds back (or some, then died) to a lot's expiry
HANDED_OVER_UNHELD = {(WAITLISTED, True, False), (HELD, True, True)}
HANDING_OVER = "handing_over"  # set by a dispatch before its first issue: what a lot's expiry leaves alone
#: what a dispatch's dead letter says when usable and expired lots no longer hold what was handed over
_TOO_LITTLE = ("the books hold too little of it outside lots on hold; count the stock, or release the lot it was "
               "handed over from, then replay this dead letter")


def check_id(requisition_id: str) -> str:
    if "." in requisition_id or requisition_id.startswith("$") or "\x00" in requisition_id:
        raise InvalidRequisition(f"requisition id {requisition_id!r} may not contain '.', '$' or NUL")
    return requisition_id


def _shares(req: dict) -> list[dict]:
    """Each member's share of a cooperative's requisition: who gets how much of what."""
    return [{"artisan_id": share["artisan_id"], "lines": [{"sku": line["sku"], "quantity": line["quantity"]}
                                                          for line in share["lines"]]}
            for share in req.get("shares") or []]


def _expired_lots_issued(before, after, rid: str, correlation_id) -> list:
    """ExpiredLotIssued for each expired lot an issue took from (in the issue's own write): admins are told."""
    left = {lot.code: lot.on_hand for lot in after.lots or ()}
    return [new_event("ExpiredLotIssued", domain.stock_id(after.depot, after.sku), {
        "sku": after.sku, "depot": after.depot, "lot": lot.code, "expires_on": lot.expires_on,
        "quantity": lot.on_hand - left.get(lot.code, 0), "requisition_id": rid},
        source=SOURCE, correlation_id=correlation_id)
        for lot in before.lots or () if lot.status == lot_rules.EXPIRED and left.get(lot.code, 0) < lot.on_hand]


class Reservations:
    """Applies RequisitionApproved / Cancelled / Dispatched and retries the waitlist."""

    def __init__(self, db, *, owner: str | None = None, lease_seconds: float = 10.0,
                 wait_seconds: float = 3.0, after_line=None):
        self.db = db
        self.owner = owner or f"inventory-{uuid.uuid4().hex[:12]}"
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds
        self.after_line = after_line  # (requisition_id, sku) -> None; a fault-injection point for tests

    def _lease(self, rid: str, wait: bool = True, *, outlast: bool = False):
        """Each call is its own lease holder, so two threads of one process exclude each other too.

        `outlast`: wait until a lease taken just before would have run out, so a worker that died holding it
        is taken over rather than passed by (the waitlist's walk: nothing else comes back to a waiting one)."""
        wait_for = self.lease_seconds + self.wait_seconds if outlast else self.wait_seconds if wait else 0
        return leased(self.db, rid, f"{self.owner}-{uuid.uuid4().hex[:8]}", self.lease_seconds, wait=wait_for)

    def _record(self, req: dict, status: str) -> bool:
        """Store a new requisition document; False if one is already there."""
        lines = [{"sku": sku, "quantity": q} for sku, q in domain.merge_lines(req["lines"])]
        try:
            self.db.reservations.insert_one({
                "_id": req["requisition_id"], "depot": req["depot"], "artisan_id": req.get("artisan_id"),
                "cooperative": req.get("cooperative"), "shares": _shares(req),  # for the hand-over slip
                "lines": lines, "status": status, "held": [], "by": req.get("by") or ACTOR,
                "by_person": req.get("by_person"),  # who `by` is in words, for the hand-over page and slip
                "created_at": utcnow(), "updated_at": utcnow(), "outbox": []})
        except DuplicateKeyError:
            return False
        return True

    def approve(self, req: dict, correlation_id: str | None = None) -> str | None:
        """Hold every line or waitlist the requisition; a repeat changes nothing."""
        check_id(req["requisition_id"])
        self._record(req, RESERVING)
        return self.drive(req["requisition_id"], correlation_id)

    def drive(self, rid: str, correlation_id=None, *, from_waitlist: bool = False) -> str | None:
        """Take a reserving (or, from the waitlist, a waitlisted) requisition to held or waitlisted."""
        with self._lease(rid, outlast=from_waitlist) as doc:
            if doc is None or doc["status"] not in (RESERVING, WAITLISTED):
                return doc and doc["status"]
            if doc["status"] == WAITLISTED and not from_waitlist:
                return WAITLISTED
            problem = self._unknown(doc)
            if problem:
                self._release_all(doc, correlation_id)
                return self._finish(doc, FAILED, "StockReservationFailed", correlation_id, reason=problem)
            if doc.get("queue_seq") is None and waitlist.queue_ahead(self.db, doc):
                if doc.get("held"):  # a worker died holding some lines, and others began waiting meanwhile
                    self._release_all(doc, correlation_id)
                return self._waitlist(doc, correlation_id)
            try:
                for line in doc["lines"]:
                    self._hold(doc, line, correlation_id)
            except domain.InsufficientStock:
                self._release_all(doc, correlation_id)
                return self._waitlist(doc, correlation_id)
            place = {} if doc.get("queue_seq") else {"ticket": waitlist.ticket(self.db, doc["depot"])}
            return self._finish(doc, HELD, "StockReserved", correlation_id, waitlisted_at=None, **place)

    def cancel(self, req: dict, correlation_id: str | None = None) -> str | None:
        """Release whatever is held; a cancel that comes first leaves a tombstone."""
        rid = check_id(req["requisition_id"])
        if self._record(req, CANCELLED):
            return CANCELLED
        with self._lease(rid) as doc:
            if doc["status"] not in (RESERVING, HELD, WAITLISTED):
                return doc["status"]
            self._release_all(doc, correlation_id, by=req.get("by"))
            return self._finish(doc, RELEASED, "StockReleased", correlation_id)

    def dispatch(self, req: dict, correlation_id: str | None = None) -> str:
        """Turn the holds into issues: on hand falls by what was held (see `issue` for a lot expired under it)."""
        rid = check_id(req["requisition_id"])
        if self.drive(rid, correlation_id) is None:
            raise InvalidRequisition(f"requisition {rid} was never approved here")
        with self._lease(rid) as doc:
            if doc["status"] == ISSUED:
                return ISSUED
            if (doc["status"], bool(doc.get("lost_hold")), bool(doc.get("giving_way"))) in HANDED_OVER_UNHELD:
                self._hold_handed_over(doc, correlation_id)  # its holds were given back, or some of them
            elif doc["status"] != HELD:
                raise InvalidRequisition(f"requisition {rid} is {doc['status']}, not held")
            self._handing_over(doc)
            for line in doc["lines"]:
                try:
                    self._change(doc, line["sku"], "issue", lambda s: domain.issue(s, rid), correlation_id,
                                 by=req.get("by"), events=_expired_lots_issued)
                except domain.InsufficientStock:  # e.g. the expired lot under the hold written off before the
                    # watch looked: a dead letter for people, where a retry would hold up the partition for ever
                    raise InvalidRequisition(f"requisition {rid}: {line['sku']} was handed over, and {_TOO_LITTLE}"
                                             ) from None
            return self._finish(doc, ISSUED, "StockIssued", correlation_id)

    def _handing_over(self, doc) -> None:
        """Note that the hand-over began before its first issue: a worker that dies between two lines leaves a
        requisition some of whose lines have left the depot, which a lot's expiry must not send back to the
        waitlist (its replay would hold and issue those lines again); the replay issues the rest."""
        if doc.get(HANDING_OVER):
            return
        self._update_mine(doc, {"$set": {HANDING_OVER: True}})

    def _hold_handed_over(self, doc, correlation_id) -> None:
        """A dispatch that crossed the return to the waitlist (or a crash part way there): requests had said
        reserved, so the material left. Hold it again (what is on hand, expired or not), then it is issued as
        any held requisition."""
        rid, was_waiting = doc["_id"], doc["status"] == WAITLISTED
        for line in doc["lines"]:
            self._holding(doc, line["sku"])
            try:
                self._change(doc, line["sku"], "reservation",
                             lambda s, q=line["quantity"]: domain.hold_handed_over(s, rid, q), correlation_id)
            except domain.InsufficientStock:
                if was_waiting:  # no requisition waits holding stock: the lines before this one give theirs
                    self._release_all(doc, correlation_id)  # back, and it waits at its place (one giving way
                    self._update_mine(doc, {"$set": {"held": []}})  # when a worker died: the watch finishes it)
                raise InvalidRequisition(f"requisition {rid}: {line['sku']} was dispatched after it went back to "
                                         f"the waitlist, and {_TOO_LITTLE}") from None
        self._update_mine(doc, {
            "$set": {"status": HELD, "held": [line["sku"] for line in doc["lines"]], "updated_at": utcnow()},
            "$unset": {"giving_way": ""}})
        if was_waiting:
            waitlist.leave(self.db, doc["depot"])
        doc["status"] = HELD

    def give_way(self, rid: str, correlation_id: str | None = None) -> str | None:
        """A held requisition whose holds a lot's expiry uncovered gives them back and waits again (StockWaitlisted,
        reason lot_expired) in the place it first waited in, or its approval's (`waitlist.place_again`): ahead of
        those approved after it. A crash part way is finished by the next call, in the same place."""
        with self._lease(rid) as doc:
            if doc is None or doc["status"] != HELD or doc.get(HANDING_OVER):  # one being handed over stays
                return doc and doc["status"]
            if not doc.get("giving_way"):  # progress: the watch finishes it after a crash
                self._update_mine(doc, {"$set": {"giving_way": True, "lost_hold": True}}, quiet=True)
            self._release_all(doc, correlation_id)
            seq = waitlist.join(self.db, doc["depot"], waitlist.place_again(doc))
            return self._finish(doc, WAITLISTED, "StockWaitlisted", correlation_id, queue_seq=seq,
                                position=waitlist.position(self.db, doc["depot"], seq), waitlisted_at=utcnow(),
                                reason=LOT_EXPIRED, unset=("giving_way",))

    def _unknown(self, doc) -> str | None:
        if not doc["lines"]:
            return "no_lines"
        if self.db.depots.find_one({"_id": doc["depot"]}, {"_id": 1}) is None:
            return f"unknown_depot: {doc['depot']}"[:200]
        for line in doc["lines"]:
            if self.db.materials.find_one({"_id": line["sku"]}, {"_id": 1}) is None:
                return f"unknown_material: {line['sku']}"[:200]
        return None

    def _still_mine(self, doc) -> None:
        """Renew the lease before each try of a stock write, or stop: a worker that stalled past its lease, or
        whose write kept losing to others' for longer, must not hold, release or issue after another took the
        requisition over (a late hold would never be released)."""
        self._update_mine(doc, {"$set": {"lease.until": utcnow() + timedelta(seconds=self.lease_seconds)}})

    def _update_mine(self, doc, update: dict, *, quiet: bool = False) -> None:
        """Write to the requisition while this worker holds its lease, or stop (StockBusy): another took it over.
        `quiet`: a write the next stock write's renewal (`_still_mine`) checks anyway."""
        if not self.db.reservations.update_one({"_id": doc["_id"], "lease.owner": doc["lease"]["owner"]},
                                               update).matched_count and not quiet:
            raise StockBusy(reason=f"lost the lease on requisition {doc['_id']}")

    def _change(self, doc, sku: str, kind: str, change, correlation_id, by: str | None = None,
                events=None) -> None:
        rid, by = doc["_id"], by or doc.get("by") or ACTOR

        def mine_then(stock):  # each try of the write, however long other writers keep winning, renews the lease
            self._still_mine(doc)
            return change(stock)

        def record(before, after):
            kept = {"lot_labels": ledger.labels(before, after) or None} if kind == "issue" else {}  # returns.py
            return [ledger.entry(kind, ledger.new_movement_id(), before, after, by=by, requisition_id=rid, **kept)], \
                events(before, after, rid, correlation_id) if events else []

        write_stock(self.db, sku, doc["depot"], mine_then, record, requisition_id=rid,
                    correlation_id=correlation_id)

    def _holding(self, doc, sku: str) -> None:
        """Note a line as held before its stock write: a worker that dies between the two leaves `held` naming
        every line that may hold (the walk takes such a turn again; a release of a line never held is nothing)."""
        self._update_mine(doc, {"$addToSet": {"held": sku}}, quiet=True)

    def _hold(self, doc, line, correlation_id) -> None:
        rid, sku = doc["_id"], line["sku"]
        self._holding(doc, sku)
        self._change(doc, sku, "reservation", lambda s: domain.hold(s, rid, line["quantity"]), correlation_id)
        if self.after_line is not None:
            self.after_line(rid, sku)

    def _release_all(self, doc, correlation_id, by: str | None = None) -> None:
        rid = doc["_id"]
        for line in doc["lines"]:
            if self.db.materials.find_one({"_id": line["sku"]}, {"_id": 1}) is not None:
                self._change(doc, line["sku"], "release", lambda s: domain.release(s, rid), correlation_id,
                             by=by)

    def _waitlist(self, doc, correlation_id) -> str:
        if doc["status"] == WAITLISTED:  # a retry that found too little: keep the place, say nothing
            return self._finish(doc, WAITLISTED, None, correlation_id)
        seq = doc.get("queue_seq") or waitlist.join(self.db, doc["depot"])
        position = waitlist.position(self.db, doc["depot"], seq)
        return self._finish(doc, WAITLISTED, "StockWaitlisted", correlation_id, queue_seq=seq,
                            position=position, waitlisted_at=utcnow())

    def _finish(self, doc, status: str, event_type: str | None, correlation_id, *, reason=None,
                position=None, unset=(), **fields) -> str:
        """Store the outcome and its event in one write, and give the lease back."""
        update = {"$set": {"status": status, "updated_at": utcnow(), **fields},
                  "$unset": {"lease": "", **{name: "" for name in unset}}}
        if status != HELD and status != ISSUED:
            update["$set"]["held"] = []
        if event_type:
            payload = {"requisition_id": doc["_id"], "depot": doc["depot"], "lines": doc["lines"]}
            payload.update({k: v for k, v in (("reason", reason), ("position", position),
                                              ("place", fields.get("queue_seq") if position else None),
                                              ("short", waitlist.short(self.db, doc) if position else None),
                                              ("short_only", True if position else None))
                            if v is not None})
            event = new_event(event_type, doc["_id"], payload, source=SOURCE, correlation_id=correlation_id)
            update["$push"] = {"outbox": event.to_dict()}
            if position:  # what it waited for, as the unmet-demand report counts it: the short lines, else all
                before = doc.get("queue_seq") is not None and "waited_for" not in doc  # waited when all were counted
                update["$addToSet"] = {"waited_for": {"$each": [line["sku"] for line in (
                    doc["lines"] if before else payload["short"] or doc["lines"])]}}
        self._update_mine(doc, update)
        if doc["status"] == WAITLISTED and status != WAITLISTED:
            waitlist.leave(self.db, doc["depot"])
        return status

    def retry_waitlist(self, depot: str, correlation_id: str | None = None) -> int:
        """Offer freed stock to the depot's waitlist in order; return how many became held."""
        return waitlist.retry(self.db, depot, lambda rid: self.drive(rid, correlation_id,
                                                                      from_waitlist=True) == HELD)
