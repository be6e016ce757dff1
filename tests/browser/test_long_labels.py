"""What a state handloom board's officers saw with long names, at 1280 px and on a 360 px phone, in English and Hindi:
the claims page's chart drew a long district's name on one line that ran off the chart's left edge, and the
distribution-by-material report's table set a long material's name as one very wide column heading, squeezing the
same name in the first column to about a word a line. Each test measures the boxes the browser laid out."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.browser.test_people_defects import api_call, coop_handed_over
from tests.browser.test_phone_procurement import LONG, shot
from tests.browser.test_phone_widths import long_named_handed_over  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
SCREENS = ({"width": 1280, "height": 900}, {"width": 360, "height": 740})
DISTRICT = {"en": "Sant Ravidas Nagar (Bhadohi), Gyanpur and Aurai handloom blocks",
            "hi": "संत रविदास नगर (भदोही), ज्ञानपुर और औराई हथकरघा ब्लॉक"}


@pytest.fixture(scope="module")
def long_district_handed_over(dev):
    """A depot of a district named in some sixty characters (its Hindi name too), and 1 kg of subsidised yarn handed
    over this month to a member of SMBSS of that district."""
    api_call(dev, "inventory", "/api/v1/depots", {"code": "GYN", "name": "Gyanpur depot", "district": DISTRICT["en"],
                                                  "district_hi": DISTRICT["hi"]}, user="admin")
    member = api_call(dev, "requests", "/api/v1/artisans", {
        "name": "Kamla Devi", "name_hi": "कमला देवी", "district": DISTRICT["en"], "craft": "Handloom weaving",
        "registration_id": "UP-GYN-000901", "looms": 2, "cooperative": "SMBSS"}, user="admin")["artisan_id"]
    return coop_handed_over(dev, [{"sku": "YRN-COT-40", "quantity": "1", "artisan_id": member}])


# The row of the chart on the screen (wide or stacked) whose label is `name`: its label's lines one after another,
# and its box against the chart's, against what of the chart is seen, and against the row's bars.
LABEL = """name => {
  const svg = [...document.querySelectorAll('main svg.chart')].find(s => s.getBoundingClientRect().width > 0);
  const edge = svg.getBoundingClientRect(), frame = svg.parentElement.getBoundingClientRect();
  const seen = {left: Math.max(0, edge.left, frame.left), right: Math.min(window.innerWidth, edge.right, frame.right)};
  const rows = [...svg.querySelectorAll('g[data-district], g[data-row]')].map(g => {
    const label = g.querySelector('text'), box = label.getBoundingClientRect();
    const words = label.children.length ? [...label.children].map(line => line.textContent).join(' ')
                                        : label.textContent;
    const bars = [...g.querySelectorAll('rect')].map(r => r.getBoundingClientRect()).filter(r => r.width > 0);
    return {label: words.replace(/\\s+/g, ' ').trim(), stacked: svg.classList.contains('stacked'),
            left: box.left - seen.left, right: seen.right - box.right,
            clear: bars.every(r => r.left >= box.right - .5 || r.top >= box.bottom - .5), bars: bars.length};
  });
  return rows.find(row => row.label.startsWith(name)) || rows;
}"""


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_claims_chart_shows_a_long_districts_name_whole_inside_the_chart(people, long_district_handed_over,
                                                                              lang):
    """At 1280 px the claims page's wide chart drew each district's name on one line ending at its bars: a long one
    began some 250 px left of the chart, its first words cut off. It wraps in the label column now, as the reports'
    charts do (shared/charts.py); the phone's stacked chart shows it whole too."""
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.set_viewport_size(SCREENS[0])
    page.goto(admin.url("requests", "/admin/claims"))
    wide = page.locator("main svg.chart:not(.stacked)")
    # the requests service hears of the depot's Hindi district from inventory
    reload_until(page, lambda: wide.count() > 0 and DISTRICT[lang].split()[0] in wide.inner_html(), timeout=30,
                 message="the claim to chart the long district")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    for screen in SCREENS:
        page.set_viewport_size(screen)
        shot(page, "claims-long-district")
        row = page.evaluate(LABEL, DISTRICT[lang])
        where = f"the claims chart at {screen['width']} px"
        assert isinstance(row, dict), f"{where}: no row labelled {DISTRICT[lang]}: {row}"
        assert row["label"] == DISTRICT[lang] and row["bars"] == 2, (where, row)  # the whole name, once
        assert row["stacked"] == (screen["width"] < 700), (where, row)
        assert row["left"] >= -0.5 and row["right"] >= -0.5, (where, row)  # inside, seen
        assert row["clear"], (where, row)  # and clear of its bars
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0, where


# The report's table as laid out: its cells whose text runs past their box (cut off, or spilling out), how far the
# table runs past what its box shows, and, for the cells holding `name` (a row's first cell and, on a desktop, a
# column's heading), their width and how many lines the name takes in them.
TABLE = """name => {
  const table = document.querySelector('main table[data-report]'), wrap = table.closest('.table-wrap');
  const shown = wrap.getBoundingClientRect();
  const cells = [...table.querySelectorAll('th, td')].filter(c => c.getBoundingClientRect().width > 0);
  const lines = cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom))).size;
  };
  const named = cells.filter(c => c.textContent.replace(/\\s+/g, ' ').trim() === name).map(c => ({
    tag: c.tagName.toLowerCase(), width: Math.round(c.getBoundingClientRect().width), lines: lines(c)}));
  return {cut: cells.filter(c => c.scrollWidth > c.clientWidth + 1 || c.getBoundingClientRect().left < shown.left - .5
                                 || c.getBoundingClientRect().right > shown.right + .5)
                    .map(c => c.tagName + ': ' + c.textContent.trim().slice(0, 40)),
          sideways: wrap.scrollWidth - wrap.clientWidth, width: Math.round(shown.width), named,
          page: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_distribution_by_material_table_reads_a_long_material_name_well(people, long_named_handed_over, lang):
    """At 1280 px the table under the chart set the long material's name as one line of column heading some 700 px
    wide, and the table, fitted to the page, squeezed the same name in the first column to about a word a line (some
    15 lines in English). A figures' heading now wraps between words, and the first column keeps room to read a
    name in a few lines; on a phone the rows are cards as before, nothing cut and nothing off the screen."""
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    name = LONG["name_hi" if lang == "hi" else "name"]
    page.set_viewport_size(SCREENS[0])
    page.goto(admin.url("notifier", "/admin/reports/distribution?group_by=material"))
    table = page.locator("main table[data-report]")
    reload_until(page, lambda: table.count() > 0 and page.locator(f'tr[data-group="{LONG["sku"]}"]').count() > 0,
                 message="the report to list the long-named material")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    for screen in SCREENS:
        page.set_viewport_size(screen)
        shot(page, "report-table-long-material")
        drawn = page.evaluate(TABLE, name)
        where = f"the material table at {screen['width']} px"
        assert drawn["cut"] == [] and drawn["sideways"] <= 1 and drawn["page"] == 0, (where, drawn)
        first = [cell for cell in drawn["named"] if cell["tag"] == "td"]
        assert len(first) == 1 and first[0]["lines"] <= 4, (where, drawn)  # the row's name, a few lines
        headings = [cell for cell in drawn["named"] if cell["tag"] == "th"]
        if screen["width"] > 480:  # its column's heading: wrapped, not one line across half the table
            assert len(headings) == 1 and headings[0]["width"] <= drawn["width"] / 4, (where, drawn)
            assert 2 <= headings[0]["lines"] <= 8, (where, drawn)
