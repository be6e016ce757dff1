"""The monthly subsidy claim: one row per district, equal to the month's dispatched requisitions, and
`rawbank reconcile`'s money checks."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone

from hypothesis import given, settings, strategies as st

from services.requests import create_app, reconcile, reconcile_money
from shared.auth import issue_token
from shared.config import Config
from shared.calendar import financial_year_of, month_of
from tests.integration.test_requests_money_support import COTTON, SILK, pay, priced_catalog, ready, scheme
from tests.integration.test_requests_support import Client, client, know_materials  # noqa: F401  (fixture)

WAREHOUSE = {"role": "warehouse", "depot": "VNS"}


def this_month() -> str:
    return month_of(datetime.now(timezone.utc))


def sell(client, artisan_id, lines):
    """Ready, paid in full and dispatched."""
    rid = ready(client, client.artisan(artisan_id), lines)
    pay(client, rid, client.get(rid, client.admin())["pricing"]["payable_total"])
    return client.act(rid, "dispatch", client.token(**WAREHOUSE))


def test_the_claim_comes_as_json_and_as_a_spreadsheet_safe_csv(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    client.call("PATCH", "/artisans/ART-1", client.admin(), {"district": "=HYPERLINK(\"x\")"}, status=200)
    sell(client, "ART-1", [(COTTON, "10"), (SILK, "2")])
    url = f"/reports/subsidy-claims?scheme=RMSS&month={this_month()}"
    claim = client.call("GET", url, client.admin(), status=200).get_json()
    assert claim["rows"][0]["quantities"] == {"cotton-hank-upto-40s": "10", "silk-domestic": "2"}
    assert (claim["rows"][0]["value"], claim["rows"][0]["subsidy"]) == ("10855.00", "1628.25")
    response = client.call("GET", url + "&format=csv", client.admin(), status=200)
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["district", "beneficiaries", "quantity cotton-hank-upto-40s (kg)", "quantity silk-domestic (kg)",
                       "value_rupees", "subsidy_rupees"]
    assert rows[1] == ["'=HYPERLINK(\"x\")", "1", "10", "2", "10855.00", "1628.25"]
    assert rows[2] == ["TOTAL", "1", "10", "2", "10855.00", "1628.25"]


def test_the_claims_csv_has_the_same_columns_in_an_empty_month_and_in_one_with_one_category(client):
    """An empty month's CSV had no quantity column (`district,beneficiaries,value_rupees,subsidy_rupees`), a month
    with cotton only one, with silk too two: an officer pasting each month into one workbook by column position read
    the value under a quantity's heading. Now every month has a column for each category the scheme caps (0 where
    none), in the places they always had; the year's CSV likewise."""
    priced_catalog(client.db)
    scheme(client)  # caps cotton-hank-upto-40s and silk-domestic
    client.register("ART-1", looms=2)
    sell(client, "ART-1", [(COTTON, "10")])

    def rows(url):
        answer = client.call("GET", url + "&format=csv", client.admin(), status=200)
        return list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    empty, one = (rows(f"/reports/subsidy-claims?scheme=RMSS&month={month}") for month in ("2024-01", this_month()))
    assert empty[0] == one[0] == ["district", "beneficiaries", "quantity cotton-hank-upto-40s (kg)",
                                  "quantity silk-domestic (kg)", "value_rupees", "subsidy_rupees"]
    assert empty[1:] == [["TOTAL", "0", "0", "0", "0.00", "0.00"]] and one[-1][2:4] == ["10", "0"]
    empty_year, this_year = (rows(f"/reports/subsidy-claims/year?scheme=RMSS&year={year}")
                             for year in ("2023-24", financial_year_of(datetime.now(timezone.utc))))
    assert empty_year[0] == this_year[0] and empty_year[0][3:5] == one[0][2:4]



