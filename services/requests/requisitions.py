"""Requisition use cases: submit, act on, read, and apply inventory's answers."""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone

from pymongo.errors import DuplicateKeyError

from services.requests import (accounts, artisans, domain, entitlements, errors, materials, quote, quotas, settings,
                               store)
from shared.auth import Principal
from shared.calendar import month_of
from shared.envelope import Event, new_event, utcnow_iso
from shared.errors import Busy, Error, Forbidden, Inapplicable, NotFound

SOURCE = "requests"
MAX_ATTEMPTS = 50
_IDEMPOTENCY = uuid.UUID("6f0d3c1e-5a43-4d7e-9a51-2b8f0c7e4d10")


def submit(db, principal: Principal, body: dict, *, idempotency_key: str | None = None,
           correlation_id: str | None = None, now: datetime | None = None) -> tuple[dict, bool]:
    """Store a new requisition (and count it against the caps); True if it was created now."""
    now = now or datetime.now(timezone.utc)
    artisan = artisans.requesting_for(db, principal, body.get("artisan_id"))
    lines = _with_categories(db, body["lines"])
    fingerprint = _fingerprint(artisan["_id"], body)
    req_id = uuid.uuid5(_IDEMPOTENCY, f"{principal.sub}\n{idempotency_key}").hex if idempotency_key \
        else uuid.uuid4().hex
    if idempotency_key and (first := _replay(db, req_id, fingerprint)) is not None:
        return first, False
    month = domain.month_of(now)
    wanted = domain.totals_by_category((line["category"], line["quantity"]) for line in lines)
    quotas.take(db, artisan, month, req_id, wanted, {line["category"]: line["unit"] for line in lines}, now)
    priced = quote.at_submit(db, artisan, body["depot"], lines, month, req_id, now)
    doc = _new_doc(db, req_id, principal, artisan, body, lines, month, fingerprint, correlation_id, priced)
    try:
        db.requisitions.insert_one(doc)
    except DuplicateKeyError:  # the same Idempotency-Key, sent twice at once
        return _replay(db, req_id, fingerprint), False
    return get(db, principal, req_id), True


def act(db, principal: Principal, req_id: str, action: str, *, reason: str = "",
        correlation_id: str | None = None) -> dict:
    """Approve, reject, cancel, dispatch or receive: NotFound if not visible, Forbidden by role,
    IllegalTransition by status; a dispatch beyond the artisan's credit is refused."""
    charged = None  # the requisition charged to its account, until it is stored as dispatched
    try:
        for _ in range(MAX_ATTEMPTS):
            doc = _visible_doc(db, principal, req_id)
            try:
                change = domain.act(store.requisition_from(doc), action, role=principal.role,
                                    by=principal.sub, at=utcnow_iso(), reason=reason)
            except domain.NotAllowed:
                raise Forbidden() from None
            except domain.IllegalTransition as exc:
                raise errors.IllegalTransition({"status": exc.status, "action": action}) from None
            extra = _money(db, doc, change, action)
            charged = doc if action == "dispatch" else None
            if action == "approve":
                extra["approved_by"] = principal.sub
            events = [_event(change.emits, {**doc, **extra}, principal.sub, reason, correlation_id)]
            if store.save_change(db, req_id, doc["version"], change, events, extra=extra):
                charged = None
                _return_quota_if_due(db, doc, change)
                return get(db, principal, req_id)
        raise Busy()
    except Error:
        if charged is not None:
            accounts.uncharge(db, charged["artisan_id"], req_id)
        raise


def _money(db, doc: dict, change: domain.Change, action: str) -> dict:
    """What an action does to a requisition's money: priced again at approval, locked once reserved,
    charged to the artisan's account at dispatch."""
    status, now = change.requisition.status, datetime.now(timezone.utc)
    if action != "approve" and status not in (domain.RESERVED, domain.DISPATCHED):
        return {}
    artisan = artisans.profile(db, doc["artisan_id"]) or {"_id": doc["artisan_id"]}
    extra = {"pricing": quote.again(db, doc, artisan, now, lock=status != domain.APPROVED)}
    if action == "dispatch":
        extra.update(district=artisan.get("district"), dispatched_at=now.isoformat(), dispatch_month=month_of(now))
        extra["due_on"] = accounts.charge(db, {**doc, **extra}, extra["pricing"], artisan, now)
    return extra


def get(db, principal: Principal, req_id: str) -> dict:
    """One requisition the caller may see, with what is paid on it and its payments."""
    doc = _visible_doc(db, principal, req_id, store.HIDDEN)
    return {**doc, **accounts.of_requisition(db, doc["artisan_id"], req_id)}


def estimate(db, principal: Principal, body: dict, *, now: datetime) -> dict:
    """The price of a requisition not submitted yet, and what it would take of each entitlement."""
    artisan = artisans.requesting_for(db, principal, body.get("artisan_id"))
    return quote.estimate(db, artisan, body["depot"], _with_categories(db, body["lines"]), month_of(now), now)


def pay(db, principal: Principal, req_id: str, body: dict, *, now: datetime) -> tuple[dict, bool]:
    """Record a payment for a requisition the caller may see (staff only)."""
    doc = _visible_doc(db, principal, req_id)
    if principal.role not in ("admin", "warehouse"):
        raise Forbidden()
    return accounts.pay(db, doc, body, by=principal.sub, now=now)


