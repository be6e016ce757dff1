"""Requisition use cases: submit, act on, read, and apply inventory's answers."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from pymongo.errors import DuplicateKeyError

from services.requests import (accounts, artisans, domain, errors, materials, parties, quotas, quote,
                               requisition_money, returns, settings, share_rules, shares, store)
from services.requests.people import known as known_people
from shared import idempotency, names
from shared.auth import Principal
from shared.calendar import month_of
from shared.envelope import Event, iso_instant, new_event, utcnow_iso
from shared.errors import Busy, Error, Forbidden, Inapplicable, NotFound
from shared.quantity import format_quantity, whole_enough

SOURCE = "requests"
MAX_ATTEMPTS = 50


def submit(db, principal: Principal, body: dict, *, idempotency_key: str | None = None,
           correlation_id: str | None = None, now: datetime | None = None) -> tuple[dict, bool]:
    """Store a new requisition (and count it against the caps); True if it was created now."""
    now = now or datetime.now(timezone.utc)
    coop, people = parties.for_submit(db, principal, body)
    people = [(artisan, _with_categories(db, lines)) for artisan, lines in people]
    _require_depot(db, body["depot"])
    fingerprint = _fingerprint(people[0][0]["_id"], body)
    req_id = idempotency.record_id(principal.sub, idempotency_key) if idempotency_key else uuid.uuid4().hex
    if idempotency_key and (first := _replay(db, principal, req_id, fingerprint)) is not None:
        return first, False
    month = domain.month_of(now)
    taken = requisition_money.take(db, coop, people, body["depot"], month, req_id, now)
    doc = _new_doc(db, req_id, principal, coop or people[0][0], taken, body, month, fingerprint, correlation_id)
    try:
        db.requisitions.insert_one(doc)
    except DuplicateKeyError:  # the same Idempotency-Key, sent twice at once
        return _replay(db, principal, req_id, fingerprint), False
    return get(db, principal, req_id), True


def act(db, principal: Principal, req_id: str, action: str, *, reason: str = "",
        correlation_id: str | None = None) -> dict:
    """Approve, reject, cancel, dispatch or receive: NotFound if not visible, Forbidden by role,
    IllegalTransition by status; a dispatch beyond the artisan's credit is refused."""
    charged = None  # the requisition charged to its accounts, until it is stored as dispatched
    try:
        for _ in range(MAX_ATTEMPTS):
            doc = parties.visible_doc(db, principal, req_id)
            if parties.is_cooperative(doc) and principal.role == "artisan":
                raise Forbidden()  # the cooperative's secretary moves it on; members confirm their shares
            try:
                change = domain.act(store.requisition_from(doc), action, role=principal.role,
                                    by=principal.sub, at=utcnow_iso(), reason=reason)
            except domain.NotAllowed:
                raise Forbidden() from None
            except domain.IllegalTransition as exc:
                raise errors.IllegalTransition({"status": exc.status, "action": action}) from None
            extra = requisition_money.on_action(db, doc, change, action)
            charged = doc if action == "dispatch" else None
            if action == "approve":
                extra["approved_by"] = principal.sub
            paid = requisition_money.paid_on_shares(db, doc) if change.emits in ENDS_WITH_MONEY_PAID else None
            pay_first = requisition_money.to_pay_first(db, {**doc, **extra}) if action == "approve" else None
            by_person = known_people(db, {principal.sub}).get(principal.sub, {"role": principal.role}) \
                if action == "approve" else None
            events = [_event(change.emits, {**doc, **extra}, principal.sub, reason, correlation_id, paid=paid,
                             pay_first=pay_first, by_person=by_person)]
            if action == "receive":
                asked, issued = shares.on_received(doc, datetime.now(timezone.utc), correlation_id)
                extra.update(asked)
                events += issued
            if store.save_change(db, req_id, doc["version"], change, events, extra=extra):
                charged = None
                _return_quota_if_due(db, doc, change)
                return get(db, principal, req_id)
        raise Busy()
    except Error:
        if charged is not None and not _left_the_depot(db, req_id):  # another counter's dispatch keeps its charge
            requisition_money.uncharge(db, charged)
        raise


