"""The depot's procurement pages on a 360 x 740 phone, in Hindi and English, as a tester found them: a long material
name cut short on a new order's line, a count's number broken across two lines of its heading, and a blank strip at
the top of an order's action card. Each test measures the boxes the browser laid out and failed before its fix."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_people_defects import api_call

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
LONG = {"sku": "YRN-COT-HANDSPUN-LONG",
        "name": "Handspun organic cotton yarn 2/60s for Banarasi brocade, mercerised and gassed, natural cream",
        "name_hi": "हाथ से कता जैविक सूती धागा 2/60s बनारसी ज़री के लिए, "
                   "मर्सराइज़्ड और गैस किया हुआ, प्राकृतिक क्रीम रंग"}


def shot(page, name: str):
    """The whole page as drawn, to look at: test-output/screenshots/<name>-<lang>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    lang = page.locator("html").get_attribute("lang")
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"phone-procurement-{name}-{lang}-{width}.png"), full_page=True)


def open_on(user, lang: str, path: str, screen=PHONE):
    user.language(lang)
    page = user.page
    page.set_viewport_size(screen)
    page.goto(user.url("inventory", path))
    return page


@pytest.fixture(scope="module")
def long_named(dev):
    """A material whose English and Hindi names are each about a hundred characters long."""
    api_call(dev, "inventory", "/api/v1/materials", {**LONG, "category": "yarn", "unit": "kg", "reorder_level": "10"},
             user="admin")
    return LONG


def draft_order(dev, sku: str) -> str:
    """A draft order to Sri Ram Spinning Mills for Varanasi of 10 of `sku`: its number."""
    return api_call(dev, "inventory", "/api/v1/purchase-orders", {
        "supplier": "SRM", "depot": "VNS", "expected_on": "2099-01-31",
        "lines": [{"sku": sku, "quantity": "10", "price": "245.50"}]}, user="admin")["purchase_order"]


# Where a text is drawn in full, in a box of its own on the screen (a <select> shows only what its width holds of its
# chosen option): every element of `within` but a select's own, shown, whose text has all of `text`, from the
# screen's left edge to its right, none of it cut off by the element's own width (innerText counts a select's options:
# no element around a select counts).
READABLE = """(within, text) => {
  const plain = s => s.replace(/\\s+/g, ' ').trim();
  return [...within.querySelectorAll('*')].filter(e => {
    if (e.closest('select') || e.querySelector('select') || !plain(e.innerText || '').includes(text)) return false;
    const r = e.getBoundingClientRect(), style = getComputedStyle(e);
    return r.width > 1 && r.height > 1 && style.clip === 'auto' && style.visibility === 'visible' &&
        r.left >= 0 && r.right <= window.innerWidth && e.scrollWidth <= e.clientWidth + 1;
  }).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
}"""


