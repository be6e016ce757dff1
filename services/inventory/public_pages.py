"""The public availability page: where material is in stock, with each depot's address and hours (no login)."""
from __future__ import annotations

from babel.dates import get_day_names
from flask import Blueprint, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l

from services.inventory import availability
from services.inventory.public_api import snapshot
from services.inventory.schemas import WEEKDAYS
from shared.districts import of_depots
from shared.i18n import language
from shared.pages import NUMBER_LOCALES, in_page_language
from shared.text import districts_called

blp = Blueprint("public_pages", __name__, template_folder="templates")
STATUS = {"in_stock": _l("In stock"), "low": _l("Running low"), "out": _l("Out of stock")}


@blp.get("/availability")
def availability_page():
    """Every depot (or those of one district, named in English or in Hindi as a depot of it names it) and whether
    each material is there now; anyone may look."""
    depots = snapshot().depots
    districts = sorted({d["district"] for d in depots})
    asked = request.args.get("district") or None
    chosen = asked if asked in districts else next(iter(districts_called(depots, asked)), None)
    shown = availability.filtered(depots, district=asked) if chosen else depots
    return render_template("inventory/availability.html", depots=shown, districts=districts, chosen=chosen,
                           district_names=district_names(depots), statuses=STATUS, hours=hours_text)


def district_names(depots: list[dict]) -> dict[str, str]:
    """Each depot's district (as stored, in English, what the filter sends) -> its name in the page's language: on
    Hindi pages the Hindi one a depot of it gives, chosen as every other page chooses it (shared.districts: the
    first depot's by code, the district compared case and spacing aside), from the snapshot (sorted by code), not
    the store; else the English one."""
    hindi = of_depots(depots)
    return {d["district"]: in_page_language({"district": d["district"], "district_hi": hindi.in_hindi(d["district"])},
                                            "district") for d in depots}


def hours_text(hours: dict | None) -> str:
    """'Mon–Sat, 10:00–17:00' in the page's language; a depot without hours says so."""
    if not hours:
        return _("Opening hours not given; ask the depot")
    names = get_day_names("abbreviated", locale=NUMBER_LOCALES[language()])
    days = sorted(WEEKDAYS.index(day) for day in hours["days"])
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        text = f"{names[days[0]]}–{names[days[-1]]}"
    else:
        text = ", ".join(names[day] for day in days)
    return f"{text}, {hours['opens']}–{hours['closes']}"