def test_this_months_claim_says_it_is_so_far_and_its_csv_is_named_so_a_finished_months_keeps_its_name(client):
    """/admin/claims for this month printed and downloaded figures with no sign the month was not over: a claim
    sent on the 20th looked like the whole month's. Now the JSON says `so_far` and its CSV is named ...-so-far.csv;
    a finished month's keeps its name."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    sell(client, "ART-1", [(COTTON, "10")])
    url = f"/reports/subsidy-claims?scheme=RMSS&month={this_month()}"
    assert client.call("GET", url, client.admin(), status=200).get_json()["so_far"] is True
    response = client.call("GET", url + "&format=csv", client.admin(), status=200)
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=subsidy-claims-RMSS-{this_month()}-so-far.csv"
    finished = client.call("GET", "/reports/subsidy-claims?scheme=RMSS&month=2026-01", client.admin(), status=200)
    assert finished.get_json()["so_far"] is False
    response = client.call("GET", "/reports/subsidy-claims?scheme=RMSS&month=2026-01&format=csv", client.admin(),
                           status=200)
    assert response.headers["Content-Disposition"] == "attachment; filename=subsidy-claims-RMSS-2026-01.csv"


def test_an_artisan_who_moved_district_in_the_month_is_one_beneficiary_in_the_claims_total(client):
    """Each district counts them once, as it should; the TOTAL summed the districts' rows and counted them twice."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    client.register("ART-2", looms=1)
    sell(client, "ART-1", [(COTTON, "10")])
    sell(client, "ART-2", [(COTTON, "5")])
    client.call("PATCH", "/artisans/ART-1", client.admin(), {"district": "Chandauli"}, status=200)
    sell(client, "ART-1", [(COTTON, "10")])
    url = f"/reports/subsidy-claims?scheme=RMSS&month={this_month()}"
    claim = client.call("GET", url, client.admin(), status=200).get_json()
    assert {row["district"]: row["beneficiaries"] for row in claim["rows"]} == {"Chandauli": 1, "Varanasi": 2}
    assert claim["totals"]["beneficiaries"] == 2
    rows = list(csv.reader(io.StringIO(client.call("GET", url + "&format=csv", client.admin(), status=200)
                                       .get_data().decode("utf-8-sig"))))
    assert rows[-1][:2] == ["TOTAL", "2"]


def test_a_district_typed_with_other_spacing_or_case_is_one_row_of_the_claim(client):
    """'Varanasi' and 'varanasi ' were two rows of the claim sent to the department."""
    priced_catalog(client.db)
    scheme(client)
    for n, district in ((1, "Varanasi"), (2, " varanasi"), (3, "Sant Ravidas Nagar"), (4, "Sant  Ravidas Nagar")):
        client.register(f"ART-{n}", looms=1)
        client.call("PATCH", f"/artisans/ART-{n}", client.admin(), {"district": district}, status=200)
        sell(client, f"ART-{n}", [(COTTON, "5")])
    url = f"/reports/subsidy-claims?scheme=RMSS&month={this_month()}"
    claim = client.call("GET", url, client.admin(), status=200).get_json()
    assert [(row["district"], row["beneficiaries"], row["quantities"]) for row in claim["rows"]] == [
        ("Sant Ravidas Nagar", 2, {"cotton-hank-upto-40s": "10"}), ("Varanasi", 2, {"cotton-hank-upto-40s": "10"})]
    assert [check(reconcile.facts(client.db)) for check in reconcile_money.CHECKS] == [[]] * len(reconcile_money.CHECKS)

