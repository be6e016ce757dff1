"""The admin ticks the crafts and districts a scheme covers, named in the page's language, among those rawbank knows
(the registered artisans' and the depots'), on a 375 px phone in Hindi and on a desktop in English: they were typed,
commas between, in English, and one typed wrong ('Varansi') covered nobody."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import menu

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
SAID = {"hi": {"schemes": "योजनाएँ", "save": "योजना सहेजें", "craft": "बनारसी रेशम बुनाई",
               "districts": ["भदोही", "वाराणसी"]},
        "en": {"schemes": "Schemes", "save": "Save scheme", "craft": "Banarasi silk weaving",
               "districts": ["Bhadohi", "Varanasi"]}}


def ticked(page) -> list[str]:
    """The words beside each box ticked on the scheme's form."""
    return [" ".join(words.split()) for words in page.locator("fieldset.places label:has(input:checked)")
            .all_inner_texts()]


@pytest.mark.parametrize("lang, width", [("hi", 375), ("en", 1280)])
def test_an_admin_ticks_two_districts_and_a_craft_and_the_scheme_covers_exactly_them(people, lang, width):
    said = SAID[lang]
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(admin.url("requests", "/"))
    menu(page, said["schemes"]).click()
    row = page.locator('tr[data-scheme="RMSS"]')
    edit = row.get_by_role("link").get_attribute("href")
    deadline = time.monotonic() + 30  # the requests service hears of the depots' districts from inventory
    while True:
        page.goto(edit if edit.startswith("http") else admin.url("requests", edit))
        districts = page.locator("fieldset#districts")
        if districts.get_by_label(said["districts"][0]).count() or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    for box in page.locator("fieldset.places input[type=checkbox]").all():
        box.uncheck()  # the other language's run ticked them already
    for district in said["districts"]:
        districts.get_by_label(district).check()
    page.locator("fieldset#crafts").get_by_label(said["craft"]).check()
    admin.shot("scheme-places-ticked")
    page.get_by_role("button", name=said["save"]).click()
    expect(row.locator("td").nth(4)).to_have_text(", ".join([said["craft"], *said["districts"]]))  # page's language
    expect(row.locator("[data-covers-nobody]")).to_have_count(0)
    row.get_by_role("link").click()
    expect(page.locator("fieldset#crafts")).to_be_visible()
    assert ticked(page) == [said["craft"], *said["districts"]]
