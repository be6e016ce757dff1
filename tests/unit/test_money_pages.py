"""The money pages on the in-process stores, in Hindi and English: the price before submitting, the receipt,
accounts, the scheme form and the claims chart; none needs a script of its own in the page."""
from __future__ import annotations

import html
import re
from unittest import mock

import pytest
from werkzeug.datastructures import MultiDict

from services import inventory, requests as requests_service
from services.requests import consumer
from shared.auth import COOKIE, csrf_token, issue_token
from shared.envelope import decode_event
from shared.i18n import LANG_COOKIE
from shared.mongo import connect
from shared.runtime import Runtime
from tests.conftest import is_our_side_page, our_side_faults, store_fails_reading

REQUESTS = "http://127.0.0.1:8002"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>")


@pytest.fixture
def apps(config):
    """Both services seeded with the demo, and requests told what inventory announced (prices, zones)."""
    made = {}
    for name, module in (("inventory", inventory), ("requests", requests_service)):
        runtime = Runtime(module.spec(), config, client=connect(f"mongomock://money-{name}"))
        module.spec().seed(runtime.db, config)
        made[name] = module.create_app(config, runtime)
    handle = consumer.make_handler(made["requests"].extensions["rawbank"].db, config)
    for collection in ("depots", "materials"):
        for doc in made["inventory"].extensions["rawbank"].db[collection].find():
            for event in doc["outbox"]:
                handle(decode_event(event))
    return made


def person(app, config, role, lang="hi", **claims):
    client = app.test_client()
    token = issue_token(config.jwt_secret, sub=role, role=role, **claims)
    client.set_cookie(COOKIE, token)
    client.set_cookie(LANG_COOKIE, lang)
    client.csrf = csrf_token(config.jwt_secret, token)
    return client


def asks_for_dye(artisan) -> str:
    """The artisan asks Varanasi for 1 kg of indigo dye over the API; the requisition's id."""
    return artisan.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": "DYE-INDIGO", "quantity": "1"}]},
                        headers={"X-CSRF-Token": artisan.csrf}).get_json()["id"]


def chosen(page: str) -> list[tuple[str, str]]:
    """Each list's name and the value chosen in it, as a browser posts a page's form."""
    return re.findall(r'<select[^>]*?name="([^"]+)".*?<option value="([^"]*)" selected', page, re.S)


def posted(page: str) -> MultiDict:
    """What a browser posts of a page's form: each field's value, the option chosen in each list, each box ticked."""
    fields = MultiDict()
    for tag, name, value in re.findall(r'(<input[^>]*?name="([^"]+)" value="([^"]*)"[^>]*>)', page):
        if 'type="checkbox"' not in tag or " checked" in tag:
            fields.add(name, html.unescape(value))
    for name, value in chosen(page):
        fields.add(name, html.unescape(value))
    return fields


def text(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    page = response.get_data(as_text=True)
    assert not INLINE_SCRIPT.search(page), INLINE_SCRIPT.search(page).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def room_in_the_quota(apps, config, kg: str = "100"):
    """ART-0001's own yarn quota of `kg` a month (the demo's is 30 kg a loom, 60 kg for their two): 70 kg of cotton
    over the demo's quota is priced no more, the price says what is left of the quota instead."""
    admin = person(apps["requests"], config, "admin")
    assert admin.post("/api/v1/quotas", headers={"X-CSRF-Token": admin.csrf}, json={
        "category": "yarn", "limit": kg, "per_loom": False, "artisan_id": "ART-0001"}).status_code == 200


def test_the_price_before_submitting_splits_what_is_left_of_the_entitlement(apps, config):
    room_in_the_quota(apps, config)
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    ten_kg = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "10"}]}
    made = artisan.post("/api/v1/requisitions", json=ten_kg, headers={"X-CSRF-Token": artisan.csrf})
    assert made.status_code == 201
    page = artisan.get("/my/estimate?depot=VNS&qty-YRN-COT-40=70").get_data(as_text=True)
    scheme_row = re.search(r'<tr data-part="scheme".*?</tr>', page, re.S).group(0)
    full_row = re.search(r'<tr data-part="full".*?</tr>', page, re.S).group(0)
    assert "मासिक हक के भीतर 15% सब्सिडी" in scheme_row and "50 किलो" in scheme_row
    assert "₹245.50 प्रति किलो" in scheme_row and "₹12,275.00" in scheme_row
    assert "पूरे मूल्य पर" in full_row and "20 किलो" in full_row and "₹4,910.00" in full_row
    words = text(artisan.get("/my/estimate?depot=VNS&qty-YRN-COT-40=70"))
    assert "भाड़ा (मैदानी क्षेत्र, 1.5%) +₹257.78" in words and "डिपो शुल्क (2%) +₹343.70" in words
    assert "चुकाना है ₹15,945.23" in words
    assert "40s तक का सूती हैंक धागा (कच्चा माल आपूर्ति योजना) 60 किलो 10 किलो 50 किलो 50 किलो 0 किलो" in words
    assert "इस महीने आपका सब्सिडी वाला हक" in text(artisan.get("/my/estimate"))
    assert "दशमलव" not in words and "जैसे 2.5" in text(artisan.get("/my/estimate?depot=VNS&qty-YRN-COT-40=x"))
    form = artisan.get("/my/new").get_data(as_text=True)
    assert 'data-estimate="/my/estimate"' in form and "/static/requests/estimate.js" in form
    assert artisan.get("/static/requests/estimate.js").status_code == 200


def test_a_line_within_the_entitlement_is_priced_in_rupees_and_the_lines_add_up_to_the_value(apps, config):
    """12.5 kg within the entitlement said '₹208.675 per kg' (₹245.50 less 15%) and ₹2,608.44 after the subsidy,
    while the value under the lines was before it: the line is at the mill-gate price, the subsidy said below it."""
    for lang, per, within in (("en", "per kg", "subsidy 15% within the monthly entitlement"),
                              ("hi", "प्रति किलो", "मासिक हक के भीतर 15% सब्सिडी")):
        artisan = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        page = artisan.get("/my/estimate?depot=VNS&qty-YRN-COT-40=12.5").get_data(as_text=True)
        row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<tr data-part="scheme".*?</tr>', page, re.S)
                                                          .group(0)))
        assert within in row and f"₹245.50 {per}" in row and "₹3,068.75" in row, (lang, row)
        assert "208.67" not in page and "₹2,608.44" not in page


MINUS_FORMS = re.compile(r"[-\u2212\u2013]\s*₹|₹\s*[-\u2212]")


