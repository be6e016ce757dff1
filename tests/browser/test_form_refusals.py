"""A form a person is shown refuses bad input in words the person reads, in their language, and changes nothing.

For each kind of user (artisan, secretary, warehouse, admin) the audit opens their main pages and first page (the
crawl's starts, tests/browser/test_crawl.py) and the pages one link away, at most PAGE_VARIANTS pages of a shape,
and finds every form that writes: method POST, or a rawbank.js form (data-api). Not the language switch or logging
out, and not a form with nothing to type (a button such as "Cancel this count": its one input is the click). At
most FORM_VARIANTS forms of one shape (the page's shape and the form's id or address) are audited, so a table's
rows do not crowd out the rest. Each form is sent in the user's logged-in browser, on a fresh copy of its page:

  empty        every field emptied (a list's choice too, if it has an empty one)
  abc          every number field given that, every text field 5,000 characters; through the page's own checks
  server -5, server abc, server 1e9  -5, abc or 1e9 in the number fields and 5,000 characters in the text ones,
               with the page's checks taken away (required, inputmode, maxlength, pattern, min, max of
               the fields): what the service itself answers to a person whose page did not check

"empty" and the server cases in Hindi, "abc" and "server abc" in English. What it collects, per submission: an
answer of 500 or more or a script error; a refusal not shown near the form (no field marked, no notice in the form
or the page's notice) or shown as a raw JSON page; a refusal whose words are English on a Hindi page
(tests/browser/english.py's words); a plain (non-script) form whose refusal comes back without what was typed in
it; and a refused submission that changed a store: every list the form's service answers to an admin (GET, no path
parameter) is read before and after it (its own store is written before it answers; the other services hear of it
later). What was accepted is printed per form (an accepted 5,000 characters note is not a problem). A form whose
button is hidden (an alert already seen to) is not sent."""
from __future__ import annotations

import json
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.browser.english import english_in
from tests.browser.main_pages import DESKTOP
from tests.browser import test_crawl
from tests.browser.test_crawl import Crawl, key_of, shape_of
from tests.devserver import http

pytestmark = pytest.mark.e2e
browsers, lived_in = test_crawl.browsers, test_crawl.lived_in  # the crawl's fixtures: its browsers, a day's work

ROLES = ["artisan", "secretary", "warehouse", "admin"]
PAGE_VARIANTS = 1  # pages of one shape opened to look for forms
FORM_VARIANTS = 1  # forms of one shape audited
LONG = "x" * 5000
# Refusals that name the codes a person types, in Latin letters in Hindi too: not counted as English words here
# (left as found: the message would need its codes marked as typed).
CODES_TO_TYPE = ("जैसे yarn या dye",)
CASES = {"hi": ["empty", "server -5", "server abc", "server 1e9"], "en": ["abc", "server abc"]}


def without_codes(text: str) -> str:
    for phrase in CODES_TO_TYPE:
        text = text.replace(phrase, "")
    return text


# The forms of a page that write, with what can be typed in them.
FORMS = """() => Array.from(document.forms).map((form, index) => {
  // attributes, not form.method/form.action: a field named "method" (the payment method) shadows those properties
  const posts = (form.getAttribute('method') || 'get').toLowerCase() === 'post';
  const action = form.getAttribute('data-api')
    || (posts ? new URL(form.getAttribute('action') || '', document.baseURI).href : null);
  const fields = Array.from(form.elements).filter(el => el.name && !el.disabled
    && !['hidden', 'submit', 'button', 'checkbox', 'radio', 'reset'].includes(el.type))
    .map(el => ({name: el.name, tag: el.tagName.toLowerCase(), type: el.type,
                 number: el.type === 'number' || ['decimal', 'numeric'].includes(el.inputMode)}));
  return {index, id: form.id, action, api: form.hasAttribute('data-api'),
          method: form.getAttribute('data-method') || 'POST', fields,
          skip: form.classList.contains('lang') || /\\/logout$/.test(form.action || '')};
}).filter(form => form.action && !form.skip)"""

