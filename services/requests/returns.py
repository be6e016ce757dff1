"""Returns of handed-over materials: what came back from an artisan (a cooperative's: from one member), its credit note.

A return is recorded by the depot's staff (or an admin) on a requisition handed over (dispatched or
received), for one member's share: each line a material of that share, how much came back and whether
it goes back on the shelf (`restock`) or is written off (`damaged`), never more than was handed over
to that member less what they returned before. A shortfall a cooperative's member reported (their share's
confirmation `short`, `short_by`) is settled the same way, as lines `short` ("did not reach the member"):
only of a material reported short, and all of them together never above what was reported short of it.
Its money is worked out once, when it is recorded: the credit is what the member was charged for that
much of the line (the line's amount, proportionally), the subsidy and the subsidised quantity the same
share of the line's; each is rounded from the running total (what all this member's returns of the line
come to, less what the earlier ones were given), so returning everything, in any number of returns, gives
back exactly what was charged.

Its writes, in order, each applied once whatever happens between them:
1. the requisition: the return (with its id) and its RequisitionReturned event in the outbox, on the version read,
   so two returns at once cannot both take the last kilogram (the check is made again on the version written);
2. the member's account: the credit note (`credit_note:<return id>`, accounts.credit_note);
3. the quota and 4. the entitlement of the month the requisition counted in: the quantity (and the subsidised
   quantity) given back (monthly.give_back_part, noted under the return's id);
5. the return marked `settled`.
A process that dies after 1 leaves the return unsettled: the same POST sent again (the same Idempotency-Key)
finishes it and answers it, and so does the next return recorded on the requisition or the next reading of it
(`finish`); `rawbank reconcile` reports a return whose credit note is missing until then.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from services.requests import accounts, errors, materials, monthly, parties
from shared import idempotency
from shared.auth import Principal
from shared.calendar import month_of
from shared.envelope import new_event, utcnow_iso
from shared.errors import Busy, Forbidden, Invalid
from shared.i18n import F_
from shared.money import round_half_up
from shared.quantity import format_quantity, whole_enough
from shared.relay import outbox_push

SOURCE = "requests"
MAX_ATTEMPTS = 30
RETURNABLE = ("dispatched", "received")
SHORT = "short"  # did not reach the member: a shortfall the member reported, settled as a return (no stock moves)
CONDITIONS = ("restock", "damaged", SHORT)
#: of a line's, per unit returned; `value` (the whole mill-gate value) is what the department's reports take back
PROPORTIONAL = ("credit", "subsidy", "subsidised_quantity", "subsidised_value", "value")
LINE_OF = {"credit": "amount", "subsidy": "subsidy", "subsidised_quantity": "subsidised_quantity",
           "subsidised_value": "subsidised_value", "value": "value"}
MEMBER_NEEDED = F_("the member of this cooperative's request whose materials came back")
NOT_THE_ARTISAN = F_("only for a cooperative's request: the member whose materials came back")


def record(db, principal: Principal, req_id: str, body: dict, *, idempotency_key: str | None, now: datetime,
           correlation_id: str | None = None) -> tuple[dict, bool]:
    """Record a return with its credit note; (the return, True if recorded now). The same Idempotency-Key with the
    same body answers the return it made (finishing it if it died half-way); with another body, 409."""
    if principal.role not in ("admin", "warehouse"):
        raise Forbidden()
    return_id = idempotency.record_id(principal.sub, idempotency_key) if idempotency_key else uuid.uuid4().hex
    for _ in range(MAX_ATTEMPTS):
        doc = parties.visible_doc(db, principal, req_id)
        finish(db, doc)
        share = _share(doc, body.get("artisan_id"))
        fingerprint = idempotency.fingerprint({"artisan_id": share["artisan_id"], "reason": body["reason"],
                                               "lines": [[l["sku"], l["quantity"], l["condition"]]
                                                         for l in body["lines"]]})
        if idempotency_key:
            seen = next((r for r in doc.get("returns") or () if r["return_id"] == return_id), None)
            if seen is None and db.requisitions.find_one({"returns.return_id": return_id}, {"_id": 1}) is not None:
                raise errors.IdempotencyKeyReused({"requisition_id": req_id})  # a return of another request
            if seen is not None:
                if seen["fingerprint"] != fingerprint:
                    raise errors.IdempotencyKeyReused({"requisition_id": req_id})
                return seen, False
        if doc["status"] not in RETURNABLE:
            raise errors.NotReturnable({"status": doc["status"], "action": "return"})
        made = {"return_id": return_id, "artisan_id": share["artisan_id"], "district": share.get("district"),
                "lines": _lines(db, doc, share, body["lines"]), "reason": body["reason"], "by": principal.sub,
                "returned_at": now.isoformat(), "month": month_of(now), "fingerprint": fingerprint,
                "settled": False}
        made.update(credit=sum(l["credit"] for l in made["lines"]), subsidy=sum(l["subsidy"] for l in made["lines"]),
                    quota=_totals(made["lines"], "quota_category", "quantity"),
                    entitled=_totals(made["lines"], "category", "subsidised_quantity"))
        event = new_event("RequisitionReturned", req_id, _payload(doc, made), source=SOURCE,
                          correlation_id=correlation_id)
        if db.requisitions.update_one(
                {"_id": req_id, "version": doc["version"]},
                {"$set": {"version": doc["version"] + 1, "updated_at": utcnow_iso()},
                 "$push": {"returns": made, **outbox_push(event)}}).matched_count:
            _complete(db, doc, made)
            return {**made, "settled": True}, True
    raise Busy()


def listing(db, principal: Principal, req_id: str) -> list[dict]:
    """The returns of a requisition the caller may see (a member: their own), oldest first; any left half-done are
    finished first."""
    doc = parties.visible_doc(db, principal, req_id)
    if finish(db, doc):
        doc = parties.visible_doc(db, principal, req_id)
    return seen_by(principal, doc)


def seen_by(principal: Principal, doc: dict) -> list[dict]:
    """A requisition's returns as the caller sees them: a member of a cooperative's, their own only."""
    found = doc.get("returns") or []
    if principal.role == "artisan" and parties.is_cooperative(doc):
        found = [r for r in found if r["artisan_id"] == principal.artisan_id]
    return found


def finish(db, doc: dict) -> bool:
    """Finish the returns of a requisition that a process left half-done (each step is applied once); True if any."""
    pending = [r for r in doc.get("returns") or () if not r.get("settled")]
    for made in pending:
        _complete(db, doc, made)
    return bool(pending)


def returned(doc: dict, artisan_id: str | None = None, conditions: tuple[str, ...] = CONDITIONS) -> dict[str, int]:
    """sku -> how much of it came back (from one member, or from everyone), or was settled as not reaching the
    member (`short`); of the conditions named only, if named."""
    found: dict[str, int] = {}
    for made in doc.get("returns") or ():
        if artisan_id in (None, made["artisan_id"]):
            for line in made["lines"]:
                if line["condition"] in conditions:
                    found[line["sku"]] = found.get(line["sku"], 0) + line["quantity"]
    return found


def short_settled(doc: dict, share: dict) -> dict[str, int] | None:
    """sku -> how much of a member's reported shortfall was settled (`short` return lines); None for a share not
    reported short."""
    confirmation = share.get("confirmation") or {}
    if confirmation.get("status") != SHORT:
        return None
    return returned(doc, share["artisan_id"], (SHORT,))


def _share(doc: dict, artisan_id: str | None) -> dict:
    """The share whose materials came back: a cooperative's names its member; an artisan's own is theirs."""
    if not parties.is_cooperative(doc):
        if artisan_id and artisan_id != doc["artisan_id"]:
            raise Invalid({"artisan_id": [NOT_THE_ARTISAN]})
        return parties.of(doc)[0]
    share = next((s for s in doc["shares"] if artisan_id and s["artisan_id"] == artisan_id), None)
    if share is None:
        raise Invalid({"artisan_id": [MEMBER_NEEDED]})
    return share


def _lines(db, doc: dict, share: dict, asked: list[dict]) -> list[dict]:
    """Each line of a return with its money, or the refusal of the first that cannot come back."""
    handed = {line["sku"]: line for line in share["lines"]}
    priced = {line["sku"]: line for line in (share.get("pricing") or {}).get("lines", [])}
    before = returned(doc, share["artisan_id"])
    settled = returned(doc, share["artisan_id"], (SHORT,))
    confirmation = share.get("confirmation") or {}
    reported = (confirmation.get("short_by") or {}) if confirmation.get("status") == SHORT else {}
    known = materials.by_sku(db, [line["sku"] for line in asked])
    out = []
    for line in asked:
        sku, quantity = line["sku"], line["quantity"]
        names = {k: known[sku].get(k) for k in ("name", "name_hi")} if sku in known else {}
        if sku not in handed:
            raise errors.ReturnNotInShare({"sku": sku, "names": names})
        unit = handed[sku].get("unit") or ""
        if not whole_enough(quantity, unit):  # a plank comes back whole, as it was asked for and handed over
            raise errors.WholeUnitsOnly({"sku": sku, "unit": unit, "quantity": format_quantity(quantity),
                                         "names": names})
        if line["condition"] == SHORT:
            _settle_within(sku, quantity, reported, settled, handed[sku].get("unit") or "", names)
        given, back = handed[sku]["quantity"], before.get(sku, 0)
        if quantity > given - back:
            raise errors.ReturnAboveHandedOver({
                "sku": sku, "handed_over": format_quantity(given), "returned_before": format_quantity(back),
                "asked": format_quantity(quantity), "unit": handed[sku].get("unit") or "", "names": names})
        price = priced.get(sku, {})
        money = {name: _part(price.get(LINE_OF[name], 0), given, back, quantity) for name in PROPORTIONAL}
        out.append({"sku": sku, "quantity": quantity, "condition": line["condition"], **money,
                    "scheme": price.get("scheme"), "category": price.get("category") or handed[sku].get("category"),
                    "quota_category": handed[sku].get("category"), "unit": handed[sku].get("unit")})
    return out


def _settle_within(sku: str, quantity: int, reported: dict[str, int], settled: dict[str, int], unit: str,
                   names: dict) -> None:
    """A `short` line settles only a shortfall the member reported of that material, at most what is left of it."""
    if not reported.get(sku):
        raise errors.NotReportedShort({"sku": sku, "names": names})
    if quantity > reported[sku] - settled.get(sku, 0):
        raise errors.ShortAboveReported({
            "sku": sku, "reported_short": format_quantity(reported[sku]),
            "settled_before": format_quantity(settled.get(sku, 0)), "asked": format_quantity(quantity), "unit": unit,
            "names": names})


def _part(whole: int, given: int, before: int, quantity: int) -> int:
    """This return's part of a line's figure: the running total after it less the running total before it, each
    `whole` x returned / handed over, rounded half up (all of it returned: exactly `whole`)."""
    return round_half_up(whole * (before + quantity), given) - round_half_up(whole * before, given)


def _totals(lines: list[dict], key: str, figure: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in lines:
        if line[key] and line[figure]:
            found[line[key]] = found.get(line[key], 0) + line[figure]
    return found


def _payload(doc: dict, made: dict) -> dict:
    """RequisitionReturned's payload."""
    return {"requisition_id": doc["_id"], "return_id": made["return_id"], "artisan_id": made["artisan_id"],
            "depot": doc["depot"], "cooperative": doc.get("cooperative") if parties.is_cooperative(doc) else None,
            "district": made["district"], "reason": made["reason"], "month": made["month"], "by": made["by"],
            "credit": made["credit"], "subsidy": made["subsidy"],
            "lines": [{k: line[k] for k in ("sku", "quantity", "condition", "subsidised_quantity", "credit", "subsidy",
                                            "value")} for line in made["lines"]]}


