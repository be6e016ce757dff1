"""The admins' cooperative pages on the in-process stores, in both languages: the list with its register form, one
cooperative with the form to change it; both forms send the API's bodies and say its refusals under their fields."""
from __future__ import annotations

import re

import pytest

from tests.browser.english import english_in
from tests.integration.test_every_page_in_hindi import texts_of
from tests.unit.test_money_pages import apps, person, text  # noqa: F401  (fixture)

CSRF = "X-CSRF-Token"


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_admins_list_register_and_change_cooperatives_in_both_languages(apps, config, lang):
    admin = person(apps["requests"], config, "admin", lang)
    listed = text(admin.get("/admin/cooperatives"))
    words = {"en": ("Cooperatives", "Sarai Mohana Bunkar Sahkari Samiti", "Register a cooperative", "Members",
                    "Credit limit", "Cooperative society"),
             "hi": ("सहकारी समितियाँ", "सराय मोहना बुनकर सहकारी समिति", "सहकारी समिति पंजीकृत करें", "सदस्य",
                    "उधार सीमा", "सहकारी समिति")}[lang]
    for word in words:
        assert word in listed, word
    assert "SMBSS" in listed and {"en": "Varanasi", "hi": "वाराणसी"}[lang] in listed  # as the Varanasi depot names it
    shown = admin.get("/admin/cooperatives").get_data(as_text=True)
    assert re.search(r'href="[^"]*/admin/cooperatives" aria-current="page"', shown)  # in the admin's menu
    assert 'data-api="/api/v1/cooperatives"' in shown and 'data-error-codes="already_exists"' in shown
    one = text(admin.get("/admin/cooperatives/SMBSS"))
    assert {"en": "Save changes", "hi": "बदलाव सहेजें"}[lang] in one
    page = admin.get("/admin/cooperatives/SMBSS").get_data(as_text=True)
    assert 'data-api="/api/v1/cooperatives/SMBSS" data-method="PATCH"' in page
    assert re.search(r'name="credit_limit"[^>]*value="[0-9.]+"', page)
    assert "cooperative_form.js" in page  # it sends only what changed: the limit alone writes credit terms
    assert {"en": 'data-unchanged="Nothing is changed: change a detail, then save."',
            "hi": 'data-unchanged="कुछ नहीं बदला: कोई जानकारी बदलें, फिर सहेजें।"'}[lang] in page
    assert admin.get("/admin/cooperatives/NOBODY").status_code == 404
    if lang == "hi":  # every text of both pages in Hindi: names and codes aside, no English word
        for path in ("/admin/cooperatives", "/admin/cooperatives/SMBSS"):
            assert english_in(texts_of(admin.get(path).get_data(as_text=True))) == [], path


def test_what_the_forms_send_is_registered_and_changed_and_a_taken_code_is_said_in_hindi(apps, config):
    admin = person(apps["requests"], config, "admin", "hi")
    headers = {CSRF: admin.csrf, "Accept-Language": "hi"}
    made = admin.post("/api/v1/cooperatives", headers=headers, json={
        "code": "KBSS", "name": "Kabir Bunkar Sahkari Samiti", "name_hi": "कबीर बुनकर सहकारी समिति",
        "kind": "shg", "district": "Mau", "registration_no": None, "credit_limit": "15000"})
    assert made.status_code == 201, made.get_json()
    assert "कबीर बुनकर सहकारी समिति" in text(admin.get("/admin/cooperatives"))
    changed = admin.patch("/api/v1/cooperatives/KBSS", headers=headers, json={
        "name": "Kabir Bunkar Sahkari Samiti", "name_hi": "कबीर बुनकर सहकारी समिति", "kind": "shg",
        "district": "Mau", "registration_no": None, "credit_limit": "20000", "active": "true"})
    assert changed.status_code == 200, changed.get_json()
    page = admin.get("/admin/cooperatives/KBSS").get_data(as_text=True)
    assert re.search(r'name="credit_limit"[^>]*value="20000.00"', page)
    assert "स्वयं सहायता समूह" in text(admin.get("/admin/cooperatives/KBSS"))
    taken = admin.post("/api/v1/cooperatives", headers=headers, json={
        "code": "kbss", "name": "x", "name_hi": "x", "kind": "shg", "district": "Mau"})
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "already_exists"


@pytest.mark.parametrize("role,claims", [("secretary", {"cooperative": "SMBSS"}), ("warehouse", {"depot": "VNS"}),
                                         ("artisan", {"artisan_id": "ART-0001"})])
def test_only_admins_have_the_cooperative_pages(apps, config, role, claims):
    other = person(apps["requests"], config, role, "hi", **claims)
    for path in ("/admin/cooperatives", "/admin/cooperatives/SMBSS"):
        assert other.get(path).status_code == 403, (role, path)
    assert '/admin/cooperatives"' not in other.get("/password").get_data(as_text=True)
