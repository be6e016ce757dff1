"""An artisan's month as they walk it: in Hindi on a 360x740 phone and in English at 1280x800 (what is at the depot,
the price of a request, sending it, following it to the hand-over, the account, the passbook, the notifications),
then what they read when the depot will not hand over before a payment and when the month's quota is used up; each
finding failed before its fix."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.browser.test_returns import token
from tests.conftest import wait_until
from tests.devserver import http

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
SCREENS = {"hi": {"width": 360, "height": 740}, "en": {"width": 1280, "height": 800}}
WORDS = {"hi": {"cotton": "सूती धागा 40s", "send": "अनुरोध भेजें", "sent": "भेजा गया", "ready": "डिपो में तैयार",
                "handed": "सौंप दिया गया", "got": "मुझे मिल गया", "received": "प्राप्त", "to_pay": "चुकाना है",
                "subsidy": "सब्सिडी", "freight": "भाड़ा", "depot_charge": "डिपो शुल्क", "charge": "शुल्क",
                "available": "उपलब्ध है"},
         "en": {"cotton": "Cotton yarn 40s", "send": "Send request", "sent": "Submitted", "ready": "Ready at depot",
                "handed": "Handed over", "got": "I have received it", "received": "Received", "to_pay": "To pay",
                "subsidy": "Subsidy", "freight": "Freight", "depot_charge": "Depot charge", "charge": "Charge",
                "available": "In stock"}}


def as_artisan(people, lang: str):
    """The artisan logged in, reading `lang` on their screen."""
    artisan = people("artisan").log_in()
    artisan.language(lang)
    artisan.page.set_viewport_size(SCREENS[lang])
    return artisan


def fits(page, lang: str):
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[lang]["width"], page.url


def moved(dev, rid: str, action: str, role: str, status: str):
    """`role` presses `action` on request `rid` through the API, once the request is `status` (events take a moment)."""
    api, key = dev.url("requests", "/api/v1"), token(dev, role)
    wait_until(lambda: http("GET", f"{api}/requisitions/{rid}", None, key)[1]["status"] == status, 30, interval=0.3,
               message=f"the request to be {status}")
    answer = http("POST", f"{api}/requisitions/{rid}/{action}", {}, key)
    assert answer[0] == 200, answer


def sent(dev, lines: list[dict]) -> str:
    """A request of the artisan's through the API (once requests knows the catalog)."""
    def made():
        status, body = http("POST", dev.url("requests", "/api/v1/requisitions"), {"depot": "VNS", "lines": lines},
                            token(dev, "artisan"))
        return body["id"] if status == 201 else None
    return wait_until(made, 30, interval=0.5, message="requests to learn the catalog")


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_an_artisans_month_from_the_depots_stock_to_the_passbook(people, dev, lang):
    words = WORDS[lang]
    artisan = as_artisan(people, lang)
    page = artisan.page
    page.goto(artisan.url("inventory", "/availability"))
    expect(page.locator("main")).to_contain_text(words["cotton"])
    expect(page.locator("main")).to_contain_text(words["available"])
    fits(page, lang)

    page.goto(artisan.url("requests", "/my/new"))
    page.locator(".material", has_text=words["cotton"]).locator("input").fill("3")
    estimate = page.locator("#estimate")
    for word in (words["to_pay"], words["subsidy"], words["freight"], words["depot_charge"], "₹"):
        expect(estimate).to_contain_text(word)
    fits(page, lang)
    artisan.shot(f"month-estimate-{SCREENS[lang]['width']}")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(re.compile(r"/my/requisitions/\w+$"))
    rid = page.url.rsplit("/", 1)[1]
    expect(page.locator("[data-done]")).to_have_text(words["sent"])
    expect(page.locator("#sent-now")).to_be_visible()
    fits(page, lang)

    moved(dev, rid, "approve", "admin", "submitted")
    reload_until(page, lambda: page.locator("[data-done]").inner_text() == words["ready"],
                 message="the cotton to be set aside")
    moved(dev, rid, "dispatch", "warehouse", "reserved")
    page.reload()
    expect(page.locator("[data-done]")).to_have_text(words["handed"])
    page.get_by_role("button", name=words["got"]).click()
    expect(page.locator("[data-done]")).to_have_text(words["received"])
    fits(page, lang)
    artisan.shot(f"month-received-{SCREENS[lang]['width']}")

    payable = page.locator('[data-f="due"]').inner_text()
    page.goto(artisan.url("requests", "/my/account"))
    owed = page.locator("table:not([data-entries]) tbody tr", has=page.locator(f'a[href$="/my/requisitions/{rid}"]'))
    expect(owed).to_contain_text(payable)  # what the request's page said is still to pay, due by its day
    charge = page.locator('[data-entries] tr[data-type="charge"]', has=page.locator(f'a[href$="{rid}"]'))
    expect(charge).to_have_count(1)
    fits(page, lang)
    page.goto(artisan.url("requests", "/my/passbook"))
    expect(page.locator("main")).to_contain_text(words["received"])
    fits(page, lang)
    page.goto(artisan.url("notifier", "/my/notifications"))
    expect(page.locator("main")).to_contain_text(rid[:8])
    fits(page, lang)


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_finding_3_the_account_reads_each_charge_with_its_subsidy_and_lists_no_subsidy_of_nothing(people, dev, lang):
    """On a 390 px phone the account listed "सब्सिडी ₹0.00" under the dye's charge (nothing was taken away), and the
    cotton's charge said its full price with the subsidy as a row of its own. Now a subsidy is listed only where there
    is one, set in beneath its charge with no line between them, and the charge says what is left to pay."""
    cotton = sent(dev, [{"sku": "YRN-COT-40", "quantity": "1"}])
    dye = sent(dev, [{"sku": "DYE-INDIGO", "quantity": "1"}])
    for rid in (cotton, dye):
        moved(dev, rid, "approve", "admin", "submitted")
        moved(dev, rid, "dispatch", "warehouse", "reserved")
    artisan = as_artisan(people, lang)
    page = artisan.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(artisan.url("requests", "/my/account"))
    entries = page.locator("[data-entries] tbody tr")
    of = {rid: entries.filter(has=page.locator(f'a[href$="/my/requisitions/{rid}"]')) for rid in (cotton, dye)}
    expect(of[dye]).to_have_count(1)  # its charge, and no "subsidy ₹0.00" beneath it
    expect(of[dye]).to_have_attribute("data-type", "charge")
    expect(of[cotton]).to_have_count(2)
    charge, subsidy = of[cotton].nth(0), of[cotton].nth(1)
    expect(charge).to_have_attribute("data-type", "charge")
    expect(subsidy).to_have_attribute("data-of", f"charge:{cotton}")
    said = re.compile(r"₹[\d,]+\.\d\d − (subsidy|सब्सिडी) ₹[\d,]+\.\d\d = ₹[\d,]+\.\d\d (to pay|चुकाना है)")
    expect(charge.locator("[data-to-pay]")).to_have_text(said)
    below, above = subsidy.bounding_box(), charge.bounding_box()
    assert abs(below["y"] - (above["y"] + above["height"])) < 2  # right beneath it
    assert charge.evaluate("r => getComputedStyle(r).borderBottomStyle") == "dashed"  # not the 2px line between
    fits_390 = page.evaluate("document.documentElement.scrollWidth")
    assert fits_390 <= 390, fits_390
    artisan.shot("month-account-390")