def _left_the_depot(db, req_id: str) -> bool:
    """Whether the requisition is stored as dispatched (or received): its charges stand."""
    doc = db.requisitions.find_one({"_id": req_id}, {"status": 1})
    return doc is not None and doc["status"] in accounts.DISPATCHED


def get(db, principal: Principal, req_id: str) -> dict:
    """One requisition the caller may see (a member: their share), with what is paid on it and its payments, and
    its returns (any a process left half-done are finished first)."""
    doc = parties.visible_doc(db, principal, req_id, store.HIDDEN)
    if returns.finish(db, doc):
        doc = parties.visible_doc(db, principal, req_id, store.HIDDEN)
    return _shown(db, principal, doc)


def _shown(db, principal: Principal, doc: dict) -> dict:
    seen = returns.seen_by(principal, doc)
    doc = parties.seen_by(principal, doc)
    back = {share["artisan_id"]: returns.returned(doc, share["artisan_id"]) for share in doc.get("shares") or ()}
    views = [{**shares.view(share), "short_settled": returns.short_settled(doc, share)}
             for share in doc.get("shares") or ()]
    if seen:  # once anything came back, each member's lines say how much of them
        views = [{**view, "lines": [{**line, "returned": back[view["artisan_id"]].get(line["sku"], 0)}
                                    for line in view["lines"]]} for view in views]
    return {**doc, "lines": returns.lines_returned({**doc, "returns": seen}), "returns": seen,
            "shares": member_names(db, views), **paid_on(db, doc), **waiting_now(db, doc)}


def member_names(db, views: list[dict]) -> list[dict]:
    """Shares (as `shares.view` gives them) each with its member's name and Hindi name: a share stored by an older
    rawbank has `name` but no `name_hi`, so its member is named from the artisan's record as it is now (one read for
    all of them); a share that has both keeps what it was made with."""
    missing = sorted({view["artisan_id"] for view in views if not view.get("name_hi") or not view.get("name")})
    if not missing:
        return views
    people = {doc["_id"]: doc for doc in db.artisans.find({"_id": {"$in": missing}}, {"name": 1, "name_hi": 1})
              .limit(len(missing))}
    return [{**view, "name": view.get("name") or people.get(view["artisan_id"], {}).get("name"),
             "name_hi": view.get("name_hi") or people.get(view["artisan_id"], {}).get("name_hi")}
            if view["artisan_id"] in people else view for view in views]


def waiting_now(db, doc: dict) -> dict:
    """Where a waiting requisition stands now: 1 + those waiting at its depot with a smaller place number, as
    inventory counts them. What inventory said when it joined (`waitlist_position`) goes stale as those ahead are
    served or cancelled, and inventory says nothing of it then (a text to each of them at each move would cost the
    board an SMS per waiting artisan per departure); one waiting since before inventory gave places keeps it."""
    place = doc.get("waitlist_place")
    if doc.get("status") != "waitlisted" or not place:
        return {}
    ahead = db.requisitions.count_documents({"depot": doc["depot"], "status": "waitlisted",
                                             "waitlist_place": {"$lt": place}})
    return {"waitlist_position": ahead + 1}


def confirm(db, principal: Principal, req_id: str, body: dict, *, now: datetime,
            correlation_id: str | None = None) -> tuple[dict, bool]:
    """A member answers for their own share with their own token; another's share is not found (404). Nobody answers
    for them here (the secretary least: the member's word is the check on what reached them); at the depot its staff
    record what the member says (record_at_depot)."""
    if principal.role != "artisan":
        raise errors.MemberAnswersOnly()
    doc = parties.visible_doc(db, principal, req_id, store.HIDDEN)
    if body["artisan_id"] != principal.artisan_id or not parties.is_cooperative(doc):
        raise NotFound({"artisan_id": body["artisan_id"]})
    share, created = shares.answer(db, doc, principal.artisan_id, quantity=body["quantity"], lines=body["lines"],
                                   via="app", message=None, now=now, correlation_id=correlation_id)
    return shares.view(share), created


