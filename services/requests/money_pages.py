"""Money pages: the price before submitting, accounts, receipts, schemes and the claims (a month's, a year's)."""
from __future__ import annotations

from datetime import datetime, timezone

import marshmallow as ma
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from services.requests import (account_rows, accounts, artisan_picks, artisans, claims, collections, credit,
                               entitlements, materials, requisitions, returns, scheme_forms, schemes, words)
from services.requests.errors import ArtisanNameAmbiguous, ArtisanNameUnknown
from services.requests.money_schemas import SchemePatchSchema, SchemeSchema
from services.requests.pages import names_of, over_quota
from shared.calendar import (add_days, day_of, day_start, financial_year_of, is_month, is_written_financial_year,
                             month_bounds, month_of)
from shared.charts import bars
from shared.districts import depot_districts
from shared.errors import CsrfFailed, Error
from shared.field_messages import translated
from shared.i18n import language
from shared.lists import day_arg, pager
from shared.money import format_money
from shared.pages import district_name, form_error, in_page_language, labels, money, page, same_site_post, url_of
from shared.quantity import parse_quantity
from shared.text import plain_name
from shared.web import db

blp = Blueprint("money_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/requests")
MENU = {"artisan": ((25, "/my/account", _l("My account")),),
        "secretary": ((15, "/accounts", _l("Accounts")),),
        "admin": ((32, "/admin/schemes", _l("Schemes")), (34, "/admin/claims", _l("Subsidy claims")),
                  (36, "/accounts", _l("Accounts")), (37, "/admin/collections", _l("Collections"))),
        "warehouse": ((60, "/admin/collections", _l("Collections")),)}
ENTRIES = {"charge": _l("Charge"), "subsidy": _l("Subsidy"), "payment": _l("Payment"),
           "payment_reversal": _l("Payment reversed"), "refund": _l("Refund"),
           "credit_note": _l("Credit note")}
#: what a credit note is for (returns.credit_for), said to the member (`credit_note`) and about them
#: (`credit_note_member`): material that came back, material that never reached them (a `short` line), or both
CREDIT_NOTES = {"returned": _l("Credit note: material you returned"),
                "short": _l("Credit note: material that did not reach you"),
                "both": _l("Credit note: material you returned, and material that did not reach you")}
CREDIT_NOTES_MEMBER = {"returned": _l("Credit note: material returned"),
                       "short": _l("Credit note: material that did not reach the member"),
                       "both": _l("Credit note: material returned, and material that did not reach the member")}
CONDITIONS = {"restock": _l("Back on the shelf"), "damaged": _l("Damaged: written off"),
              "short": _l("Did not reach the member")}
METHODS = {"cash": _l("Cash"), "upi": _l("UPI"), "advance": _l("Advance")}
KINDS = {"payment": _l("Payment"), "reversal": _l("Payment reversed"), "refund": _l("Refund")}
LABELS = {"entry": ENTRIES, "method": METHODS, "collected": KINDS, "condition": CONDITIONS,
          "credit_note": CREDIT_NOTES, "credit_note_member": CREDIT_NOTES_MEMBER,
          "category": {code: _l(text) for code, text in words.CLASSES.items()}}


def _now() -> datetime:
    return datetime.now(timezone.utc)


@blp.get("/my/estimate")
@page("artisan")
def estimate(principal):
    """What the request on the form would cost, and what is left of this month's entitlements."""
    lines, bad = [], []
    for name, value in request.args.items():
        if name.startswith("qty-") and value.strip():
            try:
                quantity = parse_quantity(value.strip())
            except ValueError:
                quantity = -1
            (lines if quantity > 0 else bad).append({"sku": name[4:], "quantity": quantity})
    found, error, depot = None, None, request.args.get("depot", "")
    if not lines:  # nothing asked yet: what is left of each entitlement this month
        artisan = artisans.get(db(), principal, principal.artisan_id)
        rows = entitlements.rows(db(), artisan, month_of(_now()), _now())
        found = {"pricing": None, "entitlements": [row for row in rows if row["unit"]]}  # as an estimate shows them
    elif not bad and depot:
        try:
            found = requisitions.estimate(db(), principal, {"depot": depot, "lines": lines}, now=_now())
        except Error as exc:
            error = form_error(exc)
        else:  # only the entitlements this request counts against
            asked = {line["category"] for line in found["pricing"]["lines"]}
            # over a monthly quota, submit refuses the whole request: the price says so (what is left, the day it
            # renews: the API's answer) instead of a price for all
            found["over"] = over_quota(found["quotas"])
            found["entitlements"] = [row for row in found["entitlements"] if row["category"] in asked]
            artisan, payable = artisans.get(db(), principal, principal.artisan_id), found["pricing"]["payable_total"]
            found["pay_first"], found["pay_first_why"] = accounts.pay_first(db(), artisan, payable)
    return render_template("requests/estimate.html", found=found, error=error, bad=bool(bad), nodepot=not depot,
                           units=materials.units(db()), materials=materials.by_sku(db(), [l["sku"] for l in lines]))


