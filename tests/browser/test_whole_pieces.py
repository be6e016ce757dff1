"""A material counted in pieces takes whole numbers only: the receipt form (in English) and the artisan's request form
(in Hindi) say the refusal beside the quantity typed, and nothing is received or asked for."""
from __future__ import annotations

import urllib.error

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.browser.test_people_defects import api_call, in_english
from tests.browser.test_money import in_hindi
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PLANK = "WD-SHEESHAM-PLANK"


def test_half_a_plank_is_refused_beside_the_quantity_on_the_receipt_and_request_forms(people, dev):
    api_call(dev, "inventory", "/api/v1/materials", {"sku": PLANK, "name": "Sheesham plank", "name_hi": "शीशम तख़्ता",
                                                     "category": "wood", "unit": "piece", "reorder_level": "10"},
             user="admin")
    warehouse = in_english(people("warehouse").log_in())
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    form.get_by_label("Material").select_option(PLANK)
    quantity = form.get_by_label("Quantity received")
    quantity.fill("2.5")
    form.get_by_role("button", name="Record receipt").click()
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#receive-quantity-error")).to_have_text(
        "Quantity received: Sheesham plank is counted in whole pieces: 2.5 is not a whole number. Nothing was changed.")

    artisan = in_hindi(people("artisan"))  # logs in, then reads in Hindi
    page = artisan.page
    page.goto(artisan.url("requests", "/my/new"))
    row = page.locator(f'.material[data-sku="{PLANK}"]')
    reload_until(page, lambda: row.count() > 0, message=f"requests to learn {PLANK}")
    row.locator("input").fill("2.5")
    page.get_by_role("button", name="अनुरोध भेजें").click()
    expect(row.locator(".field-error")).to_contain_text(
        "शीशम तख़्ता पूरे नग में गिना जाता है: 2.5 पूर्ण संख्या नहीं है। कुछ नहीं बदला गया।")
    expect(page).to_have_url(artisan.url("requests", "/my/new"))


MANGO = "WD-MANGO-PLANK"


def planks_received(dev) -> str:
    """A secretary's request of 3 mango planks (counted in pieces) for ART-0001, approved, handed over and marked
    received: its id."""
    try:
        api_call(dev, "inventory", "/api/v1/materials", {"sku": MANGO, "name": "Mango plank", "name_hi": "आम तख़्ता",
                                                         "category": "wood", "unit": "piece", "reorder_level": "1"},
                 user="admin")
        api_call(dev, "inventory", f"/api/v1/materials/{MANGO}/prices", {"price": "350"}, user="admin")
    except urllib.error.HTTPError as exc:  # registered and priced by the test before
        assert exc.code == 409, exc.read()
    api_call(dev, "inventory", "/api/v1/movements", {"type": "receipt", "sku": MANGO, "depot": "VNS", "quantity": "10"})

    def tried(path, body, user):
        try:
            return api_call(dev, "requests", path, body, user=user)
        except urllib.error.HTTPError:  # requests has not learned the plank (or its price) yet
            return None
    made = wait_until(lambda: tried("/api/v1/requisitions", {"cooperative": "SMBSS", "depot": "VNS", "lines": [
        {"sku": MANGO, "quantity": "3", "artisan_id": "ART-0001"}]}, "secretary"), 30, interval=0.5,
        message="requests to learn the plank")
    rid = made["id"]
    wait_until(lambda: tried(f"/api/v1/requisitions/{rid}/approve", {}, "admin"), 30, interval=0.5,
               message="requests to learn the plank's price")
    wait_until(lambda: tried(f"/api/v1/requisitions/{rid}/dispatch", {}, "warehouse"), 30, interval=0.5,
               message="the planks to be set aside and handed over")
    api_call(dev, "requests", f"/api/v1/requisitions/{rid}/receive", {}, user="secretary")
    return rid


