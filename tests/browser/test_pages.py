"""Three kinds of user, each in their own browser, doing their work through the pages only."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shared.names import ref as short_ref
from tests.browser.conftest import User
from tests.conftest import wait_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
DEVANAGARI = re.compile("[\u0900-\u097F]")


def reload_until(page, ready, timeout: float = 20, message: str = "the page to show it"):
    """Events take a moment to reach the other services: reload until the page shows the result."""
    def check():
        if ready():
            return True
        page.reload()
        page.wait_for_timeout(300)
        return False
    wait_until(check, timeout, interval=0.2, message=message)


def menu(page, name: str, exact: bool = False):
    """A menu entry; on a phone the menu is folded behind its Menu control, which is opened first. `exact`: named
    exactly so (a name that is part of another entry's, as "Artisans" of "Returns from artisans")."""
    page.wait_for_load_state()
    folded = page.locator("nav.nav details:not([open]) > summary")
    if folded.is_visible():
        folded.click()
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=exact)


def test_an_artisans_request_is_approved_dispatched_and_received_through_the_pages(people, browser, dev):
    artisan = people("artisan").log_in()
    page = artisan.page
    expect(page).to_have_url(artisan.url("requests", "/my"))
    expect(page.get_by_text("You have not asked for any material yet.")).to_be_visible()
    page.get_by_role("button", name="हिन्दी").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.get_by_role("heading", name="मेरे अनुरोध")).to_be_visible()
    artisan.shot("my-requests-empty")

    menu(page, "नया अनुरोध").click()
    reload_until(page, lambda: page.locator(".material").count() > 0, message="requests to learn the catalog")
    cotton = page.locator('.material[data-sku="YRN-COT-40"]')
    expect(cotton.locator("[data-available]")).to_have_text("अभी डिपो में: 200 किलो")  # from inventory, via CORS
    expect(cotton).to_contain_text("इस महीने बचा कोटा: 60 किलो में से 60 किलो")
    cotton.locator("input").fill("70")
    page.get_by_role("button", name="अनुरोध भेजें").click()
    expect(cotton.locator(".field-error")).to_contain_text("आपके मासिक धागा कोटे से अधिक")
    artisan.shot("new-request-over-quota")
    assert page.url.endswith("/my/new")
    cotton.locator("input").fill("१२.५")  # Devanagari digits, as artisans type them
    page.get_by_role("button", name="अनुरोध भेजें").click()
    page.wait_for_url(re.compile(r"/my/requisitions/[0-9a-f]+$"))
    requisition = page.url.rsplit("/", 1)[1]
    expect(page.locator("[data-done]")).to_have_text("भेजा गया")

    admin = people("admin").log_in()
    expect(admin.page).to_have_url(admin.url("notifier", "/admin/alerts"))
    menu(admin.page, "Approvals").click()
    card = admin.page.locator(f'[data-requisition="{requisition}"]')
    expect(card).to_contain_text("Ramesh Kumar")
    expect(card).to_contain_text("used 12.5 kg of 60 kg this month, this request included")
    admin.shot("approvals-one-waiting")
    card.get_by_role("link", name="Open the request").click()  # to read it (or take an advance) before deciding
    expect(admin.page).to_have_url(admin.url("requests", f"/my/requisitions/{requisition}"))
    admin.page.go_back()
    card.get_by_role("button", name="Approve").click()
    expect(card.locator("[data-done]")).to_have_text("Approved")

    warehouse = people("warehouse").log_in()
    expect(warehouse.page).to_have_url(warehouse.url("inventory", "/warehouse/stock"))
    menu(warehouse.page, "Hand over").click()
    ready = warehouse.page.locator(f'[data-requisition="{requisition}"]')
    reload_until(warehouse.page, lambda: ready.count() > 0, message="the request to be set aside at the depot")
    expect(ready).to_contain_text("12.5 kg")
    warehouse.shot("dispatch-one-ready")
    ref = ready.get_attribute("data-requisition")
    expect(ready.get_by_role("link", name=f"Hand-over slip, {short_ref(ref)}", exact=True)).to_be_visible()
    # named with its request, as a screen reader lists a page's buttons
    ready.get_by_role("button", name=f"Hand over, {short_ref(ref)}", exact=True).click()
    expect(ready.locator("[data-done]")).to_have_text("Handed over")

    badge = page.locator("[data-done]")
    reload_until(page, lambda: badge.inner_text() == "सौंप दिया गया", message="the artisan to see the hand-over")
    page.get_by_role("button", name="मुझे मिल गया").click()
    expect(page.locator("[data-done]")).to_have_text("प्राप्त")
    artisan.shot("request-received")

    menu(page, "सूचनाएँ").click()
    expect(page).to_have_url(artisan.url("notifier", "/my/notifications"))
    reload_until(page, lambda: page.locator("[data-notification]").count() >= 3, message="the artisan's notifications")

    again = User(browser, dev, "artisan").log_in()  # another phone: the language is remembered for the user
    expect(again.page.locator("html")).to_have_attribute("lang", "hi")
    again.close()