def _account_page(principal, artisan_id: str):
    """The account's figures (of the whole account) and its entries newest first, a page of them at a time
    (`?page=N`): an account of 1,723 entries was one page of 1.87 MB, each payment with its own reverse form."""
    artisan = artisans.get(db(), principal, artisan_id)
    account = accounts.view(db(), artisan, _now())
    groups = account_rows.grouped(account["entries"])  # a charge and its subsidy on one page, read as one
    at = pager(len(groups))
    shown = [entry for group in groups[at.skip:at.skip + at.size] for entry in group]
    shown = returns.credit_notes_for(db(), shown)  # returned or short
    return render_template("requests/account.html", artisan=artisan, pager=at, account={**account, "entries": shown},
                           counted=account_rows.counted(groups, at.skip, at.size))  # the rows the table lists


@blp.get("/my/account")
@page("artisan")
def my_account(principal):
    return _account_page(principal, principal.artisan_id)


@blp.get("/accounts/<artisan_id>")
@page("artisan", "secretary", "admin", "warehouse")
def account(principal, artisan_id):
    return _account_page(principal, artisan_id)


@blp.get("/accounts")
@page("secretary", "admin")
def account_list(principal):
    """The accounts the caller may see, most owed first (?artisan= opens one: a number, a line of the list or a whole
    name, as artisan_picks reads it; a name nobody or several have is said beside the field); admins also set credit
    terms."""
    typed, refused = request.args.get("artisan", "").strip(), None
    if typed:
        try:
            artisan = artisan_picks.picked(db(), principal, typed)
            return redirect(url_of("requests", f"/accounts/{artisan['_id']}"))
        except (ArtisanNameUnknown, ArtisanNameAmbiguous) as exc:
            refused = exc  # the list again, the field as typed, what to do next said under it (422)
    rows = accounts.listing(db(), principal, _now(), limit=accounts.MAX_LISTED + 1)
    more = len(rows) > accounts.MAX_LISTED  # past the limit: those who owe most, and the caller is told so
    rows = rows[:accounts.MAX_LISTED]
    at = pager(len(rows))
    # a secretary answers for the cooperative's dues as a whole: the sum of every page (an advance is no member's due)
    owed = {"due": sum(max(r["balance_due"], 0) for r in rows), "overdue": sum(r["overdue"] for r in rows)} \
        if principal.role == "secretary" and rows and not more else None
    admin = principal.role == "admin"  # admins set credit terms, picking the artisan by name (artisan_pick.js)
    terms = credit.listing(db()) if admin else []
    held = [t["artisan_id"] for t in terms if t.get("artisan_id")]  # named, as they were picked
    named = {a["_id"]: a for a in db().artisans.find({"_id": {"$in": held}}, {"name": 1, "name_hi": 1})} if held else {}
    return render_template("requests/accounts.html", rows=rows[at.skip:at.skip + at.size], pager=at, more=more,
                           shown=len(rows), terms=terms, terms_named=named, owed=owed, typed=typed,
                           refused=refused.describe_on_page() if refused else None,
                           hindi_districts=artisan_picks.page_districts(db())), \
        422 if refused else 200


@blp.get("/requisitions/<req_id>/receipt")
@page("artisan", "secretary", "admin", "warehouse")
def receipt(principal, req_id):
    """A printable receipt: the scheme, quantities, subsidy and what was paid."""
    req = requisitions.get(db(), principal, req_id)
    if not requisitions.has_receipt(req):  # nothing paid nor handed over: no empty receipt, a page saying so
        return render_template("requests/no_receipt.html", req=req, closed=requisitions.charged_nothing(req))
    scheme = (req.get("pricing") or {}).get("scheme")
    members = requisitions.shares_owing(req) if principal.role != "artisan" else []  # a member's: their own share
    return render_template("requests/receipt.html", req=req, artisan=artisans.profile(db(), req["artisan_id"]) or {},
                           cooperative=db().cooperatives.find_one({"_id": req.get("cooperative")}, {"outbox": 0})
                           if members else None, members=members, closed=requisitions.charged_nothing(req),
                           scheme=schemes.listing_by_code(db()).get(scheme) if scheme else None,
                           materials=materials.by_sku(db(), [line["sku"] for line in req["lines"]]), printed=_now(),
                           depot=db().depots.find_one({"_id": req["depot"]}))


