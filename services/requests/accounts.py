"""Artisans' accounts: what each owes the bank, entry by entry.

One document per artisan holds the entries (a charge at dispatch at the mill-gate value with
freight and depot charge, the subsidy the department pays on it, payments), the balance (their
sum), what is paid per requisition, a version and an outbox. Every change is one update
conditional on the version that its checks read (the credit limit, what is due, a payment
reference seen before), carrying its events: two counters taking payments or dispatching for
one artisan at once cannot pass a limit together; the second finds the version moved, reads
again and checks again. An entry's id (`charge:<requisition>`, `payment:<reference>`) is never
written twice, so a retry, a replay or a repeated reference counts once. A payment recorded wrong
stays as it was and an admin's `payment_reversal` entry (`reversal:<payment id>`, with the reason)
takes it back: what it paid is paid no more, and its reference is not taken again. Money handed back
from the artisan's credit (the balance below zero) is an admin's `refund` entry (`refund:<reference>`,
positive); it says whose payments it returns, and what is paid on those requisitions falls by as much.
A payment reversed after a refund handed its money back leaves what is paid on its requisition below
zero: the artisan owes that money back, on the same terms as a charge. The reversal says how much
(`repay`) and by when (`due_on`: its day plus the artisan's credit days), and it is a due of that
requisition (kind `refund_reversed`) until payments on the requisition, or paid beyond elsewhere, cover it.

Dispatch writes the charge first (the credit check needs this document), then the requisition.
If it dies in between, or the requisition was cancelled meanwhile, the charge is taken back:
by the cancel, by the dispatch's own retry finding it cannot dispatch, or, once it is older than
monthly.GRACE, by the next reading of the account or the next credit check that would refuse.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from pymongo.errors import DuplicateKeyError

from services.requests import artisans, credit, domain, monthly, pricing
from services.requests.errors import (AdvanceRequired, CreditLimitExceeded, NotPayable, PaymentAboveDue,
                                      PaymentPartReversed, PaymentReferenceReused, PaymentReferenceReversed,
                                      RefundAboveCredit, RefundReferenceReused, RepaymentAboveDue, RepaymentOnly,
                                      SharesPaymentAboveDue)
from shared.calendar import add_days, day_of, month_of
from shared.envelope import new_event
from shared.errors import Busy, Invalid, NotFound
from shared.i18n import F_
from shared.money import format_money
from shared.relay import outbox_push

SOURCE = "requests"
MAX_ATTEMPTS = 30
DISPATCHED = (domain.DISPATCHED, domain.RECEIVED)
NOT_PAYABLE = (domain.CANCELLED, domain.REJECTED)
REPAY = "refund_reversed"  # a due's kind: refunded, then the payment was reversed


def _account(db, artisan_id: str) -> dict:
    """The artisan's account as stored; one not written yet is empty, at version 0 (the first write makes it)."""
    return _filled(db.accounts.find_one({"_id": artisan_id}, {"outbox": 0}) or {"_id": artisan_id})


def _filled(doc: dict) -> dict:
    return {"balance": 0, "version": 0, "entries": [], "paid": {}, **doc}


def dues(account: dict, paid: dict | None = None) -> list[dict]:
    """The account's open dues (see pricing.open_dues): its charges, and what reversals left to repay."""
    credits = credited(account["entries"])  # a return's credit note takes its part off the charge
    charges = [(e["requisition_id"], e["due_on"], e["payable"] - credits.get(e["requisition_id"], 0), e["at"])
               for e in account["entries"] if e["type"] == "charge"]
    return pricing.open_dues(charges, account["paid"] if paid is None else paid, repays(account["entries"]))


def credited(entries: list[dict]) -> dict[str, int]:
    """requisition -> what the credit notes of its returns took off what it was charged (returns.py)."""
    found: dict[str, int] = {}
    for e in entries:
        if e["type"] == "credit_note":
            found[e["requisition_id"]] = found.get(e["requisition_id"], 0) - e["amount"]
    return found


