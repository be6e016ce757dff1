"""A month the scheme did not run in: the monthly claim still answers (200, its figures as ever) but says so
(`outside_scheme`, and the months it ran in `scheme_runs`), and its page says it in words instead of an empty
table; the CSV of a month or a year the scheme did not run in says so on a last line, as their JSON does."""
from __future__ import annotations

import csv
import io

from tests.integration.test_requests_claims_year import YEAR, give_back, sell
from tests.integration.test_requests_money_support import COTTON, priced_catalog, scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

#: the demo scheme as the pages name it (|scheme) in English and in Hindi
RMSS_EN, RMSS_HI = "Raw Material Supply Scheme (RMSS)", "कच्चा माल आपूर्ति योजना (RMSS)"

CLAIM = "/reports/subsidy-claims"
EMPTY = {"district": None, "beneficiaries": 0, "quantities": {}, "units": {}, "value": "0.00", "subsidy": "0.00"}
OLD_HEADER = ["month", "month_name", "beneficiaries", "quantity cotton-hank-upto-40s (kg)",
              "quantity silk-domestic (kg)", "value_rupees", "subsidy_rupees"]
MONTH_HEADER = ["district", "beneficiaries", "quantity cotton-hank-upto-40s (kg)", "quantity silk-domestic (kg)",
                "value_rupees", "subsidy_rupees"]  # every month the same: each category the scheme caps, 0 where none


def monthly(client, month, **headers):
    return client.call("GET", f"{CLAIM}?scheme=RMSS&month={month}", {**client.admin(), **headers}, status=200)


def test_a_month_the_scheme_did_not_run_in_still_answers_its_claim_and_says_so_with_the_months_it_ran(client):
    """A month before the scheme began answered an empty claim, as a month it ran with nothing handed over does: the
    department could not tell "nothing given" from "the scheme did not run then". The answer is the same (200, the
    same figures, every field kept) and now says `outside_scheme` and the days, years and months the scheme ran."""
    priced_catalog(client.db)
    scheme(client)  # RMSS, from 1 April 2021, open-ended
    before = monthly(client, "2021-03").get_json()
    assert (before["rows"], before["corrections"], before["totals"]) == ([], [], EMPTY)
    assert before["outside_scheme"] is True
    assert before["scheme_runs"] == {"valid_from": "2021-04-01", "valid_to": None, "first_year": "2021-22",
                                     "last_year": None, "first_month": "2021-04", "last_month": None}
    began = monthly(client, "2021-04").get_json()
    assert (began["rows"], began["totals"], began["outside_scheme"]) == ([], EMPTY, False)
    assert set(began) >= {"scheme", "month", "rows", "corrections", "totals", "so_far", "as_of"}
    client.register("ART-1", looms=2)
    rid = sell(client, "ART-1", [(COTTON, "10")], handed_over="2024-03")
    sell(client, "ART-1", [(COTTON, "4")], handed_over="2024-05")  # handed over after the scheme's last day
    client.call("PATCH", "/schemes/RMSS", client.admin(), {"valid_to": "2024-03-31"}, status=200)
    give_back(client, rid, COTTON, "2", "2024-06")
    runs = {"valid_from": "2021-04-01", "valid_to": "2024-03-31", "first_year": "2021-22", "last_year": "2023-24",
            "first_month": "2021-04", "last_month": "2024-03"}
    for month, outside, quantities in (("2024-03", False, {"cotton-hank-upto-40s": "10"}),
                                       ("2024-05", True, {"cotton-hank-upto-40s": "4"}),
                                       ("2024-06", True, {"cotton-hank-upto-40s": "-2"}),
                                       ("2025-01", True, {})):
        claim = monthly(client, month).get_json()
        assert (claim["outside_scheme"], claim["scheme_runs"], claim["totals"]["quantities"]) == \
            (outside, runs, quantities), month
    csv_answer = client.call("GET", f"{CLAIM}?scheme=RMSS&month=2025-01&format=csv", client.admin(), status=200)
    assert list(csv.reader(io.StringIO(csv_answer.get_data().decode("utf-8-sig"))))[:2] == \
        [MONTH_HEADER, ["TOTAL", "0", "0", "0", "0.00", "0.00"]]
    spec = client.http.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    [name] = [n for n, s in spec.items() if {"rows", "corrections", "month"} <= set(s.get("properties", {}))]
    said = spec[name]["properties"]
    assert "outside_scheme" in said and "scheme_runs" in said, said
    assert "did not run" in said["outside_scheme"]["description"]


