"""The issue's 'Done when' through the pages, in Hindi: the price split at the entitlement before submitting,
approval, a UPI payment and dispatch at the depot with a receipt, an account with nothing due, the claim."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import menu, reload_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def in_hindi(user):
    user.log_in()
    user.language("hi")
    user.page.reload()
    expect(user.page.locator("html")).to_have_attribute("lang", "hi")
    return user


def ask_for_cotton(page, kg: str):
    """Type a quantity of 40s cotton on the new-request form; the price below follows it."""
    menu(page, "नया अनुरोध").click()
    reload_until(page, lambda: page.locator('.material[data-sku="YRN-COT-40"]').count() > 0,
                 message="requests to learn the catalog")
    page.locator('.material[data-sku="YRN-COT-40"] input').fill(kg)


def test_seventy_kg_with_ten_subsidised_already_through_the_pages_in_hindi(people):
    admin = in_hindi(people("admin"))
    menu(admin.page, "कोटा").click()  # the demo's yarn quota (60 kg for two looms) would refuse 80 kg this month
    quota = admin.page.locator("form", has=admin.page.get_by_role("button", name="कोटा सहेजें"))
    quota.get_by_label("श्रेणी").select_option("yarn")
    quota.get_by_label("मासिक सीमा").fill("50")
    quota.get_by_label("कारीगर के करघों की संख्या से गुणा करें").check()
    quota.get_by_role("button", name="कोटा सहेजें").click()
    quota.get_by_role("button", name="बदल दें").click()  # the page asks before it replaces the demo's quota
    expect(admin.page.locator('tr[data-quota="yarn@*"]')).to_contain_text("हर करघे पर महीने में 50")

    artisan = in_hindi(people("artisan"))
    page = artisan.page
    ask_for_cotton(page, "10")
    estimate = page.locator("#estimate")
    expect(estimate.locator('tr[data-part="scheme"]')).to_contain_text("10 किलो")
    page.get_by_role("button", name="अनुरोध भेजें").click()
    page.wait_for_url(re.compile(r"/my/requisitions/[0-9a-f]+$"))

    ask_for_cotton(page, "70")
    scheme_part, full_part = estimate.locator('tr[data-part="scheme"]'), estimate.locator('tr[data-part="full"]')
    expect(scheme_part).to_contain_text("मासिक हक के भीतर 15% सब्सिडी")
    expect(scheme_part).to_contain_text("50 किलो")
    expect(full_part).to_contain_text("पूरे मूल्य पर")
    expect(full_part).to_contain_text("20 किलो")
    expect(estimate.locator('[data-f="freight"]')).to_have_text("+₹257.78")
    expect(estimate.locator('[data-f="depot_charge"]')).to_have_text("+₹343.70")
    expect(estimate.locator('[data-f="payable"]')).to_have_text("₹15,945.23")
    expect(estimate.locator('[data-entitlements] tr[data-category="cotton-hank-upto-40s"] [data-f="left"]')) \
        .to_have_text("50 किलो")
    artisan.shot("new-request-priced")
    page.get_by_role("button", name="अनुरोध भेजें").click()
    page.wait_for_url(re.compile(r"/my/requisitions/[0-9a-f]+$"))
    requisition = page.url.rsplit("/", 1)[1]

    menu(admin.page, "स्वीकृतियाँ").click()
    card = admin.page.locator(f'[data-requisition="{requisition}"]')
    card.get_by_role("button", name="स्वीकृत करें").click()
    expect(card.locator("[data-done]")).to_have_text("स्वीकृत")

    warehouse = in_hindi(people("warehouse"))
    menu(warehouse.page, "सौंपें").click()
    ready = warehouse.page.locator(f'[data-requisition="{requisition}"]')
    reload_until(warehouse.page, lambda: ready.count() > 0, message="the request to be set aside at the depot")
    ready.get_by_role("link", name="अनुरोध का विवरण").click()
    detail = warehouse.page
    detail_url = detail.url
    expect(detail.locator('[data-f="due"]')).to_have_text("₹15,945.23")
    payment = detail.locator("#payment")
    expect(payment.get_by_label("राशि (₹)")).to_have_value("15945.23")
    payment.get_by_label("भुगतान का तरीका").select_option("upi")
    payment.get_by_label("रसीद या UPI संदर्भ").fill("UPI-412345678901")
    payment.get_by_role("button", name="भुगतान दर्ज करें").click()
    expect(detail.locator('[data-f="due"]')).to_have_text("₹0.00")
    expect(payment.locator("[data-errors]")).to_have_text("भुगतान दर्ज हो गया।")  # said after the page reloaded
    detail.get_by_role("button", name="सौंपें").click()
    expect(detail.locator(".badge[data-done]")).to_have_text("सौंप दिया गया")
    expect(detail.locator("#page-notice")).to_have_text("सौंप दिया गया")
    expect(payment.locator("[data-errors]")).to_have_text("")  # said once: not again at the next reload
    detail.get_by_role("link", name="रसीद").click()
    receipt = detail.locator("article.receipt")
    expect(receipt).to_contain_text("कच्चा माल आपूर्ति योजना")
    expect(receipt).to_contain_text("डिपो: वाराणसी डिपो")  # the depot by its name, not its code VNS
    expect(receipt.locator('[data-f="paid"]')).to_have_text("₹15,945.23")
    expect(receipt.locator('[data-f="due"]')).to_have_text("₹0.00")
    warehouse.shot("receipt")

    menu(page, "मेरा खाता").click()
    expect(page.locator('[data-f="balance_due"]')).to_have_text("₹0.00")
    expect(page.locator('[data-f="overdue"]')).to_have_text("₹0.00")
    expect(page.locator('[data-entries] tr[data-type="payment"]')).to_contain_text("UPI-412345678901")
    artisan.shot("account-paid")

    menu(admin.page, "सब्सिडी दावे").click()
    row = admin.page.locator('[data-claims] tr[data-district="Varanasi"]')
    expect(row.locator('[data-f="subsidy"]')).to_have_text("₹1,841.25")
    expect(row).to_contain_text("50 किलो")
    expect(admin.page.locator('svg.chart g[data-district="Varanasi"] rect.subsidy')).to_have_count(1)
    admin.shot("subsidy-claims")

    # The payment was typed wrong after all: an admin takes it back on the artisan's account, with the reason.
    menu(admin.page, "खाते").click()
    admin.page.locator('tr[data-artisan="ART-0001"] a').first.click()
    row = admin.page.locator('[data-entries] tr[data-type="payment"]', has_text="UPI-412345678901")
    row.get_by_text("यह भुगतान वापस लें").click()
    row.get_by_label("वापस लेने का कारण (कारीगर इसे देखेंगे)").fill("राशि गलत दर्ज हुई")
    row.get_by_role("button", name="भुगतान वापस लें").click()
    expect(admin.page.locator('[data-entries] tr[data-type="payment_reversal"]')).to_contain_text(
        "कारण: राशि गलत दर्ज हुई")
    expect(admin.page.locator("#page-notice")).to_have_text("भुगतान वापस लिया गया।")  # its form is gone with it
    expect(admin.page.locator('[data-f="balance_due"]')).to_have_text("₹15,945.23")
    expect(row).to_contain_text("वापस लिया गया")
    admin.shot("payment-reversed")
    page.reload()
    expect(page.locator('[data-f="balance_due"]')).to_have_text("₹15,945.23")

    # The artisan pays ₹16,000 for it at the counter as an advance: ₹54.77 over. The cashier hands the change back
    # and an admin records the refund on the account; the artisan sees it, in Hindi and in English.
    detail.goto(detail_url)
    payment = detail.locator("#payment")
    payment.get_by_label("राशि (₹)").fill("16000.00")
    payment.get_by_label("भुगतान का तरीका").select_option("advance")
    payment.get_by_label("रसीद या UPI संदर्भ").fill("RCPT-VNS-2")
    payment.get_by_label("राशि (₹)").fill("-5")  # it said "must not be less than 0", and at 0 the API refused
    payment.get_by_role("button", name="भुगतान दर्ज करें").click()
    expect(payment.locator(".field-error")).to_contain_text("राशि: 0 से अधिक होना चाहिए।")
    expect(payment.locator("[data-errors]")).to_have_text(  # said once: under the amount
        "निशान लगे खाने को देखें: क्या ग़लत है, यह उसके नीचे लिखा है।")
    payment.get_by_label("राशि (₹)").fill("16000.00")
    payment.get_by_role("button", name="भुगतान दर्ज करें").click()
    expect(detail.locator('[data-f="due"]')).to_have_text("₹0.00")
    admin.page.reload()
    refund = admin.page.locator("#refund")
    expect(refund.get_by_label("राशि (₹)")).to_have_value("54.77")
    refund.get_by_label("लौटाने का तरीका").select_option("cash")
    refund.get_by_label("वापसी वाउचर या UPI संदर्भ").fill("RF/VNS/1")
    refund.get_by_label("लौटाने का कारण (कारीगर इसे देखेंगे)").fill("अधिक भुगतान लौटाया")
    refund.get_by_label("राशि (₹)").fill("-5")  # it said "must not be less than 0", and at 0 the API refused
    refund.get_by_role("button", name="वापसी दर्ज करें").click()
    expect(refund.locator(".field-error")).to_contain_text("राशि: 0 से अधिक होना चाहिए।")
    refund.get_by_label("राशि (₹)").fill("1000")  # more than is to the credit: refused, its rupees as people read them
    refund.get_by_role("button", name="वापसी दर्ज करें").click()
    expect(refund.locator("[data-errors]")).to_contain_text("केवल ₹54.77 जमा है")
    expect(refund.locator("[data-errors]")).to_contain_text("₹1,000.00 से कम")
    refund.get_by_label("राशि (₹)").fill("54.77")
    refund.get_by_role("button", name="वापसी दर्ज करें").click()
    expect(admin.page.locator("#page-notice")).to_have_text("लौटाई गई राशि दर्ज हो गई।")
    refunded = admin.page.locator('[data-entries] tr[data-type="refund"]')
    expect(refunded).to_contain_text("लौटाई गई राशि")
    expect(refunded).to_contain_text("RF/VNS/1")
    expect(refunded).to_contain_text("कारण: अधिक भुगतान लौटाया")
    expect(refunded).to_contain_text("₹54.77")
    expect(admin.page.locator('[data-f="balance_due"]')).to_have_text("₹0.00")
    expect(admin.page.locator("#refund")).to_have_count(0)  # nothing is left to hand back
    admin.shot("credit-refunded")
    page.reload()
    expect(page.locator('[data-entries] tr[data-type="refund"]')).to_contain_text("कारण: अधिक भुगतान लौटाया")
    artisan.language("en")
    page.reload()
    expect(page.locator('[data-entries] tr[data-type="refund"]')).to_contain_text("Refund")
    expect(page.locator('[data-entries] tr[data-type="refund"]')).to_contain_text("Cash RF/VNS/1")

    # The ₹16,000 never reached the bank after all (the UPI transfer bounced): an admin reverses it. The ₹54.77 handed
    # back of it is now to be repaid by the day the artisan's credit gives; the account and the request say so.
    admin.page.reload()
    row = admin.page.locator('[data-entries] tr[data-type="payment"]', has_text="RCPT-VNS-2")
    row.get_by_text("यह भुगतान वापस लें").click()
    row.get_by_label("वापस लेने का कारण (कारीगर इसे देखेंगे)").fill("UPI लौट आया")
    row.get_by_role("button", name="भुगतान वापस लें").click()
    expect(admin.page.locator('[data-f="balance_due"]')).to_have_text("₹16,000.00")
    expect(admin.page.locator("[data-repay]").first).to_contain_text("राशि लौटाई गई, फिर भुगतान वापस लिया गया")
    expect(admin.page.locator("[data-repay]").first).to_contain_text("तक चुकाना है")
    admin.shot("refund-reversed-to-repay")
    detail.goto(detail_url)
    expect(detail.locator("[data-repay]")).to_contain_text("₹54.77")
    expect(detail.locator('[data-f="due"]')).to_have_text("₹16,000.00")
    page.reload()
    expect(page.locator("[data-repay]").first).to_contain_text(
        "Refunded, then the payment was reversed: to be repaid by")

    # Each time money moved the artisan was told (by SMS, and on their notifications page), in the page's language:
    # the UPI payment, its reversal, the advance, the refund of the change, and the advance's reversal.
    menu(page, "Notifications").click()
    cards = page.locator("[data-notification]")
    reload_until(page, lambda: cards.filter(has_text="Payment reversed").count() == 2,
                 message="the notifier to tell of both reversals")
    expect(cards.filter(has_text="Payment received")).to_contain_text("We received ₹15,945.23 by UPI for your request")
    expect(cards.filter(has_text="Advance received")).to_contain_text(
        "We received ₹16,000.00 as an advance for your request")
    expect(cards.filter(has_text="Money refunded")).to_contain_text("₹54.77 was refunded to you")
    expect(cards.filter(has_text="Payment reversed").first).to_contain_text("You now owe ₹16,000.00")
    artisan.shot("money-notifications")
    artisan.language("hi")
    page.reload()
    expect(cards.filter(has_text="अग्रिम मिला")).to_contain_text("₹16,000.00 अग्रिम के रूप में मिले")
    expect(cards.filter(has_text="राशि लौटाई गई")).to_contain_text("₹54.77 आपको लौटाए गए")
    artisan.shot("money-notifications")
