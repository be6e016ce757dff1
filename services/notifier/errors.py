"""What the notifier refuses, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from services.notifier.texts import ALERT_STATUSES
from shared.errors import Conflict, RuleBroken
from shared.i18n import N_, translate


class AlertNotOpen(Conflict):
    code = "alert_not_open"
    message = N_("Only an open alert can be acknowledged; this one is “{status}”.")

    def describe(self, lang: str | None = None) -> str:
        status = self.details.get("status", "")
        return translate(self.message, lang, status=translate(ALERT_STATUSES.get(status, status), lang))


class AlertAlreadyResolved(Conflict):
    code = "alert_already_resolved"
    message = N_("This alert is already resolved.")


class MonthNotBegun(RuleBroken):
    code = "month_in_future"
    message = N_("{month} has not begun yet; choose this month or an earlier one.")
