"""Requisition rules: the status machine, inventory answers, who may act. Standard library only."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

SUBMITTED, APPROVED, RESERVED, WAITLISTED = "submitted", "approved", "reserved", "waitlisted"
DISPATCHED, RECEIVED, REJECTED, CANCELLED = "dispatched", "received", "rejected", "cancelled"
STATUSES = (SUBMITTED, APPROVED, RESERVED, WAITLISTED, DISPATCHED, RECEIVED, REJECTED, CANCELLED)
LOT_EXPIRED = "lot_expired"  # StockWaitlisted's reason when a reserved requisition's lot expired: it waits again
QUOTA_RETURNED = (REJECTED, CANCELLED)  # a requisition in these no longer counts against the cap

# action -> (statuses it may start from, status it leads to, event it emits, roles allowed)
ACTIONS = {
    "approve": ((SUBMITTED,), APPROVED, "RequisitionApproved", ("admin",)),
    "reject": ((SUBMITTED,), REJECTED, "RequisitionRejected", ("admin",)),
    "cancel": ((SUBMITTED, APPROVED, WAITLISTED, RESERVED), CANCELLED, "RequisitionCancelled",
               ("admin", "artisan", "secretary")),
    "dispatch": ((RESERVED,), DISPATCHED, "RequisitionDispatched", ("admin", "warehouse")),
    "receive": ((DISPATCHED,), RECEIVED, "RequisitionReceived", ("admin", "artisan", "secretary")),
}
INVENTORY = "inventory"


class IllegalTransition(Exception):
    """The requisition's status does not allow the action."""

    def __init__(self, status: str, action: str):
        super().__init__(f"cannot {action} a requisition that is {status}")
        self.status, self.action = status, action


class NotAllowed(Exception):
    """The caller's role may not take this action."""


@dataclass(frozen=True)
class StockEvent:
    """An inventory answer about one requisition."""

    event_id: str
    type: str
    occurred_at: str
    position: int | None = None
    reason: str = ""
    place: int | None = None  # StockWaitlisted's place number in the depot's queue (from inventory that says it)


@dataclass(frozen=True)
class Requisition:
    status: str
    waitlist_position: int | None = None
    waitlist_at: str | None = None  # occurred_at of the StockWaitlisted that set the position
    waitlist_place: int | None = None  # its place number in the depot's queue: who waits ahead of it, as it is now
    reserved_at: str | None = None  # occurred_at of the StockReserved that set it reserved
    stock: str | None = None  # what inventory last confirmed: released or issued
    parked: tuple[StockEvent, ...] = ()  # answers that came before the approval was stored


@dataclass(frozen=True)
class Change:
    """What one action or one inventory answer does to a requisition."""

    requisition: Requisition
    history: tuple[dict, ...] = ()
    emits: str | None = None

    @property
    def returns_quota(self) -> bool:
        return any(entry["status"] in QUOTA_RETURNED for entry in self.history)


def entry(status: str, by: str, at: str, reason: str = "", event_id: str | None = None) -> dict:
    """One line of a requisition's status history."""
    return {"status": status, "by": by, "at": at, "reason": reason, "event_id": event_id}


def act(req: Requisition, action: str, *, role: str, by: str, at: str, reason: str = "") -> Change:
    """Take an action from the API: the role and the current status must allow it."""
    sources, target, emits, roles = ACTIONS[action]
    if role not in roles:
        raise NotAllowed(action)
    if req.status not in sources:
        raise IllegalTransition(req.status, action)
    change = Change(replace(req, status=target, waitlist_position=None, waitlist_place=None),
                    (entry(target, by, at, reason),), emits)
    if target == APPROVED and req.parked:
        return _replay_parked(change)
    return change


