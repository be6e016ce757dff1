"""Reports as CSV are safe to open in a spreadsheet; charts are drawn to scale without a script."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from services.notifier import report_exports
from shared import charts
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


@pytest.mark.parametrize("name", ["Handspun organic cotton yarn 2/60s for Banarasi brocade, mercerised and gassed",
                                  "हाथ से कता जैविक सूती धागा 2/60s बनारसी ज़री के लिए, मर्सराइज़्ड और गैस किया हुआ"])
def test_a_long_label_is_drawn_whole_on_lines_of_its_own_its_row_as_tall_as_they_are(name):
    """The wide chart cut a label to 24 characters (the whole name only in the bar's hover title): a long material
    read "Handspun organic cotton…" at 1280 px. Now its words wrap in the label column, every one of them drawn,
    and the next row starts below its last line."""
    chart = bars([{"key": "long", "label": name, "values": [100, 50], "texts": ["100", "50"]},
                  {"key": "b", "label": "Cotton yarn 40s", "values": [25, 0], "texts": ["25", "0"]}],
                 ("value", "subsidy"))
    long, short = chart["rows"]
    lines = [words for _, words in long["lines"]]
    assert " ".join(lines) == name and len(lines) > 1 and max(map(len, lines)) <= charts.LINE_CHARACTERS
    assert [words for _, words in short["lines"]] == ["Cotton yarn 40s"]
    baselines = [y for y, _ in long["lines"]]
    assert baselines == sorted(baselines) and short["y"] > baselines[-1] + 4  # its last line's descenders clear
    assert short["y"] - long["y"] > 2 * chart["bar"] + 14  # taller than a row of one line


def test_each_report_csv_has_the_same_columns_in_an_empty_month_and_in_one_with_one_material():
    """The columns were the materials that had figures that month: an empty month's had none, a month with a new
    material moved every column after it, and a workbook pasted month by month read one figure under another's head.
    Now one per material of the catalog, in the places the material columns always had, the same every month."""
    import mongomock
    from services.notifier import projections, reports
    db = mongomock.MongoClient(tz_aware=True).rawbank_test
    for sku, unit in (("YRN-SLK", "kg"), ("BOB", "piece"), ("YRN-COT", "kg")):
        projections.put_material(db, {"sku": sku, "name": sku, "category": "yarn", "unit": unit})
    db.cooperatives.insert_one({"_id": "SMBSS", "name": "Samiti", "district": "Varanasi"})
    db.report_dispatches.insert_one({
        "_id": "R1:A1", "month": "2026-11", "requisition_id": "R1", "artisan_id": "A1", "district": "Varanasi",
        "depot": "VNS", "cooperative": "SMBSS", "lines": [{"sku": "YRN-SLK", "quantity": 2000, "value": 500_00,
                                                          "subsidy": 75_00}]})
    catalog = report_exports.catalog(db)
    for name, group_by in (("distribution", "district"), ("distribution", "material"),
                           ("beneficiaries", "gender"), ("cooperatives", None), ("unmet-demand", None)):
        made = {month: report_exports.EXPORTS[name](
            reports.build(db, name, {"month": month, "group_by": group_by}, datetime(2026, 12, 7, tzinfo=timezone.utc)),
            None, "en", catalog) for month in ("2026-10", "2026-11")}
        empty, one = (cells(made[month]) for month in ("2026-10", "2026-11"))
        assert empty[0] == one[0], (name, group_by)
    served = cells(report_exports.served(reports.distribution(db, "2026-11", "district"), None, "en", catalog))
    assert served[0] == ["district", "district_text", "BOB (piece)", "YRN-COT (kg)", "YRN-SLK (kg)", "value_rupees",
                         "subsidy_rupees", "artisans", "requisitions", "figures"]
    assert served[-1] == ["TOTAL", "Total", "0", "0", "2", "500.00", "75.00", "1", "1", "handed_over"]
    coops = cells(report_exports.cooperatives(reports.cooperatives(db, "2026-10"), None, "en", catalog))
    assert coops[0][6:] == ["BOB (piece) per loom", "YRN-COT (kg) per loom", "YRN-SLK (kg) per loom", "shares",
                            "confirmed", "short", "pending", "confirmation_rate", "BOB (piece) returned",
                            "YRN-COT (kg) returned", "YRN-SLK (kg) returned", "not_received", "name_hi",
                            "district_hi"]


def test_the_cooperatives_csv_ends_with_their_hindi_names_the_same_columns_every_month():
    """The cooperatives' CSV named a cooperative and its district in English only, though rawbank stores their Hindi
    names (the record's name_hi, a depot's district_hi) and the report's page says them so: an officer who reads
    Hindi had none. They come last, in every month and language asked, empty where none is stored."""
    import mongomock
    from services.notifier import projections, reports
    db = mongomock.MongoClient(tz_aware=True).rawbank_test
    projections.put_depot(db, {"code": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो",
                               "district": "Varanasi", "district_hi": "वाराणसी"})
    db.cooperatives.insert_many([{"_id": "SMBSS", "name": "Samiti", "name_hi": "बुनकर समिति", "district": "varanasi "},
                                 {"_id": "OLD", "name": "Old one", "district": "Agra"}])
    db.report_dispatches.insert_one({
        "_id": "R1:A1", "month": "2026-11", "requisition_id": "R1", "artisan_id": "A1", "district": "Varanasi",
        "depot": "VNS", "cooperative": "SMBSS", "lines": [{"sku": "YRN", "quantity": 2000, "value": 1, "subsidy": 0}]})
    catalog = report_exports.catalog(db)
    for month in ("2026-10", "2026-11"):
        for lang in ("en", "hi"):
            read = cells(report_exports.cooperatives(reports.cooperatives(db, month), None, lang, catalog))
            assert read[0][:3] == ["cooperative", "name", "district"] and read[0][-3:] == [
                "not_received", "name_hi", "district_hi"], (month, lang)
            by_code = {row[0]: row for row in read[1:]}
            assert by_code["SMBSS"][1:3] == ["Samiti", "varanasi "], (month, lang)
            assert by_code["SMBSS"][-2:] == ["बुनकर समिति", "वाराणसी"], (month, lang)
            assert by_code["OLD"][-2:] == ["", ""], (month, lang)
