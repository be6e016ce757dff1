"""A walk in Hindi on a 360x740 phone as an artisan, the depot's warehouse staff and an admin over a month (request,
approval, hand-over, payment, return, notifications): each finding as it was seen; each test failed before its fix."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.browser.test_staff_defects import api, ready_requisition

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 360, "height": 740}


def on_phone(user, lang: str = "hi"):
    user.language(lang)
    user.page.set_viewport_size(PHONE)
    return user.page


def test_finding_3_a_hand_over_refused_for_the_credit_limit_leads_to_the_payment_form_from_its_card(people):
    """सौंपें refused: "… पहले कम से कम ₹… का भुगतान लें।", and the card had only the slip and सौंपें: the payment form
    was behind the card's fine print "अनुरोध का विवरण", far down another service's page."""
    requisition = ready_requisition(people, "3")
    admin = people("admin").log_in()
    api(admin, "requests", "PUT", "/credit-terms", {"artisan_id": "ART-0001", "credit_limit": "100", "credit_days": 30})
    warehouse = people("warehouse").log_in()
    page = on_phone(warehouse)
    page.goto(warehouse.url("inventory", "/warehouse/dispatch"))
    card = page.locator(f'[data-requisition="{requisition}"]')
    reload_until(page, lambda: card.count() > 0, message="the request to be set aside")
    card.get_by_role("button", name=re.compile("^सौंपें")).click()
    expect(card.locator("[data-errors]")).to_contain_text("उधार सीमा")
    card.get_by_role("link", name=re.compile("^भुगतान लें")).click()
    page.wait_for_url(re.compile(rf"/my/requisitions/{requisition}#payment$"))
    form = page.locator("form#payment")
    expect(form).to_be_in_viewport()
    expect(page.locator('[data-f="pay-first"]')).to_contain_text("सौंपने से पहले कम से कम")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    warehouse.shot("dispatch-refused-to-payment")
