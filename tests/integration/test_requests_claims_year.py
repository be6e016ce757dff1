"""A financial year of subsidy claims (GET /reports/subsidy-claims/year): each month's claim's totals, by the month of
hand-over, and the year's, whose beneficiaries are the distinct artisans served; its CSV, and refusals."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone

import pytest

from services.requests import reconcile, reconcile_money, requisition_money, requisitions
from shared.calendar import IST, financial_year_of, month_of, months_of_year
from shared.money import format_money
from tests.integration.test_requests_money_support import COTTON, SILK, pay, priced_catalog, ready, scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

#: the demo scheme as the pages name it (|scheme) in English and in Hindi
RMSS_EN, RMSS_HI = "Raw Material Supply Scheme (RMSS)", "कच्चा माल आपूर्ति योजना (RMSS)"

WAREHOUSE = {"role": "warehouse", "depot": "VNS"}
YEAR = "/reports/subsidy-claims/year"


def sell(client, artisan_id, lines, handed_over=None):
    """Ready, paid in full and dispatched; `handed_over` ('YYYY-MM') dates its hand-over in that month."""
    rid = ready(client, client.artisan(artisan_id), lines)
    pay(client, rid, client.get(rid, client.admin())["pricing"]["payable_total"])
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    if handed_over:
        client.db.requisitions.update_one({"_id": rid}, {"$set": {"dispatch_month": handed_over}})
    return rid


def give_back(client, rid, sku, quantity, month):
    """A return at the depot of `quantity` of `sku`, dated in `month`."""
    client.call("POST", f"/requisitions/{rid}/returns", client.token(**WAREHOUSE),
                {"lines": [{"sku": sku, "quantity": quantity, "condition": "restock"}], "reason": "wrong shade"},
                status=201)
    doc = client.db.requisitions.find_one({"_id": rid})
    client.db.requisitions.update_one({"_id": rid}, {"$set": {"returns": [{**made, "month": month}
                                                                          for made in doc["returns"]]}})


def monthly(client, month):
    return client.call("GET", f"/reports/subsidy-claims?scheme=RMSS&month={month}", client.admin(),
                       status=200).get_json()


def test_a_year_is_its_months_claims_by_hand_over_net_of_returns_with_distinct_beneficiaries(client):
    """An accounts officer added twelve monthly CSVs by hand to see a financial year: now one call gives every month
    of it, each equal to that month's claim (returns netted in the month they came back), and the year's totals."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    client.register("ART-2", looms=1)
    first = sell(client, "ART-1", [(COTTON, "10")], handed_over="2025-05")
    sell(client, "ART-2", [(COTTON, "5")], handed_over="2025-05")
    sell(client, "ART-1", [(SILK, "2")], handed_over="2025-08")
    give_back(client, first, COTTON, "3", "2025-11")
    sell(client, "ART-2", [(COTTON, "4")], handed_over="2026-04")  # the next year's
    year = client.call("GET", f"{YEAR}?scheme=RMSS&year=2025-26", client.admin(), status=200).get_json()
    assert (year["scheme"], year["year"], year["first_month"], year["last_month"], year["so_far"]) == \
        ("RMSS", "2025-26", "2025-04", "2026-03", False)
    assert [row["month"] for row in year["months"]] == months_of_year("2025-26")
    by_month = {row["month"]: row for row in year["months"]}
    for month, row in by_month.items():  # never other figures than the month's own claim
        assert row == {"month": month, **{k: v for k, v in monthly(client, month)["totals"].items()
                                          if k != "district"}}
    assert (by_month["2025-05"]["beneficiaries"], by_month["2025-05"]["quantities"]) == \
        (2, {"cotton-hank-upto-40s": "15"})
    assert (by_month["2025-08"]["beneficiaries"], by_month["2025-08"]["quantities"]) == (1, {"silk-domestic": "2"})
    assert (by_month["2025-11"]["beneficiaries"], by_month["2025-11"]["quantities"]) == \
        (0, {"cotton-hank-upto-40s": "-3"})
    assert by_month["2025-11"]["subsidy"].startswith("-")
    assert by_month["2025-04"] == {"month": "2025-04", "beneficiaries": 0, "quantities": {}, "units": {},
                                   "value": "0.00", "subsidy": "0.00"}
    totals = year["totals"]
    assert totals["beneficiaries"] == 2  # ART-1 served in May and August is one; the months add up to 3
    assert sum(row["beneficiaries"] for row in year["months"]) == 3
    assert totals["quantities"] == {"cotton-hank-upto-40s": "12", "silk-domestic": "2"}
    assert totals["units"] == {"cotton-hank-upto-40s": "kg", "silk-domestic": "kg"}
    paise = {key: sum(round(float(row[key]) * 100) for row in year["months"]) for key in ("value", "subsidy")}
    assert {key: round(float(totals[key]) * 100) for key in ("value", "subsidy")} == paise
    # 15 kg cotton at 245.50 less 3 returned, and 2 kg silk at 4,200: 2,946.00 + 8,400.00 at the mill-gate price
    assert (totals["value"], totals["subsidy"]) == ("11346.00", "1701.90")