def still_to_pay(account: dict, rid: str, payable: int) -> int:
    """What is still to pay on a requisition (or a member's share) priced `payable`: the price less what the credit
    notes of its returns took off it, less what is paid on it; never below zero. The payment rules take no more (cash
    above it would leave the balance below zero), and it is the "Still to pay" of the pages and the open due."""
    return max(payable - credited(account["entries"]).get(rid, 0) - account["paid"].get(rid, 0), 0)


def credit_note(db, artisan_id: str, entry: dict) -> bool:
    """Write a return's credit note (`credit_note:<return id>`, its amount the credit, negative) on the member's
    account, once, with its AccountUpdated (cause `credit_note`); True if written now, False if it was there."""
    for _ in range(MAX_ATTEMPTS):
        account = _account(db, artisan_id)
        if any(e["id"] == entry["id"] for e in account["entries"]):
            return False
        if _write(db, account, cause="credit_note", requisition_id=entry["requisition_id"], add=[entry],
                  extra={"amount": -entry["amount"]} if entry["amount"] else None):
            return True
    raise Busy()


def repays(entries: list[dict]) -> list[tuple[str, str, int, str]]:
    """(requisition, due day, amount, reversed at) of each reversal that left what is paid on its requisition below
    zero (a refund had handed its money back), by how much further below it went: what the artisan owes back.
    Walked from the entries in the order they were written; a reversal stored before reversals kept a due day is due
    on its own day."""
    paid: dict[str, int] = {}
    found = []
    for e in entries:
        if e["type"] == "refund":
            for rid, amount in e["requisitions"].items():
                paid[rid] = paid.get(rid, 0) - amount
        elif e["type"] in ("payment", "payment_reversal"):
            rid, before = e["requisition_id"], paid.get(e["requisition_id"], 0)
            paid[rid] = before - e["amount"]
            if e["type"] == "payment_reversal" and (owed := max(-paid[rid], 0) - max(-before, 0)) > 0:
                found.append((rid, e.get("due_on") or day_of(datetime.fromisoformat(e["at"])), owed, e["at"]))
    return found


def _write(db, account: dict, *, cause: str, requisition_id: str, add=(), remove=(), paid_add: int = 0,
           event_type: str = "AccountUpdated", extra: dict | None = None, paid_less: dict | None = None) -> bool:
    """Apply one change to the account as read, with its event; False if the account moved since. `paid_add` is
    paid on `requisition_id`; `paid_less`: requisition id -> what is paid on it no more (a refund)."""
    gone = [e for e in account["entries"] if e["id"] in remove]
    balance = account["balance"] + sum(e["amount"] for e in add) - sum(e["amount"] for e in gone)
    entries = [e for e in account["entries"] if e["id"] not in remove] + list(add)
    changes = {rid: -amount for rid, amount in (paid_less or {}).items()}
    if paid_add:
        changes[requisition_id] = changes.get(requisition_id, 0) + paid_add
    paid = {**account["paid"], **{rid: account["paid"].get(rid, 0) + change for rid, change in changes.items()}}
    version = account["version"] + 1
    payload = {"artisan_id": account["_id"], "version": version, "balance_due": balance, "cause": cause,
               "requisition_id": requisition_id, "open_dues": dues({"entries": entries, "paid": paid}), **(extra or {})}
    event = new_event(event_type, account["_id"], payload, source=SOURCE)
    update = {"$set": {"balance": balance, "version": version}, "$push": outbox_push(event)}
    if add:
        update["$push"]["entries"] = {"$each": list(add)}
    if changes:
        update["$inc"] = {f"paid.{rid}": change for rid, change in changes.items()}
    if remove:
        update["$pull"] = {"entries": {"id": {"$in": list(remove)}}}
    try:
        result = db.accounts.update_one({"_id": account["_id"], "version": account["version"]}, update,
                                        upsert=account["version"] == 0)
    except DuplicateKeyError:  # another writer made the account first
        return False
    return result.matched_count == 1 or result.upserted_id is not None