def record_at_depot(db, principal: Principal, req_id: str, artisan_id: str, body: dict, *, now: datetime,
                    correlation_id: str | None = None) -> tuple[dict, bool]:
    """What a member says at the depot's counter they received of their share, recorded by its staff (the depot's
    warehouse staff, or an admin) on their behalf, as their own answer would be; only while the share waits for them.
    True if stored now (the same record again changes nothing)."""
    if principal.role not in ("warehouse", "admin"):
        raise Forbidden()
    doc = parties.visible_doc(db, principal, req_id, store.HIDDEN)  # a depot's staff see only their depot's
    if not parties.is_cooperative(doc):
        raise NotFound({"artisan_id": artisan_id})
    share, created = shares.answer(db, doc, artisan_id, quantity=body["quantity"], lines=body["lines"], via="depot",
                                   message=None, now=now, correlation_id=correlation_id, by=principal.sub)
    return shares.view(share), created


def dispute(db, principal: Principal, req_id: str, artisan_id: str, body: dict, *, idempotency_key: str | None,
            now: datetime, correlation_id: str | None = None) -> tuple[dict, bool]:
    """A member says what the depot's staff recorded for their share is not what they received: only the member, with
    their own token (staff and secretaries 403 as on confirming; another member's share, or one not of a
    cooperative's request, 404). True if stored now (the same dispute again changes nothing)."""
    if principal.role != "artisan":
        raise errors.MemberDisputesOnly()
    doc = parties.visible_doc(db, principal, req_id, store.HIDDEN)
    if artisan_id != principal.artisan_id or not parties.is_cooperative(doc):
        raise NotFound({"artisan_id": artisan_id})
    key = idempotency.record_id(principal.sub, idempotency_key) if idempotency_key else None
    share, created = shares.dispute(db, doc, artisan_id, note=body["note"], key=key, now=now,
                                    correlation_id=correlation_id)
    return shares.view(share), created


def settle_dispute(db, principal: Principal, req_id: str, artisan_id: str, body: dict, *, now: datetime,
                   correlation_id: str | None = None) -> tuple[dict, bool]:
    """The department settles a member's dispute of what the depot recorded for their share: admins only (the depot's
    staff made the record, so they do not judge it; 403); a share not of a cooperative's request 404. True if stored
    now (the same settlement again changes nothing)."""
    if principal.role != "admin":
        raise errors.AdminSettlesDisputes()
    doc = parties.visible_doc(db, principal, req_id, store.HIDDEN)
    if not parties.is_cooperative(doc):
        raise NotFound({"artisan_id": artisan_id})
    share, created = shares.settle_dispute(
        db, doc, artisan_id, outcome=body["outcome"], note=body["note"], quantity=body.get("quantity"),
        lines=body.get("lines"), by=principal.sub, now=now, correlation_id=correlation_id)
    return shares.view(share), created


def new_code(db, principal: Principal, req_id: str, artisan_id: str, *, now: datetime,
             correlation_id: str | None = None) -> dict:
    """A fresh code for a member's share, asked for by their cooperative's secretary or an admin."""
    doc = parties.visible_doc(db, principal, req_id, store.HIDDEN)
    return shares.view(shares.new_code(db, doc, artisan_id, now, correlation_id=correlation_id,
                                       staff=principal.role in names.STAFF))


def paid_on(db, doc: dict) -> dict:
    """What is paid on a requisition (on each of its shares), its payments, what refunds handed back of it and what is
    to be repaid on it (refunded, then the payment was reversed)."""
    found = [(share["artisan_id"], accounts.of_requisition(db, share["artisan_id"], doc["_id"]))
             for share in parties.of(doc)]
    return {"paid": sum(paid["paid"] for _, paid in found), "credited": sum(paid["credited"] for _, paid in found),
            "payments": [{**p, "artisan_id": artisan_id} for artisan_id, paid in found for p in paid["payments"]],
            "refunds": [{**r, "artisan_id": artisan_id} for artisan_id, paid in found for r in paid["refunds"]],
            "repay": [{**r, "artisan_id": artisan_id} for artisan_id, paid in found for r in paid["repay"]]}


