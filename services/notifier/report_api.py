"""The department's reports over HTTP: JSON, or CSV for a spreadsheet (format=csv); admins only."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import Response

from services.notifier import report_exports, report_models, report_names, reports
from services.notifier.report_schemas import (BeneficiaryQuery, CooperativesQuery, CooperativesSchema,
                                              DistributionQuery, RebuiltSchema, ServedSchema, UnmetQuery, UnmetSchema)
from shared.auth import require_role
from shared.i18n import language
from shared.web import Blueprint, db

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports for the department (admins)")


def _answer(name: str, query: dict):
    report = reports.build(db(), name, query, datetime.now(timezone.utc))
    if query["format"] == "csv":
        grouped = len(reports.GROUPINGS[name]) > 1  # a report of one grouping does not name it
        filename = f"{name}-{report['month']}{'-' + report['group_by'] if grouped else ''}.csv"
        return Response(report_exports.EXPORTS[name](report, report_names.names(db(), report), language(),
                                                     report_exports.catalog(db())),
                        mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={filename}"})
    return report


@blp.route("/reports/distribution", methods=["GET"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(DistributionQuery, location="query")
@blp.response(200, ServedSchema)
def distribution(query):
    """Material handed over in a month per district, depot, material or cooperative (group_by)."""
    return _answer("distribution", query)


@blp.route("/reports/beneficiaries", methods=["GET"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(BeneficiaryQuery, location="query")
@blp.response(200, ServedSchema)
def beneficiaries(query):
    """The artisans served in a month per social category, gender or BPL status (group_by)."""
    return _answer("beneficiaries", query)


@blp.route("/reports/unmet-demand", methods=["GET"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(UnmetQuery, location="query")
@blp.response(200, UnmetSchema)
def unmet_demand(query):
    """Per material and depot: quantities waitlisted or refused in a month, and the days artisans waited."""
    return _answer("unmet-demand", query)


@blp.route("/reports/cooperatives", methods=["GET"])
@blp.refuses(422)
@require_role("admin")
@blp.arguments(CooperativesQuery, location="query")
@blp.response(200, CooperativesSchema)
def cooperatives(query):
    """Per cooperative: active or dormant, offtake per loom, confirmation rate and short shares in a month."""
    return _answer("cooperatives", query)


@blp.route("/reports/rebuild", methods=["POST"])
@require_role("admin")
@blp.response(200, RebuiltSchema)
def rebuild():
    """Build every report again from the event log (what `rawbank reports rebuild` asks for)."""
    started = time.monotonic()
    return {"events": report_models.rebuild(db()), "seconds": round(time.monotonic() - started, 3)}
