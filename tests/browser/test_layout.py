"""What a screen shows of the pages as they are laid out: on a desktop the filters above a list and the menu; on a
360 px phone, in Hindi and English, no page wider than the screen and stacked tables that read as cards."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.main_pages import MAIN_PAGES, Browsers
from tests.browser.test_people_defects import api_call

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
    # side by side: on one row (within a pixel or two: an input and a select round their tops apart), not stacked
    assert abs(laid["tops"][0] - laid["tops"][1]) <= 2, f"the first two filters are not side by side on {path}: {laid}"


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


# On the cheapest phones artisans and depot staff have (360 x 740 CSS px), in Hindi and in English.
SMALL_PHONE = {"width": 360, "height": 740}

# A stacked table's cell shows its label, then its value as one run of text. Each piece of the value (text, a name
# in <strong>, a code in a <span>, a field and its button) starts where the piece before it ended: on its last line
# or below it, never beside a piece that goes on below (the value split into narrow columns).
_SPLIT_CELLS = """() => {
  const found = [], lines = n => {
    const range = document.createRange();
    if (n.nodeType === 1) range.selectNode(n); else range.selectNodeContents(n);
    return [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  };
  for (const cell of document.querySelectorAll('table.stack td[data-label], table.stack th[data-label]')) {
    if (!cell.getClientRects().length || getComputedStyle(cell.closest('table').tHead || cell).display !== 'none')
      continue;
    let before = null;
    for (const node of cell.childNodes) {
      if (node.nodeType === 3 && !node.textContent.trim()) continue;
      const rects = lines(node);
      if (!rects.length) continue;
      if (before && rects[0].top < before[before.length - 1].top - 4)
        found.push(`${cell.dataset.label}: "${cell.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)}"`);
      before = rects;
    }
  }
  return [...new Set(found)];
}"""

# Every row of a stacked table is as wide as the table: no cell (a total, say) shrunk to its text at the left.
_SHORT_ROWS = """() => {
  const found = [];
  for (const table of document.querySelectorAll('table.stack')) {
    if (!table.tHead || getComputedStyle(table.tHead).display !== 'none') continue;
    for (const row of table.querySelectorAll('tbody tr, tfoot tr')) {
      const cells = [...row.cells].filter(c => c.getClientRects().length);
      if (!cells.length) continue;
      const right = Math.max(...cells.map(c => c.getBoundingClientRect().right));
      if (right < row.getBoundingClientRect().right - 4)
        found.push(`"${row.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)}" ends at ${Math.round(right)}` +
                   ` of ${Math.round(row.getBoundingClientRect().right)}`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def small_phone(screens):
    """Each main page measured once per language on a 360 px phone: its width, split cells and short rows (in the
    browsers of `screens`, which closes them and checks their errors)."""
    measured = {}

    def measure(main, lang):
        if (main, lang) not in measured:
            page = screens.made.open(main, SMALL_PHONE, lang)
            measured[main, lang] = {"width": page.evaluate("document.documentElement.scrollWidth"),
                                    "split": page.evaluate(_SPLIT_CELLS), "short": page.evaluate(_SHORT_ROWS)}
        return measured[main, lang]
    return measure


def phone_cases():
    for main in MAIN_PAGES:
        for lang in ("hi", "en"):
            yield pytest.param(main, lang, id=f"{main}-{lang}")


@pytest.mark.parametrize(("main", "lang"), list(phone_cases()))
def test_no_page_of_any_role_is_wider_than_a_360_px_phone(small_phone, main, lang):
    """The hand-over slip's table (a blank 8rem column to tick) pushed the page to 369 px in Hindi and 409 px in
    English on a 360 px phone: the whole page scrolled sideways at the depot gate."""
    assert small_phone(main, lang)["width"] <= SMALL_PHONE["width"], f"{main} in {lang}"


@pytest.mark.parametrize(("main", "lang"), list(phone_cases()))
def test_a_stacked_tables_cell_reads_as_its_label_then_its_value_in_one_run(small_phone, main, lang):
    """A stacked cell was a flex row, so a value of several pieces ("Cotton yarn 40s · at the scheme price (RMSS,
    ...)", a material's name and its code, a lot and its shade) was cut into narrow columns side by side, one word
    a line."""
    assert small_phone(main, lang)["split"] == [], f"{main} in {lang}"


@pytest.mark.parametrize(("main", "lang"), list(phone_cases()))
def test_every_row_of_a_stacked_table_is_as_wide_as_the_table(small_phone, main, lang):
    """A stacked table's total row ("To pay", a purchase order's "Total") is header cells, which stayed table cells
    inside a block row: the label shrank to a box at the left, its line over only that box, the amount on a line of
    its own."""
    assert small_phone(main, lang)["short"] == [], f"{main} in {lang}"


# Each kind of user's own page, for the menu and the header: (service, path).
OWN_PAGES = {"artisan": ("requests", "/my"), "secretary": ("requests", "/coop/new"),
             "warehouse": ("inventory", "/warehouse/stock"), "admin": ("requests", "/admin/approvals")}
DESKTOP = {"width": 1280, "height": 900}
MENU_ROW = 48  # one row of the menu: a 44 px entry and the gap under it
MENU_CONTROL = {"en": "Menu", "hi": "मेनू"}

# Where the page's heading starts under the header, which menu entries are drawn (the current one too), and which of
# the header's controls (the language switch, Log out) are not drawn.
_MENU = """() => {
  const drawn = e => e.checkVisibility() && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
  const header = document.querySelector('header.top'), links = [...document.querySelectorAll('nav.nav a')];
  return {heading: Math.round(document.querySelector('main h1').getBoundingClientRect().top -
                              header.getBoundingClientRect().bottom),
          entries: links.length, drawn: links.filter(drawn).map(a => a.textContent.trim()),
          current: links.filter(a => a.getAttribute('aria-current') === 'page' && drawn(a)).length,
          off: links.filter(a => a.getBoundingClientRect().right > window.innerWidth).map(a => a.textContent.trim()),
          controls: [...document.querySelectorAll('nav.nav summary')].filter(drawn).map(s => s.textContent.trim()),
          header: [...header.querySelectorAll('button')].filter(b => !drawn(b)).map(b => b.textContent.trim())};
}"""


@pytest.fixture(scope="module")
def screens(browser, dev):
    """One logged-in browser per kind of user and screen width, each page opened in the language asked for."""
    made = Browsers(browser, dev)

    def open_page(role: str, viewport: dict, lang: str, service: str, path: str):
        page = made.page(role, viewport, lang)
        page.goto(dev.url(service, path))
        page.wait_for_load_state("networkidle")
        return page
    open_page.made = made
    yield open_page
    made.close()
    assert made.errors == [], made.errors


def roles_and_languages():
    for role in OWN_PAGES:
        for lang in ("hi", "en"):
            yield pytest.param(role, lang, id=f"{role}-{lang}")


@pytest.mark.parametrize(("role", "lang"), list(roles_and_languages()))
def test_on_a_phone_the_menu_is_one_control_above_the_page_and_opening_it_shows_every_entry(screens, role, lang):
    """On a 360 px phone an admin's 17 menu entries took five rows (a warehouse's and an artisan's three) before the
    page's heading; now the menu is one "Menu" control (a <details>: keyboard and screen readers open it with no
    script) and the language switch and Log out stay in the header."""
    page = screens(role, SMALL_PHONE, lang, *OWN_PAGES[role])
    folded = page.evaluate(_MENU)
    assert folded["heading"] <= 2 * MENU_ROW, f"the heading starts {folded['heading']} px under the header: {folded}"
    assert folded["drawn"] == [], f"menu entries drawn before the menu is opened: {folded}"
    assert folded["controls"] == [MENU_CONTROL[lang]], folded
    assert folded["header"] == [], f"header controls not drawn: {folded['header']}"
    control = page.locator("nav.nav summary")
    control.focus()
    page.keyboard.press("Enter")  # as with a keyboard; a tap does the same
    opened = page.evaluate(_MENU)
    assert len(opened["drawn"]) == opened["entries"] > 0, f"entries not drawn with the menu open: {opened}"
    assert opened["current"] == 1, f"the current page's entry is not drawn: {opened}"
    assert opened["off"] == [], f"entries off the screen: {opened['off']}"
    page.keyboard.press("Enter")
    assert page.evaluate(_MENU)["drawn"] == [], "the menu did not fold again"


# The header on a phone: how far down its Menu control ends, and its parts (the brand, the language switch, who is
# logged in, Log out): which are not drawn, which overlap, which reach past the screen's edge.
HEADER_MAX = 150  # two rows of 44 px controls and the Menu control's row, a few px apart (it took 215 px)
_HEADER = """() => {
  const drawn = e => e.checkVisibility() && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
  const header = document.querySelector('header.top'), control = document.querySelector('nav.nav summary');
  const parts = [...header.querySelectorAll('a, button, .who')].map(e => [e.textContent.trim().replace(/\\s+/g, ' '),
                                                                       e.getBoundingClientRect(), drawn(e)]);
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  return {height: Math.round(control.getBoundingClientRect().bottom - header.getBoundingClientRect().top),
          hidden: parts.filter(([, , d]) => !d).map(([n]) => n),
          overlaps: parts.flatMap(([a, ra], i) => parts.slice(i + 1).filter(([, rb]) => hit(ra, rb))
                                                       .map(([b]) => [a, b])),
          outside: parts.filter(([, r]) => r.left < 0 || r.right > window.innerWidth).map(([n]) => n),
          width: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize(("role", "lang"), list(roles_and_languages()))
def test_on_a_phone_the_header_and_the_menu_control_take_at_most_two_rows_and_a_menu_row(screens, role, lang):
    """On a 360 px phone the header (the brand and its tagline, the two language buttons, "admin · Admin", Log out)
    took three or four rows, about 170 px, before the Menu control: the page's heading started a third of the way
    down the screen. Now the tagline is left to screen readers and the header's controls share two rows, the name
    shortened (never overlapping) when it is long; every control is still drawn, inside the screen."""
    laid = screens(role, SMALL_PHONE, lang, *OWN_PAGES[role]).evaluate(_HEADER)
    assert laid["hidden"] == [] and laid["overlaps"] == [] and laid["outside"] == [], laid
    assert laid["width"] <= SMALL_PHONE["width"], laid
    assert laid["height"] <= HEADER_MAX, f"the header and the Menu control take {laid['height']} px: {laid}"


@pytest.mark.parametrize(("role", "lang"), list(roles_and_languages()))
def test_on_a_desktop_every_menu_entry_is_drawn_without_opening_anything(screens, role, lang):
    """Folding the menu on phones leaves it as it was on a desktop: every entry drawn, wrapping, and no Menu control
    to open first."""
    shown = screens(role, DESKTOP, lang, *OWN_PAGES[role]).evaluate(_MENU)
    assert len(shown["drawn"]) == shown["entries"] > 0, f"entries not drawn: {shown}"
    assert shown["current"] == 1 and shown["off"] == [] and shown["controls"] == [], shown


# The gap between the buttons beside (or under) a page's heading and the first thing drawn below them.
_GAP_UNDER_HEADING = """() => {
  const top = document.querySelector('main .spread');
  const buttons = [...top.querySelectorAll('button, a.button')].filter(e => e.checkVisibility());
  let next = top.nextElementSibling;
  while (next && !next.checkVisibility()) next = next.nextElementSibling;
  return {buttons: buttons.map(b => b.textContent.trim()),
          heading: Math.round(next.getBoundingClientRect().top - top.querySelector('h1').getBoundingClientRect().bottom),
          gap: Math.round(next.getBoundingClientRect().top - Math.max(...buttons.map(b => b.getBoundingClientRect().bottom)))};
}"""
TOP_BUTTONS = {"artisan": ("requests", "/my"), "admin": ("requests", "/admin/approvals"),
               "warehouse": ("inventory", "/warehouse/stock")}


def top_button_cases():
    for role in TOP_BUTTONS:
        for screen, viewport in (("phone", SMALL_PHONE), ("desktop", DESKTOP)):
            for lang in ("hi", "en"):
                yield pytest.param(role, viewport, lang, id=f"{role}-{screen}-{lang}")


def with_rows(dev, role) -> tuple[str, str]:
    """The role's list of TOP_BUTTONS with a row in it (Print and Download CSV are offered only then): the artisan
    sends a request, and the approvals list every status."""
    service, path = TOP_BUTTONS[role]
    api_call(dev, "requests", "/api/v1/requisitions", {"depot": "VNS", "lines": [
        {"sku": "YRN-COT-40", "quantity": "1"}]}, user="artisan")
    return service, path + "?status=" if role == "admin" else path

@pytest.mark.parametrize(("role", "viewport", "lang"), list(top_button_cases()))
def test_the_buttons_by_a_pages_heading_keep_the_headings_space_from_the_card_under_them(screens, dev, role, viewport,
                                                                                        lang):
    """My requests' New request and Print and the approvals' Download CSV and Print touched the card under them on a
    phone (0 px) and all but touched it on a desktop (10 px), where a heading keeps 1rem. (Download CSV and Print
    are offered only for a list with rows: the artisan has a request, and the approvals list every status.)"""
    service, path = with_rows(dev, role)
    laid = screens(role, viewport, lang, service, path).evaluate(_GAP_UNDER_HEADING)
    assert laid["buttons"], laid
    assert laid["gap"] >= 15, f"{laid['gap']} px between {laid['buttons']} and the card under them: {laid}"


# The buttons in the group beside a page's heading: each one's box, and the box of the heading's row.
_HEADING_BUTTONS = """() => {
  const top = document.querySelector('main .spread'), row = top.getBoundingClientRect();
  return {row: [Math.round(row.left), Math.round(row.right)],
          buttons: [...top.querySelectorAll('.actions button, .actions a.button')].filter(e => e.checkVisibility())
            .map(b => { const r = b.getBoundingClientRect();
                        return [b.textContent.trim(), Math.round(r.left), Math.round(r.right), Math.round(r.top),
                                Math.round(r.bottom)]; })};
}"""


@pytest.mark.parametrize("lang", ["hi", "en"])
@pytest.mark.parametrize("role", ["artisan", "admin"])
def test_on_a_phone_the_buttons_by_a_pages_heading_are_each_as_wide_as_the_page(screens, dev, role, lang):
    """On a phone a button in a group of buttons (.actions) is as wide as the page, one under another, as a form's
    buttons are; the group beside a heading (My requests' New request and Print, the approvals' Download CSV and
    Print) only as wide as its widest button's text, so New request and Print stood at 217 px of 336, and the
    approvals' at 229. (Print is offered only for a list with rows: the artisan has a request, and the approvals
    list every request here, whatever its status.)"""
    service, path = with_rows(dev, role)
    laid = screens(role, SMALL_PHONE, lang, service, path).evaluate(_HEADING_BUTTONS)
    (left, right), buttons = laid["row"], laid["buttons"]
    assert len(buttons) >= 2, laid
    for name, b_left, b_right, _top, _bottom in buttons:
        assert abs(b_left - left) <= 1 and abs(b_right - right) <= 1, f"{name} is not as wide as the page: {laid}"
    assert all(above[4] <= below[3] for above, below in zip(buttons, buttons[1:])), f"overlapping: {laid}"


# A one-line form's fields and buttons: where each is, whether two overlap, whether all are inside the form's box.
_LINE_FORMS = """selector => [...document.querySelectorAll(selector)].map(form => {
  // a unit after a field ("kg") is in the row too: its gaps count, its top is a line of text's, not a box's
  const controls = [...form.querySelectorAll('input:not([type=hidden]), select, button, .unit')]
    .filter(e => e.checkVisibility())
    .map(e => [e.name || e.textContent.trim(), e.getBoundingClientRect(), e.matches('.unit')]);
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const box = (form.closest('td') || form.closest('.card')).getBoundingClientRect();
  return {tops: controls.filter(([, , unit]) => !unit).map(([, r]) => Math.round(r.top)),
          gaps: controls.slice(1).map(([, r], i) => Math.round(r.left - controls[i][1].right)),
          overlaps: controls.flatMap(([a, ra], i) => controls.slice(i + 1).filter(([, rb]) => hit(ra, rb))
                                                           .map(([b]) => [a, b])),
          outside: controls.filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1).map(([n]) => n)};
})"""


@pytest.fixture(scope="module")
def open_count(screens):
    """A stock count begun at the Varanasi depot, through its page (its address)."""
    page = screens("warehouse", DESKTOP, "en", "inventory", "/warehouse/counts")
    page.get_by_role("button", name="Start a count").click()
    page.wait_for_url(lambda url: "/warehouse/counts/CNT-" in url)
    return urlsplit(page.url).path


LINE_FORMS = {"lots": ("warehouse", "/warehouse/lots", "#lots form[data-idempotency]"),
              "count": ("warehouse", None, "#count-lines form"),
              "count-admin": ("admin", None, "#count-lines form"),
              "catalog": ("admin", "/admin/catalog", "table form[data-method=PATCH]")}


def line_form_cases():
    for name in LINE_FORMS:
        for width in (1024, 1280, 360):
            for lang in ("en", "hi"):
                yield pytest.param(name, width, lang, id=f"{name}-{width}-{lang}")


@pytest.mark.parametrize(("name", "width", "lang"), list(line_form_cases()))
def test_a_lines_fields_and_button_stand_in_one_row_a_gap_apart(screens, open_count, name, width, lang):
    """The lots' return form and the count's Save (and the catalog's reorder level) wrapped unevenly: their quantity
    field, class "narrow", took the centred card's margin (2rem auto), so in English the field stood alone on a line
    of its own, centred under its label, with Why and Return on a third line, and Save sat 2rem under the row's other
    values and 3rem away from its field. Now each field and its button stand side by side, a gap apart, from a 360 px
    phone to a desktop, with nothing overlapping or outside its card or cell."""
    role, path, selector = LINE_FORMS[name]
    viewport = SMALL_PHONE if width == 360 else {"width": width, "height": 900}
    page = screens(role, viewport, lang, "inventory", path or open_count)
    forms = page.evaluate(_LINE_FORMS, selector)
    assert forms, f"no form {selector} on {path or open_count}"
    for laid in forms:
        assert laid["overlaps"] == [] and laid["outside"] == [], laid
        assert max(laid["tops"]) - min(laid["tops"]) <= 2, f"fields and button not in one row: {laid}"
        assert all(0 < gap <= 20 for gap in laid["gaps"]), f"not side by side a gap apart: {laid}"


# The suppliers' tolerance and lead time: each field, the unit after it ("%", "days") and Save, in DOM order.
_UNIT_FORMS = """() => [...document.querySelectorAll('#suppliers form')].map(form => {
  const box = e => { if (e.nodeType === 1) return e.getBoundingClientRect();
                     const range = document.createRange(); range.selectNodeContents(e);
                     return range.getBoundingClientRect(); };
  const items = [];
  for (const field of form.querySelectorAll('input:not([type=hidden]), button')) {
    items.push(['field', field.name || field.textContent.trim(), box(field)]);
    let unit = field.nextSibling;
    while (unit && unit.nodeType === 3 && !unit.textContent.trim()) unit = unit.nextSibling;
    if (field.tagName === 'INPUT' && unit && (unit.nodeType === 3 || !unit.matches('input, label, button, div')))
      items.push(['unit', unit.textContent.trim(), box(unit)]);
  }
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const cell = form.closest('td').getBoundingClientRect();
  const fields = items.filter(([kind]) => kind === 'field').map(([, , r]) => r);
  return {items: items.map(([kind, name]) => `${kind} ${name}`),
          tops: fields.map(r => Math.round(r.top)),
          middles: items.filter(([kind]) => kind === 'unit')
            .map(([, , r]) => Math.round((r.top + r.bottom) / 2 - (fields[0].top + fields[0].bottom) / 2)),
          gaps: items.slice(1).map(([kind, , r], i) => [kind, Math.round(r.left - items[i][2].right)]),
          overlaps: items.flatMap(([, a, ra], i) => items.slice(i + 1).filter(([, , rb]) => hit(ra, rb))
                                                       .map(([, b]) => [a, b])),
          outside: items.filter(([, , r]) => r.left < cell.left - 1 || r.right > cell.right + 1).map(([, n]) => n)};
})"""
UNITS = {"en": ["%", "days"], "hi": ["%", "दिन"]}


@pytest.mark.parametrize(("width", "lang"), [(w, lang) for w in (1024, 1280, 360) for lang in ("en", "hi")])
def test_a_suppliers_tolerance_and_lead_time_stand_in_one_row_each_unit_next_to_its_field(screens, width, lang):
    """The suppliers' tolerance and lead-time form kept the old row layout, a 1rem gap on each side of "%" and "days"
    (as far from its field as from the next one); it is a one-line form now, as the lots', counts' and catalog's are:
    the fields and Save in one row a gap apart, each unit just after its field, nothing overlapping or outside its
    cell, from a 360 px phone to a desktop."""
    viewport = SMALL_PHONE if width == 360 else {"width": width, "height": 900}
    forms = screens("admin", viewport, lang, "inventory", "/admin/suppliers").evaluate(_UNIT_FORMS)
    assert forms, "no supplier's form"
    for laid in forms:
        assert [item.split(" ", 1)[1] for item in laid["items"] if item.startswith("unit")] == UNITS[lang], laid
        assert laid["overlaps"] == [] and laid["outside"] == [], laid
        assert max(laid["tops"]) - min(laid["tops"]) <= 2, f"fields and button not in one row: {laid}"
        assert all(abs(middle) <= 4 for middle in laid["middles"]), f"a unit is not beside its field: {laid}"
        assert all(0 <= gap <= 8 if kind == "unit" else 0 < gap <= 20 for kind, gap in laid["gaps"]), \
            f"a unit is not next to its field, or a field not a gap from the one before: {laid}"


# A browser older than CSS ::details-content (Chrome before 131, Firefox before 143, Safari before 18.4, as on many
# office PCs) cannot draw the folded menu's entries with its control hidden: made so here by CSS.supports saying no.
_OLD_BROWSER = """const supports = CSS.supports.bind(CSS);
CSS.supports = (...args) => !String(args[0]).includes('details-content') && supports(...args);"""
_MENU_STATE = """() => { const menu = document.querySelector('nav.nav details.menu'), summary = menu.querySelector('summary');
  return {open: menu.open, control: summary.checkVisibility() && summary.getBoundingClientRect().height > 0}; }"""


@pytest.mark.parametrize(("width", "unfolded"), [(1279, True), (359, False)])
def test_on_an_older_desktop_browser_the_menu_is_unfolded_with_no_control_and_on_its_phone_folded(screens, width,
                                                                                                  unfolded):
    """Such a browser showed the desktop a closed Menu control where every entry had been: the page opens it there
    (and hides the control), and leaves it folded on a phone."""
    page = screens.made.page("admin", {"width": width, "height": 900}, "en")
    page.add_init_script(_OLD_BROWSER)
    page.goto(screens.made.dev.url("notifier", "/admin/alerts"))
    page.wait_for_load_state("networkidle")
    state = page.evaluate(_MENU_STATE)
    assert state["open"] == unfolded, state
    if unfolded:
        assert not state["control"], state