def charged_nothing(req: dict) -> bool:
    """A requisition cancelled or not approved: nothing is charged for it, whatever was paid on it."""
    return req.get("status") in accounts.NOT_PAYABLE


def has_receipt(req: dict) -> bool:
    """Whether a requisition as `get` gives it has anything a receipt records: material handed over, or money that
    moved on it (a payment or advance, even one reversed since; a refund; a return's credit note; money to repay).
    One only sent, approved, set aside or waiting, with nothing paid, has none: its receipt would record nothing (a
    price not charged yet, "Nothing paid yet"), so its page offers none and the receipt's address says so."""
    return req.get("status") in (domain.DISPATCHED, domain.RECEIVED) or any(
        req.get(name) for name in ("payments", "refunds", "repay", "credited"))


def shares_owing(req: dict) -> list[dict]:
    """A cooperative's requisition as `get` gives it: each member's price, what they paid and what they still owe on
    their own share (one member's advance never pays another's share); on one cancelled or rejected, what is to be
    repaid (refunded, then the payment was reversed)."""
    rows, closed = [], charged_nothing(req)
    for share in req.get("shares") or ():
        payable = (share.get("pricing") or {}).get("payable_total", 0)
        paid = sum(p["amount"] for p in req["payments"]  # a reversed one pays nothing; a refund hands some back
                   if p["artisan_id"] == share["artisan_id"] and not p.get("reversed")) \
            - sum(r["amount"] for r in req.get("refunds") or () if r["artisan_id"] == share["artisan_id"])
        repay = sum(r["amount"] for r in req.get("repay") or () if r["artisan_id"] == share["artisan_id"])
        credited = sum(r["credit"] for r in req.get("returns") or () if r["artisan_id"] == share["artisan_id"])
        rows.append({**share, "payable": payable, "paid": paid, "credited": credited,
                     "due": repay if closed else max(payable - paid - credited, 0)})
    return rows


def estimate(db, principal: Principal, body: dict, *, now: datetime) -> dict:
    """The price of a requisition not submitted yet, what it would take of each entitlement and monthly quota (each
    member's), and whether submit would take it: over a quota, it answers 422 with `reason`'s code."""
    coop, people = parties.for_submit(db, principal, body)
    people = [(artisan, _with_categories(db, lines)) for artisan, lines in people]
    _require_depot(db, body["depot"])
    units = materials.units(db)  # read once for every member of a cooperative
    found = [(artisan, {**quote.estimate(db, artisan, body["depot"], lines, month_of(now), now, units=units),
                        "quotas": _quota_rows(db, artisan, lines, month_of(now), now)})
             for artisan, lines in people]
    over = any(row["over"] for _, f in found for row in f["quotas"])
    verdict = {"submittable": not over, "reason": errors.QuotaExceeded.code if over else None}  # as submit answers
    if not coop:
        return {**found[0][1], **verdict}
    return {"pricing": quote.combine([{"artisan_id": a["_id"], "pricing": f["pricing"]} for a, f in found]),
            "entitlements": [{**row, "artisan_id": a["_id"]} for a, f in found for row in f["entitlements"]],
            "quotas": [{**row, "artisan_id": a["_id"]} for a, f in found for row in f["quotas"]],
            "shares": [{"artisan_id": a["_id"], "pricing": f["pricing"],
                        "over_quota": any(row["over"] for row in f["quotas"])} for a, f in found], **verdict}


