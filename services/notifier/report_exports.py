"""The reports as CSV for a spreadsheet: one row per group, a total row; no cell is ever read as a formula."""
from __future__ import annotations

from shared.money import format_money
from shared.quantity import format_quantity
from shared.spreadsheet import csv_text, safe_cell


def _quantity_columns(report: dict, skus) -> list[str]:
    return [safe_cell(f"{sku} ({report['units'].get(sku, '')})") for sku in skus]


def served(report: dict) -> str:
    """Distribution and beneficiaries: group, quantity per material, value, subsidy, artisans, requisitions."""
    skus = sorted(report["totals"]["quantities"])
    header = [report["group_by"], *_quantity_columns(report, skus), "value_rupees", "subsidy_rupees", "artisans", "requisitions"]

    def row(group: str, figures: dict) -> list:
        return [safe_cell(str(group)), *[format_quantity(figures["quantities"].get(sku, 0)) for sku in skus],
                format_money(figures["value"]), format_money(figures["subsidy"]), figures["artisans"],
                figures["requisitions"]]
    return csv_text(header, [row(r["group"], r) for r in report["rows"]] + [row("TOTAL", report["totals"])])


def unmet_demand(report: dict) -> str:
    header = ["depot", "sku", "unit", "waitlisted", "waitlisted_requisitions", "refused", "refused_requisitions",
              "still_waiting", "days_waited_average", "days_waited_longest"]
    rows = [[safe_cell(r["depot"]), safe_cell(r["sku"]), safe_cell(report["units"].get(r["sku"], "")),
             format_quantity(r["waitlisted"]), r["waitlisted_requisitions"], format_quantity(r["refused"]),
             r["refused_requisitions"], r["still_waiting"], _blank(r["days_waited_average"]),
             _blank(r["days_waited_longest"])] for r in report["rows"]]
    return csv_text(header, rows)


def cooperatives(report: dict) -> str:
    skus = sorted({sku for r in report["rows"] for sku in r["offtake"]})
    header = ["cooperative", "name", "district", "active", "members", "looms",
              *[f"{c} per loom" for c in _quantity_columns(report, skus)], "shares", "confirmed", "short", "pending",
              "confirmation_rate"]
    rows = [[safe_cell(r["cooperative"]), safe_cell(r["name"] or ""), safe_cell(r["district"] or ""),
             "yes" if r["active"] else "no", r["members"], r["looms"],
             *[format_quantity(r["per_loom"].get(sku, 0)) for sku in skus], r["shares"], r["confirmed"], r["short"],
             r["pending"], _blank(r["confirmation_rate"])] for r in report["rows"]]
    return csv_text(header, rows)


def _blank(value) -> str:
    return "" if value is None else str(value)


#: report name -> its CSV
EXPORTS = {"distribution": served, "beneficiaries": served, "unmet-demand": unmet_demand, "cooperatives": cooperatives}