def test_an_amount_below_zero_is_written_one_way_on_every_money_page(apps, config):
    """The collections totals said '-₹500.00', its rows '−₹500.00' and a price's subsidy '− ₹1,841.25': every money
    page writes an amount below zero as '−₹500.00' (a minus sign, no space), through the one money filter."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "en")
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    room_in_the_quota(apps, config)
    rid = asks_for_dye(artisan)
    assert warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"amount": "3000", "method": "advance", "reference": "UTR-9"}).status_code == 201
    assert admin.post("/api/v1/artisans/ART-0001/refunds", headers={"X-CSRF-Token": admin.csrf}, json={
        "amount": "500", "method": "cash", "reference": "RF-1", "reason": "paid too much"}).status_code == 201
    for lang in ("en", "hi"):
        reader = person(apps["requests"], config, "admin", lang)
        mine = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        pages = {"collections": text(reader.get("/admin/collections")),
                 "estimate": text(mine.get("/my/estimate?depot=VNS&qty-YRN-COT-40=70")),
                 "account": text(mine.get("/my/account"))}
        for name, words in pages.items():
            forms = set(MINUS_FORMS.findall(words))
            assert forms == {"\u2212₹"}, (lang, name, forms)
        assert "\u2212₹500.00" in pages["collections"] and "\u2212₹2,209.50" in pages["estimate"]
        assert "+₹257.78" in pages["estimate"]


def test_an_artisan_whose_registration_is_not_active_is_told_before_filling_the_form(apps, config):
    """They could fill the whole form and only at Send read, in the third person, that "this artisan" is not active."""
    db = apps["requests"].extensions["rawbank"].db
    db.artisans.update_one({"_id": "ART-0002"}, {"$set": {"active": False}})
    page = person(apps["requests"], config, "artisan", lang="en", artisan_id="ART-0002").get("/my/new")
    words = text(page)
    assert "Your registration is not active now, so you cannot send a request. Ask your depot or an admin" in words
    assert 'id="new-request"' not in page.get_data(as_text=True)  # no form to fill for nothing
    hindi = text(person(apps["requests"], config, "artisan", artisan_id="ART-0002").get("/my/new"))
    assert "आपका पंजीकरण अभी सक्रिय नहीं है" in hindi
    assert 'id="new-request"' in person(apps["requests"], config, "artisan", artisan_id="ART-0001").get(
        "/my/new").get_data(as_text=True)  # an active artisan has the form


def test_the_price_before_submitting_waits_for_a_depot_and_names_one_requests_does_not_know(apps, config):
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    words = text(artisan.get("/my/estimate?qty-YRN-COT-40=5"))
    assert "डिपो चुनें" in words and "₹" not in words
    words = text(artisan.get("/my/estimate?depot=KNP&qty-YRN-COT-40=5"))
    assert "अनुरोध सेवा डिपो KNP को नहीं जानती" in words and "₹" not in words


def test_the_entitlements_before_a_quantity_is_typed_each_say_their_unit(apps, config):
    """The demo scheme caps wool too, but no demo material counts against it: its row would have no unit."""
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    page = artisan.get("/my/estimate").get_data(as_text=True)
    rows = re.findall(r'<tr data-category="([^"]+)">(.*?)</tr>', page, re.S)
    assert [category for category, _ in rows] == ["cotton-hank-upto-40s", "silk-domestic"]
    assert all(len(re.findall(r"\d किलो", row)) == 3 for _, row in rows)


def test_a_receipt_and_the_account_after_a_payment(apps, config):
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    rid = asks_for_dye(artisan)
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    detail = text(warehouse.get(f"/my/requisitions/{rid}"))
    assert "Take a payment" in detail and "To pay ₹2,898.00" in detail
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"amount": "1000", "method": "upi", "reference": "UPI-77"})
    assert paid.status_code == 201
    receipt = text(warehouse.get(f"/requisitions/{rid}/receipt"))
    assert "Scheme: Raw Material Supply Scheme (RMSS)" in receipt
    assert "UPI UPI-77 ₹1,000.00" in receipt and "Amount paid: ₹1,000.00" in receipt
    assert "Still to pay: ₹1,898.00" in receipt
    account = text(artisan.get("/my/account"))
    assert "Due now ₹0.00" in account and "Payment · UPI UPI-77" in account
    other = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0002")
    assert other.get("/accounts/ART-0001").status_code == 404


def test_the_scheme_form_saves_through_the_api_schema_and_marks_what_is_wrong(apps, config):
    admin = person(apps["requests"], config, "admin")
    form = {"csrf_token": admin.csrf, "code": "YSS", "name": "Yarn Supply Scheme", "name_hi": "धागा आपूर्ति योजना",
            "subsidy_percent": "120", "valid_from": "2019-04-01", "valid_to": "2021-03-31",
            "cap-0-category": "cotton-hank-upto-40s", "cap-0-per_loom_per_month": "-30"}
    refused = admin.post("/admin/schemes", data=form, headers={"Origin": REQUESTS})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert re.search(r'id="subsidy_percent"[^>]*aria-invalid="true"', page) and "0 से 100 के बीच प्रतिशत" in page
    # the message is the field's description, for a screen reader on it (it was only beside it)
    assert re.search(r'id="subsidy_percent"[^>]*aria-describedby="subsidy_percent-error"', page)
    assert re.search(r'id="subsidy_percent-error">[^<]*0 से 100 के बीच प्रतिशत', page)
    assert re.search(r'id="cap-0-per_loom_per_month"[^>]*aria-invalid="true"', page)
    without_csrf = admin.post("/admin/schemes", data={**form, "csrf_token": ""}, headers={"Origin": REQUESTS})
    assert without_csrf.status_code == 403
    saved = admin.post("/admin/schemes", data={**form, "subsidy_percent": "10", "cap-0-per_loom_per_month": "30"},
                       headers={"Origin": REQUESTS})
    assert saved.status_code == 302
    overlap = admin.post("/admin/schemes", data={**form, "code": "YSS2", "subsidy_percent": "10", "valid_to": "",
                                                 "cap-0-per_loom_per_month": "30"}, headers={"Origin": REQUESTS})
    assert overlap.status_code == 400 and "योजना RMSS इन तारीखों में" in overlap.get_data(as_text=True)
    listed = text(admin.get("/admin/schemes"))
    assert "धागा आपूर्ति योजना YSS 10%" in listed


def test_the_claims_page_draws_a_bar_per_district_without_a_script(apps, config):
    admin = person(apps["requests"], config, "admin", "en")
    db = apps["requests"].extensions["rawbank"].db
    db.requisitions.insert_many([
        {"_id": f"r{i}", "status": "dispatched", "dispatch_month": "2026-01", "artisan_id": f"ART-{i}", "district": d,
         "pricing": {"lines": [{"scheme": "RMSS", "category": "silk-domestic", "unit": "kg",
                                "subsidised_quantity": 4000, "subsidised_value": 16_800_00, "subsidy": 2_520_00}]}}
        for i, d in enumerate(("Varanasi", "Varanasi", "Bhadohi"))])
    page = admin.get("/admin/claims?scheme=RMSS&month=2026-01").get_data(as_text=True)
    assert len(re.findall(r'<g transform="translate\(0 [0-9.]+\)" data-district=', page)) == 2  # a bar per district
    assert page.count(' data-row>') == 2 and '<svg class="chart stacked"' in page  # and the phone's, the same
    words = text(admin.get("/admin/claims?scheme=RMSS&month=2026-01"))
    assert "Varanasi 2 8 kg ₹33,600.00 ₹5,040.00" in words and "Total 3 12 kg ₹50,400.00 ₹7,560.00" in words
    assert "has not begun yet" in text(admin.get("/admin/claims?scheme=RMSS&month=2999-01"), 400)
    assert "data-so-far" not in page and "so far" not in words  # a finished month: nothing said


def test_the_claims_chart_shows_what_the_claim_claims_net_of_the_months_returns_in_both_languages(apps, config):
    """The chart drew each district's hand-overs before returns beside the claim's total net of them, so its bars
    did not add up to the figure beside them: each district's bars are now its hand-overs less the month's returns
    (a district with only a return draws a negative bar), said so in both languages, and they add up to the total."""
    db = apps["requests"].extensions["rawbank"].db
    line = {"scheme": "RMSS", "category": "silk-domestic", "unit": "kg",
            "subsidised_quantity": 4000, "subsidised_value": 16_800_00, "subsidy": 2_520_00}
    back = {**line, "subsidised_quantity": 1000, "subsidised_value": 4_200_00, "subsidy": 630_00}
    db.requisitions.insert_many([
        {"_id": f"r{i}", "status": "dispatched", "dispatch_month": "2026-02", "artisan_id": f"ART-{i}", "district": d,
         "pricing": {"lines": [line]}} for i, d in enumerate(("Varanasi", "Varanasi", "Bhadohi"))])
    db.requisitions.insert_one(
        {"_id": "old", "status": "received", "dispatch_month": "2025-12", "artisan_id": "ART-9", "district": "Varanasi",
         "pricing": {"lines": [line]},
         "returns": [{"return_id": f"ret-{d}", "month": "2026-02", "district": d, "artisan_id": "ART-9",
                      "lines": [back]} for d in ("Varanasi", "Mirzapur")]})
    for lang, title, note in (("en", "net of this month's returns", "they add up to the total"),
                              ("hi", "इस महीने की वापसी घटाकर", "जोड़ कुल के बराबर")):
        admin = person(apps["requests"], config, "admin", lang)
        page = admin.get("/admin/claims?scheme=RMSS&month=2026-02").get_data(as_text=True)
        bars = {d: (v, s) for d, v, s in re.findall(
            r'<g transform="translate\(0 [0-9]+\)" data-district="([^"]+)" data-value="([-0-9.]+)" '
            r'data-subsidy="([-0-9.]+)"', page)}
        assert bars == {"Bhadohi": ("16800.00", "2520.00"), "Mirzapur": ("-4200.00", "-630.00"),
                        "Varanasi": ("29400.00", "4410.00")}, page[:4000]
        words = text(admin.get("/admin/claims?scheme=RMSS&month=2026-02"))
        assert "₹42,000.00 ₹6,300.00" in words  # the total: the bars' sums
        assert sum(float(s) for _, s in bars.values()) == 6300.0
        assert title in words and note in words, words[:3000]


def test_the_claims_page_of_this_month_says_its_figures_are_so_far_in_both_languages(apps, config):
    """This month's claim was shown, printed and downloaded as if the month were over."""
    from datetime import datetime, timezone
    from shared.calendar import month_of
    month = month_of(datetime.now(timezone.utc))
    for lang, said, name in (("en", "is not over: these are the figures so far", "(so far)"),
                             ("hi", "अभी पूरा नहीं हुआ", "(अब तक)")):
        admin = person(apps["requests"], config, "admin", lang)
        page = admin.get(f"/admin/claims?scheme=RMSS&month={month}").get_data(as_text=True)
        assert "data-so-far" in page, page[:3000]
        words = text(admin.get(f"/admin/claims?scheme=RMSS&month={month}"))
        assert said in words and name in words