def _quota_rows(db, artisan: dict, lines: list[dict], month: str, now: datetime) -> list[dict]:
    """What a request of `lines` would take of each monthly quota it counts against (as submit counts it): the cap
    (None: no cap), used, left, this request, left after it, whether it is over (submit would refuse it) and the
    day it renews."""
    asked = domain.totals_by_category((line["category"], line["quantity"]) for line in lines)
    usage = {row["category"]: row for row in quotas.usage_of(db, artisan, month, now)}
    rows = []
    for category, quantity in sorted(asked.items()):
        row = usage.get(category) or {"cap": None, "used": 0, "left": None}
        left = row["left"]
        rows.append({"category": category, "month": month, "cap": row["cap"], "used": row["used"], "left": left,
                     "unit": next(line["unit"] for line in lines if line["category"] == category),
                     "this_request": quantity, "left_after": None if left is None else max(left - quantity, 0),
                     "over": left is not None and quantity > left,
                     "needs_looms": left is not None and quantity > left and quotas.needs_looms(db, artisan, category),
                     "renews_on": quotas.renews_on(month)})
    return rows


def pay(db, principal: Principal, req_id: str, body: dict, *, now: datetime) -> tuple[dict, bool]:
    """Record a payment for a requisition the caller may see (staff only); for a cooperative's, one member's share."""
    doc = parties.visible_doc(db, principal, req_id)
    if principal.role not in ("admin", "warehouse"):
        raise Forbidden()
    if parties.is_cooperative(doc) and not body.get("artisan_id") and not charged_nothing(doc):
        return accounts.pay_shares(db, doc, doc["shares"], body, by=principal.sub, now=now)  # the cooperative's
    return accounts.pay(db, shares.paying(doc, body.get("artisan_id")), body, by=principal.sub, now=now)


def reverse_payment(db, principal: Principal, req_id: str, payment_id: str, body: dict, *,
                    now: datetime) -> tuple[dict, bool]:
    """Take back a payment recorded wrong (admins only); for a cooperative's requisition, one member's."""
    doc = parties.visible_doc(db, principal, req_id)
    if principal.role != "admin":
        raise Forbidden()
    return accounts.reverse(db, shares.paying(doc, body.get("artisan_id")), payment_id, body["reason"],
                            by=principal.sub, now=now)


def search(db, principal: Principal, *, limit=50, offset=0, **filters) -> list[dict]:
    """The requisitions the caller may see that match `filters` (see `_query`), newest first."""
    cursor = db.requisitions.find(_query(db, principal, **filters), {**store.HIDDEN, "history": 0})
    seen = (parties.seen_by(principal, doc) for doc in cursor.sort([("created_at", -1), ("_id", 1)]).skip(offset)
            .limit(limit))  # a member sees only their own share, as in `_shown`
    found = [{**doc, "shares": [shares.view(s) for s in doc.get("shares") or ()], **waiting_now(db, doc)}
             for doc in seen]
    named = iter(member_names(db, [share for doc in found for share in doc["shares"]]))  # one read for the page
    return [{**doc, "shares": [next(named) for _ in doc["shares"]]} for doc in found]


def count(db, principal: Principal, **filters) -> int:
    """How many requisitions `search` finds with these filters, on every page."""
    return db.requisitions.count_documents(_query(db, principal, **filters))


def _query(db, principal: Principal, *, status=None, statuses=None, depot=None, artisan_id=None, sku=None, q=None,
           since: datetime | None = None, until: datetime | None = None) -> dict:
    """status (or statuses), depot, artisan (theirs or a share), material, words (see `_matches`) and when it was
    made (from `since`, before `until`)."""
    query = {k: v for k, v in (("status", status), ("depot", depot), ("lines.sku", sku)) if v}
    if statuses and not status:
        query["status"] = {"$in": list(statuses)}
    ands = [{"$or": [{"artisan_id": artisan_id}, {"members": artisan_id}]}] if artisan_id else []
    if since or until:
        query["created_at"] = {**({"$gte": iso_instant(since)} if since else {}),
                               **({"$lt": iso_instant(until)} if until else {})}  # as requisitions keep theirs
    ands += [{"$or": _matches(db, word)} for word in (q or "").split()[:5]]
    return artisans.within({**query, "$and": ands} if ands else query, parties.scope_for(db, principal))


