"""The collections register through the pages: cash taken at the depot, then the admin opens Collections for this
month, reads the total and downloads the CSV; the same in Hindi."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import menu

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def call(user, path: str, body: dict) -> dict:
    """POST to the requests API from the user's logged-in browser (cookie and CSRF token, as the pages do)."""
    page = user.page
    page.goto(user.url("requests", "/"))
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    answer = page.context.request.post(user.url("requests", "/api/v1" + path), data=body,
                                       headers={"X-CSRF-Token": token, "Idempotency-Key": uuid.uuid4().hex})
    assert answer.ok, answer.text()
    return answer.json()


def test_an_admin_opens_collections_for_the_month_sees_the_total_and_downloads_the_csv(people):
    artisan, admin, clerk = (people(role).log_in() for role in ("artisan", "admin", "warehouse"))
    made = call(artisan, "/requisitions", {"depot": "VNS", "lines": [{"sku": "DYE-INDIGO", "quantity": "1"}]})
    call(admin, f"/requisitions/{made['id']}/approve", {})
    reference = f"CASH-{uuid.uuid4().hex[:6]}"
    call(clerk, f"/requisitions/{made['id']}/payments", {"amount": "123.45", "method": "cash", "reference": reference})

    page = admin.page
    page.goto(admin.url("requests", "/"))
    menu(page, "Collections").click()
    page.get_by_role("link", name="This month").click()
    expect(page.locator('[data-rows] tr[data-kind="payment"]', has_text=reference)).to_contain_text("₹123.45")
    expect(page.locator('[data-totals] tr[data-method="cash"]')).to_contain_text("₹")
    total = page.locator('[data-totals] [data-total] [data-f="received"]')
    expect(total).not_to_have_text("₹0.00")
    admin.shot("collections")
    with page.expect_download() as downloaded:
        page.locator("a[data-csv]").click()
    download = downloaded.value
    assert download.suggested_filename.startswith("collections-") and download.suggested_filename.endswith(".csv")
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf") and reference.encode() in data

    admin.language("hi")
    page.reload()
    expect(page.locator("h1")).to_have_text("वसूली रजिस्टर")
    expect(page.locator('[data-totals] [data-total]')).to_contain_text("कुल")
    admin.shot("collections")