class Clock:
    """Stands in for datetime in the modules that date a submit and a dispatch: now is `at`."""

    at = datetime.now(timezone.utc)

    def __init__(self):
        outer = self

        class Fixed(datetime):
            @classmethod
            def now(cls, tz=None):
                return outer.at.astimezone(tz) if tz else outer.at.replace(tzinfo=None)
        self.type = Fixed


@pytest.fixture
def clock(monkeypatch):
    made = Clock()
    for module in (requisitions, requisition_money):
        monkeypatch.setattr(module, "datetime", made.type)
    return made


def test_a_request_submitted_on_31_march_and_handed_over_on_1_april_is_in_the_new_year(client, clock):
    """Entitlements count in the month of submit, claims in the month of hand-over: the year goes by hand-over."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    clock.at = datetime(2026, 3, 31, 23, 50, tzinfo=IST)
    rid = ready(client, client.artisan("ART-1"), [(COTTON, "10")])
    pay(client, rid, client.get(rid, client.admin())["pricing"]["payable_total"])
    clock.at = datetime(2026, 4, 1, 0, 10, tzinfo=IST)
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    doc = client.db.requisitions.find_one({"_id": rid})
    assert (doc["month"], doc["dispatch_month"]) == ("2026-03", "2026-04")  # entitlement of March, claimed in April
    old = client.call("GET", f"{YEAR}?scheme=RMSS&year=2025-26", client.admin(), status=200).get_json()
    assert old["totals"]["beneficiaries"] == 0 and old["totals"]["quantities"] == {}
    new = client.call("GET", f"{YEAR}?scheme=RMSS&year=2026-27", client.admin(), status=200).get_json()
    april = new["months"][0]
    assert (april["month"], april["beneficiaries"], april["quantities"]) == \
        ("2026-04", 1, {"cotton-hank-upto-40s": "10"})
    assert new["totals"]["quantities"] == {"cotton-hank-upto-40s": "10"}


def test_the_year_in_progress_is_the_default_and_goes_up_to_this_month(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    sell(client, "ART-1", [(COTTON, "5")])
    now = datetime.now(timezone.utc)
    year = client.call("GET", f"{YEAR}?scheme=RMSS", client.admin(), status=200).get_json()
    this = financial_year_of(now)
    assert (year["year"], year["so_far"], year["first_month"], year["last_month"]) == \
        (this, True, f"{this[:4]}-04", month_of(now))
    assert [row["month"] for row in year["months"]] == [m for m in months_of_year(this) if m <= month_of(now)]
    assert year["months"][-1]["quantities"] == {"cotton-hank-upto-40s": "5"}
    response = client.call("GET", f"{YEAR}?scheme=RMSS&format=csv", client.admin(), status=200)
    assert response.headers["Content-Disposition"] == f"attachment; filename=subsidy-claims-RMSS-{this}-so-far.csv"


def test_the_years_csv_has_a_row_per_month_in_the_language_asked_and_a_total_row(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    client.register("ART-2", looms=1)
    sell(client, "ART-1", [(COTTON, "10")], handed_over="2025-05")
    sell(client, "ART-2", [(COTTON, "5")], handed_over="2025-06")
    sell(client, "ART-1", [(COTTON, "2")], handed_over="2026-03")
    url = f"{YEAR}?scheme=RMSS&year=2025-26&format=csv"
    response = client.call("GET", url, client.admin(), status=200)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=subsidy-claims-RMSS-2025-26.csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["month", "month_name", "beneficiaries", "quantity cotton-hank-upto-40s (kg)",
                       "quantity silk-domestic (kg)", "value_rupees", "subsidy_rupees"]  # every category capped
    assert len(rows) == 1 + 12 + 1
    assert rows[1] == ["2025-04", "April 2025", "0", "0", "0", "0.00", "0.00"]
    assert rows[2] == ["2025-05", "May 2025", "1", "10", "0", "2455.00", "368.25"]
    assert rows[12][:5] == ["2026-03", "March 2026", "1", "2", "0"]
    assert rows[-1] == ["TOTAL", "April 2025 – March 2026", "2", "17", "0", "4173.50", "626.03"]
    hindi = client.call("GET", url, {**client.admin(), "Accept-Language": "hi"}, status=200)
    rows = list(csv.reader(io.StringIO(hindi.get_data().decode("utf-8-sig"))))
    assert rows[2][:2] == ["2025-05", "मई 2025"] and rows[-1][0] == "TOTAL"


@pytest.mark.parametrize("year", ["2026-28", "2026", "26-27", "2026-2027", "2026-27x", "२०२६-२७", "1899-01",
                                  "9998-00", "abcd-ef", ""])
def test_a_year_not_written_yyyy_yy_is_refused_in_both_languages_and_changes_nothing(client, year):
    scheme(client)
    before = {name: list(client.db[name].find()) for name in client.db.list_collection_names()}
    error = client.call("GET", f"{YEAR}?scheme=RMSS&year={year}", client.admin(), status=400).get_json()["error"]
    assert error["details"]["year"] == ["a financial year such as 2026-27"]
    hindi = client.call("GET", f"{YEAR}?scheme=RMSS&year={year}", {**client.admin(), "Accept-Language": "hi"},
                        status=400).get_json()["error"]
    assert hindi["details"]["year"] == ["वित्तीय वर्ष, जैसे 2026-27"]
    assert {name: list(client.db[name].find()) for name in client.db.list_collection_names()} == before


def test_a_year_not_begun_an_unknown_scheme_and_other_roles_are_refused(client):
    scheme(client)
    admin = client.admin()
    error = client.call("GET", f"{YEAR}?scheme=RMSS&year=2999-00", admin, status=422).get_json()["error"]
    assert error["code"] == "year_in_future" and error["details"] == {"year": "2999-00"}
    hindi = client.call("GET", f"{YEAR}?scheme=RMSS&year=2999-00", {**admin, "Accept-Language": "hi"},
                        status=422).get_json()["error"]["message"]
    assert "2999-00" in hindi and "वित्तीय वर्ष" in hindi
    assert client.call("GET", f"{YEAR}?scheme=NOPE&year=2025-26", admin, status=404).get_json()["error"]["code"] == \
        "unknown_scheme"
    client.call("GET", f"{YEAR}?year=2025-26", admin, status=400)
    client.register("ART-1")
    for who in (client.token(**WAREHOUSE), client.artisan("ART-1"), client.secretary("Coop-A")):
        client.call("GET", f"{YEAR}?scheme=RMSS&year=2025-26", who, status=403)
        client.call("GET", f"{YEAR}?scheme=RMSS&year=2025-26&format=csv", who, status=403)


@pytest.mark.parametrize("year", ["1899-00", "2019-20", "2020-21"])
def test_a_year_before_the_scheme_began_says_the_scheme_did_not_run_then_in_both_languages(client, year):
    """A well-formed year outside the scheme (1899-00) was told "a financial year such as 2026-27", wrong advice, and
    one in the calendar before it began showed twelve bare zeros: both are now 422 year_outside_scheme, saying when
    the scheme began and the first year it has claims for, in the caller's language, and change nothing."""
    scheme(client)  # RMSS, from 1 April 2021, open-ended
    before = {name: list(client.db[name].find()) for name in client.db.list_collection_names()}
    error = client.call("GET", f"{YEAR}?scheme=RMSS&year={year}", client.admin(), status=422).get_json()["error"]
    assert error["code"] == "year_outside_scheme"
    assert error["details"] == {"year": year, "scheme": "RMSS", "valid_from": "2021-04-01", "valid_to": None,
                                "first_year": "2021-22", "last_year": None}
    assert error["message"].startswith(f"{RMSS_EN} did not run in the financial year {year}"), error["message"]
    assert "began on 1 Apr 2021" in error["message"] and "2021-22" in error["message"]
    assert "such as" not in error["message"]
    hindi = client.call("GET", f"{YEAR}?scheme=RMSS&year={year}", {**client.admin(), "Accept-Language": "hi"},
                        status=422).get_json()["error"]["message"]
    assert hindi.startswith(f"{RMSS_HI} वित्तीय वर्ष {year} में नहीं चली"), hindi
    assert "1 अप्रैल 2021" in hindi and "2021-22" in hindi, hindi
    assert {name: list(client.db[name].find()) for name in client.db.list_collection_names()} == before
    future = client.call("GET", f"{YEAR}?scheme=RMSS&year=9998-99", client.admin(), status=422).get_json()["error"]
    assert future["code"] == "year_in_future"