def charge(db, req: dict, priced: dict, artisan: dict, now: datetime) -> str:
    """Charge a requisition at dispatch, within the artisan's credit terms; the day it is due.

    Before the credit limit refuses, charges of dispatches that died are taken back (as quota is
    settled before a submit is refused): a charge for stock that never left costs no credit."""
    rid, payable, terms = req["_id"], priced["payable_total"], credit.terms_for(db, artisan)
    for _ in range(MAX_ATTEMPTS):
        account = _within_terms(db, req["artisan_id"], rid, payable, terms)
        done = next((e for e in account["entries"] if e["id"] == f"charge:{rid}"), None)
        if done is not None:
            return done["due_on"]
        due_on = add_days(day_of(now), terms["credit_days"])
        at, month = now.isoformat(), month_of(now)
        entries = [{"id": f"charge:{rid}", "type": "charge", "requisition_id": rid, "at": at, "month": month,
                    "amount": priced["value_total"] + priced["freight_total"] + priced["depot_charge_total"],
                    "payable": payable, "due_on": due_on},
                   {"id": f"subsidy:{rid}", "type": "subsidy", "requisition_id": rid, "at": at, "month": month,
                    "amount": -priced["subsidy_total"], "district": req.get("district") or artisan.get("district"),
                    "lines": [{k: line[k] for k in ("scheme", "category", "unit", "subsidised_quantity",
                                                      "subsidised_value", "subsidy")}
                              for line in priced["lines"] if line["subsidised_quantity"]]}]
        if _write(db, account, cause="charge", requisition_id=rid, add=entries):
            return due_on
    raise Busy()


def may_charge(db, req: dict, priced: dict, artisan: dict) -> None:
    """Refuse what `charge` would refuse now (the credit limit, the advance), writing nothing but the take-back of
    stale charges that `charge` would make too. A cooperative's dispatch asks it of every member before charging any,
    so one member's refusal leaves the others' accounts as they were (no charge written and taken back)."""
    _within_terms(db, req["artisan_id"], req["_id"], priced["payable_total"], credit.terms_for(db, artisan))


def _within_terms(db, artisan_id: str, rid: str, payable: int, terms: dict) -> dict:
    """The account as read, once a charge of `payable` for `rid` is within its credit terms (the part not paid yet is
    taken on credit; a charge already written, or a share paid in full, is within them); else the refusal. Before the
    credit limit refuses, charges of dispatches that died are taken back and the account is read again, once."""
    account = _account(db, artisan_id)
    try:
        _check_charge(account, rid, payable, terms)
    except CreditLimitExceeded:
        if not _take_back_stale(db, account, datetime.now(timezone.utc)):
            raise
        account = _account(db, artisan_id)
        _check_charge(account, rid, payable, terms)
    return account


def _check_charge(account: dict, rid: str, payable: int, terms: dict) -> None:
    if _goes_on_credit(account, rid, payable):
        _check_credit(account["balance"] + payable, account["paid"].get(rid, 0), payable, terms)


def _goes_on_credit(account: dict, rid: str | None, payable: int) -> bool:
    """Whether charging `payable` for `rid` puts some of it on credit: not paid in full on it, nor charged already."""
    return account["paid"].get(rid, 0) < payable and not any(e["id"] == f"charge:{rid}" for e in account["entries"])


def charged_at(db, artisan_ids, rid: str) -> datetime | None:
    """When a requisition was first charged to any of these accounts (a dispatch that died after charging); None
    if it was not."""
    moments = [datetime.fromisoformat(entry["at"]) for doc in db.accounts.find({"_id": {"$in": list(artisan_ids)}},
                                                                              {"entries": 1})
               for entry in doc.get("entries", ()) if entry["id"] == f"charge:{rid}"]
    return min(moments, default=None)


def to_pay_first(db, artisan: dict, payable: int, rid: str | None = None) -> int:
    """What is to be paid before the depot may hand over a requisition priced `payable` (`rid`: one not handed over
    yet; None: one not sent yet, an estimate), as the artisan's account and credit terms stand now: what brings the
    dues back within the credit limit, or what is left of the advance, whichever is more; 0 when it may go on credit
    as it is. The dispatch's refusals (credit_limit_exceeded, advance_required) ask the same, so the new request's price
    and the request's page say it before the artisan comes to the counter. Only reads (stale charges are taken back by
    the next write, see _within_terms)."""
    return pay_first(db, artisan, payable, rid)[0]