def test_the_monthly_claim_is_this_months_when_no_month_is_asked_as_the_year_is_this_years(client):
    """The financial year's claims default to the year in progress, but the month's claim refused a call with no
    month (400): it is now this month's (India's), so far, and the API's schema says so."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    sell(client, "ART-1", [(COTTON, "10")])
    claim = client.call("GET", "/reports/subsidy-claims?scheme=RMSS", client.admin(), status=200).get_json()
    asked = client.call("GET", f"/reports/subsidy-claims?scheme=RMSS&month={this_month()}", client.admin(),
                        status=200).get_json()
    assert (claim["month"], claim["so_far"]) == (this_month(), True)
    assert {k: v for k, v in claim.items() if k != "as_of"} == {k: v for k, v in asked.items() if k != "as_of"}
    response = client.call("GET", "/reports/subsidy-claims?scheme=RMSS&format=csv", client.admin(), status=200)
    assert response.headers["Content-Disposition"] == \
        f"attachment; filename=subsidy-claims-RMSS-{this_month()}-so-far.csv"
    spec = client.http.get("/api/v1/openapi.json").get_json()
    [month] = [p for p in spec["paths"]["/api/v1/reports/subsidy-claims"]["get"]["parameters"] if p["name"] == "month"]
    assert not month.get("required") and "this month" in month["description"], month


def test_bad_claims_are_refused_in_both_languages(client):
    scheme(client)
    admin = client.admin()
    error = client.call("GET", "/reports/subsidy-claims?scheme=RMSS&month=2999-01", admin, status=422).get_json()
    assert error["error"]["code"] == "month_in_future" and error["error"]["details"] == {"month": "2999-01"}
    hindi = client.call("GET", "/reports/subsidy-claims?scheme=RMSS&month=2999-01", {**admin, "Accept-Language": "hi"},
                        status=422).get_json()["error"]["message"]
    assert "2999-01" in hindi and "दावा" in hindi
    assert client.call("GET", f"/reports/subsidy-claims?scheme=NOPE&month={this_month()}", admin,
                       status=404).get_json()["error"]["code"] == "unknown_scheme"
    for query in (f"month={this_month()}", "scheme=RMSS&month=2026-13", "scheme=R.S&month=2026-01",
                  "scheme=RMSS&month="):
        client.call("GET", f"/reports/subsidy-claims?{query}", admin, status=400)
    past = client.call("GET", "/reports/subsidy-claims?scheme=RMSS&month=2020-01", admin, status=200)
    assert past.get_json()["rows"] == []


def test_the_claims_page_refuses_a_bad_month_and_ties_its_error_to_the_month_field(client):
    """The claims page said a month was badly written but answered 200 and left the input unmarked; the reports
    answer 400 with the error tied to the field (aria-invalid, aria-describedby), and so does it now."""
    scheme(client)
    for lang, said in (("en", "Write a month such as 2026-11."), ("hi", "2026-11 जैसा महीना लिखें।")):
        page = client.http.get("/admin/claims?scheme=RMSS&month=bad",
                               headers={**client.admin(), "Accept-Language": lang})
        html = page.get_data(as_text=True)
        assert page.status_code == 400
        tag = re.search(r'<input id="month"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag and 'aria-describedby="month-error"' in tag, tag
        assert f'<p class="field-error" id="month-error">{said}</p>' in html
    good = client.http.get(f"/admin/claims?scheme=RMSS&month={this_month()}", headers=client.admin())
    assert good.status_code == 200 and 'aria-invalid' not in good.get_data(as_text=True)


sales = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 40), st.integers(0, 6),
                           st.sampled_from(["dispatched", "cancelled", "reserved"])), min_size=1, max_size=6)


@settings(max_examples=12, deadline=None)
@given(sales)
def test_the_claim_equals_the_months_dispatched_requisitions(plan):
    config = Config.from_env({})
    app = create_app(config)

    def token(role, sub=None, **claims):
        return {"Authorization": f"Bearer {issue_token(config.jwt_secret, sub=sub or role, role=role, **claims)}"}
    try:
        client = Client(app, token)
        know_materials(client.db)
        priced_catalog(client.db)
        scheme(client)
        for n in range(4):
            client.register(f"ART-{n}", looms=1 + n % 2)
            client.call("PATCH", f"/artisans/ART-{n}", client.admin(), {"district": ["Varanasi", "Bhadohi"][n % 2]})
        for artisan, cotton, silk, end in plan:
            lines = [(COTTON, cotton)] + ([(SILK, silk)] if silk else [])
            if end == "dispatched":
                sell(client, f"ART-{artisan}", lines)
            else:
                rid = ready(client, client.artisan(f"ART-{artisan}"), lines)
                if end == "cancelled":
                    client.act(rid, "cancel", client.admin())
        claim = client.call("GET", f"/reports/subsidy-claims?scheme=RMSS&month={this_month()}", client.admin(),
                            status=200).get_json()
        expected = {}
        for doc in client.db.requisitions.find({"status": "dispatched"}):
            row = expected.setdefault(doc["district"], {"artisans": set(), "value": 0, "subsidy": 0})
            for line in doc["pricing"]["lines"]:
                if line["subsidised_quantity"]:
                    row["artisans"].add(doc["artisan_id"])
                    row["value"] += line["subsidised_value"]
                    row["subsidy"] += line["subsidy"]
        assert {r["district"]: (r["beneficiaries"], r["value"], r["subsidy"]) for r in claim["rows"]} == {
            d: (len(r["artisans"]), f"{r['value'] / 100:.2f}", f"{r['subsidy'] / 100:.2f}")
            for d, r in expected.items() if r["artisans"]}
        assert all(check(reconcile.facts(client.db)) == [] for check in reconcile_money.CHECKS)
    finally:
        app.extensions["rawbank"].close()


def test_reconcile_finds_a_balance_off_its_entries_a_charge_lost_and_a_payment_twice(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    client.register("ART-2", looms=1)
    sold = sell(client, "ART-1", [(COTTON, "5")])
    sell(client, "ART-2", [(COTTON, "5")])
    assert [check(reconcile.facts(client.db)) for check in reconcile_money.CHECKS] == [[]] * len(reconcile_money.CHECKS)
    client.db.accounts.update_one({"_id": "ART-1"}, {"$inc": {"balance": 1}})
    account = client.db.accounts.find_one({"_id": "ART-2"})
    client.db.accounts.update_one({"_id": "ART-2"}, {"$push": {"entries": next(
        e for e in account["entries"] if e["type"] == "payment")}, "$inc": {"balance": -1}})
    client.db.accounts.update_one({"_id": "ART-1"}, {"$pull": {"entries": {"id": f"subsidy:{sold['id']}"}}})
    facts = reconcile.facts(client.db)
    found = [problem for check in reconcile_money.CHECKS for problem in check(facts)]
    assert any("account ART-1: balance" in p for p in found)
    assert any("account ART-2: entries counted twice: payment:" in p for p in found)
    assert any(f"requisition {sold['id']}: handed over, charged {{'charge': 1}}" in p for p in found)
    assert any(p.startswith("subsidy claims RMSS") for p in found)


def test_reconcile_checks_what_each_entitlement_counts_against_the_subsidy_priced(client):
    """Nothing compared the entitlements with the requisitions' subsidised quantities: a subsidy priced with no
    entitlement behind it, or an entitlement used up with no subsidy given, went unseen."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    client.register("ART-2", looms=1)
    client.register("ART-3", looms=1)
    sold = sell(client, "ART-1", [(COTTON, "5")])
    waiting = client.submit(client.artisan("ART-2"), [(COTTON, "8")])["id"]
    cancelled = client.submit(client.artisan("ART-3"), [(COTTON, "3")])["id"]
    client.act(cancelled, "cancel", client.admin())
    assert [check(reconcile.facts(client.db)) for check in reconcile_money.CHECKS] == [[]] * len(reconcile_money.CHECKS)
    month = client.db.requisitions.find_one({"_id": sold["id"]})["month"]
    # ART-1's subsidy has no entitlement behind it any more; ART-2's month says more is used than its requisitions
    client.db.entitlements.update_one({"_id": f"ART-1/{month}"}, {"$unset": {f"entries.{sold['id']}": ""},
                                                                   "$inc": {"used.cotton-hank-upto-40s": -5_000}})
    client.db.entitlements.update_one({"_id": f"ART-2/{month}"}, {"$inc": {"used.cotton-hank-upto-40s": 1_000}})
    found = reconcile_money.entitlements_add_up(reconcile.facts(client.db))
    assert len(found) == 2, found
    assert any(f"requisition {sold['id']}" in p and "ART-1" in p for p in found)
    assert any(f"entitlement ART-2 {month}" in p for p in found)
    assert not any(cancelled in p or waiting in p for p in found)
    assert all(p.said("hi") != str(p) for p in found)  # in Hindi as well
