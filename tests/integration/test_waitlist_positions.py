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