def test_the_claims_page_shows_a_financial_year_month_by_month_in_both_languages(apps, config):
    """To see a financial year an accounts officer added twelve monthly claims by hand: /admin/claims?year= shows
    each month's claim's totals with a link to it, the year's total (beneficiaries each counted once) and its CSV."""
    db = apps["requests"].extensions["rawbank"].db
    db.requisitions.insert_many([
        {"_id": f"y{i}", "status": "dispatched", "dispatch_month": month, "artisan_id": artisan, "district": "Varanasi",
         "pricing": {"lines": [{"scheme": "RMSS", "category": "silk-domestic", "unit": "kg",
                                "subsidised_quantity": 1000, "subsidised_value": 4_200_00, "subsidy": 630_00}]}}
        for i, (month, artisan) in enumerate((("2025-04", "ART-1"), ("2025-09", "ART-1"), ("2026-03", "ART-2"),
                                              ("2026-04", "ART-3")))])
    for lang, said in (("en", ("Subsidy claims for a financial year",
                               "Raw Material Supply Scheme (RMSS), financial year 2025-26",
                               "From April 2025 to March 2026.", "Total 2 3 kg ₹12,600.00 ₹1,890.00",
                               "not the month it was asked for", "each counted once")),
                       ("hi", ("वित्तीय वर्ष के सब्सिडी दावे", "कच्चा माल आपूर्ति योजना (RMSS), वित्तीय वर्ष 2025-26",
                               "अप्रैल 2025 से मार्च 2026 तक।",
                               "कुल 2 3 किलो ₹12,600.00 ₹1,890.00", "मांगे जाने के महीने में नहीं",
                               "हर कारीगर एक बार"))):
        admin = person(apps["requests"], config, "admin", lang)
        page = admin.get("/admin/claims?scheme=RMSS&year=2025-26").get_data(as_text=True)
        words = text(admin.get("/admin/claims?scheme=RMSS&year=2025-26"))
        for part in said:
            assert part in words, (lang, part, words[:3000])
        assert page.count('<tr data-month="') == 12 and 'href="/admin/claims?scheme=RMSS&amp;month=2025-09"' in page
        assert '<th scope="row" data-label=' in page and "data-so-far" not in page
        assert "/api/v1/reports/subsidy-claims/year?scheme=RMSS&amp;year=2025-26&amp;format=csv" in page
    refused = text(admin.get("/admin/claims?scheme=RMSS&year=2025-27"), 400)
    assert "2026-27 जैसा वित्तीय वर्ष लिखें।" in refused
    assert "शुरू नहीं हुआ" in text(admin.get("/admin/claims?scheme=RMSS&year=2999-00"), 400)
    this_year = text(admin.get("/admin/claims?scheme=RMSS&year="))
    assert "(अब तक)" in this_year and "अभी पूरा नहीं हुआ" in this_year
    assert "वित्तीय वर्ष" in text(admin.get("/admin/claims?scheme=RMSS&month=2025-09"))  # the tab beside the month


@pytest.mark.parametrize("month", ["0000-01", "0000-12"])
def test_a_month_of_year_zero_is_refused_in_words_never_a_crash(apps, config, month):
    """No calendar has a year 0: the month is refused like any other bad month, and the pages show this month."""
    admin = person(apps["requests"], config, "admin")
    for path in (f"/api/v1/artisans/ART-0001/entitlements?month={month}",
                 f"/api/v1/artisans/ART-0001/passbook?month={month}",
                 f"/api/v1/reports/subsidy-claims?scheme=RMSS&month={month}"):
        refused = admin.get(path, headers={"Accept-Language": "hi"})
        assert refused.status_code == 400, (path, refused.get_data(as_text=True)[:300])
        assert refused.get_json()["error"]["details"]["month"] == ["महीना, जैसे 2026-11"]
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    assert "कच्चा माल पासबुक" in text(artisan.get(f"/my/passbook?month={month}"))
    claims_page = text(admin.get(f"/admin/claims?scheme=RMSS&month={month}"), 400)
    assert "2026-11 जैसा महीना लिखें" in claims_page and "शुरू नहीं हुआ" not in claims_page


def test_the_last_month_a_calendar_has_is_refused_not_a_crash(apps, config):
    """9999-12 has no month after it to end at: refused as out of the calendar, like year 0."""
    admin = person(apps["requests"], config, "admin")
    for path in ("/api/v1/artisans/ART-0001/entitlements?month=9999-12",
                 "/api/v1/artisans/ART-0001/passbook?month=9999-12"):
        assert admin.get(path).status_code == 400, path


@pytest.mark.parametrize("month", ["abc", "2026-1", "2026-13"])
def test_the_claims_page_says_what_a_month_looks_like_when_the_address_has_another(apps, config, month):
    page = text(person(apps["requests"], config, "admin", "en").get(f"/admin/claims?scheme=RMSS&month={month}"), 400)
    assert "a month such as 2026-11" in page and "has not begun" not in page


