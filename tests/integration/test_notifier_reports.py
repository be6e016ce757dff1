"""The department's reports, built from the events of a real flow through the three services: JSON, CSV,
pages with charts, a rebuild from the event log, and their totals against the stores in reconcile."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest

from services.inventory import ledger
from services.notifier import messages, shares as notifier_shares, deliveries
from services.notifier.channels import NothingToSend
from shared import reconcile, signing
from shared.calendar import add_days, day_start, month_of
from shared.envelope import decode_event
from tests.integration.test_bank_support import COTTON, bank  # noqa: F401  (fixture)

MEMBERS = {"ART-1": {"gender": "female", "social_category": "sc", "bpl": True},
           "ART-2": {"gender": "male", "social_category": "obc", "bpl": False}, "ART-3": {}}
REPORTS = ("distribution", "beneficiaries", "unmet-demand", "cooperatives")


def open_the_bank(bank):
    """Two depots, 40s cotton at ₹245.50 (100 kg at Varanasi, 5 at Bhadohi), RMSS, a cooperative of three."""
    bank.call("inventory", "POST", "/depots", json={"code": "VNS", "name": "Varanasi depot", "district": "Varanasi"},
              status=201)
    bank.call("inventory", "POST", "/depots", json={"code": "BHD", "name": "Bhadohi depot", "district": "Bhadohi"},
              status=201)
    bank.call("inventory", "POST", "/materials", json={
        "sku": COTTON, "name": "Cotton yarn 40s", "name_hi": "सूती धागा 40s", "category": "yarn", "unit": "kg",
        "reorder_level": "5", "entitlement_class": "cotton-hank-upto-40s"}, status=201)
    bank.call("inventory", "POST", f"/materials/{COTTON}/prices", json={"price": "245.50"}, status=201)
    for depot, kg in (("VNS", "100"), ("BHD", "5")):
        bank.call("inventory", "POST", "/movements", json={"type": "receipt", "sku": COTTON, "depot": depot,
                                                            "quantity": kg}, status=201)
    bank.call("requests", "POST", "/schemes", json={
        "code": "RMSS", "name": "RMSS", "name_hi": "RMSS", "subsidy_percent": "15", "depot_charge_percent": "2",
        "freight_percent": {"plain": "1.5"}, "caps": [{"category": "cotton-hank-upto-40s", "per_loom_per_month": "30"}],
        "valid_from": "2021-04-01"}, status=201)
    bank.call("requests", "POST", "/cooperatives", json={
        "code": "SMBSS", "name": "Sarai Mohana Bunkar Sahkari Samiti", "name_hi": "सराय मोहना बुनकर सहकारी समिति",
        "kind": "cooperative", "district": "Varanasi", "credit_limit": "10000"}, status=201)
    for artisan_id, private in MEMBERS.items():
        bank.call("requests", "POST", "/artisans", json={
            "artisan_id": artisan_id, "name": f"Weaver {artisan_id}", "name_hi": f"बुनकर {artisan_id}",
            "district": "Varanasi", "craft": "weaving",
            "registration_id": f"REG-{artisan_id}", "cooperative": "SMBSS", "looms": 1, "language": "hi",
            "phone": f"+9198000000{artisan_id[-1]}0", **private}, status=201)
    bank.call("requests", "POST", "/artisans", json={"artisan_id": "ART-9", "name": "Weaver 9", "district": "Bhadohi",
                                                      "craft": "carpet", "registration_id": "REG-ART-9", "looms": 1},
              status=201)
    bank.flush()


def thirty_kg_for_three(bank):
    """The issue's flow: 30 kg split across three members, approved, held, dispatched, received, answered."""
    secretary = bank.token("secretary", cooperative="SMBSS")
    rid = bank.call("requests", "POST", "/requisitions", secretary, json={
        "depot": "VNS", "cooperative": "SMBSS",
        "lines": [{"sku": COTTON, "quantity": "10", "artisan_id": a} for a in MEMBERS]}, status=201).get_json()["id"]
    bank.call("requests", "POST", f"/requisitions/{rid}/approve", json={}, status=200)
    bank.flush()
    bank.call("requests", "POST", f"/requisitions/{rid}/dispatch", bank.token("warehouse", depot="VNS"), json={},
              status=200)
    bank.flush()
    bank.call("requests", "POST", f"/requisitions/{rid}/receive", secretary, json={}, status=200)
    bank.flush()
    return rid


