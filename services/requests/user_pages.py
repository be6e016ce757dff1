"""The Users page (admins) and Change my password (everyone logged in), while rawbank runs.

Before, an admin had to stop rawbank to add a login, unlock a person or set a new password (`rawbank user`
needs the data directory to itself); these pages call the users API (api.py), whose use cases (user_admin.py)
share the command's checks and the login's revocation and limits.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from services.requests import artisan_picks, cooperatives, user_admin
from services.requests.users import BELONGS, MAX_PASSWORD, MAX_USERNAME, MIN_PASSWORD
from shared.auth import ROLES
from shared.lists import pager, search_text
from shared.pages import ROLES as ROLE_NAMES, page
from shared.web import db

blp = Blueprint("user_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/requests")
OWN = (95, "/password", _l("Change my password"))  # in every role's menu: on a phone the header has no room
MENU = {"admin": ((90, "/admin/users", _l("Users")), OWN), "warehouse": (OWN,), "artisan": (OWN,), "secretary": (OWN,)}
ACTIVE = {"yes": True, "no": False}
NEW_ROLE = "warehouse"  # the role "Add a login" asks for until another is chosen
FIELD_ROLE = {field: role for field, (role, _) in BELONGS.items()}  # artisan_id: artisan, depot: warehouse, ...
KEPT = ("q", "role", "active")  # the list's search, kept when the page is asked again for another role's fields


@blp.get("/admin/users")
@page("admin")
def directory(principal):
    """Find a login by name, depot, cooperative or artisan number; a page at a time; add one; per login a new
    password and deactivate or reactivate.

    "Add a login" asks only the chosen role's fields (`?new_role=`, warehouse staff's until another is chosen): the
    other roles' are hidden and disabled, so never sent. Without JavaScript the role is chosen first, in a form of
    its own asking this page again; with it (user_form.js) the fields change as the role is changed."""
    role = request.args.get("role")
    new_role = request.args.get("new_role")
    filters = {"q": search_text() or None, "role": role if role in ROLES else None,
               "active": ACTIVE.get(request.args.get("active", ""))}
    user_admin.settle(db())  # once for the count and the page
    at = pager(user_admin.count(db(), **filters))
    rows = user_admin.listing(db(), **filters, limit=at.size, offset=at.skip)
    coops = cooperatives.listing(db(), principal, limit=500)
    depots = list(db().depots.find({}, {"name": 1, "name_hi": 1}).sort("_id", 1).limit(500))
    added = next((row for row in rows if row["username"] == request.args.get("added")), None)
    return render_template("requests/users.html", rows=rows, pager=at, filters=filters, roles=ROLES, added=added,
                           depots=depots, depot_names={d["_id"]: d for d in depots},
                           coops=coops, coop_names={c["_id"]: c for c in coops}, role_names=ROLE_NAMES,
                           new_role=new_role if new_role in ROLES else NEW_ROLE, role_asked=new_role is not None,
                           field_role=FIELD_ROLE, kept=[(k, v) for k in KEPT for v in request.args.getlist(k) if v],
                           limits={"username": MAX_USERNAME, "password": MAX_PASSWORD, "min": MIN_PASSWORD},
                           hindi_districts=artisan_picks.page_districts(db()))


@blp.get("/password")
@page()
def own_password(principal):
    """Change my password: the current one, the new one twice."""
    return render_template("requests/password.html", limits={"password": MAX_PASSWORD, "min": MIN_PASSWORD})
