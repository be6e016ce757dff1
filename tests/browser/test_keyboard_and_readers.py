"""A tester walking the warehouse and admin pages by keyboard and with a screen reader: each finding as it was met,
in both languages; each test failed before its fix."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from shared.calendar import add_days, today
from tests.browser.test_pages import reload_until
from tests.browser.test_staff_defects import api
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
COTTON, SILK = "YRN-COT-40", "YRN-SLK-MUL"


def new_order(admin) -> str:
    """A draft order of 10 kg of cotton yarn to Sri Ram Mills for the Varanasi depot; its number."""
    body = {"supplier": "SRM", "depot": "VNS", "expected_on": add_days(today(), 20),
            "lines": [{"sku": COTTON, "quantity": "10", "price": "300"}]}
    return api(admin, "inventory", "POST", "/purchase-orders", body)["purchase_order"]


def order_status(admin, number: str) -> str:
    return api(admin, "inventory", "GET", f"/purchase-orders/{number}")["status"]


def submitted_count(warehouse) -> str:
    """A count at Varanasi with 1 kg less cotton yarn than the books in its first cotton lot, handed in."""
    warehouse.page.goto(warehouse.url("inventory", "/warehouse/counts"))
    made = api(warehouse, "inventory", "POST", "/counts", {"depot": "VNS"})
    line = next(x for x in made["sheet"] if x["sku"] == COTTON)
    counted = str(float(line["book"]) - 1)
    api(warehouse, "inventory", "PUT", f"/counts/{made['count_id']}/lines",
        {"sku": COTTON, "lot": line["lot"], "counted": counted})
    api(warehouse, "inventory", "POST", f"/counts/{made['count_id']}/submit")
    return made["count_id"]


def test_finding_1_an_order_asks_before_it_is_sent_closed_or_cancelled_and_says_what_happened(people):
    """Enter on "Send to the supplier" sent the order at once and said "Saved."; now it asks in the page, "No" puts
    the keyboard back where it was, "Yes" sends it and the page says the order is sent. Close and cancel alike."""
    admin = people("admin").log_in()
    page = admin.page
    page.goto(admin.url("inventory", "/admin/purchase-orders"))
    number = new_order(admin)
    page.goto(admin.url("inventory", f"/admin/purchase-orders/{number}"))

    send = page.locator("summary", has_text="Send to the supplier")
    send.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Mark order {number} as sent to Sri Ram Spinning Mills?")).to_be_visible()
    expect(page.get_by_role("button", name="Yes, mark it as sent")).to_be_focused()
    assert order_status(admin, number) == "draft"  # nothing sent by the one key press
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "No, not yet"
    expect(send).to_be_focused()
    assert order_status(admin, number) == "draft"
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Yes, mark it as sent")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#page-notice")).to_have_text(f"Order {number}: marked as sent. rawbank does not send it: "
                                                      "print it or send it to the supplier yourself.")
    assert order_status(admin, number) == "sent"

    page.locator("summary", has_text="Close: cancel what has not come").click()
    expect(page.get_by_text(f"Close order {number}?")).to_be_visible()
    assert order_status(admin, number) == "sent"
    page.get_by_role("button", name="Yes, close it").click()
    expect(page.locator("#page-notice")).to_have_text(f"Order {number} is closed: what had not come is cancelled.")
    assert order_status(admin, number) == "closed"

    admin.language("hi")
    other = new_order(admin)
    page.goto(admin.url("inventory", f"/admin/purchase-orders/{other}"))
    page.locator("summary", has_text="ऑर्डर रद्द करें").click()
    expect(page.get_by_text(f"ऑर्डर {other} रद्द करें?")).to_be_visible()
    assert order_status(admin, other) == "draft"
    page.get_by_role("button", name="नहीं, ऑर्डर रखें").click()
    assert order_status(admin, other) == "draft"
    page.locator("summary", has_text="ऑर्डर रद्द करें").click()
    page.get_by_role("button", name="हाँ, ऑर्डर रद्द करें").click()
    expect(page.locator("#page-notice")).to_have_text(f"ऑर्डर {other} रद्द हो गया।")
    assert order_status(admin, other) == "cancelled"
    admin.shot("order-cancelled-said")


def test_finding_1_a_count_asks_before_it_corrects_the_books_and_says_how_many(people):
    """"Approve and correct the books" posted the corrections at one key press and said "सहेज लिया गया।"; now it asks
    first and says how many differences went to the books."""
    warehouse, admin = people("warehouse").log_in(), people("admin").log_in()
    count_id = submitted_count(warehouse)
    admin.language("hi")
    page = admin.page
    page.goto(admin.url("inventory", f"/warehouse/counts/{count_id}"))
    opener = page.locator("summary", has_text="स्वीकृत करें और खाता सुधारें")
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"गिनती {count_id} स्वीकृत करें और खाता सुधारें?")).to_be_visible()
    assert api(admin, "inventory", "GET", f"/counts/{count_id}")["status"] == "submitted"
    expect(page.get_by_role("button", name="हाँ, स्वीकृत करें और सुधारें")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#count-status")).to_have_text("स्वीकृत")
    expect(page.locator("#page-notice")).to_have_text(f"गिनती {count_id} स्वीकृत हो गई। खाता सुधारा गया: 1 अंतर।")
    admin.shot("count-approved-said")


def test_finding_2_each_count_row_and_lot_names_what_it_is_about_with_its_unit(people):
    """Every row's box was "Counted quantity" and every button "Save", with no unit, and two refused rows said the
    same words; the lots page had a column of "Return" and "Hold for inspection" naming no lot. Each names its
    material and lot now, the unit stands beside the box, and an error names its row."""
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/counts"))
    count_id = api(warehouse, "inventory", "POST", "/counts", {"depot": "VNS"})["count_id"]
    page.goto(warehouse.url("inventory", f"/warehouse/counts/{count_id}"))
    cotton = page.locator(f'#count-lines tr[data-sku="{COTTON}"][data-lot="SRM-2411-07"]')
    other = page.locator(f'#count-lines tbody tr:not([data-sku="{COTTON}"])').first
    expect(cotton.locator("input[name=counted]")).to_have_accessible_name(
        "Counted quantity, Cotton yarn 40s, lot SRM-2411-07")
    expect(cotton.locator("input[name=counted]")).to_have_accessible_description("kg")
    expect(cotton.locator(".unit")).to_have_text("kg")
    expect(cotton.locator("button")).to_have_accessible_name("Save, Cotton yarn 40s, lot SRM-2411-07")
    material, lot = other.locator("td").nth(0).inner_text(), other.get_attribute("data-lot")
    expect(other.locator("button")).to_have_accessible_name(f"Save, {material}, lot {lot}")
    cotton.locator("input[name=counted]").fill("lots")
    other.locator("input[name=counted]").fill("some")
    cotton.locator("button").click()
    expect(cotton.locator(".field-error")).to_have_text(
        "Counted quantity, Cotton yarn 40s, lot SRM-2411-07: write a number, such as 12.5.")
    expect(other.locator(".field-error")).to_have_text(
        f"Counted quantity, {material}, lot {lot}: write a number, such as 12.5.")

    warehouse.language("hi")
    page.goto(warehouse.url("inventory", "/warehouse/lots"))
    card = page.locator(f'#lots [data-sku="{COTTON}"][data-lot="SRM-2411-07"]')
    named = "सूती धागा 40s, लॉट SRM-2411-07"
    expect(card.get_by_role("button", name=f"जाँच के लिए रोकें, {named}")).to_be_visible()
    expect(card.get_by_role("button", name=f"लौटाएँ, {named}")).to_be_visible()
    box = card.get_by_role("textbox", name=f"आपूर्तिकर्ता को लौटाएँ, {named}")
    expect(box).to_have_accessible_description("किलो")
    expect(card.locator(".unit")).to_have_text("किलो")
    expect(card.get_by_role("textbox", name=f"क्यों, {named}")).to_be_visible()
    box.fill("x")
    card.get_by_role("textbox", name=f"क्यों, {named}").fill("गीला माल")  # a return says why: only the figure is wrong
    card.get_by_role("button", name=f"लौटाएँ, {named}").click()
    expect(card.locator(".field-error")).to_have_text(f"आपूर्तिकर्ता को लौटाएँ, {named}: संख्या लिखें, जैसे 12.5।")
    warehouse.shot("lots-named")


def test_finding_3_the_keyboard_stays_in_the_form_after_a_receipt_or_a_refusal_and_moves_on_after_resolve(people):
    """After "Record receipt" the focus was on <body> and the next Tab went to the Adjust stock form; a refusal of
    the whole form dropped it there too; "Resolve" took the card and the next Tab went to "Skip to content". Now a
    receipt puts the keyboard back on the form's first field (the next receipt), a refusal on its notice, and a
    resolved alert on the next alert, or the heading when none is left."""
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = page.locator("#receive")
    form.get_by_label("Material", exact=True).select_option("YRN-COT-2-40")
    form.get_by_label("Quantity received").fill("5")
    form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_contain_text("Saved")
    expect(form.get_by_label("Material", exact=True)).to_be_focused()  # the next receipt, at once
    page.keyboard.press("Tab")
    expect(form.get_by_label("Quantity received")).to_be_focused()

    number = new_order(admin)  # cotton only: indigo received against it is refused as a whole
    api(admin, "inventory", "POST", f"/purchase-orders/{number}/send")
    page.goto(warehouse.url("inventory", f"/warehouse/movements?purchase_order={number}"))
    form.get_by_label("Material", exact=True).select_option("DYE-INDIGO")
    form.get_by_label("Quantity received").fill("1")
    form.get_by_label("Expires on (dyes, chemicals)").fill(add_days(today(), 3 * 365))  # a dye's date is required
    form.get_by_role("button", name="Record receipt").click()
    expect(form.locator("[data-errors]")).to_contain_text(number)
    expect(form.locator("[data-errors]")).to_be_focused()

    for sku, quantity in (("DYE-INDIGO", "-7"), ("YRN-SLK-MUL", "-8")):  # each below its reorder level
        api(warehouse, "inventory", "POST", "/movements",
            {"type": "adjustment", "sku": sku, "depot": "VNS", "quantity": quantity, "reason": "damage"})
    board = admin.page
    board.goto(admin.url("notifier", "/admin/alerts?depot=VNS"))
    cards = board.locator(".alert-card")
    reload_until(board, lambda: cards.count() >= 2, message="two low-stock alerts")
    for left in range(cards.count(), 0, -1):
        first = cards.first
        title = first.locator('[data-f="title"]').inner_text()
        first.get_by_role("button", name="Resolve").click()
        expect(board.locator(".alert-card", has_text=title)).to_have_count(0)
        if left > 1:
            expect(cards.first).to_be_focused()  # the next alert, which moved up
        else:
            expect(board.get_by_role("heading", level=1)).to_be_focused()
    board.keyboard.press("Tab")
    assert board.evaluate("document.activeElement.textContent.trim()") != "Skip to content"


def test_finding_4_a_new_alert_is_announced_in_short_in_the_pages_language(people):
    """A new alert's card was added to #alerts, no live region, and #live only ever said "Live": a screen reader
    heard nothing. Now the new alert is said politely by its title, in the page's language, not its whole card."""
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    admin.language("hi")
    board = admin.page
    board.goto(admin.url("notifier", "/admin/alerts?depot=VNS"))
    expect(board.locator("#live-text")).to_have_text("लाइव")  # following the stream
    news = board.locator('[aria-live="polite"]#alert-news')
    expect(news).to_have_text("")
    expect(board.locator("#alerts")).not_to_have_attribute("aria-live", re.compile(".*"))
    warehouse.page.goto(warehouse.url("inventory", "/warehouse/movements"))
    api(warehouse, "inventory", "POST", "/movements",  # a dye lot that expires in 25 days: an alert
        {"type": "receipt", "sku": "DYE-INDIGO", "depot": "VNS", "quantity": "2",
         "lot": {"code": "IND-NEWS", "expires_on": add_days(today(), 25)}})
    card = board.locator(".alert-card", has_text="IND-NEWS")
    expect(card).to_be_visible(timeout=30_000)
    title = card.locator('[data-f="title"]').inner_text()
    expect(news).to_have_text(f"नई चेतावनी: {title}")
    assert len(news.inner_text()) < len(card.inner_text())  # its title, not the whole card
    admin.shot("alert-announced")