def answer(bank, rid):
    for artisan_id, quantity in (("ART-1", None), ("ART-2", None), ("ART-3", "8")):
        body = {"artisan_id": artisan_id, **({"quantity": quantity} if quantity else {})}
        bank.call("requests", "POST", f"/requisitions/{rid}/confirmations",
                  bank.token("artisan", artisan_id=artisan_id), json=body, status=201)
    bank.flush()


def unmet(bank):
    """ART-9 asks for 10 kg where 5 are left (it waits), and for 3 kg that an admin rejects."""
    art9 = bank.token("artisan", artisan_id="ART-9")
    waiting = bank.call("requests", "POST", "/requisitions", art9, json={
        "depot": "BHD", "lines": [{"sku": COTTON, "quantity": "10"}]}, status=201).get_json()["id"]
    bank.call("requests", "POST", f"/requisitions/{waiting}/approve", json={}, status=200)
    refused = bank.call("requests", "POST", "/requisitions", art9, json={
        "depot": "VNS", "lines": [{"sku": COTTON, "quantity": "3"}]}, status=201).get_json()["id"]
    bank.call("requests", "POST", f"/requisitions/{refused}/reject", json={"reason": "not a weaver"}, status=200)
    bank.flush()


@pytest.fixture
def flowed(bank):
    open_the_bank(bank)
    rid = thirty_kg_for_three(bank)
    answer(bank, rid)
    unmet(bank)
    return bank, rid


def report(bank, name, **query):
    month = query.pop("month", month_of(datetime.now(timezone.utc)))
    params = "&".join(f"{k}={v}" for k, v in {"month": month, **query}.items())
    return bank.call("notifier", "GET", f"/reports/{name}?{params}", status=200).get_json()


def test_the_reports_show_where_the_material_went_to_whom_and_what_was_not_met(flowed):
    bank, rid = flowed
    assert (report(bank, "unmet-demand")["group_by"], report(bank, "cooperatives")["group_by"]) == \
        ("depot_material", "cooperative")  # their only grouping, said as the others say theirs
    [district] = report(bank, "distribution", group_by="district")["rows"]
    assert (district["group"], district["quantities"], district["value"], district["subsidy"], district["artisans"],
            district["requisitions"]) == ("Varanasi", {COTTON: "30"}, "7365.00", "1104.75", 3, 1)
    assert [r["group"] for r in report(bank, "distribution", group_by="cooperative")["rows"]] == ["SMBSS"]
    assert [r["group"] for r in report(bank, "distribution", group_by="depot")["rows"]] == ["VNS"]
    assert [r["group"] for r in report(bank, "distribution", group_by="material")["rows"]] == [COTTON]
    genders = {r["group"]: r["artisans"] for r in report(bank, "beneficiaries", group_by="gender")["rows"]}
    assert genders == {"female": 1, "male": 1, "-": 1}
    assert {r["group"] for r in report(bank, "beneficiaries", group_by="bpl")["rows"]} == {"yes", "no", "-"}
    rows = {(r["depot"], r["sku"]): r for r in report(bank, "unmet-demand")["rows"]}
    assert (rows["BHD", COTTON]["waitlisted"], rows["BHD", COTTON]["still_waiting"]) == ("10", 1)
    assert (rows["VNS", COTTON]["refused"], rows["VNS", COTTON]["refused_requisitions"]) == ("3", 1)
    [coop] = report(bank, "cooperatives")["rows"]
    assert (coop["active"], coop["members"], coop["looms"], coop["per_loom"]) == (True, 3, 3, {COTTON: "10"})
    assert (coop["shares"], coop["confirmed"], coop["short"], coop["confirmation_rate"]) == (3, 2, 1, 0.6667)