def test_the_accounts_list_says_due_now_as_the_account_page_does_for_an_artisan_in_credit(apps, config):
    """An artisan who paid in advance was 'Due now -₹500.00' on the admins' list, '₹0.00' on their account page."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "hi")
    rid = asks_for_dye(artisan)
    paid = admin.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": admin.csrf},
                      json={"amount": "3398", "method": "advance", "reference": "ADV-1"})
    assert paid.status_code == 201 and paid.get_json()["balance_due"] == "-3398.00"
    assert "Due now ₹0.00" in text(artisan.get("/my/account"))
    page = admin.get("/accounts").get_data(as_text=True)
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'<tr data-artisan="ART-0001">.*?</tr>', page,
                                                                  re.S).group(0)))
    assert "-₹" not in row and "₹0.00" in row and "₹3,398.00 अग्रिम" in row


def test_the_accounts_list_says_when_it_shows_only_those_who_owe_most_and_finds_any_other(apps, config, monkeypatch):
    """Past its limit the list kept those who owe most without a word: an admin looking for an artisan who owes
    little could not tell the account was left out. Now it says so, in Hindi and English, and finds any account
    by the artisan's number."""
    from services.requests import accounts
    admin = person(apps["requests"], config, "admin", "hi")
    for number, rupees in (("ART-0001", "100"), ("ART-0002", "900"), ("ART-0003", "500")):
        artisan = person(apps["requests"], config, "artisan", "en", artisan_id=number)
        rid = artisan.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": "DYE-INDIGO",
                                                                                     "quantity": "1"}]},
                           headers={"X-CSRF-Token": artisan.csrf}).get_json()["id"]
        assert admin.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": admin.csrf},
                          json={"amount": rupees, "method": "advance", "reference": f"ADV-{number}"}).status_code == 201
    whole = admin.get("/accounts").get_data(as_text=True)
    assert whole.count("<tr data-artisan=") == 3 and 'data-more' not in whole
    monkeypatch.setattr(accounts, "MAX_LISTED", 2)
    page = admin.get("/accounts").get_data(as_text=True)
    assert page.count("<tr data-artisan=") == 2
    notice = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r"<[^>]+data-more.*?</form>", page, re.S).group(0)))
    assert "2" in notice and "खाता" in notice and "Only" not in notice
    english = text(person(apps["requests"], config, "admin", "en").get("/accounts"))
    assert "Only the 2 accounts that owe most are listed" in english
    found = admin.get("/accounts?artisan=+art-0003+")
    assert found.status_code == 302 and found.headers["Location"].endswith("/accounts/ART-0003")
    unknown = admin.get("/accounts?artisan=ART-9999")  # said beside the field, as a name nobody has
    assert unknown.status_code == 422 and "ART-9999" in unknown.get_data(as_text=True)


def test_an_admin_reverses_a_payment_on_the_account_page_and_every_page_says_it_was_reversed(apps, config):
    """The account page gives admins (only) a form to take back a payment recorded wrong; afterwards the account,
    the receipt, the request and the passbook show it struck through with its reason, in Hindi too."""
    artisan = person(apps["requests"], config, "artisan", "hi", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "hi")
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    rid = asks_for_dye(artisan)
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"amount": "2000", "method": "advance", "reference": "UTR-9"}).get_json()
    form = re.search(r"<details[^>]*data-reverse>.*?</details>", admin.get("/accounts/ART-0001").get_data(as_text=True),
                     re.S)
    assert form and f"/payments/{paid['payment_id']}/reversal" in form.group(0) and "भुगतान वापस लें" in form.group(0)
    assert "data-reverse" not in warehouse.get("/accounts/ART-0001").get_data(as_text=True)
    assert "data-reverse" not in artisan.get("/my/account").get_data(as_text=True)
    done = admin.post(f"/api/v1/requisitions/{rid}/payments/{paid['payment_id']}/reversal",
                      headers={"X-CSRF-Token": admin.csrf}, json={"reason": "गलत राशि", "artisan_id": "ART-0001"})
    assert done.status_code == 201, done.get_json()
    account = text(artisan.get("/my/account"))
    assert "भुगतान वापस लिया गया" in account and "कारण: गलत राशि" in account
    assert "data-reverse" not in admin.get("/accounts/ART-0001").get_data(as_text=True)  # once is enough
    for path in (f"/requisitions/{rid}/receipt", f"/my/requisitions/{rid}", "/my/passbook", "/my/account"):
        page = artisan.get(path).get_data(as_text=True)
        assert path == "/my/account" or "<s>₹2,000.00</s>" in page and "वापस लिया गया" in page, path
        assert 'कारण: <bdi translate="no">गलत राशि</bdi>' in page, path  # as the admin typed it


def test_a_payment_above_what_is_due_says_which_choice_of_the_form_takes_the_rest(apps, config):
    """The refusal told the clerk on the Hindi payment form to use "(method 'advance')", an API word, where the form
    offers 'Paid by: अग्रिम' (Advance)."""
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    rid = asks_for_dye(artisan)
    form = text(person(apps["requests"], config, "warehouse", depot="VNS").get(f"/my/requisitions/{rid}"))
    assert "भुगतान का तरीका" in form and "अग्रिम" in form
    for lang, words in (("hi", ("“अग्रिम”", "“भुगतान का तरीका”")), ("en", ("“Advance”", "“Paid by”"))):
        warehouse = person(apps["requests"], config, "warehouse", lang, depot="VNS")
        refused = warehouse.post(f"/api/v1/requisitions/{rid}/payments", json={
            "amount": "99999", "method": "upi", "reference": "UPI-9"}, headers={"X-CSRF-Token": warehouse.csrf,
                                                                              "Accept-Language": lang})
        message = refused.get_json()["error"]["message"]
        assert refused.status_code == 422 and all(word in message for word in words), message
        assert "method" not in message and "'advance'" not in message


def test_staff_read_a_requests_state_about_the_artisan_not_as_if_it_were_theirs(apps, config):
    """An admin opening a request read the artisan's words: 'An admin will look at your request soon.' (and later
    'Done. You received this material.')."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    rid = asks_for_dye(artisan)
    assert "An admin will look at your request soon." in text(artisan.get(f"/my/requisitions/{rid}"))
    for role, claims in (("admin", {}), ("warehouse", {"depot": "VNS"})):
        english = text(person(apps["requests"], config, role, "en", **claims).get(f"/my/requisitions/{rid}"))
        assert "your request" not in english and "Waiting for an admin to approve it." in english, role
        hindi = text(person(apps["requests"], config, role, "hi", **claims).get(f"/my/requisitions/{rid}"))
        assert "आपका अनुरोध" not in hindi and "एडमिन की स्वीकृति की प्रतीक्षा है।" in hindi, role


def test_an_admin_refunds_an_artisans_credit_on_the_account_page_and_the_passbook_says_so(apps, config):
    """The account page gives admins (only, and only while the artisan has credit) a form to record money handed back;
    afterwards the account and the passbook show the refund (date, amount, how, reference, why), in Hindi too."""
    artisan = person(apps["requests"], config, "artisan", "hi", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "hi")
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    assert "data-refund" not in admin.get("/accounts/ART-0001").get_data(as_text=True)  # nothing to hand back yet
    rid = asks_for_dye(artisan)
    warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                   json={"amount": "2000", "method": "advance", "reference": "UTR-9"})
    form = re.search(r"<form[^>]*data-refund.*?</form>", admin.get("/accounts/ART-0001").get_data(as_text=True), re.S)
    assert form and "/api/v1/artisans/ART-0001/refunds" in form.group(0) and "वापसी दर्ज करें" in form.group(0)
    assert 'value="2000.00"' in form.group(0) and 'name="reason"' in form.group(0)
    assert "data-refund" not in warehouse.get("/accounts/ART-0001").get_data(as_text=True)
    assert "data-refund" not in artisan.get("/my/account").get_data(as_text=True)
    done = admin.post("/api/v1/artisans/ART-0001/refunds", headers={"X-CSRF-Token": admin.csrf},
                      json={"amount": "500", "method": "cash", "reference": "RF/VNS/7", "reason": "योजना छोड़ी"})
    assert done.status_code == 201, done.get_json()
    account = text(artisan.get("/my/account"))
    assert "लौटाई गई राशि" in account and "RF/VNS/7" in account and "कारण: योजना छोड़ी" in account
    assert "₹500.00" in account
    book = text(artisan.get("/my/passbook"))
    assert "लौटाई गई राशि" in book and "RF/VNS/7" in book and "₹500.00" in book and "कारण: योजना छोड़ी" in book
    for path in (f"/my/requisitions/{rid}", f"/requisitions/{rid}/receipt"):  # the request's money says it too
        page = text(artisan.get(path))
        assert "लौटाई गई राशि" in page and "RF/VNS/7" in page and "₹500.00" in page, path
        assert "कारण: योजना छोड़ी" in page, path
    english = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    assert "Refund" in text(english.get("/my/account")) and "Why: योजना छोड़ी" in text(english.get("/my/passbook"))
    for path in (f"/requisitions/{rid}/receipt", f"/my/requisitions/{rid}", "/my/passbook", "/my/account"):
        assert 'Why: <bdi translate="no">योजना छोड़ी</bdi>' in english.get(path).get_data(as_text=True), path


@pytest.mark.parametrize("closing", ["cancel", "reject"])
def test_a_request_cancelled_or_not_approved_asks_for_no_money(apps, config, closing):
    """A cancelled request (and one not approved) said 'Still to pay: ₹2,898.00' on its page and its receipt, and
    called its price an estimate to be fixed later, though nothing is charged for it (the account owes nothing)."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "en")
    rid = asks_for_dye(artisan)
    done = admin.post(f"/api/v1/requisitions/{rid}/{closing}", headers={"X-CSRF-Token": admin.csrf},
                      json={"reason": "not this month"})
    assert done.status_code == 200, done.get_json()
    for lang, nothing, still in (("en", "Nothing is to pay on this request", "Still to pay: ₹0.00"),
                                 ("hi", "इस अनुरोध पर कुछ नहीं चुकाना है", "अभी चुकाना है: ₹0.00")):
        reader = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        words = text(reader.get(f"/my/requisitions/{rid}"))
        assert still in words and "₹2,898.00 (" not in words and nothing in words, lang
        # nothing paid on it, nothing handed over: no receipt (one with money paid on it has, see below)
        assert "/receipt" not in reader.get(f"/my/requisitions/{rid}").get_data(as_text=True), lang
        assert ("This request has no receipt" if lang == "en" else "इस अनुरोध की कोई रसीद नहीं") \
            in text(reader.get(f"/requisitions/{rid}/receipt")), lang
        assert "today's prices" not in text(artisan.get(f"/my/requisitions/{rid}"))
    assert "Due now ₹0.00" in text(artisan.get("/my/account"))


