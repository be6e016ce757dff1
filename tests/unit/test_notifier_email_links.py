"""The notifier's e-mails carried no link: an artisan reading "your request was approved", "the depot recorded your
share; wrong? ..." or "we received your payment", and an admin reading an escalated alert or the daily digest, had
to find the page themselves. Each e-mail about something a person can open now ends with a link to exactly that page
(the request's, the share's part of it, the receipt, the account, the alert's own page; the digest: the alert board),
in the e-mail's language, built from the configured public addresses (RAWBANK_REQUESTS_URL, RAWBANK_NOTIFIER_URL),
never from a request's Host. The links are followed with the services' own test clients: each page exists (200
logged in, a login first if not). SMS carry no link (70 Hindi characters to a part), and an e-mail with nothing to open
(a phone number changed) has none.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from services import notifier
from services.notifier import alerts, deliveries, domain, messages, notifications, projections, subscribers
from services.notifier.dispatcher import queue_digests
from shared.config import Config
from shared.mongo import connect
from shared.runtime import Runtime
from tests.conftest import free_port
from tests.unit.test_money_pages import apps, asks_for_dye, person  # noqa: F401  (fixture)

BASE = "https://raw-material.handloom.example.gov.in"  # requests, where no default would put it
BOARD = "https://alerts.handloom.example.gov.in:8443"  # the notifier's
ARTISAN = "ART-0001"
LINK = re.compile(r"https?://\S+")
#: label of the link, as the e-mail says it in each language, by the page it opens
SAYS = {"request": {"en": "Open the request", "hi": "अनुरोध खोलें"},
        "receipt": {"en": "Open your receipt", "hi": "अपनी रसीद खोलें"},
        "account": {"en": "Open your account", "hi": "अपना खाता खोलें"},
        "board": {"en": "Open the alerts page", "hi": "चेतावनियों का पेज खोलें"},
        "alert": {"en": "Open the alert", "hi": "चेतावनी खोलें"},
        "their account": {"en": "Open the artisan's account", "hi": "कारीगर का खाता खोलें"}}


@pytest.fixture
def config() -> Config:
    """The public addresses as a deployment sets them in its environment (not the 127.0.0.1 defaults)."""
    return Config.from_env({"RAWBANK_REQUESTS_URL": BASE + "/", "RAWBANK_NOTIFIER_URL": BOARD},
                           consumer_backoff_ms=10, relay_interval_ms=20, kafka_max_poll_interval_ms=10000,
                           kafka_bootstrap_servers=f"127.0.0.1:{free_port()}")


@pytest.fixture
def db():
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    return db


def artisan_speaks(db, lang: str) -> None:
    projections.put_artisan(db, {"artisan_id": ARTISAN, "name": "Ramesh", "phone": "+919876543210",
                                 "email": "ramesh@example.org", "language": lang},
                            datetime.now(timezone.utc).isoformat())


def told(db, config, status: str, rid: str, **fields):
    """The e-mail and the SMS of one notification of `status` about request `rid`."""
    now = datetime.now(timezone.utc)
    note = notifications.create(db, event_id=uuid.uuid4().hex, status=status, requisition_id=rid, depot="VNS",
                                lines=[{"sku": "DYE-INDIGO", "quantity": 1000, "received": 1000}], at=now,
                                artisan_id=ARTISAN, **fields)
    assert note
    deliveries.expand(db, now)
    sent = {}
    for channel in ("email", "sms"):
        [delivery] = list(db.deliveries.find({"channel": channel}).sort("created_at", -1).limit(1))
        sent[channel] = messages.compose(db, delivery, now, config.jwt_secret, config=config)
    db.deliveries.delete_many({})
    return sent["email"], sent["sms"]


ACCOUNT = {"method": "cash", "account": {"balance_due": 0, "open_dues": []}}
#: status -> (the notification's own fields, the page its e-mail opens: its path on the requests service)
KINDS = {
    "submitted": ({}, "request", "/my/requisitions/{rid}"),
    "approved": ({"amount": 2898_00}, "request", "/my/requisitions/{rid}"),
    "reserved": ({}, "request", "/my/requisitions/{rid}"),
    "waitlisted": ({"position": 2}, "request", "/my/requisitions/{rid}"),
    "dispatched": ({}, "request", "/my/requisitions/{rid}"),
    "received": ({}, "request", "/my/requisitions/{rid}"),
    "rejected": ({"reason": "Quota used up"}, "request", "/my/requisitions/{rid}"),
    "cancelled": ({"reason": "Asked twice"}, "request", "/my/requisitions/{rid}"),
    "payment_due": ({"amount": 500_00, "due_on": "2026-12-20"}, "request", "/my/requisitions/{rid}"),
    "payment_overdue": ({"amount": 500_00, "due_on": "2026-12-01"}, "request", "/my/requisitions/{rid}"),
    "return_credited": ({"amount": 100_00}, "request", "/my/requisitions/{rid}"),
    "confirm_share": ({"due_on": "2026-12-20", "nonce": 1}, "request", "/my/requisitions/{rid}#confirm-share"),
    "share_recorded": ({}, "request", "/my/requisitions/{rid}#dispute-share"),
    "payment_received": ({"amount": 500_00, **ACCOUNT}, "receipt", "/requisitions/{rid}/receipt"),
    "advance_received": ({"amount": 500_00, **ACCOUNT}, "receipt", "/requisitions/{rid}/receipt"),
    "refunded": ({"amount": 500_00, **ACCOUNT}, "account", "/my/account"),
    "payment_reversed": ({"amount": 500_00, **ACCOUNT}, "account", "/my/account"),
}


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def opens(app, config, url: str, role: str, **claims) -> None:
    """The page at `url` exists: a stranger is sent to log in first, the person it is for sees it (200)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    stranger = app.test_client().get(path)
    assert stranger.status_code == 302 and "/login?next=" in stranger.location, (url, stranger.status_code)
    answer = person(app, config, role, **claims).get(path)
    assert answer.status_code == 200, (url, answer.status_code, answer.get_data(as_text=True)[:300])