def test_a_short_share_alerts_admins_at_once_and_members_get_their_code_by_sms(flowed):
    bank, rid = flowed
    [alert] = bank.call("notifier", "GET", "/alerts?kind=short_share", status=200).get_json()
    assert (alert["status"], alert["details"]["artisan_id"], alert["details"]["lines"][0]["received"]) == \
        ("open", "ART-3", "8")
    assert alert["title"]["en"] == "Short share: Weaver ART-3 (Sarai Mohana Bunkar Sahkari Samiti)"
    assert "सराय मोहना" in alert["title"]["hi"] and "8 किलो" in alert["text"]["hi"]
    assert alert["title"]["hi"] == "हिस्सा कम मिला: बुनकर ART-3 (सराय मोहना बुनकर सहकारी समिति)"  # their Hindi name
    assert alert["text"]["hi"].startswith("बुनकर ART-3 के अनुसार") and "Weaver" not in alert["text"]["hi"]
    note_db = bank.db["notifier"]
    deliveries.expand(note_db, datetime.now(timezone.utc))
    sms = note_db.deliveries.find_one({"channel": "sms", "payload.status": "confirm_share", "payload.artisan_id": "ART-1"})
    text = messages.compose(note_db, sms, datetime.now(timezone.utc), bank.config.jwt_secret).text
    assert signing.share_code(bank.config.jwt_secret, rid, "ART-1", 1) in text and len(text) <= 160
    note = note_db.notifications.find_one({"status": "confirm_share", "artisan_id": "ART-1"})
    [share] = [s for s in bank.db["requests"].requisitions.find_one({"_id": rid})["shares"] if s["artisan_id"] == "ART-1"]
    until = datetime.fromisoformat(share["confirmation"]["expires_at"])  # answered since: the API no longer shows it
    assert until == day_start(add_days(note["due_on"], 1))  # "confirm by <day>": the code works all that day


def test_a_fresh_code_asked_after_a_secretary_changed_the_phone_goes_to_the_phone_there_was(bank):
    """A secretary who set a member's phone to their own, then asked a fresh code, got the member's code by SMS and
    confirmed the member's share themselves. Their number now waits for an admin: the code goes to the member."""
    open_the_bank(bank)
    rid = thirty_kg_for_three(bank)
    secretary = bank.token("secretary", cooperative="SMBSS")
    bank.call("requests", "PATCH", "/artisans/ART-1", secretary, json={"phone": "+919899999999"}, status=200)
    bank.call("requests", "POST", f"/requisitions/{rid}/shares/ART-1/code", secretary, json={}, status=200)
    bank.flush()
    note_db = bank.db["notifier"]
    deliveries.expand(note_db, datetime.now(timezone.utc))
    note = note_db.notifications.find_one({"status": "confirm_share", "artisan_id": "ART-1", "nonce": 2})
    sms = note_db.deliveries.find_one({"channel": "sms", "source.id": note["_id"]})
    sent = messages.compose(note_db, sms, datetime.now(timezone.utc), bank.config.jwt_secret)
    assert sent.to == "+919800000010" and signing.share_code(bank.config.jwt_secret, rid, "ART-1", 2) in sent.text
    bank.call("requests", "POST", "/artisans/ART-1/phone/approve", status=200)  # an admin checked it with the member
    bank.flush()
    assert messages.compose(note_db, sms, datetime.now(timezone.utc), bank.config.jwt_secret).to == "+919899999999"