def test_a_request_says_before_the_counter_what_is_to_be_paid_first_when_credit_cannot_take_it_all(apps, config):
    """Walk in Hindi on a phone, finding 1: the artisan read "आपका सामान तैयार है। डिपो से ले जाएँ।" and what is to pay,
    and learnt only at the counter that the depot hands over nothing until part of it is paid (credit_limit_exceeded).
    The page says it first, to the artisan and to the depot (with the payment form's link), by the terms in force."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "en")
    rid = asks_for_dye(artisan)  # ₹2,898.00, within the cooperative's ₹25,000 credit
    estimate = "/my/estimate?depot=VNS&qty-DYE-INDIGO=1"  # the same again, on the new request's form
    for path in (f"/my/requisitions/{rid}", estimate):
        assert "before the depot hands this over" not in text(artisan.get(path))

    def terms(limit: str, advance: str = "0"):
        put = admin.put("/api/v1/credit-terms", headers={"X-CSRF-Token": admin.csrf},
                        json={"artisan_id": "ART-0001", "credit_limit": limit, "credit_days": 30,
                              "advance_percent": advance})
        assert put.status_code == 200, put.get_json()

    terms("1000")
    said = {"en": ("Pay at least ₹1,898.00 before the depot hands this over, at the depot or by UPI: only the rest can "
                   "go on your credit.", "Take at least ₹1,898.00 before handing this over: only the rest can go on "
                   "the artisan's credit. Take a payment"),
            "hi": ("डिपो यह सामान तभी सौंपेगा जब कम से कम ₹1,898.00 चुका दिया जाए, डिपो पर या UPI से: बाकी ही आपके "
                   "उधार में जा सकता है।", "सौंपने से पहले कम से कम ₹1,898.00 का भुगतान लें: बाकी ही कारीगर के उधार में "
                   "जा सकता है। भुगतान लें")}
    for lang, (mine, depots) in said.items():
        reader = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        assert mine in text(reader.get(f"/my/requisitions/{rid}")), lang
        assert mine in text(reader.get(estimate)), lang  # before it is even sent
        staff = person(apps["requests"], config, "warehouse", lang, depot="VNS").get(f"/my/requisitions/{rid}")
        assert depots in text(staff) and 'href="#payment"' in staff.get_data(as_text=True), lang
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"amount": "500", "method": "cash", "reference": "R-1"})
    assert paid.status_code == 201
    assert "Pay at least ₹1,398.00 before" in text(artisan.get(f"/my/requisitions/{rid}"))  # what is left of it
    assert "Pay at least ₹1,398.00 before" in text(artisan.get(estimate))  # the ₹500 paid ahead is credit on account
    terms("10000", "60")  # within the limit, but 60% in advance: ₹1,738.80, ₹500 of it paid
    assert "Pay at least ₹1,238.80 before" in text(artisan.get(f"/my/requisitions/{rid}"))
    terms("10000")
    assert "before the depot hands this over" not in text(artisan.get(f"/my/requisitions/{rid}"))


def test_staff_read_an_artisans_account_about_the_artisan_not_as_if_it_were_theirs(apps, config):
    """An admin opening an artisan's account read '₹2,000.00 paid in advance, kept for your next requests.' and
    'your payments are taken off', words for the artisan."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    rid = asks_for_dye(artisan)
    warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                   json={"amount": "2000", "method": "advance", "reference": "UTR-9"})
    mine = text(artisan.get("/my/account"))
    assert "₹2,000.00 paid in advance, kept for your next requests." in mine and "your payments are taken off" in mine
    for role, claims in (("admin", {}), ("warehouse", {"depot": "VNS"})):
        english = text(person(apps["requests"], config, role, "en", **claims).get("/accounts/ART-0001"))
        assert "your next requests" not in english and "your payments" not in english, role
        assert "₹2,000.00 paid in advance, kept for the artisan's next requests." in english, role
        assert "the artisan's payments are taken off" in english, role
        hindi = text(person(apps["requests"], config, role, "hi", **claims).get("/accounts/ART-0001"))
        assert "आपके" not in hindi and "कारीगर के अगले अनुरोधों के लिए" in hindi, role


def test_money_refunded_and_then_its_payment_reversed_is_to_be_repaid_by_a_day_every_page_names(apps, config):
    """A ₹1,000 advance on a request then cancelled was handed back, and the UPI payment bounced: the request said
    'Amount paid: -₹1,000.00', 'Nothing is to pay on this request' and 'Still to pay: ₹0.00', and took no payment.
    The request, its receipt, the passbook and the account say what it is and by when it is repaid (the reversal's
    day plus the 45 days of the cooperative's credit), in Hindi too; the counter takes the repayment on the request."""
    from datetime import date, datetime, timezone

    from babel.dates import format_date

    from shared.calendar import add_days, day_of
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "en")
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    rid = asks_for_dye(artisan)
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"amount": "1000", "method": "advance", "reference": "UTR-9"}).get_json()
    assert artisan.post(f"/api/v1/requisitions/{rid}/cancel", headers={"X-CSRF-Token": artisan.csrf},
                        json={}).status_code == 200
    assert admin.post("/api/v1/artisans/ART-0001/refunds", headers={"X-CSRF-Token": admin.csrf}, json={
        "amount": "1000", "method": "cash", "reference": "RF-1", "reason": "cancelled"}).status_code == 201
    assert admin.post(f"/api/v1/requisitions/{rid}/payments/{paid['payment_id']}/reversal",
                      headers={"X-CSRF-Token": admin.csrf}, json={"reason": "UPI bounced"}).status_code == 201
    due = date.fromisoformat(add_days(day_of(datetime.now(timezone.utc)), 45))
    for lang, said, still, by in (
            ("en", "Refunded, then the payment was reversed: ₹1,000.00 to be repaid by {day}.",
             "Still to pay: ₹1,000.00",
             "Refunded, then the payment was reversed: to be repaid by {day}"),
            ("hi", "राशि लौटाई गई, फिर भुगतान वापस लिया गया: ₹1,000.00 {day} तक चुकाना है।", "अभी चुकाना है: ₹1,000.00",
             "राशि लौटाई गई, फिर भुगतान वापस लिया गया: {day} तक चुकाना है")):
        day = format_date(due, "d MMM y", locale=lang)
        reader = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        for path in (f"/my/requisitions/{rid}", f"/requisitions/{rid}/receipt"):
            words = text(reader.get(path))
            assert said.format(day=day) in words and still in words, (lang, path, words)
            assert "Nothing is to pay" not in words and "इस अनुरोध पर कुछ नहीं चुकाना है" not in words, (lang, path)
        for path in ("/my/passbook", "/my/account"):
            assert by.format(day=day) in text(reader.get(path)), (lang, path)
    form = re.search(r'<form[^>]*id="payment".*?</form>',
                     warehouse.get(f"/my/requisitions/{rid}").get_data(as_text=True), re.S)
    assert form and 'value="1000.00"' in form.group(0) and 'value="advance"' not in form.group(0)
    repaid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                            json={"amount": "1000", "method": "cash", "reference": "CASH-7"})
    assert repaid.status_code == 201, repaid.get_json()
    words = text(artisan.get(f"/my/requisitions/{rid}"))
    assert "to be repaid" not in words and "Still to pay: ₹0.00" in words
    assert 'id="payment"' not in warehouse.get(f"/my/requisitions/{rid}").get_data(as_text=True)


