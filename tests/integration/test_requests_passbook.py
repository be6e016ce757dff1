"""An artisan's passbook by financial year (April to March, as the board keeps and audits its yarn passbook):
GET /artisans/{id}/passbook?year=2025-26 lists every requisition made in that year, and that year's payments;
what is due stays the whole account's. It listed the newest 200 requisitions, silently, whatever their year."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.requests import passbook
from shared.calendar import financial_year_of
from tests.integration.test_requests_money_support import COTTON, pay, priced_catalog, ready
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

LAST_OF_2024_25 = "2025-03-31T18:29:59.999Z"  # 31 March 2025, 23:59:59.999 in India
FIRST_OF_2025_26 = "2025-03-31T18:30:00.000Z"  # 1 April 2025, midnight in India


def book(client, artisan_id, query="", as_=None):
    return client.call("GET", f"/artisans/{artisan_id}/passbook{query}", as_ or client.artisan(artisan_id),
                       status=200).get_json()


def made_at(client, rid, at):
    client.db.requisitions.update_one({"_id": rid}, {"$set": {"created_at": at}})


def test_a_request_of_an_earlier_financial_year_is_in_that_years_passbook_only(client):
    """A request made at 23:59 on 31 March 2025 is 2024-25's, one a minute later 2025-26's, and neither is in this
    year's passbook; a payment is in the year it was made in; the balance due is the account's in every year."""
    priced_catalog(client.db)
    client.register("ART-1", looms=2)
    artisan = client.artisan("ART-1")
    old = ready(client, artisan, [(COTTON, "2")])
    pay(client, old, "100.00")
    made_at(client, old, LAST_OF_2024_25)
    client.db.accounts.update_one({"_id": "ART-1", "entries.type": "payment"},
                                  {"$set": {"entries.$.at": "2025-03-31T18:29:59.999000+00:00"}})
    newer = client.submit(artisan, [(COTTON, "1")])["id"]
    made_at(client, newer, FIRST_OF_2025_26)
    now = client.submit(artisan, [(COTTON, "1")])["id"]
    this_year = financial_year_of(datetime.now(timezone.utc))

    shown = book(client, "ART-1")
    assert (shown["year"], shown["first_year"]) == (this_year, "2024-25")
    assert [entry["id"] for entry in shown["requisitions"]] == [now]
    assert shown["payments"] == [] and shown["cut"] is False
    earlier = book(client, "ART-1", "?year=2024-25")
    assert (earlier["year"], [entry["id"] for entry in earlier["requisitions"]]) == ("2024-25", [old])
    assert [(p["requisition_id"], p["amount"]) for p in earlier["payments"]] == [(old, "100.00")]
    assert earlier["requisitions"][0]["paid"] == "100.00"
    following = book(client, "ART-1", "?year=2025-26")
    assert ([entry["id"] for entry in following["requisitions"]], following["payments"]) == ([newer], [])
    assert book(client, "ART-1", "?year=2023-24")["requisitions"] == []
    assert earlier["account"] == shown["account"] == following["account"]  # what is due: the whole account's
    assert earlier["month"] == shown["month"] and earlier["entitlements"] == shown["entitlements"]
    assert book(client, "ART-1", "?year=2024-25", as_=client.secretary("Coop-A"))["requisitions"][0]["id"] == old


@pytest.mark.parametrize("year", ["2025", "2025-27", "25-26", "2025-2026", "0000-01", "9998-99"])
def test_a_year_written_wrong_is_refused_in_both_languages_and_says_how_to_write_it(client, year):
    client.register("ART-1")
    for lang, words in (("en", "a financial year such as 2026-27"), ("hi", "2026-27")):
        error = client.call("GET", f"/artisans/ART-1/passbook?year={year}",
                            {**client.artisan("ART-1"), "Accept-Language": lang}, status=400).get_json()["error"]
        assert error["code"] == "validation_error" and words in error["details"]["year"][0], error


def copies(client, rid, count, year_start="2026-04-01"):
    """`count` copies of a requisition made a minute apart from the start of a financial year (India's)."""
    doc = client.db.requisitions.find_one({"_id": rid}, {"outbox": 0})
    base = datetime.fromisoformat(f"{year_start}T00:00:00+05:30").timestamp()
    client.db.requisitions.insert_many([
        {**doc, "_id": f"{rid}-{i:04d}", "created_at": datetime.fromtimestamp(base + 60 * i, timezone.utc)
         .isoformat(timespec="milliseconds").replace("+00:00", "Z")} for i in range(count)])
    client.db.requisitions.delete_one({"_id": rid})
    return [f"{rid}-{i:04d}" for i in reversed(range(count))]  # newest first


def test_more_than_two_hundred_requests_of_a_year_are_all_listed(client):
    """An artisan with 250 requests in 2025-26 saw only the newest 200, and nothing said so."""
    client.register("ART-1", looms=5)
    rid = client.submit(client.artisan("ART-1"), [(COTTON, "1")])["id"]
    ids = copies(client, rid, 250, "2025-04-01")
    shown = book(client, "ART-1", "?year=2025-26")
    assert [entry["id"] for entry in shown["requisitions"]] == ids and shown["cut"] is False


def test_a_year_past_the_passbooks_safety_cap_says_it_was_cut(client, monkeypatch):
    client.register("ART-1", looms=5)
    rid = client.submit(client.artisan("ART-1"), [(COTTON, "1")])["id"]
    ids = copies(client, rid, 12, "2025-04-01")
    monkeypatch.setattr(passbook, "ENTRIES", 10)
    shown = book(client, "ART-1", "?year=2025-26")
    assert [entry["id"] for entry in shown["requisitions"]] == ids[:10] and shown["cut"] is True
    monkeypatch.setattr(passbook, "ENTRIES", 12)
    assert book(client, "ART-1", "?year=2025-26")["cut"] is False


def test_the_passbook_page_charges_nothing_for_a_request_cancelled_or_not_approved(client):
    """It printed a cancelled request's price and subsidy as if charged ("Cancelled ₹16,438.88 subsidy ₹2,786.25"):
    a request cancelled or not approved is charged nothing, and the page says so in both languages."""
    from tests.integration.test_requests_money_support import scheme
    from tests.integration.test_requests_returns import page
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    artisan = client.artisan("ART-1")
    kept, cancelled = (ready(client, artisan, [(COTTON, "2")]) for _ in range(2))
    rejected = client.submit(artisan, [(COTTON, "1")])["id"]
    client.act(cancelled, "cancel", artisan)
    client.act(rejected, "reject", client.admin())
    prices = {rid: client.get(rid, client.admin())["pricing"] for rid in (kept, cancelled, rejected)}
    for lang, words in (("en", "not charged"), ("hi", "शुल्क नहीं लिया गया")):
        shown = page(client, "/my/passbook", artisan, lang)
        rows = {rid: shown.split(f'data-requisition="{rid}"')[1].split("</tr>")[0] for rid in prices}
        price = rows[kept].split('data-f="price"')[1]
        assert "₹" + f"{float(prices[kept]['payable_total']):,.2f}" in price and words not in rows[kept]
        for rid in (cancelled, rejected):
            assert words in rows[rid] and "data-not-charged" in rows[rid]
            assert f"{float(prices[rid]['payable_total']):,.2f}" not in rows[rid]
            assert f"{float(prices[rid]['subsidy_total']):,.2f}" not in rows[rid]
