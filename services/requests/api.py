"""Requests HTTP API: login, the people who log in, the artisan registry, quotas and the auto-approve rule."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import after_this_request, current_app, request

from services.requests import (artisan_picks, artisans, domain, login_throttle, pages, people, quotas, settings,
                               user_admin, users)
from services.requests.schemas import (ArtisanOutSchema, ArtisanQuery, ArtisanSchema, ArtisanUpdateSchema,
                                       AutoApproveSchema, HistoryQuery, LoginNameSchema, LoginSchema, NewPasswordSchema,
                                       NewUserSchema, OwnPasswordSchema, QuotaChangeSchema, QuotaQuery, QuotaSchema,
                                       TokenSchema, UsageQuery, UsageSchema, UserPatchSchema, UserQuery, UserSchema)
from shared.auth import COOKIE, current_principal, require_role
from shared.errors import Invalid, NotFound
from shared.i18n import F_
from shared.web import Blueprint, client_address, db, request_id

blp = Blueprint("requests", __name__, url_prefix="/api/v1", description="Login, artisans and quotas")


@blp.route("/auth/login", methods=["POST"])
@blp.refuses(401, 429, 503)  # 503: no token to look up yet, but the user and the throttle are in the store
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
def login(body):
    """Exchange a username and password for a short-lived access token."""
    user = login_throttle.authenticate(db(), body["username"], body["password"], client_address())
    config = current_app.config["RAWBANK"]
    token = users.login_token(db(), user, config)
    return {"access_token": token, "token_type": "Bearer", "expires_in": config.jwt_ttl_seconds,
            "role": user["role"]}


@blp.route("/auth/logout", methods=["POST"])
@require_role()
@blp.response(204)
def logout():
    """Revoke the caller's token: refused here at once, by the other services as soon as they hear of it."""
    users.log_out(db(), current_principal(), correlation_id=request_id())


@blp.route("/auth/password", methods=["POST"])
@blp.refuses(429)
@require_role()
@blp.arguments(OwnPasswordSchema)
@blp.response(200, TokenSchema)
def change_own_password(body):
    """Change your own password: the current one is checked as a login checks it (a wrong one counts toward the
    login's limit). Every token you had ends on every service; the answer is a fresh login's token (and, for a
    page, its login cookie), so you are not logged out."""
    config, principal = current_app.config["RAWBANK"], current_principal()
    token = user_admin.change_own_password(db(), principal, body["current_password"], body["new_password"],
                                           client_address(), config, correlation_id=request_id())
    if request.cookies.get(COOKIE) and not request.headers.get("Authorization"):  # a page's login: renewed
        @after_this_request
        def renew(response):
            pages.set_login_cookie(response, token)
            return response
    return {"access_token": token, "token_type": "Bearer", "expires_in": config.jwt_ttl_seconds,
            "role": principal.role}


@blp.route("/users", methods=["GET"])
@require_role("admin")
@blp.arguments(UserQuery, location="query")
@blp.response(200, UserSchema(many=True))
def list_users(query):
    """The people who log in, in name order (admin); X-Total-Count says how many match. Never a password."""
    filters = {k: query[k] for k in ("q", "role", "active")}
    offset = (query["page"] - 1) * query["limit"] if query["page"] else query["offset"]
    user_admin.settle(db())  # once for the page and its count
    found = user_admin.listing(db(), **filters, limit=query["limit"], offset=offset)
    return found, 200, {"X-Total-Count": str(user_admin.count(db(), **filters))}


