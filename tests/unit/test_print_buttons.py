"""The "Print" ("प्रिंट करें") button of a list page is shown only when the list has something to print: an empty list
says so in its empty-state message, and printing that was a sheet with a heading and one sentence."""
from __future__ import annotations

import re

import pytest

from services import notifier
from services.notifier import handlers
from shared.envelope import new_event
from shared.mongo import connect
from shared.runtime import Runtime
from tests.unit.test_money_pages import apps, person  # noqa: F401  (fixture)

PRINT = re.compile(r"<button[^>]*data-print[^>]*>")


def prints(response) -> bool:
    """Whether the page offers its print button (shown: not rendered `hidden`, as the alert board's script may)."""
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    buttons = PRINT.findall(html)
    return any(not re.search(r"\shidden[\s>=]", button) for button in buttons)


def blank(response) -> bool:
    """A page of an empty list, saying so (its empty-state message, shown), with no print button."""
    html = response.get_data(as_text=True)
    return bool(re.search(r'<div class="empty"(?! id="no-alerts" hidden)', html)) and not prints(response)


def test_the_requests_lists_offer_print_only_when_they_have_rows_in_english_and_hindi(apps, config):
    for lang in ("en", "hi"):
        artisan = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001")
        admin = person(apps["requests"], config, "admin", lang)
        empty = {"/my": artisan, "/admin/approvals": admin, "/admin/artisans?q=zzzz-nobody": admin,
                 "/admin/collections": admin, "/accounts": admin}
        for path, who in empty.items():
            assert blank(who.get(path)), (lang, path)
        assert prints(admin.get("/admin/artisans")), lang  # the demo's artisans
    artisan = person(apps["requests"], config, "artisan", "hi", artisan_id="ART-0001")
    made = artisan.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": "DYE-INDIGO",
                                                                               "quantity": "1"}]},
                        headers={"X-CSRF-Token": artisan.csrf})
    assert made.status_code == 201
    admin = person(apps["requests"], config, "admin", "hi")
    assert prints(artisan.get("/my")) and prints(admin.get("/admin/approvals"))
    assert blank(admin.get("/admin/approvals?q=zzzz-nobody"))


def test_the_stock_ledger_and_returns_of_a_depot_offer_print_only_when_they_have_rows(apps, config):
    staff = person(apps["inventory"], config, "warehouse", "hi", depot="VNS")
    assert prints(staff.get("/warehouse/stock")) and prints(staff.get("/warehouse/ledger"))
    assert blank(staff.get("/warehouse/stock?q=zzzz-nothing"))
    assert blank(staff.get("/warehouse/ledger?from=2001-01-01&to=2001-01-02"))
    assert blank(staff.get("/warehouse/returns"))


@pytest.fixture
def notifier_app(config):
    return notifier.create_app(config, Runtime(notifier.spec(), config, client=connect("mongomock://print")))


def test_the_alert_board_and_the_reports_offer_print_only_when_they_have_something(notifier_app, config, token):
    """The board's button is there hidden while it has no alert (its script shows it when one comes in live)."""
    client, admin = notifier_app.test_client(), token("admin")
    html = client.get("/admin/alerts", headers=admin).get_data(as_text=True)
    assert 'id="print-alerts"' in html and blank(client.get("/admin/alerts", headers=admin))
    for name in ("distribution", "beneficiaries", "unmet-demand", "cooperatives"):
        assert blank(client.get(f"/admin/reports/{name}?month=2026-01", headers=admin)), name
    handlers.apply(notifier_app.extensions["rawbank"].db, config, new_event("StockLow", "VNS/YRN-COT", {
        "sku": "YRN-COT", "depot": "VNS", "available": 4_000, "reorder_level": 10_000}, source="inventory"))
    assert prints(client.get("/admin/alerts", headers=admin))


CSV_TEXTS = {"en": ("Download CSV", "Download for a spreadsheet (CSV)"),
             "hi": ("CSV डाउनलोड करें", "स्प्रेडशीट के लिए डाउनलोड करें (CSV)")}  # the catalog's, checked below


