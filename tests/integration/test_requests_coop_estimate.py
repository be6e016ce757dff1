"""A secretary sees what a request for members would cost each member before sending it: the Estimate button of the
request-for-members page (no script needed), and the estimate answer's quota rows and per-member prices."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from shared import names
from shared.auth import COOKIE, csrf_token
from shared.calendar import add_days, month_bounds, month_of
from tests.browser.english import english_in
from tests.integration.test_requests_coop_support import COOP, coop  # noqa: F401  (fixture)
from tests.integration.test_requests_money_support import COTTON
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)


def page_of(coop, lang="en"):
    """The secretary's browser: their login cookie, its CSRF token, the page's language."""
    browser = coop.client.app.test_client()
    login = coop.secretary["Authorization"].split()[1]
    browser.set_cookie(COOKIE, login)
    browser.set_cookie("rawbank_lang", lang)
    browser.csrf = csrf_token(coop.client.app.config["RAWBANK"].jwt_secret, login)
    return browser


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def cell(html: str, member: str, field: str) -> str:
    """A figure of a member's row in the estimate's summary table."""
    row = re.search(rf'<tr data-member-estimate="{member}">(.*?)</tr>', html, re.S).group(1)
    return words(re.search(rf'data-f="{field}"[^>]*>(.*?)</td>', row, re.S).group(1)).strip()


def grid(browser, **cells):
    """The form as sent: depot VNS and the members' cotton quantities, e.g. ART_1="10"."""
    return {"csrf_token": browser.csrf, "depot": "VNS", "sku": COTTON,
            **{f"qty-{member.replace('_', '-')}-{COTTON}": quantity for member, quantity in cells.items()}}


def test_the_estimate_button_shows_each_members_price_subsidy_entitlement_and_quota_and_sends_nothing(coop):
    browser = page_of(coop)
    shown = browser.post("/coop/new", data={**grid(browser, ART_1="10", ART_2="35"), "estimate": "1"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200, words(html)[:800]
    assert coop.client.db.requisitions.count_documents({}) == 0  # an estimate stores nothing
    # 10 kg of 40s cotton at ₹245.50: ₹2,455.00, 15% subsidy ₹368.25, with freight and depot charge ₹2,172.68
    assert (cell(html, "ART-1", "value"), cell(html, "ART-1", "subsidy"), cell(html, "ART-1", "payable")) == \
        ("₹2,455.00", "₹368.25", "₹2,172.68")
    # 35 kg, over the 30 kg yarn quota: not priced, as submit refuses the whole request
    assert cell(html, "ART-2", "over") == "Not priced: over the monthly quota (said below)."
    member = words(re.search(r'<section[^>]*data-member-detail="ART-1".*?</section>', html, re.S).group(0))
    # the entitlement (subsidised cotton) and the monthly yarn quota: 30 kg each, 10 taken, 20 left after it
    assert "Subsidised this month" in member and "Monthly quota" in member
    assert member.count("30 kg 0 kg 30 kg 10 kg 20 kg") == 2, member
    over = words(re.search(r'<section[^>]*data-member-detail="ART-2".*?</section>', html, re.S).group(0))
    assert "Artisan ART-2 is over their monthly yarn quota: 30 kg is left until it renews on " in over
    assert "The whole request would be refused: lower their share to at most 30 kg now, or ask for the rest" in over
    assert "data-over-quota" in html and 'data-member-detail="ART-3"' not in html  # nobody asked nothing
    assert 'name="qty-ART-2-YRN-COT-40" inputmode="decimal" value="35"' in html  # the form is kept, to change
    assert "data-stock" in html and "What the depot has" in words(html)  # each material's total asked, and the depot


def test_after_the_estimate_the_same_form_sends_the_request(coop):
    browser = page_of(coop)
    shown = browser.post("/coop/new", data={**grid(browser, ART_1="10", ART_2="20"), "estimate": "1"})
    html = shown.get_data(as_text=True)
    assert "data-over-quota" not in html
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)
    sent = browser.post("/coop/new", data={**grid(browser, ART_1="10", ART_2="20"), "idempotency_key": key})
    assert sent.status_code == 302 and "/my/requisitions/" in sent.headers["Location"]
    [made] = list(coop.client.db.requisitions.find())
    assert [(s["artisan_id"], s["pricing"]["payable_total"]) for s in made["shares"]][0] == ("ART-1", 2172_68)


def test_the_estimate_is_in_hindi_and_a_bad_cell_or_an_empty_grid_is_said_not_estimated(coop):
    browser = page_of(coop, "hi")
    html = browser.post("/coop/new", data={**grid(browser, ART_1="10", ART_2="35"), "estimate": "1"}) \
        .get_data(as_text=True)
    shown = words(html)
    assert "हर सदस्य का अनुमान" in shown and "अपने मासिक धागा कोटे से ज़्यादा माँग रहे हैं" in shown
    section = re.search(r'<section id="coop-estimate".*?</table></div>\s*<p class="hint">[^<]*</p>\s*</section>', html,
                        re.S).group(0)
    readable = words(re.sub(r'<(\w+) [^>]*translate="no"[^>]*>.*?</\1>', " ", section, flags=re.S))  # names as typed
    assert "सभी सदस्य" in readable and "मासिक कोटा" in readable and "डिपो में क्या है" in readable
    assert english_in([readable]) == [] and english_in(["Freight and depot charge"])  # (it finds English)
    bad = browser.post("/coop/new", data={**grid(browser, ART_1="दस"), "estimate": "1"})
    assert bad.status_code == 400 and "data-member-estimate" not in bad.get_data(as_text=True)
    empty = browser.post("/coop/new", data={**grid(browser), "estimate": "1"})
    assert empty.status_code == 400 and "data-member-estimate" not in empty.get_data(as_text=True)
    assert coop.client.db.requisitions.count_documents({}) == 0


def test_the_estimate_answer_gives_each_members_quota_and_price_besides_the_combined_pricing(coop):
    client = coop.client
    body = {"depot": "VNS", "cooperative": COOP, "lines": [{"sku": COTTON, "quantity": "10", "artisan_id": "ART-1"},
                                                          {"sku": COTTON, "quantity": "35", "artisan_id": "ART-2"}]}
    found = client.call("POST", "/requisitions/estimate", coop.secretary, body, status=200).get_json()
    assert found["pricing"]["payable_total"]  # what was there stays
    assert [(s["artisan_id"], s["pricing"]["payable_total"]) for s in found["shares"]][0] == ("ART-1", "2172.68")
    assert [(q["artisan_id"], q["category"], q["cap"], q["left"], q["this_request"], q["left_after"], q["over"])
            for q in found["quotas"]] == [("ART-1", "yarn", "30", "30", "10", "20", False),
                                          ("ART-2", "yarn", "30", "30", "35", "0", True)]
    mine = client.call("POST", "/requisitions/estimate", client.artisan("ART-3"),
                       {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "4"}]}, status=200).get_json()
    assert [(q["category"], q["left"], q["this_request"], q["over"]) for q in mine["quotas"]] == \
        [("yarn", "30", "4", False)]


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_form_offers_the_estimate_button_in_both_languages(coop, lang):
    html = page_of(coop, lang).get("/coop/new").get_data(as_text=True)
    button = re.search(r'<button[^>]*name="estimate"[^>]*>(.*?)</button>', html, re.S)
    assert button and words(button.group(1)).strip() == {"en": "See the estimate", "hi": "अनुमान देखें"}[lang]