def pay_first(db, artisan: dict, payable: int, rid: str | None = None) -> tuple[int, dict | None]:
    """to_pay_first's figure, and why it is more than the requisition itself when the credit limit is why: the
    artisan's dues on earlier requisitions and their credit limit, which add up to it (dues + payable - limit), for
    the artisan to check it; None when it is not more, or an advance is why. One read of the account and the terms
    for both (a request's page read them twice)."""
    account = _account(db, artisan["_id"])
    if not _goes_on_credit(account, rid, payable):
        return 0, None
    paid_here = account["paid"].get(rid, 0)
    terms = credit.terms_for(db, artisan)
    dues, limit = account["balance"], terms["credit_limit"]
    asked = max(dues + payable - limit, pricing.advance_needed(payable, terms["advance_percent"]) - paid_here, 0)
    if asked <= payable or dues <= 0 or dues + payable - limit != asked:
        return asked, None
    return asked, {"dues": dues, "this": payable, "total": dues + payable, "limit": limit}


def _check_credit(balance_after: int, paid_here: int, payable: int, terms: dict) -> None:
    if balance_after > terms["credit_limit"]:
        raise CreditLimitExceeded({"balance_after": format_money(balance_after),
                                   "credit_limit": format_money(terms["credit_limit"]),
                                   "to_pay": format_money(balance_after - terms["credit_limit"])})
    advance = pricing.advance_needed(payable, terms["advance_percent"])
    if paid_here < advance:
        raise AdvanceRequired({"advance": format_money(advance), "paid": format_money(paid_here)})


def uncharge(db, artisan_id: str, rid: str) -> bool:
    """Take back the charge of a requisition that did not leave the depot; False if there is none."""
    for _ in range(MAX_ATTEMPTS):
        account = _account(db, artisan_id)
        if not any(e["id"] == f"charge:{rid}" for e in account["entries"]):
            return False
        if _write(db, account, cause="reversal", requisition_id=rid, remove=(f"charge:{rid}", f"subsidy:{rid}")):
            return True
    raise Busy()


def payment_id(reference: str) -> str:
    return "payment:" + hashlib.sha256(reference.encode()).hexdigest()[:32]


def pay(db, req: dict, body: dict, *, by: str, now: datetime, of: dict | None = None) -> tuple[dict, bool]:
    """Record a payment for a requisition; a repeated reference is the same payment (False: not new). `of`: the
    cooperative's payment for all that this one is a part of (`pay_shares`), kept on the entry."""
    rid, pid = req["_id"], payment_id(body["reference"])
    closed = req["status"] in NOT_PAYABLE  # it takes only what a reversal left to repay on it
    payable = 0 if closed else (req.get("pricing") or {}).get("payable_total", 0)
    for _ in range(MAX_ATTEMPTS):
        account = _account(db, req["artisan_id"])
        seen = next((e for e in account["entries"] if e["id"] == pid), None)
        if seen is not None:
            if (done := _reversal(account, pid)) is not None:  # sent again as it was, or not: nothing is recorded
                raise PaymentReferenceReversed({"reference": body["reference"], **reversed_when(done)})
            if (seen["requisition_id"], -seen["amount"], seen["method"]) != (rid, body["amount"], body["method"]):
                raise PaymentReferenceReused({"reference": body["reference"]})
            return _payment_view(seen, account), False
        due = still_to_pay(account, rid, payable) if not closed else max(-account["paid"].get(rid, 0), 0)
        if closed and not due:
            raise NotPayable({"status": req["status"]})
        if closed and body["method"] == "advance":
            raise RepaymentOnly({"status": req["status"], "due": format_money(due)})
        if closed and body["amount"] > due:
            raise RepaymentAboveDue({"due": format_money(due), "amount": format_money(body["amount"])})
        if body["method"] != "advance" and body["amount"] > due:
            raise PaymentAboveDue({"due": format_money(due), "amount": format_money(body["amount"])})
        entry = {"id": pid, "type": "payment", "requisition_id": rid, "at": now.isoformat(), "month": month_of(now),
                 "amount": -body["amount"], "method": body["method"], "reference": body["reference"], "by": by,
                 **({"of": of} if of else {})}
        extra = {"payment_id": pid, "amount": body["amount"], "method": body["method"],
                 "reference": body["reference"], "by": by,
                 **_to_pay(req, account, account["paid"].get(rid, 0) + body["amount"])}
        if _write(db, account, cause="payment", requisition_id=rid, add=[entry], paid_add=body["amount"],
                  event_type="PaymentRecorded", extra=extra):
            return _payment_view(entry, _account(db, account["_id"])), True
    raise Busy()