def downloads(response, lang="en") -> bool:
    """Whether the page offers a CSV download link (shown: not rendered `hidden`), found by its text in `lang`."""
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    links = re.findall(r"<a\s([^>]*)>\s*([^<]*?)\s*</a>", html)
    return any(text in CSV_TEXTS[lang] and not re.search(r"(^|\s)hidden([\s=]|$)", attrs) for attrs, text in links)


def test_the_csv_link_texts_are_the_catalogs():
    from babel.messages.pofile import read_po
    with open("shared/translations/hi/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    assert tuple(catalog.get(en).string for en in CSV_TEXTS["en"]) == CSV_TEXTS["hi"]


def test_the_lists_offer_download_csv_only_when_they_have_rows_in_english_and_hindi(apps, config):
    """As Print: an empty list's CSV was a file of headings only, downloaded for nothing."""
    for lang in ("en", "hi"):
        admin = person(apps["requests"], config, "admin", lang)
        for path in ("/admin/approvals", "/admin/approvals?q=zzzz-nobody", "/admin/collections"):
            assert not downloads(admin.get(path), lang) and blank(admin.get(path)), (lang, path)
        staff = person(apps["inventory"], config, "warehouse", lang, depot="VNS")
        assert downloads(staff.get("/warehouse/stock"), lang) and downloads(staff.get("/warehouse/ledger"), lang)
        assert not downloads(staff.get("/warehouse/stock?q=zzzz-nothing"), lang), lang
        assert not downloads(staff.get("/warehouse/ledger?from=2001-01-01&to=2001-01-02"), lang), lang
    artisan = person(apps["requests"], config, "artisan", "hi", artisan_id="ART-0001")
    made = artisan.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": "DYE-INDIGO",
                                                                               "quantity": "1"}]},
                        headers={"X-CSRF-Token": artisan.csrf})
    assert made.status_code == 201
    for lang in ("en", "hi"):
        admin = person(apps["requests"], config, "admin", lang)
        assert downloads(admin.get("/admin/approvals"), lang) and prints(admin.get("/admin/approvals")), lang


def test_the_alert_board_and_the_reports_offer_download_csv_only_when_they_have_something(notifier_app, config,
                                                                                           token):
    """The board's link is there hidden while it has no alert (its script shows it with the print button)."""
    client, admin = notifier_app.test_client(), token("admin")
    html = client.get("/admin/alerts", headers=admin).get_data(as_text=True)
    assert 'id="alerts-csv"' in html and not downloads(client.get("/admin/alerts", headers=admin))
    for name in ("distribution", "beneficiaries", "unmet-demand", "cooperatives"):
        assert not downloads(client.get(f"/admin/reports/{name}?month=2026-01", headers=admin)), name
    handlers.apply(notifier_app.extensions["rawbank"].db, config, new_event("StockLow", "VNS/YRN-COT", {
        "sku": "YRN-COT", "depot": "VNS", "available": 4_000, "reorder_level": 10_000}, source="inventory"))
    assert downloads(client.get("/admin/alerts", headers=admin))
    assert 'download.hidden = list.children.length === 0' in open("services/notifier/static/alerts.js").read()




def test_purchase_orders_what_to_order_and_lots_offer_print_only_when_they_have_rows(apps, config):
    """These lists are filed on paper, yet only Download CSV (and the lots nothing) was offered: Print now, as the
    stock and ledger pages, only with rows; the lots still have no CSV export, so no CSV link."""
    for lang in ("en", "hi"):
        admin = person(apps["inventory"], config, "admin", lang)
        staff = person(apps["inventory"], config, "warehouse", lang, depot="VNS")
        assert prints(admin.get("/admin/purchase-orders?depot=VNS")), lang  # the demo's orders
        assert blank(admin.get("/admin/purchase-orders?depot=VNS&status=cancelled")), lang
        assert prints(staff.get("/admin/replenishment")) and prints(staff.get("/warehouse/lots")), lang
        assert not downloads(staff.get("/warehouse/lots"), lang), lang
        assert blank(person(apps["inventory"], config, "warehouse", lang, depot="NODEPOT").get("/warehouse/lots"))
