"""`rawbank dlq list` and `rawbank reconcile` said when a dead letter was last sent again as the notifier stored it,
ISO in UTC ("last 2026-12-05T21:00:03+00:00 by adm": the day before, for a resend at 02:30 in India), while `rawbank
status` and `rawbank backup` say a time in India with the zone named. Now they say it as those do ("6 Dec 2026, 02:30
IST" / "6 दिस॰ 2026, रात 2:30 भारतीय समय"); `--json` keeps the stored ISO time."""
from __future__ import annotations

import io
import json

from shared import dlq_cli
from shared.reconcile import Report

NIGHT = "2026-12-05T21:00:03+00:00"  # 02:30 in India on 6 December


def resent_once() -> dict:
    return {"event_id": "ev-1", "type": "StockReceived", "topic": "inventory.events.dlq", "partition": 0, "offset": 4,
            "original_topic": "inventory.events", "consumer_group": "rawbank-requests", "reason": "bug",
            "in_broker": False, "kept": True, "resends": [{"resend_id": "r-1", "by": "adm", "at": NIGHT}]}


def test_dlq_list_says_the_last_resend_in_india_time(monkeypatch):
    monkeypatch.setattr(dlq_cli, "letters", lambda *_, **__: [resent_once()])
    out = io.StringIO()
    assert dlq_cli.list_(None, ["inventory.events"], stream=out) == 0
    lines = out.getvalue().splitlines()
    assert "sent again 1 time(s), last 6 Dec 2026, 02:30 IST by adm" in lines, lines
    assert "  1 बार दोबारा भेजा गया, आख़िरी बार 6 दिस॰ 2026, रात 2:30 भारतीय समय को, adm ने" in lines, lines
    assert NIGHT not in out.getvalue()

    out = io.StringIO()
    assert dlq_cli.list_(None, ["inventory.events"], as_json=True, stream=out) == 0
    assert json.loads(out.getvalue())[0]["resends"][0]["at"] == NIGHT  # what programs read, as it was


def test_reconcile_says_the_last_resend_in_india_time_in_both_languages():
    report = Report(dlq=[resent_once()])
    assert "    sent again 1 time(s), last 6 Dec 2026, 02:30 IST by adm" in report.text("en").splitlines()
    assert ("    1 बार दोबारा भेजा गया, आख़िरी बार 6 दिस॰ 2026, रात 2:30 भारतीय समय को, adm ने"
            in report.text("hi").splitlines())
    assert report.to_dict()["dlq"][0]["resends"][0]["at"] == NIGHT
