"""An artisan's passbook: looms, this month's entitlements and what is left, every requisition with its
quantities, prices and confirmations, and what is paid and due — the digital "yarn passbook"."""
from __future__ import annotations

from datetime import datetime

from services.requests import accounts, artisans, cooperatives, entitlements, parties, quotas, shares, store
from shared.auth import Principal

ENTRIES = 200  # requisitions in a passbook, newest first


def of(db, principal: Principal, artisan_id: str, month: str, now: datetime) -> dict:
    """The passbook of an artisan the caller may see (404 otherwise), with the entitlements of `month`."""
    artisan = artisans.get(db, principal, artisan_id)
    coop = db.cooperatives.find_one({"_id": artisan.get("cooperative")}, cooperatives.PUBLIC) \
        if artisan.get("cooperative") else None
    as_member = Principal(principal.sub, "artisan", artisan_id=artisan_id)
    docs = db.requisitions.find(parties.scope(as_member), store.HIDDEN).sort("created_at", -1).limit(ENTRIES)
    account = accounts.view(db, artisan, now)
    return {"artisan": artisan, "cooperative": coop, "month": month,
            "entitlements": entitlements.rows(db, artisan, month, now),
            "quotas": quotas.usage_of(db, artisan, month, now),
            "requisitions": [_entry(db, parties.seen_by(as_member, doc)) for doc in docs],
            "account": {k: account[k] for k in ("balance_due", "overdue", "open_dues", "credit_limit", "credit_days")},
            "payments": accounts.payments_of(account), "refunds": account["refunds"],
            "credit_notes": [e for e in account["entries"] if e["type"] == "credit_note"]}


def _entry(db, doc: dict) -> dict:
    """One requisition as the artisan's passbook shows it: their own lines, price and confirmation."""
    share = doc["shares"][0] if doc.get("shares") else None
    money = accounts.of_requisition(db, doc["artisan_id"], doc["_id"])
    return {"id": doc["_id"], "created_at": doc["created_at"], "status": doc["status"], "depot": doc["depot"],
            "cooperative": doc.get("cooperative") if share else None, "lines": doc["lines"],
            "pricing": doc.get("pricing"), "paid": money["paid"], "repay": money["repay"],
            "dispatched_at": doc.get("dispatched_at"), "due_on": doc.get("due_on"),
            "confirmation": shares.view(share)["confirmation"] if share else None}
