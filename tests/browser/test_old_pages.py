"""Pages over data an older rawbank made, and pages of cooperatives and of long accounts: a cooperative's request
whose shares were stored without the members' Hindi names, and (below) what the staff's lists call a cooperative's
request and how an account with many entries is read a page at a time."""
from __future__ import annotations

import re
import urllib.error

import pytest
from playwright.sync_api import expect

from shared.durable_store import DurableStore
from shared.runtime import database_name
from tests.browser.conftest import User
from tests.browser.test_money import in_hindi
from tests.browser.test_pages import reload_until
from tests.browser.test_people_defects import api_call, in_english
from tests.conftest import wait_until
from tests.devserver import Dev, http

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
COTTON = "YRN-COT-40"
MEMBERS = {"ART-0001": "रमेश कुमार", "ART-0002": "सीता देवी"}


def as_an_older_rawbank_stored_it(store_file, req_id: str) -> None:
    """The shares of a requisition as a rawbank before `name_hi` on shares kept them: each with its `name` only."""
    store = DurableStore(store_file)
    try:
        requisitions = store.client[database_name("requests")].requisitions
        doc = requisitions.find_one({"_id": req_id})
        old = [{k: v for k, v in share.items() if k != "name_hi"} for share in doc["shares"]]
        requisitions.update_one({"_id": req_id}, {"$set": {"shares": old}})
        store.sync()
        assert "name_hi" not in requisitions.find_one({"_id": req_id})["shares"][0]
    finally:
        store.client.close()
        store.close()


def test_a_cooperatives_request_an_older_rawbank_made_names_its_members_in_hindi(browser, tmp_path):
    """After an upgrade the request's shares have `name` but no `name_hi`: the Hindi request page (shares, price
    lines, payment form) and receipt said 'Ramesh Kumar'; they now name each member as the artisan's record does."""
    data = tmp_path / "var"
    dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    try:
        lines = [{"sku": COTTON, "quantity": "2", "artisan_id": member} for member in MEMBERS]
        rid = api_call(dev, "requests", "/api/v1/requisitions", {"cooperative": "SMBSS", "depot": "VNS",
                                                                 "lines": lines}, user="secretary")["id"]
        api_call(dev, "requests", f"/api/v1/requisitions/{rid}/payments",  # so it has a receipt: money paid on it
                 {"amount": "10", "method": "cash", "reference": "R-OLD-1"}, user="warehouse")
    finally:
        assert dev.stop() == 0, dev.output
    as_an_older_rawbank_stored_it(data / "requests.sqlite", rid)

    dev = Dev("--data-dir", str(data), cwd=tmp_path).wait_ready()
    admin = User(browser, dev, "admin")
    try:
        page = in_hindi(admin).page
        page.goto(dev.url("requests", f"/my/requisitions/{rid}"))
        for member, name in MEMBERS.items():
            expect(page.locator(f'[data-shares] tr[data-member="{member}"] td').first).to_contain_text(name)
            expect(page.locator(f'[data-pricing] [data-member="{member}"]').first).to_have_text(name)
            expect(page.locator(f'#pay-member option[value="{member}"]')).to_contain_text(name)
        expect(page.locator("main")).not_to_contain_text("Ramesh Kumar")
        page.goto(dev.url("requests", f"/requisitions/{rid}/receipt"))
        for member, name in MEMBERS.items():
            expect(page.locator(f'tr[data-member="{member}"] td').first).to_contain_text(name)
        expect(page.locator("main")).not_to_contain_text("Sita Devi")
        assert not admin.errors, admin.errors
    finally:
        admin.close()
        assert dev.stop() == 0, dev.output


def asked(dev, body: dict, user: str):
    """A request sent as `user`, once requests has heard of the material from inventory (422 until then)."""
    def send():
        try:
            return api_call(dev, "requests", "/api/v1/requisitions", body, user=user)
        except urllib.error.HTTPError as refused:
            assert refused.code == 422
            return None
    return wait_until(send, 30, message="requests to learn the catalog")["id"]