def credit_note(doc: dict, made: dict) -> dict:
    """The return's entry on the member's account: the credit (negative, as a payment is) and the subsidy it takes
    off the claim of the return's month, line by line (as the charge's subsidy entry says what it claims)."""
    return {"id": f"credit_note:{made['return_id']}", "type": "credit_note", "requisition_id": doc["_id"],
            "return_id": made["return_id"], "at": made["returned_at"], "month": made["month"],
            "amount": -made["credit"], "subsidy": made["subsidy"], "district": made["district"],
            "reason": made["reason"], "by": made["by"],
            "lines": [{"scheme": line["scheme"], "category": line["category"], "unit": line["unit"],
                       "subsidised_quantity": line["subsidised_quantity"],
                       "subsidised_value": line["subsidised_value"], "subsidy": line["subsidy"]}
                      for line in made["lines"] if line["subsidised_quantity"] and line["scheme"]]}


def _complete(db, doc: dict, made: dict) -> None:
    """Steps 2-5 of a return (see the module's docstring), each once."""
    accounts.credit_note(db, made["artisan_id"], credit_note(doc, made))
    monthly.give_back_part(db.usage, made["artisan_id"], doc["month"], doc["_id"], made["return_id"], made["quota"])
    monthly.give_back_part(db.entitlements, made["artisan_id"], doc["month"], doc["_id"], made["return_id"],
                           made["entitled"])
    db.requisitions.update_one({"_id": doc["_id"], "returns.return_id": made["return_id"]},
                               {"$set": {"returns.$.settled": True}})