def test_finding_5_a_half_filled_order_line_and_refused_count_rows_put_the_keyboard_on_the_first(people):
    """A started order line left half empty was marked aria-invalid with nothing describing why, and the focus stayed
    on the button; a count with several rows refused by the service left the focus on the last of them. Now each
    empty field of the line says what is missing, described by it, the first has the focus, and so does the first
    refused row."""
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    admin.language("hi")
    page = admin.page
    page.goto(admin.url("inventory", "/admin/purchase-orders?depot=VNS"))
    form = page.locator("#new-order")
    form.get_by_label("आपूर्तिकर्ता", exact=True).select_option("SRM")
    form.get_by_label("आने की तारीख़").fill(add_days(today(), 30))
    form.get_by_label("सामान 2").select_option(COTTON)  # the second line started, its quantity and price not
    form.get_by_label("प्रति इकाई दाम (₹) 2").fill("")  # the supplier's listed price the page put there, taken out
    form.get_by_role("button", name="मसौदे के रूप में सहेजें").click()
    quantity, price = form.get_by_label("मात्रा 2"), form.get_by_label("प्रति इकाई दाम (₹) 2")
    expect(quantity).to_be_focused()
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(quantity).to_have_accessible_description("मात्रा 2: इसे भरें।")
    expect(price).to_have_accessible_description("प्रति इकाई दाम (₹) 2: इसे भरें।")
    expect(form.locator("[data-errors]")).to_have_text(  # said under the two fields, not again here
        "निशान लगे खानों को देखें: क्या ग़लत है, यह हर एक के नीचे लिखा है।")

    page = warehouse.page
    page.goto(warehouse.url("inventory", "/warehouse/counts"))
    count_id = api(warehouse, "inventory", "POST", "/counts", {"depot": "VNS"})["count_id"]
    page.goto(warehouse.url("inventory", f"/warehouse/counts/{count_id}"))
    rows = page.locator("#count-lines tbody tr")
    for n in (0, 1, 2):  # taken by the page's own check, refused by the service: more than three decimals
        rows.nth(n).locator("input[name=counted]").fill("1.2345")
    rows.nth(0).get_by_role("button").click()
    for n in (0, 1, 2):
        expect(rows.nth(n).locator(".field-error")).to_be_visible()
    expect(rows.nth(0).locator("input[name=counted]")).to_be_focused()


