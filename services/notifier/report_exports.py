"""The reports as CSV for a spreadsheet: one row per group, a total row; no cell is ever read as a formula.

Every month's CSV of a report (and grouping) has the same columns in the same places, so that an officer who pastes
month after month into one workbook by column position never reads one figure under another's heading: one column
per material of the catalog (`catalog`: every material the notifier knows, in SKU order, 0 where the month had none)
and after those any material the month had that the catalog does not name yet, where the materials' columns always
were. A month with no figures has every column all the same. A material added to the catalog adds its column from
then on (in SKU order among the per-material columns), and the columns after it move once."""
from __future__ import annotations

from services.notifier import projections, reports
from shared.i18n import N_, translate
from shared.money import format_money
from shared.quantity import format_quantity
from shared.spreadsheet import csv_text, safe_cell

TOTAL, NOT_RECORDED = N_("Total"), N_("Not recorded")
NET = N_("Net of returns")
HANDED_OVER, RETURNED, NET_FIGURES = "handed_over", "returned", "net"  # the distribution's `figures` column


def catalog(db) -> dict[str, str]:
    """Every material the notifier knows (its copy of the catalog), SKU -> unit, in SKU order: the CSVs' columns."""
    return {doc["_id"]: doc.get("unit") or "" for doc in projections.all_materials(db)}


def _materials(report: dict, catalog: dict | None, seen) -> dict[str, str]:
    """The per-material columns, SKU -> unit: the catalog's in SKU order, then any other the report has (`seen`)."""
    known = dict(catalog or {})
    units = {**known, **{sku: unit for sku, unit in report["units"].items() if unit or sku not in known}}
    return {sku: units.get(sku, "") for sku in [*known, *sorted(set(seen) - set(known))]}


def _quantity_columns(units: dict) -> list[str]:
    return [safe_cell(f"{sku} ({unit})") for sku, unit in units.items()]


def served(report: dict, names: dict | None = None, lang: str = "en", catalog: dict | None = None) -> str:
    """Distribution and beneficiaries: group, the quantity of each material (the catalog's, module docstring), value,
    subsidy, artisans, requisitions, `figures`; the rows say which `figures` they are: handed over (the groups
    and total) and, in a month with returns, returned in the month (its groups and total) and net (handed over less
    returned, the last row). `figures` is there every month, returns or none, so the columns never move.

    The group's code (a cooperative's, `obc`, `female` ...; empty for the group of shares with none recorded) is
    followed by `<group_by>_text`, the group as its page names it (`names`: report_names.names) in `lang`, as
    status is followed by status_text in the requisitions' CSV: a spreadsheet can filter by code and still read."""
    back = report.get("returns")
    units = _materials(report, catalog, set(report["totals"]["quantities"])
                       | set(back["totals"]["quantities"] if back else ()))
    group_by, groups = report["group_by"], (names or {}).get("groups", {})
    header = [group_by, f"{group_by}_text", *_quantity_columns(units), "value_rupees", "subsidy_rupees", "artisans",
              "requisitions", "figures"]

    def row(code: str, text: str, figures: dict, kind: str = HANDED_OVER) -> list:
        return [code, safe_cell(str(text)), *[format_quantity(figures["quantities"].get(sku, 0)) for sku in units],
                format_money(figures["value"]), format_money(figures["subsidy"]), figures.get("artisans", ""),
                figures.get("requisitions", ""), kind]

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


def unmet_demand(report: dict, names: dict | None = None, lang: str = "en", catalog: dict | None = None) -> str:
    """A row per depot and material (its columns are fixed: a material is a row here, never a column); then a TOTAL
    row per unit with its quantities (kilograms and pieces are never added together) and a last TOTAL row with no
    unit: the requisitions, each counted once, and their days waited."""
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


def cooperatives(report: dict, names: dict | None = None, lang: str = "en", catalog: dict | None = None) -> str:
    """A row per cooperative: what its members took per loom (net of what they brought back in the month), each
    material of the catalog a column (module docstring: the same columns every month), its shares, those confirmed
    and short; in the last columns (added after the others, which keep their places) what they brought back, each
    material a column, and the shares handed over that the secretary has not marked received; last (added after all
    those, in every language asked) the cooperative's name and district in Hindi as stored (`name_hi`, the name_hi
    of its record; `district_hi`, as a depot of its district names it), empty where none is."""
    seen = {sku for r in report["rows"] for sku in (*r["offtake"], *r.get("returned", {}))}
    units = _materials(report, catalog, seen)
    columns = _quantity_columns(units)
    header = ["cooperative", "name", "district", "active", "members", "looms", *[f"{c} per loom" for c in columns],
              "shares", "confirmed", "short", "pending", "confirmation_rate", *[f"{c} returned" for c in columns],
              "not_received", "name_hi", "district_hi"]
    rows = [[safe_cell(r["cooperative"]), safe_cell(r["name"] or ""), safe_cell(r["district"] or ""),
             "yes" if r["active"] else "no", r["members"], r["looms"],
             *[format_quantity(r["per_loom"].get(sku, 0)) for sku in units], r["shares"], r["confirmed"], r["short"],
             r["pending"], _blank(r["confirmation_rate"]),
             *[format_quantity(r.get("returned", {}).get(sku, 0)) for sku in units], r["not_received"],
             safe_cell(r.get("name_hi") or ""), safe_cell(r.get("district_hi") or "")]
            for r in report["rows"]]
    return csv_text(header, rows)


def _blank(value) -> str:
    return "" if value is None else str(value)


#: report name -> its CSV, from the report, what report_names.names calls its codes, the language asked for and the
#: catalog (`catalog(db)`: the per-material columns)
EXPORTS = {"distribution": served, "beneficiaries": served, "unmet-demand": unmet_demand, "cooperatives": cooperatives}
