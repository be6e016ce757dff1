"""Cooperative pages: a secretary splits a request across members; an artisan's printable passbook."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from flask import Blueprint, redirect, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l

from services.requests import cooperatives, materials, passbook, quotas, requisitions, users
from services.requests.errors import IdempotencyKeyReused, NothingAsked, NoteTooLong, TooManyLines
from services.requests.pages import names_of, over_quota, share_logins
from services.requests.schemas import MAX_COOPERATIVE_LINES, MAX_NOTE
from shared import names
from shared.calendar import financial_year_of, is_financial_year, is_month, month_of
from shared.errors import CsrfFailed, Error
from shared.i18n import language
from shared.pages import form_error, material_name, page, same_site_post, url_of
from shared.quantity import format_quantity, parse_quantity
from shared.web import db

blp = Blueprint("coop_pages", __name__, template_folder="templates")
SHARES = {"awaited": _l("Not received yet"), "pending": _l("Waiting for the member"), "confirmed": _l("Confirmed"),
          "short": _l("Received less")}
VIA = {"sms": _l("by SMS"), "ivr": _l("by phone call"), "missed_call": _l("by missed call"), "app": _l("in the app"),
       "depot": _l("at the depot")}
LABELS = {"share": SHARES, "via": VIA}
COLUMNS = 6  # materials shown at first; the secretary chooses others above the grid
YEARS = 30  # financial years a passbook's chooser offers at most
MENU = {"secretary": ((12, "/coop/new", _l("Request for members")),),
        "artisan": ((27, "/my/passbook", _l("My passbook")),)}


@blp.route("/coop/new", methods=["GET", "POST"])
@page("secretary")
def new_for_members(principal):
    """One folded line per member, opened to their boxes; "Split equally" fills a material's boxes from its total."""
    coop = cooperatives.get(db(), principal, principal.cooperative)
    members = cooperatives.members(db(), coop["_id"])
    catalog = materials.listing(db())
    chosen = request.values.getlist("sku")
    known = [m for m in catalog if m["_id"] in chosen] if chosen else catalog[:COLUMNS]
    form = {k: v.strip() for k, v in request.form.items()} if request.method == "POST" else {}
    error, bad, first, notice, over, estimate = None, set(), None, None, {}, None
    if request.method == "POST":
        try:
            if not same_site_post():
                raise CsrfFailed()
            if sku := form.get("split") or (_typed_total(form, members, known) if form.get("enter") else None):
                category = next((m.get("category") for m in catalog if m["_id"] == sku), None)
                waiting = [m for m in members if category and quotas.needs_looms(db(), m, category)]
                parts = split_equally(form, sku, [m for m in members if m not in waiting])
                form.update(parts)
                if not parts:
                    error, bad = _no_total(sku, catalog), {f"total-{sku}"}
                elif waiting:
                    for member in waiting:
                        form.pop(f"qty-{member['_id']}-{sku}", None)
                    notice = _("Left out of the split: %(members)s. No loom is registered for them yet, and the "
                               "monthly %(category)s quota is counted per loom; an admin approves their looms.",
                               members=", ".join(material_name(m) for m in waiting),
                               category=names.category(category, language()))
                if parts:
                    over = _over_quota(form, sku, category, [m for m in members if m not in waiting], known)
                if over:
                    notice = " ".join(filter(None, (notice, _(
                        "Split equally gave %(members)s more than is left of their monthly %(category)s quota (said "
                        "beside each): lower their shares before sending, or the request is refused.",
                        members=", ".join(material_name(m) for m in members
                                          if f"qty-{m['_id']}-{sku}" in over),
                        category=names.category(category, language())))))
            else:
                lines, bad = read_grid(form, members, known)
                if bad:
                    error = " ".join(_cell_problem(name, form[name], members, known) for name in sorted(bad))
                elif form.get("estimate") or form.get("enter"):  # Enter in a box: the estimate; nothing is sent
                    estimate = _estimate(principal, coop, form, lines, members)
                else:
                    return _submit(principal, coop, form, lines)
        except IdempotencyKeyReused as exc:  # the form came back from the browser's history: a fresh key below
            error, first = _("This form was already used to send a request. It is ready again: check it and send."), \
                url_of("requests", f"/my/requisitions/{exc.details['requisition_id']}")
            form.pop("idempotency_key", None)
        except Error as exc:
            error, bad = form_error(exc), _cells_of(exc, members, known)
    return render_template("requests/coop_new.html", coop=coop, members=members, materials=known, catalog=catalog,
                           form=form, first=first, notice=notice, over=over, estimate=estimate,
                           chosen=chosen_of(form, members, known), opened=_opened(bad | set(over), members, known),
                           depots=list(db().depots.find().sort("_id", 1).limit(200)), error=error, bad=bad,
                           logins=users.artisan_logins(db(), [m["_id"] for m in members]),
                           idempotency_key=form.get("idempotency_key") or uuid.uuid4().hex), 400 if error else 200


