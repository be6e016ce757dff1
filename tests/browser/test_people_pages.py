"""The requests and notifier pages beyond the main ones (issue 18), as each role reaches them, in both languages:
each fits its kind of screen, has its heading in the page's language, shows no English word in Hindi but names and
codes (tests/browser/english.py), and is written to test-output/screenshots/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.english import english_on
from tests.browser.test_pages import DEVANAGARI, reload_until

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PAGES = {
    "artisan": [("requests", "/my", "my-requests"), ("requests", "/my/new", "new-request"),
                ("requests", "/my/account", "account"), ("requests", "/my/passbook", "passbook"),
                ("notifier", "/my/notifications", "notifications")],
    "secretary": [("requests", "/my", "requests"), ("requests", "/coop/new", "request-for-members"),
                  ("requests", "/admin/artisans", "members"), ("requests", "/admin/artisans/ART-0002", "member"),
                  ("requests", "/accounts", "accounts"), ("notifier", "/my/notifications", "notifications")],
    "admin": [("notifier", "/admin/alerts", "alerts"), ("notifier", "/admin/alerts?status=resolved", "alerts-resolved"),
              ("requests", "/admin/approvals", "approvals"), ("requests", "/admin/approvals?status=", "requests"),
              ("requests", "/admin/artisans", "artisans"), ("requests", "/admin/artisans/ART-0001", "artisan"),
              ("requests", "/admin/quotas", "quotas"), ("requests", "/admin/schemes", "schemes"),
              ("requests", "/admin/schemes/RMSS", "scheme"), ("requests", "/admin/claims", "claims"),
              ("requests", "/accounts", "accounts"), ("requests", "/accounts/ART-0001", "account"),
              ("notifier", "/admin/reports/distribution", "report-distribution"),
              ("notifier", "/admin/reports/beneficiaries", "report-beneficiaries"),
              ("notifier", "/admin/reports/unmet-demand", "report-unmet-demand"),
              ("notifier", "/admin/reports/cooperatives", "report-cooperatives"),
              ("requests", "/admin/users", "users"), ("requests", "/password", "password")],
    "warehouse": [("notifier", "/admin/alerts", "alerts"), ("requests", "/password", "password")],
}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_each_page_of_requests_and_notifier_in_both_languages(people, dev, lang):
    found = {}
    for role, pages in PAGES.items():
        user = people(role).log_in()
        user.language(lang)
        page = user.page
        for service, path, name in pages:
            page.goto(user.url(service, path))
            if name == "new-request":
                reload_until(page, lambda: page.locator(".material").count() > 0, message="the catalog")
                expect(page.locator("#stock-status")).not_to_contain_text("…")
            if name.startswith("alerts"):
                expect(page.locator("#live.on")).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", lang)
            heading = page.locator("h1").first.inner_text()
            assert bool(DEVANAGARI.search(heading)) == (lang == "hi"), f"{role} {name}: {heading!r}"
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"{role} {name} is wider than the screen: {width}"
            if lang == "hi" and (english := english_on(page)):
                found[f"{role} {name}"] = english
            user.shot(name)
    assert found == {}, "English on Hindi pages"
