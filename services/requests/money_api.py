"""Money HTTP API: schemes, entitlements, estimates, payments, accounts, credit terms, subsidy claims."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Response

from services.requests import (accounts, artisan_picks, artisans, claims, collections, cooperatives, credit,
                               entitlements, requisitions, schemes)
from services.requests.money_schemas import (AccountQuery, AccountSchema, ClaimsQuery, ClaimsSchema, ClaimYearQuery,
                                             ClaimYearSchema, CollectionsQuery,
                                             CollectionsSchema, CreditTermsSchema,
                                             EntitlementQuery, EntitlementSchema, EstimateRequestSchema,
                                             EstimateSchema, PaymentOutSchema, PaymentSchema, RefundOutSchema,
                                             RefundSchema, ReversalSchema, ReversedPaymentSchema, SchemePatchSchema,
                                             SchemeSchema)
from shared.auth import current_principal, require_role
from shared.calendar import financial_year_of, month_of
from shared.i18n import language
from shared.lists import PAGE_SIZE, skip_of
from shared.web import Blueprint, db

blp = Blueprint("money", __name__, url_prefix="/api/v1",
                description="Schemes, entitlements, prices of requisitions, payments, accounts and claims")


def _now() -> datetime:
    return datetime.now(timezone.utc)


@blp.route("/schemes", methods=["POST"])
@blp.refuses(409, 503)
@require_role("admin")
@blp.arguments(SchemeSchema)
@blp.response(201, SchemeSchema)
def create_scheme(body):
    """Add a subsidy scheme; 409 if it covers some of another scheme's artisans for a category on a same day."""
    return schemes.create(db(), body, by=current_principal().sub)


@blp.route("/schemes", methods=["GET"])
@require_role()
@blp.response(200, SchemeSchema(many=True))
def list_schemes():
    return list(schemes.listing_by_code(db()).values())


@blp.route("/schemes/<code>", methods=["GET"])
@require_role()
@blp.response(200, SchemeSchema)
def get_scheme(code):
    return schemes.get(db(), code)


@blp.route("/schemes/<code>", methods=["PATCH"])
@blp.refuses(409, 503)
@require_role("admin")
@blp.arguments(SchemePatchSchema)
@blp.response(200, SchemeSchema)
def update_scheme(changes, code):
    """Change a scheme; requisitions already locked keep their prices. Every field given as it is (the page saved
    unchanged): the scheme as it is, no new version, the same updated_at."""
    return schemes.update(db(), code, changes, by=current_principal().sub)


@blp.route("/artisans/<artisan_id>/entitlements", methods=["GET"])
@require_role()
@blp.arguments(EntitlementQuery, location="query")
@blp.response(200, EntitlementSchema(many=True))
def list_entitlements(query, artisan_id):
    """Per category a scheme caps: cap (looms x per-loom cap), used (subsidised this month) and left."""
    now = _now()
    artisan = artisans.get(db(), current_principal(), artisan_id)
    return entitlements.rows(db(), artisan, query["month"] or month_of(now), now)


@blp.route("/requisitions/estimate", methods=["POST"])
@blp.refuses(422)
@require_role("admin", "secretary", "artisan")
@blp.arguments(EstimateRequestSchema)
@blp.response(200, EstimateSchema)
def estimate(body):
    """What a requisition would cost if submitted now, and what it would take of each entitlement; stores nothing."""
    return requisitions.estimate(db(), current_principal(), body, now=_now())