def chosen_of(form: dict, members: list[dict], known: list[dict]) -> dict[str, list[tuple[dict, str]]]:
    """What each member's folded line says is chosen for them so far: (material, quantity as typed) per box filled."""
    return {member["_id"]: [(m, form[f"qty-{member['_id']}-{m['_id']}"]) for m in known
                            if form.get(f"qty-{member['_id']}-{m['_id']}")] for member in members}


def _opened(cells: set[str], members: list[dict], known: list[dict]) -> set[str]:
    """The members shown unfolded: those with a box the refusal or the split marks, to be seen and changed."""
    return {member["_id"] for member in members for m in known if f"qty-{member['_id']}-{m['_id']}" in cells}


def _typed_total(form: dict, members: list[dict], known: list[dict]) -> str | None:
    """The material whose "Total to split equally" is written while none of its members' boxes is: Enter pressed
    there asks to split it."""
    for material in known:
        sku = material["_id"]
        if form.get(f"total-{sku}") and not any(form.get(f"qty-{m['_id']}-{sku}") for m in members):
            return sku
    return None


def _cell_problem(name: str, value: str, members: list[dict], known: list[dict]) -> str:
    """What is wrong with one cell of the grid, naming its material and member."""
    for member in members:
        for material in known:
            if name == f"qty-{member['_id']}-{material['_id']}":
                return _("%(material)s for %(member)s: “%(value)s” is not a quantity. Write a number, for example 2.5.",
                         material=material_name(material), member=material_name(member), value=value)
    return name


def _no_total(sku: str, catalog: list[dict]) -> str:
    """What to do when 'Split equally' has no total to split."""
    material = next((m for m in catalog if m["_id"] == sku), None)
    return _("%(material)s: write the total to split in its “Total to split equally” box, for example 30, "
             "then press Split equally again.", material=material_name(material, sku))


def _over_quota(form: dict, sku: str, category: str | None, members: list[dict], known: list[dict]) -> dict:
    """The cells of `sku` that 'Split equally' filled above what is left of their member's monthly quota in its
    category (less what the member's other cells of that category ask): cell name -> what is left, in words."""
    if not category:
        return {}
    now = datetime.now(timezone.utc)
    unit = next((m.get("unit") for m in known if m["_id"] == sku), None)
    same = [m["_id"] for m in known if m.get("category") == category and m["_id"] != sku]
    over = {}
    for member in members:
        name = f"qty-{member['_id']}-{sku}"
        row = next((r for r in quotas.usage_of(db(), member, month_of(now), now) if r["category"] == category), None)
        if row is None or row["left"] is None:
            continue
        try:
            asked = parse_quantity(form.get(name, "") or "0")
            others = sum(parse_quantity(form.get(f"qty-{member['_id']}-{other}", "") or "0") for other in same)
        except ValueError:
            continue
        left = max(row["left"] - others, 0)
        if asked > left:
            over[name] = _("Above the monthly quota: %(left)s left.",
                           left=names.quantity(left, unit, language()))
    return over


def _cells_of(exc: Error, members: list[dict], known: list[dict]) -> set[str]:
    """The cells a refusal is about: its member's (in its category, when it names one); every member's it names."""
    about = exc.details.get("members") or [exc.details]
    return {f"qty-{m['_id']}-{k['_id']}" for m in members for k in known for found in about
            if m["_id"] == found.get("artisan_id")
            and found.get("category") in (None, k.get("category"), k.get("entitlement_class"))}


def _body(coop: dict, form: dict, lines: list[dict]) -> dict:
    """The API's body of the grid's request, refused as the API's schema refuses it."""
    if not lines:
        raise NothingAsked()
    if len(lines) > MAX_COOPERATIVE_LINES:  # what the API's schema refuses, said for the form
        raise TooManyLines({"max": MAX_COOPERATIVE_LINES})
    if len(form.get("note", "")) > MAX_NOTE:
        raise NoteTooLong({"max": MAX_NOTE})
    return {"cooperative": coop["_id"], "depot": form.get("depot", ""), "lines": lines, "note": form.get("note", "")}


