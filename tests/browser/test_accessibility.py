"""The accessibility pass of issue 18: on every main page of the three services, on a 390 px phone in Hindi and a
1366 px desktop in English, axe-core finds no WCAG 2 A/AA violation (labels, roles, names, contrast) and every
control is at least 44 x 44 px. Each page's screenshot is written to test-output/screenshots/."""
from __future__ import annotations

import pytest

from tests.browser.checks import axe_findings, small_targets
from tests.browser.conftest import SCREENSHOTS
from tests.browser.main_pages import DESKTOP, MAIN_PAGES, PHONE, Browsers

pytestmark = pytest.mark.e2e
SCREENS = {"phone-hi": (PHONE, "hi"), "desktop-en": (DESKTOP, "en")}


@pytest.fixture(scope="module")
def browsers(browser, dev):
    made = Browsers(browser, dev)
    yield made
    made.close()


def cases():
    for main in MAIN_PAGES:
        for screen in SCREENS:
            yield pytest.param(main, screen, id=f"{main}-{screen}")


@pytest.mark.parametrize(("main", "screen"), list(cases()))
def test_every_main_page_passes_axe_and_has_finger_sized_controls(browsers, main, screen):
    viewport, lang = SCREENS[screen]
    page = browsers.open(main, viewport, lang)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{main}-{screen}.png"), full_page=True)
    found = {"axe": axe_findings(page), "smaller than 44 x 44 px": small_targets(page), "script": browsers.errors}
    browsers.errors = []
    assert {kind: lines for kind, lines in found.items() if lines} == {}, f"{main} on the {screen}"


def test_the_pass_finds_what_it_looks_for(browsers):
    """An unlabelled field, grey on white and a 20 px button, put on a page: each is found."""
    page = browsers.open(MAIN_PAGES[0], DESKTOP, "en")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p class="bad">faint</p><input name="nameless"><button class="tiny">x</button>')""")
    page.evaluate("""() => { document.querySelector('.bad').style.color = '#ccc';
        Object.assign(document.querySelector('.tiny').style, {minHeight: '0', minWidth: '0', height: '20px',
                                                              width: '20px', padding: '0'}); }""")
    rules = {line.split(" ")[0] for line in axe_findings(page)}
    assert {"label", "color-contrast"} <= rules, rules
    assert [line for line in small_targets(page) if line.startswith('button[submit] "x" 20x20')], small_targets(page)
    browsers.errors = []