@blp.route("/admin/schemes", methods=["GET", "POST"])
@page("admin")
def scheme_list(principal):
    """The schemes, and a form to add one."""
    if request.method == "POST":
        return _save_scheme(principal, None)
    return _scheme_page("requests/schemes.html", schemes=list(schemes.listing_by_code(db()).values()),
                        form=scheme_forms.blank(), errors={})


@blp.route("/admin/schemes/<code>", methods=["GET", "POST"])
@page("admin")
def scheme_edit(principal, code):
    if request.method == "POST":
        return _save_scheme(principal, code)
    return _scheme_page("requests/scheme.html", scheme=schemes.get(db(), code),
                        form=scheme_forms.filled(schemes.get(db(), code)), errors={})


def _scheme_page(template: str, **context):
    """A scheme page: what a cap may cover, by name in the page's language, and the unit each is counted in; the
    crafts and districts rawbank knows, to tick, named in the page's language too (read once for both)."""
    known = schemes.known_places(db())
    return render_template(template, categories=labels()["category"], units=materials.units(db()),
                           covering_nobody=schemes.covering_nobody(db()), places=_places(context["form"], known),
                           crafts_named=_crafts_named(known), **context)


def _crafts_named(known: dict):
    """The crafts a scheme covers, as the page's reader says them: on Hindi pages each by the Hindi name an artisan
    gives that craft (compared case and spacing aside, as the form's boxes are), else as typed."""
    hindi = {plain_name(place["name"]): place["name_hi"] for place in known["crafts"]}
    return lambda names: [in_page_language({"name": name, "name_hi": hindi.get(plain_name(name))}, "name")
                          for name in names]


def _places(form: dict, known: dict) -> dict[str, list[dict]]:
    """Each box of the form's crafts and districts, in the order of the names the page shows."""
    hindi = depot_districts(db())
    districts = [{**place, "name_hi": hindi.in_hindi(place["name"])} for place in known["districts"]]
    return {kind: sorted(scheme_forms.choices({**known, "districts": districts}[kind], form[kind]),
                         key=lambda box: (box["known"], in_page_language(box, "name").casefold()))
            for kind in scheme_forms.PLACES}


def _save_scheme(principal, code: str | None):
    """Read the scheme form, save it through the same schema and use case as the API; show what is wrong."""
    form, error, errors = scheme_forms.from_form(request.form), None, {}
    try:
        if not same_site_post():
            raise CsrfFailed()
        body = (SchemePatchSchema() if code else SchemeSchema()).load(scheme_forms.body(form, editing=bool(code)))
        if code:
            schemes.update(db(), code, body, by=principal.sub)
        else:
            schemes.create(db(), body, by=principal.sub)
        return redirect(url_of("requests", "/admin/schemes"))
    except ma.ValidationError as exc:
        errors = translated(scheme_forms.flatten(exc.messages), language())
    except Error as exc:  # the scheme book busy (others saving it) is passed on: 503 with Retry-After
        error = form_error(exc)
    template = "requests/scheme.html" if code else "requests/schemes.html"
    return _scheme_page(template, schemes=list(schemes.listing_by_code(db()).values()), form=form, error=error,
                        errors=errors, scheme=schemes.listing_by_code(db()).get(code)), 400


@blp.get("/admin/claims")
@page("admin")
def claims_page(principal):
    """The monthly subsidy claim per district, with a chart, for a scheme and month; with ?year= a financial year's
    claims month by month instead."""
    known = list(schemes.listing_by_code(db()))  # each named in the page's language beside its code (|scheme)
    chosen = request.args.get("scheme") or (known[0] if known else "")
    if "year" in request.args:
        return _year_page(known, chosen)
    month = request.args.get("month") or month_of(_now())
    claim, error, errors = None, None, {}
    if not is_month(month):
        errors["month"] = _l("Write a month such as %(example)s.", example="2026-11")
    elif chosen:
        try:
            claim = claims.report(db(), chosen, month, _now())
        except Error as exc:
            error = form_error(exc)
    # a month or scheme that gives no claim is refused (400), as the department's reports refuse theirs
    return render_template("requests/claims.html", schemes=known, chosen=chosen, month=month, claim=claim,
                           error=error, errors=errors,
                           chart=chart(claims.net_by_district(claim)) if claim else None), \
        400 if error or errors else 200


