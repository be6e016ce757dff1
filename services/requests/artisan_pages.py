"""The artisan directory for admins and secretaries: find, register, change, deactivate (issue 18, defect 5).

A secretary sees their own cooperative's members only and never the admin-only fields (social category,
gender, BPL status); the same use cases as the API decide both.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from services.requests import artisans, cooperatives
from services.requests.pages import names_of
from services.requests.schemas import GENDERS, SOCIAL_CATEGORIES
from shared.lists import pager, search_text
from shared.pages import page
from shared.web import db

blp = Blueprint("artisan_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/requests")
MENU = {"admin": ((22, "/admin/artisans", _l("Artisans")),), "secretary": ((14, "/admin/artisans", _l("Members")),)}
ACTIVE = {"yes": True, "no": False}
LABELS = {"language": {"hi": _l("Hindi"), "en": _l("English")}}


@blp.get("/admin/artisans")
@page("admin", "secretary")
def directory(principal):
    """Search by name, number, phone, district or cooperative; a page at a time; a form to register one."""
    filters = {"q": search_text() or None, "district": request.args.get("district") or None,
               "cooperative": request.args.get("cooperative") or None,
               "active": ACTIVE.get(request.args.get("active", ""))}
    at = pager(artisans.count(db(), principal, **filters))
    rows = artisans.search(db(), principal, **filters, limit=at.size, offset=at.skip)
    return render_template("requests/artisans.html", rows=rows, pager=at, filters=filters, **_choices(principal))


@blp.get("/admin/artisans/<artisan_id>")
@page("admin", "secretary")
def artisan(principal, artisan_id):
    """One artisan's details to change, their status, and where to see their requests, account and passbook; a
    warning when other artisans have their phone (their SMS go to it too). Who registered them and who asked to change
    their looms or phone, as names_of says them (never a bare login to a secretary)."""
    found = artisans.get(db(), principal, artisan_id)
    shared = artisans.sharing_phone(db(), principal, artisan_id, found.get("phone"))
    named = names_of({found.get("created_by"), *((found.get(asked) or {}).get("requested_by")
                                                 for asked in ("looms_change", "phone_change"))}, principal)
    return render_template("requests/artisan.html", artisan=found, phone_shared=shared, named=named,
                           **_choices(principal))


def _choices(principal) -> dict:
    coops = cooperatives.listing(db(), principal, limit=500)
    return {"coops": coops, "coop_names": {c["_id"]: c for c in coops},
            "social_categories": SOCIAL_CATEGORIES, "genders": GENDERS}
