"""Idempotency-Key on inventory's creating POSTs: a retry, a double click or a crash never applies a request twice.

A depot clerk whose network drops after the server stored a receipt sends it again; with the same key it is
received once, and the answer is the first one (`Idempotent-Replayed: true`), as for requisitions.
"""
import re
import threading

import pytest

from services.inventory import create_app, movements, purchase_orders, stock_writes
from shared.auth import COOKIE, issue_token
from shared.i18n import LANG_COOKIE
from tests.integration.test_inventory_support import check_invariants, runtime  # noqa: F401

MILL = {"code": "MILL-SRM", "name": "Sri Ram Mills", "district": "Salem", "gstin": "33AAACS1234F1Z5",
        "tolerance_percent": 5}
ORDER = {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-31",
         "lines": [{"sku": "YRN", "quantity": "100", "price": "245.50"}]}
BODIES = {"receipt": {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "12.5", "reference": "DN-7"},
          "adjustment": {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-2", "reason": "damage"},
          "transfer": {"type": "transfer", "sku": "YRN", "depot": "VNS", "to_depot": "BHD", "quantity": "3"},
          "return": {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "1", "lot": {"code": "L-1"},
                     "reason": "torn bales"}}


class Killed(BaseException):
    """Stands for the process dying right there."""


@pytest.fixture
def post(config, runtime, token):  # noqa: F811
    """post(path, body, key=, role=, lang=) -> the response (a fresh test client each call, as a fresh connection)."""
    app = create_app(config, runtime)

    def call(path, body, *, key=None, role="admin", lang="en", **claims):
        headers = {**token(role, sub=f"{role}-1", **claims), "Accept-Language": lang}
        if key is not None:
            headers["Idempotency-Key"] = key
        return app.test_client().post(f"/api/v1{path}", json=body, headers=headers)
    return call


@pytest.fixture
def stocked(post):
    """40 kg of YRN at VNS, received without a key."""
    first = {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "40", "lot": {"code": "L-1"}}
    assert post("/movements", first).status_code == 201
    return post


def facts(db, sku="YRN", depot="VNS"):
    """What a movement changes: on hand, ledger entries (projected or pending) and events waiting to go."""
    doc = db.stock.find_one({"_id": f"{depot}/{sku}"}) or {}
    pending = [e["_id"] for e in doc.get("journal", ())]
    projected = [m["_id"] for m in db.movements.find({"sku": sku, "depot": depot})]
    return {"on_hand": doc.get("on_hand", 0), "entries": len(set(pending) | set(projected)),
            "events": sorted(e["type"] for e in doc.get("outbox", ()))}


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_movement_sent_again_with_its_key_is_applied_once_and_answers_as_the_first(stocked, runtime, kind):
    before = facts(runtime.db)
    first = stocked("/movements", BODIES[kind], key="clerk-tab-1", role="warehouse", depot="VNS")
    after = facts(runtime.db)
    again = stocked("/movements", BODIES[kind], key="clerk-tab-1", role="warehouse", depot="VNS")
    assert (first.status_code, again.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in first.headers and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert facts(runtime.db) == after and after["entries"] == before["entries"] + 1
    other = stocked("/movements", BODIES[kind], key="clerk-tab-2", role="warehouse", depot="VNS")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    assert facts(runtime.db)["entries"] == before["entries"] + 2
    check_invariants(runtime.db)


def test_the_same_key_with_another_body_is_refused_in_both_languages_and_changes_nothing(stocked, runtime):
    assert stocked("/movements", BODIES["receipt"], key="k-1").status_code == 201
    stored = facts(runtime.db)
    for lang in ("en", "hi"):
        refused = stocked("/movements", {**BODIES["receipt"], "quantity": "13"}, key="k-1", lang=lang)
        assert refused.status_code == 409
        error = refused.get_json()["error"]
        assert error["code"] == "idempotency_key_reused"
    assert re.search("[\u0900-\u097f]", error["message"])  # said in Hindi
    assert stocked("/purchase-orders", ORDER, key="k-1").status_code == 409  # a key is for one request only
    assert facts(runtime.db) == stored
    assert stocked("/movements", BODIES["receipt"], key="bad key!").status_code == 400
    assert facts(runtime.db) == stored


def test_another_callers_key_is_their_own(stocked, runtime):
    stocked("/movements", BODIES["receipt"], key="k-1", role="warehouse", depot="VNS")
    second = stocked("/movements", BODIES["receipt"], key="k-1")  # the admin, with a key the clerk used
    assert second.status_code == 201 and "Idempotent-Replayed" not in second.headers
    assert facts(runtime.db)["on_hand"] == 65_000


def test_the_same_key_sent_twice_at_once_is_applied_once(stocked, runtime):
    start, answers = threading.Barrier(10), []

    def send():
        start.wait()
        answers.append(stocked("/movements", BODIES["receipt"], key="double-click"))
    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201] * 10
    assert sum("Idempotent-Replayed" not in a.headers for a in answers) == 1
    assert len({a.get_json()["movement_id"] for a in answers}) == 1
    assert facts(runtime.db)["on_hand"] == 52_500
    assert facts(runtime.db)["events"].count("StockReceived") == 2  # the stocking receipt and this one
    check_invariants(runtime.db)


@pytest.mark.parametrize("where", ["before the stock write", "after the stock write", "before the answer"])
def test_a_crash_anywhere_then_a_retry_with_the_key_applies_exactly_once(stocked, runtime, monkeypatch, where):
    def die(*args, **kwargs):
        raise Killed()
    if where == "before the stock write":
        monkeypatch.setattr(stock_writes, "save_stock", die)
    elif where == "after the stock write":
        monkeypatch.setattr(stock_writes.ledger, "insert", die)  # stored, not yet copied to `movements`
    else:
        monkeypatch.setattr(movements, "stock_view", die)  # all stored; the answer never leaves
    with pytest.raises(Killed):
        stocked("/movements", BODIES["receipt"], key="flaky-net")
    monkeypatch.undo()
    retried = stocked("/movements", BODIES["receipt"], key="flaky-net")
    assert retried.status_code == 201
    assert facts(runtime.db)["on_hand"] == 52_500
    assert facts(runtime.db)["events"].count("StockReceived") == 2
    check_invariants(runtime.db)


def test_a_purchase_order_sent_again_with_its_key_is_raised_once(post, runtime):
    assert post("/suppliers", MILL).status_code == 201
    first = post("/purchase-orders", ORDER, key="po-1")
    again = post("/purchase-orders", ORDER, key="po-1")
    assert (first.status_code, again.status_code) == (201, 201) and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert runtime.db.purchase_orders.count_documents({}) == 1
    refused = post("/purchase-orders", {**ORDER, "note": "more"}, key="po-1")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "idempotency_key_reused"
    assert runtime.db.purchase_orders.count_documents({}) == 1
    assert post("/purchase-orders", ORDER, key="po-2").status_code == 201
    assert runtime.db.purchase_orders.count_documents({}) == 2


def test_a_purchase_order_whose_answer_was_lost_is_raised_once_on_retry(post, runtime, monkeypatch):
    assert post("/suppliers", MILL).status_code == 201

    def die(*args, **kwargs):
        raise Killed()
    monkeypatch.setattr(purchase_orders, "view", die)  # the order is stored; the process dies before answering
    with pytest.raises(Killed):
        post("/purchase-orders", ORDER, key="po-1")
    monkeypatch.undo()
    retried = post("/purchase-orders", ORDER, key="po-1")
    assert retried.status_code == 201 and retried.headers["Idempotent-Replayed"] == "true"
    assert runtime.db.purchase_orders.count_documents({}) == 1


def test_two_purchase_orders_with_one_key_at_once_make_one(post, runtime):
    assert post("/suppliers", MILL).status_code == 201
    start, answers = threading.Barrier(4), []

    def send():
        start.wait()
        answers.append(post("/purchase-orders", ORDER, key="po-1"))
    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.get_json()["purchase_order"] for a in answers}) == 1
    assert runtime.db.purchase_orders.count_documents({}) == 1