def _matches(db, word: str) -> list[dict]:
    """Where a word of a search may be: the request's number, its people, depot, materials and note."""
    pattern = {"$regex": re.escape(word), "$options": "i"}
    named = {"$or": [{"name": pattern}, {"name_hi": pattern}, {"_id": pattern}]}
    people = [doc["_id"] for doc in db.artisans.find(named, {"_id": 1}).limit(100)]
    skus = [doc["_id"] for doc in db.materials.find(named, {"_id": 1}).limit(100)]
    return [{"_id": {"$regex": "^" + re.escape(word.lower())}}, {"depot": pattern}, {"cooperative": pattern},
            {"note": pattern}, {"members": {"$in": people}}, {"lines.sku": {"$in": skus}}]


def apply_stock_event(db, event: Event) -> None:
    """Apply one inventory answer to its requisition once, whatever order answers arrive in."""
    data = event.payload
    stock_event = domain.StockEvent(event.event_id, event.type, event.occurred_at,
                                    data.get("position"), data.get("reason", ""), data.get("place"))
    for _ in range(MAX_ATTEMPTS):
        doc = db.requisitions.find_one({"_id": data["requisition_id"]}, {"outbox": 0})
        if doc is None:
            raise Inapplicable(f"no requisition {data['requisition_id']}")
        if event.event_id in doc.get("applied", ()):
            return
        change = domain.on_stock(store.requisition_from(doc), stock_event)
        extra = requisition_money.on_action(db, doc, change, "answer") \
            if change.requisition.status != doc["status"] else {}
        if store.save_change(db, doc["_id"], doc["version"], change, [], applied=event.event_id, extra=extra):
            _return_quota_if_due(db, doc, change)
            return
    raise RuntimeError(f"requisition {data['requisition_id']} stayed busy")


def _return_quota_if_due(db, doc: dict, change: domain.Change) -> None:
    """A requisition that will not be served gives back its quotas and entitlements, and any charge."""
    if change.returns_quota:
        requisition_money.give_back(db, doc)


def _with_categories(db, lines: list[dict]) -> list[dict]:
    skus = [line["sku"] for line in lines]
    known = materials.by_sku(db, skus)
    missing = [sku for sku in skus if sku not in known]
    if missing:
        raise errors.MaterialNotKnown({"skus": missing})
    for line in lines:  # no depot hands over half a plank: a material counted in pieces is asked for whole
        material = known[line["sku"]]
        if not whole_enough(line["quantity"], material["unit"]):
            raise errors.WholeUnitsOnly({"sku": line["sku"], "unit": material["unit"],
                                         "quantity": format_quantity(line["quantity"]),
                                         "names": {"name": material["name"], "name_hi": material.get("name_hi")}})
    return [{"sku": l["sku"], "quantity": l["quantity"], "category": known[l["sku"]]["category"],
             "unit": known[l["sku"]]["unit"], "entitlement_class": known[l["sku"]].get("entitlement_class")}
            for l in lines]


def _require_depot(db, depot: str) -> None:
    """Refuse a depot inventory has not announced, as an unknown material is: it could never be held there."""
    if not materials.depot_known(db, depot):
        raise errors.UnknownDepot({"depot": depot})


def _fingerprint(artisan_id: str, body: dict) -> str:
    canonical = {"artisan_id": artisan_id, "depot": body["depot"], "note": body.get("note", ""),
                 "lines": [[l["sku"], l["quantity"]] for l in body["lines"]]}
    if body.get("cooperative"):
        canonical.update(cooperative=body["cooperative"], members=[l["artisan_id"] for l in body["lines"]])
    return idempotency.fingerprint(canonical)


def _replay(db, principal: Principal, req_id: str, fingerprint: str) -> dict | None:
    first = db.requisitions.find_one({"_id": req_id}, {"outbox": 0, "_relay": 0, "applied": 0, "parked": 0})
    if first is not None and first.pop("fingerprint") != fingerprint:
        raise errors.IdempotencyKeyReused({"requisition_id": req_id})
    return first and _shown(db, principal, first)