def test_half_a_plank_received_is_refused_under_the_field_at_the_counter_and_in_the_settlement(people, dev):
    """What a member received of a share of planks took half a plank (and a material named twice, the last of them):
    the depot's counter form (in English) and the admin's settlement of a dispute (in Hindi) now say the refusal
    under the plank's field, and nothing is recorded or settled."""
    rid = planks_received(dev)
    depot = in_english(people("warehouse").log_in())
    page = depot.page
    page.goto(depot.url("requests", f"/my/requisitions/{rid}"))
    counter = page.locator('[data-at-depot="ART-0001"]')
    counter.get_by_text("The member is at the counter").click()
    planks = counter.locator("#depot-ART-0001-1")
    expect(counter.locator('label[for="depot-ART-0001-1"]')).to_contain_text("Mango plank")
    planks.fill("2.5")
    counter.get_by_role("button", name="Record what the member says").click()
    expect(planks).to_have_attribute("aria-invalid", "true")
    expect(counter.locator("#depot-ART-0001-1-error")).to_have_text(
        "Mango plank is counted in whole pieces: 2.5 is not a whole number. Nothing was changed.")
    page.reload()
    expect(page.locator('[data-shares] tr[data-member="ART-0001"] [data-f="confirmation"]')).to_have_text(
        "Waiting for the member")  # nothing recorded
    api_call(dev, "requests", f"/api/v1/requisitions/{rid}/shares/ART-0001/received", {}, user="warehouse")
    api_call(dev, "requests", f"/api/v1/requisitions/{rid}/shares/ART-0001/dispute",
             {"note": "I got 2 planks and a broken half"}, user="artisan")

    admin = in_hindi(people("admin"))
    page = admin.page
    page.goto(admin.url("requests", f"/my/requisitions/{rid}"))
    settling = page.locator('[data-settle="ART-0001"]')
    settling.locator("summary").click()
    upheld = settling.locator("form[data-settle-upheld]")
    upheld.locator("#settle-ART-0001-1").fill("2.5")
    upheld.locator("textarea[name=note]").fill("आधा तख़्ता टूटा था")
    upheld.locator("button[type=submit]").click()
    expect(upheld.locator("#settle-ART-0001-1")).to_have_attribute("aria-invalid", "true")
    expect(upheld.locator("#settle-ART-0001-1-error")).to_have_text(
        "आम तख़्ता पूरे नग में गिना जाता है: 2.5 पूर्ण संख्या नहीं है। कुछ नहीं बदला गया।")
    page.reload()
    expect(page.locator("[data-settled]")).to_have_count(0)  # nothing settled


def test_a_member_saying_they_received_half_a_plank_is_refused_under_the_field(people, dev):
    """The member's own "I received less" of a share of planks took half a plank: the refusal is said under the
    field, in Hindi, and their share still waits for their answer."""
    rid = planks_received(dev)
    member = in_hindi(people("artisan"))
    page = member.page
    page.goto(member.url("requests", f"/my/requisitions/{rid}"))
    received = page.locator("#confirm-share #received")
    received.fill("2.5")
    received.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(received).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#received-error")).to_contain_text(
        "आम तख़्ता पूरे नग में गिना जाता है: 2.5 पूर्ण संख्या नहीं है। कुछ नहीं बदला गया।")
    page.reload()
    expect(page.locator("#confirm-share")).to_be_visible()  # still waits for their answer


def test_half_a_plank_coming_back_is_refused_under_the_planks_field_on_the_return_form(people, dev):
    """Half a plank taken back from a member was refused (422 whole_units_only) but said in the form's notice, away
    from the plank's field; it is said under that field now, and no return is recorded."""
    rid = planks_received(dev)
    depot = in_english(people("warehouse").log_in())
    page = depot.page
    page.goto(depot.url("requests", f"/my/requisitions/{rid}"))
    form = page.locator("#return")
    form.locator("#return-member").select_option("ART-0001")
    planks = form.get_by_label("Mango plank: how much came back", exact=False)
    planks.fill("0.5")
    form.get_by_label("Why it came back", exact=False).fill("one too many")
    form.locator("details.confirm summary").click()
    form.locator("details.confirm button[type=submit]").click()
    expect(planks).to_have_attribute("aria-invalid", "true")
    expect(form.locator(f"#{planks.get_attribute('id')}-error")).to_have_text(
        "Mango plank is counted in whole pieces: 0.5 is not a whole number. Nothing was changed.")
    page.reload()
    expect(page.locator("[data-returns] tr[data-return]")).to_have_count(0)  # refused: nothing recorded