def test_a_suggested_order_and_a_count_sent_again_with_their_keys_are_made_once(stocked, runtime):
    assert stocked("/suppliers", {**MILL, "items": [{"sku": "YRN", "price": "245.50"}]}).status_code == 201
    body = {"supplier": "MILL-SRM", "depot": "BHD", "skus": ["YRN"]}  # nothing at BHD: 5 kg suggested
    first = stocked("/replenishment/purchase-orders", body, key="suggested-1")
    again = stocked("/replenishment/purchase-orders", body, key="suggested-1")
    assert first.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json()["purchase_order"] == first.get_json()["purchase_order"]
    assert runtime.db.purchase_orders.count_documents({}) == 1
    started = [stocked("/counts", {"depot": "VNS"}, key="count-1", role="warehouse", depot="VNS") for _ in range(2)]
    assert [s.status_code for s in started] == [201, 201] and started[1].headers["Idempotent-Replayed"] == "true"
    assert started[0].get_json()["count_id"] == started[1].get_json()["count_id"]
    assert runtime.db.counts.count_documents({}) == 1


def page_forms(client, config, path, role="warehouse"):
    """The page at `path` as `role` sees it: {form id: its Idempotency-Key}, and the page's CSRF token."""
    claims = {"depot": "VNS"} if role == "warehouse" else {}
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub=f"{role}-1", role=role, **claims))
    client.set_cookie(LANG_COOKIE, "en")
    html = client.get(path).get_data(as_text=True)
    keys = dict(re.findall(r'<form[^>]*\bid="([\w-]+)"[^>]*\bdata-idempotency="([^"]+)"', html))
    return keys, re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_a_movement_form_sent_twice_from_the_page_is_received_once(config, runtime, stocked):
    client = create_app(config, runtime).test_client()
    earlier = page_forms(client, config, "/warehouse/movements")[0]
    keys, csrf = page_forms(client, config, "/warehouse/movements")
    assert set(keys) == {"receive", "adjust", "transfer"} and len(set(keys.values())) == 3
    assert earlier["receive"] != keys["receive"]  # a new key each time the page is shown
    answers = [client.post("/api/v1/movements", json=BODIES["receipt"],
                           headers={"X-CSRF-Token": csrf, "Idempotency-Key": keys["receive"]}) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and answers[1].headers["Idempotent-Replayed"] == "true"
    assert facts(runtime.db)["on_hand"] == 52_500


def test_the_order_forms_carry_a_key_too(config, runtime, post):
    client = create_app(config, runtime).test_client()
    assert post("/suppliers", MILL).status_code == 201
    orders, _ = page_forms(client, config, "/admin/purchase-orders", role="admin")
    counts, _ = page_forms(client, config, "/warehouse/counts")
    suggestion, _ = page_forms(client, config, "/admin/replenishment?depot=BHD", role="admin")
    assert "new-order" in orders and "start-count" in counts and "order-suggestion" in suggestion


def test_the_openapi_names_the_header_on_each_creating_post(config, runtime):
    spec = create_app(config, runtime).test_client().get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/movements", "/api/v1/purchase-orders", "/api/v1/replenishment/purchase-orders",
                 "/api/v1/counts"):
        names = [p["name"] for p in spec["paths"][path]["post"].get("parameters", []) if p["in"] == "header"]
        assert names == ["Idempotency-Key"], path