def test_a_low_stock_alert_appears_on_an_open_board_without_a_reload(people):
    admin = people("admin").log_in()
    board = admin.page
    expect(board.locator("#live.on")).to_be_visible()
    board.evaluate("window.rbStillTheSamePage = true")

    warehouse = people("warehouse").log_in()
    warehouse.page.goto(warehouse.url("inventory", "/warehouse/movements"))
    form = warehouse.page.locator("#adjust")
    form.get_by_label("Material").select_option("DYE-INDIGO")
    form.get_by_label("Change").select_option("-1")
    form.get_by_label("Quantity", exact=True).fill("7")
    form.get_by_role("button", name="Record adjustment").click()
    expect(form.get_by_label("Reason (required)")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field-error")).to_have_text("Reason: fill this in.")  # the field and what is wrong
    expect(form.locator("[data-errors]")).to_have_text(  # said once: the notice says where
        "Check the marked field: what is wrong is written under it.")
    form.get_by_label("Reason (required)").select_option("damage")
    form.get_by_role("button", name="Record adjustment").click()
    expect(form.locator("[data-errors]")).to_have_text(
        "Saved: Natural indigo dye changed by -7 kg. Available now at Varanasi depot: 1 kg.")

    alert = board.locator(".alert-card", has_text="Natural indigo dye")
    expect(alert).to_be_visible(timeout=20_000)
    assert board.evaluate("window.rbStillTheSamePage") is True
    admin.shot("alerts-live")
    alert.get_by_label("Note (what you are doing about it)").fill("Ordered 20 kg from the dyers' cooperative")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(alert.locator('[data-f="status"]')).to_have_text("Someone is on it")

    menu(warehouse.page, "Ledger").click()
    warehouse.page.get_by_label("Material").select_option("DYE-INDIGO")
    warehouse.page.get_by_role("button", name="Show").click()
    expect(warehouse.page.locator("#ledger tbody tr")).to_have_count(2)  # opening stock and the damage
    with warehouse.page.expect_download() as download:
        warehouse.page.get_by_role("link", name="Download CSV").click()
    rows = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("movement_id,at,type,sku,depot,quantity") and len(rows) == 3, rows
    assert ",adjustment,DYE-INDIGO,VNS,-7," in rows[1] and ",damage," in rows[1]


def test_an_admin_manages_the_catalog_depots_and_quotas(people):
    admin = people("admin").log_in()
    page = admin.page
    menu(page, "Catalog and depots").click()
    depot = page.locator("form", has=page.get_by_role("button", name="Add depot"))
    depot.get_by_label("Code").fill("MZP")
    depot.get_by_label("Name in English").fill("Mirzapur depot")
    depot.get_by_label("District", exact=True).fill("Mirzapur")
    depot.get_by_role("button", name="Add depot").click()
    expect(page.get_by_role("cell", name="Mirzapur depot", exact=True)).to_be_visible()

    material = page.locator("form", has=page.get_by_role("button", name="Add material"))
    material.get_by_label("Code").fill("DYE-MADDER")
    material.get_by_label("Name in English").fill("Madder root dye")
    material.get_by_label("Name in Hindi").fill("मजीठ रंग")
    material.get_by_label("Category").select_option("dye")
    material.get_by_label("Reorder level").fill("3")
    material.get_by_role("button", name="Add material").click()
    expect(page.locator('tr[data-sku="DYE-MADDER"]')).to_contain_text("मजीठ रंग")

    silk = page.locator('tr[data-sku="YRN-SLK-MUL"]')
    silk.get_by_label("Reorder level").fill("6")
    silk.get_by_role("button", name="Save").click()
    expect(silk.locator("[data-errors]")).to_have_text("Saved.")

    page.get_by_role("button", name="हिन्दी").click()
    depot = page.locator("form", has=page.get_by_role("button", name="डिपो जोड़ें"))
    depot.get_by_label("कोड").fill("MZP")
    depot.get_by_label("अंग्रेज़ी में नाम").fill("Mirzapur again")
    depot.get_by_label("ज़िला", exact=True).fill("Mirzapur")
    depot.get_by_role("button", name="डिपो जोड़ें").click()
    expect(depot.locator(".field-error")).to_contain_text("कोड MZP पहले से है")  # 409, in the page's language, at
    expect(depot.locator("[data-errors]")).not_to_contain_text("MZP")  # the code it is about, and said there once

    menu(page, "कोटा").click()
    quota = page.locator("form", has=page.get_by_role("button", name="कोटा सहेजें"))
    quota.get_by_label("श्रेणी").select_option("dye")
    quota.get_by_label("मासिक सीमा").fill("4")
    quota.get_by_role("button", name="कोटा सहेजें").click()
    expect(page.locator('tr[data-quota="dye@*"]')).to_contain_text("प्रति कारीगर महीने में 4 किलो")


PAGES = {
    "artisan": [("requests", "/my", "my-requests"), ("requests", "/my/new", "new-request"),
                ("requests", None, "request-detail"), ("notifier", "/my/notifications", "notifications"),
                ("requests", "/my/account", "account")],
    "warehouse": [("inventory", "/warehouse/stock", "stock"), ("inventory", "/warehouse/movements", "movements"),
                  ("inventory", "/warehouse/dispatch", "dispatch"), ("inventory", "/warehouse/ledger", "ledger"),
                  ("inventory", "/warehouse/lots", "lots"), ("inventory", "/warehouse/counts", "counts"),
                  ("inventory", "/admin/purchase-orders", "purchase-orders")],
    "admin": [("notifier", "/admin/alerts", "alerts"), ("requests", "/admin/approvals", "approvals"),
              ("requests", "/admin/quotas", "quotas"), ("inventory", "/admin/catalog", "catalog"),
              ("inventory", "/admin/suppliers", "suppliers"),
              ("inventory", "/admin/replenishment?depot=VNS", "what-to-order"),
              ("requests", "/admin/schemes", "schemes"), ("requests", "/admin/claims", "claims"),
              ("requests", "/accounts", "accounts"), ("inventory", "/admin/prices", "prices")],
}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_page_in_both_languages_fits_its_screen_and_is_written_to_screenshots(people, browser, dev, lang):
    visitor = User(browser, dev, "artisan")
    visitor.language(lang)
    visitor.page.goto(dev.url("requests", "/login"))
    visitor.role = "anyone"
    visitor.shot("login")
    visitor.close()
    for role, pages in PAGES.items():
        user = people(role).log_in()
        user.language(lang)
        for service, path, name in pages:
            if path is None:
                user.page.goto(user.url("requests", "/my"))
                user.page.locator("[data-requisition]").first.click()
            else:
                user.page.goto(user.url(service, path))
            expect(user.page.locator("html")).to_have_attribute("lang", lang)
            heading = user.page.locator("h1").first.inner_text()
            assert bool(DEVANAGARI.search(heading)) == (lang == "hi"), f"{role} {name}: {heading!r}"
            if name == "new-request":
                expect(user.page.locator("#stock-status")).not_to_contain_text("…")
            if name == "alerts":
                expect(user.page.locator("#live.on")).to_be_visible()
            width = user.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"{role} {name} is wider than the screen: {width}"
            user.shot(name)
