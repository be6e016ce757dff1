"""Hand over on a 390 px phone, then the gate pass: after Hand over the clerk got a badge and a greyed button, and the
slip, which the guard at the depot gate asks for after the hand-over, was refused ("already handed over"). Now a notice
says to whom it went with a link to the gate pass, which is printed from the hand-over's records, as a copy after its
first printing; without script the button is a form that comes back to the page saying the same."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_alert_board_without_script import WithoutScript
from tests.browser.test_pages import reload_until
from tests.browser.test_staff_defects import ready_requisition
from tests.browser.test_walk_clerk_day import LINES_OF_TEXT
from tests.conftest import wait_until
from shared.names import ref

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 390, "height": 844}
COTTON, LOT = "YRN-COT-40", "SRM-2411-07"


def on_screen(locator) -> bool:
    """Whether all of the element is in the viewport, nothing to scroll to read it."""
    box, height = locator.bounding_box(), locator.page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5  # a part of a pixel


def ready_card(user, requisition: str):
    page = user.page
    page.goto(user.url("inventory", "/warehouse/dispatch"))
    card = page.locator(f'[data-requisition="{requisition}"]')
    reload_until(page, lambda: card.count() > 0, message="the request to be set aside")
    return card


def gate_pass_of(page, requisition: str, says: str) -> None:
    """The gate pass opened from the notice: handed over, from the lot its hand-over took, on one phone's width."""
    expect(page).to_have_url(re.compile(rf"/warehouse/dispatch/{requisition}/slip"))
    expect(page.locator("#handed-over")).to_contain_text(says, timeout=20_000)  # after a moment's wait, if any
    line = page.locator(f'#slip-lines [data-line="{COTTON}"]')
    expect(line).to_contain_text(LOT)
    expect(line.locator("[data-left]")).to_contain_text("3")
    assert line.evaluate(LINES_OF_TEXT, LOT) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wrap = page.locator("#slip-lines").locator("xpath=..")  # the table whole on the screen, as on the paper
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1"), wrap.evaluate("w => [w.scrollWidth,"
                                                                                    " w.clientWidth]")


def test_hand_over_on_a_phone_says_to_whom_and_opens_the_gate_pass_then_a_copy(people):
    requisition = ready_requisition(people)
    warehouse = people("warehouse").log_in()
    warehouse.page.set_viewport_size(PHONE)
    page, card = warehouse.page, ready_card(warehouse, requisition)
    notice = card.locator("[data-handed]")
    expect(notice).to_be_hidden()
    card.get_by_role("button", name=f"Hand over, {ref(requisition)}", exact=True).click()
    expect(card.locator("[data-done]")).to_have_text("Handed over")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"Request {ref(requisition)} is handed over to Ramesh Kumar (ART-0001).")
    link = notice.get_by_role("link", name="Print the gate pass")
    expect(link).to_be_visible()
    assert on_screen(notice), notice.bounding_box()  # the whole notice, its link too, without scrolling
    warehouse.shot("handed-over-phone")
    link.click()
    gate_pass_of(page, requisition, "Handed over on")
    expect(page.locator("[data-copy]")).to_have_count(0)
    warehouse.shot("gate-pass-phone")
    assert first_printed(warehouse, requisition) is None  # opened to look (or prefetched): not printed
    page.reload()
    expect(page.locator("[data-copy]")).to_have_count(0)
    printing(page)
    page.get_by_role("button", name="Print", exact=True).click()  # the first printing, recorded, then printed
    wait_until(lambda: page.evaluate("window.printed") == 1, message="the browser's print to open")
    first = first_printed(warehouse, requisition)
    assert first and first["by"] == "warehouse", first
    expect(page.locator("[data-copy]")).to_have_count(0)  # the paper that came out is no copy
    page.goto(warehouse.url("inventory", f"/warehouse/dispatch/{requisition}/slip"))  # printed again later
    expect(page.locator("#handed-over [data-copy]")).to_have_text("Copy")
    expect(page.locator("#handed-over")).to_contain_text("This gate pass was first printed on")
    expect(page.locator("#handed-over")).to_contain_text(re.compile(r"first printed on .+ by .*warehouse"))
    printing(page)
    page.get_by_role("button", name="Print", exact=True).click()  # a copy: printed as it stands, the first kept
    wait_until(lambda: page.evaluate("window.printed") == 1, message="the browser's print to open")
    assert first_printed(warehouse, requisition) == first


