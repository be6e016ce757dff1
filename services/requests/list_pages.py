"""Lists of requests: an artisan's or a cooperative's own, and the admins' approvals, found by words, status,
depot, material, artisan and days, a page at a time, with a CSV of the same selection."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, render_template, request, url_for

from services.requests import artisans, domain, materials, quotas, requisitions
from services.requests.pages import materials_of, names_of, pay_first
from shared.calendar import day_of
from shared.lists import day_range, pager, search_text
from shared.pages import page
from shared.web import db

blp = Blueprint("list_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/requests")


def _filters(default_status: str | None) -> tuple[dict, dict]:
    """The list's filters from the address (no `status`: the default; `status=`: any), and what is wrong in them."""
    errors: dict = {}
    since, until = day_range(errors)
    status = request.args.get("status", default_status) or None
    filters = {"q": search_text() or None, "status": status if status in domain.STATUSES else None,
               "depot": request.args.get("depot") or None, "sku": request.args.get("sku") or None,
               "artisan_id": request.args.get("artisan") or None, "since": since, "until": until}
    return filters, errors


def _csv_url(filters: dict) -> str:
    asked = {"q": filters["q"], "status": filters["status"], "depot": filters["depot"], "sku": filters["sku"],
             "artisan_id": filters["artisan_id"], "from": request.args.get("from") if filters["since"] else None,
             "to": request.args.get("to") if filters["until"] else None}
    return url_for("requisitions.list_requisitions", format="csv", **{k: v for k, v in asked.items() if v})


def _listing(principal, filters: dict) -> dict:
    """A page of the requests found, and what the filter form offers."""
    at = pager(requisitions.count(db(), principal, **filters))
    rows = requisitions.search(db(), principal, **filters, limit=at.size, offset=at.skip)
    return {"rows": rows, "pager": at, "materials": materials_of(rows), "catalog": materials.listing(db()),
            "depots": list(db().depots.find().sort("_id", 1).limit(200)), "filters": filters,
            "csv_url": _csv_url(filters), "statuses": domain.STATUSES}


@blp.get("/my")
@page("artisan", "secretary")
def my_requisitions(principal):
    """My requests (a secretary: the cooperative's, each naming whom it is for), newest first, a page at a time."""
    filters, errors = _filters(None)
    found = _listing(principal, filters)
    people = _people(found["rows"]) if principal.role == "secretary" else {}
    return render_template("requests/my_list.html", errors=errors, people=people, **found)


def _people(rows: list[dict]) -> dict:
    """The member each request of one artisan is for (a secretary's list names them), by number: one read for the
    page. A cooperative's names each member in its shares."""
    wanted = sorted({row["artisan_id"] for row in rows if not row.get("shares") and row.get("artisan_id")})
    if not wanted:
        return {}
    return {doc["_id"]: doc for doc in db().artisans.find({"_id": {"$in": wanted}}, {"name": 1, "name_hi": 1})
            .limit(len(wanted))}


@blp.get("/admin/approvals")
@page("admin")
def approvals(principal):
    """Requests to decide (submitted, unless asked otherwise), each with the artisan's use of the month's caps and,
    when their dues would pass their credit limit (or an advance is asked), the least the depot will ask to be paid
    before handing it over (pages.pay_first); several approved at once; and asked changes of looms and of phones, by
    whom as names_of says them."""
    filters, errors = _filters(domain.SUBMITTED)
    found = _listing(principal, filters)
    now = datetime.now(timezone.utc)
    items = [_item(row, now) for row in found["rows"]]
    waiting = [item for item in items if item["req"]["status"] == domain.SUBMITTED]
    priced = materials.prices_on(db(), {line["sku"] for item in waiting for line in item["req"]["lines"]}, day_of(now))
    for item in waiting:  # approved now, a line with no price today would cost nothing: the card says so
        item["unpriced"] = sorted({line["sku"] for line in item["req"]["lines"] if line["sku"] not in priced})
    looms = artisans.search(db(), principal, looms_change=True, limit=100)
    phones = artisans.search(db(), principal, phone_change=True, limit=100)
    asking = {(a.get("looms_change") or {}).get("requested_by") for a in looms} | {
        (a.get("phone_change") or {}).get("requested_by") for a in phones}
    return render_template("requests/approvals.html", items=items, looms=looms, phones=phones, errors=errors,
                           this_month=domain.month_of(now), named=names_of(asking, principal), **found)


def _item(row: dict, now: datetime) -> dict:
    if row.get("shares"):  # a cooperative's: each member's share beside its name (their caps were checked)
        coop = db().cooperatives.find_one({"_id": row["cooperative"]}) or {"name": row["cooperative"]}
        return {"req": row, "artisan": coop, "usage": [], "units": {}, "shares": row["shares"]}
    artisan = artisans.profile(db(), row["artisan_id"]) or {"_id": row["artisan_id"]}
    asks = domain.totals_by_category((line["category"], line["quantity"]) for line in row["lines"])
    counted = row["status"] not in domain.QUOTA_RETURNED  # a rejected or cancelled one gave its quota back
    usage = [dict(u, asked=asks.get(u["category"], 0)) for u in quotas.usage_of(db(), artisan, row["month"], now)
             if u["category"] in asks] if counted else []
    return {"req": row, "artisan": artisan, "usage": usage, "pay_first": pay_first(row),
            "units": {line["category"]: line["unit"] for line in row["lines"]}}