ADVANCE_NAMES_MEMBER = F_("an advance on a cooperative's requisition names the member it is for")


def pay_shares(db, req: dict, shares: list[dict], body: dict, *, by: str, now: datetime) -> tuple[dict, bool]:
    """A cooperative's payment that names no member (its secretary pays for all at the depot): one payment per
    member's share still owing, in the shares' order, each up to what is due on it, under its own reference
    (`<reference>/<member>`), so the same payment sent again, or again after a crash between two of them, records
    none twice and finishes the rest. An advance names its member; more than all the shares owe is refused."""
    if body["method"] == "advance":
        raise Invalid({"artisan_id": [ADVANCE_NAMES_MEMBER]})
    left, parts = body["amount"], []
    for share in shares:
        ref, account = f"{body['reference']}/{share['artisan_id']}", _account(db, share["artisan_id"])
        seen = next((e for e in account["entries"] if e["id"] == payment_id(ref)), None)
        if seen is not None and (done := _reversal(account, payment_id(ref))) is not None:  # before any part is paid
            raise PaymentPartReversed({"reference": body["reference"], "artisan_id": share["artisan_id"],
                                       **reversed_when(done)})
        if seen is not None and seen.get("of", {}).get("amount") != body["amount"]:  # another payment's reference
            raise PaymentReferenceReused({"reference": body["reference"]})
        due = still_to_pay(account, req["_id"], (share.get("pricing") or {}).get("payable_total", 0))
        part = -seen["amount"] if seen else min(left, due)
        if part > 0:
            parts.append((share, ref, part))
            left -= part
    if left > 0:  # what the shares can take is all that is due on them
        raise SharesPaymentAboveDue({"due": format_money(body["amount"] - left),
                                     "amount": format_money(body["amount"])})
    made, created = [], False
    for share, ref, part in parts:
        view, new = pay(db, {**req, "artisan_id": share["artisan_id"], "pricing": share["pricing"]},
                        {**body, "amount": part, "reference": ref}, by=by, now=now,
                        of={"reference": body["reference"], "amount": body["amount"]})
        made.append({"artisan_id": share["artisan_id"], **view})
        created = created or new
    return {"payment_id": payment_id(body["reference"]), "requisition_id": req["_id"], "amount": body["amount"],
            "method": body["method"], "reference": body["reference"], "by": by,
            "at": made[0]["at"] if made else now.isoformat(), "paid": sum(p["paid"] for p in made),
            "parts": [{"artisan_id": p["artisan_id"], "payment_id": p["payment_id"], "amount": p["amount"]}
                      for p in made]}, created


def reverse(db, req: dict, payment_id: str, reason: str, *, by: str, now: datetime) -> tuple[dict, bool]:
    """Take back a payment recorded wrong (admins), with the reason: what it paid is paid no more. Once: sent
    again, the reversal made is the answer (False: not new). 404 for a payment not on this requisition."""
    rid, terms = req["_id"], None
    for _ in range(MAX_ATTEMPTS):
        account = _account(db, req["artisan_id"])
        payment = next((e for e in account["entries"] if e["id"] == payment_id and e["type"] == "payment"
                        and e["requisition_id"] == rid), None)
        if payment is None:
            raise NotFound({"payment_id": payment_id})
        if (done := _reversal(account, payment_id)) is not None:
            return _payment_view(payment, account, done), False
        entry = {"id": f"reversal:{payment_id}", "type": "payment_reversal", "requisition_id": rid,
                 "payment_id": payment_id, "at": now.isoformat(), "month": month_of(now), "amount": -payment["amount"],
                 "method": payment["method"], "reference": payment["reference"], "reason": reason, "by": by}
        before = account["paid"].get(rid, 0)
        if (repay := max(-payment["amount"] - before, 0) - max(-before, 0)) > 0:  # a refund handed its money back
            terms = terms or credit.terms_for(db, artisans.profile(db, req["artisan_id"]) or {"_id": req["artisan_id"]})
            entry.update(repay=repay, due_on=add_days(day_of(now), terms["credit_days"]))
        if _write(db, account, cause="payment_reversal", requisition_id=rid, add=[entry], paid_add=payment["amount"],
                  extra={"amount": -payment["amount"], **_to_pay(req, account, before + payment["amount"])}):
            return _payment_view(payment, _account(db, account["_id"]), entry), True
    raise Busy()


