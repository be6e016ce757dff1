"""Cooperatives for admins: the list with a form to register one, and one cooperative with a form to change it.

The forms send the API's own bodies (POST /api/v1/cooperatives, PATCH /api/v1/cooperatives/{code}) from the page,
so a refusal is the API's and is said under its field (rawbank.js), in the page's language. The change form sends
only the fields changed on it (cooperative_form.js): its credit limit unchanged writes no new credit terms.
"""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from services.requests import cooperatives
from services.requests.cooperatives import KINDS
from services.requests.pages import names_of
from shared.pages import page
from shared.web import db

blp = Blueprint("cooperative_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/requests")
MENU = {"admin": ((24, "/admin/cooperatives", _l("Cooperatives")),)}
LABELS = {"coop_kind": {"cooperative": _l("Cooperative society"), "shg": _l("Self-help group"),
                        "producer_company": _l("Producer company")}}
SHOWN = 500  # cooperatives listed at most (the API's own limit)


@blp.get("/admin/cooperatives")
@page("admin")
def directory(principal):
    """Every cooperative in code order, with its district, members and credit limit; a form to register one."""
    rows = cooperatives.listing(db(), principal, limit=SHOWN)
    return render_template("requests/cooperatives.html", rows=rows, kinds=KINDS, cut=len(rows) >= SHOWN)


@blp.get("/admin/cooperatives/<coop>")
@page("admin")
def cooperative(principal, coop):
    """One cooperative's details, to change what PATCH /api/v1/cooperatives/{code} allows; 404 for no such code. Who
    registered it, as names_of says them."""
    found = cooperatives.get(db(), principal, coop)
    return render_template("requests/cooperative.html", coop=found, kinds=KINDS,
                           named=names_of({found.get("created_by")}, principal))