def test_finding_1_the_amount_to_pay_before_the_hand_over_is_reconciled_with_the_earlier_dues(people, dev):
    """A request of ₹2,172.68 set aside, and the page said "पहले कम से कम ₹10,766.68 चुकाएँ" above the words "आपका
    सामान तैयार है। डिपो से ले जाएँ।": more than the request's price, with nothing to say why, and "go and collect it"
    at the top. The account said "₹25,000 तक उधार; पहले कुछ चुकाना ज़रूरी नहीं" while the dues were over the limit.
    Now the page adds up the earlier dues, this request and the credit limit to the amount asked, links the account,
    and says at the top to pay first; the account says the dues are over the limit."""
    earlier = sent(dev, [{"sku": "DYE-INDIGO", "quantity": "1"}])
    moved(dev, earlier, "approve", "admin", "submitted")
    moved(dev, earlier, "dispatch", "warehouse", "reserved")
    rid = sent(dev, [{"sku": "DYE-INDIGO", "quantity": "1"}])
    moved(dev, rid, "approve", "admin", "submitted")
    wait_until(lambda: http("GET", dev.url("requests", f"/api/v1/requisitions/{rid}"), None,
                            token(dev, "admin"))[1]["status"] == "reserved", 30, interval=0.3, message="set aside")
    answer = http("PUT", dev.url("requests", "/api/v1/credit-terms"),
                  {"artisan_id": "ART-0001", "credit_limit": "100", "credit_days": 30}, token(dev, "admin"))
    assert answer[0] == 200, answer
    artisan = as_artisan(people, "hi")
    page = artisan.page
    account = http("GET", dev.url("requests", "/api/v1/artisans/ART-0001/account"), None, token(dev, "admin"))[1]
    dues = float(account["balance_due"])
    page.goto(artisan.url("requests", f"/my/requisitions/{rid}"))
    this = float(page.locator('[data-f="due"]').inner_text().replace("₹", "").replace(",", ""))
    asked = dues + this - 100

    def rupees(amount: float) -> str:
        whole, paise = f"{amount:.2f}".split(".")
        head, tail = whole[:-3], whole[-3:]
        groups = re.findall(r"\d{1,2}(?=(?:\d{2})*$)", head) if head else []
        return "₹" + ",".join([*groups, tail]) + "." + paise
    why = page.locator('[data-f="pay-first-why"]')
    for figure in (rupees(dues), rupees(this), rupees(dues + this), "₹100.00"):
        expect(why).to_contain_text(figure)
    expect(page.locator('[data-f="pay-first"]')).to_contain_text(rupees(asked))
    expect(why.get_by_role("link", name="मेरा खाता")).to_have_attribute("href", re.compile(r"/my/account$"))
    top = page.locator("[data-item] > p.notice.info").first
    expect(top).to_contain_text(f"पहले कम से कम {rupees(asked)}")
    fits(page, "hi")
    artisan.shot("month-pay-first-why")

    page.goto(artisan.url("requests", "/my/new"))  # the next request's price says it before it is sent
    page.locator(".material", has_text="प्राकृतिक नील रंग").locator("input").fill("1")
    expect(page.locator('#estimate [data-f="pay-first-why"]')).to_contain_text(rupees(dues + this))

    page.goto(artisan.url("requests", "/my/account"))
    expect(page.locator("[data-over-limit]")).to_contain_text(rupees(dues - 100))
    fits(page, "hi")


