"""An admin changes a depot on a page: its names, its district's Hindi name, freight zone, address and opening hours
were changed only through the API (PATCH /depots/{code}), which a district office has no client for. The catalog
links each depot to its page; the page's form holds the depot's details as they are and sends them to the API
(nothing else: code and English district stay). Warehouse staff see no Edit and are refused the page."""
from __future__ import annotations

from html import unescape

import pytest

from shared.auth import COOKIE, issue_token
from shared.i18n import LANG_COOKIE
from tests.integration.test_inventory_api import admin, client, runtime  # noqa: F401  (fixtures)

API = "/api/v1"
HOURS = {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "opens": "10:00", "closes": "17:00"}
VARANASI = {"name": "Varanasi depot", "name_hi": "वाराणसी डिपो", "district_hi": "वाराणसी", "zone": "hill",
            "address": "Lahartara, Varanasi", "address_hi": "लहरतारा, वाराणसी", "opening_hours": HOURS}
ROLES = {"admin": {}, "warehouse": {"depot": "VNS"}, "artisan": {"artisan_id": "ART-1"},
         "secretary": {"cooperative": "SMBSS"}}


@pytest.fixture
def browse(config, client):  # noqa: F811
    def get(path, role="admin", lang="en"):
        client.delete_cookie(COOKIE)
        if role != "anon":
            client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub=role, role=role, **ROLES[role]))
        client.set_cookie(LANG_COOKIE, lang)
        response = client.get(path)
        return response.status_code, unescape(response.get_data(as_text=True))
    return get


@pytest.fixture
def varanasi(client, admin):  # noqa: F811
    changed = client.patch(f"{API}/depots/VNS", json=VARANASI, headers=admin)
    assert changed.status_code == 200, changed.json


def test_the_catalog_offers_an_admin_an_edit_link_for_each_depot(browse):
    status, html = browse("/admin/catalog")
    assert status == 200
    for code in ("VNS", "BHD"):
        assert f'href="/admin/depots/{code}"' in html
    _, hindi = browse("/admin/catalog", lang="hi")
    assert 'href="/admin/depots/VNS"' in hindi and "बदलें" in hindi


@pytest.mark.parametrize("lang,said", [("en", ("Name in Hindi", "District in Hindi", "Opening hours", "Opens",
                                               "Address in Hindi", "Save changes")),
                                       ("hi", ("हिन्दी में नाम", "हिन्दी में ज़िला", "खुलने का समय", "खुलता है",
                                               "हिन्दी में पता", "बदलाव सहेजें"))])
def test_an_admin_sees_the_depots_form_with_its_details_as_they_are(browse, varanasi, lang, said):
    status, html = browse("/admin/depots/VNS", lang=lang)
    assert status == 200
    assert 'data-api="/api/v1/depots/VNS" data-method="PATCH"' in html
    assert '/needs-script?back=%2Fadmin%2Fdepots%2FVNS"' in html  # without scripts: a page that says they are needed
    for name, value in (("name", "Varanasi depot"), ("name_hi", "वाराणसी डिपो"), ("district_hi", "वाराणसी"),
                        ("address", "Lahartara, Varanasi"), ("address_hi", "लहरतारा, वाराणसी"),
                        ("opening_hours.opens", "10:00"), ("opening_hours.closes", "17:00")):
        assert f'name="{name}"' in html and f'value="{value}"' in html, name
    for day in HOURS["days"]:
        assert f'name="opening_hours.days" value="{day}" checked' in html, day
    assert 'name="opening_hours.days" value="sun">' in html
    assert '<option value="hill" selected>' in html
    assert 'name="code"' not in html and 'name="district"' not in html  # they stay as registered
    for text in said:
        assert text in html, text


def test_a_depot_never_given_hindi_names_or_hours_has_them_empty(browse):
    status, html = browse("/admin/depots/BHD")
    assert status == 200
    assert 'name="district_hi"' in html and 'value="BHD depot"' in html
    assert 'value="10:00"' not in html and "checked" not in html
    assert '<option value="plain" selected>' in html


@pytest.mark.parametrize("role", ["warehouse", "artisan", "secretary"])
def test_only_an_admin_has_the_depots_page(browse, role):
    status, html = browse("/admin/depots/VNS", role=role)
    assert status == 403 and 'data-api="/api/v1/depots/VNS"' not in html


def test_the_depots_page_asks_for_a_login_and_knows_no_other_depot(browse):
    assert browse("/admin/depots/VNS", role="anon")[0] == 302
    assert browse("/admin/depots/NOPE")[0] == 404


@pytest.mark.parametrize("lang,said", [("en", "write a closing time after the opening time"),
                                       ("hi", "खुलने के समय के बाद का बंद होने का समय लिखें")])
def test_a_closing_time_before_the_opening_says_what_to_write(client, admin, lang, said):  # noqa: F811
    """Under "Closes" the Hindi said "डिपो खुलने के बाद बंद होता है" (a depot closes after it opens): a statement,
    not what to do. The refusal changes nothing."""
    hours = {"days": ["mon"], "opens": "10:00", "closes": "07:00"}
    refused = client.patch(f"{API}/depots/VNS", json={"opening_hours": hours},
                           headers={**admin, "Accept-Language": lang})
    assert refused.status_code == 400 and refused.json["error"]["code"] == "validation_error", refused.json
    assert said in str(refused.json), refused.json
    assert client.get(f"{API}/depots/VNS", headers=admin).json.get("opening_hours") != hours


@pytest.mark.parametrize("lang,done", [("en", 'data-done="Saved for {depot}: {changed}."'),
                                       ("hi", 'data-done="{depot} के लिए सहेजा गया: {changed}।"')])
def test_the_saved_notice_names_the_depot_as_saved_not_as_the_page_came(browse, lang, done):
    """After changing the name, the save said "Saved for Bhadohi depot: Name in English, ...": the old name, baked
    into the page. The notice's {depot} is now filled from the API's answer (depot_form.js), in the page's language."""
    _, html = browse("/admin/depots/BHD", lang=lang)
    assert done in html and 'data-depot="' in html
    script = open("services/inventory/static/depot_form.js", encoding="utf-8").read()
    assert 'rb.lang === "hi" && saved.name_hi) || saved.name' in script
