"""A low or out-of-stock alert never says an older figure of its stock than one it said: level events read in either
order, of equal versions, without versions (an older rawbank), on-order figures read before the alert opened."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.notifier import alerts
from shared.mongo import connect
from tests.unit.test_notifier_alerts import REORDER, apply_all, inventory, of_write, on_order_changed, snapshot

START = datetime.now(timezone.utc).replace(microsecond=0)  # events carry milliseconds


@pytest.fixture
def db():
    return connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]


def low(available, on_order, version, seconds=0, type_="StockLow"):
    """A level event of VNS/YRN-COT as the write of the stock at `version` stamps it (`version` None: an older
    rawbank's, ordered by its time alone)."""
    event = inventory(type_, {"sku": "YRN-COT", "depot": "VNS", "available": available, "reorder_level": REORDER,
                              "on_order": on_order})
    event = of_write(event, version, START + timedelta(seconds=seconds))
    if version is None:
        event.payload.pop("stock_version")
    return event


def said(doc):
    return doc["details"]["available"], doc["details"]["on_order"], doc.get("stock_version")


@pytest.mark.parametrize("versions", [(5, 7), (None, None)], ids=["by version", "by time (older rawbank)"])
@pytest.mark.parametrize("late", [False, True], ids=["in order", "newer read first"])
def test_an_older_repeat_read_late_is_counted_but_its_figures_are_not_said(db, config, versions, late):
    """Low at 40 kg (nothing on order), then still low at 30 kg with 20 kg on order: read newest first (a DLQ resend
    of the older), the alert went back to 40 kg and nothing on order. Now both are counted, each cause kept, the
    last seen is the later time, and the alert says the newer figures; duplicates and replays change nothing."""
    first, second = low(40_000, 0, versions[0], seconds=0), low(30_000, 20_000, versions[1], seconds=2)
    apply_all(db, config, [second, first] if late else [first, second])
    [doc] = docs = snapshot(db)
    assert said(doc) == (30_000, 20_000, versions[1])
    assert (doc["count"], sorted(doc["events"])) == (2, sorted([first.event_id, second.event_id]))
    assert alerts.find(db)[0]["last_seen"] == START + timedelta(seconds=2)
    apply_all(db, config, [first, second, first])
    assert snapshot(db) == docs


def test_a_repeat_older_by_version_is_not_said_though_its_clock_is_ahead(db, config):
    """The older write's process had a clock ahead: by time it was newer. The stock's version says it is not; the
    repeat still counts, and the alert is last seen at the later of the two times."""
    newer, older = low(30_000, 20_000, 7, seconds=0), low(40_000, 0, 5, seconds=3)
    apply_all(db, config, [newer, older])
    [doc] = alerts.find(db)
    assert (said(doc), doc["count"], doc["last_seen"]) == ((30_000, 20_000, 7), 2, START + timedelta(seconds=3))


def test_a_repeat_older_than_an_on_order_figure_the_alert_took_is_not_said(db, config):
    """Raised at version 5; an order sent at version 8 (the alert says 20 kg on order, of version 8); a repeat of
    version 6 read late said nothing on order again."""
    apply_all(db, config, [low(40_000, 0, 5), of_write(on_order_changed(20_000, START), 8, START),
                           low(35_000, 0, 6, seconds=1)])
    [doc] = alerts.find(db)
    assert (said(doc), doc["count"]) == ((40_000, 20_000, 8), 2)


@pytest.mark.parametrize("late", [False, True], ids=["figure first", "repeat first"])
def test_a_repeat_of_the_version_the_alert_says_says_its_figures(db, config, late):
    """Equal versions are one write: the same state of the stock, so the repeat's figures are said, whichever of the
    write's events is read first."""
    same = [of_write(on_order_changed(20_000, START), 7, START), low(30_000, 20_000, 7, seconds=1)]
    apply_all(db, config, [low(40_000, 0, 5), *(reversed(same) if late else same)])
    [doc] = alerts.find(db)
    assert (said(doc), doc["count"]) == ((30_000, 20_000, 7), 2)


def test_a_repeat_without_a_version_is_ordered_by_time_against_a_versioned_alert(db, config):
    """An older rawbank's repeat, earlier than the alert's raising, is counted but not said; a later one is said,
    and the alert's figures are then of no known version."""
    apply_all(db, config, [low(40_000, 0, 5, seconds=5), low(45_000, 0, None, seconds=1)])
    [doc] = alerts.find(db)
    assert (said(doc), doc["count"]) == ((40_000, 0, 5), 2)
    apply_all(db, config, [low(30_000, 10_000, None, seconds=9)])
    [doc] = alerts.find(db)
    assert (said(doc), doc["count"]) == ((30_000, 10_000, None), 3)


@pytest.mark.parametrize("versions", [(5, 6), (None, None)], ids=["by version", "by time (older rawbank)"])
def test_an_alert_opened_from_a_level_event_older_than_an_on_order_figure_read_says_the_newer_figure(
        db, config, versions):
    """An order sent (20 kg on order) was read while no alert was open, then the low-stock crossing of the write
    before it (a DLQ resend): the alert said nothing on order until the next change. Now it says the newer figure,
    read in any order, and duplicates and replays change nothing."""
    crossing, sent = low(40_000, 0, versions[0], seconds=0), on_order_changed(20_000, START + timedelta(seconds=1))
    if versions[1] is not None:
        sent = of_write(sent, versions[1], START + timedelta(seconds=1))
    apply_all(db, config, [sent, crossing])
    [doc] = docs = snapshot(db)
    assert (said(doc), doc["count"], doc["version"]) == ((40_000, 20_000, versions[1]), 1, 1)
    apply_all(db, config, [crossing, sent, crossing])
    assert snapshot(db) == docs


def test_an_on_order_figure_older_than_the_level_event_that_opens_the_alert_is_not_said(db, config):
    """A figure read before the crossing but older than it (and one of another stock) leaves the crossing's own."""
    apply_all(db, config, [of_write(on_order_changed(20_000, START), 4, START + timedelta(seconds=9)),
                           of_write(on_order_changed(30_000, START, key="BHD/YRN-COT"), 9, START),
                           low(40_000, 0, 5)])
    [doc] = alerts.find(db, depot="VNS")
    assert said(doc) == (40_000, 0, 5)


def test_the_last_on_order_figure_kept_is_the_newest_read(db, config):
    """A figure read late, older than the one kept (by version, or by time where one has none), is not kept; a
    level event's own figure is kept too, and an out-of-stock alert opened later says the newest."""
    apply_all(db, config, [of_write(on_order_changed(20_000, START), 8, START),
                           of_write(on_order_changed(5_000, START), 6, START + timedelta(seconds=5)),
                           on_order_changed(7_000, START - timedelta(seconds=1)),
                           low(40_000, 9_000, 9), inventory("StockReplenished", {
                               "sku": "YRN-COT", "depot": "VNS", "available": 60_000, "reorder_level": REORDER})])
    assert alerts.last_on_order(db, "VNS", "YRN-COT")["on_order"] == 9_000
    apply_all(db, config, [low(0, 0, 7, type_="StockDepleted")])
    [doc] = alerts.find(db, status="open")
    assert (doc["kind"], said(doc)) == ("stock_out", (0, 9_000, 9))
