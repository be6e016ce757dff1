"""What each group, material, depot and cooperative of a report is called, in the request's language: the same
words on the report's page and in its CSV (whose code columns keep the stored codes beside them)."""
from __future__ import annotations

from flask_babel import gettext as _

from services.notifier import projections, reports
from shared.i18n import language
from shared.names import named
from shared.pages import district_name, label, material_name


def names(db, found: dict) -> dict:
    """{"groups", "materials", "depots", "cooperatives"}: each code of `found` (a built report) -> its name."""
    skus = set(found.get("units", {}))
    every = [*found["rows"], *(found.get("returns") or {}).get("rows", ())]  # the distribution's returns too
    materials = projections.materials(db, skus)
    depots = projections.depots(db, {r.get("depot") or r.get("group") for r in every})
    coops = {c["_id"]: c for c in db.cooperatives.find()}
    lang = language()

    def coop(code):
        return named(coops.get(code), code, lang)
    group_by = found.get("group_by")
    groups = {}
    for row in every:
        key = row.get("group")
        if group_by in reports.BENEFICIARY_GROUPS:
            groups[key] = label(group_by, key)
        elif group_by == "material":
            groups[key] = material_name(materials.get(key), key)
        elif group_by == "depot":
            groups[key] = material_name(depots.get(key), key)
        elif group_by == "cooperative":
            groups[key] = _("Not in a cooperative") if key == reports.NONE else coop(key)
        else:  # a district, as typed: in Hindi where a depot of it says it so
            groups[key] = _("Not recorded") if key == reports.NONE else district_name(key)
    return {"groups": groups, "materials": {sku: material_name(materials.get(sku), sku) for sku in skus},
            "depots": {code: material_name(doc, code) for code, doc in depots.items()},
            "cooperatives": {row["cooperative"]: coop(row["cooperative"]) for row in found["rows"]
                             if "cooperative" in row}}
