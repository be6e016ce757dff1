"""The forms other than credit terms where a person at a desk names one artisan (the accounts page's "Open account",
a quota for one artisan, an artisan's login) take them as credit terms do (artisan_picks.picked): by English or
Hindi name, by a line of the list, by number; a name nobody or two artisans have is refused and nothing changes."""
from __future__ import annotations

import re

import pytest

from tests.integration.test_credit_terms_by_name import artisan
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

SITA = "Sita Devi · Varanasi · weaving · ART-00041"  # as the forms' list offers her
TYPED = [("  sita   DEVI ", "ART-00041"), ("सीता देवी", "ART-00041"), (SITA, "ART-00041"), ("art-00042", "ART-00042")]
REFUSED = [("Ramesh Kumar", "artisan_name_ambiguous"), ("Ramesh", "artisan_name_unknown"),
           ("गीता देवी", "artisan_name_unknown"), ("ART-99999", "artisan_name_unknown")]


@pytest.fixture
def people(client):
    artisan(client, "ART-00041", "Sita Devi", name_hi="सीता देवी")
    artisan(client, "ART-00042", "Sitaram Maurya")
    artisan(client, "ART-00043", "Ramesh Kumar", district="Varanasi")
    artisan(client, "ART-00044", "Ramesh Kumar", district="Bhadohi", craft="carpet")
    return client


def refused_in_both(client, method, path, body, typed, code):
    error = client.call(method, path, client.admin(), body, status=422).get_json()["error"]
    assert error["code"] == code and error["details"] == {"artisan": typed}, error
    assert f"“{typed}”" in error["message"] and "number" in error["message"], error
    hindi = client.call(method, path, {**client.admin(), "Accept-Language": "hi"}, body,
                        status=422).get_json()["error"]["message"]
    assert typed in hindi and any("\u0900" <= ch <= "\u097f" for ch in hindi), hindi


@pytest.mark.parametrize("typed,number", TYPED)
def test_an_admin_sets_a_quota_for_an_artisan_named_as_typed_or_picked(people, typed, number):
    body = {"category": "yarn", "limit": "12", "per_loom": False, "artisan": typed}
    saved = people.call("POST", "/quotas", people.admin(), body, status=200).get_json()
    assert saved["id"] == f"yarn@{number}" and saved["artisan_id"] == number and "artisan" not in saved
    assert people.db.quotas.find_one({"_id": f"yarn@{number}"})["limit"] == 12_000


def test_a_quota_by_number_in_artisan_id_is_as_before_and_a_name_nobody_or_two_have_changes_nothing(people):
    people.call("POST", "/quotas", people.admin(), {"category": "dye", "limit": "3", "artisan_id": "ART-00043"},
                status=200)  # the API's own field, unchanged
    before = list(people.db.quotas.find())
    for typed, code in REFUSED:
        refused_in_both(people, "POST", "/quotas", {"category": "yarn", "limit": "5", "artisan": typed}, typed, code)
    people.call("POST", "/quotas", people.admin(), {"category": "yarn", "limit": "5", "artisan": "Sita Devi",
                                                    "artisan_id": "ART-00041"}, status=400)
    people.call("POST", "/quotas", people.token("warehouse", depot="VNS"),
                {"category": "yarn", "limit": "5", "artisan": "Sita Devi"}, status=403)
    assert list(people.db.quotas.find()) == before


@pytest.mark.parametrize("typed,number", TYPED)
def test_an_admin_links_a_login_to_an_artisan_named_as_typed_or_picked(people, typed, number):
    body = {"username": "new-login", "password": "first passphrase", "role": "artisan", "artisan": typed}
    added = people.call("POST", "/users", people.admin(), body, status=201).get_json()
    assert added["artisan_id"] == number and added["role"] == "artisan"
    assert people.db.users.find_one({"_id": "new-login"})["artisan_id"] == number


def test_a_login_for_a_name_nobody_or_two_have_is_not_added(people):
    before = people.db.users.count_documents({})
    for n, (typed, code) in enumerate(REFUSED):
        body = {"username": f"login-{n}", "password": "first passphrase", "role": "artisan", "artisan": typed}
        refused_in_both(people, "POST", "/users", body, typed, code)
    people.call("POST", "/users", people.admin(), {"username": "login-x", "password": "first passphrase",
                                                   "role": "artisan", "artisan_id": "ART-00042"},
                status=201)  # the API's own field, unchanged
    people.call("POST", "/users", people.admin(), {"username": "login-y", "password": "first passphrase",
                                                   "role": "artisan", "artisan": "Sita Devi",
                                                   "artisan_id": "ART-00041"}, status=400)  # by one, not both
    people.call("POST", "/users", people.token("warehouse", depot="VNS"), {
        "username": "login-z", "password": "first passphrase", "role": "artisan", "artisan": "Sita Devi"}, status=403)
    assert people.db.users.count_documents({}) == before + 1


def open_account(client, typed, lang="en", who=None):
    return client.http.get("/accounts", query_string={"artisan": typed},
                           headers={**(who or client.admin()), "Accept-Language": lang})


@pytest.mark.parametrize("typed,number", TYPED)
def test_open_account_takes_an_artisan_named_as_typed_or_picked(people, typed, number):
    opened = open_account(people, typed)
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/accounts/{number}")


@pytest.mark.parametrize("typed,code", REFUSED)
def test_open_account_says_beside_the_field_what_to_do_for_a_name_nobody_or_two_have(people, typed, code):
    for lang, words in (("en", "number"), ("hi", "नंबर")):
        page = open_account(people, typed, lang)
        assert page.status_code == 422
        html = page.get_data(as_text=True)
        said = re.search(r'<p class="field-error" id="artisan-error"[^>]*>(.*?)</p>', html, re.S).group(1)
        assert typed in said.replace("&#34;", '"') and words in said, said
        field = re.search(r'<input id="artisan"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field and "data-pick=" in field, field


def test_a_secretary_opens_only_her_members_accounts_by_name(people):
    people.cooperative("Coop-A")
    people.register("ART-00051", cooperative="Coop-A")
    name = people.db.artisans.find_one({"_id": "ART-00051"})["name"]
    mine = open_account(people, name, who=people.secretary("Coop-A"))
    assert mine.status_code == 302 and mine.headers["Location"].endswith("/accounts/ART-00051")
    assert open_account(people, "Sita Devi", who=people.secretary("Coop-A")).status_code == 422  # not hers