@blp.route("/users", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin")
@blp.arguments(NewUserSchema)
@blp.response(201, UserSchema)
def add_user(body):
    """Add a login (admin), checked as `rawbank user add` checks one; 409 already_exists if the name is taken. An
    artisan's login names them by `artisan_id`, or by `artisan` as the Users page's form sends what was typed. An
    artisan has one login: 409 artisan_has_login (`details`: `artisan_id`, `login`) while they have an active one
    (give it a new password, or deactivate it first); a deactivated login does not count."""
    return user_admin.add(db(), artisan_picks.into_number(db(), current_principal(), body))


@blp.route("/users/<path:username>/name", methods=["GET"])
@require_role("admin")
@blp.response(200, LoginNameSchema)
def user_name(username):
    """The display name a login's token carries for the pages' header (admin), read as its login reads it: its own,
    or for an artisan's login without one, its artisan's; null where there is none. What `rawbank token` puts in a
    token it signs for that login. 404 not_found: nobody logs in with that name."""
    named = people.of_login(db(), username)
    if named is None:
        raise NotFound({"username": username})
    return named


@blp.route("/users/<path:username>/password", methods=["POST"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(NewPasswordSchema)
@blp.response(200, UserSchema)
def set_user_password(body, username):
    """Give a login a new password (admin): every token it had ends on every service and its login lockout is
    cleared. Your own password: POST /api/v1/auth/password."""
    return user_admin.set_password(db(), current_principal(), username, body["password"],
                                   token_ttl=current_app.config["RAWBANK"].jwt_ttl_seconds,
                                   correlation_id=request_id())


@blp.route("/users/<path:username>", methods=["PATCH"])
@blp.refuses(422, 503)
@require_role("admin")
@blp.arguments(UserPatchSchema)
@blp.response(200, UserSchema)
def update_user(changes, username):
    """Deactivate a login ({"active": false}: its login is refused, every token it had ends) or reactivate it
    (admin); not your own, nor the last active admin (422). Move warehouse staff to another depot ({"depot"}: every
    token they had ends, as it named the old depot). Make warehouse staff an admin or an admin warehouse staff
    ({"role"}, with the depot they will work at; every token they had ends); not your own, nor the last admin.
    An artisan's login is reactivated only while they have no other active login: 409 artisan_has_login naming it
    (`details`: `artisan_id`, `login`, `username`)."""
    return user_admin.update(db(), current_principal(), username, changes,
                             token_ttl=current_app.config["RAWBANK"].jwt_ttl_seconds, correlation_id=request_id())


@blp.route("/artisans", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin", "secretary")
@blp.arguments(ArtisanSchema)
@blp.response(201, ArtisanOutSchema)
def register_artisan(body):
    """Register an artisan (secretaries: into their own cooperative). `phone_shared` warns, and stores anyway, when
    other artisans have the phone (a family may share one): the SMS for each of them go to it too."""
    made = artisans.register(db(), current_principal(), body, correlation_id=request_id())
    return {**made, "phone_shared": artisans.sharing_phone(db(), current_principal(), made["_id"], body.get("phone"))}


@blp.route("/artisans", methods=["GET"])
@require_role()
@blp.arguments(ArtisanQuery, location="query")
@blp.response(200, ArtisanOutSchema(many=True))
def list_artisans(query):
    """The artisans the caller may see: all (staff), their cooperative (secretary), themself."""
    return artisans.search(db(), current_principal(), **query)


@blp.route("/artisans/<artisan_id>", methods=["GET"])
@require_role()
@blp.response(200, ArtisanOutSchema)
def get_artisan(artisan_id):
    return artisans.get(db(), current_principal(), artisan_id)


@blp.route("/artisans/<artisan_id>", methods=["PATCH"])
@blp.refuses(409, 422)
@require_role()
@blp.arguments(ArtisanUpdateSchema)
@blp.response(200, ArtisanOutSchema)
def update_artisan(changes, artisan_id):
    """Change an artisan's details; a phone sent is answered with `phone_shared` as registering is."""
    changed = artisans.update(db(), current_principal(), artisan_id, changes, correlation_id=request_id())
    if changes.get("phone"):
        changed = {**changed, "phone_shared": artisans.sharing_phone(db(), current_principal(), artisan_id,
                                                                     changes["phone"])}
    return changed


@blp.route("/artisans/<artisan_id>/looms/<any(approve, reject):decision>", methods=["POST"])
@blp.refuses(409)
@require_role("admin")
@blp.response(200, ArtisanOutSchema)
def decide_looms(artisan_id, decision):
    """Approve or reject the looms a secretary asked for: looms decide quotas, so only an admin sets them."""
    return artisans.decide_looms(db(), current_principal(), artisan_id, decision == "approve",
                                 correlation_id=request_id())


@blp.route("/artisans/<artisan_id>/phone/<any(approve, reject):decision>", methods=["POST"])
@blp.refuses(409)
@require_role("admin")
@blp.response(200, ArtisanOutSchema)
def decide_phone(artisan_id, decision):
    """Approve or reject the phone a secretary asked for a member.

    A member's codes to confirm what they received go to that phone, so only an admin changes it; until then every
    code, SMS and missed call uses the phone there is. 409 no_phone_change when none is asked."""
    return artisans.decide_phone(db(), current_principal(), artisan_id, decision == "approve",
                                 correlation_id=request_id())


@blp.route("/quotas", methods=["POST"])
@blp.refuses(409, 422)
@require_role("admin")
@blp.arguments(QuotaSchema)
@blp.response(200, QuotaSchema)
def set_quota(body):
    """Set a monthly cap for a category: for everyone, or for one registered artisan (overrides).

    With "replace": false a cap already set is not replaced: 409 quota_exists names it. The artisan by
    `artisan_id`, or by `artisan` as the quotas page's form sends what was typed.
    """
    body = artisan_picks.into_number(db(), current_principal(), body)
    return quotas.set_cap(db(), **body, by=current_principal().sub, now=datetime.now(timezone.utc))


@blp.route("/quotas/<quota_id>", methods=["DELETE"])
@require_role("admin")
@blp.response(200, QuotaSchema)
def remove_quota(quota_id):
    """Take a cap away ('yarn@*', 'yarn@ART-0001'); its history is kept."""
    return quotas.remove_cap(db(), quota_id, by=current_principal().sub, now=datetime.now(timezone.utc))


@blp.route("/quotas/history", methods=["GET"])
@require_role("admin")
@blp.arguments(HistoryQuery, location="query")
@blp.response(200, QuotaChangeSchema(many=True))
def quota_history(query):
    """Every cap's changes, newest first: set, replaced (with what it was) or removed, by whom and when."""
    return quotas.history(db(), limit=query["limit"])


@blp.route("/quotas", methods=["GET"])
@require_role("admin")
@blp.arguments(QuotaQuery, location="query")
@blp.response(200, QuotaSchema(many=True))
def list_quotas(query):
    return quotas.list_caps(db(), query["artisan_id"])


@blp.route("/quotas/usage", methods=["GET"])
@require_role("admin", "secretary", "artisan")
@blp.arguments(UsageQuery, location="query")
@blp.response(200, UsageSchema(many=True))
def quota_usage(query):
    """Cap, used and left per category for one artisan and month (this month by default)."""
    principal, now = current_principal(), datetime.now(timezone.utc)
    artisan_id = principal.artisan_id if principal.role == "artisan" else query["artisan_id"]
    if not artisan_id:
        raise Invalid({"artisan_id": [F_("required")]})
    artisan = artisans.get(db(), principal, artisan_id)
    return quotas.usage_of(db(), artisan, query["month"] or domain.month_of(now), now)


@blp.route("/settings/auto-approve", methods=["GET"])
@require_role("admin")
@blp.response(200, AutoApproveSchema)
def get_auto_approve():
    return settings.auto_approve(db())


@blp.route("/settings/auto-approve", methods=["PUT"])
@require_role("admin")
@blp.arguments(AutoApproveSchema)
@blp.response(200, AutoApproveSchema)
def set_auto_approve(body):
    """Approve new requisitions at once when every line is at most max_quantity (null: never)."""
    return settings.set_auto_approve(db(), body["max_quantity"])