def test_the_claims_page_says_the_scheme_did_not_run_in_the_month_instead_of_an_empty_table(client):
    """The month's page showed "Nothing subsidised under this scheme was handed over this month" for a month the
    scheme did not run in: it now says, in English and Hindi, that the scheme did not run then and when it ran; a
    month after its end with hand-overs still shows them under the same words."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    sell(client, "ART-1", [(COTTON, "4")], handed_over="2024-05")
    for lang, said, nothing in (
            ("en", f"{RMSS_EN} did not run in March 2021 (it runs from 1 Apr 2021, with no last day set).",
             "Nothing subsidised under this scheme was handed over this month."),
            ("hi", f"{RMSS_HI} मार्च 2021 में नहीं चली (यह 1 अप्रैल 2021 से चल रही है, इसका कोई अंतिम दिन तय नहीं है)।",
             "इस योजना के तहत")):
        page = client.http.get("/admin/claims?scheme=RMSS&month=2021-03",
                               headers={**client.admin(), "Accept-Language": lang})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and said in html, html[-3000:]
        assert "data-outside-scheme" in html and "data-claims" not in html and nothing not in html
    client.call("PATCH", "/schemes/RMSS", client.admin(), {"valid_to": "2024-03-31"}, status=200)
    for lang, said in (("en", f"{RMSS_EN} did not run in May 2024 (it ran from 1 Apr 2021 to 31 Mar 2024)."),
                       ("hi", f"{RMSS_HI} मई 2024 में नहीं चली (यह 1 अप्रैल 2021 से 31 मार्च 2024 तक चली)।")):
        html = client.http.get("/admin/claims?scheme=RMSS&month=2024-05",
                               headers={**client.admin(), "Accept-Language": lang}).get_data(as_text=True)
        assert said in html and "data-claims" in html, html[-3000:]
    within = client.http.get("/admin/claims?scheme=RMSS&month=2024-03", headers=client.admin()).get_data(as_text=True)
    assert "data-outside-scheme" not in within and "Nothing subsidised under this scheme" in within


def test_the_years_csv_of_a_year_the_scheme_did_not_run_in_ends_with_a_line_saying_so_in_the_language_asked(client):
    """The year's JSON says `outside_scheme` (a year after the scheme ended, shown for what was handed over after its
    last day) but its CSV did not: read in a spreadsheet it looked like a year the scheme ran. It now ends, after the
    TOTAL row, with a line marked OUTSIDE_SCHEME saying so in words (English or Hindi); every other row and column is
    where it was, and a year the scheme ran in is as it always was."""
    priced_catalog(client.db)
    scheme(client, valid_from="2024-10-01")
    client.register("ART-1", looms=2)
    sell(client, "ART-1", [(COTTON, "10")], handed_over="2024-11")
    sell(client, "ART-1", [(COTTON, "4")], handed_over="2025-06")  # handed over after the scheme's last day
    client.call("PATCH", "/schemes/RMSS", client.admin(), {"valid_to": "2025-03-31"}, status=200)

    def rows(year, lang="en"):
        answer = client.call("GET", f"{YEAR}?scheme=RMSS&year={year}&format=csv",
                             {**client.admin(), "Accept-Language": lang}, status=200)
        return list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    ran = rows("2024-25")
    assert ran[0] == OLD_HEADER and len(ran) == 1 + 12 + 1 and ran[-1][0] == "TOTAL"
    assert ran[8] == ["2024-11", "November 2024", "1", "10", "0", "2455.00", "368.25"]
    assert "OUTSIDE_SCHEME" not in {row[0] for row in ran}
    json = client.call("GET", f"{YEAR}?scheme=RMSS&year=2025-26", client.admin(), status=200).get_json()
    assert json["outside_scheme"] is True
    ended = rows("2025-26")
    assert ended[0] == OLD_HEADER and len(ended) == 1 + 12 + 1 + 1
    assert [row[0] for row in ended[1:13]] == [row["month"] for row in json["months"]]
    assert ended[3] == ["2025-06", "June 2025", "1", "4", "0", "982.00", "147.30"]
    assert ended[-2] == ["TOTAL", "April 2025 – March 2026", "1", "4", "0", "982.00", "147.30"]
    assert ended[-1] == ["OUTSIDE_SCHEME", f"{RMSS_EN} did not run in the financial year 2025-26 (it ran from 1 "
                         "Oct 2024 to 31 Mar 2025): these figures are only what was handed over or came back in it of "
                         "requests priced under it.", "", "", "", "", ""]
    hindi = rows("2025-26", "hi")
    assert hindi[-2][0] == "TOTAL" and hindi[-1][0] == "OUTSIDE_SCHEME"
    assert hindi[-1][1].startswith(f"{RMSS_HI} वित्तीय वर्ष 2025-26 में नहीं चली"), hindi[-1]
    assert "31 मार्च 2025" in hindi[-1][1], hindi[-1]


def test_the_months_csv_of_a_month_the_scheme_did_not_run_in_ends_with_a_line_saying_so_in_the_language_asked(client):
    """The month's JSON says `outside_scheme` but its CSV was only the headers and a zero TOTAL row (or a month after
    the scheme's end with hand-overs, their rows): read in a spreadsheet it looked like a month the scheme ran with
    nothing given. It now ends, after the TOTAL row, with a line marked OUTSIDE_SCHEME saying so in words (English or
    Hindi), as the year's CSV does; every other row and column is where it was, and a month the scheme ran in is byte
    for byte as it always was."""
    priced_catalog(client.db)
    scheme(client)  # RMSS, from 1 April 2021, open-ended
    client.register("ART-1", looms=2)
    rid = sell(client, "ART-1", [(COTTON, "10")], handed_over="2024-03")
    sell(client, "ART-1", [(COTTON, "4")], handed_over="2024-05")

    def answer(month, lang="en"):
        return client.call("GET", f"{CLAIM}?scheme=RMSS&month={month}&format=csv",
                           {**client.admin(), "Accept-Language": lang}, status=200).get_data().decode("utf-8-sig")

    def rows(month, lang="en"):
        return list(csv.reader(io.StringIO(answer(month, lang))))
    before = rows("2021-03")
    assert before == [MONTH_HEADER, ["TOTAL", "0", "0", "0", "0.00", "0.00"],
                      ["OUTSIDE_SCHEME", f"{RMSS_EN} did not run in March 2021 (it runs from 1 Apr 2021, with no "
                       "last day set): these figures are only what was handed over or came back in it of requests "
                       "priced under it.", "", "", "", ""]]
    hindi = rows("2021-03", "hi")
    assert hindi[:2] == before[:2] and hindi[-1][0] == "OUTSIDE_SCHEME" and len(hindi[-1]) == 6
    assert hindi[-1][1].startswith(f"{RMSS_HI} मार्च 2021 में नहीं चली"), hindi[-1]
    assert "1 अप्रैल 2021" in hindi[-1][1], hindi[-1]
    ran = answer("2024-03")  # a month it ran in: as it always was
    [district] = [row["district"] for row in monthly(client, "2024-03").get_json()["rows"]]
    assert ran == (",".join(MONTH_HEADER) + "\r\n"
                   f"{district},1,10,0,2455.00,368.25\r\nTOTAL,1,10,0,2455.00,368.25\r\n")
    client.call("PATCH", "/schemes/RMSS", client.admin(), {"valid_to": "2024-03-31"}, status=200)
    give_back(client, rid, COTTON, "2", "2024-05")
    assert answer("2024-03") == ran
    after = rows("2024-05")
    assert after[0] == MONTH_HEADER
    assert after[1][:4] == [district, "1", "4", "0"] and after[2][1:3] == ["", "-2"]
    assert after[3][0] == "TOTAL"
    assert after[4] == ["OUTSIDE_SCHEME", f"{RMSS_EN} did not run in May 2024 (it ran from 1 Apr 2021 to 31 Mar "
                        "2024): these figures are only what was handed over or came back in it of requests priced "
                        "under it.", "", "", "", ""] and len(after) == 5
    hindi = rows("2024-05", "hi")
    assert [row[0] for row in hindi][-2:] == ["TOTAL", "OUTSIDE_SCHEME"]
    assert hindi[-1][1].startswith(f"{RMSS_HI} मई 2024 में नहीं चली") and "31 मार्च 2024" in hindi[-1][1], hindi[-1]


def test_a_nil_claim_of_a_month_the_scheme_ran_in_can_be_printed_for_the_file_and_a_month_outside_it_cannot(client):
    """An office files a nil return: a month the scheme ran in with nothing handed over is a claim of nothing, and its
    page offers Print as any claim's does (it had none once empty lists lost theirs); a month the scheme did not run in
    is no claim at all and has none."""
    priced_catalog(client.db)
    scheme(client)
    for month, printed in (("2024-04", True), ("2021-03", False)):
        html = client.http.get(f"/admin/claims?scheme=RMSS&month={month}", headers=client.admin()).get_data(
            as_text=True)
        assert ("data-print" in html) is printed, (month, html[-2000:])
        # and downloaded for the file as the other claims are (the nil claim's CSV: headings and a zero TOTAL)
        assert ("format=csv" in html) is printed, (month, html[-2000:])