def sideways(page) -> dict:
    """How far the page, and the form's lines in their own scrolling box, reach past what the screen shows."""
    return page.evaluate("""() => ({page: document.documentElement.scrollWidth - window.innerWidth,
        lines: Math.max(0, ...[...document.querySelectorAll('.table-wrap')]
                                .map(w => w.scrollWidth - w.clientWidth))})""")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_long_material_name_chosen_on_a_new_orders_line_reads_in_full(people, long_named, lang):
    """The line's chooser, a third of a 360 px phone's width, showed "Handspu" of a hundred-character name."""
    name = long_named["name_hi" if lang == "hi" else "name"]
    admin = people("admin").log_in()
    page = open_on(admin, lang, "/admin/purchase-orders?depot=VNS")
    form = page.locator("#new-order")
    form.locator("#l0-sku").select_option("YRN-COT-40")  # a short name: the chooser shows it, once
    form.locator("#l1-sku").select_option(long_named["sku"])  # the second line: any line, not only the first
    line = form.locator("[data-line]").nth(1)
    chooser, lines = line.locator("select").bounding_box(), form.locator(".table-wrap").bounding_box()
    assert chooser["width"] >= .8 * lines["width"], f"on a phone the chooser is {chooser['width']:.0f} px wide of " \
        f"the line's {lines['width']:.0f}"
    for screen in (PHONE, DESKTOP):
        page.set_viewport_size(screen)
        shot(page, "new-order-line")
        expect(form.locator("[data-line]").first.locator(".chosen-name")).to_be_hidden()
        assert line.evaluate(READABLE, name) != [], \
            f"the chosen material's name is not shown in full on a {screen['width']} px screen in {lang}: " \
            f"its chooser is {line.locator('select').bounding_box()['width']:.0f} px wide"
        assert sideways(page) == {"page": 0, "lines": 0}, f"the order form scrolls sideways at {screen['width']} px"

    form.locator("#l0-sku").select_option("")  # a line started and not filled in would be refused
    form.locator("#o-supplier").select_option("SRM")
    form.locator("#o-expected").fill("2099-01-31")
    form.locator("#l1-quantity").fill("10")
    form.locator("#l1-price").fill("245.50")
    form.locator('button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/admin/purchase-orders/PO-\d+$"))
    row = page.locator(f'#order-lines tr[data-sku="{long_named["sku"]}"]')
    for screen in (DESKTOP, PHONE):  # the order raised says it in full too
        page.set_viewport_size(screen)
        shot(page, "order-long-name")
        assert row.evaluate(READABLE, name) != []
        assert sideways(page)["page"] == 0


# The distinct tops of the lines a heading's `number` is drawn on (one when it is whole).
NUMBER_LINES = """(heading, number) => {
  const walk = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const at = node.textContent.indexOf(number);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + number.length);
    return [...new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)))];
  }
  return null;
}"""


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_count_or_orders_number_stays_whole_in_its_heading_on_any_phone(people, dev, lang):
    """"Stock count CNT-00012 at Bhadohi depot" broke after "CNT-" on some phones' widths, the number's halves on two
    lines; the heading still wraps between its words, within the screen."""
    warehouse = people("warehouse").log_in()
    page = open_on(warehouse, lang, "/warehouse/counts")
    page.get_by_role("button", name=re.compile("^(Start a count|गिनती शुरू करें)$")).click()
    page.wait_for_url(re.compile(r"/warehouse/counts/CNT-\d+$"))
    count = page.url.rsplit("/", 1)[1]
    order = draft_order(dev, "YRN-COT-40")
    broken = []
    for path, number in ((f"/warehouse/counts/{count}", count), (f"/warehouse/counts/{count}/sheet", count),
                         (f"/admin/purchase-orders/{order}", order)):
        page.goto(warehouse.url("inventory", path))
        heading = page.locator("main h1")
        for width in range(300, 482, 2):
            page.set_viewport_size({"width": width, "height": 740})
            tops = heading.evaluate(NUMBER_LINES, number)
            assert tops, f"{number} is not in the heading of {path}"
            if len(tops) > 1:
                broken.append(f"{path} at {width} px")
                if len(broken) == 1:
                    shot(page, "heading-broken")
            assert heading.evaluate("h => h.scrollWidth <= h.clientWidth"), f"{path}'s heading is cut at {width} px"
        page.set_viewport_size(DESKTOP)
        shot(page, "heading")
    assert broken == [], f"the number is broken across two lines in {lang}: {broken}"


# The blank above the first thing a card shows: from the top of its content (inside its border and padding) to
# the top of the first control or text drawn in it.
BLANK_ABOVE = """card => {
  const box = card.getBoundingClientRect(), style = getComputedStyle(card);
  const top = box.top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
  const shown = [...card.querySelectorAll('a, button, summary, p, .notice')]
      .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
  return shown.length ? Math.round(Math.min(...shown.map(r => r.top)) - top) : null;
}"""


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_an_orders_action_card_has_no_blank_strip_above_its_buttons(people, dev, lang):
    """The card's empty error notice is hidden, but the buttons under it kept the 1rem that sets a form's buttons
    apart from its fields, and an order's first in-page confirmation 1rem more: 16 to 32 px of blank at the card's top
    on a phone; on a desktop each confirmation stood 1rem lower than the link beside it; a cancelled order seen at a
    depot showed an empty card."""
    warehouse, admin = people("warehouse").log_in(), people("admin").log_in()
    sent, draft, cancelled = (draft_order(dev, "YRN-COT-40") for _ in range(3))
    api_call(dev, "inventory", f"/api/v1/purchase-orders/{sent}/send", {}, user="admin")
    api_call(dev, "inventory", f"/api/v1/purchase-orders/{cancelled}/cancel", {}, user="admin")
    blanks = {}
    for user, number in ((warehouse, sent), (admin, sent), (admin, draft)):
        page = open_on(user, lang, f"/admin/purchase-orders/{number}")
        card = page.locator("main .card[data-item]")
        expect(card.get_by_role("link").or_(card.locator("summary")).first).to_be_visible()
        blanks[user.role, number] = card.evaluate(BLANK_ABOVE)
        shot(page, f"order-card-{user.role}-{number}")
    assert all(blank <= 1 for blank in blanks.values()), f"blank px at the top of the action card: {blanks}"
    page = open_on(admin, lang, f"/admin/purchase-orders/{sent}", DESKTOP)  # Receive, Close and Cancel side by side
    tops = page.locator("main .card[data-item] .actions").locator("a, summary").evaluate_all(
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    shot(page, "order-card-admin")
    assert len(tops) == 3 and len(set(tops)) == 1, f"the card's buttons do not stand in one row: tops {tops}"

    page = open_on(warehouse, lang, f"/admin/purchase-orders/{cancelled}")
    empty = page.locator("main .card").evaluate_all("cards => cards.filter(c => !c.innerText.trim()).length")
    assert empty == 0, f"an empty card on cancelled order {cancelled}"

    # what the card says when there is something to say stays where it was: above the buttons, a gap apart
    page = open_on(admin, lang, f"/admin/purchase-orders/{draft}")
    api_call(dev, "inventory", f"/api/v1/purchase-orders/{draft}/cancel", {}, user="admin")  # behind the page's back
    card = page.locator("main .card[data-item]")
    box = card.locator('details[data-confirm="send"]')
    box.locator("summary").click()
    box.locator("button[data-action]").click()
    notice = card.locator("[data-errors]")
    expect(notice).not_to_be_empty()
    shot(page, "order-card-refused")
    said, opener = notice.bounding_box(), card.locator("details").first.bounding_box()
    assert card.evaluate(BLANK_ABOVE) <= 9, "the refusal is not at the top of the card"  # its own .5rem margin
    assert said["height"] > 30 and said["y"] + said["height"] + 8 <= opener["y"], (said, opener)
