"""Three things a tester found on a 360-400 px phone, in English and Hindi: an order's confirmation buttons only as
wide as their words beside a full-width Receive link, the Hindi order list's "डिपो" beside its chooser (English
above it), and a report chart's long labels with bars cut off in a box that scrolled sideways (on phones, and until
the stacked chart also came to 481-710 px wide screens, on those). Each test measures the boxes the browser laid out
and failed before its fix; the desktop (1280 px) keeps its layout."""
from __future__ import annotations

import urllib.error

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import reload_until
from tests.conftest import wait_until
from tests.browser.test_people_defects import api_call, coop_handed_over
from tests.browser.test_phone_procurement import LONG, draft_order, shot

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONES = ({"width": 360, "height": 740}, {"width": 400, "height": 800})
DESKTOP = {"width": 1280, "height": 900}
# Wider than a phone, narrower than a desktop: a large phone held sideways, a small tablet, a half-screen window. The
# wide chart (640 px) fits its box from about 710 px on; narrower, a chart is drawn stacked.
BETWEEN = tuple({"width": width, "height": 900} for width in (481, 600, 700))
TABLET = {"width": 768, "height": 1024}

# Left, right, width and height of each of `elements` as drawn (those not drawn left out).
BOXES = """els => els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
    .map(r => ({left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width),
                height: Math.round(r.height)}))"""


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_an_orders_actions_on_a_phone_are_all_the_cards_width_and_a_fingers_height(people, dev, lang):
    """Receive took the card's width; Send to the supplier, Close and Cancel, and their Yes and No, their words'."""
    admin = people("admin").log_in()
    admin.language(lang)
    sent, draft = draft_order(dev, "YRN-COT-40"), draft_order(dev, "YRN-COT-40")
    api_call(dev, "inventory", f"/api/v1/purchase-orders/{sent}/send", {}, user="admin")
    page = admin.page
    for number, actions in ((sent, ("close", "cancel")), (draft, ("send", "cancel"))):
        page.goto(admin.url("inventory", f"/admin/purchase-orders/{number}"))
        card = page.locator("main .card[data-item]")
        for screen in PHONES:
            page.set_viewport_size(screen)
            inside = card.evaluate("c => { const r = c.getBoundingClientRect(), s = getComputedStyle(c);"
                                   " return Math.round(r.width - 2 * parseFloat(s.paddingLeft)"
                                   " - 2 * parseFloat(s.borderLeftWidth)); }")
            shown = card.locator(":scope > .actions > a, :scope > .actions > details > summary").evaluate_all(BOXES)
            assert len(shown) == len(actions) + (number == sent), shown
            assert {b["width"] for b in shown} == {inside}, \
                f"{number}'s actions at {screen['width']} px are {shown}, the card {inside} px inside"
            assert min(b["height"] for b in shown) >= 44, shown
            for action in actions:  # each confirmation opened: its Yes and No alike, across its box, 44 px high
                box = card.locator(f'details[data-confirm="{action}"]')
                box.locator("summary").click()
                answers = box.locator(".actions button").evaluate_all(BOXES)
                across = box.locator(".actions").evaluate("a => Math.round(a.getBoundingClientRect().width)")
                shot(page, f"order-actions-{action}")
                assert len(answers) == 2 and {b["width"] for b in answers} == {across}, (action, answers, across)
                assert across >= inside - 40 and min(b["height"] for b in answers) >= 44, (action, answers, inside)
                box.locator("[data-close-details]").click()
        page.set_viewport_size(DESKTOP)  # a desktop keeps them side by side, each as wide as its words
        tops = card.locator(":scope > .actions > a, :scope > .actions > details > summary").evaluate_all(
            "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
        assert len(set(tops)) == 1, tops


# Where the label of a chooser is drawn against the chooser: its bottom to the chooser's top, left to left, and the
# vertical middles (a label beside its chooser shares its middle).
LABEL_AND_CHOOSER = """label => {
  const l = label.getBoundingClientRect(), c = document.getElementById(label.htmlFor).getBoundingClientRect();
  return {above: Math.round(c.top - l.bottom), left: Math.round(c.left - l.left),
          beside: l.right <= c.left && Math.abs((l.top + l.bottom) / 2 - (c.top + c.bottom) / 2) < 4};
}"""


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_order_lists_labels_stand_above_their_choosers_on_a_phone_in_either_language(people, lang):
    """The narrower "डिपो" fitted beside its 18rem chooser on a 360 px phone, "Depot" did not (beside it at 400)."""
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.goto(admin.url("inventory", "/admin/purchase-orders?depot=VNS"))
    labels = {name: page.locator(f'main label[for="{name}"]') for name in ("depot-choice", "f-status")}
    for screen in PHONES:
        page.set_viewport_size(screen)
        shot(page, "order-list-labels")
        for name, label in labels.items():
            drawn = label.evaluate(LABEL_AND_CHOOSER)
            assert 0 <= drawn["above"] <= 8 and drawn["left"] == 0, f"{name} at {screen['width']} px: {drawn}"
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    page.set_viewport_size(DESKTOP)  # a desktop's filters stay one line each: the label beside its chooser
    shot(page, "order-list-labels")
    for name, label in labels.items():
        assert label.evaluate(LABEL_AND_CHOOSER)["beside"], name


# Each row of the report's chart drawn on the screen: its label (the row's first text), bars and figures, each box
# against what is seen of the chart (the screen, the chart's scrolling box, the chart); the label's size in px.
CHART_ROWS = """() => {
  const svg = [...document.querySelectorAll('main svg.chart')].find(s => s.getBoundingClientRect().width > 0);
  const frame = svg.parentElement.getBoundingClientRect(), drawn = svg.getBoundingClientRect();
  const seen = {left: Math.max(0, frame.left, drawn.left),
                right: Math.min(window.innerWidth, frame.right, drawn.right)};
  const scale = drawn.width / svg.viewBox.baseVal.width, box = r => ({l: r.left, r: r.right, t: r.top, b: r.bottom});
  const apart = (a, b) => a.r <= b.l + .5 || b.r <= a.l + .5 || a.b <= b.t + .5 || b.b <= a.t + .5;
  return {page: document.documentElement.scrollWidth - window.innerWidth,
    rows: [...svg.querySelectorAll('g[data-group], g[data-district], g[data-row]')].map(g => {
      const label = g.querySelector('text'), drawn = e => box(e.getBoundingClientRect());
      const rects = [...g.querySelectorAll('rect')].map(drawn).filter(r => r.r > r.l),
            texts = [...g.querySelectorAll('text')].map(drawn);
      const out = [...texts, ...rects].filter(b => b.l < seen.left - .5 || b.r > seen.right + .5).length;
      const words = label.children.length ? [...label.children].map(line => line.textContent).join(' ')
                                          : label.textContent;  // a label wrapped: its lines, one after another
      return {label: words.replace(/\\s+/g, ' ').trim(), out, bars: rects.length,
              px: parseFloat(getComputedStyle(label).fontSize) * scale,
              overlaps: rects.filter(r => !apart(r, texts[0])).length};
    })};
}"""


@pytest.fixture(scope="module")
def long_named_handed_over(dev):
    """2 kg of a material named in about a hundred characters (English and Hindi) handed over to a member of SMBSS."""
    api_call(dev, "inventory", "/api/v1/materials", {**LONG, "category": "yarn", "unit": "kg", "reorder_level": "1"},
             user="admin")
    api_call(dev, "inventory", f"/api/v1/materials/{LONG['sku']}/prices", {"price": "150"}, user="admin")
    api_call(dev, "inventory", "/api/v1/movements", {"type": "receipt", "sku": LONG["sku"], "depot": "VNS",
                                                     "quantity": "10"})
    coop_handed_over(dev, [{"sku": "YRN-COT-40", "quantity": "1", "artisan_id": "ART-0001"}])  # a subsidised one

    def handed_over():
        try:  # approved only once the requests service has learnt the price
            return coop_handed_over(dev, [{"sku": LONG["sku"], "quantity": "2", "artisan_id": "ART-0001"}])
        except urllib.error.HTTPError:
            return None
    return wait_until(handed_over, 30, message="the long-named material to be handed over")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_reports_chart_on_a_phone_shows_every_label_bar_and_figure_within_the_screen(people, long_named_handed_over,
                                                                                       lang):
    """On a phone the 640-unit chart scrolled sideways in its box, its 200-unit label column cut a long name to 24
    characters and left the bars' ends and figures off the screen: a bar chart with its bars out of sight. It was
    drawn stacked on phones (480 px and under) only: from 481 px to about 710 the wide one still scrolled so. Now
    stacked wherever the wide one does not fit its box, never blown up past a readable size."""
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    long_name = LONG["name_hi" if lang == "hi" else "name"]
    for service, path in (("notifier", "/admin/reports/distribution?group_by=material"),
                          ("notifier", "/admin/reports/distribution?group_by=district"),
                          ("requests", "/admin/claims")):
        page.set_viewport_size(DESKTOP)
        page.goto(admin.url(service, path))
        reload_until(page, lambda: page.locator("main svg.chart").count() > 0, message=f"{path} to have a chart")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        for screen in (*PHONES, *BETWEEN, TABLET, DESKTOP):
            page.set_viewport_size(screen)
            shot(page, "chart-" + path.rsplit("=", 1)[-1].rsplit("/", 1)[-1])
            chart = page.evaluate(CHART_ROWS)
            where = f"{path} at {screen['width']} px"
            assert chart["page"] == 0 and chart["rows"], (where, chart)
            for row in chart["rows"]:
                assert row["out"] == 0, f"{where}: {row['out']} of the bars and texts of {row['label']} out of sight"
                assert row["overlaps"] == 0 and row["bars"] >= 1 and 11 <= row["px"] <= 18, (where, row)
            if "material" in path:  # stacked or wide, the whole name, wrapped
                assert long_name in [row["label"] for row in chart["rows"]], (where, chart["rows"])


# Each row of the wide chart as drawn: its label's words (its lines one after another), the label's box against the
# chart's left edge and its row's first bar, and the band the row's labels, bars and figures take down the chart.
WIDE_ROWS = """() => {
  const svg = document.querySelector('main svg.chart:not(.stacked)'), edge = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('g[data-group]')].map(g => {
    const label = g.querySelector(':scope > text'), l = label.getBoundingClientRect();
    const drawn = [...g.querySelectorAll('text, rect')].map(e => e.getBoundingClientRect());
    const words = label.children.length ? [...label.children].map(line => line.textContent).join(' ')
                                        : label.textContent;
    return {label: words.replace(/\\s+/g, ' ').trim(), left: l.left - edge.left, right: edge.right - l.right,
            gap: Math.min(...[...g.querySelectorAll('rect')].map(r => r.getBoundingClientRect().left)) - l.right,
            top: Math.min(...drawn.map(r => r.top)), bottom: Math.max(...drawn.map(r => r.bottom)),
            shown: edge.bottom - l.bottom};
  });
}"""


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_reports_wide_chart_on_a_desktop_shows_a_long_material_name_whole_within_its_row(people,
                                                                                          long_named_handed_over,
                                                                                          lang):
    """At 1280 px the wide chart cut each label to 24 characters ("Handspun organic cotton…"; the whole name only in
    the hover title), in Hindi too, where names run longer: now a long name wraps in the label column, its row as
    tall as its lines, clear of the rows above and below it and of its own bars."""
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.set_viewport_size(DESKTOP)
    page.goto(admin.url("notifier", "/admin/reports/distribution?group_by=material"))
    wide = page.locator("main svg.chart:not(.stacked)")
    reload_until(page, lambda: wide.count() > 0 and LONG["sku"] in wide.inner_html(),
                 message="the distribution report to chart the long-named material")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(wide).to_be_visible()
    shot(page, "wide-chart-long-name")
    rows = page.evaluate(WIDE_ROWS)
    assert LONG["name_hi" if lang == "hi" else "name"] in [row["label"] for row in rows], rows
    for row in rows:
        assert "…" not in row["label"], row
        assert row["left"] >= -0.5 and row["gap"] >= 0 and row["shown"] >= -0.5, row  # in the chart, left of its bars
    for above, below in zip(rows, rows[1:]):
        assert above["bottom"] <= below["top"] + 0.5, (above, below)  # each row clear of the next
