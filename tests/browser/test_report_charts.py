"""A report's chart on a 375 x 667 phone, in English and Hindi: its text as legible as the page's (the 640-unit
SVG squeezed into the phone's width drew its 13 px labels at about 6 px), drawn stacked to the phone's width (it
scrolled sideways in its own box, its bars' ends out of sight: tests/browser/test_phone_widths.py), and the page does
not scroll sideways; printed, the wide chart fits the paper."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import axe_findings
from tests.browser.test_pages import reload_until
from tests.browser.test_people_defects import coop_handed_over

pytestmark = pytest.mark.e2e
PHONE = {"width": 375, "height": 667}
PAGES = (("notifier", "/admin/reports/distribution"), ("notifier", "/admin/reports/beneficiaries?group_by=gender"),
         ("notifier", "/admin/reports/cooperatives"), ("requests", "/admin/claims"))

#: how tall the chart's first label and the smallest of its texts are drawn; what the page and the chart's box scroll
MEASURE = """svg => {
    const box = svg.parentElement, texts = [...svg.querySelectorAll("text")];
    return {label: texts[0].getBoundingClientRect().height,
            smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize)
                                            * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)),
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            box: box.scrollWidth - box.clientWidth, scrolls: getComputedStyle(box).overflowX};
}"""


@pytest.fixture(scope="module")
def handed_over(dev) -> str:
    """2 kg of 40s cotton for ART-0001 of SMBSS under the demo's scheme, set aside and handed over this month."""
    return coop_handed_over(dev, [{"sku": "YRN-COT-40", "quantity": "2", "artisan_id": "ART-0001"}])


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_reports_chart_is_legible_on_a_phone_and_nothing_scrolls_sideways(people, handed_over, lang):
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.set_viewport_size(PHONE)
    for service, path in PAGES:
        page.goto(admin.url(service, path))
        chart = page.locator("svg.chart:visible")  # on a phone the stacked one, printed the wide one
        reload_until(page, lambda: chart.count() > 0, message=f"{path} to have a chart")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        drawn = chart.evaluate(MEASURE)
        assert drawn["label"] >= 11 and drawn["smallest"] >= 11, (path, drawn)
        assert drawn["page"] == 0, (path, drawn)  # the page keeps the phone's width
        assert drawn["box"] == 0, (path, drawn)  # the whole chart on the screen, nothing of it sideways
        assert axe_findings(page) == [], path
        admin.shot(f"chart-on-a-phone-{path.split('/')[-1].split('?')[0]}")
        page.emulate_media(media="print")  # printed (the Print button), the whole chart fits the paper's width
        printed = chart.evaluate(MEASURE)
        page.emulate_media(media="screen")
        assert printed["box"] == 0 and printed["page"] == 0, (path, printed)
