"""Credit terms for one artisan given as a person at a desk names them: by name, by a line of the list, by number."""
from __future__ import annotations

from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

TERMS = {"credit_limit": "20000", "credit_days": 30, "advance_percent": "10"}


def artisan(client, artisan_id, name, *, name_hi=None, district="Varanasi", craft="weaving"):
    body = {"artisan_id": artisan_id, "name": name, "name_hi": name_hi, "district": district, "craft": craft,
            "registration_id": f"REG-{artisan_id}", "cooperative": None}
    client.call("POST", "/artisans", client.admin(), body, status=201)


def terms_of(client, artisan_id):
    return client.db.credit_terms.find_one({"_id": f"artisan:{artisan_id}"})


def test_an_admin_gives_credit_terms_to_an_artisan_named_as_typed_or_picked_from_the_list(client):
    artisan(client, "ART-00012", "Sita Devi", name_hi="सीता देवी")
    artisan(client, "ART-00013", "Sitaram Maurya")
    saved = client.call("PUT", "/credit-terms", client.admin(), {**TERMS, "artisan": "  sita   DEVI "},
                        status=200).get_json()
    assert saved["artisan_id"] == "ART-00012" and "artisan" not in saved
    assert terms_of(client, "ART-00012")["credit_days"] == 30
    client.call("PUT", "/credit-terms", client.admin(), {**TERMS, "credit_days": 45, "artisan": "सीता देवी"},
                status=200)
    assert terms_of(client, "ART-00012")["credit_days"] == 45
    line = "Sitaram Maurya · Varanasi · weaving · ART-00013"  # as the form's list offers him
    client.call("PUT", "/credit-terms", client.admin(), {**TERMS, "artisan": line}, status=200)
    assert terms_of(client, "ART-00013")["credit_days"] == 30
    client.call("PUT", "/credit-terms", client.admin(), {**TERMS, "credit_days": 60, "artisan": "art-00013"},
                status=200)  # the number typed, as before
    assert terms_of(client, "ART-00013")["credit_days"] == 60
    client.call("PUT", "/credit-terms", client.admin(), {**TERMS, "credit_days": 90, "artisan_id": "ART-00013"},
                status=200)  # the API's own field, unchanged
    assert terms_of(client, "ART-00013")["credit_days"] == 90


def test_a_name_nobody_or_two_artisans_have_is_refused_in_the_pages_language_and_nothing_is_saved(client):
    artisan(client, "ART-00021", "Ramesh Kumar", district="Varanasi")
    artisan(client, "ART-00022", "Ramesh Kumar", district="Bhadohi", craft="carpet")
    before = list(client.db.credit_terms.find())
    for typed, code in (("Ramesh Kumar", "artisan_name_ambiguous"), ("Ramesh", "artisan_name_unknown"),
                        ("Suresh Kumar", "artisan_name_unknown"), ("ART-99999", "artisan_name_unknown")):
        error = client.call("PUT", "/credit-terms", client.admin(), {**TERMS, "artisan": typed},
                            status=422).get_json()["error"]
        assert error["code"] == code and error["details"] == {"artisan": typed}, error
        assert f"“{typed}”" in error["message"] and "number" in error["message"]
        hindi = client.call("PUT", "/credit-terms", {**client.admin(), "Accept-Language": "hi"},
                            {**TERMS, "artisan": typed}, status=422).get_json()["error"]["message"]
        assert typed in hindi and any("\u0900" <= ch <= "\u097f" for ch in hindi), hindi
    assert list(client.db.credit_terms.find()) == before


def test_an_artisan_given_twice_or_with_a_cooperative_is_invalid_and_only_admins_set_terms(client):
    artisan(client, "ART-00031", "Kamla Devi")
    client.cooperative("Coop-A")
    for body, field in (({"artisan": "Kamla Devi", "artisan_id": "ART-00031"}, "artisan"),
                        ({"artisan": "Kamla Devi", "cooperative": "Coop-A"}, "cooperative"),
                        ({"artisan": ""}, "artisan")):
        error = client.call("PUT", "/credit-terms", client.admin(), {**TERMS, **body}, status=400).get_json()
        assert field in error["error"]["details"], body
    for role in (client.token("warehouse", depot="VNS"), client.secretary("Coop-A"), client.artisan("ART-00031")):
        client.call("PUT", "/credit-terms", role, {**TERMS, "artisan": "Kamla Devi"}, status=403)
    assert terms_of(client, "ART-00031") is None
