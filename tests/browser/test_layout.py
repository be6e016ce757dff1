"""What a desktop screen shows of the pages as they are laid out: the filters above a list, and the menu."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

OVERLAPS = """form => {
  const boxes = els => [...els].map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect()]);
  const fields = boxes(form.querySelectorAll('input:not([type=hidden]), select'));
  const buttons = boxes(form.querySelectorAll('.actions button, .actions a'));
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return {overlaps: buttons.flatMap(([b, bb]) => fields.filter(([, fb]) => hit(bb, fb)).map(([f]) => [b, f])),
          tops: fields.map(([, fb]) => Math.round(fb.top))};
}"""


@pytest.mark.parametrize("path", ["/warehouse/stock?depot=VNS", "/warehouse/ledger?depot=VNS", "/admin/catalog"])
def test_the_filters_above_an_inventory_list_stand_side_by_side_and_no_button_covers_a_field(people, path):
    """The stock, ledger and catalog filters (a field grid inside the filter form, itself a grid) were squeezed into
    the form's first 11rem column, one field under another, with Show and Download CSV drawn over the selects."""
    admin = people("admin").log_in()
    page = admin.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(admin.url("inventory", path))
    laid = page.locator("form.filters").first.evaluate(OVERLAPS)
    assert laid["overlaps"] == [], f"buttons drawn over fields on {path}: {laid['overlaps']}"
    assert laid["tops"][0] == laid["tops"][1], f"the first two filters are not side by side on {path}: {laid}"


def test_every_entry_of_an_admins_menu_is_on_a_desktop_screen_without_scrolling_it_sideways(people):
    """An admin's menu has 17 entries; on a 1280 px screen the last seven (Purchase orders, half of it, to Stock
    counts) were cut off to the right of a menu bar that scrolls sideways, with nothing to show that it does."""
    admin = people("admin").log_in()
    page = admin.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(admin.url("notifier", "/admin/alerts"))
    off = page.locator("nav.nav a").evaluate_all(
        "links => links.filter(a => a.getBoundingClientRect().right > window.innerWidth)"
        ".map(a => a.textContent.trim())")
    assert off == [], f"menu entries off the screen: {off}"