def test_the_scheme_forms_as_shown_carry_the_login_s_csrf_token_and_save(apps, config):
    """The scheme forms are a macro of another template: the token must reach them (no 403 for a page's own form)."""
    admin = person(apps["requests"], config, "admin")
    for address, after in (("/admin/schemes/RMSS", None), ("/admin/schemes", {"code": "YSS", "valid_from": "2031-04-01",
                                                                             "valid_to": "2032-03-31"})):
        shown = admin.get(address).get_data(as_text=True)
        fields = posted(shown)
        assert fields.get("csrf_token") == admin.csrf, address
        if after:
            for name, value in dict(after, name="Yarn Supply Scheme", name_hi="धागा आपूर्ति योजना",
                                    subsidy_percent="10").items():
                fields[name] = value
        saved = admin.post(address, data=fields, headers={"Origin": REQUESTS})
        assert saved.status_code == 302, (address, text(saved))


@pytest.mark.parametrize("number", ["-5", "abc", "1e9"])
def test_the_scheme_form_refuses_far_too_long_texts_and_bad_numbers_with_a_400_page(apps, config, number):
    admin = person(apps["requests"], config, "admin")
    texts = ("code", "name", "name_hi", "crafts", "districts", "cap-0-category")
    numbers = ("subsidy_percent", "depot_charge_percent", "freight-plain", "cap-0-per_loom_per_month")
    form = {"csrf_token": admin.csrf, "valid_from": "2031-04-01", **dict.fromkeys(texts, "x" * 5000),
            **dict.fromkeys(numbers, number)}
    for address in ("/admin/schemes", "/admin/schemes/RMSS"):
        refused = admin.post(address, data=form, headers={"Origin": REQUESTS})
        assert refused.status_code == 400, (address, refused.get_data(as_text=True)[:300])
        assert "x" * 5000 in refused.get_data(as_text=True)  # what was typed comes back to be corrected


def test_a_scheme_whose_entitlement_row_has_a_bad_category_is_refused_by_field_not_with_a_500(apps, config):
    admin = person(apps["requests"], config, "admin", "en")
    caps = [{"category": "x" * 5000, "per_loom_per_month": "30"}, {"category": "yarn", "per_loom_per_month": "5"}]
    for method, path in (("post", "/api/v1/schemes"), ("patch", "/api/v1/schemes/RMSS")):
        body = {"code": "YSS", "name": "Yarn Supply Scheme", "name_hi": "धागा आपूर्ति योजना", "subsidy_percent": "10",
                "valid_from": "2031-04-01", "caps": caps} if method == "post" else {"caps": caps}
        refused = getattr(admin, method)(path, json=body, headers={"X-CSRF-Token": admin.csrf})
        assert refused.status_code == 400, refused.get_data(as_text=True)[:300]
        assert refused.get_json()["error"]["details"]["caps"]["0"]["category"], refused.get_json()


def test_the_claims_page_names_the_scheme_in_the_pages_language_beside_its_code(apps, config):
    """The claim an officer prints and sends said only "RMSS, December 2026" (and the year's "RMSS, financial year
    ..."), and the chooser listed codes: the scheme's name, in the page's language, is beside its code."""
    for lang, name in (("en", "Raw Material Supply Scheme"), ("hi", "कच्चा माल आपूर्ति योजना")):
        admin = person(apps["requests"], config, "admin", lang)
        page = admin.get("/admin/claims?scheme=RMSS&month=2026-01").get_data(as_text=True)
        heading = re.sub(r"\s+", " ", re.search(r"<h2>(.*?)</h2>", page, re.S).group(1))
        assert heading.startswith(f"{name} (RMSS), "), heading
        assert re.search(rf'<option value="RMSS" selected>{name} \(RMSS\)</option>', page), lang
        year = admin.get("/admin/claims?scheme=RMSS&year=2025-26").get_data(as_text=True)
        heading = re.sub(r"\s+", " ", re.search(r"<h2>(.*?)</h2>", year, re.S).group(1))
        assert heading.startswith(f"{name} (RMSS), "), heading


def test_a_dye_no_scheme_covers_is_not_priced_as_if_the_schemes_subsidy_took_from_it(apps, config):
    """Walk in Hindi on a phone: 1 kg of indigo dye, which no scheme covers, was priced with the line
    "योजना से मिली सब्सिडी (RMSS, 15%) ₹0.00" on its estimate, its page and its receipt, as if the scheme's 15% applied
    to it. Each now says no scheme covers it; a yarn within the entitlement still names the scheme and its 15%."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    rid = asks_for_dye(artisan)
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"amount": "100", "method": "upi", "reference": "UPI-DYE"})
    assert paid.status_code == 201
    said = {"en": ("Subsidy: no scheme covers these materials", "no scheme subsidises it",
                   "it subsidises none of these materials",
                   "Subsidy paid by the scheme (Raw Material Supply Scheme, 15%)"),
            "hi": ("सब्सिडी: इन सामग्रियों पर कोई योजना लागू नहीं", "किसी योजना से सब्सिडी नहीं",
                   "यह इनमें से किसी सामग्री पर सब्सिडी नहीं देती",
                   "योजना से मिली सब्सिडी (कच्चा माल आपूर्ति योजना, 15%)")}
    for lang, (none, line, receipt, scheme) in said.items():
        reader = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        for path in (f"/my/requisitions/{rid}", f"/requisitions/{rid}/receipt",
                     "/my/estimate?depot=VNS&qty-DYE-INDIGO=1"):
            words = text(reader.get(path))
            assert "15%" not in words and none in words and line in words, (lang, path)
        assert receipt in text(reader.get(f"/requisitions/{rid}/receipt")), lang
        yarn = text(reader.get("/my/estimate?depot=VNS&qty-YRN-COT-40=1"))  # within the entitlement: subsidised
        assert scheme in yarn and none not in yarn and line not in yarn, lang
    api = artisan.get(f"/api/v1/requisitions/{rid}").get_json()["pricing"]
    assert api["scheme"] == "RMSS" and api["subsidy_total"] == "0.00"  # the API says what it said


def test_a_request_with_nothing_paid_or_handed_over_offers_no_receipt_and_its_address_says_why(apps, config):
    """Walk in Hindi on a phone: the page of a request only sent (or waiting for stock) had a "रसीद" button opening a
    receipt of nothing: a price not charged and "अभी कुछ नहीं चुकाया गया।". It now appears once something is paid
    (or handed over); the receipt's address before that says there is none yet, in the reader's language."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "en")
    rid = asks_for_dye(artisan)
    none_yet = {"en": "There is no receipt for this request yet: nothing has been paid on it and nothing handed over.",
                "hi": "इस अनुरोध की अभी कोई रसीद नहीं है: इस पर न कुछ चुकाया गया है, न कुछ सौंपा गया है।"}

    def offered(reader) -> bool:
        return f"/requisitions/{rid}/receipt" in reader.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    for step in ("submitted", "approved"):
        for lang, said in none_yet.items():
            for role, claims in (("artisan", {"artisan_id": "ART-0001"}), ("warehouse", {"depot": "VNS"})):
                reader = person(apps["requests"], config, role, lang, **claims)
                assert not offered(reader), (step, lang, role)
                words = text(reader.get(f"/requisitions/{rid}/receipt"))
                assert said in words and "₹2,898.00" not in words, (step, lang, role)
        if step == "submitted":
            approved = admin.post(f"/api/v1/requisitions/{rid}/approve", headers={"X-CSRF-Token": admin.csrf})
            assert approved.status_code == 200, approved.get_json()
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"amount": "500", "method": "advance", "reference": "ADV-1"})
    assert paid.status_code == 201
    for lang in ("en", "hi"):
        reader = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        assert offered(reader), lang
        words = text(reader.get(f"/requisitions/{rid}/receipt"))
        assert "₹500.00" in words and none_yet[lang] not in words, lang
    assert artisan.get(f"/api/v1/requisitions/{rid}").status_code == 200  # the API answers as it did