def _year_page(known: list[str], chosen: str):
    """A financial year's claims of a scheme: each month's claim's totals (a link to it), the year's, its CSV."""
    now = _now()
    year = request.args.get("year") or financial_year_of(now)
    found, error, errors = None, None, {}
    if not is_written_financial_year(year):  # one well written but outside the scheme: year_claims says why
        errors["year"] = _l("Write a financial year such as %(example)s.", example="2026-27")
    elif chosen:
        try:
            found = claims.year_claims(db(), chosen, year, now)
        except Error as exc:
            error = form_error(exc)
    return render_template("requests/claims_year.html", schemes=known, chosen=chosen, year=year, claims=found,
                           error=error, errors=errors,
                           years=_years(chosen, year if not errors else None, now), this_month=month_of(now)), \
        400 if error or errors else 200


def _years(scheme: str, asked: str | None, now: datetime, most: int = 30) -> list[str]:
    """The financial years to choose from, newest first: this one back to the one the scheme began in (at most
    `most`), and the one asked for."""
    valid_from = (schemes.listing_by_code(db()).get(scheme) or {}).get("valid_from")
    first = int(financial_year_of(day_start(valid_from))[:4]) if valid_from else int(financial_year_of(now)[:4])
    last = int(financial_year_of(now)[:4])
    first = min(first, last)  # a scheme that begins later: this year only
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(last, max(first, last - most + 1) - 1, -1)]
    return years if not asked or asked in years else sorted(years + [asked], reverse=True)


@blp.get("/admin/collections")
@page("admin", "warehouse")
def collections_page(principal):
    """The collections register: what was taken, reversed and refunded from one India day to another (this month so
    far unless asked), by method, depot and kind, with the totals of the whole filter and its CSV; who recorded each
    as names_of says them (a display name or the role, with the login). A depot's staff see their own depot's only
    (asked for another, refused in words)."""
    errors, today = {}, day_of(_now())
    first, last = day_arg("from", errors), day_arg("to", errors)
    if first and last and last < first:
        errors["to"] = _l("The last day comes before the first; correct one of the two days.")
    asked = request.args.get("depot") or None
    depot = collections.scope(principal, asked)
    first = first.isoformat() if first else (None if request.args.get("from") or request.args.get("to")
                                             else month_bounds(month_of(_now()))[0])
    last = last.isoformat() if last else (None if request.args.get("from") or request.args.get("to") else today)
    method = request.args.get("method") if request.args.get("method") in collections.METHODS else None
    kind = request.args.get("kind") if request.args.get("kind") in collections.SIGN else None
    rows = [] if errors else collections.register(db(), first=first, last=last, method=method, depot=depot,
                                                  kind=kind)
    at = pager(len(rows))
    asked_csv = {"from": first, "to": last, "method": method, "depot": depot, "kind": kind}
    this_month = month_bounds(month_of(_now()))
    last_month = month_bounds(add_days(this_month[0], -1)[:7])
    shown = collections.named(db(), rows[at.skip:at.skip + at.size])
    return render_template("requests/collections.html", rows=shown, named=names_of({r.get("by") for r in shown},
                                                                                    principal),
                           totals=collections.totals(rows), pager=at, errors=errors, first=first, last=last,
                           method=method, depot=depot, kind=kind, methods=collections.METHODS, kinds=KINDS,
                           depots=list(db().depots.find().sort("_id", 1).limit(200)),
                           picks_depot=principal.works_at is None, today=today, this_month=this_month,
                           last_month=last_month, now=_now(),
                           csv_url=url_for("money.list_payments", format="csv",
                                           **{k: v for k, v in asked_csv.items() if v})), 400 if errors else 200


def chart(rows: list[dict]) -> dict:
    """Where each district's two bars go (value at the mill-gate price, and the subsidy) in the SVG chart, from
    rows of `district`, `value` and `subsidy` (paise: the claim's, net of returns, see claims.net_by_district), as
    the reports' charts are drawn (shared.charts.bars): the district named as the page's reader says it, wrapped
    between words in the label column, its row as tall as its lines. A negative figure (a district with more
    returned than handed over) is a bar as long as it, marked `negative`; a district with returns is starred."""
    return bars([{"key": row["district"], "district": row["district"],
                  "label": district_name(row["district"]) + (" *" if any(row.get("returned") or ()) else ""),
                  "values": [abs(row["value"]), abs(row["subsidy"])],
                  "texts": [money(row["value"]), money(row["subsidy"])],
                  "figures": {k: format_money(row[k]) for k in ("value", "subsidy")},
                  "negative": {k: row[k] < 0 for k in ("value", "subsidy")}} for row in rows],
                ("value", "subsidy"))
