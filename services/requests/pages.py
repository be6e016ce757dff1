"""Requests pages: login and language, a new request and one request, the admin's quotas."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

from flask import Blueprint, current_app, redirect, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from markupsafe import Markup, escape

from services.requests import (artisan_picks, artisans, domain, login_throttle, materials, people, quotas,
                               requisition_money, requisitions, returns, settings, users, words)
from shared import names
from shared.auth import COOKIE, current_principal, decode_token
from shared.errors import CsrfFailed, Error, outcome
from shared.i18n import LANG_COOKIE, LANGUAGES, language
from shared.pages import (as_typed, form_error, home_url, in_words, labels, number, page, safe_next,
                          same_site_post, url_of)
from shared.web import client_address, db, request_id

blp = Blueprint("requests_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/requests")
YEAR = 365 * 24 * 3600
HANDED_OVER_LATER = (domain.SUBMITTED, domain.APPROVED, domain.WAITLISTED, domain.RESERVED)
POSITION = re.compile(r"position (\d+)")  # how the requests domain notes a place in the waiting line
LABELS = {"status": {code: _l(text) for code, text in words.STATUSES.items()},
          "actor": {name: _l(text) for name, text in names.ACTORS.items()}}

COMMON_PAGES = {"login": "/login", "language": "/lang", "logout": "/logout"}
HOME = {"artisan": "/my", "secretary": "/my"}
MENU = {"artisan": ((10, "/my", _l("My requests")), (20, "/my/new", _l("New request"))),
        "secretary": ((10, "/my", _l("Requests")),),
        "admin": ((20, "/admin/approvals", _l("Approvals")), (30, "/admin/quotas", _l("Quotas")))}


def _cookie(response, name: str, value: str, max_age: int, httponly: bool = True) -> None:
    secure = current_app.config["RAWBANK"].requests_url.startswith("https:")
    response.set_cookie(name, value, max_age=max_age, httponly=httponly, samesite="Lax", secure=secure, path="/")


@blp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; on success the login cookie every service reads, and the user's language.

    What the person can put right (a wrong password, too many attempts, a stale form) is said on the form (401); a
    failure on our side (a 5xx: the store busy or not answering) is the app's page that says so."""
    next_url, error = request.values.get("next", ""), None
    if request.method == "POST":
        try:
            if not same_site_post():
                raise CsrfFailed()
            user = login_throttle.authenticate(db(), request.form.get("username", "").strip(),
                                               request.form.get("password", ""), client_address())
            token = users.login_token(db(), user, current_app.config["RAWBANK"])
        except Error as exc:  # the store busy or not answering is no wrong password: form_error passes it on
            error = form_error(exc)
        else:
            return _logged_in(user, token, next_url)
    return render_template("requests/login.html", error=error, next_url=next_url,
                           username=request.form.get("username", "")), 401 if error else 200


def set_login_cookie(response, token: str) -> None:
    """The login cookie every service reads: set by a login, and renewed by a change of one's own password."""
    _cookie(response, COOKIE, token, current_app.config["RAWBANK"].jwt_ttl_seconds)


def _logged_in(user: dict, token: str, next_url: str):
    response = redirect(safe_next(next_url, home_url(user["role"])))
    set_login_cookie(response, token)
    lang = user.get("language") or request.cookies.get(LANG_COOKIE)
    if lang in LANGUAGES:
        _cookie(response, LANG_COOKIE, lang, YEAR, httponly=False)
        if not user.get("language"):
            users.set_language(db(), user["_id"], lang)
    return response


@blp.post("/logout")
def logout():
    """Log out of every service: the login's token is revoked and its cookie forgotten; the language stays."""
    response = redirect(url_of("requests", "/login"))
    if not same_site_post():
        return response
    config = current_app.config["RAWBANK"]
    try:
        users.log_out(db(), decode_token(config.jwt_secret, request.cookies.get(COOKIE, "")))
    except Error as exc:  # no login, or one that already ended; the store failing is said, the login kept to retry
        if outcome(exc).ours:
            raise
    response.delete_cookie(COOKIE, path="/", samesite="Lax", secure=config.requests_url.startswith("https:"))
    return response