def _estimate(principal, coop: dict, form: dict, lines: list[dict], members: list[dict]) -> dict:
    """What the grid's request would cost each member (the API's estimate, requisitions.estimate): per member who asks
    for something, their pricing, the entitlements and monthly quotas it counts against; the materials' totals, for
    the depot's stock (which the page's script looks up at inventory); a member over a monthly quota has no price, as
    submit refuses the whole request (what is left, and the day it renews, instead), nor is the whole request unless
    the estimate says it is submittable; stores nothing."""
    now = datetime.now(timezone.utc)
    found = requisitions.estimate(db(), principal, _body(coop, form, lines), now=now)
    rows = []
    for member in members:
        share = next((s for s in found["shares"] if s["artisan_id"] == member["_id"]), None)
        if share is None:
            continue
        asked = {line["category"] for line in share["pricing"]["lines"]}  # as the artisan's estimate shows them
        theirs = [r for r in found["quotas"] if r["artisan_id"] == member["_id"]]
        rows.append({"member": member, "pricing": share["pricing"], "quotas": theirs, "over": over_quota(theirs),
                     "entitlements": [r for r in found["entitlements"]
                                      if r["artisan_id"] == member["_id"] and r["category"] in asked]})
    totals = {}
    for line in lines:
        totals[line["sku"]] = totals.get(line["sku"], 0) + line["quantity"]
    return {"members": rows, "pricing": found["pricing"], "totals": totals, "units": materials.units(db()),
            "materials": materials.by_sku(db(), list(totals)), "submittable": found["submittable"]}


def _submit(principal, coop: dict, form: dict, lines: list[dict]):
    body = _body(coop, form, lines)
    doc, created = requisitions.submit(db(), principal, body, idempotency_key=form.get("idempotency_key") or None)
    return redirect(url_of("requests", f"/my/requisitions/{doc['_id']}" + ("" if created else "?again=1")))


def read_grid(form: dict, members: list[dict], known: list[dict]) -> tuple[list[dict], set[str]]:
    """The lines of the grid (qty-<member>-<sku>), and the names of the cells that are not quantities."""
    lines, bad = [], set()
    for member in members:
        for material in known:
            name = f"qty-{member['_id']}-{material['_id']}"
            text = form.get(name, "")
            if not text:
                continue
            try:
                quantity = parse_quantity(text)
            except ValueError:
                quantity = -1
            if quantity < 0:
                bad.add(name)
            elif quantity:
                lines.append({"sku": material["_id"], "quantity": quantity, "artisan_id": member["_id"]})
    return lines, bad


def split_equally(form: dict, sku: str, members: list[dict]) -> dict:
    """A material's total split across the members in equal parts (the odd thousandths to the first ones)."""
    try:
        total = parse_quantity(form.get(f"total-{sku}", "") or "0")
    except ValueError:
        total = 0
    if total <= 0 or not members:
        return {}
    part, odd = divmod(total, len(members))
    return {f"qty-{m['_id']}-{sku}": format_quantity(part + (1 if i < odd else 0)) for i, m in enumerate(members)}


@blp.get("/my/passbook")
@page("artisan")
def my_passbook(principal):
    return _passbook(principal, principal.artisan_id)


@blp.get("/passbook/<artisan_id>")
@page("secretary", "admin", "warehouse")
def member_passbook(principal, artisan_id):
    return _passbook(principal, artisan_id)


def _passbook(principal, artisan_id: str):
    """The passbook of a financial year (?year=, this one by default; one written wrong shows this one and says how to
    write it), with a chooser of the years back to the artisan's first request."""
    now = datetime.now(timezone.utc)
    month, year = request.args.get("month", ""), request.args.get("year", "")
    error = None if not year or is_financial_year(year) else \
        _("Write a financial year such as %(example)s.", example=financial_year_of(now))
    book = passbook.of(db(), principal, artisan_id, month if is_month(month) else month_of(now), now,
                       year=year if not error and year else financial_year_of(now))
    names = materials.by_sku(db(), {line["sku"] for entry in book["requisitions"] for line in entry["lines"]})
    named = names_of({by for entry in book["requisitions"] for by in share_logins(entry.get("confirmation"))},
                     principal)
    return render_template("requests/passbook.html", book=book, materials=names, printed=now, error=error, named=named,
                           years=passbook_years(book["first_year"], book["year"], now),
                           first_month=f"{book['year'][:4]}-04", last_month=f"{int(book['year'][:4]) + 1}-03",
                           entries=passbook.ENTRIES), 400 if error else 200


def passbook_years(first: str | None, shown: str, now: datetime, most: int = YEARS) -> list[str]:
    """The financial years to choose from, newest first: this one back to that of the first request (at most
    `most`), and the one shown."""
    last = int(financial_year_of(now)[:4])
    start = max(min(int(first[:4]) if first else last, last), last - most + 1)
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(last, start - 1, -1)]
    return years if shown in years else sorted(years + [shown], reverse=True)