def _to_pay(req: dict, account: dict, paid_after: int) -> dict:
    """The event's `to_pay`: what is still to pay of a requisition (or member's share) approved and not charged yet
    (not dispatched), its price less what is paid on it after this change; nothing for one charged (its open due
    says what is owed), closed or not priced. Without it, a payment ahead of dispatch was texted "Nothing is owed"."""
    payable = (req.get("pricing") or {}).get("payable_total")
    if payable is None or req["status"] in DISPATCHED + NOT_PAYABLE \
            or any(e["id"] == f"charge:{req['_id']}" for e in account["entries"]):
        return {}
    return {"to_pay": max(payable - paid_after, 0)}


def _reversal(account: dict, payment_id: str) -> dict | None:
    return next((e for e in account["entries"] if e["id"] == f"reversal:{payment_id}"), None)


def reversed_when(reversal: dict) -> dict:
    """What a refusal of a reversed payment's reference says of its reversal: the day (India's) and who."""
    return {"reversed_on": day_of(datetime.fromisoformat(reversal["at"])), "reversed_by": reversal["by"]}


def _reversals(entries: list[dict]) -> dict[str, dict]:
    """payment id -> the entry that took that payment back."""
    return {e["payment_id"]: e for e in entries if e["type"] == "payment_reversal"}


def _reversed(reversal: dict | None) -> dict:
    """What a payment says of the reversal that took it back (nothing if none did)."""
    return {} if reversal is None else {"reversed": True, "reason": reversal["reason"], "reversed_by": reversal["by"],
                                        "reversed_at": reversal["at"]}


def _payment_view(entry: dict, account: dict, reversal: dict | None = None) -> dict:
    """A payment as the API shows it; `reversal`: the entry that took it back (then `reversed`, `reason`)."""
    return {"payment_id": entry["id"], "requisition_id": entry["requisition_id"], "amount": -entry["amount"],
            "method": entry["method"], "reference": entry["reference"], "by": entry["by"], "at": entry["at"],
            "paid": account["paid"].get(entry["requisition_id"], 0), "balance_due": account["balance"],
            **_reversed(reversal)}


def payments_of(account: dict, rid: str | None = None) -> list[dict]:
    """The payments (of one requisition, or all), each with `amount` positive and, if reversed, the reversal's
    `reason`, `reversed_by` and `reversed_at`."""
    reversals = _reversals(account["entries"])
    return [{**e, "amount": -e["amount"], **_reversed(reversals.get(e["id"]))}
            for e in account["entries"] if e["type"] == "payment" and rid in (None, e["requisition_id"])]


def credit_of(account: dict) -> int:
    """What is to the artisan's credit: paid beyond what they owe (the balance below zero), else 0."""
    return max(-account["balance"], 0)


def refund_id(reference: str) -> str:
    return "refund:" + hashlib.sha256(reference.encode()).hexdigest()[:32]


