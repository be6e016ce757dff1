"""What each step of a requisition does to quotas, entitlements, prices and accounts, share by share.

A requisition for one artisan is one share; a cooperative's has one per member. Each member's
quota and entitlement are taken for their own share at submit, and all given back if any member's
is refused; each share is priced with the money rules for that member (their scheme, their
entitlement left), priced again at approval, locked at reservation and charged to that member's
account at dispatch. A cooperative's dispatch asks every member's credit terms before it charges
anyone, so one member's refusal writes nothing; a charge refused all the same (another writer came
between) takes back those made for the others.
"""
from __future__ import annotations

from datetime import datetime, timezone

from services.requests import accounts, artisans, domain, entitlements, errors, materials, parties, quote, quotas
from shared.calendar import month_of
from shared.errors import Error


def take(db, coop: dict | None, people: list[tuple[dict, list[dict]]], depot: str, month: str, req_id: str,
         now: datetime) -> list[dict]:
    """Count each person's share against their caps and price it; nothing stays counted if one is refused. A
    cooperative's request over the quota of several members is refused naming every one of them."""
    shares, counted, over = [], [], []
    try:
        for artisan, lines in people:
            try:
                wanted = domain.totals_by_category((line["category"], line["quantity"]) for line in lines)
                counted.append(artisan["_id"])
                quotas.take(db, artisan, month, req_id, wanted, {line["category"]: line["unit"] for line in lines}, now)
                if over:  # refused already: only the other members over their quotas are still looked for
                    continue
                priced = quote.at_submit(db, artisan, depot, lines, month, req_id, now)
            except errors.QuotaExceeded as exc:
                if not coop:
                    raise
                over.append((artisan, exc))
                continue
            except Error as exc:
                raise errors.for_member(exc, artisan) if coop else exc from None
            shares.append({"artisan_id": artisan["_id"], "name": artisan.get("name"),
                           "name_hi": artisan.get("name_hi"), "district": artisan.get("district"), "lines": lines,
                           "pricing": priced})
        if over:
            raise errors.MembersOverQuota(over)
    except Error:
        for artisan_id in counted:
            _give_back_share(db, artisan_id, month, req_id)
        raise
    return shares


def give_back(db, doc: dict) -> None:
    """A requisition that will not be served gives back every share's quota and entitlement, and any charge."""
    for share in parties.of(doc):
        _give_back_share(db, share["artisan_id"], doc["month"], doc["_id"])
        accounts.uncharge(db, share["artisan_id"], doc["_id"])


def paid_on_shares(db, doc: dict) -> dict[str, int]:
    """Member -> what is paid on their share (one artisan's requisition: theirs), as their account counts it now
    (accounts.paid_on); a cancel or a rejection tells it (the event's `paid`): it stays on their account as credit."""
    return {share["artisan_id"]: accounts.paid_on(db, share["artisan_id"], doc["_id"]) for share in parties.of(doc)}


def to_pay_first(db, doc: dict) -> int | None:
    """The least to be paid before the depot hands over one artisan's requisition priced as `doc` is, as their account
    and credit terms stand now (accounts.to_pay_first, the figure the dispatch's refusals ask); None for a
    cooperative's (each member is asked for their own share at the counter) or one not priced."""
    return pay_first(db, doc)[0]


def pay_first(db, doc: dict) -> tuple[int | None, dict | None]:
    """to_pay_first's figure and why it is more than the requisition (accounts.pay_first), read once."""
    if parties.is_cooperative(doc) or not doc.get("pricing"):
        return None, None
    artisan = db.artisans.find_one({"_id": doc["artisan_id"]}, {"cooperative": 1}) or {"_id": doc["artisan_id"]}
    return accounts.pay_first(db, artisan, doc["pricing"]["payable_total"], doc["_id"])


def uncharge(db, doc: dict) -> None:
    for share in parties.of(doc):
        accounts.uncharge(db, share["artisan_id"], doc["_id"])


def on_action(db, doc: dict, change: domain.Change, action: str) -> dict:
    """What an action does to a requisition's money: priced again at approval, locked once reserved,
    charged to each member's account at dispatch."""
    status, now = change.requisition.status, datetime.now(timezone.utc)
    if action != "approve" and status not in (domain.RESERVED, domain.DISPATCHED):
        return {}
    lock, dispatching = status != domain.APPROVED, action == "dispatch"
    if dispatching:  # a retry of a dispatch that charged and died is dated when it charged: its month, its due day
        now = accounts.charged_at(db, [share["artisan_id"] for share in parties.of(doc)], doc["_id"]) or now
    priced = []
    for share in parties.of(doc):
        artisan = artisans.profile(db, share["artisan_id"]) or {"_id": share["artisan_id"]}
        part = {**doc, "lines": share["lines"], "pricing": share.get("pricing")}
        priced.append((artisan, {**share, "pricing": quote.again(db, part, artisan, now, lock=lock)}))
    if action == "approve":
        _refuse_unpriced(db, [share for _, share in priced])
    if dispatching:
        _charge(db, doc, priced, now)
    shares = [share for _, share in priced]
    extra = _priced(doc, shares)
    if dispatching:
        extra.update(dispatched_at=now.isoformat(), dispatch_month=month_of(now),
                     district=doc.get("district") if parties.is_cooperative(doc) else shares[0]["district"],
                     due_on=min(share["due_on"] for share in shares))
    return extra


def _refuse_unpriced(db, shares: list[dict]) -> None:
    """MaterialUnpriced if a line of any share has no price on the day it is priced (it would cost nothing)."""
    skus = sorted({sku for share in shares for sku in quote.unpriced(share["pricing"])})
    if skus:
        found = materials.by_sku(db, skus)
        raise errors.MaterialUnpriced({"skus": skus, "names": {
            sku: {k: found[sku].get(k) for k in ("name", "name_hi")} for sku in skus if sku in found}})


def _charge(db, doc: dict, priced: list[tuple[dict, dict]], now: datetime) -> None:
    """Charge each share to its member's account (its `district` and `due_on` noted on the share). A cooperative's
    asks every member's credit terms first, so a refusal for one charges no one; should a charge still be refused
    (another writer got there between), those made for the others are taken back."""
    coop, charged = parties.is_cooperative(doc), []

    def part(artisan):
        return {**doc, "artisan_id": artisan["_id"], "district": artisan.get("district")}
    try:
        if coop:
            for artisan, share in priced:
                try:
                    accounts.may_charge(db, part(artisan), share["pricing"], artisan)
                except Error as exc:
                    raise errors.for_member(exc, artisan) from None
        for artisan, share in priced:
            share["district"] = artisan.get("district")
            try:
                share["due_on"] = accounts.charge(db, part(artisan), share["pricing"], artisan, now)
            except Error as exc:
                raise errors.for_member(exc, artisan) if coop else exc from None
            charged.append(artisan["_id"])
    except Error:
        for artisan_id in charged:
            accounts.uncharge(db, artisan_id, doc["_id"])
        raise


def _priced(doc: dict, shares: list[dict]) -> dict:
    if not parties.is_cooperative(doc):
        return {"pricing": shares[0]["pricing"]}
    return {"shares": shares, "pricing": quote.combine(shares)}


def _give_back_share(db, artisan_id: str, month: str, req_id: str) -> None:
    quotas.give_back(db, artisan_id, month, req_id)
    entitlements.give_back(db, artisan_id, month, req_id)
