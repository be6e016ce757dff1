"""The page an e-mail is about, as a link people can open: built from the configured public addresses
(RAWBANK_REQUESTS_URL, RAWBANK_NOTIFIER_URL: shared.pages.url_of), never from a request's Host (the dispatcher
sends in a worker thread, with no request at all). SMS carry none: one Hindi part holds 70 characters.

Each link is (label, address): the label an English msgid, said in the e-mail's language (texts.with_links).
"""
from __future__ import annotations

from urllib.parse import quote

from services.notifier import domain
from shared.i18n import N_
from shared.pages import url_of

REQUEST = N_("Open the request")  # as the approvals page's link to a request says it
RECEIPT = N_("Open your receipt")
ACCOUNT = N_("Open your account")
BOARD = N_("Open the alerts page")
ALERT = N_("Open the alert")
THEIR_ACCOUNT = N_("Open the artisan's account")
#: a notification's status -> the part of the request's page it is about (_shares.html's cards)
ON_THE_PAGE = {"confirm_share": "#confirm-share", domain.SHARE_RECORDED: "#dispute-share"}
#: money that came in on one request: its receipt; money that went back or a payment taken back (a refund may be
#: drawn from several requests): the account, whose entries say each
TO_RECEIPT = ("payment_received", domain.ADVANCE_RECEIVED)
TO_ACCOUNT = ("refunded", "payment_reversed")


def _request(config, requisition_id: str) -> str:
    return url_of("requests", f"/my/requisitions/{quote(requisition_id, safe='')}", config)


def of_notification(note: dict, config) -> list[tuple[str, str]]:
    """An artisan's notification's link: the request's page (the part the note is about), its receipt, their account;
    none for news of their own record (a phone number changed), which has no page to open."""
    if note["status"] in domain.ABOUT_RECORD or not note.get("requisition_id"):
        return []
    if note["status"] in TO_RECEIPT:
        return [(RECEIPT, url_of("requests", f"/requisitions/{quote(note['requisition_id'], safe='')}/receipt",
                                 config))]
    if note["status"] in TO_ACCOUNT:
        return [(ACCOUNT, url_of("requests", "/my/account", config))]
    return [(REQUEST, _request(config, note["requisition_id"]) + ON_THE_PAGE.get(note["status"], ""))]


def of_alert(alert: dict, config) -> list[tuple[str, str]]:
    """An alert's links for an admin: the alert's own page, where it is acknowledged and resolved, and the request or
    the artisan's account it is about, where it is looked into."""
    details = alert.get("details") or {}
    found = [(ALERT, one_alert(alert["_id"], config))]
    if details.get("requisition_id"):
        found.append((REQUEST, _request(config, details["requisition_id"])))
    elif alert.get("kind") == domain.ACCOUNT_OVERDUE and details.get("artisan_id"):
        found.append((THEIR_ACCOUNT, url_of("requests", f"/accounts/{quote(details['artisan_id'], safe='')}",
                                            config)))
    return found


def one_alert(alert_id: str, config) -> str:
    """The alert's own page, its card marked (#alert-<id>, the card's id there and on the board): it shows the alert
    whatever became of it since the e-mail (acknowledged, resolved) and however long the board has grown."""
    return url_of("notifier", f"/admin/alerts/{quote(alert_id, safe='')}#alert-{quote(alert_id, safe='')}", config)


def board(config) -> str:
    """The alerts page (the daily digest's link too)."""
    return url_of("notifier", "/admin/alerts", config)
