"""The depot's finder of a cooperative member's share at the counter (services.inventory.counter), on the store."""
from __future__ import annotations

import mongomock

from services.inventory import counter


def store():
    db = mongomock.MongoClient().rawbank_inventory
    db.artisans.insert_many([{"_id": "ART-0001", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार"},
                             {"_id": "ART-0002", "name": "Sita Devi", "name_hi": "सीता देवी"},
                             {"_id": "ART-0009", "name": "Ramesh Yadav", "name_hi": "रमेश यादव"}])
    shares = [{"artisan_id": "ART-0001", "lines": []}, {"artisan_id": "ART-0002", "lines": []}]
    db.reservations.insert_many([
        {"_id": "aa11", "depot": "VNS", "status": "issued", "cooperative": "SMBSS", "shares": shares,
         "updated_at": "2026-12-01T10:00:00Z"},
        {"_id": "bb22", "depot": "VNS", "status": "issued", "cooperative": "SMBSS", "shares": shares,
         "updated_at": "2026-12-05T10:00:00Z"},
        {"_id": "cc33", "depot": "VNS", "status": "held", "cooperative": "SMBSS", "shares": shares,
         "updated_at": "2026-12-06T10:00:00Z"},  # set aside, not handed over yet
        {"_id": "dd44", "depot": "BHD", "status": "issued", "cooperative": "SMBSS", "shares": shares,
         "updated_at": "2026-12-06T10:00:00Z"},  # another depot's
        {"_id": "ee55", "depot": "VNS", "status": "issued", "artisan_id": "ART-0009",
         "updated_at": "2026-12-06T10:00:00Z"}])  # an artisan's own request: no share to record
    return db


def found(db, typed):
    return [(f["requisition"]["_id"], f["artisan_id"]) for f in counter.shares_handed_over(db, "VNS", typed)]


def test_a_member_is_found_by_name_in_either_language_or_number_newest_first_at_this_depot_only():
    db = store()
    assert found(db, "sita") == [("bb22", "ART-0002"), ("aa11", "ART-0002")]
    assert found(db, "सीता") == [("bb22", "ART-0002"), ("aa11", "ART-0002")]
    assert found(db, " art-0001 ") == [("bb22", "ART-0001"), ("aa11", "ART-0001")]
    assert found(db, "Ramesh") == [("bb22", "ART-0001"), ("aa11", "ART-0001")]  # Ramesh Yadav has no share here


def test_a_request_number_lists_each_members_share_and_nothing_matches_nothing():
    db = store()
    assert found(db, "#BB2") == [("bb22", "ART-0001"), ("bb22", "ART-0002")]
    assert found(db, "cc33") == []  # not handed over yet
    assert found(db, "Nobody") == [] and found(db, "  ") == [] and found(db, ".*") == []


def test_a_request_number_made_in_capitals_is_found_as_the_returns_page_finds_it():
    """The finder lower-cased what was typed, so a number made as "REQ-1042" (an imported or older request) was never
    found, though the returns page, reading the same numbers, finds it in each spelling."""
    db = store()
    db.reservations.insert_one({"_id": "REQ-1042", "depot": "VNS", "status": "issued", "cooperative": "SMBSS",
                                "shares": [{"artisan_id": "ART-0002", "lines": []}],
                                "updated_at": "2026-12-02T10:00:00Z"})
    assert found(db, "REQ-1042") == [("REQ-1042", "ART-0002")]
    assert found(db, "req-10") == [("REQ-1042", "ART-0002")]
