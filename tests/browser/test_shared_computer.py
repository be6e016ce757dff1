"""A shared computer (a depot's counter, a common service centre): after one person logs out, the
next one at the same browser cannot bring their pages back with the Back button.

A page made for a logged-in person is sent with `Cache-Control: no-store`, so the browser keeps
no copy of it (neither its HTTP cache nor its back/forward cache): going back asks the service
again, which now sees no login and sends the login page.
"""
from __future__ import annotations

import pytest

PERSONAL = (("artisan", "requests", "/my/account", "Account of"),
            ("artisan", "requests", "/my/passbook", "Raw material passbook"),
            ("warehouse", "inventory", "/warehouse/stock", "Stock"),
            ("admin", "notifier", "/admin/alerts", "Alerts"))


@pytest.mark.parametrize("role, service, path, heading", PERSONAL, ids=[p[2] for p in PERSONAL])
def test_back_after_logging_out_shows_the_login_not_the_last_persons_page(people, role, service, path, heading):
    user = people(role).log_in()
    page = user.page
    page.goto(user.url(service, path))
    assert page.get_by_role("heading", name=heading, exact=False).first.is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: "/login" in url)

    page.go_back()
    page.wait_for_load_state()
    assert "/login" in page.url, f"Back showed {page.url} after logging out"
    assert page.get_by_label("Username").is_visible()
    assert not page.get_by_role("button", name="Log out").count(), "the page still says someone is logged in"
