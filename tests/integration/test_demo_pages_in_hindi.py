"""The demo (`make dev`'s seeds) read in Hindi by its artisan, depot clerk, secretary and admin: no page shows a word in
Latin letters but codes, numbers and the words of ALLOWED, and a subsidy scheme is named, not shown by its bare code.

test_every_page_in_hindi looks only for the catalogue's English words; here any Latin word counts, so an English name
the demo typed without its Hindi one (a material, a depot, a lot's shade shown as if it were ours, a scheme) is caught
too. Text marked as another language or as typed (translate="no": a supplier's name, a reference, a login) is left
alone, as there; what the demo types in English there is said in this branch's report, not hidden here."""
from __future__ import annotations

import re

import pytest

from services.requests import schemes, seed
from tests.integration import test_every_page_in_hindi as every_page
from tests.integration.test_every_page_in_hindi import ROLES, hindi_client, paths_of, texts_of

world = every_page.world  # the fixture: the demo, a request approved, a count begun and an alert raised
LATIN = re.compile(r"[A-Za-z][A-Za-z'’]*")
#: a code people type or read as it is: a token with a digit, '-', '_' or '/' (YRN-COT-40, 40s, REQ-1042, 2/40s) or
#: in capitals (VNS, RMSS, CSV, SMS); numbers have digits, so they are codes here too
CODE = re.compile(r"\S*[0-9_/-]\S*|[A-Z]{2,}\b")
#: Latin words a Hindi page may show, each for its reason (keep it short)
ALLOWED = {
    "rawbank",  # the product's name, written so in the Hindi catalogue too (every page's title ends "· rawbank")
}


def latin_words(texts: list[str]) -> list[str]:
    """Each text with a Latin word that is no code and not ALLOWED, with the words."""
    found = []
    for text in texts:
        words = sorted({w for w in LATIN.findall(CODE.sub(" ", text)) if w.lower() not in ALLOWED})
        if words:
            found.append(f"{', '.join(words)}: {text[:80]!r}")
    return sorted(set(found))


def bare_schemes(texts: list[str], known: dict[str, dict]) -> list[str]:
    """Each text that shows a scheme's code without its Hindi name before it (a text that is the code alone is a
    code column or a form's example of a code to type, beside the name)."""
    found = []
    for text in texts:
        for code, scheme in known.items():
            named = re.search(re.escape(scheme["name_hi"]) + r"\W{0,3}" + re.escape(code), text)
            if re.search(rf"\b{re.escape(code)}\b", text) and text != code and not named:
                found.append(f"{code}: {text[:80]!r}")
    return found


def test_the_checks_find_latin_words_and_bare_scheme_codes_and_leave_codes_alone():
    assert latin_words(["सूती धागा 40s · YRN-COT-40 · VNS · 12.5 किलो", "स्टॉक · rawbank"]) == []
    assert latin_words(["bleached white", "JavaScript के बिना"]) == ["JavaScript: 'JavaScript के बिना'",
                                                                      "bleached, white: 'bleached white'"]
    known = {"RMSS": {"name_hi": "कच्चा माल आपूर्ति योजना"}}
    assert bare_schemes(["RMSS", "कच्चा माल आपूर्ति योजना (RMSS), दिसंबर 2026"], known) == []
    assert bare_schemes(["योजना से मिली सब्सिडी (RMSS, 15%)"], known) == ["RMSS: 'योजना से मिली सब्सिडी (RMSS, 15%)'"]


def cases():
    for service in ("inventory", "requests", "notifier"):
        for role in ROLES:
            if role != "anyone" or service != "notifier":
                yield pytest.param(service, role, id=f"{service}-{role}")


@pytest.mark.parametrize(("service", "role"), list(cases()))
def test_the_demo_in_hindi_shows_no_latin_word_but_codes_and_names_its_scheme(world, service, role):
    client = hindi_client(world, service, role)
    known = schemes.listing_by_code(world.runtimes["requests"].db)
    assert known, "the demo has no scheme"
    found, seen = {}, 0
    for path in paths_of(world.http[service].application, world.ids):
        response = client.get(path, headers={"Accept": "text/html"})
        if response.status_code in (301, 302, 303) or response.mimetype != "text/html":
            continue  # to the login page (walked as anyone), or a file
        seen += 1
        texts = texts_of(response.get_data(as_text=True))
        problems = latin_words(texts) + bare_schemes(texts, known)
        if problems:
            found[path] = problems
    assert found == {}, f"{role} on {service} in Hindi"
    assert seen



def test_the_claims_notice_of_a_month_outside_the_scheme_names_it_in_hindi(world):
    """The notice of a month the demo's scheme did not run in is on no page the walk above opens: it names the scheme
    by its Hindi name, not by its bare code."""
    client = hindi_client(world, "requests", "admin")
    known = schemes.listing_by_code(world.runtimes["requests"].db)
    page = client.get("/admin/claims?scheme=RMSS&month=2021-03", headers={"Accept": "text/html"})
    texts = texts_of(page.get_data(as_text=True))
    assert "data-outside-scheme" in page.get_data(as_text=True)
    assert bare_schemes(texts, known) == [] and latin_words(texts) == []


def test_the_claims_notices_of_a_year_the_scheme_began_and_ended_in_name_it_in_hindi(world):
    """A scheme that ran from July to January: its financial year's page says it began and ended, by its Hindi name."""
    db = world.runtimes["requests"].db
    if "SEAS" not in schemes.listing_by_code(db):
        schemes.create(db, {**seed.DEMO_SCHEME, "code": "SEAS", "name": "Seasonal Yarn Scheme",
                            "name_hi": "मौसमी धागा योजना", "valid_from": "2025-07-01", "valid_to": "2026-01-31",
                            "caps": []},  # none of the demo scheme's caps: no overlap
                       by="seed")
    client = hindi_client(world, "requests", "admin")
    page = client.get("/admin/claims?scheme=SEAS&year=2025-26", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "data-scheme-began" in page and "data-scheme-ended" in page
    texts = texts_of(page)
    assert bare_schemes(texts, schemes.listing_by_code(db)) == [] and latin_words(texts) == []