def _new_doc(db, req_id, principal, owner, taken, body, month, fingerprint, correlation_id) -> dict:
    """A new requisition's document; `owner` is its cooperative, or its one artisan."""
    at, first = utcnow_iso(), taken[0]
    doc = {"_id": req_id, "artisan_id": first["artisan_id"], "members": [share["artisan_id"] for share in taken],
           "depot": body["depot"], "note": body.get("note", ""), "month": month,
           "created_by": principal.sub, "created_at": at, "updated_at": at, "approved_by": None,
           "version": 1, "applied": [], "fingerprint": fingerprint,
           **store.state_fields(domain.Requisition(domain.SUBMITTED)),
           "history": [domain.entry(domain.SUBMITTED, principal.sub, at)]}
    if body.get("cooperative"):
        doc.update(cooperative=owner["_id"], district=owner["district"], lines=share_rules.merged(
            [line for share in taken for line in share["lines"]]), pricing=quote.combine(taken),
            shares=[{**share, "confirmation": {"status": "awaited"}} for share in taken])
    else:
        doc.update(cooperative=owner.get("cooperative"), district=first["district"], lines=first["lines"],
                   pricing=first["pricing"])
    events = [_event("RequisitionSubmitted", doc, principal.sub, "", correlation_id)]
    if domain.may_auto_approve([l["quantity"] for l in doc["lines"]], settings.auto_approve(db)["max_quantity"]) \
            and not quote.unpriced(doc["pricing"]):  # with no price, an admin decides (and is told)
        doc.update(status=domain.APPROVED, approved_by="auto-approve")
        doc["history"].append(domain.entry(domain.APPROVED, "auto-approve", at,
                                           "every line within the auto-approve size"))
        events.append(_event("RequisitionApproved", doc, "auto-approve", "", correlation_id,
                             pay_first=requisition_money.to_pay_first(db, doc)))
    doc["outbox"] = [event.to_dict() for event in events]
    return doc


#: a requisition ended before hand-over whose event says what stays paid on it (an advance may come before approval)
ENDS_WITH_MONEY_PAID = ("RequisitionCancelled", "RequisitionRejected")


def _event(type_: str, doc: dict, by: str, reason: str, correlation_id: str | None, *, paid: dict | None = None,
           pay_first: int | None = None, by_person: dict | None = None):
    """The event of a requisition's change; `paid` (member -> paise, requisition_money.paid_on_shares): what stays
    paid on each share of a cancelled or rejected one, told in the event (each share's, and all of it) as the
    accounts count it; `pay_first` (requisition_money.to_pay_first): of an approval, the least the depot will ask
    to be paid before handing it over, so the artisan is told it with the approval; `by_person` (people.known): of an
    approval, who the approver is in words, for the depot's hand-over slip."""
    payload = {"requisition_id": doc["_id"], "artisan_id": doc["artisan_id"], "depot": doc["depot"],
               "lines": [{"sku": l["sku"], "quantity": l["quantity"]} for l in doc["lines"]], "by": by,
               "cooperative": doc.get("cooperative") if parties.is_cooperative(doc) else None,
               "shares": shares.in_event(doc, priced=type_ == "RequisitionDispatched",
                                         payable=type_ == "RequisitionApproved")}
    if type_ == "RequisitionSubmitted":
        payload["note"] = doc["note"]
    elif type_ in ("RequisitionRejected", "RequisitionCancelled"):
        payload["reason"] = reason
        if paid is not None:
            payload["paid"] = sum(paid.values())
            for share in payload["shares"]:  # a cooperative's: each member's own
                share["paid"] = paid.get(share["artisan_id"], 0)
    elif type_ == "RequisitionApproved":
        payload["by_person"] = by_person
        if doc.get("pricing"):
            payload.update(payable_total=doc["pricing"]["payable_total"],
                           subsidy_total=doc["pricing"]["subsidy_total"], pay_first=pay_first)
    elif type_ == "RequisitionDispatched":
        payload.update(district=doc.get("district"), dispatch_month=doc.get("dispatch_month"))
    return new_event(type_, doc["_id"], payload, source=SOURCE, correlation_id=correlation_id)