def test_a_year_after_the_scheme_ended_is_refused_unless_something_was_handed_over_or_returned_under_it(client):
    """A scheme that ended still has claims in the next year for what was handed over or came back after its last
    day; a year after it with none says which years the scheme ran, and one with some is shown, saying it is after
    the scheme ended."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    sell(client, "ART-1", [(COTTON, "10")], handed_over="2024-05")  # handed over after the scheme's last day
    client.call("PATCH", "/schemes/RMSS", client.admin(), {"valid_to": "2024-03-31"}, status=200)
    error = client.call("GET", f"{YEAR}?scheme=RMSS&year=2025-26", client.admin(), status=422).get_json()["error"]
    assert (error["code"], error["details"]["first_year"], error["details"]["last_year"]) == \
        ("year_outside_scheme", "2021-22", "2023-24")
    assert error["message"].startswith(f"{RMSS_EN} did not run in the financial year 2025-26: it ran from 1 Apr 2021 "
                                       "to 31 Mar 2024 (the financial years 2021-22 to 2023-24)"), error["message"]
    hindi = client.call("GET", f"{YEAR}?scheme=RMSS&year=2025-26", {**client.admin(), "Accept-Language": "hi"},
                        status=422).get_json()["error"]["message"]
    assert hindi.startswith(f"{RMSS_HI} वित्तीय वर्ष 2025-26 में नहीं चली"), hindi
    assert "2021-22" in hindi and "2023-24" in hindi and "31 मार्च 2024" in hindi, hindi
    late = client.call("GET", f"{YEAR}?scheme=RMSS&year=2024-25", client.admin(), status=200).get_json()
    assert late["totals"]["quantities"] == {"cotton-hank-upto-40s": "10"}
    assert late["scheme_runs"] == {"valid_from": "2021-04-01", "valid_to": "2024-03-31", "first_year": "2021-22",
                                   "last_year": "2023-24"}
    assert late["outside_scheme"] is True
    within = client.call("GET", f"{YEAR}?scheme=RMSS&year=2023-24", client.admin(), status=200).get_json()
    assert within["outside_scheme"] is False
    for lang, ended, marked in (("en", f"{RMSS_EN} ended on 31 Mar 2024", "(after the scheme ended)"),
                                ("hi", f"{RMSS_HI} 31 मार्च 2024 को समाप्त हुई", "(योजना समाप्त होने के बाद)")):
        page = client.http.get("/admin/claims?scheme=RMSS&year=2024-25",
                               headers={**client.admin(), "Accept-Language": lang})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and ended in html and html.count(marked) == 12, html[-4000:]
        assert html.count("data-after-scheme") == 12 and "data-before-scheme" not in html


def test_the_years_page_says_the_scheme_did_not_run_then_or_began_within_the_year_in_both_languages(client):
    """The year's page showed a year before the scheme began as twelve months of zeros, and 1899-00 was told to
    write a financial year such as 2026-27: it says the scheme did not run then; in the year it began, the months
    before it are marked so, not bare zeros."""
    scheme(client, valid_from="2025-10-01")
    for lang, said, began in (("en", f"{RMSS_EN} did not run in the financial year", f"{RMSS_EN} began on 1 Oct 2025"),
                              ("hi", f"{RMSS_HI} वित्तीय वर्ष", f"{RMSS_HI} 1 अक्टू॰ 2025 को शुरू हुई")):
        headers = {**client.admin(), "Accept-Language": lang}
        for year in ("1899-00", "2024-25"):
            page = client.http.get(f"/admin/claims?scheme=RMSS&year={year}", headers=headers)
            html = page.get_data(as_text=True)
            assert page.status_code == 400 and said in html, html[-3000:]
            assert "2025-26" in html and "data-claims-year" not in html
            assert "such as 2026-27" not in html and "2026-27 जैसा" not in html
        page = client.http.get("/admin/claims?scheme=RMSS&year=2025-26", headers=headers)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and began in html, html[-4000:]
        marked = re.findall(r'<tr data-month="([0-9-]+)" data-before-scheme>', html)
        assert marked == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"], marked


def test_reconcile_finds_a_years_claims_that_are_not_the_sum_of_its_months(client):
    """`rawbank reconcile` compares each scheme's financial year (the year's report) with its months' claims summed
    from the requisitions (hand-overs less returns); a year's figure off by a paisa is found, value or subsidy."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    client.register("ART-2", looms=1)
    first = sell(client, "ART-1", [(COTTON, "10")])
    sell(client, "ART-2", [(SILK, "1")])
    client.call("POST", f"/requisitions/{first}/returns", client.token(**WAREHOUSE),
                {"lines": [{"sku": COTTON, "quantity": "2", "condition": "restock"}], "reason": "wrong shade"},
                status=201)
    facts = reconcile.facts(client.db)
    this = financial_year_of(datetime.now(timezone.utc))
    year = client.call("GET", f"{YEAR}?scheme=RMSS&year={this}", client.admin(), status=200).get_json()
    said = facts["claim_years"]["RMSS"][this]
    assert (format_money(said["value"]), format_money(said["subsidy"])) == \
        (year["totals"]["value"], year["totals"]["subsidy"])
    assert [check(facts) for check in reconcile_money.CHECKS] == [[]] * len(reconcile_money.CHECKS)
    for figure in ("value", "subsidy"):
        tampered = {**facts, "claim_years": {"RMSS": {this: {**said, figure: said[figure] + 1}}}}
        [problem] = [p for check in reconcile_money.CHECKS for p in check(tampered)]
        assert f"subsidy claims RMSS for the financial year {this}" in problem
    assert reconcile_money.year_claims_equal_months({**facts, "claim_years": {}})  # a year with claims left out
