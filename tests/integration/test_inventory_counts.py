"""Stock counts: the sheet, lines against the books at counting time, submit, approval by another, once."""
import pytest

from services.inventory import counts
from services.inventory.consumer import make_handler
from shared.envelope import decode_event
from tests.integration.test_inventory_support import inventory_api, check_invariants, requisition, runtime  # noqa: F401


class Killed(BaseException):
    """Stands for the process dying right there."""


@pytest.fixture
def api(inventory_api):
    """Callers by name: the counter (warehouse, VNS), other (warehouse, BHD), admin, or any other admin."""
    def call(method, path, body=None, *, who="counter", status=None, lang="en"):
        role, claims = {"counter": ("warehouse", {"depot": "VNS"}), "other": ("warehouse", {"depot": "BHD"})}.get(
            who, ("admin", {}))
        return inventory_api(method, path, body, role=role, sub=who, status=status, lang=lang, **claims)
    for lot, quantity in (("A", "60"), ("B", "40")):
        call("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": quantity,
                                    "lot": lot}, status=201)
    return call


def start(api):
    return api("POST", "/counts", {"depot": "VNS"}, status=201)["count_id"]


def outbox(runtime, count_id, kind):
    return [decode_event(e) for e in runtime.db.counts.find_one({"_id": count_id})["outbox"] if e["type"] == kind]


def test_a_count_finds_one_kg_short_and_the_approved_count_corrects_the_books(api, runtime):
    count_id = start(api)
    sheet = api("GET", f"/counts/{count_id}")["sheet"]
    assert [(x["sku"], x["lot"], x["book"]) for x in sheet] == [("YRN", "A", "60"), ("YRN", "B", "40")]
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "59"}, status=200)
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "B", "counted": "40"}, status=200)
    api("POST", f"/counts/{count_id}/submit", status=200)
    assert outbox(runtime, count_id, "StockCountVariance") == []  # 1 kg of 60 is within 2 %
    error = api("POST", f"/counts/{count_id}/approve", who="counter", status=403)["error"]
    assert error["code"] == "forbidden"  # warehouse staff never approve
    approved = api("POST", f"/counts/{count_id}/approve", who="admin", status=200)
    assert approved["status"] == "approved" and [(a["lot"], a["quantity"]) for a in approved["adjustments"]] == \
        [("A", "-1")]
    stock = api("GET", "/stock/VNS/YRN")
    assert stock["on_hand"] == "99" and [x["on_hand"] for x in stock["lots"]] == ["59", "40"]
    entry = runtime.db.movements.find_one({"type": "adjustment"})
    assert (entry["reason"], entry["lot"], entry["reference"]) == ("count", "A", count_id)
    assert api("POST", f"/counts/{count_id}/approve", who="admin", status=409)["error"]["code"] == \
        "count_already_approved"
    check_invariants(runtime.db)


def test_the_variance_is_against_the_books_when_each_line_was_counted(api, runtime, config):
    count_id = start(api)
    handle = make_handler(runtime.db, config)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 10_000)]))
    handle(requisition("RequisitionDispatched", "R1", []))  # 10 kg of A leave after the sheet was made
    line = api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "48"}, status=200)
    assert [(x["book"], x["variance"]) for x in line["lines"]] == [("50", "-2")]
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "5", "lot": "A"},
        status=201)  # counted before this arrived
    api("POST", f"/counts/{count_id}/submit", status=200)
    api("POST", f"/counts/{count_id}/approve", who="admin", status=200)
    assert [x["on_hand"] for x in api("GET", "/stock/VNS/YRN")["lots"]] == ["53", "40"]
    check_invariants(runtime.db)


def test_a_variance_beyond_the_tolerance_raises_an_alert_event_once(api, runtime):
    count_id = start(api)
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "B", "counted": "30"}, status=200)
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "60"}, status=200)
    api("POST", f"/counts/{count_id}/submit", status=200)
    [variance] = outbox(runtime, count_id, "StockCountVariance")
    assert [(x["lot"], x["book"], x["counted"]) for x in variance.data["lines"]] == [("B", 40_000, 30_000)]
    assert api("POST", f"/counts/{count_id}/submit", status=409)["error"]["code"] == "count_status"
    assert len(outbox(runtime, count_id, "StockCountVariance")) == 1