def test_staff_lists_call_a_cooperatives_request_the_cooperatives_not_its_first_members(people, dev):
    """The approvals card read 'Sarai Mohana… Select ART-0001 · Varanasi depot', as if the first member had asked;
    the stock card's holds named that member too. Now the cooperative is named, with its code and its members."""
    coop = asked(dev, {"cooperative": "SMBSS", "depot": "VNS", "lines": [
        {"sku": COTTON, "quantity": "1", "artisan_id": member} for member in MEMBERS]}, "secretary")
    asked(dev, {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "1"}]}, "artisan")  # two waiting: checkboxes

    admin = in_hindi(people("admin"))
    page = admin.page
    page.goto(dev.url("requests", "/admin/approvals"))
    card = page.locator(f'[data-requisition="{coop}"]')
    whose = card.locator('[data-f="whose"]')
    expect(whose).to_contain_text("सहकारी समिति: सराय मोहना बुनकर सहकारी समिति (SMBSS), 2 सदस्य")
    expect(card.locator('[data-f="whose"]')).not_to_contain_text("ART-0001")
    expect(card.get_by_role("checkbox", name="चुनें, सराय मोहना बुनकर सहकारी समिति (SMBSS), 2 सदस्य")).to_be_visible()
    in_english(admin)
    expect(card.locator('[data-f="whose"]')).to_contain_text("Sarai Mohana Bunkar Sahkari Samiti (SMBSS), 2 members")
    expect(card.get_by_role("checkbox", name="Select, Sarai Mohana Bunkar Sahkari Samiti (SMBSS), 2 members")) \
        .to_be_visible()
    mine = page.locator(f'[data-requisition]:not([data-requisition="{coop}"])').first
    expect(mine.get_by_role("checkbox", name="Select, Ramesh Kumar (ART-0001)")).to_be_visible()
    card.get_by_role("button", name="Approve").click()
    expect(card.locator("[data-done]")).to_have_text("Approved")

    warehouse = in_hindi(people("warehouse"))
    page = warehouse.page
    page.goto(dev.url("inventory", "/warehouse/dispatch"))
    ready = page.locator(f'[data-requisition="{coop}"]')
    reload_until(page, lambda: ready.count() > 0, message="the request to be set aside at the depot")
    expect(ready.locator('[data-f="cooperative"]')).to_contain_text("सराय मोहना बुनकर सहकारी समिति (SMBSS), 2 सदस्य")
    page.goto(dev.url("inventory", f"/warehouse/stock/{COTTON}"))
    held = page.locator(f'#holds tr[data-requisition="{coop}"]')
    expect(held).to_contain_text("सराय मोहना बुनकर सहकारी समिति (SMBSS), 2 सदस्य")
    expect(held).not_to_contain_text("ART-0001")
    in_english(warehouse)
    expect(held).to_contain_text("Sarai Mohana Bunkar Sahkari Samiti (SMBSS), 2 members")


def test_an_account_with_many_entries_is_read_a_page_at_a_time_newest_first(people, dev):
    """/accounts/ART-... was one page of every entry (1.87 MB for 1,723), each payment with its own reverse form, and
    took no ?page=: now 50 entries a page, newest first, saying which and how many, figures of the whole account."""
    token = http("POST", dev.url("requests", "/api/v1/auth/login"),
                 {"username": "warehouse", "password": "warehouse123"})[1]["access_token"]
    rid = asked(dev, {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "1"}]}, "artisan")
    for n in range(1, 56):  # 55 advances: two pages
        status, body = http("POST", dev.url("requests", f"/api/v1/requisitions/{rid}/payments"),
                            {"amount": "1", "method": "advance", "reference": f"PAGE-{n}"}, token)
        assert status == 201, body

    admin = in_english(people("admin").log_in())
    page = admin.page
    page.goto(dev.url("requests", "/accounts/ART-0001"))
    rows = page.locator("[data-entries] tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("PAGE-55")
    expect(page.locator('[data-f="entries-shown"]')).to_have_text(re.compile(r"Entries 1 to 50 of \d+, newest first"))
    expect(page.locator("[data-reverse]")).to_have_count(50)
    due = page.locator('[data-f="balance_due"]').inner_text()
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?page=2"))
    expect(rows.last).to_contain_text("PAGE-1")
    expect(page.locator('[data-f="balance_due"]')).to_have_text(due)  # the whole account's, on every page
    admin.language("hi")
    page.reload()
    expect(page.locator('[data-f="entries-shown"]')).to_have_text(
        re.compile(r"कुल \d+ में से प्रविष्टियाँ 51 से \d+ तक, नई पहले"))
    expect(page.get_by_role("navigation", name="पेज")).to_contain_text("पेज 2")
