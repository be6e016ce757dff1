"""The reports as CSV for a spreadsheet: one row per group, a total row; no cell is ever read as a formula."""
from __future__ import annotations

from services.notifier import reports
from shared.i18n import N_, translate
from shared.money import format_money
from shared.quantity import format_quantity
from shared.spreadsheet import csv_text, safe_cell

TOTAL, NOT_RECORDED = N_("Total"), N_("Not recorded")
NET = N_("Net of returns")
HANDED_OVER, RETURNED, NET_FIGURES = "handed_over", "returned", "net"  # the distribution's `figures` column


def _quantity_columns(report: dict, skus) -> list[str]:
    return [safe_cell(f"{sku} ({report['units'].get(sku, '')})") for sku in skus]


def served(report: dict, names: dict | None = None, lang: str = "en") -> str:
    """Distribution and beneficiaries: group, quantity per material, value, subsidy, artisans, requisitions; the
    distribution's rows say which `figures` they are: handed over (its groups and total) and, in a month with returns,
    returned in the month (its groups and total) and net (handed over less returned, the last row).

    The group's code (a cooperative's, `obc`, `female` ...; empty for the group of shares with none recorded) is
    followed by `<group_by>_text`, the group as its page names it (`names`: report_names.names) in `lang`, as
    status is followed by status_text in the requisitions' CSV: a spreadsheet can filter by code and still read."""
    back = report.get("returns")
    skus = sorted(set(report["totals"]["quantities"]) | set(back["totals"]["quantities"] if back else ()))
    group_by, groups = report["group_by"], (names or {}).get("groups", {})
    header = [group_by, f"{group_by}_text", *_quantity_columns(report, skus), "value_rupees", "subsidy_rupees",
              "artisans", "requisitions", *(["figures"] if back else [])]

    def row(code: str, text: str, figures: dict, kind: str = HANDED_OVER) -> list:
        return [code, safe_cell(str(text)), *[format_quantity(figures["quantities"].get(sku, 0)) for sku in skus],
                format_money(figures["value"]), format_money(figures["subsidy"]), figures.get("artisans", ""),
                figures.get("requisitions", ""), *([kind] if back else [])]

    def named(r: dict, kind: str = HANDED_OVER) -> list:
        key = r["group"]
        if key == reports.NONE:  # no code to give: never "-", which a spreadsheet would take for a formula
            return row("", groups.get(key) or translate(NOT_RECORDED, lang), r, kind)
        return row(safe_cell(str(key)), groups.get(key) or str(key), r, kind)
    rows = [named(r) for r in report["rows"]] + [row("TOTAL", translate(TOTAL, lang), report["totals"])]
    if back and back["rows"]:  # a month with returns: theirs, then the net
        rows += [named(r, RETURNED) for r in back["rows"]] + [row("TOTAL", translate(TOTAL, lang), back["totals"],
                                                                  RETURNED)]
        rows.append(row("NET", translate(NET, lang), report["net"], NET_FIGURES))
    return csv_text(header, rows)


def unmet_demand(report: dict, names: dict | None = None, lang: str = "en") -> str:
    """A row per depot and material; then a TOTAL row per unit with its quantities (kilograms and pieces are never
    added together) and a last TOTAL row with no unit: the requisitions, each counted once, and their days waited."""
    header = ["depot", "sku", "unit", "waitlisted", "waitlisted_requisitions", "refused", "refused_requisitions",
              "still_waiting", "days_waited_average", "days_waited_longest"]
    rows = [[safe_cell(r["depot"]), safe_cell(r["sku"]), safe_cell(report["units"].get(r["sku"], "")),
             format_quantity(r["waitlisted"]), r["waitlisted_requisitions"], format_quantity(r["refused"]),
             r["refused_requisitions"], r["still_waiting"], _blank(r["days_waited_average"]),
             _blank(r["days_waited_longest"])] for r in report["rows"]]
    totals = report["totals"]
    rows += [["TOTAL", "", safe_cell(unit), format_quantity(q["waitlisted"]), "", format_quantity(q["refused"]), "",
              "", "", ""] for unit, q in totals["by_unit"].items()]
    rows.append(["TOTAL", "", "", "", totals["waitlisted_requisitions"], "", totals["refused_requisitions"],
                 totals["still_waiting"], _blank(totals["days_waited_average"]), _blank(totals["days_waited_longest"])])
    return csv_text(header, rows)


def cooperatives(report: dict, names: dict | None = None, lang: str = "en") -> str:
    """A row per cooperative: what its members took per loom (net of what they brought back in the month) and, in the
    last columns (added after the others, which keep their places), what they brought back, each material a column,
    and the shares handed over that the secretary has not marked received."""
    skus = sorted({sku for r in report["rows"] for sku in r["offtake"]})
    columns = _quantity_columns(report, skus)
    header = ["cooperative", "name", "district", "active", "members", "looms", *[f"{c} per loom" for c in columns],
              "shares", "confirmed", "short", "pending", "confirmation_rate", *[f"{c} returned" for c in columns],
              "not_received"]
    rows = [[safe_cell(r["cooperative"]), safe_cell(r["name"] or ""), safe_cell(r["district"] or ""),
             "yes" if r["active"] else "no", r["members"], r["looms"],
             *[format_quantity(r["per_loom"].get(sku, 0)) for sku in skus], r["shares"], r["confirmed"], r["short"],
             r["pending"], _blank(r["confirmation_rate"]),
             *[format_quantity(r["returned"].get(sku, 0)) for sku in skus], r["not_received"]] for r in report["rows"]]
    return csv_text(header, rows)


def _blank(value) -> str:
    return "" if value is None else str(value)


#: report name -> its CSV, from the report, what report_names.names calls its codes and the language asked for
EXPORTS = {"distribution": served, "beneficiaries": served, "unmet-demand": unmet_demand, "cooperatives": cooperatives}