@blp.route("/requisitions/<req_id>/payments", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin", "warehouse")
@blp.arguments(PaymentSchema)
@blp.response(201, PaymentOutSchema)
def record_payment(body, req_id):
    """Record a payment (cash, UPI, or an advance, which may exceed what is due); a repeated reference is
    answered again (200) and never counted twice."""
    payment, created = requisitions.pay(db(), current_principal(), req_id, body, now=_now())
    return payment, 201 if created else 200


@blp.route("/requisitions/<req_id>/payments/<payment_id>/reversal", methods=["POST"])
@blp.refuses(503)
@require_role("admin")
@blp.arguments(ReversalSchema)
@blp.response(201, ReversedPaymentSchema)
def reverse_payment(body, req_id, payment_id):
    """Take back a payment recorded wrong, with the reason (admins): what it paid is paid no more; sent again, the
    same reversal is answered (200). The right payment is then recorded under a new reference."""
    payment, created = requisitions.reverse_payment(db(), current_principal(), req_id, payment_id, body, now=_now())
    return payment, 201 if created else 200


@blp.route("/artisans/<artisan_id>/refunds", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin")
@blp.arguments(RefundSchema)
@blp.response(201, RefundOutSchema)
def record_refund(body, artisan_id):
    """Record money handed back to an artisan from their credit (admins), at most what is paid beyond what is owed
    (422 refund_above_credit); the same reference sent again is answered again (200) and never counted twice."""
    artisan = artisans.get(db(), current_principal(), artisan_id)
    done, created = accounts.refund(db(), artisan["_id"], body, by=current_principal().sub, now=_now())
    return done, 201 if created else 200


@blp.route("/artisans/<artisan_id>/account", methods=["GET"])
@blp.refuses(503)
@require_role()
@blp.arguments(AccountQuery, location="query")
@blp.response(200, AccountSchema)
def get_account(query, artisan_id):
    """Balance due, what of it is overdue, credit terms, and every charge, subsidy and payment, newest first; with
    `page` or `limit`, a page of the entries (the figures still of the whole account), X-Total-Count saying how many."""
    now = _now()
    account = accounts.view(db(), artisans.get(db(), current_principal(), artisan_id), now)
    total = len(account["entries"])
    if query["page"] is None and query["limit"] is None:
        return {**account, "entries_total": total}
    query = {"page": query["page"] or 1, "limit": query["limit"] or PAGE_SIZE}
    skip = skip_of(query)
    return {**account, "entries": account["entries"][skip:skip + query["limit"]], "entries_total": total}, \
        200, {"X-Total-Count": str(total)}


@blp.route("/credit-terms", methods=["PUT"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(CreditTermsSchema)
@blp.response(200, CreditTermsSchema)
def set_credit_terms(body):
    """Credit limit, days and advance for one artisan (by `artisan_id`, or `artisan` as a person types them), one
    cooperative's members, or everyone (neither)."""
    if body["artisan_id"]:  # never with `artisan` (CreditTermsSchema): a typed one is found as the caller may see it
        artisans.get(db(), current_principal(), body["artisan_id"])
    artisan_picks.into_number(db(), current_principal(), body)
    cooperatives.require(db(), body["cooperative"])  # a code no cooperative has would hold terms nobody gets
    return credit.set_terms(db(), body, by=current_principal().sub)


@blp.route("/credit-terms", methods=["GET"])
@require_role("admin")
@blp.response(200, CreditTermsSchema(many=True))
def list_credit_terms():
    return credit.listing(db())


@blp.route("/reports/subsidy-claims", methods=["GET"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(ClaimsQuery, location="query")
@blp.response(200, ClaimsSchema)
def subsidy_claims(query):
    """One row per district of the month's subsidised dispatches under a scheme; format=csv for a spreadsheet. This
    month's (the default) is what was handed over so far (`so_far`, and the CSV's name ends `-so-far`)."""
    now = _now()
    claim = claims.report(db(), query["scheme"], query["month"] or month_of(now), now)
    if query["format"] == "csv":
        said = claims.as_csv(claim, language(), claims.csv_categories(db(), claim), schemes.get(db(), claim["scheme"]))
        return Response(said, mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={claims.csv_name(claim)}"})
    return claim


@blp.route("/reports/subsidy-claims/year", methods=["GET"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(ClaimYearQuery, location="query")
@blp.response(200, ClaimYearSchema)
def subsidy_claims_year(query):
    """A financial year (1 April to 31 March) of a scheme's claims: one row per month with that month's claim's
    totals, and the year's; format=csv for a spreadsheet. Months go by hand-over, as the monthly claims do. The year
    in progress (the default) is counted up to this month (`so_far`, and the CSV's name ends `-so-far`)."""
    now = _now()
    found = claims.year_claims(db(), query["scheme"], query["year"] or financial_year_of(now), now)
    if query["format"] == "csv":
        said = claims.year_as_csv(found, language(), claims.csv_categories(db(), found),
                                  schemes.get(db(), found["scheme"]))
        return Response(said, mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={claims.year_csv_name(found)}"})
    return found


@blp.route("/payments", methods=["GET"])
@require_role("admin", "warehouse")
@blp.arguments(CollectionsQuery, location="query")
@blp.response(200, CollectionsSchema)
def list_payments(query):
    """The collections register: every payment taken, reversed or refunded, oldest first, by India's day, method,
    depot and kind (a depot's warehouse staff: their own depot's only, 403 wrong_depot for another); `totals` are of
    every row the filter matches (X-Total-Count), per kind, method and depot; format=csv gives every row."""
    depot = collections.scope(current_principal(), query["depot"])
    rows = collections.register(db(), first=query["first"], last=query["last"], method=query["method"], depot=depot,
                                kind=query["kind"])
    if query["format"] == "csv":
        return Response(collections.as_csv(collections.named(db(), rows), language()), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={collections.csv_name(query, depot)}"})
    skip = skip_of(query)
    return {"rows": collections.named(db(), rows[skip:skip + query["limit"]]), "totals": collections.totals(rows)}, \
        200, {"X-Total-Count": str(len(rows))}
