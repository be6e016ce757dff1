"""An e-mail about an alert linked to the alert board, where an admin with a long board had to hunt for it, and did
not find it at all once someone had resolved it (the live tab leaves it out) or it had slid to a later page. Each
card now has a stable id (`alert-<id>`, on the board and on the alert's own page), and the e-mail leads to the alert's
own page, `/admin/alerts/<id>#alert-<id>`: the one alert whatever its status now, acknowledged and resolved there as
on the board, in English and Hindi; a depot's staff find another depot's alert no more than in the API (404)."""
from __future__ import annotations

import html as html_module
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services import notifier
from services.notifier import alerts, domain
from shared.auth import COOKIE, issue_token
from shared.config import Config
from shared.i18n import LANG_COOKIE
from shared.mongo import connect
from shared.runtime import Runtime
from tests.conftest import free_port


@pytest.fixture
def config() -> Config:
    return Config.from_env({}, kafka_bootstrap_servers=f"127.0.0.1:{free_port()}")


@pytest.fixture
def app(config):
    return notifier.create_app(config, Runtime(notifier.spec(), config, client=connect("mongomock://alert-page")))


def raised(app, depot: str = "VNS") -> str:
    """A low-stock alert of indigo dye at `depot`, seen two hours ago; its id."""
    return alerts.raise_alert(app.extensions["rawbank"].db, domain.LOW_STOCK, depot=depot, sku="DYE-INDIGO",
                              cause=uuid.uuid4().hex, at=datetime.now(timezone.utc) - timedelta(hours=2),
                              details={"available": 1000, "reorder_level": 5000})


def as_(app, config, role: str = "admin", lang: str = "en", **claims):
    client = app.test_client()
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub=role, role=role, **claims))
    client.set_cookie(LANG_COOKIE, lang)
    return client


def cards(html: str) -> list[str]:
    """The ids of the alert cards on a page, as its elements carry them."""
    return re.findall(r'<div class="card alert-card"[^>]* id="([^"]+)"', html)


def test_each_card_on_the_board_has_its_alerts_id_for_a_link_to_lead_to(app, config):
    first, second = raised(app, "VNS"), raised(app, "BHD")
    html = as_(app, config).get("/admin/alerts").get_data(as_text=True)
    assert sorted(cards(html)) == sorted([f"alert-{first}", f"alert-{second}"])


@pytest.mark.parametrize("lang,heading,board", [("en", "Supply alert", "All alerts"),
                                                ("hi", "आपूर्ति चेतावनी", "सभी चेतावनियाँ")])
def test_an_alerts_own_page_shows_it_whatever_became_of_it(app, config, lang, heading, board):
    alert_id, other = raised(app), raised(app, "BHD")
    alerts.resolve(app.extensions["rawbank"].db, alert_id, by="meena", note="ordered from the mill",
                   at=datetime.now(timezone.utc))
    assert cards(as_(app, config).get("/admin/alerts").get_data(as_text=True)) == [f"alert-{other}"]  # off the tab
    answer = as_(app, config, lang=lang).get(f"/admin/alerts/{alert_id}")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert cards(html) == [f"alert-{alert_id}"]  # this one only, resolved
    assert f"<h1>{heading}</h1>" in html and f'<a href="/admin/alerts">{board}</a>' in html
    assert "ordered from the mill" in html
    assert '"shown": ["open", "acknowledged", "resolved"]' in html  # the script keeps it, resolved or not


def test_a_depots_staff_open_their_depots_alert_and_find_no_other(app, config):
    ours, theirs = raised(app, "VNS"), raised(app, "BHD")
    staff = as_(app, config, "warehouse", depot="VNS")
    assert staff.get(f"/admin/alerts/{ours}").status_code == 200
    assert staff.get(f"/admin/alerts/{theirs}").status_code == 404
    assert as_(app, config, "warehouse").get(f"/admin/alerts/{theirs}").status_code == 200  # central staff
    assert as_(app, config).get("/admin/alerts/no-such-alert").status_code == 404
    assert as_(app, config, "artisan", artisan_id="ART-1").get(f"/admin/alerts/{ours}").status_code == 403



@pytest.mark.parametrize("lang,said,what_to_do", [
    ("en", "The requests service could not apply the StockReceived event e-7 because its data is wrong: the field "
           "\u201cquantity\u201d: must be greater than or equal to 1.", "correct the record in the inventory service"),
    ("hi", "अनुरोध सेवा से StockReceived घटना e-7 लागू नहीं हो सकी, क्योंकि उसका डेटा ग़लत है: "
           "फ़ील्ड \u201cquantity\u201d: कम से कम 1 होना चाहिए।", "इन्वेंटरी सेवा में वह रिकॉर्ड ठीक करें")])
def test_a_dead_letters_alert_says_which_field_is_wrong_and_what_to_do_not_marshmallows_words(
        app, config, lang, said, what_to_do):
    """The card of a dead letter showed "StockReceived payload invalid: {'quantity': ['Must be greater than or equal
    to 1.']}. Once the cause is fixed, send it again": the event, the field and what is wrong, and what to do next."""
    from types import SimpleNamespace
    from services.notifier import handlers
    db = app.extensions["rawbank"].db
    value = b'{"type": "StockReceived", "event_id": "e-7", "payload": {"depot": "VNS", "quantity": "0"}}'
    handlers.dead_letter(db, SimpleNamespace(topic="inventory.events.dlq", partition=0, offset=3, key=None, value=value,
                                             headers=[("reason", b"StockReceived payload invalid: {'quantity': "
                                                                 b"['Must be greater than or equal to 1.']}"),
                                                      ("original_topic", b"inventory.events"),
                                                      ("consumer_group", b"rawbank-requests")]))
    [alert] = alerts.find(db, kind=domain.DEAD_LETTER)
    page = as_(app, config, lang=lang).get(f"/admin/alerts/{alert['_id']}").get_data(as_text=True)
    shown = html_module.unescape(page.split('<script id="board-data"')[0])  # what a person reads (the data: as it came)
    assert said in shown and what_to_do in shown and "rawbank dlq resend e-7" in shown, shown
    assert "{'quantity'" not in shown and "Must be" not in shown