def test_the_approval_card_and_the_approvals_event_carry_the_least_to_pay_before_hand_over(apps, config):
    """Walk in Hindi on a phone: the request's page and the estimate said the least the depot asks before handing
    over when credit cannot take it all, but the admin's approval card did not, nor did what tells the artisan of the
    approval, so they learnt it late. The card says it (the request page's figure, accounts.to_pay_first), and
    RequisitionApproved carries it (`pay_first`) for the notifier to tell."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "en")
    rid = asks_for_dye(artisan)  # ₹2,898.00
    card = {"en": "The depot will ask for at least ₹1,898.00 before handing this over: only the rest can go on the "
                  "artisan's credit.",
            "hi": "डिपो इसे सौंपने से पहले कम से कम ₹1,898.00 का भुगतान माँगेगा: बाकी ही कारीगर के उधार में "
                  "जा सकता है।"}
    assert "pay-first" not in admin.get("/admin/approvals").get_data(as_text=True)  # within ₹25,000 of credit
    put = admin.put("/api/v1/credit-terms", headers={"X-CSRF-Token": admin.csrf},
                    json={"artisan_id": "ART-0001", "credit_limit": "1000", "credit_days": 30, "advance_percent": "0"})
    assert put.status_code == 200, put.get_json()
    for lang, said in card.items():
        words = text(person(apps["requests"], config, "admin", lang).get("/admin/approvals"))
        assert said in words, lang
    assert "Pay at least ₹1,898.00 before" in text(artisan.get(f"/my/requisitions/{rid}"))  # the same figure
    approved = admin.post(f"/api/v1/requisitions/{rid}/approve", headers={"X-CSRF-Token": admin.csrf})
    assert approved.status_code == 200, approved.get_json()
    stored = apps["requests"].extensions["rawbank"].db.requisitions.find_one({"_id": rid})
    [event] = [decode_event(e) for e in stored["outbox"] if e["type"] == "RequisitionApproved"]
    assert event.data["pay_first"] == 1898_00 and event.data["payable_total"] == 2898_00
    assert "pay_first" not in approved.get_json()  # the API answers as it did


def test_a_scheme_saved_unchanged_from_its_page_keeps_its_version(apps, config):
    """The scheme's page sends every field back, as it shows them (percentages and caps as text, empty cap rows,
    crafts and districts as lists typed with commas): saved as it was, it wrote a new version and updated_at each
    time. Now nothing is written; a field changed on the same form still makes one version more."""
    admin = person(apps["requests"], config, "admin")
    db = apps["requests"].extensions["rawbank"].db

    def stored():
        return db.schemes.find_one({"_id": "schemes"})

    shown = admin.get("/admin/schemes/RMSS").get_data(as_text=True)
    fields = posted(shown)
    before = stored()
    saved = admin.post("/admin/schemes/RMSS", data=fields, headers={"Origin": REQUESTS})
    assert saved.status_code == 302, text(saved)
    assert stored() == before
    fields["name"] = "Raw Material Supply Scheme 2026"
    changed = admin.post("/admin/schemes/RMSS", data=fields,
                         headers={"Origin": REQUESTS})
    assert changed.status_code == 302, text(changed)
    after, was = stored()["schemes"]["RMSS"], before["schemes"]["RMSS"]
    assert (after["name"], after["version"]) == ("Raw Material Supply Scheme 2026", was["version"] + 1)


def boxes(page: str, name: str) -> dict[str, tuple[str, bool]]:
    """Each box `name` of a page: its value -> (the words beside it, whether it is ticked)."""
    box = rf'<input type="checkbox" name="{name}" value="([^"]*)"( checked)?>\s*<span>(.*?)</span></label>'
    found = re.findall(box, page, re.S)
    return {html.unescape(value): (" ".join(re.sub(r"<[^>]+>", "", html.unescape(words)).split()), bool(ticked))
            for value, ticked, words in found}


def test_an_admin_ticks_the_crafts_and_districts_a_scheme_covers_named_in_the_pages_language(apps, config):
    """They were typed, commas between, and 'Varansi' typed for Varanasi covered nobody: now they are ticked among
    the registered artisans' crafts and districts and the depots' districts, in Hindi on a Hindi page."""
    admin = person(apps["requests"], config, "admin")
    db = apps["requests"].extensions["rawbank"].db
    shown = admin.get("/admin/schemes/RMSS").get_data(as_text=True)
    assert boxes(shown, "district") == {"Bhadohi": ("भदोही", False), "Varanasi": ("वाराणसी", False)}
    assert boxes(shown, "craft") == {"Banarasi silk weaving": ("बनारसी रेशम बुनाई", False)}
    fields = posted(shown)
    fields.setlist("district", ["Varanasi", "Bhadohi"])
    fields.setlist("craft", ["Banarasi silk weaving"])
    saved = admin.post("/admin/schemes/RMSS", data=fields, headers={"Origin": REQUESTS})
    assert saved.status_code == 302, text(saved)
    covers = db.schemes.find_one({"_id": "schemes"})["schemes"]["RMSS"]["covers"]
    assert covers == {"crafts": ["Banarasi silk weaving"], "districts": ["Varanasi", "Bhadohi"]}
    shown = admin.get("/admin/schemes/RMSS").get_data(as_text=True)
    assert boxes(shown, "district") == {"Bhadohi": ("भदोही", True), "Varanasi": ("वाराणसी", True)}
    assert boxes(shown, "craft") == {"Banarasi silk weaving": ("बनारसी रेशम बुनाई", True)}


def test_the_old_comma_fields_still_save_and_a_name_nobody_has_stays_ticked(apps, config):
    """A client posting the form's old text fields (commas between) is still heard; a name stored that no artisan or
    depot has ('Varansi') stays on the form, ticked, so saving it again as shown changes nothing."""
    admin = person(apps["requests"], config, "admin", "en")
    db = apps["requests"].extensions["rawbank"].db
    fields = posted(admin.get("/admin/schemes/RMSS").get_data(as_text=True))
    fields["crafts"], fields["districts"] = "Banarasi silk weaving", "Varansi, varanasi ,"  # as the old form did
    saved = admin.post("/admin/schemes/RMSS", data=fields, headers={"Origin": REQUESTS})
    assert saved.status_code == 302, text(saved)

    def stored():
        return db.schemes.find_one({"_id": "schemes"})

    assert stored()["schemes"]["RMSS"]["covers"] == {"crafts": ["Banarasi silk weaving"],
                                                     "districts": ["Varansi", "varanasi"]}
    shown = admin.get("/admin/schemes/RMSS").get_data(as_text=True)
    assert boxes(shown, "district") == {"Varansi": ("Varansi (no artisan or depot has it)", True),
                                        "Bhadohi": ("Bhadohi", False), "varanasi": ("Varanasi", True)}
    before = stored()
    again = admin.post("/admin/schemes/RMSS", data=posted(shown), headers={"Origin": REQUESTS})
    assert again.status_code == 302, text(again)
    assert stored() == before


def covers_cell(page: str, code: str) -> str:
    """The words of a scheme's "Covers" cell on the schemes list."""
    row = re.search(rf'<tr data-scheme="{code}">(.*?)</tr>', page, re.S).group(1)
    cell = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell.split("<p")[0])).split())


