"""A tester's walk through every page on a 360x740 phone in both languages (artisan, secretary, warehouse): each
finding as it was seen; each test failed before its fix."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 360, "height": 740}


def on_phone(user, lang: str):
    user.language(lang)
    user.page.set_viewport_size(PHONE)
    return user.page


def test_finding_1_a_refused_figure_is_said_once_however_often_it_is_pressed(people):
    """-3 in the cotton row, Save twice, then "Submit the count": one error under the row, inside its form (it was
    put after the one-line form, where clearing it never looked, so each press added one more)."""
    warehouse = people("warehouse").log_in()
    page = on_phone(warehouse, "hi")
    page.goto(warehouse.url("inventory", "/warehouse/counts"))
    page.get_by_role("button", name="गिनती शुरू करें").click()
    page.wait_for_url(re.compile(r"/warehouse/counts/CNT-\d+$"))
    row = page.locator("#count-lines tbody tr", has_text="सूती").first
    form = row.locator("form")
    row.get_by_label("गिनी गई मात्रा").fill("-3")
    for press in (lambda: row.get_by_role("button", name="सहेजें").click(),) * 2 + (
            lambda: page.get_by_role("button", name="गिनती जमा करें").click(),):
        press()
        expect(form.locator(".field-error")).to_have_text("गिनी गई मात्रा: 0 से कम नहीं हो सकता।")
        expect(page.locator(".field-error")).to_have_count(1)
    warehouse.shot("count-refused-once")

    page.goto(warehouse.url("inventory", "/warehouse/lots"))
    returning = page.locator("form", has=page.locator("input[name=type][value=return]")).first
    returning.locator("input[name=quantity]").fill("-3")
    for _ in range(3):
        returning.get_by_role("button").click()
        expect(returning.locator(".field-error")).to_have_count(1)
        expect(page.locator(".field-error")).to_have_count(1)