@pytest.mark.parametrize("body, status, code", [
    ({"sku": "DYE", "lot": "A", "counted": "1"}, 422, "not_stocked"),
    ({"sku": "YRN", "counted": "1"}, 422, "lot_required"),
    ({"sku": "YRN", "lot": "ZZ", "counted": "1"}, 422, "unknown_lot"),
    ({"sku": "YRN", "lot": "A", "counted": "-1"}, 400, "validation_error"),
])
def test_a_bad_count_line_is_refused_in_both_languages(api, runtime, body, status, code):
    count_id = start(api)
    error = api("PUT", f"/counts/{count_id}/lines", body, status=status, lang="hi")["error"]
    assert error["code"] == code and any("\u0900" <= ch <= "\u097f" for ch in error["message"])
    assert runtime.db.counts.find_one({"_id": count_id})["lines"] == []


def test_a_count_line_of_a_lot_the_books_do_not_know_says_how_to_record_what_was_found(api, runtime):
    """It said only "There is no lot FOUND-1 of this material at this depot.": now what to do, in both languages."""
    count_id = start(api)
    body = {"sku": "YRN", "lot": "FOUND-1", "counted": "5"}
    error = api("PUT", f"/counts/{count_id}/lines", body, status=422)["error"]
    assert error["code"] == "unknown_lot" and error["details"]["lot"] == "FOUND-1"
    assert error["message"] == (
        "The books have no lot FOUND-1 of YRN material at VNS depot. If it was found on the shelf, record it first, "
        "as a receipt (without a purchase order) or as an adjustment with reason “count”, then count it again.")
    hindi = api("PUT", f"/counts/{count_id}/lines", body, status=422, lang="hi")["error"]["message"]
    assert "FOUND-1" in hindi and "खरीद ऑर्डर के बिना" in hindi and "फिर से गिनें" in hindi
    assert runtime.db.counts.find_one({"_id": count_id})["lines"] == []


def test_the_counter_cannot_approve_their_own_count_nor_can_an_empty_count_be_submitted(api, token, config,
                                                                                        runtime):
    count_id = api("POST", "/counts", {"depot": "VNS"}, who="admin", status=201)["count_id"]
    assert api("POST", f"/counts/{count_id}/submit", who="admin", status=422)["error"]["code"] == "count_empty"
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "1"}, who="admin", status=200)
    api("POST", f"/counts/{count_id}/submit", who="admin", status=200)
    assert api("POST", f"/counts/{count_id}/approve", who="admin", status=403)["error"]["code"] == "own_count"
    assert api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "2"}, who="admin2",
               status=409)["error"]["code"] == "count_status"
    refused = api("POST", "/counts", {"depot": "VNS"}, who="other", status=403)["error"]
    assert refused["code"] == "wrong_depot"  # said as a count's refusal, not "record movements only ..."
    assert refused["message"] == "You can do this only at your own depot, BHD depot; for another depot, ask an admin."
    assert api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "2"}, who="other",
               status=404)["error"]["code"] == "unknown_count"  # another depot's count, as when read


def test_an_approval_that_died_half_way_is_finished_once_by_its_event(api, runtime, config, monkeypatch):
    count_id = start(api)
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "58"}, status=200)
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "B", "counted": "41"}, status=200)
    api("POST", f"/counts/{count_id}/submit", status=200)
    real, posted = counts.movements.adjust, []

    def adjust_then_die(*args, **kwargs):
        if posted:
            raise Killed()
        posted.append(real(*args, **kwargs))
    monkeypatch.setattr(counts.movements, "adjust", adjust_then_die)
    with pytest.raises(Killed):
        api("POST", f"/counts/{count_id}/approve", who="admin")
    monkeypatch.undo()
    assert runtime.db.counts.find_one({"_id": count_id})["status"] == "approving"
    [approved] = outbox(runtime, count_id, "StockCountApproved")
    handle = make_handler(runtime.db, config)
    handle(approved)
    handle(approved)
    assert runtime.db.counts.find_one({"_id": count_id})["status"] == "approved"
    assert [x["on_hand"] for x in api("GET", "/stock/VNS/YRN")["lots"]] == ["58", "41"]
    assert runtime.db.movements.count_documents({"type": "adjustment", "reason": "count"}) == 2
    check_invariants(runtime.db)