NEXT_MONTH = add_days(month_bounds(month_of(datetime.now(timezone.utc)))[1], 1)
OVER = {"en": ("Artisan ART-2 is over their monthly yarn quota: 30 kg is left until it renews on {day}, and this "
               "request asks for 35 kg.", "Not priced"),
        "hi": ("Artisan ART-2 अपने मासिक धागा कोटे से ज़्यादा माँग रहे हैं: {day} को कोटा फिर से मिलने तक 30 किलो "
               "बचा है", "मूल्य नहीं")}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_member_over_their_quota_is_not_priced_the_estimate_says_what_is_left_and_until_when(coop, lang):
    """ART-2's 35 kg (30 kg of yarn quota left) was priced in the secretary's estimate, though sending it is refused
    whole (quota_exceeded): now the estimate says, for that member by name, what is left and the day it renews, as the
    artisan's own price does; ART-1 within their quota is priced as before, and no total is given for a request that
    cannot be sent as it is."""
    browser = page_of(coop, lang)
    html = browser.post("/coop/new", data={**grid(browser, ART_1="10", ART_2="35"), "estimate": "1"}) \
        .get_data(as_text=True)
    said, not_priced = OVER[lang]
    day = names.day(NEXT_MONTH, lang)
    assert cell(html, "ART-1", "payable") == "₹2,172.68"  # within the quota: priced
    row = words(re.search(r'<tr data-member-estimate="ART-2">(.*?)</tr>', html, re.S).group(1))
    assert not_priced in row and "₹" not in row, row
    detail = re.search(r'<section[^>]*data-member-detail="ART-2".*?</section>', html, re.S).group(0)
    assert said.format(day=day) in words(detail), words(detail)
    assert "data-pricing" not in detail and "data-total" not in html  # no price for it, nor for the whole request
    within = re.search(r'<section[^>]*data-member-detail="ART-1".*?</section>', html, re.S).group(0)
    assert "data-pricing" in within and "data-over-quota" not in within
    body = {"depot": "VNS", "cooperative": COOP, "lines": [{"sku": COTTON, "quantity": "10", "artisan_id": "ART-1"},
                                                          {"sku": COTTON, "quantity": "35", "artisan_id": "ART-2"}]}
    refused = coop.client.call("POST", "/requisitions", coop.secretary, body, status=422).get_json()["error"]
    assert refused["code"] == "quota_exceeded"  # as the estimate says: the whole request is refused
