"""Reports as CSV are safe to open in a spreadsheet; charts are drawn to scale without a script."""
from __future__ import annotations

import csv
import io

from services.notifier import report_exports
from shared.charts import bars


def cells(text: str) -> list[list[str]]:
    """The cells as a spreadsheet reads them: the file as UTF-8, its BOM taken off."""
    return list(csv.reader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))


def test_no_report_cell_is_read_as_a_formula():
    row = {"group": '=HYPERLINK("http://evil","x")', "quantities": {"YRN": 1500}, "value": 12_50, "subsidy": 0,
           "artisans": 1, "requisitions": 1}
    report = {"group_by": "district", "rows": [row], "totals": {**row, "group": "total"}, "units": {"YRN": "@kg"}}
    read = cells(report_exports.EXPORTS["distribution"](report))
    assert read[0][2] == "YRN (@kg)" and read[1][:2] == ["'=HYPERLINK(\"http://evil\",\"x\")"] * 2
    assert read[1][2:5] == ["1.5", "12.50", "0.00"] and read[-1][:2] == ["TOTAL", "Total"]
    coop = {"cooperative": "C1", "name": "+cmd|' /C calc'!A0", "district": "-2", "active": False, "members": 0,
            "looms": 0, "per_loom": {}, "offtake": {}, "shares": 0, "confirmed": 0, "short": 0, "pending": 0,
            "confirmation_rate": None, "not_received": 0}
    read = cells(report_exports.EXPORTS["cooperatives"]({"rows": [coop], "units": {}}))
    assert read[1][:4] == ["C1", "'+cmd|' /C calc'!A0", "'-2", "no"]
    assert read[1][read[0].index("confirmation_rate")] == ""


def test_bars_are_drawn_to_the_largest_value():
    chart = bars([{"key": "a", "label": "A", "values": [100, 50], "texts": ["100", "50"]},
                  {"key": "b", "label": "B", "values": [25, 0], "texts": ["25", "0"]}], ("value", "subsidy"))
    widths = [[bar["width"] for bar in row["bars"]] for row in chart["rows"]]
    plot = chart["width"] - chart["label"] - 120
    assert widths == [[plot, round(plot / 2)], [round(plot / 4), 0]]
    assert [row["y"] for row in chart["rows"]] == [0, 2 * chart["bar"] + 14]