# Fill one form (by its index) with a case's values and send it with its last plain submit button.
SUBMIT = """([index, numbers, texts, strip]) => {
  const SKIP = ['hidden', 'submit', 'button', 'checkbox', 'radio', 'reset'];
  const form = document.forms[index];
  const typed = {};
  for (const el of Array.from(form.elements)) {
    if (!el.name || el.disabled || SKIP.includes(el.type)) continue;
    if (strip) {
      for (const name of ['required', 'inputmode', 'maxlength', 'minlength', 'pattern', 'min', 'max', 'step',
                          'data-positive']) el.removeAttribute(name);
      if (el.type === 'number' || el.type === 'email' || el.type === 'tel') el.type = 'text';
    }
    const number = el.type === 'number' || ['decimal', 'numeric'].includes(el.getAttribute('inputmode'))
      || (strip && el.dataset.auditNumber);
    if (el.tagName === 'SELECT') {  // emptied only if a person can empty it
      if (texts === '' && Array.from(el.options).some(o => o.value === '')) el.value = '';
    }
    else if (el.type !== 'date' || texts === '') el.value = number ? numbers : texts;
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
    if (el.tagName !== 'SELECT' && el.type !== 'date') typed[el.name] = el.value;
  }
  const buttons = Array.from(form.querySelectorAll('button, input[type=submit]'))
    .filter(b => (b.type === 'submit') && !b.formNoValidate);
  const button = buttons[buttons.length - 1];
  if (button && button.closest('[hidden]')) return null;  // a person cannot send it (an alert seen to already)
  const ask = button && button.closest('details.confirm');  // an in-page "are you sure" (confirm.js): a person
  if (ask) ask.open = true;  // opens it (its summary) and presses its "Yes"; pressed closed, it only opens
  form.requestSubmit(button || undefined);
  return typed;
}"""

MARK_NUMBERS = """index => Array.from(document.forms[index].elements).forEach(el => {
  if (el.type === 'number' || ['decimal', 'numeric'].includes(el.getAttribute('inputmode'))) {
    el.dataset.auditNumber = '1';
  }
})"""

# What the page says about the last submission: fields marked, notices in the form or the page.
SAID = """index => {
  const form = document.forms[index];
  const texts = [];
  const seen = new Set();
  const root = document.documentElement.lang;
  const foreign = el => { const marked = el.closest('[lang]');  // as english.TEXTS: names kept as typed are not said
    return (marked && marked.lang !== root) || el.closest('[translate="no"], code, kbd, samp'); };
  const own = el => {
    let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement || !foreign(node.parentElement)) text += node.textContent;
    }
    return text.trim();
  };
  const add = el => {
    if (seen.has(el)) return;
    const text = own(el);
    if (text) { seen.add(el); texts.push(text); }
  };
  if (form) form.querySelectorAll('.field-error, [data-errors], .notice.error, [role=alert]').forEach(add);
  document.querySelectorAll('#page-notice, .notice.error, [role=alert]').forEach(add);
  const marked = form ? form.querySelectorAll('[aria-invalid=true]').length : 0;
  return {texts, marked};
}"""

VALUES = """names => Object.fromEntries(names.map(name => {
  const el = document.querySelector('form [name="' + name + '"]');
  return [name, el ? el.value : null];
}))"""


class Stores:
    """Every list the three services answer to an admin (GET, no path parameter), read as JSON; lists whose answer
    changes by itself (a clock, a count of calls) are left out."""

    def __init__(self, dev):
        self.dev = dev
        status, body = http("POST", dev.url("requests", "/api/v1/auth/login"),
                            {"username": "admin", "password": "admin123"})
        assert status == 200, body
        self.token = body["access_token"]
        self.lists = []
        for service in ("inventory", "requests", "notifier"):
            status, spec = http("GET", dev.url(service, "/api/v1/openapi.json"))
            for path, operations in spec["paths"].items():
                if "get" in operations and "{" not in path and not path.endswith(("/stream", "/metrics")):
                    self.lists.append((service, path if path.startswith("/api/") else "/api/v1" + path))
        first, second = self.read(), self.read()
        self.lists = [key for key in self.lists if first.get(key) == second.get(key) and key in first]

    def read(self, only: str | None = None) -> dict:
        out = {}
        for service, path in self.lists:
            if only and service != only:
                continue
            status, body = http("GET", self.dev.url(service, path), token=self.token)
            if status == 200:
                out[(service, path)] = json.dumps(body, sort_keys=True)
        return out

    def changed(self, before: dict, after: dict) -> list[str]:
        return [f"{service}:{path}" for (service, path) in self.lists if before.get((service, path)) !=
                after.get((service, path))]