@pytest.mark.parametrize("status", KINDS)
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_each_artisans_email_links_to_its_page_on_the_configured_address(apps, config, db, status, lang):
    artisan = person(apps["requests"], config, "artisan", artisan_id=ARTISAN)
    rid = asks_for_dye(artisan)
    artisan_speaks(db, lang)
    fields, page, path = KINDS[status]
    mail, sms = told(db, config, status, rid, **fields)
    [url] = links_in(mail.text)
    assert url == BASE + path.format(rid=rid)  # absolute, on the configured base, nothing of a Host header
    assert f"{SAYS[page][lang]}: {url}" in mail.text  # in the e-mail's language
    footer = "— rawbank raw-material bank" if lang == "en" else "— राजकीय कच्चा माल बैंक"
    assert mail.text.index(url) < mail.text.index(footer)
    assert not links_in(sms.text) and "://" not in sms.text  # SMS stay as they were
    opens(apps["requests"], config, url, "artisan", artisan_id=ARTISAN)


@pytest.mark.parametrize("status", [domain.PHONE_CHANGED, domain.PHONE_CHANGE_ASKED])
def test_an_email_with_nothing_to_open_has_no_link(config, db, status):
    artisan_speaks(db, "en")
    now = datetime.now(timezone.utc)
    notifications._insert(db, {"_id": status, "artisan_id": ARTISAN, "requisition_id": None, "status": status,
                               "depot": "", "lines": [], "ending": "21", "phone_to": None, "created_at": now,
                               "read_at": None, "fanout": [notifications._fanout(now)]})
    deliveries.expand(db, now)
    [delivery] = db.deliveries.find({"channel": "email"})
    assert not links_in(messages.compose(db, delivery, now, config=config).text)


def test_the_link_is_built_from_the_environment_when_no_config_is_given(apps, config, db, monkeypatch):
    """Those who compose a message without a config (tests, a one-off script) get the address the environment
    sets, as the worker does."""
    monkeypatch.setenv("RAWBANK_REQUESTS_URL", "https://bank.example.org/")
    artisan_speaks(db, "en")
    now = datetime.now(timezone.utc)
    notifications.create(db, event_id="e1", status="approved", requisition_id="REQ-7", depot="VNS", lines=[], at=now,
                         artisan_id=ARTISAN)
    deliveries.expand(db, now)
    [delivery] = db.deliveries.find({"channel": "email"})
    assert links_in(messages.compose(db, delivery, now).text) == ["https://bank.example.org/my/requisitions/REQ-7"]


@pytest.fixture
def board(config):
    runtime = Runtime(notifier.spec(), config, client=connect("mongomock://links-notifier"))
    return notifier.create_app(config, runtime)


