"""Requests HTTP API: login, the artisan registry, quotas and the auto-approve rule."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app

from services.requests import artisans, domain, login_throttle, quotas, settings, users
from services.requests.schemas import (ArtisanOutSchema, ArtisanQuery, ArtisanSchema, ArtisanUpdateSchema,
                                       AutoApproveSchema, HistoryQuery, LoginSchema, QuotaChangeSchema, QuotaQuery,
                                       QuotaSchema, TokenSchema, UsageQuery, UsageSchema)
from shared.auth import current_principal, require_role
from shared.errors import Invalid
from shared.i18n import F_
from shared.web import Blueprint, client_address, db, request_id

blp = Blueprint("requests", __name__, url_prefix="/api/v1", description="Login, artisans and quotas")


@blp.route("/auth/login", methods=["POST"])
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


@blp.route("/artisans", methods=["POST"])
@require_role("admin", "secretary")
@blp.arguments(ArtisanSchema)
@blp.response(201, ArtisanOutSchema)
def register_artisan(body):
    """Register an artisan (secretaries: into their own cooperative)."""
    return artisans.register(db(), current_principal(), body, correlation_id=request_id())


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
@require_role()
@blp.arguments(ArtisanUpdateSchema)
@blp.response(200, ArtisanOutSchema)
def update_artisan(changes, artisan_id):
    return artisans.update(db(), current_principal(), artisan_id, changes, correlation_id=request_id())


@blp.route("/artisans/<artisan_id>/looms/<any(approve, reject):decision>", methods=["POST"])
@require_role("admin")
@blp.response(200, ArtisanOutSchema)
def decide_looms(artisan_id, decision):
    """Approve or reject the looms a secretary asked for: looms decide quotas, so only an admin sets them."""
    return artisans.decide_looms(db(), current_principal(), artisan_id, decision == "approve",
                                 correlation_id=request_id())


@blp.route("/artisans/<artisan_id>/phone/<any(approve, reject):decision>", methods=["POST"])
@require_role("admin")
@blp.response(200, ArtisanOutSchema)
def decide_phone(artisan_id, decision):
    """Approve or reject the phone a secretary asked for a member.

    A member's codes to confirm what they received go to that phone, so only an admin changes it; until then every
    code, SMS and missed call uses the phone there is. 409 no_phone_change when none is asked."""
    return artisans.decide_phone(db(), current_principal(), artisan_id, decision == "approve",
                                 correlation_id=request_id())


@blp.route("/quotas", methods=["POST"])
@require_role("admin")
@blp.arguments(QuotaSchema)
@blp.response(200, QuotaSchema)
def set_quota(body):
    """Set a monthly cap for a category: for everyone, or for one registered artisan (overrides).

    With "replace": false a cap already set is not replaced: 409 quota_exists names it.
    """
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