def on_stock(req: Requisition, event: StockEvent) -> Change:
    """Apply an inventory answer, in whatever order answers arrive; unknown orders change nothing."""
    kind, status = event.type, req.status
    if kind == "StockReleased":
        return Change(replace(req, stock="released"))
    if kind == "StockIssued":
        return Change(replace(req, stock="issued"))
    if status == SUBMITTED:  # the answer raced ahead of the approval: keep it for then
        return Change(replace(req, parked=req.parked + (event,)))
    if kind == "StockReserved" and status in (APPROVED, WAITLISTED):
        return Change(replace(req, status=RESERVED, waitlist_position=None, waitlist_place=None,
                              reserved_at=event.occurred_at),
                      (entry(RESERVED, INVENTORY, event.occurred_at, event_id=event.event_id),))
    if kind == "StockWaitlisted" and status == APPROVED:
        return Change(replace(req, status=WAITLISTED, waitlist_position=event.position,
                              waitlist_place=event.place, waitlist_at=event.occurred_at),
                      (entry(WAITLISTED, INVENTORY, event.occurred_at, f"position {event.position}",
                             event.event_id),))
    if kind == "StockWaitlisted" and status == RESERVED and event.reason == LOT_EXPIRED \
            and event.occurred_at > (req.reserved_at or ""):  # a lot expired under its holds: it waits again
        return Change(replace(req, status=WAITLISTED, waitlist_position=event.position,
                              waitlist_place=event.place, waitlist_at=event.occurred_at),
                      (entry(WAITLISTED, INVENTORY, event.occurred_at, f"position {event.position}",
                             event.event_id),))
    if kind == "StockWaitlisted" and status == WAITLISTED and event.occurred_at > (req.waitlist_at or ""):
        return Change(replace(req, waitlist_position=event.position, waitlist_place=event.place,
                              waitlist_at=event.occurred_at))
    if kind == "StockReservationFailed" and status in (APPROVED, WAITLISTED):
        return Change(replace(req, status=REJECTED, waitlist_position=None, waitlist_place=None),
                      (entry(REJECTED, INVENTORY, event.occurred_at, event.reason, event.event_id),))
    return Change(req)  # stale or superseded: e.g. waitlisted after reserved, reserved after cancel


def _replay_parked(change: Change) -> Change:
    req = replace(change.requisition, parked=())
    history = list(change.history)
    for event in sorted(change.requisition.parked, key=lambda e: e.occurred_at):
        step = on_stock(req, event)
        req = step.requisition
        history.extend(step.history)
    return Change(req, tuple(history), change.emits)


def may_auto_approve(line_quantities, limit: int | None) -> bool:
    """Auto-approval applies when admins set a size and every line is at most that size."""
    return limit is not None and all(quantity <= limit for quantity in line_quantities)


# Quotas: a monthly cap per material category, for each artisan, optionally per loom.

IST = timezone(timedelta(hours=5, minutes=30))  # months turn over at midnight in India


def month_of(moment: datetime) -> str:
    """The quota month ('2026-11') a moment falls in, by Indian Standard Time."""
    return moment.astimezone(IST).strftime("%Y-%m")


def cap_for(limit: int, per_loom: bool, looms: int) -> int:
    """The artisan's monthly cap: the limit, times their looms when it is per loom."""
    return limit * max(looms, 0) if per_loom else limit


def totals_by_category(lines) -> dict[str, int]:
    """Quantity asked for in each category, from (category, quantity) pairs."""
    totals: dict[str, int] = {}
    for category, quantity in lines:
        totals[category] = totals.get(category, 0) + quantity
    return totals


@dataclass(frozen=True)
class Excess:
    category: str
    cap: int
    used: int
    requested: int

    @property
    def left(self) -> int:
        return max(self.cap - self.used, 0)


def over_cap(caps: dict[str, int], used: dict[str, int], wanted: dict[str, int]) -> list[Excess]:
    """The categories where what is used plus what is wanted goes past the cap (exactly the cap passes)."""
    return [Excess(category, caps[category], used.get(category, 0), quantity)
            for category, quantity in sorted(wanted.items())
            if category in caps and used.get(category, 0) + quantity > caps[category]]