def refund(db, artisan_id: str, body: dict, *, by: str, now: datetime) -> tuple[dict, bool]:
    """Hand back money to an artisan's credit (admins): at most what is paid beyond what is owed. Once: the same
    reference with the same content answers the refund made (False: not new); with another content, 409."""
    rfid = refund_id(body["reference"])
    for _ in range(MAX_ATTEMPTS):
        account = _settled(db, _account(db, artisan_id), now)
        seen = next((e for e in account["entries"] if e["id"] == rfid), None)
        if seen is not None:
            if (seen["amount"], seen["method"], seen["reason"]) != (body["amount"], body["method"], body["reason"]):
                raise RefundReferenceReused({"reference": body["reference"]})
            return _refund_view(seen, account), False
        drawn = _drawn_from(db, account, body["amount"])
        if body["amount"] > (credit := credit_of(account)) or sum(drawn.values()) != body["amount"]:
            raise RefundAboveCredit({"amount": format_money(body["amount"]), "credit": format_money(credit)})
        entry = {"id": rfid, "type": "refund", "at": now.isoformat(), "month": month_of(now), "amount": body["amount"],
                 "method": body["method"], "reference": body["reference"], "reason": body["reason"], "by": by,
                 "requisitions": drawn}
        if _write(db, account, cause="refund", requisition_id=next(iter(drawn)), add=[entry], paid_less=drawn,
                  extra={"amount": body["amount"], "requisitions": drawn}):
            return _refund_view(entry, _account(db, artisan_id)), True
    raise Busy()


def _drawn_from(db, account: dict, amount: int) -> dict[str, int]:
    """Whose money a refund hands back: first what was paid on requisitions cancelled or rejected, then what was
    paid beyond the price of those charged, then advances on those still open; each in the order first paid."""
    credits = credited(account["entries"])
    charged = {e["requisition_id"]: e["payable"] - credits.get(e["requisition_id"], 0) for e in account["entries"]
               if e["type"] == "charge"}
    order = list(dict.fromkeys([e["requisition_id"] for e in account["entries"] if e["type"] == "payment"]
                               + list(account["paid"])))
    closed = {doc["_id"] for doc in db.requisitions.find({"_id": {"$in": order}, "status": {"$in": list(NOT_PAYABLE)}},
                                                         {"_id": 1})}
    drawn, left = {}, amount
    for rid in sorted(order, key=lambda r: 0 if r in closed else 1 if r in charged else 2):
        if (take := min(max(account["paid"].get(rid, 0) - charged.get(rid, 0), 0), left)) > 0:
            drawn[rid], left = take, left - take
    return drawn


def _refund_view(entry: dict, account: dict) -> dict:
    """A refund as the API shows it, with the account's balance and credit as they are now."""
    return {"refund_id": entry["id"], "artisan_id": account["_id"],
            **{k: entry[k] for k in ("amount", "method", "reference", "reason", "by", "at", "requisitions")},
            "balance_due": account["balance"], "credit": credit_of(account)}


def refunds_of(account: dict, rid: str) -> list[dict]:
    """The refunds that handed back money paid on a requisition, each with `amount` what it took of that one."""
    return [_refund_of(e, rid) for e in account["entries"] if e["type"] == "refund" and rid in e["requisitions"]]


def _refund_of(entry: dict, rid: str) -> dict:
    """A refund entry as one requisition's refunds list it: `amount` what it took of that one."""
    return {"refund_id": entry["id"], "amount": entry["requisitions"][rid],
            **{k: entry[k] for k in ("method", "reference", "reason", "by", "at")}}


def paid_on(db, artisan_id: str, rid: str) -> int:
    """What is paid on a requisition (on one member's share of a cooperative's) as the artisan's account counts it:
    its `paid`, which every payment, reversal and refund moves in the same write as its entry (payments and advances
    on it, less those reversed, less what refunds handed back of it). Below zero: refunded, then reversed."""
    return _account(db, artisan_id)["paid"].get(rid, 0)


def of_requisition(db, artisan_id: str, rid: str) -> dict:
    """What is paid on a requisition (less refunds), its payments (a reversed one says so), its refunds and what is to
    be repaid on it (refunded, then the payment was reversed), by when."""
    return of_requisitions(db, artisan_id, [rid])[rid]


def of_requisitions(db, artisan_id: str, rids) -> dict[str, dict]:
    """`of_requisition` of each of an artisan's requisitions `rids`, from one read of their account."""
    account = _account(db, artisan_id)
    credits, open_dues, wanted = credited(account["entries"]), dues(account), set(rids)
    paid_by: dict[str, list] = {rid: [] for rid in wanted}
    refunds_by: dict[str, list] = {rid: [] for rid in wanted}
    repay_by: dict[str, list] = {rid: [] for rid in wanted}
    for payment in payments_of(account):
        if payment["requisition_id"] in wanted:
            paid_by[payment["requisition_id"]].append(payment)
    for e in account["entries"]:
        if e["type"] == "refund":
            for rid in wanted.intersection(e["requisitions"]):
                refunds_by[rid].append(_refund_of(e, rid))
    for due in to_repay(open_dues):
        if due["requisition_id"] in wanted:
            repay_by[due["requisition_id"]].append({k: v for k, v in due.items() if k != "requisition_id"})
    return {rid: {"paid": account["paid"].get(rid, 0), "credited": credits.get(rid, 0), "payments": paid_by[rid],
                  "refunds": refunds_by[rid], "repay": repay_by[rid]} for rid in rids}


