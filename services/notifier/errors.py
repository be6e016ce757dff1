"""What the notifier refuses, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from services.notifier.texts import ALERT_STATUSES
from shared import names
from shared.errors import Conflict, Forbidden, NotFound, RuleBroken
from shared.i18n import N_, language, translate


class AlertNotOpen(Conflict):
    code = "alert_not_open"
    message = N_("Only an open alert can be acknowledged; this one is “{status}”. Reload the page to see it.")

    def describe(self, lang: str | None = None) -> str:
        status = self.details.get("status", "")
        return translate(self.message, lang, status=translate(ALERT_STATUSES.get(status, status), lang))


class AlertAlreadyResolved(Conflict):
    code = "alert_already_resolved"
    message = N_("This alert is already resolved.")


class NotificationsNotYours(Forbidden):
    """Someone not an artisan nor a secretary (an admin, warehouse staff) asked for notifications: they are an
    artisan's own; what they are after is likely the alerts. The code is Forbidden's."""

    message = N_("Notifications are an artisan's own (a secretary's: their members'); admins and warehouse staff see "
                 "alerts at /api/v1/alerts.")


class MonthNotBegun(RuleBroken):
    code = "month_in_future"
    message = N_("{month} has not begun yet; choose this month or an earlier one.")


class DepotNotFound(NotFound):
    """The alert board asked for a depot nobody has (?depot=, a mistyped link), as the inventory's pages say it: its
    page links to the board without it, where the depot is chosen."""

    code = "unknown_depot"
    message = page_message = N_("No depot with this code. Choose one from the list of depots; an admin adds depots on "
                                "the “Catalog and depots” page.")


class NotYourDepot(Forbidden):
    """Warehouse staff of a depot asked the alerts (list, CSV or page) of another depot (?depot=): refused, never
    answered with their own depot's as if they were the depot asked for. Their depot is said by its name, in the
    reader's language (`named`); its code stays in the details."""

    code = "wrong_depot"
    message = N_("You see only your own depot's alerts, at {your_depot}; leave out depot or send your own, or ask "
                 "an admin.")
    page_message = N_("These pages show only your own depot, {your_depot}.")
    depot: dict | None = None  # their depot's name and name_hi, as the notifier knows them

    def named(self, db):
        self.depot = db.depots.find_one({"_id": self.details.get("your_depot")}, {"name": 1, "name_hi": 1})
        return self

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        code = self.details.get("your_depot", "")
        return {**super().values(lang), "your_depot": names.named(self.depot, code, lang)}

    def depot_name(self) -> str:
        """Their depot's name in the page's language."""
        return self.values()["your_depot"]


class DeadLetterNotFound(NotFound):
    """No kept dead letter has this id; `dead_letters` in the details lists those of an event, when the id given is
    an event's (the id `rawbank dlq list` shows first)."""

    message = N_("No dead letter has the id {id}: check it, and give the “id” of one that GET /api/v1/dead-letters "
                 "(or rawbank dlq list --json) lists.")
    of_event = N_("{id} is the id of an event, not of a dead letter: give the “id” of its dead letter, {dead_letters}.")

    def describe(self, lang: str | None = None) -> str:
        if not self.details.get("dead_letters"):
            return super().describe(lang)
        letters = ", ".join(self.details["dead_letters"])
        return translate(self.of_event, lang, id=self.details["id"], dead_letters=letters)


class NoEventToResend(Conflict):
    """A dead letter its consumer could not read as an event: there is nothing to send again (shared/dead_letters)."""

    code = "dead_letter_not_resendable"
    message = N_("The dead letter {id} is not an event (its consumer could not read it), so it cannot be sent again: "
                 "find which program wrote it, then acknowledge its alert to discard it.")


class CutWhenKept(Conflict):
    """A dead letter cut when kept (truncated_from): sent again it would be another message than the one refused."""

    code = "dead_letter_not_resendable"
    message = N_("The dead letter {id} was cut when kept (the message had {truncated_from} bytes), so it cannot be "
                 "sent again as it was: ask the developers to apply it from its topic, then acknowledge its alert.")
