"""rawbank.js alone in Chromium (no services): the Idempotency-Key a form with `data-idempotency` sends.

A receipt form sent twice (the network dropped, or a double click) goes with the same key, so the server
receives it once; once saved, or refused, the next one goes with a new key; a reused key is said in words.
"""
from __future__ import annotations

import json

import pytest

from tests.browser.script_alone import script_alone

pytestmark = pytest.mark.e2e
TEXTS = {"busy": "Working…", "offline": "Could not reach rawbank.", "saved": "Saved.", "again": "Already recorded.",
         "reused": "This form was already used.", "v_required": "fill this in.", "v_number": "write a number.",
         "v_positive": "must be more than 0."}
HTML = f"""<!doctype html><html lang="en"><title>Receive</title>
<script id="rb-texts" type="application/json">{json.dumps(TEXTS)}</script>
<form id="receive" data-api="/api/v1/movements" data-idempotency="first-key" data-reset>
  <input type="hidden" name="type" value="receipt"><input name="quantity" id="q" value="12.5">
  <p data-errors></p><button type="submit">Record receipt</button>
</form>
<script src="/rawbank.js"></script>"""


@pytest.fixture
def form(browser):
    """The movements page with only rawbank.js on it; `answers` says how the API answers each call in turn."""
    def api(page, route):
        page.sent.append(route.request.headers.get("idempotency-key"))
        answer = page.answers.pop(0)
        if answer == "drop":
            route.abort()
        else:
            status, body, headers = answer
            route.fulfill(status=status, content_type="application/json", body=json.dumps(body), headers=headers)
    with script_alone(browser, HTML, api) as page:
        page.sent = []
        yield page


def send(page, answer):
    page.answers.append(answer)
    count = len(page.sent)
    page.click("button[type=submit]")
    page.wait_for_function("() => !document.querySelector('button').disabled")
    assert len(page.sent) == count + 1
    return page.sent[-1], page.inner_text("[data-errors]")


def test_a_form_sent_again_goes_with_its_key_and_the_next_one_with_a_new_key(form):
    saved = {"movement_id": "m1", "type": "receipt", "quantity": "12.5"}
    assert send(form, "drop")[0] == "first-key"  # the answer never came
    key, said = send(form, (201, saved, {"Idempotent-Replayed": "true"}))
    assert key == "first-key" and said.startswith("Already recorded.")  # received once, and told so
    key, said = send(form, (201, saved, {}))
    assert key not in ("first-key", None) and said == "Saved."  # the next receipt is another one
    refused_key, said = send(form, (409, {"error": {"code": "idempotency_key_reused", "message": "409"}}, {}))
    assert refused_key != key and said == "This form was already used."
    assert send(form, (201, saved, {}))[0] not in (refused_key, key)  # ready again with a new key