def to_repay(open_dues: list[dict], rid: str | None = None) -> list[dict]:
    """Of the open dues, those to repay (of one requisition, or all): `due_on` and `amount` (and the requisition)."""
    return [{"due_on": due["due_on"], "amount": due["amount"],
             **({} if rid else {"requisition_id": due["requisition_id"]})}
            for due in open_dues if due.get("kind") == REPAY and rid in (None, due["requisition_id"])]


def view(db, artisan: dict, now: datetime) -> dict:
    """An artisan's account: balance due, what of it is overdue, their credit terms and every entry, newest first."""
    account = _settled(db, _account(db, artisan["_id"]), now)
    open_dues = dues(account)
    terms = credit.terms_for(db, artisan)
    return {"artisan_id": artisan["_id"], "balance_due": account["balance"], "credit": credit_of(account),
            "refunds": sorted((_refund_view(e, account) for e in account["entries"] if e["type"] == "refund"),
                              key=lambda r: r["at"], reverse=True),
            "overdue": pricing.overdue(open_dues, day_of(now)), "open_dues": open_dues, **terms,
            "credit_source": terms["source"],
            "entries": sorted(_marked(account["entries"]), key=lambda e: e["at"], reverse=True)}


def _marked(entries: list[dict]) -> list[dict]:
    """The entries, a payment taken back marked `reversed` (the account page says so beside it)."""
    reversals = _reversals(entries)
    return [{**e, "reversed": True} if e["type"] == "payment" and e["id"] in reversals else e for e in entries]


MAX_LISTED = 5000  # accounts sorted by what is owed, for the accounts page to show a page at a time


def listing(db, principal, now: datetime, *, limit: int = 500) -> list[dict]:
    """The accounts a caller may see (their cooperative's, or all for staff), most overdue and most owed first."""
    scope = artisans.visible(principal)
    query = {"_id": {"$in": [a["_id"] for a in db.artisans.find(scope, {"_id": 1}).limit(5000)]}} if scope else {}
    # past the limit, those who owe most (what is overdue is part of what is owed): never the first accounts written
    docs = [_filled(doc) for doc in db.accounts.find(query, {"outbox": 0}).sort([("balance", -1), ("_id", 1)])
            .limit(limit)]
    names = {a["_id"]: a for a in db.artisans.find({"_id": {"$in": [d["_id"] for d in docs]}}, artisans.PUBLIC)}
    rows = [{"artisan_id": doc["_id"], "artisan": names.get(doc["_id"], {}), "balance_due": doc["balance"],
             "overdue": pricing.overdue(dues(doc), day_of(now))} for doc in docs]
    return sorted(rows, key=lambda r: (-r["overdue"], -r["balance_due"], r["artisan_id"]))


def _settled(db, account: dict, now: datetime) -> dict:
    """The account after taking back charges whose requisition never left the depot."""
    return _account(db, account["_id"]) if _take_back_stale(db, account, now) else account


def _take_back_stale(db, account: dict, now: datetime) -> list[str]:
    """Take back the charges older than monthly.GRACE whose requisition never left the depot; their requisitions."""
    charged = {e["requisition_id"]: e for e in account["entries"] if e["type"] == "charge"}
    stale = [doc["_id"] for doc in db.requisitions.find(
        {"_id": {"$in": list(charged)}, "status": {"$nin": list(DISPATCHED)}}, {"_id": 1})
             if datetime.fromisoformat(charged[doc["_id"]]["at"]) < now - monthly.GRACE]
    for rid in stale:
        uncharge(db, account["_id"], rid)
    return stale