def test_a_count_saves_its_good_rows_when_others_are_refused_and_says_how_many_need_fixing(people):
    """Good figures typed in two rows and bad ones ("-1", "8,0") in two others, then one Save: only the bad rows said
    why, the good ones looked done, and nothing at all was saved. Now the good rows are stored, the bad ones keep
    their figures and errors, and the page's notice says how many were saved and how many need fixing; in Hindi
    too."""
    warehouse = people("warehouse").log_in()
    page = warehouse.page

    def begun():
        page.goto(warehouse.url("inventory", "/warehouse/counts"))
        count_id = api(warehouse, "inventory", "POST", "/counts", {"depot": "VNS"})["count_id"]
        page.goto(warehouse.url("inventory", f"/warehouse/counts/{count_id}"))
        return count_id, page.locator("#count-lines tbody tr")

    def stored(count_id):
        return {(x["sku"], x["lot"]): x["counted"] for x in api(warehouse, "inventory", "GET",
                                                                   f"/counts/{count_id}")["lines"]}

    def key(row):
        return row.get_attribute("data-sku"), row.get_attribute("data-lot")

    count_id, rows = begun()  # the depot's three lots
    for n, figure in ((0, "-1"), (1, "5"), (2, "8,0")):
        rows.nth(n).locator("input[name=counted]").fill(figure)
    rows.nth(1).get_by_role("button").click()
    notice = page.locator("#page-notice")
    expect(notice).to_have_text("Saved: the figure of 1 row. 2 rows need fixing: their figures are not saved. "
                                "They are marked below.")
    expect(notice).to_have_attribute("role", "alert")
    assert {k: float(v) for k, v in stored(count_id).items()} == {key(rows.nth(1)): 5}
    for n, figure in ((0, "-1"), (2, "8,0")):
        expect(rows.nth(n).locator(".field-error")).to_be_visible()
        expect(rows.nth(n).locator("input[name=counted]")).to_have_value(figure)
    expect(rows.nth(0).locator("input[name=counted]")).to_be_focused()
    rows.nth(0).locator("input[name=counted]").fill("3")  # fixed: the next Save stores the rest
    rows.nth(2).locator("input[name=counted]").fill("8")
    rows.nth(0).get_by_role("button").click()
    expect(notice).to_have_text("Saved: the figures of 2 rows.")
    assert len(stored(count_id)) == 3

    warehouse.language("hi")
    count_id, rows = begun()
    for n, figure in ((0, "4"), (1, "8,0"), (2, "6")):
        rows.nth(n).locator("input[name=counted]").fill(figure)
    rows.nth(0).get_by_role("button").click()
    expect(page.locator("#page-notice")).to_have_text(
        "सहेज लिया गया: 2 पंक्तियों की गिनती। 1 पंक्ति ठीक करनी है: उसकी गिनती सहेजी नहीं गई। वह नीचे चिह्नित है।")
    assert {k: float(v) for k, v in stored(count_id).items()} == {key(rows.nth(0)): 4, key(rows.nth(2)): 6}
    expect(rows.nth(1).locator("input[name=counted]")).to_be_focused()
    warehouse.shot("count-saved-in-part")


