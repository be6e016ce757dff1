"""An artisan's passbook: looms, this month's entitlements and what is left, and a financial year's (April to March,
as the board keeps and audits its "yarn passbook") requisitions with their quantities, prices and confirmations, and
that year's payments, refunds and credit notes; what is due is the whole account's — the digital "yarn passbook"."""
from __future__ import annotations

from datetime import datetime

from services.requests import accounts, artisans, cooperatives, entitlements, parties, quotas, returns, shares, store
from shared.auth import Principal
from shared.calendar import day_start, financial_year_of
from shared.envelope import iso_instant

#: at most this many requisitions of one year in a passbook, newest first (a safety cap: years more than it are
#: answered `cut`, and the page says so, never silently)
ENTRIES = 2000


def year_bounds(year: str) -> tuple[datetime, datetime]:
    """The instants [start, end) of a financial year ('2026-27': 1 April 2026 to 31 March 2027, in India)."""
    first = int(year[:4])
    return day_start(f"{first:04d}-04-01"), day_start(f"{first + 1:04d}-04-01")


def of(db, principal: Principal, artisan_id: str, month: str, now: datetime, year: str | None = None) -> dict:
    """The passbook of an artisan the caller may see (404 otherwise): the entitlements of `month`, the requisitions
    made in financial `year` (default: this one, in India) and its payments, refunds and credit notes; the account's
    figures are the whole account's."""
    year = year or financial_year_of(now)
    artisan = artisans.get(db, principal, artisan_id)
    coop = db.cooperatives.find_one({"_id": artisan.get("cooperative")}, cooperatives.PUBLIC) \
        if artisan.get("cooperative") else None
    as_member = Principal(principal.sub, "artisan", artisan_id=artisan_id)
    start, end = year_bounds(year)
    within = {**parties.scope(as_member), "created_at": {"$gte": iso_instant(start), "$lt": iso_instant(end)}}
    docs = [parties.seen_by(as_member, doc) for doc in db.requisitions.find(within, store.HIDDEN)
            .sort([("created_at", -1), ("_id", 1)]).limit(ENTRIES + 1)]
    money = accounts.of_requisitions(db, artisan_id, [doc["_id"] for doc in docs[:ENTRIES]])
    first = next(iter(db.requisitions.find(parties.scope(as_member), {"created_at": 1}).sort("created_at", 1)
                      .limit(1)), None)
    account = accounts.view(db, artisan, now)
    return {"artisan": artisan, "cooperative": coop, "month": month, "year": year,
            "first_year": _year_of(first["created_at"]) if first else None,
            "entitlements": entitlements.rows(db, artisan, month, now),
            "quotas": quotas.usage_of(db, artisan, month, now),
            "requisitions": [_entry(doc, money[doc["_id"]]) for doc in docs[:ENTRIES]], "cut": len(docs) > ENTRIES,
            "account": {k: account[k] for k in ("balance_due", "overdue", "open_dues", "credit_limit", "credit_days")},
            "payments": [p for p in accounts.payments_of(account) if _year_of(p["at"]) == year],
            "refunds": [r for r in account["refunds"] if _year_of(r["at"]) == year],
            "credit_notes": returns.credit_notes_for(db, [e for e in account["entries"]
                                                          if e["type"] == "credit_note" and _year_of(e["at"]) == year])}


def _year_of(at: str) -> str:
    """The financial year (India's) of a stored instant."""
    return financial_year_of(datetime.fromisoformat(at))


def _entry(doc: dict, money: dict) -> dict:
    """One requisition as the artisan's passbook shows it: their own lines, price and confirmation (a share's: with
    what the member received of each line and what `short` return lines credited, which a settled dispute says)."""
    share = doc["shares"][0] if doc.get("shares") else None
    seen = shares.view(share) if share else None
    return {"id": doc["_id"], "created_at": doc["created_at"], "status": doc["status"], "depot": doc["depot"],
            "cooperative": doc.get("cooperative") if share else None, "lines": doc["lines"],
            "pricing": doc.get("pricing"), "paid": money["paid"], "repay": money["repay"],
            "dispatched_at": doc.get("dispatched_at"), "due_on": doc.get("due_on"),
            "confirmation": seen["confirmation"] if seen else None, "share_lines": seen["lines"] if seen else None,
            "short_settled": returns.short_settled(doc, share) if share else None}