def search(db, principal: Principal, *, status=None, depot=None, artisan_id=None, limit=50,
           offset=0) -> list[dict]:
    query = {k: v for k, v in (("status", status), ("depot", depot), ("artisan_id", artisan_id)) if v}
    cursor = db.requisitions.find(artisans.within(query, _scope(principal)), {**store.HIDDEN, "history": 0})
    return list(cursor.sort([("created_at", -1), ("_id", 1)]).skip(offset).limit(limit))


def apply_stock_event(db, event: Event) -> None:
    """Apply one inventory answer to its requisition once, whatever order answers arrive in."""
    data = event.payload
    stock_event = domain.StockEvent(event.event_id, event.type, event.occurred_at,
                                    data.get("position"), data.get("reason", ""))
    for _ in range(MAX_ATTEMPTS):
        doc = db.requisitions.find_one({"_id": data["requisition_id"]}, {"outbox": 0})
        if doc is None:
            raise Inapplicable(f"no requisition {data['requisition_id']}")
        if event.event_id in doc.get("applied", ()):
            return
        change = domain.on_stock(store.requisition_from(doc), stock_event)
        extra = _money(db, doc, change, "answer") if change.requisition.status != doc["status"] else {}
        if store.save_change(db, doc["_id"], doc["version"], change, [], applied=event.event_id, extra=extra):
            _return_quota_if_due(db, doc, change)
            return
    raise RuntimeError(f"requisition {data['requisition_id']} stayed busy")


def _scope(principal: Principal) -> dict:
    if principal.role == "warehouse" and principal.depot:
        return {"depot": principal.depot}
    return artisans.visible(principal, "artisan_id")


def _visible_doc(db, principal, req_id, projection=None) -> dict:
    doc = db.requisitions.find_one(artisans.within({"_id": req_id}, _scope(principal)),
                                   projection or {"outbox": 0})
    if doc is None:
        raise NotFound()
    return doc


def _return_quota_if_due(db, doc: dict, change: domain.Change) -> None:
    """A requisition that will not be served gives back its quota and entitlement, and any charge."""
    if change.returns_quota:
        quotas.give_back(db, doc["artisan_id"], doc["month"], doc["_id"])
        entitlements.give_back(db, doc["artisan_id"], doc["month"], doc["_id"])
        accounts.uncharge(db, doc["artisan_id"], doc["_id"])


def _with_categories(db, lines: list[dict]) -> list[dict]:
    skus = [line["sku"] for line in lines]
    known = materials.by_sku(db, skus)
    missing = [sku for sku in skus if sku not in known]
    if missing:
        raise errors.MaterialNotKnown({"skus": missing})
    return [{"sku": l["sku"], "quantity": l["quantity"], "category": known[l["sku"]]["category"],
             "unit": known[l["sku"]]["unit"], "entitlement_class": known[l["sku"]].get("entitlement_class")}
            for l in lines]


def _fingerprint(artisan_id: str, body: dict) -> str:
    canonical = {"artisan_id": artisan_id, "depot": body["depot"], "note": body.get("note", ""),
                 "lines": [[l["sku"], l["quantity"]] for l in body["lines"]]}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _replay(db, req_id: str, fingerprint: str) -> dict | None:
    first = db.requisitions.find_one({"_id": req_id}, {"outbox": 0, "_relay": 0, "applied": 0, "parked": 0})
    if first is not None and first.pop("fingerprint") != fingerprint:
        raise errors.IdempotencyKeyReused()
    return first and {**first, **accounts.of_requisition(db, first["artisan_id"], req_id)}


def _new_doc(db, req_id, principal, artisan, body, lines, month, fingerprint, correlation_id, priced) -> dict:
    at = utcnow_iso()
    doc = {"_id": req_id, "artisan_id": artisan["_id"], "cooperative": artisan.get("cooperative"),
           "district": artisan.get("district"), "pricing": priced,
           "depot": body["depot"], "lines": lines, "note": body.get("note", ""), "month": month,
           "created_by": principal.sub, "created_at": at, "updated_at": at, "approved_by": None,
           "version": 1, "applied": [], "fingerprint": fingerprint,
           **store.state_fields(domain.Requisition(domain.SUBMITTED)),
           "history": [domain.entry(domain.SUBMITTED, principal.sub, at)]}
    events = [_event("RequisitionSubmitted", doc, principal.sub, "", correlation_id)]
    if domain.may_auto_approve([l["quantity"] for l in lines], settings.auto_approve(db)["max_quantity"]):
        doc.update(status=domain.APPROVED, approved_by="auto-approve")
        doc["history"].append(domain.entry(domain.APPROVED, "auto-approve", at,
                                           "every line within the auto-approve size"))
        events.append(_event("RequisitionApproved", doc, "auto-approve", "", correlation_id))
    doc["outbox"] = [event.to_dict() for event in events]
    return doc


def _event(type_: str, doc: dict, by: str, reason: str, correlation_id: str | None):
    payload = {"requisition_id": doc["_id"], "artisan_id": doc["artisan_id"], "depot": doc["depot"],
               "lines": [{"sku": l["sku"], "quantity": l["quantity"]} for l in doc["lines"]], "by": by}
    if type_ == "RequisitionSubmitted":
        payload["note"] = doc["note"]
    elif type_ in ("RequisitionRejected", "RequisitionCancelled"):
        payload["reason"] = reason
    elif type_ == "RequisitionApproved" and doc.get("pricing"):
        payload.update(payable_total=doc["pricing"]["payable_total"], subsidy_total=doc["pricing"]["subsidy_total"])
    return new_event(type_, doc["_id"], payload, source=SOURCE, correlation_id=correlation_id)