def test_a_fresh_code_is_told_once_per_code_and_supersedes_the_earlier_asking(bank):
    """A fresh code sent twice left reconcile saying each member was "notified twice of confirm_share" for good (so
    `rawbank backup` never kept a copy), and showed the member three "Confirm what you received": now each code is
    news of its own, the member sees the current one only, and an earlier code's SMS not sent yet is not sent."""
    open_the_bank(bank)
    rid = thirty_kg_for_three(bank)
    secretary, note_db = bank.token("secretary", cooperative="SMBSS"), bank.db["notifier"]
    deliveries.expand(note_db, datetime.now(timezone.utc))
    first = note_db.deliveries.find_one({"channel": "sms", "payload.status": "confirm_share",
                                         "payload.artisan_id": "ART-1"})
    for _ in range(2):
        bank.call("requests", "POST", f"/requisitions/{rid}/shares/ART-1/code", secretary, json={}, status=200)
    bank.call("requests", "POST", f"/requisitions/{rid}/shares/ART-2/code", json={}, status=200)
    bank.flush()
    for event in note_db.events.find({"type": "ShareCodeIssued"}):  # every code's event again, the oldest last
        bank.handlers["notifier"](decode_event({k: v for k, v in event.items() if k not in ("_id", "received_at")}))
    assert reconcile.facts_of(bank.db)["notifier"]["told_twice"] == []
    listed = bank.call("notifier", "GET", "/notifications", bank.token("artisan", artisan_id="ART-1"),
                       status=200).get_json()
    asked = [n for n in listed if n["status"] == "confirm_share"]
    assert len(asked) == 1 and asked[0]["title"] == "जो मिला उसकी पुष्टि करें"
    assert note_db.notifications.find_one({"_id": asked[0]["id"]})["nonce"] == 3
    deliveries.expand(note_db, datetime.now(timezone.utc))
    with pytest.raises(NothingToSend):  # its code stopped working
        messages.compose(note_db, first, datetime.now(timezone.utc), bank.config.jwt_secret)
    current = note_db.deliveries.find_one({"channel": "sms", "source.id": asked[0]["id"]})
    text = messages.compose(note_db, current, datetime.now(timezone.utc), bank.config.jwt_secret).text
    assert signing.share_code(bank.config.jwt_secret, rid, "ART-1", 3) in text
    answer(bank, rid)
    ledger.project_pending(bank.db["inventory"])
    assert reconcile.check(reconcile.facts_of(bank.db)).problems == []


def test_shares_unconfirmed_for_a_week_raise_one_alert_per_cooperative_per_month(bank):
    open_the_bank(bank)
    thirty_kg_for_three(bank)
    note_db, now = bank.db["notifier"], datetime.now(timezone.utc)
    assert notifier_shares.check_unconfirmed(note_db, now) == 0
    later = now + timedelta(days=8)
    for _ in range(3):
        notifier_shares.check_unconfirmed(note_db, later)
    [alert] = list(note_db.alerts.find({"kind": "shares_unconfirmed"}))
    assert (alert["count"], alert["details"]["waiting"], alert["district"]) == (1, 3, "Varanasi")
    notifier_shares.check_unconfirmed(note_db, later + timedelta(days=31))  # a new month: counted once more
    assert note_db.alerts.find_one({"kind": "shares_unconfirmed"})["count"] == 2


def test_reports_rebuild_from_the_event_log_to_the_same_figures(flowed):
    bank, _ = flowed
    before = {name: report(bank, name) for name in REPORTS}
    for name in ("report_dispatches", "report_unmet", "report_ended", "shares"):
        bank.db["notifier"][name].delete_many({})
    assert report(bank, "distribution")["rows"] == []
    rebuilt = bank.call("notifier", "POST", "/reports/rebuild", json={}, status=200).get_json()
    assert rebuilt["events"] > 10
    assert {name: report(bank, name) for name in REPORTS} == before


def test_the_reports_totals_agree_with_the_stores_in_reconcile(flowed):
    bank, _ = flowed
    ledger.project_pending(bank.db["inventory"])
    found = reconcile.facts_of(bank.db)
    assert reconcile.check(found).problems == []
    bank.db["notifier"].report_dispatches.update_one({"artisan_id": "ART-2"}, {"$set": {"lines.0.quantity": 9000}})
    problems = reconcile.check(reconcile.facts_of(bank.db)).problems
    assert any("distribution" in p and "the stores say" in p for p in problems), problems


@pytest.mark.parametrize("name,query,field", [
    ("distribution", "month=2026-13", "month"), ("distribution", "group_by=caste", "group_by"),
    ("beneficiaries", "group_by=district", "group_by"), ("cooperatives", "format=xls", "format"),
    ("unmet-demand", "month=26-1", "month"), ("unmet-demand", "group_by=district", "group_by"),
    ("cooperatives", "group_by=depot", "group_by")])
