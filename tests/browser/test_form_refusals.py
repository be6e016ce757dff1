"""Every form that writes, on each kind of user's main pages, refused in Hindi: said at the form, in Hindi, never a 500.

For each main page of the artisan, the secretary, warehouse staff and admins (tests/browser/main_pages.py), every
form that writes (POST, or rawbank.js's data-api; not the language switch or log out) is sent from the Hindi page
twice, the page loaded afresh each time: with every text and number field emptied, and with numbers far too large
(99999999999) and texts of 5,000 characters (a choice not made yet: its first; dates as they were). Forms of one
shape on a page (the catalog's reorder level of each material) are sent once. What it collects: an answer of 500
or more to anything the form sent, a script error, a refusal (an answer of 400 or more, or the page's own check
stopping it) with nothing said on the page, and English words on the Hindi page afterwards
(tests/browser/english.py). A form that takes such input is not a problem (a price may be large); the test prints
what each form did.
"""
from __future__ import annotations

import time

import pytest

from tests.browser.english import english_on
from tests.browser.main_pages import DESKTOP, MAIN_PAGES, Browsers

pytestmark = pytest.mark.e2e

ROLES = ["artisan", "secretary", "warehouse", "admin"]
MODES = ("empty", "too large")
# The forms that write, each with what tells it from the page's other forms of its shape.
FORMS = """() => [...document.querySelectorAll('form')].map((f, i) => ({i,
  writes: (f.getAttribute('method') || 'get').toLowerCase() === 'post' || f.hasAttribute('data-api'),
  action: f.getAttribute('action') || '', api: f.dataset.api || '',
  shape: [f.id, f.className, [...f.elements].map(e => e.name && e.name.replace(/[A-Z0-9]{2,}[-A-Z0-9]*/g, '*'))
          .join(',')].join('|')}))"""
# Every text and number field of form `i` emptied or given what is far too large; the names of those changed.
FILL = """([i, mode]) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const form = document.querySelectorAll('form')[i], changed = [];
  for (const el of form.elements) {
    if (el.tagName === 'SELECT' && mode !== 'empty' && !el.value) {  // a choice to make: the first, so the rest is sent
      const first = [...el.options].find(o => o.value && !o.disabled);
      if (first) { el.value = first.value; el.dispatchEvent(new Event('change', {bubbles: true})); }
    }
    if (!el.name || el.disabled || el.tagName === 'SELECT' || el.type === 'date' ||
        ['hidden', 'submit', 'button', 'checkbox', 'radio', 'file'].includes(el.type)) continue;
    const number = ['decimal', 'numeric'].includes(el.getAttribute('inputmode')) || el.type === 'number';
    el.value = mode === 'empty' ? '' : number ? '99999999999' : '\\u0915'.repeat(5000);
    el.dispatchEvent(new Event('input', {bubbles: true}));
    changed.push(el.name);
  }
  const button = [...form.querySelectorAll('button, input[type=submit]')].find(b => (b.type || 'submit') === 'submit');
  form.requestSubmit(button || undefined);
  return changed;
}"""
# What the page says went wrong: under fields, in a form's message box, the page's notice, an error summary.
SAID = """() => [...document.querySelectorAll('.field-error, [data-errors], #page-notice, .notice.error, [role=alert]')]
  .filter(el => el.checkVisibility()).map(el => el.textContent.trim()).filter(Boolean).join(' | ')"""


def writing_forms(page) -> list[dict]:
    """The page's forms that write, one of each shape, not the language switch or log out."""
    shapes, out = set(), []
    for form in page.evaluate(FORMS):
        if not form["writes"] or form["action"].endswith(("/lang", "/logout")) or form["shape"] in shapes:
            continue
        shapes.add(form["shape"])
        out.append(form)
    return out


def send(browsers, main, form: dict, mode: str, problems: list[str], done: list[str]) -> None:
    page = browsers.open(main, DESKTOP, "hi")
    sent: list[tuple[int, str, str]] = []

    def answered(response):
        if response.request.method != "GET" or response.request.resource_type == "document":
            sent.append((response.status, response.request.method, response.url.split("/", 3)[-1]))
    page.on("response", answered)
    errors = len(browsers.errors)
    where = f"{main} form {form['shape'].split('|')[0] or form['api'] or form['action']} ({mode})"
    try:
        changed = page.evaluate(FILL, [form["i"], mode])
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("response", answered)
    failed = [s for s in sent if s[0] >= 500]
    refused = [s for s in sent if 400 <= s[0] < 500]
    said = page.evaluate(SAID)
    if failed:
        problems.append(f"{where}: answered {failed}")
    if (refused or not sent) and not said:
        problems.append(f"{where}: refused {refused or '(by the page)'} and nothing said")
    if (words := english_on(page)):
        problems.append(f"{where}: English on the Hindi page: {'; '.join(words)}")
    if (lang := page.locator("html").get_attribute("lang")) != "hi":
        problems.append(f"{where}: answered in {lang!r}")
    problems.extend(f"{where}: script error: {error}" for error in browsers.errors[errors:])
    del browsers.errors[errors:]
    done.append(f"{where}: {len(changed)} fields; sent {sent or 'nothing'}; said {said[:100]!r}")


@pytest.fixture(scope="module")
def browsers(browser, dev):
    made = Browsers(browser, dev)
    made.ready_requisition()  # requests has learned the catalog: the request forms are there
    yield made
    made.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_form_a_user_is_shown_refuses_bad_input_in_their_language_at_the_form(browsers, role):
    problems, done, started = [], [], time.monotonic()
    for main in [main for main in MAIN_PAGES if main.role == role]:
        for form in writing_forms(browsers.open(main, DESKTOP, "hi")):
            for mode in MODES:
                send(browsers, main, form, mode, problems, done)
    print(f"\n{role}: {len(done)} sendings in {time.monotonic() - started:.0f} s\n" + "\n".join(done))
    assert done, f"no form that writes on {role}'s main pages"
    assert not problems, f"\n{len(problems)} problems for {role}:\n" + "\n".join(problems)
