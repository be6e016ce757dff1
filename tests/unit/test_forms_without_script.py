"""A form the page's script sends to the API (`data-api`) had no method: where the script had not loaded (a slow
connection, Enter pressed early) or failed, the browser sent it itself, as a GET to the page, every field in the
address: a typed password in the address bar, the history and every server's and proxy's log. Every such form is
now a POST to /needs-script (`no_script_action`), which keeps nothing of it and answers with a page that says, in
the person's language, that nothing was saved and to load the page again. This walks every template, so a form
added later cannot miss it; only a search or filter form is a GET, and none holds a password."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from shared.auth import COOKIE, issue_token
from shared.i18n import LANG_COOKIE
from tests.unit.test_pages import REQUESTS, apps  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted([*ROOT.glob("services/*/templates/**/*.html"), *ROOT.glob("shared/templates/**/*.html")])
#: a form's opening tag, over several lines, with Jinja's {{ }} and {% %} inside it
FORM = re.compile(r"<form\b(?:[^>{]|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})*>", re.S)
SCRIPT_FORM = re.compile(r"\sdata-(?:api|f=\"form\")")  # alerts.html's note form: alerts.js gives it its data-api


def forms() -> list[tuple[str, str, str]]:
    """(template, line, opening tag) of every form of every template."""
    found = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in FORM.finditer(text):
            where = f"{path.relative_to(ROOT)}:{text[:match.start()].count(chr(10)) + 1}"
            found.append((where, match.group(0), text[match.end():text.find("</form>", match.end())]))
    return found


def test_the_walk_finds_the_forms_it_is_about():
    scripted = [tag for _, tag, _ in forms() if SCRIPT_FORM.search(tag)]
    assert len(scripted) >= 45, len(scripted)
    assert any("requests.add_user" in tag for tag in scripted)
    assert any("requests.set_user_password" in tag for tag in scripted)


@pytest.mark.parametrize("where,tag,body", forms(), ids=[where for where, _, _ in forms()])
def test_no_form_sends_what_was_typed_in_the_address_by_accident(where, tag, body):
    method = re.search(r"\smethod=\"(get|post)\"", tag)
    assert method, f"{where}: a form says its method (without one the browser sends it as a GET): {tag}"
    if SCRIPT_FORM.search(tag):
        assert method.group(1) == "post" and 'action="{{ no_script_action }}"' in tag, \
            f"{where}: a form the script sends is a POST to {{{{ no_script_action }}}} without the script: {tag}"
    if method.group(1) == "get":
        assert 'type="password"' not in body, f"{where}: a password in a GET form goes into the address"


SAYS = {"en": ("Nothing was saved", "Open the page again"), "hi": ("कुछ भी सहेजा नहीं गया", "पेज फिर से खोलें")}


@pytest.mark.parametrize("lang", SAYS)
def test_a_script_form_sent_without_the_script_keeps_nothing_and_says_to_load_the_page_again(apps, config, lang):
    """The add-login form as the browser sends it without the script: a POST whose answer sends the browser on
    (303) to a page with nothing of the form in its address, saying in the page's language that nothing was saved,
    with a link back to the page it came from; no login is added."""
    client = apps["requests"].test_client()
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="admin", role="admin"))
    client.set_cookie(LANG_COOKIE, lang)
    page = client.get("/admin/users?q=clerk").get_data(as_text=True)
    tag = re.search(r'<form [^>]*id="add-user-form"[^>]*>', page).group(0)
    assert 'method="post"' in tag, tag
    action = html.unescape(re.search(r'action="([^"]+)"', tag).group(1))
    assert action == f"{REQUESTS}/needs-script?back=%2Fadmin%2Fusers%3Fq%3Dclerk", action
    sent = client.post(action[len(REQUESTS):], data={"role": "warehouse", "username": "clerk-x",
                                                      "password": "first passphrase", "depot": "VNS"})
    assert sent.status_code == 303 and "passphrase" not in sent.location and "clerk-x" not in sent.location
    said = client.get(sent.location)
    text = said.get_data(as_text=True)
    assert said.status_code == 200 and f'lang="{lang}"' in text and "passphrase" not in text
    title, again = SAYS[lang]
    assert f"<h1>{title}</h1>" in text and f">{again}</a>" in text
    assert f'href="{REQUESTS}/admin/users?q=clerk"' in text
    listed = client.get("/api/v1/users?q=clerk-x").get_json()
    assert "clerk-x" not in str(listed)


@pytest.mark.parametrize("back", ["//evil.example/x", "/\\evil.example", "https://evil.example/", "admin", ""])
def test_the_page_links_back_only_to_its_own_service(apps, back):
    client = apps["inventory"].test_client()
    sent = client.post("/needs-script", query_string={"back": back}, data={"price": "12"})
    assert sent.status_code == 303
    said = client.get(sent.location)  # no login needed: the form may have been on a public page
    text = said.get_data(as_text=True)
    assert said.status_code == 200, text[:300]
    assert "evil.example" not in text and ">Open the page again</a>" not in text
    assert ">Go to my first page</a>" in text