@blp.post("/lang")
def switch_language():
    """Switch हिन्दी / English, remembered in this browser and, when logged in, for the user."""
    response = redirect(safe_next(request.form.get("next"), url_of("requests", "/")))
    lang = request.form.get("lang")
    if lang not in LANGUAGES or not same_site_post():
        return response
    _cookie(response, LANG_COOKIE, lang, YEAR, httponly=False)
    try:
        principal = current_principal() if request.cookies.get(COOKIE) else None
    except Error:  # logged out, or a cookie without its CSRF token: the browser keeps the choice
        principal = None
    if principal:
        users.set_language(db(), principal.sub, lang)
    return response


def materials_of(rows: list[dict]) -> dict:
    """The materials the lines of these requisitions name, by sku."""
    skus = sorted({line["sku"] for row in rows for line in row.get("lines", [])})
    return materials.by_sku(db(), skus)


@blp.get("/my/new")
@page("artisan")
def new_requisition(principal):
    """The form shows my quota left per category; the browser adds what my depot has now."""
    artisan = artisans.get(db(), principal, principal.artisan_id)
    now = datetime.now(timezone.utc)
    usage = {row["category"]: row for row in quotas.usage_of(db(), artisan, domain.month_of(now), now)}
    month = domain.month_of(now)
    return render_template("requests/new.html", artisan=artisan, usage=usage, materials=materials.listing(db()),
                           month=month, renewed_on=quotas.renews_on(month),
                           idempotency_key=uuid.uuid4().hex)


def over_quota(rows: list[dict]) -> list[dict]:
    """The monthly quota rows (requisitions.estimate's) a request goes over, for which submit refuses the whole
    request; each with its category named in the page's language ("your yarn quota")."""
    return [{**row, "named": names.category(row["category"], language())} for row in rows if row["over"]]


@blp.get("/my/requisitions/<req_id>")
@page("artisan", "secretary", "admin", "warehouse")
def requisition_detail(principal, req_id):
    """One request; `?again=1` when a form sent it once more and got back the one already made (none twice)."""
    doc = requisitions.get(db(), principal, req_id)
    named = names_of(logins_shown(doc), principal)
    who = _who(named, principal)
    members = {share["artisan_id"]: share for share in doc.get("shares") or ()}
    owner = db().artisans.find_one({"_id": doc["artisan_id"]}, {"name": 1, "name_hi": 1})
    units = {line["sku"]: line.get("unit") for share in requisitions.parties.of(doc) for line in share["lines"]}
    asked, why = pay_first_and_why(doc)
    return render_template("requests/detail.html", req=doc, materials=materials_of([doc]), members=members,
                           pay_first=asked, pay_first_why=why,
                           receipt=requisitions.has_receipt(doc),
                           units={**{line["sku"]: line.get("unit") for line in doc["lines"]}, **units},
                           return_key=uuid.uuid4().hex, owner=owner, by_member=returns.by_member(doc),
                           owing=requisitions.shares_owing(doc), closed=requisitions.charged_nothing(doc),
                           again=bool(request.args.get("again")),
                           depot=db().depots.find_one({"_id": doc["depot"]}), history=_history(doc, who), by_whom=who,
                           named=named,
                           cooperative=db().cooperatives.find_one({"_id": doc["cooperative"]},
                                                                  {"name": 1, "name_hi": 1})
                           if doc.get("cooperative") else None)


@blp.post("/my/requisitions/<req_id>/hand-over")
@page("warehouse", "admin")
def hand_over(principal, req_id):
    """Hand over from the depot's Ready to hand over page without script (its script calls the API): back to that
    page, which says to whom it went and links its gate pass; a refusal is the page that says why."""
    doc = requisitions.act(db(), principal, req_id, "dispatch", correlation_id=request_id())
    depot = "" if principal.works_at else f"&depot={quote(doc['depot'])}"
    return redirect(url_of("inventory", f"/warehouse/dispatch?handed={quote(doc['_id'])}{depot}"), code=303)


def pay_first(doc: dict) -> int:
    """What the depot will ask to be paid before it hands over one artisan's request still to come (0: nothing), as
    the artisan's dues and credit terms stand now; a cooperative's is asked of each member at the counter. The
    request's page and the admins' approval card say it (requisition_money.to_pay_first)."""
    return pay_first_and_why(doc)[0]


