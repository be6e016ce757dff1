"""Where a waiting request stands is kept true as those ahead of it leave the waiting list: three wait for silk
yarn, #1 is cancelled and stock that arrives serves #2; the third is then first, and says so."""
from __future__ import annotations

import pytest

from tests.integration.test_duplicate_events import DEPOT, World


@pytest.fixture
def world(config):
    made = World(config)
    yield made
    for runtime in made.runtimes.values():
        runtime.close()


def ask(world, quantity: str, artisan: str) -> str:
    made = world.call("requests", "POST", "/requisitions", json={
        "artisan_id": artisan, "depot": DEPOT, "lines": [{"sku": "YRN-SLK-MUL", "quantity": quantity}]})
    world.call("requests", "POST", f"/requisitions/{made['id']}/approve")
    world.settle()
    return made["id"]


def standing(world, rid: str):
    doc = world.call("requests", "GET", f"/requisitions/{rid}")
    return doc["status"], doc.get("waitlist_position")


def test_a_waiting_request_moves_up_when_those_ahead_leave_the_list(world):
    ask(world, "12", "ART-0001")  # all 12 kg at the depot
    first, second, third = ask(world, "5", "ART-0002"), ask(world, "4", "ART-0003"), ask(world, "3", "ART-0002")
    assert [standing(world, rid) for rid in (first, second, third)] == \
        [("waitlisted", 1), ("waitlisted", 2), ("waitlisted", 3)]
    world.call("requests", "POST", f"/requisitions/{first}/cancel")
    assert standing(world, third) == ("waitlisted", 2)  # at once: requests knows of the cancel first
    world.settle()
    world.call("inventory", "POST", "/movements", role="warehouse", depot=DEPOT, json={
        "type": "receipt", "sku": "YRN-SLK-MUL", "depot": DEPOT, "quantity": "4"})
    world.settle()
    assert standing(world, second) == ("reserved", None)
    assert standing(world, third) == ("waitlisted", 1)
    listed = world.call("requests", "GET", "/requisitions?status=waitlisted")
    assert [(doc["id"] if "id" in doc else doc["_id"], doc["waitlist_position"]) for doc in listed] == [(third, 1)]


def told(world, rid: str, lang: str) -> str:
    from services.notifier import notifications
    db = world.runtimes["notifier"].db
    [note] = notifications.render(db, list(db.notifications.find({"requisition_id": rid, "status": "waitlisted"})),
                                  lang)
    return note["text"]


def test_the_waiting_list_notification_names_only_what_is_short_or_says_it_waits_behind_others(world):
    """12.5 kg cotton (200 kg in stock) and 20 kg silk (12 kg): only the silk is out of stock; a request for cotton
    behind it waits first come, first served though the cotton is there, and is told so."""
    both = world.call("requests", "POST", "/requisitions", json={"artisan_id": "ART-0001", "depot": DEPOT, "lines": [
        {"sku": "YRN-COT-40", "quantity": "12.5"}, {"sku": "YRN-SLK-MUL", "quantity": "20"}]})["id"]
    world.call("requests", "POST", f"/requisitions/{both}/approve")
    world.settle()
    assert told(world, both, "hi").startswith("वाराणसी डिपो में अभी 20 किलो शहतूत रेशम धागा उपलब्ध नहीं है।")
    assert told(world, both, "en").startswith("20 kg Mulberry silk yarn is not in stock at ")
    behind = ask_for(world, "YRN-COT-40", "10", "ART-0002")
    assert standing(world, behind) == ("waitlisted", 2)
    assert told(world, behind, "en") == (
        "10 kg Cotton yarn 40s is in stock at Varanasi depot, but earlier requests are waiting for it first. Your "
        f"request {behind[:8]} is number 2 on the waiting list and is served first come, first served.")
    assert told(world, behind, "hi").startswith("वाराणसी डिपो में 10 किलो सूती धागा 40s उपलब्ध है, पर पहले आए अनुरोध")


def ask_for(world, sku: str, quantity: str, artisan: str) -> str:
    made = world.call("requests", "POST", "/requisitions", json={
        "artisan_id": artisan, "depot": DEPOT, "lines": [{"sku": sku, "quantity": quantity}]})
    world.call("requests", "POST", f"/requisitions/{made['id']}/approve")
    world.settle()
    return made["id"]