def test_report_parameters_are_checked_in_both_languages(bank, name, query, field):
    """Every report checks its parameters, group_by too: unmet demand and cooperatives have one grouping each and
    said nothing of a group_by asked of them (any value, ignored), as if it had been applied."""
    for lang in ("en", "hi"):
        error = bank.call("notifier", "GET", f"/reports/{name}?{query}", status=400,
                          **{"Accept-Language": lang}).get_json()["error"]
        assert field in error["details"]
    future = bank.call("notifier", "GET", f"/reports/{name}?month=2999-01", status=422,
                       **{"Accept-Language": "hi"}).get_json()["error"]
    assert future["code"] == "month_in_future"


@pytest.mark.parametrize("lang,options", [("en", "District, Depot, Material, Cooperative"),
                                          ("hi", "ज़िला, डिपो, सामान, सहकारी समिति")])
def test_a_report_forms_errors_are_tied_to_their_fields_and_name_the_options_in_the_pages_language(bank, lang,
                                                                                                  options):
    """A bad month marked its input invalid without pointing at its error; a grouping not offered did not mark the
    select at all, and its message listed codes (district, depot ...) in English inside the Hindi sentence."""
    page = bank.http["notifier"].get("/admin/reports/distribution?month=2026-13&group_by=foo",
                                     headers={**bank.admin, "Accept-Language": lang})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    for field in ("month", "group_by"):
        tag = re.search(rf'<(?:input|select) id="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag and f'aria-describedby="{field}-error"' in tag, tag
        assert re.search(rf'<p class="field-error" id="{field}-error">[^<]+</p>', html), field
    said = re.search(r'id="group_by-error">([^<]+)<', html).group(1)
    assert options in said and "district" not in said, said


@pytest.mark.parametrize("lang,said", [("en", "Must be one of: Depot and material."),
                                       ("hi", "डिपो और सामान")])
def test_a_report_with_one_grouping_names_it_when_another_is_asked(bank, lang, said):
    """The unmet-demand page asked ?group_by=bogus said "Must be one of: ." with nothing after it."""
    page = bank.http["notifier"].get("/admin/reports/unmet-demand?group_by=bogus",
                                     headers={**bank.admin, "Accept-Language": lang})
    assert page.status_code == 400 and said in page.get_data(as_text=True)


def test_a_reports_chart_title_reads_as_one_sentence_in_both_languages(flowed):
    """The title put the grouping's heading word into the sentence: "..., per District", "ज़िला के अनुसार"."""
    bank, _ = flowed
    titles = {("distribution", "district"): ("Value at the mill-gate price and subsidy, per district",
                                             "मिल-गेट मूल्य पर मूल्य और सब्सिडी, ज़िले के अनुसार"),
              ("distribution", "cooperative"): ("Value at the mill-gate price and subsidy, per cooperative",
                                                "मिल-गेट मूल्य पर मूल्य और सब्सिडी, सहकारी समिति के अनुसार"),
              ("beneficiaries", "social_category"): ("Artisans served, per social category",
                                                     "लाभान्वित कारीगर, सामाजिक श्रेणी के अनुसार"),
              ("beneficiaries", "bpl"): ("Artisans served, per BPL status",
                                         "लाभान्वित कारीगर, बीपीएल स्थिति के अनुसार")}
    for (name, group_by), said in titles.items():
        for lang, title in zip(("en", "hi"), said):
            html = bank.http["notifier"].get(f"/admin/reports/{name}?group_by={group_by}",
                                             headers={**bank.admin, "Accept-Language": lang}).get_data(as_text=True)
            assert re.findall(r'<svg class="chart"[^>]*aria-label="([^"]+)"', html) == [title], (name, group_by, lang)


def test_csv_exports_are_spreadsheet_safe_files(flowed):
    bank, _ = flowed
    response = bank.call("notifier", "GET", "/reports/distribution?group_by=district&format=csv", status=200)
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("district,district_text,YRN-COT-40 (kg),value_rupees")
    assert lines[-1].startswith("TOTAL,Total,30,7365.00")
    for query, filename in (("distribution?group_by=cooperative", "distribution-{}-cooperative.csv"),
                            ("cooperatives?", "cooperatives-{}.csv")):  # a report of one grouping names none
        disposition = bank.call("notifier", "GET", f"/reports/{query}&format=csv").headers["Content-Disposition"]
        assert disposition.endswith(filename.format(month_of(datetime.now(timezone.utc)))), disposition
    coops = bank.call("notifier", "GET", "/reports/cooperatives?format=csv", status=200).get_data().decode("utf-8-sig")
    assert "SMBSS,Sarai Mohana Bunkar Sahkari Samiti,Varanasi,yes,3,3,10,3,2,1,0,0.6667" in coops


def test_report_csvs_name_their_groups_as_the_page_does_in_the_language_asked(bank):
    """A code column keeps the code (none for a group with nothing recorded, never "-", which a spreadsheet
    quoted as "'-"), and `<group_by>_text` beside it says the group as the page does, in Hindi when asked."""
    open_the_bank(bank)
    thirty_kg_for_three(bank)
    rid = bank.call("requests", "POST", "/requisitions", bank.token("artisan", artisan_id="ART-9"), json={
        "depot": "VNS", "lines": [{"sku": COTTON, "quantity": "2"}]}, status=201).get_json()["id"]
    bank.call("requests", "POST", f"/requisitions/{rid}/approve", json={}, status=200)
    bank.flush()
    due = bank.call("requests", "GET", f"/requisitions/{rid}", status=200).get_json()["pricing"]["payable_total"]
    bank.call("requests", "POST", f"/requisitions/{rid}/payments", json={"amount": due, "method": "cash",
                                                                         "reference": "CASH-9"}, status=201)
    bank.call("requests", "POST", f"/requisitions/{rid}/dispatch", bank.token("warehouse", depot="VNS"), json={},
              status=200)
    bank.flush()
    said = {"en": {"": "Not in a cooperative", "SMBSS": "Sarai Mohana Bunkar Sahkari Samiti", "TOTAL": "Total"},
            "hi": {"": "किसी सहकारी समिति में नहीं", "SMBSS": "सराय मोहना बुनकर सहकारी समिति", "TOTAL": "कुल"}}
    by_gender = {"en": {"female": "Women", "male": "Men", "": "Not recorded", "TOTAL": "Total"},
                 "hi": {"female": "महिलाएँ", "male": "पुरुष", "": "दर्ज नहीं", "TOTAL": "कुल"}}
    for lang in ("en", "hi"):
        for path, group_by, expected in (("distribution", "cooperative", said[lang]),
                                         ("beneficiaries", "gender", by_gender[lang])):
            text = bank.call("notifier", "GET", f"/reports/{path}?group_by={group_by}&format=csv", status=200,
                             **{"Accept-Language": lang}).get_data().decode("utf-8-sig")  # as Excel reads it
            rows = list(csv.DictReader(io.StringIO(text)))
            assert {r[group_by]: r[f"{group_by}_text"] for r in rows} == expected, (lang, text)
            assert "'-" not in text and "value_rupees" in rows[0]


def test_each_report_is_a_page_with_a_chart_in_hindi_and_no_inline_script(flowed):
    bank, _ = flowed
    hindi = {**bank.admin, "Accept-Language": "hi"}
    for name in REPORTS:
        page = bank.http["notifier"].get(f"/admin/reports/{name}", headers=hindi)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and '<svg class="chart"' in html, name
        assert "<script>" not in html.replace('<script id="rb-texts" type="application/json">', ""), name
    html = bank.http["notifier"].get("/admin/reports/cooperatives", headers=hindi).get_data(as_text=True)
    assert "3 में से 2" in html and "सराय मोहना बुनकर सहकारी समिति" in html
    html = bank.http["notifier"].get("/admin/reports/distribution?group_by=district", headers=hindi).get_data(
        as_text=True)
    assert 'data-group="Varanasi"' in html
    bad = bank.http["notifier"].get("/admin/reports/beneficiaries?group_by=depot", headers=hindi)
    assert bad.status_code == 400 and 'aria-invalid="true"' not in bad.get_data(as_text=True).split("month")[0]


def test_the_reports_say_a_district_in_hindi_when_its_depot_names_it_so(bank):
    """The department's reports named districts as typed (English) on Hindi pages, though a depot of the district
    says it in Hindi (`district_hi`): the distribution by district and the cooperatives' report now say it in Hindi,
    the CSV's `district_text` too (its code column keeps the district as stored); a district no depot names in
    Hindi stays as typed, and English pages are as they were."""
    open_the_bank(bank)
    bank.call("inventory", "PATCH", "/depots/VNS", json={"district_hi": "वाराणसी"}, status=200)
    bank.flush()
    thirty_kg_for_three(bank)
    hindi, english = {**bank.admin, "Accept-Language": "hi"}, {**bank.admin, "Accept-Language": "en"}
    pages = bank.http["notifier"]
    for path in ("/admin/reports/distribution?group_by=district", "/admin/reports/cooperatives"):
        html = pages.get(path, headers=hindi).get_data(as_text=True)
        assert "वाराणसी" in html and ">Varanasi<" not in html, path
        assert ">Varanasi<" in pages.get(path, headers=english).get_data(as_text=True), path
    for lang, said in (("hi", "वाराणसी"), ("en", "Varanasi")):
        text = bank.call("notifier", "GET", "/reports/distribution?group_by=district&format=csv", status=200,
                         **{"Accept-Language": lang}).get_data().decode("utf-8-sig")
        [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["district"] != "TOTAL"]
        assert (row["district"], row["district_text"]) == ("Varanasi", said), text
    bank.call("requests", "PATCH", "/cooperatives/SMBSS", json={"district": "Sonbhadra"}, status=200)
    bank.flush()
    html = pages.get("/admin/reports/cooperatives", headers=hindi).get_data(as_text=True)
    assert ">Sonbhadra<" in html  # no depot names it in Hindi: as typed

def in_stock_and_short(bank):
    """ART-9 asks Bhadohi for 10 kg of cotton (5 there) and 1 kg of silk (8 there): it waits for the cotton only."""
    bank.call("inventory", "POST", "/materials", json={
        "sku": "YRN-SLK-MUL", "name": "Mulberry silk", "name_hi": "शहतूत रेशम", "category": "yarn", "unit": "kg",
        "reorder_level": "1"}, status=201)
    bank.call("inventory", "POST", "/movements", json={"type": "receipt", "sku": "YRN-SLK-MUL", "depot": "BHD",
                                                        "quantity": "8"}, status=201)
    bank.call("inventory", "POST", "/materials/YRN-SLK-MUL/prices", json={"price": "900"}, status=201)
    bank.flush()
    rid = bank.call("requests", "POST", "/requisitions", bank.token("artisan", artisan_id="ART-9"), json={
        "depot": "BHD", "lines": [{"sku": COTTON, "quantity": "10"}, {"sku": "YRN-SLK-MUL", "quantity": "1"}]},
        status=201).get_json()["id"]
    bank.call("requests", "POST", f"/requisitions/{rid}/approve", json={}, status=200)
    bank.flush()
    return rid


def test_only_the_lines_a_depot_was_short_of_are_unmet_demand(bank):
    """A request for cotton (short) and silk (8 kg there) waited: StockWaitlisted's `short` names the cotton only,
    but the report counted the silk as waited for too (1 kg, still waiting 1), rebuilt and reconciled alike."""
    open_the_bank(bank)
    in_stock_and_short(bank)
    [waitlisted] = bank.db["notifier"].events.find({"type": "StockWaitlisted"})
    assert [line["sku"] for line in waitlisted["payload"]["short"]] == [COTTON]
    found = report(bank, "unmet-demand")
    assert [(r["depot"], r["sku"], r["waitlisted"], r["still_waiting"]) for r in found["rows"]] == \
        [("BHD", COTTON, "10", 1)]
    csv_rows = list(csv.DictReader(io.StringIO(bank.call("notifier", "GET", "/reports/unmet-demand?format=csv")
                                               .get_data().decode("utf-8-sig"))))
    assert "YRN-SLK-MUL" not in {r["sku"] for r in csv_rows}
    for lang in ("en", "hi"):
        html = bank.http["notifier"].get("/admin/reports/unmet-demand", headers={**bank.admin, "Accept-Language": lang})
        assert 'data-group="BHD/YRN-SLK-MUL"' not in html.get_data(as_text=True)
    bank.call("notifier", "POST", "/reports/rebuild", json={}, status=200)
    assert report(bank, "unmet-demand") == found
    ledger.project_pending(bank.db["inventory"])
    assert reconcile.check(reconcile.facts_of(bank.db)).problems == []