class FormAudit:
    """One kind of user's forms: the problems met and what each form did with each case."""

    def __init__(self, browsers, stores, role: str):
        self.browsers, self.stores, self.role, self.dev = browsers, stores, role, browsers.dev
        self.crawl = Crawl(browsers, role)
        self.problems: list[str] = []
        self.outcomes: dict[str, list[str]] = {}
        self.dialogs: list[str] = []

    def pages(self) -> list[str]:
        """The starts, then the pages one link away, at most PAGE_VARIANTS of a shape."""
        starts = self.crawl.starts()
        page = self.browsers.page(self.role, DESKTOP, "en")
        found, shapes = list(dict.fromkeys(starts)), Counter(shape_of(url) for url in starts)
        for url in starts:
            page.goto(url)
            hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
            for href in hrefs:
                target = self.crawl.where(href, page.url, url)
                if target and "/api/" not in target and key_of(target) not in {key_of(u) for u in found} \
                        and shapes[shape_of(target)] < PAGE_VARIANTS:
                    shapes[shape_of(target)] += 1
                    found.append(target)
        return found

    def run(self) -> "FormAudit":
        forms_seen = Counter()
        for url in self.pages():
            page = self.browsers.page(self.role, DESKTOP, "hi")
            answer = page.goto(url)
            if not answer or not answer.ok or "text/html" not in answer.headers.get("content-type", ""):
                continue
            for form in page.evaluate(FORMS):
                shape = (shape_of(url), form["id"] or str(shape_of(form["action"])), form["method"])
                if forms_seen[shape] >= FORM_VARIANTS:
                    continue
                forms_seen[shape] += 1
                name = f"{self.crawl.short(url)} form {form['id'] or form['index']} ({form['method']} " \
                       f"{urlsplit(form['action']).path})"
                if not form["fields"]:
                    self.outcomes[name] = ["nothing to type: not sent"]
                    continue
                for lang, cases in CASES.items():
                    for case in cases:
                        self.submit(url, form, name, lang, case)
        return self

    def settle(self, page, form: dict, sent: list) -> dict:
        """What the page says once the submission is over: refused by the page, or answered (and the page
        loaded again if it went on)."""
        deadline, said = time.monotonic() + 10, {"texts": [], "marked": 0}
        while time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                old, ready = page.evaluate("[window.auditOld === true, document.readyState]")
                if not old:
                    if ready == "complete":
                        return page.evaluate(SAID, form["index"])
                    continue
                said = page.evaluate(SAID, form["index"])
                busy = page.evaluate("i => document.forms[i].getAttribute('aria-busy') === 'true'", form["index"])
            except Exception:  # the page is going on to the next one
                continue
            if not sent and (said["texts"] or said["marked"]):
                return said
            if sent and form["api"] and not busy and all(r.failure or r.response() for r in sent):
                time.sleep(0.2)  # data-reload, data-next: the page goes on after a success
                try:
                    if page.evaluate("window.auditOld === true"):
                        return page.evaluate(SAID, form["index"])  # what it says now, not while it was busy
                except Exception:
                    continue
        return said

    def submit(self, url: str, form: dict, name: str, lang: str, case: str) -> None:
        page = self.browsers.page(self.role, DESKTOP, lang)
        page.goto(url)
        page.wait_for_load_state("load")
        forms = page.evaluate(FORMS)
        if not any(f["index"] == form["index"] for f in forms):
            self.outcomes.setdefault(name, []).append(f"{lang} {case}: form gone from the page")
            return
        strip, value = case.startswith("server "), case.split()[-1]
        numbers, texts = ("", "") if case == "empty" else (value, LONG)
        sent, errors = [], len(self.browsers.errors)
        on_request = (lambda request: sent.append(request) if request.method != "GET" else None)
        on_dialog = (lambda dialog: (self.dialogs.append(dialog.message), dialog.accept()))
        page.on("request", on_request)
        page.on("dialog", on_dialog)
        service = next(name for name, port in self.dev.ports.items() if f":{port}/" in form["action"]) \
            if form["action"].startswith("http") else self.crawl.short(url).split(":")[0]
        before = self.stores.read(service)
        try:
            if strip:
                page.evaluate(MARK_NUMBERS, form["index"])
            page.evaluate("window.auditOld = true")
            typed = page.evaluate(SUBMIT, [form["index"], numbers, texts, strip])
            if typed is None:
                self.outcomes.setdefault(name, []).append(f"{lang} {case}: its button is hidden: not sent")
                return
            said = self.settle(page, form, sent)
            answers = [(request, None if request.failure else request.response()) for request in sent]
        finally:
            page.remove_listener("request", on_request)
            page.remove_listener("dialog", on_dialog)
        where = f"{self.role}: {name}, {lang}, {case}"
        statuses = [response.status if response else 0 for _, response in answers]
        for error in self.browsers.errors[errors:]:
            self.problems.append(f"{where}: script error: {error}")
        del self.browsers.errors[errors:]
        if any(status >= 500 or status == 0 for status in statuses):
            self.problems.append(f"{where}: answered {statuses}")
        accepted = bool(statuses) and all(200 <= status < 400 for status in statuses)
        if not form["api"] and accepted and said["texts"] and urlsplit(page.url).path == urlsplit(form["action"]).path:
            accepted = False  # a plain form's page shown again, with what is wrong (rendered with 200)
        after = self.stores.read(service) if sent else before
        changed = self.stores.changed(before, after)
        if accepted:
            self.outcomes.setdefault(name, []).append(
                f"{lang} {case}: ACCEPTED ({statuses}; changed {', '.join(changed) or 'no list'})")
            return
        refusal = f"refused by the {'service' if statuses else 'page'}" + (f" {statuses}" if statuses else "")
        self.outcomes.setdefault(name, []).append(f"{lang} {case}: {refusal}: {' | '.join(said['texts'])[:120]}")
        if changed:
            self.problems.append(f"{where}: {refusal}, but changed {', '.join(changed)}")
        if "json" in (page.evaluate("document.contentType") or ""):
            self.problems.append(f"{where}: {refusal}, shown as a raw JSON page")
        elif not said["texts"] and not said["marked"]:
            self.problems.append(f"{where}: {refusal}, nothing said near the form"
                                 + (f" (an alert: {self.dialogs[-1]!r})" if self.dialogs else ""))
        elif lang == "hi" and (words := english_in([without_codes(t) for t in said["texts"]])):
            self.problems.append(f"{where}: {refusal}, said in English: {'; '.join(words)}")
        if not form["api"] and statuses and case != "empty":
            kept = page.evaluate(VALUES, list(typed))
            lost = sorted(field for field, value in typed.items() if kept.get(field) not in (value, None))
            if lost:
                self.problems.append(f"{where}: {refusal}, what was typed is lost: {', '.join(lost)}")


@pytest.fixture(scope="module")
def stores(lived_in):
    return Stores(lived_in.dev)


@pytest.mark.parametrize("role", ROLES)
def test_every_form_a_user_is_shown_refuses_bad_input_clearly_in_their_language(lived_in, stores, role):
    started = time.monotonic()
    audit = FormAudit(lived_in, stores, role).run()
    print(f"\n{role}: {len(audit.outcomes)} forms in {time.monotonic() - started:.1f} s, "
          f"{len(stores.lists)} lists compared")
    for name, outcomes in audit.outcomes.items():
        print(f"  {name}\n    " + "\n    ".join(outcomes))
    errors, lived_in.errors = lived_in.errors, []
    assert (audit.problems, errors) == ([], []), (
        f"\n{len(audit.problems)} problems for {role}:\n" + "\n".join(audit.problems)
        + "".join(f"\nscript error: {error}" for error in errors))
