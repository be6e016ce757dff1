"""Material prices and depot freight zones at inventory: history, the price that applies today, events."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from services.inventory import prices
from services.requests import materials
from shared.calendar import add_days, today
from shared.envelope import decode_event
from shared.mongo import connect
from tests.integration.test_inventory_api import admin, client, error_of, runtime  # noqa: F401  (fixtures)

API = "/api/v1"


def test_a_price_applies_from_its_day_and_the_history_keeps_every_price(client, runtime, admin, token):
    sku = "YRN"
    assert client.get(f"{API}/materials/{sku}", headers=admin).json["price"] is None
    yesterday, tomorrow = add_days(today(), -1), add_days(today(), 1)
    created = client.post(f"{API}/materials/{sku}/prices", json={"price": "245.50", "effective_from": yesterday},
                          headers=admin)
    assert created.status_code == 201 and created.json["price"] == "245.50"
    client.post(f"{API}/materials/{sku}/prices", json={"price": 250, "effective_from": tomorrow}, headers=admin)
    assert client.get(f"{API}/materials/{sku}", headers=token("artisan")).json["price"] == "245.50"
    client.post(f"{API}/materials/{sku}/prices", json={"price": "246", "effective_from": yesterday}, headers=admin)
    assert client.get(f"{API}/materials/{sku}", headers=admin).json["price"] == "246.00"  # the same day, corrected
    history = client.get(f"{API}/materials/{sku}/prices", headers=admin).json
    assert [(p["effective_from"], p["price"]) for p in history] == [(tomorrow, "250.00"), (yesterday, "246.00"),
                                                                     (yesterday, "245.50")]
    events = [e for e in runtime.db.materials.find_one({"_id": sku})["outbox"] if e["type"] == "MaterialPriced"]
    assert [(e["payload"]["price"], e["payload"]["effective_from"]) for e in events] == [
        ("245.50", yesterday), ("250.00", tomorrow), ("246.00", yesterday)]
    listed = {m["sku"]: m["price"] for m in client.get(f"{API}/materials", headers=admin).json}
    assert listed[sku] == "246.00"
    default = client.post(f"{API}/materials/{sku}/prices", json={"price": "1"}, headers=admin).json
    assert default["effective_from"] == today()


def test_bad_prices_are_refused_in_both_languages_and_change_nothing(client, runtime, admin, token):
    for body in ({"price": "0"}, {"price": "-1"}, {"price": "1.005"}, {"price": "abc"}, {},
                 {"price": "1", "effective_from": "2026-02-30"}, {"price": "1", "effective_from": "tomorrow"}):
        error_of(client.post(f"{API}/materials/YRN/prices", json=body, headers=admin), 400, "validation_error")
    hindi = client.post(f"{API}/materials/YRN/prices", json={"price": "0"}, headers={**admin, "Accept-Language": "hi"})
    assert hindi.json["error"]["details"]["price"] == ["शून्य से अधिक होना चाहिए"]
    error_of(client.post(f"{API}/materials/NOPE/prices", json={"price": "1"}, headers=admin), 404, "unknown_material")
    # a code longer than any material's (the fuzzer sent 300 letters) is unknown too, not a 500 making its event
    error_of(client.post(f"{API}/materials/{'Y' * 300}/prices", json={"price": "1"}, headers=admin), 404,
             "unknown_material")
    refused = client.post(f"{API}/materials/YRN/prices", json={"price": "1"}, headers=token("warehouse"))
    assert refused.status_code == 403
    assert "prices" not in runtime.db.materials.find_one({"_id": "YRN"})


def test_a_depots_freight_zone_is_kept_changed_and_announced(client, runtime, admin):
    created = client.post(f"{API}/depots", json={"code": "SML", "name": "Shimla", "district": "Shimla", "zone": "hill"},
                          headers=admin)
    assert created.json["zone"] == "hill"
    changed = client.patch(f"{API}/depots/SML", json={"zone": "plain", "name": "Shimla depot"}, headers=admin)
    assert changed.status_code == 200 and changed.json == {"code": "SML", "name": "Shimla depot", "name_hi": None,
                                                           "district": "Shimla", "district_hi": None, "zone": "plain",
                                                           "address": None,
                                                           "address_hi": None, "opening_hours": None}
    [registered, updated] = runtime.db.depots.find_one({"_id": "SML"})["outbox"]
    assert (registered["payload"]["zone"], updated["type"], updated["payload"]["zone"]) == ("hill", "DepotUpdated",
                                                                                           "plain")
    error_of(client.patch(f"{API}/depots/SML", json={"zone": "moon"}, headers=admin), 400, "validation_error")
    error_of(client.patch(f"{API}/depots/SML", json={}, headers=admin), 400, "validation_error")
    error_of(client.patch(f"{API}/depots/NOPE", json={"zone": "hill"}, headers=admin), 404, "unknown_depot")


def test_a_material_may_declare_the_class_schemes_cap_it_by(client, runtime, admin):
    body = {"sku": "YRN-COT-60", "name": "Cotton 60s", "name_hi": "सूती 60s", "category": "yarn", "unit": "kg",
            "reorder_level": "5", "entitlement_class": "cotton-hank-above-40s"}
    created = client.post(f"{API}/materials", json=body, headers=admin)
    assert created.json["entitlement_class"] == "cotton-hank-above-40s"
    [event] = runtime.db.materials.find_one({"_id": "YRN-COT-60"})["outbox"]
    assert event["payload"]["entitlement_class"] == "cotton-hank-above-40s"
    error_of(client.post(f"{API}/materials", json={**body, "sku": "X", "entitlement_class": "Cotton 60s!"},
                         headers=admin), 400, "validation_error")


@pytest.mark.parametrize("second_clock", [0, -5_000], ids=["same-millisecond", "second-worker-5s-behind"])
def test_the_price_set_last_applies_at_inventory_and_requests_whatever_the_workers_clocks_said(
        client, runtime, admin, monkeypatch, second_clock):
    """Two prices for one day: the one set last applies, in inventory's catalog and in the requests service's copy
    that bills artisans, even when both were stamped in one millisecond or the second by a worker whose clock lags."""
    def stamp(ms):
        moment = datetime(2026, 11, 5, 10, 30, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    sku, day = "YRN", today()
    monkeypatch.setattr(prices, "utcnow_iso", lambda: stamp(0))
    client.post(f"{API}/materials/{sku}/prices", json={"price": "100", "effective_from": day}, headers=admin)
    monkeypatch.setattr(prices, "utcnow_iso", lambda: stamp(second_clock))
    second = client.post(f"{API}/materials/{sku}/prices", json={"price": "200", "effective_from": day}, headers=admin)
    assert second.status_code == 201 and second.json["set_at"] > stamp(0)
    assert client.get(f"{API}/materials/{sku}", headers=admin).json["price"] == "200.00"
    history = client.get(f"{API}/materials/{sku}/prices", headers=admin).json
    assert [p["price"] for p in history] == ["200.00", "100.00"]
    events = [decode_event(e) for e in runtime.db.materials.find_one({"_id": sku})["outbox"]
              if e["type"] == "MaterialPriced"]
    copy = connect("mongomock://x")["requests_prices"]
    for event in events + events[::-1]:  # delivered, then replayed out of order
        materials.remember_price(copy, event.data)
    assert copy.prices.count_documents({"sku": sku}) == 2
    assert materials.prices_on(copy, [sku], day) == {sku: 20_000}


def test_prices_set_at_once_by_many_workers_each_keep_their_own_moment(runtime, monkeypatch):
    """Ten writers in one millisecond: every price is kept, each with its own `set_at` and one event."""
    monkeypatch.setattr(prices, "utcnow_iso", lambda: "2026-11-05T10:30:00.000Z")
    with ThreadPoolExecutor(10) as pool:
        kept = list(pool.map(lambda n: prices.set_price(runtime.db, "YRN", 100 + n, today(), by=f"admin-{n}"),
                             range(10)))
    stamps = sorted(record["set_at"] for record in kept)
    assert len(set(stamps)) == 10 and stamps[0] == "2026-11-05T10:30:00.000Z"
    material = runtime.db.materials.find_one({"_id": "YRN"})
    assert sorted(r["set_at"] for r in material["prices"]) == stamps
    events = [e["payload"] for e in material["outbox"] if e["type"] == "MaterialPriced"]
    assert sorted(e["set_at"] for e in events) == stamps
    last = max(kept, key=lambda record: record["set_at"])
    assert prices.with_price(material)["price"] == last["price"]