def pay_first_and_why(doc: dict) -> tuple[int, dict | None]:
    """pay_first, and why it is more than the request's own price in figures the artisan can add up: the dues on
    earlier requests and the credit limit (accounts.pay_first); None when it is not more."""
    if doc["status"] not in HANDED_OVER_LATER or doc.get("shares"):
        return 0, None
    asked, why = requisition_money.pay_first(db(), doc)
    return asked or 0, why


def _history(doc: dict, who) -> list[dict]:
    """Each step of a request's history as people read it: by whom (rawbank's own steps in words, a person as
    `_who` says them) and why (a person's reason as they typed it)."""
    steps = []
    for step in doc.get("history", ()):
        reason, by = step.get("reason") or "", step.get("by")
        if by not in names.ACTORS:
            reason = as_typed(reason) if reason else reason
        elif by == "auto-approve":
            reason = _("Every line is within the size approved at once.")
        elif by == domain.INVENTORY and step["status"] == domain.WAITLISTED and (place := POSITION.fullmatch(reason)):
            reason = _("number %(n)s in line", n=number(int(place.group(1))))
        elif by == domain.INVENTORY and reason:
            reason = _("The depot does not know this depot or one of these materials.")
        steps.append({**step, "reason": reason, "who": who(by)})
    return steps


def logins_shown(doc: dict) -> set:
    """The logins a request's page names: who took each step and return, who recorded each member's share at the
    depot and who settled a dispute of it."""
    steps = (*doc.get("history", ()), *(doc.get("returns") or ()))
    return {step.get("by") for step in steps} | {by for share in doc.get("shares") or ()
                                                  for by in share_logins(share.get("confirmation"))}


def share_logins(confirmation: dict | None) -> set:
    """Who recorded a share's answer (at the depot) and who settled a dispute of it."""
    confirmation = confirmation or {}
    return {confirmation.get("by"), (((confirmation.get("disputed") or {}).get("settled")) or {}).get("by")}


def names_of(logins, principal):
    """Who each login is, in words the reader knows (without a leading "by"), as shared.pages.in_words says them:
    rawbank's own actors in words, a login's display name or an artisan's name (as typed), else the login's role in
    words ("the depot clerk"). Staff also read the login name after it; others never read a bare one. One users query
    (and one of artisans) for all the `logins` a page shows."""
    found = people.known(db(), set(logins) - set(names.ACTORS))
    staff = principal.role in names.STAFF

    def named(by) -> Markup:
        return in_words(by, found.get(by), staff)
    return named


def _who(named, principal):
    """By whom each step (or return) was taken: "by you" for the reader's own steps (not to staff), else "by" the
    person as `names_of` names them."""
    staff = principal.role in ("admin", "warehouse")

    def who(by: str) -> Markup:
        if by == principal.sub and not staff:
            return Markup(escape(_("by you")))
        return Markup(escape(_("by %(who)s"))) % {"who": named(by)}
    return who


@blp.get("/admin/quotas")
@page("admin")
def quota_settings(principal):
    """Each cap with its unit and whom it is for; a form to set, replace (after saying old -> new) or remove one;
    the changes made; who set each, as names_of says them."""
    caps, changes = quotas.list_caps(db()), quotas.history(db(), limit=30)
    people = {doc["_id"]: doc for doc in db().artisans.find(
        {"_id": {"$in": sorted({c["artisan_id"] for c in caps + changes if c["artisan_id"]})}},
        {"name": 1, "name_hi": 1}).limit(500)}
    saved = next((cap for cap in caps if cap["_id"] == request.args.get("saved")), None)
    return render_template("requests/quotas.html", caps=caps, changes=changes, people=people, saved=saved,
                           named=names_of({c.get("set_by") for c in caps} | {c.get("by") for c in changes}, principal),
                           categories=labels()["category"], units=materials.units(db()), auto=settings.auto_approve(db()),
                           max_limit=quotas.MAX_LIMIT, hindi_districts=artisan_picks.page_districts(db()))