def printing(page) -> None:
    """The browser's print dialog counted instead of opened (headless it shows nothing to press)."""
    page.evaluate("() => { window.printed = 0; window.print = function () { window.printed += 1; }; }")


def first_printed(user, requisition: str):
    """The gate pass's first printing as its API says it (the login's cookie: a read needs no CSRF token)."""
    answer = user.page.request.get(user.url("inventory", f"/api/v1/reservations/{requisition}/gate-pass"))
    assert answer.ok, answer.text()
    return answer.json()["first_printed"]


def test_hand_over_without_script_comes_back_to_a_notice_with_the_gate_pass_in_hindi(browser, dev, people):
    requisition = ready_requisition(people)
    clerk = WithoutScript(browser, dev, "warehouse")
    try:
        clerk.log_in().language("hi")
        clerk.page.set_viewport_size(PHONE)
        page, card = clerk.page, ready_card(clerk, requisition)
        card.get_by_role("button", name=f"सौंपें, {ref(requisition)}", exact=True).click()
        page.wait_for_url(re.compile(rf"/warehouse/dispatch\?handed={requisition}"))
        notice = page.locator("#handed-over")
        expect(notice).to_contain_text(f"अनुरोध {ref(requisition)} रमेश कुमार (ART-0001) को सौंप दिया गया।")
        assert on_screen(notice), notice.bounding_box()
        expect(page.locator(f'[data-requisition="{requisition}"]')).to_have_count(0)
        notice.get_by_role("link", name="गेट पास छापें").click()
        gate_pass_of(page, requisition, "को")  # without script the waiting page reloads itself (Refresh)
        expect(page.locator("#handed-over")).not_to_contain_text("Handed over")
        page.get_by_role("button", name="प्रिंट करें", exact=True).click()  # without script: a form, recorded
        expect(page.locator("#printing-recorded")).to_contain_text("पहली छपाई के रूप में दर्ज")
        gate_pass_of(page, requisition, "को")
        expect(page.locator("[data-copy]")).to_have_count(0)
        page.goto(clerk.url("inventory", f"/warehouse/dispatch/{requisition}/slip"))
        expect(page.locator("#handed-over [data-copy]")).to_have_text("प्रति")
    finally:
        clerk.close()


def test_another_depots_staff_following_its_gate_pass_link_are_told_whose_it_is_in_hindi(people):
    """A link to another depot's slip said it did not exist (404) while its API said 403: Varanasi's staff are told,
    in Hindi, that it is Bhadohi's, to ask that depot for it, and its link leads back to their own hand-overs."""
    requisition = ready_requisition(people, depot="BHD")
    warehouse = people("warehouse").log_in()
    warehouse.language("hi")
    page, slip = warehouse.page, warehouse.url("inventory", f"/warehouse/dispatch/{requisition}/slip")
    page.goto(slip)  # not found until inventory holds the request at Bhadohi
    reload_until(page, lambda: page.get_by_role("heading", level=1).inner_text() == "अनुमति नहीं",
                 message="inventory to hold the request at Bhadohi")
    assert page.goto(slip).status == 403
    said = page.locator(".card p").first
    expect(said).to_contain_text(f"अनुरोध {ref(requisition)} की सौंपने की पर्ची दूसरे डिपो, भदोही डिपो, की है")
    expect(said).to_contain_text("भदोही डिपो से पूछें, या अपने डिपो, वाराणसी डिपो, में सौंपने के काम पर लौटें।")
    expect(page.locator("#slip-lines")).to_have_count(0)
    warehouse.shot("gate-pass-other-depot")
    page.get_by_role("link", name="वाराणसी डिपो में सौंपने के काम पर लौटें").click()
    expect(page).to_have_url(re.compile(r"/warehouse/dispatch$"))