def handed_over(people) -> str:
    """The demo artisan's request for 5 kg of cotton yarn and 1 kg of silk yarn, approved and handed over at the
    Varanasi depot (through the API)."""
    artisan = people("artisan").log_in()
    body = {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "5"}, {"sku": SILK, "quantity": "1"}]}
    made = wait_until(lambda: (r := api(artisan, "requests", "POST", "/requisitions", body, ok=False)).ok and r.json(),
                      30, interval=0.5, message="requests to learn the catalog")
    admin, warehouse = people("admin").log_in(), people("warehouse").log_in()
    api(admin, "requests", "POST", f"/requisitions/{made['id']}/approve", {})
    wait_until(lambda: api(warehouse, "requests", "POST", f"/requisitions/{made['id']}/dispatch", {}, ok=False).ok,
               30, interval=0.5, message="the request to be set aside and handed over")
    return made["id"]


def test_finding_6_a_return_is_recorded_by_keyboard_said_when_done_and_refused_at_the_material_it_is_about(people):
    """Depot staff record a return on the request's page by keyboard and with a screen reader: each quantity is named
    by its material and unit, "Record the return" asks first with the focus on "Yes, record it" ("No" puts the
    keyboard back), a refusal of one material's quantity marks that material's field (not the first row's) and takes
    the keyboard there, and once recorded the page, made afresh, says so where the keyboard is; in both languages."""
    rid = handed_over(people)
    warehouse = people("warehouse")
    page = warehouse.page
    page.goto(warehouse.url("requests", f"/my/requisitions/{rid}"))
    form = page.locator("#return")
    cotton = form.get_by_role("textbox", name="Cotton yarn 40s: how much came back (kg)", exact=True)
    silk = form.get_by_role("textbox", name="Mulberry silk yarn: how much came back (kg)", exact=True)
    expect(cotton).to_be_visible()
    expect(silk).to_be_visible()
    expect(form.get_by_role("combobox", name="Mulberry silk yarn: condition", exact=True)).to_be_visible()
    form.get_by_label("Why it came back (the artisan sees this)").fill("wrong shade")

    def record():
        opener = form.locator("summary", has_text="Record the return")
        opener.focus()
        page.keyboard.press("Enter")
        yes = form.get_by_role("button", name="Yes, record it")
        expect(yes).to_be_focused()
        page.keyboard.press("Enter")

    silk.fill("2")  # only 1 kg of silk was handed over; the cotton row above it is left empty
    opener = form.locator("summary", has_text="Record the return")
    silk.press("Enter")  # Enter in a field asks first too: it never sends the return at once
    expect(form.get_by_role("button", name="Yes, record it")).to_be_focused()
    expect(form.locator("[data-errors]")).to_have_text("")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "No, not yet"
    expect(opener).to_be_focused()
    record()
    expect(silk).to_be_focused()
    expect(silk).to_have_attribute("aria-invalid", "true")
    # the refusal names its material, said once (not after the field's label again)
    expect(silk).to_have_accessible_description(re.compile(r"^Mulberry silk yarn: (?!how much came back).*at most 1 kg"))
    expect(cotton).not_to_have_attribute("aria-invalid", "true")
    expect(form.locator("[data-errors]")).to_have_text("Check the marked field: what is wrong is written under it.")

    silk.fill("0.0005")  # more than three decimals: refused by the service as invalid, for the silk row
    record()
    expect(silk).to_be_focused()
    expect(silk).to_have_attribute("aria-invalid", "true")
    expect(cotton).not_to_have_attribute("aria-invalid", "true")

    silk.fill("")
    cotton.fill("2")
    record()
    done = form.locator("[data-errors]")
    expect(done).to_have_text(re.compile(r"^Return recorded: a credit note of ₹[\d,]+\.\d\d is on the account of "
                                         r"Ramesh Kumar\.$"))
    expect(done).to_have_attribute("role", "alert")
    expect(done).to_be_focused()  # read out, and the keyboard goes on from the form, not the top of the page
    expect(page.locator("[data-returns] tr[data-return]")).to_have_count(1)
    warehouse.shot("return-said")

    warehouse.language("hi")
    page.reload()
    form = page.locator("#return")
    cotton = form.get_by_role("textbox", name="सूती धागा 40s: कितना वापस आया (किलो)", exact=True)
    silk = form.get_by_role("textbox", name="शहतूत रेशम धागा: कितना वापस आया (किलो)", exact=True)
    expect(form.get_by_role("combobox", name="सूती धागा 40s: हालत", exact=True)).to_be_visible()
    silk.fill("1.5")
    form.get_by_label("वापस क्यों आया", exact=False).fill("गलत रंग")
    form.locator("summary", has_text="वापसी दर्ज करें").focus()
    page.keyboard.press("Enter")
    expect(form.get_by_role("button", name="हां, दर्ज करें")).to_be_focused()
    page.keyboard.press("Enter")
    expect(silk).to_be_focused()
    expect(silk).to_have_accessible_description(re.compile(r"^शहतूत रेशम धागा: (?!कितना वापस आया).*अधिक से अधिक 1 किलो"))
    expect(cotton).not_to_have_attribute("aria-invalid", "true")
    silk.fill("0.5")
    form.locator("summary", has_text="वापसी दर्ज करें").focus()
    page.keyboard.press("Enter")  # the refusal closed the confirmation: sent again, it asks again
    expect(form.get_by_role("button", name="हां, दर्ज करें")).to_be_focused()
    page.keyboard.press("Enter")
    done = form.locator("[data-errors]")
    expect(done).to_have_text(re.compile(r"^वापसी दर्ज हुई: रमेश कुमार के खाते में ₹[\d,]+\.\d\d का क्रेडिट नोट है।$"))
    expect(done).to_be_focused()
    expect(page.locator("[data-returns] tr[data-return]")).to_have_count(2)
    warehouse.shot("return-said")