def test_an_approval_that_would_take_set_aside_stock_is_refused_before_anything_is_posted(api, runtime, config):
    count_id = start(api)
    make_handler(runtime.db, config)(requisition("RequisitionApproved", "R1", [("YRN", 100_000)]))
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN", "lot": "A", "counted": "50"}, status=200)
    api("POST", f"/counts/{count_id}/submit", status=200)
    error = api("POST", f"/counts/{count_id}/approve", who="admin", status=409)["error"]
    # it said only "Only 0 kg of ... is available at ...; 10 kg was asked for.": now what is reserved, for which
    # requests, and how to go on
    assert error["code"] == "count_below_reserved"
    assert (error["details"]["reserved"], error["details"]["requisition_ids"]) == ("100", ["R1"])
    assert error["message"] == (
        f"Count {count_id} cannot correct the books: it found 10 kg less YRN material at VNS depot than the books "
        "say, but 100 kg of it is reserved for requests (R1) and only 0 kg is not. Release a reservation first "
        "(cancel one of those requests), or record more of it received, or count the lot again if it was "
        "miscounted. Nothing was changed.")
    hindi = api("POST", f"/counts/{count_id}/approve", who="admin", status=409, lang="hi")["error"]
    assert hindi["code"] == "count_below_reserved" and "अनुरोधों के लिए आरक्षित है (R1)" in hindi["message"] and \
        "लॉट फिर से गिनें" in hindi["message"]
    assert runtime.db.counts.find_one({"_id": count_id})["status"] == "submitted"
    assert runtime.db.movements.count_documents({"type": "adjustment"}) == 0


def test_warehouse_staff_read_only_their_own_depots_counts(api):
    own = start(api)
    other = api("POST", "/counts", {"depot": "BHD"}, who="admin", status=201)["count_id"]
    assert api("GET", f"/counts/{own}")["depot"] == "VNS"
    error = api("GET", f"/counts/{other}", status=404, lang="hi")["error"]
    assert error["code"] == "unknown_count" and any("\u0900" <= ch <= "\u097f" for ch in error["message"])
    assert api("GET", f"/counts/{other}", who="other")["depot"] == "BHD"
    assert api("GET", f"/counts/{other}", who="admin")["depot"] == "BHD"
    for query in ("", "?depot=VNS"):
        assert [c["count_id"] for c in api("GET", f"/counts{query}")] == [own]
    assert [c["count_id"] for c in api("GET", "/counts", who="admin")] == [other, own]
    assert [c["count_id"] for c in api("GET", "/counts?depot=BHD", who="admin")] == [other]


def test_depot_staff_asking_another_depots_counts_are_refused_not_shown_their_own_as_if_asked(api):
    """?depot=BHD from Varanasi's staff answered Varanasi's counts, as if they were the ones asked for."""
    start(api)
    for lang in ("en", "hi"):
        error = api("GET", "/counts?depot=BHD", status=403, lang=lang)["error"]
        assert error["code"] == "wrong_depot" and error["details"] == {"your_depot": "VNS"}, lang
        hindi = any("\u0900" <= ch <= "\u097f" for ch in error["message"])
        assert "VNS depot" in error["message"] and hindi == (lang == "hi"), lang  # their depot, by its name


def test_another_depots_count_cannot_be_counted_or_submitted_and_is_not_found_as_when_read(api, runtime):
    """Writing to another depot's count says what reading it says (404 unknown_count), not that it exists."""
    theirs = api("POST", "/counts", {"depot": "BHD"}, who="admin", status=201)["count_id"]
    before = runtime.db.counts.find_one({"_id": theirs})
    line = {"sku": "YRN", "counted": "5"}
    for method, path, body in (("PUT", f"/counts/{theirs}/lines", line), ("POST", f"/counts/{theirs}/submit", None)):
        error = api(method, path, body, status=404, lang="hi")["error"]
        assert error["code"] == "unknown_count" and any("\u0900" <= ch <= "\u097f" for ch in error["message"])
        assert error == api(method, "/counts/CNT-99999" + path[len(f"/counts/{theirs}"):], body, status=404,
                            lang="hi")["error"] | {"details": {"count": theirs}}
    assert runtime.db.counts.find_one({"_id": theirs}) == before  # nothing counted, nothing submitted


@pytest.mark.parametrize("first_says, second_says, approve_first_count_first", [
    ("59", "59", True), ("59", "59", False), ("59", "57", True), ("59", "57", False), ("59", "60", True),
    ("59", "60", False), ("60", "59", True), ("60", "59", False)])