def credit_for(made: dict) -> str:
    """What a return's credit note is for, by its lines: `returned` (material that came back), `short` (material
    that did not reach the member) or `both`."""
    short = {line["condition"] == SHORT for line in made["lines"]}
    return "both" if short == {True, False} else "short" if True in short else "returned"


def credit_notes_for(db, entries: list[dict]) -> list[dict]:
    """Account entries, each credit note with what it is for (`credit_for`, as credit_for says; None for one whose
    return is not found), read in one query."""
    wanted = {e["requisition_id"] for e in entries if e["type"] == "credit_note"}
    if not wanted:
        return entries
    made = {r["return_id"]: r for doc in db.requisitions.find({"_id": {"$in": sorted(wanted)}}, {"returns": 1})
            for r in doc.get("returns") or ()}
    return [{**e, "credit_for": credit_for(made[e["return_id"]]) if e.get("return_id") in made else None}
            if e["type"] == "credit_note" else e for e in entries]


def by_member(doc: dict) -> dict[str, dict[str, dict]]:
    """A cooperative's request, member by member: artisan id -> sku -> how much of it was handed over to them
    (`quantity`) and came back from them or was settled short (`returned`), as the return form says it."""
    if not parties.is_cooperative(doc):
        return {}
    members = {}
    for share in doc.get("shares") or ():
        came_back = returned(doc, share["artisan_id"])  # once a member, not once a line
        members[share["artisan_id"]] = {line["sku"]: {"quantity": line["quantity"],
                                                      "returned": came_back.get(line["sku"], 0)}
                                        for line in share["lines"]}
    return members


def lines_returned(doc: dict) -> list[dict]:
    """The requisition's lines, each with how much of it came back (`returned`) once anything came back."""
    if not doc.get("returns"):
        return doc.get("lines") or []
    back = returned(doc)
    return [{**line, "returned": back.get(line["sku"], 0)} for line in doc.get("lines") or ()]

