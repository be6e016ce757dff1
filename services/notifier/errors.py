"""What the notifier refuses, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from shared.errors import Conflict, RuleBroken
from shared.i18n import N_


class AlertNotOpen(Conflict):
    code = "alert_not_open"
    message = N_("Only an open alert can be acknowledged; this one is {status}.")


class AlertAlreadyResolved(Conflict):
    code = "alert_already_resolved"
    message = N_("This alert is already resolved.")


class MonthNotBegun(RuleBroken):
    code = "month_in_future"
    message = N_("{month} has not begun yet; choose this month or an earlier one.")