def test_two_counts_of_one_lot_correct_the_books_once_and_the_later_count_wins(
        api, runtime, first_says, second_says, approve_first_count_first):
    """Two counts open at one depot both find lot A short: approving both must not take the difference off twice."""
    first, second = start(api), start(api)
    api("PUT", f"/counts/{first}/lines", {"sku": "YRN", "lot": "A", "counted": first_says}, status=200)
    api("POST", "/movements", {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-10",
                               "reason": "damage", "lot": "A"}, status=201)  # books 50, as both counts see it
    api("PUT", f"/counts/{second}/lines", {"sku": "YRN", "lot": "A", "counted": str(int(second_says) - 10)},
        status=200)
    for count_id in (first, second):
        api("POST", f"/counts/{count_id}/submit", status=200)
    for count_id in (first, second) if approve_first_count_first else (second, first):
        assert api("POST", f"/counts/{count_id}/approve", who="admin", status=200)["status"] == "approved"
    lot = next(x for x in api("GET", "/stock/VNS/YRN")["lots"] if x["lot"] == "A")
    assert lot["on_hand"] == str(int(second_says) - 10)  # what the later count found, once
    check_invariants(runtime.db)


def test_a_count_begun_by_mistake_or_counted_wrong_is_cancelled_with_a_reason_and_changes_no_stock(api, runtime,
                                                                                                   config):
    """A count begun by mistake sat 'Counting' for good, and one counted badly and submitted could only be approved
    (posting its wrong differences) or left waiting. Now staff of its depot or an admin cancel it with a reason: its
    variance alert resolves, nothing is posted, and nothing more can be done to it."""
    begun = start(api)
    error = api("POST", f"/counts/{begun}/cancel", {"reason": " "}, status=400)["error"]
    assert "reason" in error["details"]
    assert api("POST", f"/counts/{begun}/cancel", {"reason": "x"}, who="other", status=404)  # not their depot
    cancelled = api("POST", f"/counts/{begun}/cancel", {"reason": "begun by mistake"}, status=200)
    assert (cancelled["status"], cancelled["cancelled_by"], cancelled["cancel_reason"]) == \
        ("cancelled", "counter", "begun by mistake")
    assert api("POST", f"/counts/{begun}/cancel", {"reason": "again"}, status=200)["cancel_reason"] == \
        "begun by mistake"  # sent again: the same answer, once
    for path, body in ((f"/counts/{begun}/lines", {"sku": "YRN", "lot": "A", "counted": "1"}),
                       (f"/counts/{begun}/submit", None)):
        method = "PUT" if path.endswith("lines") else "POST"
        refused = api(method, path, body, status=409, lang="hi")["error"]
        assert refused["code"] == "count_status" and any("\u0900" <= ch <= "\u097f" for ch in refused["message"])

    wrong = start(api)
    api("PUT", f"/counts/{wrong}/lines", {"sku": "YRN", "lot": "B", "counted": "4"}, status=200)  # 40 typed as 4
    api("POST", f"/counts/{wrong}/submit", status=200)
    [variance] = outbox(runtime, wrong, "StockCountVariance")
    api("POST", f"/counts/{wrong}/cancel", {"reason": "40 typed as 4; counting again"}, who="admin", status=200)
    [cancel] = outbox(runtime, wrong, "StockCountCancelled")
    assert cancel.data == {"count_id": wrong, "depot": "VNS", "by": "admin", "reason": "40 typed as 4; counting again"}
    assert api("POST", f"/counts/{wrong}/approve", who="admin2", status=409)["error"]["code"] == "count_status"
    assert api("GET", "/stock/VNS/YRN")["on_hand"] == "100" and runtime.db.movements.count_documents(
        {"type": "adjustment"}) == 0
    assert [c["status"] for c in api("GET", "/counts")] == ["cancelled", "cancelled"]
    check_invariants(runtime.db)

    from services.notifier import alerts, domain, handlers  # the notifier: its variance alert resolves
    from services.notifier import spec as notifier_spec
    from shared.runtime import Runtime
    notifier = Runtime(notifier_spec(), config)
    try:
        for event in (variance, cancel, cancel):
            handlers.apply(notifier.db, config, event)
        [alert] = alerts.find(notifier.db, kind=domain.COUNT_VARIANCE)
        assert alert["status"] == "resolved"
    finally:
        notifier.close()