def test_the_schemes_list_names_the_crafts_a_scheme_covers_in_the_pages_language(apps, config):
    """The list said a scheme's crafts in English on a Hindi page beside its districts in Hindi: now a craft an
    artisan gives a Hindi name (case and spacing aside) is said in Hindi there; one nobody has is said as typed."""
    db = apps["requests"].extensions["rawbank"].db
    db.schemes.update_one({"_id": "schemes"}, {"$set": {"schemes.RMSS.covers": {
        "crafts": ["banarasi  silk weaving", "Zari work"], "districts": ["Varanasi"]}}})
    hindi = person(apps["requests"], config, "admin").get("/admin/schemes").get_data(as_text=True)
    assert covers_cell(hindi, "RMSS") == "बनारसी रेशम बुनाई, Zari work, वाराणसी"
    english = person(apps["requests"], config, "admin", "en").get("/admin/schemes").get_data(as_text=True)
    assert covers_cell(english, "RMSS") == "banarasi silk weaving, Zari work, Varanasi"


def test_the_request_page_reads_the_account_and_the_terms_once_for_what_to_pay_first_and_why(apps, config):
    """The request's page said what to pay first (accounts.to_pay_first) and then why it is more than the request
    (the dues and the credit limit), reading the artisan's account and credit terms again for the second (3 reads
    of the account, 2 of the terms): now both come from one read of each. The figures are the ones the artisan
    adds up: dues ₹9,000.00 + this ₹2,898.00 - limit ₹1,000.00 = ₹10,898.00."""
    from services.requests import accounts, credit
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    admin = person(apps["requests"], config, "admin", "en")
    rid = asks_for_dye(artisan)  # ₹2,898.00
    put = admin.put("/api/v1/credit-terms", headers={"X-CSRF-Token": admin.csrf},
                    json={"artisan_id": "ART-0001", "credit_limit": "1000", "credit_days": 30, "advance_percent": "0"})
    assert put.status_code == 200, put.get_json()
    db = apps["requests"].extensions["rawbank"].db
    db.accounts.insert_one({"_id": "ART-0001", "balance": 9000_00, "version": 1, "entries": [], "paid": {}})
    reads = {"account": 0, "terms": 0}

    def counted(name, read):
        def call(*args, **kwargs):
            reads[name] += 1
            return read(*args, **kwargs)
        return call
    with mock.patch.object(accounts, "_account", counted("account", accounts._account)), \
            mock.patch.object(credit, "terms_for", counted("terms", credit.terms_for)):
        words = text(artisan.get(f"/my/requisitions/{rid}"))
    assert "Pay at least ₹10,898.00 before" in words
    assert "your dues on earlier requests, ₹9,000.00, and this request's ₹2,898.00 come to ₹11,898.00, and your " \
           "credit limit is ₹1,000.00" in words
    assert reads == {"account": 2, "terms": 1}  # the other account read: this request's payments (of_requisition)


def test_a_scheme_saved_while_another_admin_keeps_saving_is_the_busy_page_with_retry_after(config, monkeypatch):
    """Another admin saves the scheme book between each read of it and the write conditional on its version: the
    form showed "This record is very busy" as a form error with 400 and no Retry-After, though a busy record is a
    failure on our side (Outcome.ours), which the API answers 503 busy with Retry-After 1. The page is the app's page
    for that, 503 with Retry-After, in the reader's language; nothing is saved."""
    import mongomock
    read, racing = mongomock.collection.Collection.find_one, []

    def read_then_another_writes(self, filter=None, *args, **kwargs):
        found = read(self, filter, *args, **kwargs)
        if racing and self.name == "schemes" and filter == {"_id": "schemes"}:
            self.update_one({"_id": "schemes"}, {"$inc": {"version": 1}})  # the other admin's save
        return found
    client = connect("mongomock://money-busy-schemes")  # (which installs the store's own find_one)
    monkeypatch.setattr(mongomock.collection.Collection, "find_one", read_then_another_writes)
    runtime = Runtime(requests_service.spec(), config, client=client)
    requests_service.spec().seed(runtime.db, config)
    app = requests_service.create_app(config, runtime)
    for lang, title in (("en", "Not available just now"), ("hi", "अभी उपलब्ध नहीं")):
        admin = person(app, config, "admin", lang=lang)
        form = {"csrf_token": admin.csrf, "code": "YSS", "name": "Yarn Supply Scheme", "name_hi": "धागा आपूर्ति योजना",
                "subsidy_percent": "10", "valid_from": "2019-04-01", "valid_to": "2021-03-31",
                "cap-0-category": "cotton-hank-upto-40s", "cap-0-per_loom_per_month": "30"}
        racing.append(True)
        busy = admin.post("/admin/schemes", data=form, headers={"Origin": REQUESTS, "Accept": "text/html"})
        racing.clear()
        page = busy.get_data(as_text=True)
        assert busy.status_code == 503 and busy.headers.get("Retry-After") == "1", (busy.status_code, page[:300])
        assert f"<title>{title} · rawbank</title>" in page and f'<html lang="{lang}">' in page
        assert "YSS" not in text(admin.get("/admin/schemes"))


@pytest.mark.parametrize("fault,retry_after,said_en,said_hi", our_side_faults())
def test_the_price_when_the_store_fails_on_our_side_is_the_app_s_page_for_it_not_a_form_error(
        apps, config, monkeypatch, fault, retry_after, said_en, said_hi):
    """The store failing while the price is read (not answering, or an error of ours: busy, unavailable) was said on
    the estimate as a form error (400, as if the artisan had typed something wrong) whenever it came as one of our
    errors. It is the app's page for a failure on our side, 503 with Retry-After, in the reader's language; a depot
    requests does not know stays a form error."""
    unknown = person(apps["requests"], config, "artisan", lang="en", artisan_id="ART-0001") \
        .get("/my/estimate?depot=KNP&qty-YRN-COT-40=5")
    assert unknown.status_code == 200 and 'class="notice error"' in unknown.get_data(as_text=True)
    store_fails_reading(monkeypatch, "prices", fault)
    for lang, said in (("en", said_en), ("hi", said_hi)):
        artisan = person(apps["requests"], config, "artisan", lang=lang, artisan_id="ART-0001")
        is_our_side_page(artisan.get("/my/estimate?depot=VNS&qty-YRN-COT-40=10", headers={"Accept": "text/html"}),
                         lang, retry_after, said)


@pytest.mark.parametrize("fault,retry_after,said_en,said_hi", our_side_faults())
@pytest.mark.parametrize("path", ["/admin/claims?month=2026-11", "/admin/claims?year=2026-27"])
def test_a_claim_the_store_fails_to_read_on_our_side_is_the_app_s_page_for_it_not_a_form_error(
        apps, config, monkeypatch, path, fault, retry_after, said_en, said_hi):
    """The store failing while a month's or a year's claims are read (the requisitions they count) was said on the
    claims page as a form error, 400, whenever it came as one of our errors; it is the app's page for a failure on
    our side, 503 with Retry-After, in the reader's language. A month the scheme does not cover stays a form
    error."""
    refused = person(apps["requests"], config, "admin", lang="en").get("/admin/claims?month=2026-13")
    assert refused.status_code == 400 and 'class="notice error"' in refused.get_data(as_text=True)
    store_fails_reading(monkeypatch, "requisitions", fault)
    for lang, said in (("en", said_en), ("hi", said_hi)):
        admin = person(apps["requests"], config, "admin", lang=lang)
        is_our_side_page(admin.get(path, headers={"Accept": "text/html"}), lang, retry_after, said)
