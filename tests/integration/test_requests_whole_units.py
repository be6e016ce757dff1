"""A requisition asks for whole pieces of a material counted in pieces (the unit from inventory's catalog events):
422 whole_units_only, nothing stored or counted against a quota; kg stays fractional."""
from tests.integration.test_requests_support import client, know_materials  # noqa: F401  (fixture)

PLANK = "WD-SHEESHAM-PLANK"


def stored(db) -> tuple:
    return db.requisitions.count_documents({}), list(db.usage.find()), list(db.entitlements.find())


def test_an_artisan_asking_for_half_a_plank_is_refused_in_both_languages_and_nothing_is_stored(client):
    know_materials(client.db, [(PLANK, "wood", "piece")])
    client.register("ART-1")
    me, before = client.artisan("ART-1"), stored(client.db)
    body = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}, {"sku": PLANK, "quantity": "2.5"}]}
    error = client.call("POST", "/requisitions", me, body, status=422).get_json()["error"]
    assert (error["code"], error["details"]["sku"], error["details"]["unit"], error["details"]["quantity"]) == \
        ("whole_units_only", PLANK, "piece", "2.5")
    assert error["message"] == f"{PLANK} is counted in whole pieces: 2.5 is not a whole number. Nothing was changed."
    hindi = client.call("POST", "/requisitions", {**me, "Accept-Language": "hi"}, body, status=422).get_json()
    assert hindi["error"]["message"] == f"{PLANK} पूरे नग में गिना जाता है: 2.5 पूर्ण संख्या नहीं है। कुछ नहीं बदला गया।"
    keyed = client.call("POST", "/requisitions", me, body, headers={"Idempotency-Key": "k-1"}, status=422)
    assert keyed.get_json()["error"]["code"] == "whole_units_only"
    estimate = client.call("POST", "/requisitions/estimate", me, body, status=422).get_json()["error"]
    assert estimate["code"] == "whole_units_only"
    assert stored(client.db) == before
    body["lines"][1]["quantity"] = "3"
    made = client.call("POST", "/requisitions", me, body, headers={"Idempotency-Key": "k-1"}, status=201).get_json()
    assert [line["quantity"] for line in made["lines"]] == ["1", "3"]


def test_a_secretary_asking_for_part_of_a_piece_for_a_member_is_refused(client):
    know_materials(client.db, [(PLANK, "wood", "piece")])
    client.register("ART-1", cooperative="KBSS")
    before = stored(client.db)
    body = {"depot": "VNS", "cooperative": "KBSS", "lines": [{"sku": PLANK, "quantity": "1.5", "artisan_id": "ART-1"}]}
    error = client.call("POST", "/requisitions", client.secretary("KBSS"), body, status=422).get_json()["error"]
    assert (error["code"], error["details"]["quantity"]) == ("whole_units_only", "1.5")
    assert stored(client.db) == before


def test_a_material_in_kg_is_still_asked_for_in_fractions(client):
    client.register("ART-1")
    made = client.submit(client.artisan("ART-1"), [("YRN-COT-40", "2.5")])
    assert made["lines"][0]["quantity"] == "2.5"


def test_part_of_a_piece_handed_over_does_not_come_back_and_nothing_changes(client):
    """A return of a material counted in pieces took 0.5 of a plank back (and credited it); it comes back whole."""
    from tests.integration.test_requests_returns import DYE, after_state, give, handed_over
    rid = handed_over(client, lines=((DYE, "3"),))
    client.db.requisitions.update_one({"_id": rid}, {"$set": {"lines.0.unit": "piece"}})  # asked as 3 planks
    before = after_state(client, rid)
    error = give(client, rid, [(DYE, "0.5", "restock")], status=422)["error"]
    assert (error["code"], error["details"]["unit"], error["details"]["quantity"]) == ("whole_units_only", "piece",
                                                                                       "0.5")
    assert after_state(client, rid) == before
    assert give(client, rid, [(DYE, "1", "restock")])["lines"][0]["quantity"] == "1"