def test_finding_2_a_quota_used_up_says_from_when_to_ask_again_not_lower_the_quantity(people, dev):
    """With the month's yarn quota used up, 5 kg of cotton was refused with "इस महीने 0 किलो बचा है … मात्रा कम
    करें।" (lower the quantity): no quantity is low enough. It says the quota is used up and from which day to ask
    again, beside the box and under it before anything is typed."""
    artisan = as_artisan(people, "hi")
    page = artisan.page
    page.goto(artisan.url("requests", "/my/new"))
    left = page.locator(".material", has_text="सूती धागा 40s").get_attribute("data-left-raw")
    if int(left):
        sent(dev, [{"sku": "YRN-COT-40", "quantity": str(int(left) / 1000)}])
        page.reload()
    cotton = page.locator(".material", has_text="सूती धागा 40s")
    next_month = re.compile(r"1 (जन|फ़र|मार्च|अप्रैल|मई|जून|जुलाई|अग|सित|अक्टू|नव|दिस)\S* 20\d\d से")
    expect(cotton.locator("[id^=left-]")).to_contain_text(next_month)
    cotton.locator("input").fill("5")
    expect(page.locator("#estimate [data-over-quota]")).to_contain_text("इस महीने का धागा कोटा पूरा हो चुका है")
    expect(page.locator('#estimate [data-f="payable"]')).to_have_count(0)  # no price for what is refused
    page.get_by_role("button", name="अनुरोध भेजें").click()
    expect(page.locator("#new-request")).to_contain_text("इस महीने का धागा कोटा पूरा हो चुका है")
    text = page.locator("#new-request").inner_text()
    assert "मात्रा कम करें" not in text
    assert next_month.search(text)
    assert "/my/new" in page.url  # nothing was sent
    fits(page, "hi")
    artisan.shot("month-quota-used-up")
