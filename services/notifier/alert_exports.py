"""Alerts as CSV for a spreadsheet: titles in the asker's language, times in India with their offset (+05:30)."""
from __future__ import annotations

from services.notifier.texts import ALERT_STATUSES, SEVERITIES
from shared.i18n import said
from shared.names import in_india
from shared.spreadsheet import csv_text, safe_cell

MAX_ROWS = 10_000  # a year of alerts at a busy depot; an export never loads the whole collection
#: columns added later go last (workbooks read them by position): `status_text` and `severity_text` say the codes
#: in the asker's language, as the alert board does
HEADER = ("id", "kind", "severity", "status", "depot", "sku", "title", "text", "times_seen", "first_seen_ist",
          "last_seen_ist", "acknowledged_by", "acknowledged_at_ist", "acknowledged_note", "resolved_by",
          "resolved_at_ist", "resolved_note", "status_text", "severity_text")


def as_csv(alerts: list[dict], lang: str) -> str:
    """One row per alert (as messages.describe_alerts gives them); no cell is ever read as a formula."""
    def row(alert: dict) -> list:
        ack, done = alert.get("acknowledged") or {}, alert.get("resolved") or {}
        return [*(safe_cell(str(alert.get(k) or "")) for k in ("_id", "kind", "severity", "status", "depot", "sku")),
                safe_cell(alert["title"][lang]), safe_cell(alert["text"][lang]), alert.get("count", 1),
                in_india(alert.get("first_seen")), in_india(alert.get("last_seen")),
                safe_cell(ack.get("by", "")), in_india(ack.get("at")), safe_cell(ack.get("note", "")),
                safe_cell(done.get("by", "")), in_india(done.get("at")), safe_cell(done.get("note", "")),
                said(ALERT_STATUSES, alert.get("status"), lang), said(SEVERITIES, alert.get("severity"), lang)]
    return csv_text(HEADER, [row(alert) for alert in alerts])
