"""The department's reports as pages: a month, a grouping, a chart drawn on the server and the table."""
from __future__ import annotations

from datetime import datetime, timezone

import marshmallow as ma
from flask import Blueprint, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l

from services.notifier import report_names, reports
from services.notifier.report_schemas import BeneficiaryQuery, CooperativesQuery, DistributionQuery, UnmetQuery
from shared.calendar import month_of
from shared.charts import bars
from shared.errors import Error
from shared.field_messages import translated
from shared.i18n import language, translate
from shared.pages import form_error, label, money, number, page
from shared.web import db

blp = Blueprint("report_pages", __name__, template_folder="templates")
#: each chart's title by its grouping, whole: the grouping's word mid-sentence is lower case in English and takes its
#: oblique form in Hindi ("ज़िले के अनुसार"), which a heading word ("District", "ज़िला") put into one sentence did not
CHART_TITLES = {
    "district": _l("Value at the mill-gate price and subsidy, per district"),
    "depot": _l("Value at the mill-gate price and subsidy, per depot"),
    "material": _l("Value at the mill-gate price and subsidy, per material"),
    "cooperative": _l("Value at the mill-gate price and subsidy, per cooperative"),
    "social_category": _l("Artisans served, per social category"),
    "gender": _l("Artisans served, per gender"), "bpl": _l("Artisans served, per BPL status")}
ONE_OF = "Must be one of: {choices}."  # marshmallow's message (shared/field_messages.py), with the options' words
MENU = ((38, "/admin/reports/distribution", _l("Reports")),)
REPORTS = {"distribution": _l("Distribution"), "beneficiaries": _l("Beneficiaries"),
           "unmet-demand": _l("Unmet demand"), "cooperatives": _l("Cooperatives")}
QUERIES = {"distribution": DistributionQuery(), "beneficiaries": BeneficiaryQuery(), "unmet-demand": UnmetQuery(),
           "cooperatives": CooperativesQuery()}
LABELS = {"group_by": {"district": _l("District"), "depot": _l("Depot"), "material": _l("Material"),
                       "depot_material": _l("Depot and material"),
                       "cooperative": _l("Cooperative"), "social_category": _l("Social category"),
                       "gender": _l("Gender"), "bpl": _l("BPL status")},
          "social_category": {"sc": _l("Scheduled Castes (SC)"), "st": _l("Scheduled Tribes (ST)"),
                              "obc": _l("Other Backward Classes (OBC)"), "general": _l("General"),
                              reports.NONE: _l("Not recorded")},
          "gender": {"female": _l("Women"), "male": _l("Men"), "other": _l("Other"), reports.NONE: _l("Not recorded")},
          "bpl": {"yes": _l("Below the poverty line"), "no": _l("Above the poverty line"),
                  reports.NONE: _l("Not recorded")}}


@blp.get("/admin/reports/<any(distribution, beneficiaries, 'unmet-demand', cooperatives):name>")
@page("admin")
def report(principal, name):
    """One report for a month, with its chart; the same figures as the API (and its CSV)."""
    now, found, error, errors = datetime.now(timezone.utc), None, None, {}
    try:
        query = QUERIES[name].load({k: v for k, v in request.args.items() if v})
        found = reports.build(db(), name, query, now)
    except ma.ValidationError as exc:
        query, errors = {"month": request.args.get("month"), "group_by": None}, _field_errors(name, exc.messages)
    except Error as exc:
        query, error = {**request.args}, form_error(exc)
    names = report_names.names(db(), found) if found else {}
    return render_template(f"notifier/report_{name.replace('-', '_')}.html", name=name, reports=REPORTS, found=found,
                           error=error, errors=errors, month=query.get("month") or month_of(now),
                           group_by=query.get("group_by"), names=names, chart_titles=CHART_TITLES,
                           chart=CHARTS[name](found, names) if found else None), 200 if found else 400


def _field_errors(name: str, messages: dict) -> dict[str, str]:
    """What is wrong with each field, one text in the page's language (the form ties it to its field). A grouping not
    offered is said with the words of the options on the page: the API's message lists their codes."""
    lang = language()
    errors = {field: " ".join(translated(said, lang)) for field, said in messages.items()}
    if "group_by" in errors:
        words = ", ".join(str(label("group_by", key)) for key in reports.GROUPINGS[name])
        errors["group_by"] = translate(ONE_OF, lang, choices=words)
    return errors


def _served_chart(found: dict, names: dict) -> dict:
    return bars([{"key": r["group"], "label": names["groups"][r["group"]], "values": [r["value"], r["subsidy"]],
                  "texts": [money(r["value"]), money(r["subsidy"])]} for r in found["rows"]], ("value", "subsidy"))


def _people_chart(found: dict, names: dict) -> dict:
    return bars([{"key": r["group"], "label": names["groups"][r["group"]], "values": [r["artisans"]],
                  "texts": [number(r["artisans"])]} for r in found["rows"]], ("value",))


def _unmet_chart(found: dict, names: dict) -> dict:
    """Per material and depot, each named as the table names it (the depot by its name, not its code)."""
    return bars([{"key": f"{r['depot']}/{r['sku']}",
                  "label": f"{names['materials'][r['sku']]} · {names['depots'].get(r['depot'], r['depot'])}",
                  "values": [r["waitlisted_requisitions"], r["refused_requisitions"]],
                  "texts": [number(r["waitlisted_requisitions"]), number(r["refused_requisitions"])]}
                 for r in found["rows"]], ("value", "subsidy"))


def _cooperatives_chart(found: dict, names: dict) -> dict:
    """Each active cooperative's shares confirmed; one handed materials whose members nobody has asked yet (no share
    this month) keeps its row, said so in words: an empty bar read as nobody having confirmed, and a row left out
    as a cooperative forgotten. Dormant ones are in the table only."""
    return bars([{"key": r["cooperative"], "label": names["cooperatives"][r["cooperative"]],
                  "values": [round((r["confirmation_rate"] or 0) * 100)],
                  "texts": [_("%(confirmed)s of %(shares)s", confirmed=number(r["confirmed"]),
                              shares=number(r["shares"]))]} if r["shares"] else
                 {"key": r["cooperative"], "label": names["cooperatives"][r["cooperative"]],
                  "note": _("No shares to confirm yet this month")}
                 for r in found["rows"] if r["shares"] or r["active"]], ("subsidy",))


CHARTS = {"distribution": _served_chart, "beneficiaries": _people_chart, "unmet-demand": _unmet_chart,
          "cooperatives": _cooperatives_chart}
