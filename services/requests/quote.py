"""A requisition's price: the estimate at submit (and again at approval), locked at reservation.

The schemes that apply are those covering the artisan on the day the requisition was submitted;
unit prices are those of the day it is priced. A line counts against the entitlement of its
material's class when a scheme caps that class, else of its category. Freight (by the depot's
zone) and the depot charge are those of the requisition's scheme: the scheme of its first line
that has one, else any scheme covering the artisan; a requisition no scheme covers pays the
mill-gate price only.
"""
from __future__ import annotations

from datetime import datetime

from services.requests import entitlements, materials, pricing, schemes
from shared.calendar import day_of
from shared.envelope import utcnow_iso


def entitlement_key(line: dict, capped) -> str:
    """The category a line counts against: its material's class if a scheme caps it, else its category."""
    cls = line.get("entitlement_class")
    return cls if cls and cls in capped else line["category"]


def price(db, *, artisan: dict, depot: str, lines: list[dict], subsidised: dict[str, int], scheme_day: str,
          price_day: str, covering: list[dict] | None = None) -> dict:
    """The pricing of `lines` (sku, quantity, category, entitlement_class) with `subsidised` quantities, under the
    schemes `covering` the artisan (by default those covering them on `scheme_day`)."""
    covering = schemes.covering(db, artisan, scheme_day) if covering is None else covering
    by_category = {cap["category"]: scheme for scheme in covering for cap in scheme["caps"]}
    keys = {line["sku"]: entitlement_key(line, by_category) for line in lines}
    main = next((by_category[keys[l["sku"]]] for l in lines if keys[l["sku"]] in by_category),
                covering[0] if covering else None)
    zone = materials.zone_of(db, depot)
    freight = main["freight_percent"].get(zone, 0) if main else 0
    depot_charge = main["depot_charge_percent"] if main else 0
    unit_prices = materials.prices_on(db, [line["sku"] for line in lines], price_day)
    priced = []
    for line in lines:
        sku, scheme = line["sku"], by_category.get(keys[line["sku"]])
        terms = pricing.Terms(scheme["subsidy_percent"] if scheme else 0, freight, depot_charge)
        subsidised_quantity = subsidised.get(sku, 0) if scheme else 0
        unit_price = unit_prices.get(sku, 0)
        priced.append({"sku": sku, "category": keys[sku], "unit": line.get("unit"), "quantity": line["quantity"],
                       "subsidised_quantity": subsidised_quantity, "unit_price": unit_price,
                       "priced": sku in unit_prices, "scheme": scheme["code"] if scheme else None,
                       **pricing.price_line(line["quantity"], subsidised_quantity, unit_price, terms)})
    return {"lines": priced, **pricing.totals(priced), "scheme": main["code"] if main else None,
            "subsidy_percent": main["subsidy_percent"] if main else 0, "freight_percent": freight,
            "depot_charge_percent": depot_charge, "zone": zone, "scheme_day": scheme_day, "price_day": price_day,
            "locked": False, "priced_at": utcnow_iso()}


def unpriced(pricing_: dict) -> list[str]:
    """The SKUs of a pricing's lines with no price on the day it was priced (estimated at 0)."""
    return sorted({line["sku"] for line in pricing_["lines"] if not line.get("priced", True)})


def capped_lines(db, artisan: dict, lines: list[dict], day: str) -> tuple[list, dict]:
    """(sku, entitlement category, quantity) of each line, and the artisan's caps on the day."""
    caps = entitlements.caps_for(db, artisan, day)
    return [(line["sku"], entitlement_key(line, caps), line["quantity"]) for line in lines], caps


def at_submit(db, artisan: dict, depot: str, lines: list[dict], month: str, req_id: str, now: datetime) -> dict:
    """Take what is left of the entitlements for a new requisition and price it (an estimate)."""
    day = day_of(now)
    wanted, caps = capped_lines(db, artisan, lines, day)
    taken = entitlements.take(db, artisan, month, req_id, wanted, caps, now)
    return price(db, artisan=artisan, depot=depot, lines=lines, subsidised=taken, scheme_day=day, price_day=day)


def estimate(db, artisan: dict, depot: str, lines: list[dict], month: str, now: datetime, *,
             units: dict[str, str]) -> dict:
    """What a requisition would cost if submitted now, and what is left of each entitlement (in `units`, each
    category's: materials.units); stores nothing."""
    day = day_of(now)
    wanted, caps = capped_lines(db, artisan, lines, day)
    used = entitlements.used(db, artisan, month, now)
    figures = pricing.entitlement({c: cap["cap"] for c, cap in caps.items()}, used)
    taken = pricing.split(wanted, {c: f["left"] for c, f in figures.items()})
    asked = {}
    for sku, category, _ in wanted:
        asked[category] = asked.get(category, 0) + taken.get(sku, 0)
    # a category no known material counts against: nothing asked can take from it, and its figures have no unit
    rows = [{"category": c, "month": month, **f, "unit": units[c], "scheme": caps[c]["scheme"],
             "this_request": asked.get(c, 0), "left_after": f["left"] - asked.get(c, 0)}
            for c, f in sorted(figures.items()) if c in units]
    return {"pricing": price(db, artisan=artisan, depot=depot, lines=lines, subsidised=taken, scheme_day=day,
                             price_day=day), "entitlements": rows}


def again(db, doc: dict, artisan: dict, now: datetime, *, lock: bool) -> dict:
    """The requisition priced with today's prices, keeping its subsidised quantities; `lock` fixes it for good."""
    before = doc.get("pricing") or {}
    if before.get("locked"):
        return before
    subsidised = {line["sku"]: line["subsidised_quantity"] for line in before.get("lines", [])}
    scheme_day = before.get("scheme_day") or doc["created_at"][:10]
    priced = price(db, artisan=artisan, depot=doc["depot"], lines=doc["lines"], subsidised=subsidised,
                   scheme_day=scheme_day, price_day=day_of(now), covering=_priced_under(db, before))
    return {**priced, "locked": lock}


def _priced_under(db, before: dict) -> list[dict] | None:
    """The schemes a requisition was priced under at submit, as they are now: who is covered was decided then (the
    entitlement was taken then), so an artisan who moves district or craft keeps the subsidy their entitlement paid
    for. None for a requisition never priced."""
    if not before:
        return None
    codes = {line.get("scheme") for line in before.get("lines", ())} | {before.get("scheme")}
    book = schemes.listing_by_code(db)
    return [book[code] for code in sorted(code for code in codes if code) if code in book]


def combine(shares: list[dict]) -> dict:
    """A cooperative requisition's pricing: every member's lines (with whose they are), totals summed."""
    lines = [{**line, "artisan_id": share["artisan_id"]} for share in shares for line in share["pricing"]["lines"]]
    first = next((s["pricing"] for s in shares if s["pricing"].get("scheme")), shares[0]["pricing"])
    return {**{k: first[k] for k in ("scheme", "subsidy_percent", "freight_percent", "depot_charge_percent", "zone",
                                      "scheme_day", "price_day")},
            "lines": lines, **pricing.totals(lines), "locked": all(s["pricing"].get("locked") for s in shares),
            "priced_at": max(s["pricing"]["priced_at"] for s in shares)}