def escalated(board, config, kind: str, lang: str, *, details: dict, depot="VNS", sku=None) -> tuple:
    """The escalation e-mail and SMS an admin contact gets of an alert of `kind` (raised in the store of `board`, the
    notifier's app, whose page of the alert its link opens), and the alert's id."""
    db = board.extensions["rawbank"].db
    now = datetime.now(timezone.utc)
    subscribers.add_contact(db, {"name": "Officer", "email": "officer@example.org", "phone": "+919800000009",
                                 "language": lang, "districts": []}, by="admin")
    alert_id = alerts.raise_alert(db, kind, depot=depot, sku=sku, cause=uuid.uuid4().hex, at=now - timedelta(hours=2),
                                  details=details, scope=uuid.uuid4().hex)
    alerts.escalate_overdue(db, now=now, after_seconds=60)
    deliveries.expand(db, now)
    sent = {}
    for channel in ("email", "sms"):
        [delivery] = db.deliveries.find({"channel": channel})
        sent[channel] = messages.compose(db, delivery, now, config=config)
    return sent["email"], sent["sms"], alert_id


def alert_page(alert_id: str) -> str:
    """The alert's own page, its card marked: where an e-mail about it leads."""
    return f"{BOARD}/admin/alerts/{alert_id}#alert-{alert_id}"


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_an_escalated_alerts_email_links_to_the_alert_itself(board, config, lang):
    """Not to the board, where an admin with a long one had to hunt for it (or find it gone to another tab)."""
    mail, sms, alert_id = escalated(board, config, domain.LOW_STOCK, lang, sku="DYE-INDIGO",
                                    details={"available": 1000, "reorder_level": 5000})
    [url] = links_in(mail.text)
    assert url == alert_page(alert_id)
    assert f"{SAYS['alert'][lang]}: {url}" in mail.text
    assert "://" not in sms.text
    opens(board, config, url, "admin")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_disputed_records_alert_links_to_the_alert_and_the_request(apps, board, config, lang):
    """The dispute is looked into on the request's page (its shares, who recorded what), resolved on the alert's."""
    rid = asks_for_dye(person(apps["requests"], config, "artisan", artisan_id=ARTISAN))
    mail, _, alert_id = escalated(board, config, domain.SHARE_RECORD_DISPUTED, lang, details={
        "requisition_id": rid, "artisan_id": ARTISAN, "name": "Ramesh", "lines": [], "note": "only half came",
        "cooperative": "SMBSS", "recorded_by": "warehouse"})
    assert links_in(mail.text) == [alert_page(alert_id), f"{BASE}/my/requisitions/{rid}"]
    assert f"{SAYS['request'][lang]}: {BASE}/my/requisitions/{rid}" in mail.text
    opens(board, config, links_in(mail.text)[0], "admin")
    opens(apps["requests"], config, links_in(mail.text)[1], "admin")


def test_an_overdue_accounts_alert_links_to_the_alert_and_the_artisans_account(apps, board, config):
    mail, _, alert_id = escalated(board, config, domain.ACCOUNT_OVERDUE, "hi", depot=None, details={
        "artisan_id": ARTISAN, "name": "Ramesh", "overdue": "6000.00", "since": "2026-11-01"})
    assert links_in(mail.text) == [alert_page(alert_id), f"{BASE}/accounts/{ARTISAN}"]
    assert f"{SAYS['their account']['hi']}: {BASE}/accounts/{ARTISAN}" in mail.text
    opens(apps["requests"], config, links_in(mail.text)[1], "admin")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_daily_digest_links_to_the_alerts_page(board, config, db, lang):
    subscribers.add_contact(db, {"name": "Officer", "email": "officer@example.org", "language": lang,
                                 "districts": []}, by="admin")
    now = datetime(2026, 12, 5, 3, 0, tzinfo=timezone.utc)
    assert queue_digests(db, now, 2) == 1
    [delivery] = db.deliveries.find({"channel": "email"})
    stored = dict(delivery["payload"])
    mail = messages.compose(db, delivery, now, config=config)
    assert links_in(mail.text) == [BOARD + "/admin/alerts"]
    assert f"{SAYS['board'][lang]}: {BOARD}/admin/alerts" in mail.text
    assert db.deliveries.find_one({"_id": delivery["_id"]})["payload"] == stored  # what is stored is as it was
    opens(board, config, links_in(mail.text)[0], "admin")
