"""Issue 18 through the inventory pages, each defect walked as warehouse staff and admins meet it (defects 3, 4, 7,
9 and 10), and what staff expect of a stock system: search, filters, paging, CSV, print and a stock card."""
from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shared.names import quantity as written
from tests.browser.checks import axe_findings, small_targets
from tests.browser.test_pages import reload_until
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
COTTON = "YRN-COT-40"


def api(user, service: str, method: str, path: str, body=None, *, ok: bool = True):
    """Call a service's API with the user's login cookie and CSRF token, as the pages' script does."""
    token = user.page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = user.context.request.fetch(user.url(service, "/api/v1" + path), method=method, data=body,
                                          headers={"X-CSRF-Token": token, "Idempotency-Key": uuid.uuid4().hex})
    if not ok:
        return response
    assert response.ok, (path, response.status, response.text())
    return response.json()


def ready_requisition(people, quantity: str = "3", depot: str = "VNS") -> str:
    """An artisan's request for cotton yarn, approved by an admin: set aside at the Varanasi depot (or `depot`)."""
    artisan = people("artisan").log_in()
    body = {"depot": depot, "lines": [{"sku": COTTON, "quantity": quantity}]}
    made = wait_until(lambda: (r := api(artisan, "requests", "POST", "/requisitions", body, ok=False)).ok and r.json(),
                      30, interval=0.5, message="requests to learn the catalog")
    admin = people("admin").log_in()
    api(admin, "requests", "POST", f"/requisitions/{made['id']}/approve", {})
    return made["id"]


def test_defect_7_dispatch_names_who_collects_and_prints_a_gate_pass(people):
    requisition = ready_requisition(people)
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/dispatch"))
    card = page.locator(f'[data-requisition="{requisition}"]')
    reload_until(page, lambda: card.count() > 0, message="the request to be set aside")
    expect(card.locator('[data-f="artisan"]')).to_contain_text("Ramesh Kumar")
    expect(card.locator('[data-f="artisan"]')).to_contain_text("ART-0001")
    expect(card.locator('[data-f="phone"]')).to_contain_text("+919800000001")
    expect(card.locator('[data-f="cooperative"]')).to_contain_text("Sarai Mohana Bunkar Sahkari Samiti")
    expect(card.locator('[data-line="YRN-COT-40"]')).to_contain_text("Approved: 3 kg")
    card.get_by_role("link", name="Hand-over slip").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hand-over slip")
    slip = page.locator("#slip")
    for text in ("Ramesh Kumar", "+919800000001", "Sarai Mohana Bunkar Sahkari Samiti", requisition,
                 "Cotton yarn 40s", "SRM-2411-07", "3 kg", "Handed over by", "Received by", "Checked at the gate by"):
        expect(slip).to_contain_text(text)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    warehouse.shot("hand-over-slip")

    warehouse.language("hi")
    page.reload()
    expect(slip).to_contain_text("सराय मोहना बुनकर सहकारी समिति")
    expect(slip).to_contain_text("सौंपने वाले")


