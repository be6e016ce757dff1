"""A return from an artisan through the pages: cotton handed over at Varanasi comes back (requests' RequisitionReturned,
published on the broker as requests' outbox publishes it), part of it onto the shelf and part damaged; the depot's
staff read it on their Returns from artisans page (English, then Hindi), the lot it was handed over from holds it
again, the ledger names the movement, and the artisan is told of the credit."""
from __future__ import annotations

import json
import re
import uuid

import pytest
from kafka import KafkaProducer
from playwright.sync_api import expect

from shared.envelope import new_event
from tests.browser.checks import axe_findings, small_targets
from tests.browser.english import english_on
from tests.browser.test_pages import menu, reload_until
from tests.conftest import wait_until
from tests.devserver import http

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
COTTON, LOT = "YRN-COT-40", "SRM-2411-07"  # the demo's opening stock at Varanasi, in its lot


def token(dev, username: str) -> str:
    status, body = http("POST", dev.url("requests", "/api/v1/auth/login"),
                        {"username": username, "password": f"{username}123"})
    assert status == 200, body
    return body["access_token"]


def handed_over(dev, kg: str) -> str:
    """The demo artisan's request for `kg` of cotton, approved and handed over at Varanasi (through the API)."""
    artisan, admin, warehouse = (token(dev, name) for name in ("artisan", "admin", "warehouse"))
    status, made = http("POST", dev.url("requests", "/api/v1/requisitions"),
                        {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": kg}]}, artisan)
    assert status == 201, made
    rid = made["id"]
    assert http("POST", dev.url("requests", f"/api/v1/requisitions/{rid}/approve"), {}, admin)[0] == 200
    wait_until(lambda: http("GET", dev.url("requests", f"/api/v1/requisitions/{rid}"), token=admin)[1]["status"]
               == "reserved", 20, message="the request to be set aside")
    status, body = http("POST", dev.url("requests", f"/api/v1/requisitions/{rid}/dispatch"), {}, warehouse)
    assert status == 200, body
    wait_until(lambda: http("GET", dev.url("inventory", f"/api/v1/reservations/{rid}"), token=admin)[1]["status"]
               == "issued", 20, message="inventory to hand it over")
    return rid


def publish_return(dev, rid: str, return_id: str) -> None:
    """RequisitionReturned as requests' relay publishes it: 4 kg back on the shelf, 1.5 kg damaged, ₹1,200 credit."""
    event = new_event("RequisitionReturned", rid, {
        "requisition_id": rid, "return_id": return_id, "artisan_id": "ART-0001", "depot": "VNS", "district": "Varanasi",
        "lines": [{"sku": COTTON, "quantity": 4_000, "condition": "restock", "credit": 960_00, "subsidy": 147_30},
                  {"sku": COTTON, "quantity": 1_500, "condition": "damaged", "credit": 240_00, "subsidy": 55_24}],
        "reason": "wrong count of yarn", "month": event_month(), "credit": 1_200_00, "subsidy": 202_54,
        "by": "warehouse"}, source="requests")
    producer = KafkaProducer(bootstrap_servers=f"127.0.0.1:{dev.ports['broker']}", acks="all")
    producer.send("requests.events", key=event.key.encode(), value=json.dumps(event.to_dict()).encode()).get(10)
    producer.close()


def on_hand(dev) -> str:
    status, stock = http("GET", dev.url("inventory", f"/api/v1/stock/VNS/{COTTON}"), token=token(dev, "warehouse"))
    assert status == 200, stock
    assert [lot["on_hand"] for lot in stock["lots"] if lot["lot"] == LOT] == [stock["on_hand"]]
    return stock["on_hand"]


def event_month() -> str:
    from datetime import datetime, timezone

    from shared.calendar import month_of
    return month_of(datetime.now(timezone.utc))


def test_a_return_shows_on_the_depots_returns_page_in_english_and_hindi_and_its_lot_holds_it_again(people, dev):
    rid, return_id = handed_over(dev, "10"), f"RET-{uuid.uuid4().hex[:8]}"
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    assert on_hand(dev) == "190"  # 200 opening stock, 10 handed over
    publish_return(dev, rid, return_id)

    menu(page, "Returns from artisans").click()
    expect(page.get_by_role("heading", name="Returns from artisans at Varanasi depot")).to_be_visible()
    rows = page.locator(f'tr[data-return="{return_id}"]')
    reload_until(page, lambda: rows.count() == 2, message="inventory to take the return back")
    back, damaged = (page.locator(f'tr[data-return="{return_id}"][data-condition="{c}"]')
                     for c in ("restock", "damaged"))
    for text in ("Ramesh Kumar", "4 kg", "Back on the shelf", f"lot {LOT}", "wrong count of yarn"):
        expect(back).to_contain_text(text)
    for text in ("1.5 kg", "Damaged: written off"):
        expect(damaged).to_contain_text(text)
    expect(back.get_by_role("link", name=re.compile(rid[:8]))).to_be_visible()
    warehouse.shot("returns-from-artisans")
    assert (axe_findings(page), small_targets(page)) == ([], [])

    warehouse.language("hi")
    page.reload()
    expect(page.get_by_role("heading", name="वाराणसी डिपो पर कारीगरों से वापसी")).to_be_visible()
    expect(back).to_contain_text("वापस शेल्फ पर")
    expect(damaged).to_contain_text("खराब: बट्टे खाते में")
    expect(back).to_contain_text("रमेश कुमार")
    warehouse.shot("returns-from-artisans")
    assert english_on(page) == []  # the reason is as the clerk typed it, marked so

    warehouse.language("en")
    assert on_hand(dev) == "194"  # the 4 kg back on the shelf, into its lot; the damaged 1.5 kg not
    page.goto(warehouse.url("inventory", "/warehouse/ledger?type=taken_back"))
    expect(page.locator("#ledger tbody tr").first).to_contain_text("Taken back from artisan")
    expect(page.locator("#ledger tbody tr").first).to_contain_text("+4 kg")

    artisan = people("artisan").log_in()
    artisan.page.goto(artisan.url("notifier", "/my/notifications"))
    told = artisan.page.locator("[data-notification]", has_text="₹1,200.00")
    reload_until(artisan.page, lambda: told.count() == 1, message="the artisan to be told of the credit")
    expect(told).to_contain_text(f"5.5 kg Cotton yarn 40s you brought back for request {rid[:8]} was taken back at "
                                 "Varanasi depot. ₹1,200.00 is credited to your account.")
    artisan.shot("return-credited")