def test_defect_10_feedback_names_material_unit_and_depot_and_times_say_their_zone(people):
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    form.get_by_label("Material").select_option(COTTON)
    form.get_by_label("Quantity received").fill("12.5")
    form.get_by_label("Supplier (optional)").fill("Sri Ram")
    form.get_by_label("Delivery note or invoice number (optional)").fill("DN-77")
    with page.expect_response(lambda r: r.url.endswith("/movements") and r.request.method == "POST") as answer:
        form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_have_text(
        re.compile(r"Saved: 12\.5 kg of Cotton yarn 40s received\. Available now at Varanasi depot: [\d,.]+ kg"))
    available = answer.value.json()["stock"]["available"]  # the depot's figure the answer gives, as written
    expect(form.locator("[data-errors]")).to_contain_text(f"Varanasi depot: {written(available, 'kg', 'en')}.")

    page.goto(warehouse.url("inventory", "/warehouse/ledger"))
    row = page.locator("#ledger tbody tr").first
    expect(row.locator('[data-detail="supplier"]')).to_have_text("Supplier: Sri Ram")
    expect(row.locator('[data-detail="reference"]')).to_have_text("Reference: DN-77")
    when = row.locator("td").first.inner_text()
    assert when.endswith("IST"), when
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    first = next(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert first["at"].endswith("+00:00") and first["at_ist"].endswith("+05:30"), first
    assert first["at_ist"][11:16] in re.sub(r"(\d+):(\d\d) ([AP]M)", lambda m: _24h(m), when), (first, when)

    warehouse.language("hi")
    page.reload()
    when = page.locator("#ledger tbody tr td").first.inner_text()
    assert "भारतीय समय" in when and not re.search(r"\b[ap]m\b", when, re.I), when
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form.get_by_label("सामान").select_option(COTTON)
    form.get_by_label("प्राप्त मात्रा").fill("२")  # Devanagari digits, as typed on a Hindi keyboard
    form.get_by_role("button", name="प्राप्ति दर्ज करें").click()
    expect(form.locator("[data-errors]")).to_contain_text("2 किलो")


def _24h(match) -> str:
    hour = int(match.group(1)) % 12 + (12 if match.group(3) == "PM" else 0)
    return f"{hour:02d}:{match.group(2)}"


def test_a_receipt_says_its_figures_as_the_hindi_pages_write_them(people):
    """The saved message's quantity and the depot's new figure, a fraction and a thousands' group, in the page's
    language as the server writes figures (shared.names.quantity): '1,234.5 किलो'."""
    warehouse = people("warehouse").log_in()
    warehouse.language("hi")
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    form.locator('select[name="sku"]').select_option(COTTON)
    form.locator('input[name="quantity"]').fill("1234.5")
    with page.expect_response(lambda r: r.url.endswith("/movements") and r.request.method == "POST") as answer:
        form.locator('button[type="submit"]').click()
    said = form.locator("[data-errors]")
    expect(said).to_contain_text(written("1234.5", "kg", "hi"))
    available = answer.value.json()["stock"]["available"]
    assert "," in written(available, "kg", "hi")  # what it is about
    expect(said).to_contain_text(written(available, "kg", "hi"))


def test_defect_4_errors_name_the_field_what_is_wrong_and_what_is_available(people):
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    quantity = form.get_by_label("Quantity received")
    form.get_by_label("Material").select_option(COTTON)
    for typed, said in (("abc", "Quantity received: write a number, such as 12.5."),
                        ("-5", "Quantity received: must be more than 0.")):
        quantity.fill(typed)
        form.get_by_role("button", name="Record receipt").click()
        expect(quantity).to_have_attribute("aria-invalid", "true")
        expect(form.locator(".field-error")).to_have_text(said)
        expect(form.locator("[data-errors]")).to_have_text(  # said once, under the field
            "Check the marked field: what is wrong is written under it.")

    adjust = page.locator("#adjust")
    adjust.get_by_label("Material").select_option("DYE-INDIGO")
    adjust.get_by_label("Quantity", exact=True).fill("500")
    adjust.get_by_label("Reason (required)").select_option("damage")
    adjust.get_by_role("button", name="Record adjustment").click()
    expect(adjust.get_by_label("Quantity", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(adjust.get_by_label("Material")).not_to_have_attribute("aria-invalid", "true")
    expect(adjust.locator(".field-error")).to_contain_text(re.compile(r"Quantity: .*8 kg.*available.*500 kg"))

    warehouse.language("hi")
    page.reload()
    form.get_by_label("प्राप्त मात्रा").fill("abc")
    form.get_by_role("button", name="प्राप्ति दर्ज करें").click()
    expect(form.locator("#receive-sku-error")).to_have_text("सामान: इसे भरें।")
    expect(form.locator("#receive-quantity-error")).to_have_text("प्राप्त मात्रा: संख्या लिखें, जैसे 12.5।")


def test_defect_3_inventory_pages_speak_hindi_names_dates_and_their_own_validation(people):
    warehouse = people("warehouse").log_in()
    warehouse.language("hi")
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/stock"))
    expect(page.get_by_role("heading", level=1)).to_have_text("वाराणसी डिपो में स्टॉक")
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#transfer")
    assert form.evaluate("f => f.noValidate") is True  # no browser bubble in the browser's own language
    form.get_by_role("button", name="स्थानांतरण दर्ज करें").click()
    expect(form.locator(".field-error").first).to_contain_text("सामान")
    expect(form.get_by_label("किस डिपो को")).to_contain_text("भदोही डिपो")

    admin = people("admin").log_in()
    admin.language("hi")
    admin.page.goto(admin.url("inventory", "/admin/catalog"))
    depot = admin.page.locator("#add-depot")
    depot.get_by_label("कोड").fill("MZP")
    depot.get_by_label("अंग्रेज़ी में नाम").fill("Mirzapur depot")
    depot.get_by_label("हिन्दी में नाम").fill("मिर्ज़ापुर डिपो")
    depot.get_by_label("ज़िला", exact=True).fill("Mirzapur")
    depot.get_by_role("button", name="डिपो जोड़ें").click()
    expect(admin.page.locator('tr[data-depot="MZP"]')).to_contain_text("मिर्ज़ापुर डिपो")
    price = admin.page.locator('[data-sku="DYE-INDIGO"] form')
    admin.page.goto(admin.url("inventory", "/admin/prices"))
    price.locator("input[name=price]").fill("४५०")
    price.get_by_role("button").click()
    expect(admin.page.locator('[data-sku="DYE-INDIGO"] [data-f="price"]')).to_contain_text("₹450")


def test_defect_9_every_control_is_a_finger_wide_on_a_phone_and_no_page_misses_its_icon(people):
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.set_viewport_size({"width": 390, "height": 844})
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    for path in ("/warehouse/stock", "/warehouse/movements", "/warehouse/dispatch", "/warehouse/ledger",
                 "/warehouse/lots", "/warehouse/counts"):
        page.goto(warehouse.url("inventory", path))
        page.wait_for_load_state("networkidle")
        assert small_targets(page) == [], path
    assert missing == [], missing
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert warehouse.context.request.get(warehouse.url("inventory", icon)).ok


def test_staff_find_filter_page_export_and_print_stock_and_open_a_materials_stock_card(people):
    requisition = ready_requisition(people, "2")
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/stock"))
    page.get_by_label("Search").fill("silk")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#stock-table tbody tr")).to_have_count(1)
    expect(page.locator("#stock-table")).to_contain_text("Mulberry silk yarn")
    page.get_by_label("Search").fill("")
    page.get_by_label("Category").select_option("dye")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#stock-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [(r["depot"], r["sku"], r["unit"]) for r in rows] == [("VNS", "DYE-INDIGO", "kg")], rows

    page.goto(warehouse.url("inventory", "/warehouse/stock"))
    page.get_by_role("link", name="Cotton yarn 40s").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cotton yarn 40s")
    reload_until(page, lambda: page.locator(f'#holds [data-requisition="{requisition}"]').count() > 0,
                 message="the hold to show on the stock card")
    expect(page.locator("#figures")).to_contain_text("Set aside")
    expect(page.locator("#lots")).to_contain_text("SRM-2411-07")
    expect(page.locator("#holds")).to_contain_text("Ramesh Kumar")
    expect(page.locator("#movements tbody tr").first).to_be_visible()
    expect(page.locator("#waitlist")).to_be_visible()
    warehouse.shot("stock-card")


def test_the_ledger_is_searched_filtered_by_dates_and_paged_without_a_silent_cap(people):
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/ledger"))
    for n in range(55):
        api(warehouse, "inventory", "POST", "/movements",
            {"type": "receipt", "sku": "YRN-SLK-MUL", "depot": "VNS", "quantity": "1", "reference": f"BATCH-{n}"})
    page.reload()
    expect(page.locator("#ledger tbody tr")).to_have_count(50)
    expect(page.locator(".pager")).to_contain_text("Page 1 of 2")
    page.locator(".pager").get_by_role("link", name="Next").click()
    expect(page.locator(".pager")).to_contain_text("Page 2 of 2")
    assert "page=2" in page.url
    page.get_by_label("Search").fill("BATCH-7")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#ledger tbody tr")).to_have_count(1)
    page.get_by_label("Search").fill("")
    page.get_by_label("To", exact=True).fill((date.today() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#ledger tbody tr")).to_have_count(0)
    expect(page.get_by_text("No movements match")).to_be_visible()


def test_the_count_sheet_fits_a_phone_and_scrolls_its_table_alone(people):
    """On a 360 px phone the count sheet's six columns pushed the whole page 150 px to the side (menu, heading and
    Print button with it); the table now scrolls inside the page, as every other list does."""
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(warehouse.url("inventory", "/warehouse/counts"))
    count = api(warehouse, "inventory", "POST", "/counts", {"depot": "VNS"})
    warehouse.language("hi")
    page.goto(warehouse.url("inventory", f"/warehouse/counts/{count['count_id']}/sheet"))
    expect(page.locator("#count-sheet")).to_be_visible()
    sideways = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, f"the page is {sideways} px wider than the phone"
    print_button = page.locator("button[data-print]").bounding_box()
    assert print_button["x"] + print_button["width"] <= 360
    # a table that scrolls sideways can be reached and scrolled from the keyboard, and is named for a screen reader
    assert axe_findings(page) == []
    wrap = page.locator(".table-wrap:has(#count-sheet)")
    assert wrap.get_attribute("tabindex") == "0" and "तालिका" in wrap.get_attribute("aria-label")
    page.set_viewport_size({"width": 1280, "height": 800})  # wide enough: no extra stop for the Tab key
    expect(wrap).not_to_have_attribute("tabindex", "0")


def test_an_admin_watching_one_depots_board_sees_its_new_alerts_come_in_and_no_other_depots(people):
    """The board narrowed to a depot (?depot=BHD: a district officer's) never added a new alert: a stock-out there
    showed only after a reload. It follows that depot's stream now; another depot's alerts stay off it."""
    admin = people("admin").log_in()
    board = admin.page
    board.goto(admin.url("notifier", "/admin/alerts?depot=BHD"))
    expect(board.locator("#live.on")).to_be_visible()
    board.evaluate("window.rbStillTheSamePage = true")

    def silk() -> int:  # the version of Varanasi's open alert on mulberry silk yarn (0: none)
        found = api(admin, "notifier", "GET", "/alerts?depot=VNS&q=YRN-SLK-MUL")
        return max([a["version"] for a in found if a["sku"] == "YRN-SLK-MUL" and a["status"] != "resolved"] or [0])

    before = silk()
    left = api(admin, "inventory", "GET", "/stock/VNS/YRN-SLK-MUL")["available"]  # earlier steps received more
    api(admin, "inventory", "POST", "/movements", {"type": "adjustment", "sku": "YRN-SLK-MUL", "depot": "VNS",
                                                   "quantity": f"-{left}", "reason": "damage"})  # none left: an alert
    # stored before Bhadohi's moves at all (the broker's partitions need not keep the order the moves were made in):
    # a stream of every depot would send it first
    wait_until(lambda: silk() > before, 30, interval=0.5, message="the Varanasi alert to open or change")
    api(admin, "inventory", "POST", "/movements", {"type": "adjustment", "sku": "MTL-BRASS-SHEET", "depot": "BHD",
                                                   "quantity": "-45", "reason": "damage"})
    brass = board.locator(".alert-card", has_text="Brass sheet 22 gauge")
    expect(brass).to_be_visible(timeout=20_000)
    expect(brass).to_contain_text("Bhadohi")
    assert board.locator(".alert-card", has_text="Mulberry silk yarn").count() == 0
    assert board.evaluate("window.rbStillTheSamePage") is True


def test_a_price_far_from_todays_is_said_before_it_is_set_and_set_when_pressed_again(people):
    """A slip of a zero on the prices page went straight onto artisans' bills and the subsidy claims. A new price
    10 times today's or more, or a tenth of it or less, is now said in the page's language first and set only when the
    admin presses again with the same price; an ordinary change is set at once."""
    admin = people("admin").log_in()
    admin.language("hi")
    page = admin.page
    page.goto(admin.url("inventory", "/admin/prices"))
    card = page.locator('[data-sku="MTL-BRASS-SHEET"]')  # the demo's ₹650 a kg
    today, form = card.locator('[data-f="price"]'), card.locator("form")
    expect(today).to_contain_text("₹650")
    price, press, said = form.locator("input[name=price]"), form.get_by_role("button"), form.locator("[data-errors]")

    price.fill("6500")  # a slip of one zero: exactly 10 times (was set at once while only "over 10 times" was said)
    press.click()
    expect(said).to_contain_text("₹6,500.00 प्रति किलो आज के मूल्य ₹650.00 का 10 गुना या उससे ज़्यादा है")
    expect(price).to_have_attribute("aria-invalid", "true")
    page.reload()
    expect(today).to_contain_text("₹650")  # nothing was set
    assert "6,500" not in card.inner_text()
    price.fill("65")  # a zero lost: exactly a tenth
    press.click()
    expect(said).to_contain_text("दसवाँ हिस्सा या उससे भी कम")
    page.reload()
    expect(today).to_contain_text("₹650")

    price.fill("६")  # Devanagari digits, as typed on a Hindi keyboard
    press.click()
    expect(said).to_contain_text("दसवाँ हिस्सा या उससे भी कम")
    press.click()  # the same price again: set
    expect(today).to_contain_text("₹6.00")
    price.fill("7")  # an ordinary change: set at once
    press.click()
    expect(today).to_contain_text("₹7.00")
    price.fill("650")  # back to the demo's price: over 10 times ₹7, said, then set
    press.click()
    expect(said).to_contain_text("10 गुना या उससे ज़्यादा")
    press.click()
    expect(today).to_contain_text("₹650")


def test_staff_send_a_named_lot_to_another_depot_and_a_lot_it_does_not_have_is_said_at_its_field(people):
    """The transfer form had no lot: a transfer took the lot a hand-over would (here the big one, since it has
    enough), and a manager sending the short-dated lot to a depot that will use it first could not say so."""
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    soon = f"NEAR-{uuid.uuid4().hex[:6].upper()}"
    expires = (date.today() + timedelta(days=20)).isoformat()
    far = (date.today() + timedelta(days=3 * 365)).isoformat()  # a new lot of dye gives its date: the big one, far
    for lot, quantity in (({"code": soon, "expires_on": expires}, "2"),
                          ({"code": f"BIG-{soon}", "expires_on": far}, "9")):
        api(warehouse, "inventory", "POST", "/movements",
            {"type": "receipt", "sku": "DYE-INDIGO", "depot": "VNS", "quantity": quantity, "lot": lot})
    form = page.locator("#transfer")
    form.get_by_label("Material").select_option("DYE-INDIGO")
    form.get_by_label("To depot").select_option("BHD")
    form.get_by_label("Quantity").fill("2")
    form.get_by_label("Lot (optional)").fill("NO-SUCH-LOT")
    form.get_by_role("button", name="Record transfer").click()
    expect(form.get_by_label("Lot (optional)")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field-error")).to_contain_text("no lot NO-SUCH-LOT")
    form.get_by_label("Lot (optional)").fill(soon)
    form.get_by_role("button", name="Record transfer").click()
    expect(form).to_contain_text("sent to Bhadohi")
    there = api(warehouse, "inventory", "GET", "/stock/BHD/DYE-INDIGO")["lots"]
    assert [(x["lot"], x["on_hand"], x["expires_on"]) for x in there if x["lot"] == soon] == [(soon, "2", expires)]
    assert all(x["lot"] != soon for x in api(warehouse, "inventory", "GET", "/stock/VNS/DYE-INDIGO")["lots"])
