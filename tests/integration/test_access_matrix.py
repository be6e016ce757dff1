"""Every endpoint x every role x own and other's objects: who gets through, who gets 401, 403 or 404.

Side A (depot VNS, artisan ART-A in cooperative Coop-A) is where the warehouse user, the artisan
and the secretary belong; side B (depot BHD, ART-B in Coop-B) is someone else's. The three
services run in-process on their own stores; the notifier's alerts and notifications come from
its real consumer handler fed with real events. A new endpoint fails the completeness test
until it has its row here.
"""
from __future__ import annotations

import re
import uuid

import pytest

from services import inventory, notifier, requests as requests_service
from services.inventory import consumer as inventory_consumer
from services.notifier import consumer as notifier_consumer
from services.requests import consumer as requests_consumer, users
from shared.auth import issue_token
from shared.envelope import new_event
from shared.runtime import Runtime
from tests.integration.test_requests_support import price_payload

ROLES = ("anon", "admin", "warehouse", "artisan", "secretary")
OK, ANY = "ok", "any"  # ok: past every check (not 401/403/404); any: not asserted
SKU = "YRN-COT-40"


def expect(anon=401, admin=OK, warehouse=OK, artisan=OK, secretary=OK) -> dict:
    return {"anon": anon, "admin": admin, "warehouse": warehouse, "artisan": artisan, "secretary": secretary}


ADMIN_ONLY = expect(warehouse=403, artisan=403, secretary=403)
STAFF = expect(artisan=403, secretary=403)
PEOPLE = expect(admin=403, warehouse=403)  # artisans and the secretaries acting for them

# (service, method, path template, body, expectations); {own_*} and {other_*} are filled per run
MATRIX = [
    ("inventory", "POST", "/depots", {"code": "NEW{n}", "name": "N", "district": "D"}, ADMIN_ONLY),
    ("inventory", "GET", "/depots", None, expect()),
    ("inventory", "GET", "/depots/VNS", None, expect()),
    ("inventory", "GET", "/depots/VNS/stock", None, expect()),
    ("inventory", "POST", "/materials", {"sku": "NEW-{n}", "name": "N", "name_hi": "N", "category": "dye",
                                         "unit": "kg", "reorder_level": "1"}, ADMIN_ONLY),
    ("inventory", "GET", "/materials", None, expect()),
    ("inventory", "GET", f"/materials/{SKU}", None, expect()),
    ("inventory", "PATCH", f"/materials/{SKU}", {"name": "Cotton yarn"}, ADMIN_ONLY),
    ("inventory", "POST", f"/materials/{SKU}/prices", {"price": "245.50"}, ADMIN_ONLY),
    ("inventory", "GET", f"/materials/{SKU}/prices", None, expect()),
    ("inventory", "PATCH", "/depots/VNS", {"zone": "plain"}, ADMIN_ONLY),
    ("inventory", "GET", "/stock", None, expect()),
    ("inventory", "GET", "/stock?depot=VNS", None, expect()),
    ("inventory", "GET", "/stock?depot=BHD", None, expect()),  # every depot's stock is readable
    ("inventory", "GET", f"/stock/VNS/{SKU}", None, expect()),
    ("inventory", "POST", "/movements", {"type": "receipt", "sku": SKU, "depot": "VNS", "quantity": "1"}, STAFF),
    ("inventory", "POST", "/movements", {"type": "receipt", "sku": SKU, "depot": "BHD", "quantity": "1"},
     expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/movements", None, STAFF),
    ("inventory", "GET", "/movements?depot=BHD", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/returns", None, STAFF),  # returns from artisans: a depot's staff, their own depot's
    ("inventory", "GET", "/returns?depot=BHD", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/returns?format=csv", None, STAFF),  # the same list as a spreadsheet, the same people
    ("inventory", "GET", "/returns?depot=BHD&format=csv", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/reservations/{own_rid}", None, expect(secretary=404)),
    ("inventory", "GET", "/reservations/{other_rid}", None, expect(warehouse=404, artisan=404, secretary=404)),
    # the gate pass after the hand-over (own_rid is set aside, not handed over: 409, past every check)
    ("inventory", "GET", "/reservations/{own_rid}/gate-pass", None, STAFF),
    ("inventory", "GET", "/reservations/{other_rid}/gate-pass", None,
     expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "POST", "/reservations/{own_rid}/gate-pass/printings", None, STAFF),
    ("inventory", "POST", "/reservations/{other_rid}/gate-pass/printings", None,
     expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/admin/reconcile-data", None, ADMIN_ONLY),
    ("inventory", "GET", "/public/availability?district=VNS", None, expect(anon=OK)),  # no login, no figures
    ("inventory", "POST", "/suppliers", {"code": "S-{n}", "name": "N", "district": "D"}, ADMIN_ONLY),
    ("inventory", "GET", "/suppliers", None, STAFF),
    ("inventory", "GET", "/suppliers/MILL", None, STAFF),
    ("inventory", "PATCH", "/suppliers/MILL", {"lead_time_days": 20}, ADMIN_ONLY),
    ("inventory", "POST", "/suppliers/MILL/items", {"sku": SKU, "price": "10"}, ADMIN_ONLY),  # admin: 409, priced
    ("inventory", "PATCH", f"/suppliers/MILL/items/{SKU}", {"price": "11"}, ADMIN_ONLY),
    ("inventory", "DELETE", f"/suppliers/SPARE/items/{SKU}", None, ADMIN_ONLY),
    ("inventory", "POST", "/purchase-orders", {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-01",
                                               "lines": [{"sku": SKU, "quantity": "1", "price": "1"}]}, ADMIN_ONLY),
    ("inventory", "GET", "/purchase-orders", None, STAFF),
    ("inventory", "GET", "/purchase-orders?depot=VNS", None, STAFF),
    ("inventory", "GET", "/purchase-orders?depot=BHD", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/purchase-orders/{draft_po}", None, STAFF),
    ("inventory", "GET", "/purchase-orders/{other_po}", None, expect(warehouse=404, artisan=403, secretary=403)),
    ("inventory", "PATCH", "/purchase-orders/{other_po}", {"note": "n"}, ADMIN_ONLY),
    ("inventory", "POST", "/purchase-orders/{other_po}/cancel", None, ADMIN_ONLY),
    ("inventory", "PATCH", "/purchase-orders/{draft_po}", {"note": "n"}, ADMIN_ONLY),
    ("inventory", "POST", "/purchase-orders/{draft_po}/send", None, ADMIN_ONLY),
    ("inventory", "POST", "/purchase-orders/{sent_po}/close", None, ADMIN_ONLY),
    ("inventory", "POST", "/purchase-orders/{spare_po}/cancel", None, ADMIN_ONLY),
    ("inventory", "GET", "/replenishment?depot=VNS", None, STAFF),
    ("inventory", "GET", "/replenishment?depot=BHD", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "POST", "/replenishment/purchase-orders", {"depot": "VNS", "supplier": "MILL", "skus": [SKU]},
     ADMIN_ONLY),
    ("inventory", "POST", f"/stock/VNS/{SKU}/lots/hold", {"lot": "LOT-VNS"}, STAFF),
    ("inventory", "POST", f"/stock/VNS/{SKU}/lots/release", {"lot": "LOT-VNS"}, STAFF),
    ("inventory", "POST", f"/stock/BHD/{SKU}/lots/hold", {"lot": "LOT-BHD"}, expect(warehouse=403, artisan=403,
                                                                                     secretary=403)),
    ("inventory", "POST", "/counts", {"depot": "VNS"}, STAFF),
    ("inventory", "POST", "/counts", {"depot": "BHD"}, expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/counts", None, STAFF),
    ("inventory", "GET", "/counts?depot=VNS", None, STAFF),
    ("inventory", "GET", "/counts?depot=BHD", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("inventory", "GET", "/counts/{own_count}", None, STAFF),
    ("inventory", "GET", "/counts/{other_count}", None, expect(warehouse=404, artisan=403, secretary=403)),
    ("inventory", "PUT", "/counts/{own_count}/lines", {"sku": SKU, "lot": "LOT-VNS", "counted": "5"}, STAFF),
    ("inventory", "PUT", "/counts/{other_count}/lines", {"sku": SKU, "lot": "LOT-BHD", "counted": "5"},
     expect(warehouse=404, artisan=403, secretary=403)),
    ("inventory", "POST", "/counts/{own_count}/submit", None, expect(artisan=403, secretary=403, admin=ANY,
                                                                     warehouse=ANY)),
    ("inventory", "POST", "/counts/{other_count}/approve", None, ADMIN_ONLY),
    ("inventory", "POST", "/counts/{cancel_own}/cancel", {"reason": "begun by mistake"}, STAFF),
    ("inventory", "POST", "/counts/{cancel_other}/cancel", {"reason": "begun by mistake"},
     expect(warehouse=404, artisan=403, secretary=403)),
    ("requests", "POST", "/artisans", {"name": "N", "district": "D", "craft": "c", "registration_id": "REG-{n}"},
     expect(warehouse=403, artisan=403)),
    ("requests", "GET", "/artisans", None, expect()),
    ("requests", "GET", "/artisans/ART-A", None, expect()),
    ("requests", "GET", "/artisans/ART-B", None, expect(artisan=404, secretary=404)),
    ("requests", "PATCH", "/artisans/ART-A", {"craft": "weaving"}, expect(warehouse=403, artisan=403)),
    ("requests", "PATCH", "/artisans/ART-B", {"craft": "weaving"}, expect(warehouse=403, artisan=404, secretary=404)),
    ("requests", "POST", "/artisans/ART-A/looms/approve", None, expect(secretary=403, warehouse=403, artisan=403)),
    ("requests", "POST", "/artisans/ART-B/looms/reject", None, expect(secretary=403, warehouse=403, artisan=403)),
    ("requests", "PATCH", "/artisans/ART-A", {"looms": 1000}, expect(warehouse=403, artisan=403)),
    ("requests", "POST", "/artisans/ART-A/phone/approve", None, expect(secretary=403, warehouse=403, artisan=403)),
    ("requests", "POST", "/artisans/ART-B/phone/reject", None, expect(secretary=403, warehouse=403, artisan=403)),
    ("requests", "PATCH", "/artisans/ART-A", {"phone": "+919899999999"}, expect(warehouse=403, artisan=403)),
    ("requests", "POST", "/quotas", {"category": "dye", "limit": "5"}, ADMIN_ONLY),
    ("requests", "POST", "/quotas", {"category": "dye", "limit": "5", "artisan": "ART-B"},
     ADMIN_ONLY),  # an artisan as typed in the quotas page's form (number, list line or whole name)
    ("requests", "GET", "/quotas", None, ADMIN_ONLY),
    ("requests", "GET", "/quotas/history", None, ADMIN_ONLY),
    ("requests", "DELETE", "/quotas/dye@*", None, expect(admin=ANY, warehouse=403, artisan=403, secretary=403)),
    ("requests", "GET", "/quotas/usage?artisan_id=ART-A", None, expect(warehouse=403)),
    ("requests", "GET", "/quotas/usage?artisan_id=ART-B", None, expect(warehouse=403, secretary=404)),
    ("requests", "GET", "/settings/auto-approve", None, ADMIN_ONLY),
    ("requests", "PUT", "/settings/auto-approve", {"max_quantity": None}, ADMIN_ONLY),
    ("requests", "POST", "/requisitions", {"artisan_id": "ART-A", "depot": "VNS", "lines": [{"sku": SKU, "quantity": "1"}]},
     expect(warehouse=403)),
    ("requests", "POST", "/requisitions", {"artisan_id": "ART-B", "depot": "BHD", "lines": [{"sku": SKU, "quantity": "1"}]},
     expect(warehouse=403, artisan=ANY, secretary=404)),
    ("requests", "GET", "/requisitions", None, expect()),
    ("requests", "GET", "/requisitions/{own_rid}", None, expect()),
    ("requests", "GET", "/requisitions/{other_rid}", None, expect(warehouse=404, artisan=404, secretary=404)),
    ("requests", "POST", "/requisitions/{own_rid}/approve", {}, expect(warehouse=403, artisan=403, secretary=403)),
    ("requests", "POST", "/requisitions/{other_rid}/approve", {}, expect(warehouse=404, artisan=404, secretary=404)),
    ("requests", "POST", "/requisitions/{own_rid}/reject", {}, expect(warehouse=403, artisan=403, secretary=403)),
    ("requests", "POST", "/requisitions/{other_rid}/reject", {}, expect(warehouse=404, artisan=404, secretary=404)),
    ("requests", "POST", "/requisitions/{own_rid}/cancel", {}, expect(warehouse=403)),
    ("requests", "POST", "/requisitions/{other_rid}/cancel", {}, expect(warehouse=404, artisan=404, secretary=404)),
    ("requests", "POST", "/requisitions/{own_rid}/dispatch", {}, expect(artisan=403, secretary=403)),
    ("requests", "POST", "/requisitions/{other_rid}/dispatch", {}, expect(warehouse=404, artisan=404, secretary=404)),
    ("requests", "POST", "/requisitions/{own_rid}/receive", {}, expect(warehouse=403)),
    ("requests", "POST", "/requisitions/{other_rid}/receive", {}, expect(warehouse=404, artisan=404, secretary=404)),
    ("requests", "POST", "/requisitions/estimate",
     {"artisan_id": "ART-A", "depot": "VNS", "lines": [{"sku": SKU, "quantity": "1"}]}, expect(warehouse=403)),
    ("requests", "POST", "/requisitions/estimate",
     {"artisan_id": "ART-B", "depot": "BHD", "lines": [{"sku": SKU, "quantity": "1"}]},
     expect(warehouse=403, artisan=ANY, secretary=404)),
    ("requests", "POST", "/requisitions/{own_rid}/payments",
     {"amount": "0.01", "method": "advance", "reference": "R{n}"}, expect(artisan=403, secretary=403)),
    ("requests", "POST", "/requisitions/{other_rid}/payments", {"amount": "0.01", "method": "advance",
                                                                "reference": "R{n}"},
     expect(warehouse=404, artisan=403, secretary=403)),
    ("requests", "POST", "/requisitions/{own_rid}/payments/{own_payment}/reversal", {"reason": "typed wrong"},
     ADMIN_ONLY),
    ("requests", "POST", "/requisitions/{other_rid}/payments/{other_payment}/reversal", {"reason": "typed wrong"},
     ADMIN_ONLY),
    ("requests", "POST", "/artisans/ART-A/refunds", {"amount": "0.01", "method": "cash", "reference": "RF{n}",
                                                      "reason": "request cancelled"}, ADMIN_ONLY),
    ("requests", "POST", "/artisans/ART-B/refunds", {"amount": "0.01", "method": "cash", "reference": "RF{n}",
                                                      "reason": "request cancelled"}, ADMIN_ONLY),
    ("requests", "POST", "/schemes", {"code": "S{n}", "name": "S", "name_hi": "S", "subsidy_percent": "10", "caps": [],
                                      "valid_from": "2020-01-01"}, ADMIN_ONLY),
    ("requests", "GET", "/schemes", None, expect()),
    ("requests", "GET", "/schemes/RMSS", None, expect()),
    ("requests", "PATCH", "/schemes/RMSS", {"depot_charge_percent": "2"}, ADMIN_ONLY),
    ("requests", "GET", "/artisans/ART-A/entitlements", None, expect()),
    ("requests", "GET", "/artisans/ART-B/entitlements", None, expect(artisan=404, secretary=404)),
    ("requests", "GET", "/artisans/ART-A/account", None, expect()),
    ("requests", "GET", "/artisans/ART-B/account", None, expect(artisan=404, secretary=404)),
    ("requests", "PUT", "/credit-terms", {"cooperative": "Coop-A", "credit_limit": "100", "credit_days": 30},
     ADMIN_ONLY),
    ("requests", "PUT", "/credit-terms", {"artisan": "ART-B", "credit_limit": "100", "credit_days": 30},
     ADMIN_ONLY),  # an artisan as typed in the accounts page's form (number, list line or whole name)
    ("requests", "GET", "/credit-terms", None, ADMIN_ONLY),
    ("requests", "GET", "/reports/subsidy-claims?scheme=RMSS&month=2020-01", None, ADMIN_ONLY),
    ("requests", "GET", "/reports/subsidy-claims/year?scheme=RMSS&year=2020-21", None, ADMIN_ONLY),
    ("requests", "GET", "/payments?from=2020-01-01&to=2020-01-31", None, STAFF),  # warehouse: their depot's only
    ("requests", "GET", "/payments?depot=BHD", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("requests", "GET", "/admin/reconcile-data", None, ADMIN_ONLY),
    ("requests", "POST", "/cooperatives", {"code": "C{n}", "name": "C", "name_hi": "C", "kind": "shg",
                                           "district": "D"}, ADMIN_ONLY),
    ("requests", "GET", "/cooperatives", None, expect(artisan=403)),
    ("requests", "GET", "/cooperatives/Coop-A", None, expect(artisan=403)),
    ("requests", "GET", "/cooperatives/Coop-B", None, expect(artisan=403, secretary=404)),
    ("requests", "PATCH", "/cooperatives/Coop-A", {"name": "A"}, ADMIN_ONLY),
    ("requests", "PATCH", "/cooperatives/Coop-B", {"name": "B"}, ADMIN_ONLY),
    ("requests", "POST", "/requisitions", {"cooperative": "Coop-A", "depot": "VNS",
                                           "lines": [{"sku": SKU, "quantity": "1", "artisan_id": "ART-A"}]},
     expect(warehouse=403, artisan=403)),
    ("requests", "POST", "/requisitions", {"cooperative": "Coop-B", "depot": "BHD",
                                           "lines": [{"sku": SKU, "quantity": "1", "artisan_id": "ART-B"}]},
     expect(warehouse=403, artisan=403, secretary=404)),
    ("requests", "POST", "/requisitions", {"cooperative": "Coop-A", "depot": "VNS",
                                           "lines": [{"sku": SKU, "quantity": "1", "artisan_id": "ART-B"}]},
     expect(admin=404, warehouse=403, artisan=403, secretary=404)),
    ("requests", "POST", "/requisitions/{own_coop_rid}/returns",
     {"artisan_id": "ART-A", "lines": [{"sku": SKU, "quantity": "0.001", "condition": "restock"}], "reason": "spare"},
     expect(artisan=403, secretary=403)),
    ("requests", "POST", "/requisitions/{other_coop_rid}/returns",
     {"artisan_id": "ART-B", "lines": [{"sku": SKU, "quantity": "0.001", "condition": "restock"}], "reason": "spare"},
     expect(warehouse=404, artisan=403, secretary=403)),
    ("requests", "GET", "/requisitions/{own_coop_rid}/returns", None, expect()),
    ("requests", "GET", "/requisitions/{other_coop_rid}/returns", None,
     expect(warehouse=404, artisan=404, secretary=404)),
    ("requests", "POST", "/requisitions/{own_coop_rid}/confirmations", {"artisan_id": "ART-A"},
     expect(admin=403, warehouse=403, secretary=403)),
    ("requests", "POST", "/requisitions/{own_coop_rid}/confirmations", {"artisan_id": "ART-A2"},
     expect(admin=403, warehouse=403, artisan=404, secretary=403)),
    ("requests", "POST", "/requisitions/{other_coop_rid}/confirmations", {"artisan_id": "ART-B"},
     expect(admin=403, warehouse=403, artisan=404, secretary=403)),
    ("requests", "POST", "/requisitions/{own_coop_rid}/shares/ART-A2/code", None, expect(warehouse=403, artisan=403)),
    ("requests", "POST", "/requisitions/{other_coop_rid}/shares/ART-B/code", None,
     expect(warehouse=403, artisan=403, secretary=404)),
    # what a member says at the depot's counter, recorded by its staff: never the secretary's, nor another depot's
    ("requests", "POST", "/requisitions/{own_coop_rid}/shares/ART-A2/received", {},
     expect(artisan=403, secretary=403)),
    ("requests", "POST", "/requisitions/{other_coop_rid}/shares/ART-B/received", {},
     expect(warehouse=404, artisan=403, secretary=403)),
    # a member disputes what the depot recorded for their own share: only they (409 here: nothing recorded yet)
    ("requests", "POST", "/requisitions/{own_coop_rid}/shares/ART-A/dispute", {"note": "not what I got"},
     expect(admin=403, warehouse=403, secretary=403)),
    ("requests", "POST", "/requisitions/{own_coop_rid}/shares/ART-A2/dispute", {"note": "not what I got"},
     expect(admin=403, warehouse=403, artisan=404, secretary=403)),
    ("requests", "POST", "/requisitions/{other_coop_rid}/shares/ART-B/dispute", {"note": "not what I got"},
     expect(admin=403, warehouse=403, artisan=404, secretary=403)),
    # the department settles a member's dispute: admins only, the depot's staff recorded it (409 here: not disputed)
    ("requests", "POST", "/requisitions/{own_coop_rid}/shares/ART-A/dispute/settlement",
     {"outcome": "rejected", "note": "the record stands"}, ADMIN_ONLY),
    ("requests", "POST", "/requisitions/{other_coop_rid}/shares/ART-B/dispute/settlement",
     {"outcome": "rejected", "note": "the record stands"}, ADMIN_ONLY),
    ("requests", "POST", "/sms/inbound", {"id": "m-{n}", "from": "+919800000001", "text": "RCV 123456"},
     expect(anon=401, admin=401, warehouse=401, artisan=401, secretary=401)),  # signed by the gateway, not a login
    ("requests", "GET", "/artisans/ART-A/passbook", None, expect()),
    ("requests", "GET", "/users", None, ADMIN_ONLY),  # who logs in: admins only, never a hash
    ("requests", "POST", "/users", {"username": "u{n}", "password": "long enough", "role": "warehouse"}, ADMIN_ONLY),
    ("requests", "POST", "/users", {"username": "u{n}", "password": "long enough", "role": "artisan",
                                    "artisan": "ART-B"}, ADMIN_ONLY),  # an artisan as typed in the Users page's form
    ("requests", "POST", "/users/clerk/password", {"password": "long enough"}, ADMIN_ONLY),
    ("requests", "PATCH", "/users/clerk", {"active": False}, ADMIN_ONLY),
    ("requests", "GET", "/users/clerk/name", None, ADMIN_ONLY),  # what `rawbank token` signs in
    ("requests", "POST", "/auth/password", {"current_password": "not it", "new_password": "long enough"},
     expect()),  # one's own: refused here (not the current password), never 401/403 to anyone logged in
    ("requests", "GET", "/artisans/ART-B/passbook", None, expect(artisan=404, secretary=404)),
    ("requests", "GET", "/artisans/ART-B/passbook?year=2025-26", None,
     expect(artisan=404, secretary=404)),  # an earlier year's is no more anyone's than this year's
    ("notifier", "GET", "/events", None, ADMIN_ONLY),
    ("notifier", "GET", "/dead-letters", None, ADMIN_ONLY),
    ("notifier", "POST", "/dead-letters/resends", {"id": "no-such-letter", "resend_id": "r-{n}"},
     expect(admin=404, warehouse=403, artisan=403, secretary=403)),
    ("notifier", "GET", "/alerts", None, STAFF),
    ("notifier", "GET", "/alerts?depot=VNS", None, STAFF),
    ("notifier", "GET", "/alerts?depot=BHD", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("notifier", "GET", "/alerts?depot=BHD&format=csv", None, expect(warehouse=403, artisan=403, secretary=403)),
    ("notifier", "GET", "/alerts/{own_alert}", None, STAFF),
    ("notifier", "GET", "/alerts/{other_alert}", None, expect(warehouse=404, artisan=403, secretary=403)),
    ("notifier", "POST", "/alerts/{own_alert}/acknowledge", {}, STAFF),
    ("notifier", "POST", "/alerts/{other_alert}/acknowledge", {}, expect(warehouse=404, artisan=403, secretary=403)),
    ("notifier", "POST", "/alerts/{own_alert}/resolve", {}, STAFF),
    ("notifier", "POST", "/alerts/{other_alert}/resolve", {}, expect(warehouse=404, artisan=403, secretary=403)),
    ("notifier", "GET", "/notifications", None, PEOPLE),
    ("notifier", "POST", "/notifications/{own_note}/read", None, PEOPLE),
    ("notifier", "POST", "/notifications/{other_note}/read", None, expect(admin=403, warehouse=403, artisan=404,
                                                                          secretary=404)),
    ("notifier", "POST", "/webhooks", {"url": "https://example.org/hook"}, ADMIN_ONLY),
    ("notifier", "GET", "/webhooks", None, ADMIN_ONLY),
    ("notifier", "DELETE", "/webhooks/{n}", None, expect(admin=ANY, warehouse=403, artisan=403, secretary=403)),
    ("notifier", "GET", "/webhooks/{n}/deliveries", None, expect(admin=ANY, warehouse=403, artisan=403, secretary=403)),
    ("notifier", "POST", "/contacts", {"channel": "email", "target": "a@example.org"}, expect(
        admin=ANY, warehouse=403, artisan=403, secretary=403)),
    ("notifier", "GET", "/contacts", None, ADMIN_ONLY),
    ("notifier", "DELETE", "/contacts/{n}", None, expect(admin=ANY, warehouse=403, artisan=403, secretary=403)),
    ("notifier", "GET", "/deliveries", None, ADMIN_ONLY),
    ("notifier", "GET", "/stream?max_seconds=1&limit=1", None, STAFF),
    ("notifier", "GET", "/stream?max_seconds=1&limit=1&depot=VNS", None, STAFF),
    ("notifier", "GET", "/stream?max_seconds=1&limit=1&depot=BHD", None, expect(warehouse=403, artisan=403,
                                                                                secretary=403)),
    ("notifier", "GET", "/admin/reconcile-data", None, ADMIN_ONLY),
    ("notifier", "GET", "/reports/distribution?group_by=cooperative", None, ADMIN_ONLY),
    ("notifier", "GET", "/reports/beneficiaries?group_by=gender&format=csv", None, ADMIN_ONLY),
    ("notifier", "GET", "/reports/unmet-demand", None, ADMIN_ONLY),
    ("notifier", "GET", "/reports/cooperatives", None, ADMIN_ONLY),
    ("notifier", "POST", "/reports/rebuild", None, ADMIN_ONLY),
]
PUBLIC = {("requests", "POST", "/auth/login")}  # no token needed: tests/integration/test_tokens.py
OWN_TOKEN = {("requests", "POST", "/auth/logout")}  # it revokes the caller's token: test_each_role_can_log_out


def event(type_, key, payload):
    return new_event(type_, key, payload, source="test")


@pytest.fixture(scope="module")
def world():
    """Three services with side A's and side B's objects, and a token per role."""
    from shared.config import Config
    config = Config.from_env({})
    apps = {}
    for name, package in (("inventory", inventory), ("requests", requests_service), ("notifier", notifier)):
        runtime = Runtime(package.spec(), config)
        apps[name] = (package.create_app(config, runtime).test_client(), runtime.db)
    tokens = {"admin": issue_token(config.jwt_secret, sub="adm", role="admin"),
              "warehouse": issue_token(config.jwt_secret, sub="wh", role="warehouse", depot="VNS"),
              "artisan": issue_token(config.jwt_secret, sub="art", role="artisan", artisan_id="ART-A"),
              "secretary": issue_token(config.jwt_secret, sub="sec", role="secretary", cooperative="Coop-A")}
    inv, req, note = (apps[n] for n in ("inventory", "requests", "notifier"))
    users.add_user(req[1], username="clerk", password="the clerk's passphrase", role="warehouse", depot="VNS")

    def call(app, method, path, token, body=None):
        response = app[0].open(f"/api/v1{path}", method=method, json=body,
                               headers={"Authorization": f"Bearer {token}"} if token else {})
        assert response.status_code < 300, (path, response.status_code, response.get_json())
        return response.get_json()

    admin = tokens["admin"]
    material = {"sku": SKU, "name": "Cotton yarn", "name_hi": "सूती धागा", "category": "yarn", "unit": "kg",
                "reorder_level": "50"}
    for code in ("VNS", "BHD"):
        call(inv, "POST", "/depots", admin, {"code": code, "name": code, "district": code})
    call(inv, "POST", "/materials", admin, material)
    for code in ("VNS", "BHD"):
        call(inv, "POST", "/movements", admin, {"type": "receipt", "sku": SKU, "depot": code, "quantity": "100"})
        call(inv, "POST", "/movements", admin, {"type": "receipt", "sku": SKU, "depot": code, "quantity": "10",
                                                "lot": f"LOT-{code}"})
    call(inv, "POST", "/suppliers", admin, {"code": "MILL", "name": "Mill", "district": "Salem"})
    call(inv, "POST", "/suppliers/MILL/items", admin, {"sku": SKU, "price": "10"})
    call(inv, "POST", "/suppliers", admin, {"code": "SPARE", "name": "Spare mill", "district": "Salem",
                                            "items": [{"sku": SKU, "price": "10"}]})
    order = {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-01",
             "lines": [{"sku": SKU, "quantity": "5", "price": "10"}]}
    orders = {name: call(inv, "POST", "/purchase-orders", admin, order)["purchase_order"]
              for name in ("draft_po", "sent_po", "spare_po")}
    call(inv, "POST", f"/purchase-orders/{orders['sent_po']}/send", admin)
    orders["other_po"] = call(inv, "POST", "/purchase-orders", admin, {**order, "depot": "BHD"})["purchase_order"]
    counted, counter = {}, issue_token(config.jwt_secret, sub="counter", role="admin")  # not the approving admin
    for name, code in (("own_count", "VNS"), ("other_count", "BHD")):
        counted[name] = call(inv, "POST", "/counts", counter, {"depot": code})["count_id"]
        call(inv, "PUT", f"/counts/{counted[name]}/lines", counter, {"sku": SKU, "lot": f"LOT-{code}", "counted": "9"})
    call(inv, "POST", f"/counts/{counted['other_count']}/submit", counter)
    for name, code in (("cancel_own", "VNS"), ("cancel_other", "BHD")):
        counted[name] = call(inv, "POST", "/counts", counter, {"depot": code})["count_id"]
    requests_consumer.make_handler(req[1], config)(event("MaterialRegistered", SKU, {**material, "reorder_level": 50_000}))
    # a request is approved only at a price
    requests_consumer.make_handler(req[1], config)(event("MaterialPriced", SKU, price_payload(SKU, 24_550)))
    for code in ("VNS", "BHD"):
        requests_consumer.make_handler(req[1], config)(event("DepotRegistered", code, {"code": code, "name": code,
                                                                                        "district": code}))
    call(req, "POST", "/schemes", admin, {"code": "RMSS", "name": "RMSS", "name_hi": "RMSS", "subsidy_percent": "15",
                                          "caps": [{"category": "yarn", "per_loom_per_month": "30"}],
                                          "valid_from": "2021-04-01"})
    rids, coop_rids = {}, {}
    payments = {}
    for side, depot in (("A", "VNS"), ("B", "BHD")):
        call(req, "POST", "/cooperatives", admin, {"code": f"Coop-{side}", "name": side, "name_hi": side,
                                                   "kind": "cooperative", "district": depot, "credit_limit": "100000"})
        call(req, "POST", "/artisans", admin, {"artisan_id": f"ART-{side}", "name": side, "district": depot,
                                              "craft": "weaving", "registration_id": f"REG-{side}",
                                              "cooperative": f"Coop-{side}"})
        call(req, "POST", "/artisans", admin, {"artisan_id": f"ART-{side}2", "name": f"{side}2", "district": depot,
                                              "craft": "weaving", "registration_id": f"REG-{side}2",
                                              "cooperative": f"Coop-{side}"})
        coop_rids[side] = received_coop_requisition(req, call, admin, side, depot, config)
        rids[side] = call(req, "POST", "/requisitions", admin, {"artisan_id": f"ART-{side}", "depot": depot,
                                                               "lines": [{"sku": SKU, "quantity": "1"}]})["id"]
        payments[side] = call(req, "POST", f"/requisitions/{rids[side]}/payments", admin,
                              {"amount": "1.00", "method": "advance", "reference": f"PAY-{side}"})["payment_id"]
        approved = {"requisition_id": rids[side], "artisan_id": f"ART-{side}", "depot": depot,
                    "lines": [{"sku": SKU, "quantity": 1000}], "by": "adm"}
        inventory_consumer.make_handler(inv[1], config)(event("RequisitionApproved", rids[side], approved))
        handle = notifier_consumer.make_handler(note[1], config)
        handle(event("DepotRegistered", depot, {"code": depot, "name": depot, "district": depot}))
        handle(event("ArtisanRegistered", f"ART-{side}", {"artisan_id": f"ART-{side}", "name": side, "district": depot,
                                                          "language": "hi", "cooperative": f"Coop-{side}"}))
        handle(event("RequisitionSubmitted", rids[side], {**approved, "note": ""}))
        handle(event("StockLow", f"{depot}/{SKU}", {"sku": SKU, "depot": depot, "available": 1000,
                                                    "reorder_level": 50_000}))
    alerts = {doc["depot"]: doc["_id"] for doc in note[1].alerts.find({"kind": "low_stock"})}
    notes = {doc["requisition_id"]: doc["_id"] for doc in note[1].notifications.find()}
    objects = {"own_rid": rids["A"], "other_rid": rids["B"], "own_alert": alerts["VNS"], "other_alert": alerts["BHD"],
               "own_coop_rid": coop_rids["A"], "other_coop_rid": coop_rids["B"],
               "own_note": notes[rids["A"]], "other_note": notes[rids["B"]], "own_payment": payments["A"],
               "other_payment": payments["B"], **orders, **counted}
    return {"apps": {k: v[0] for k, v in apps.items()}, "tokens": tokens, "objects": objects}


def received_coop_requisition(req, call, admin, side, depot, config) -> str:
    """A requisition of cooperative side for two members, taken through the saga to received: shares wait."""
    lines = [{"sku": SKU, "quantity": "1", "artisan_id": member} for member in (f"ART-{side}", f"ART-{side}2")]
    rid = call(req, "POST", "/requisitions", admin, {"cooperative": f"Coop-{side}", "depot": depot, "lines": lines})["id"]
    call(req, "POST", f"/requisitions/{rid}/approve", admin, {})
    requests_consumer.make_handler(req[1], config)(event("StockReserved", rid, {
        "requisition_id": rid, "depot": depot, "lines": [{"sku": SKU, "quantity": 2000}]}))
    call(req, "POST", f"/requisitions/{rid}/dispatch", admin, {})
    call(req, "POST", f"/requisitions/{rid}/receive", admin, {})
    return rid


def fill(template, world):
    return template.format(n=uuid.uuid4().hex[:6].upper(), **world["objects"])


def body_of(body, world):
    if body is None:
        return None
    return {k: fill(v, world) if isinstance(v, str) else v for k, v in body.items()}


def outcome(status: int):
    return status if status in (401, 403, 404) else OK


@pytest.mark.parametrize("service,method,path,body,expected", MATRIX,
                         ids=[f"{s}-{m}-{p}" for s, m, p, _, _ in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_access(world, role, service, method, path, body, expected):
    token = world["tokens"].get(role)
    response = world["apps"][service].open(f"/api/v1{fill(path, world)}", method=method, json=body_of(body, world),
                                           headers={"Authorization": f"Bearer {token}"} if token else {})
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if expected[role] != ANY:
        assert outcome(response.status_code) == expected[role], (role, response.status_code, response.get_json())
    if response.status_code in (401, 403, 404):
        assert set(response.get_json()["error"]) == {"code", "message", "details"}


def test_lists_show_each_caller_only_their_side(world):
    apps, tokens, objects = world["apps"], world["tokens"], world["objects"]

    def get(service, path, role):
        return apps[service].get(f"/api/v1{path}", headers={"Authorization": f"Bearer {tokens[role]}"}).get_json()
    assert {a["artisan_id"] for a in get("requests", "/artisans", "artisan")} == {"ART-A"}
    for role in ("warehouse", "artisan", "secretary"):
        ids = {r["id"] for r in get("requests", "/requisitions?limit=200", role)}
        assert objects["own_rid"] in ids and objects["other_rid"] not in ids, role
    for role in ("artisan", "secretary"):
        seen = get("requests", "/artisans", role)
        assert "ART-A" in {a["artisan_id"] for a in seen} and {a["cooperative"] for a in seen} == {"Coop-A"}, role
        assert {n["id"] for n in get("notifier", "/notifications", role)} == {objects["own_note"]}, role
    for query in ("", "?depot=VNS"):  # warehouse staff of VNS see VNS's alerts only
        assert {a["depot"] for a in get("notifier", f"/alerts{query}", "warehouse")} == {"VNS"}, query
    refused = get("notifier", "/alerts?depot=BHD", "warehouse")  # asking BHD: refused, never VNS's as BHD's
    assert refused["error"]["code"] == "wrong_depot" and refused["error"]["details"] == {"your_depot": "VNS"}
    assert {a["depot"] for a in get("notifier", "/alerts?depot=BHD", "admin")} == {"BHD"}
    for query in ("", "?depot=VNS"):  # warehouse staff of VNS see VNS's purchase orders only
        seen = {o["purchase_order"]: o["depot"] for o in get("inventory", f"/purchase-orders{query}", "warehouse")}
        assert objects["draft_po"] in seen and set(seen.values()) == {"VNS"}, query
    assert objects["other_po"] in {o["purchase_order"] for o in get("inventory", "/purchase-orders", "admin")}
    for query in ("", "?depot=VNS"):  # and their depot's stock counts only
        assert {c["depot"] for c in get("inventory", f"/counts{query}", "warehouse")} == {"VNS"}, query
    for path in ("/purchase-orders", "/counts", "/replenishment", "/movements"):  # asking BHD: refused,
        refused = get("inventory", f"{path}?depot=BHD", "warehouse")  # never VNS's answered as BHD's
        assert refused["error"]["code"] == "wrong_depot" and refused["error"]["details"] == {"your_depot": "VNS"}
    assert {c["depot"] for c in get("inventory", "/counts", "admin")} == {"VNS", "BHD"}


def test_only_an_admin_sets_looms(world):
    """A secretary's looms wait for an admin; they decide the member's quotas (issue 13, finding 6)."""
    apps, tokens = world["apps"], world["tokens"]

    def call(method, path, role, body=None):
        return apps["requests"].open(f"/api/v1{path}", method=method, json=body,
                                     headers={"Authorization": f"Bearer {tokens[role]}"}).get_json()
    before = call("GET", "/artisans/ART-A", "admin")["looms"]
    wanted = (before + 500) % 1000
    asked = call("PATCH", "/artisans/ART-A", "secretary", {"looms": wanted})
    assert (asked["looms"], asked["looms_change"]["looms"]) == (before, wanted)
    assert call("POST", "/artisans/ART-A/looms/approve", "secretary")["error"]["code"] == "forbidden"
    assert call("POST", "/artisans/ART-A/looms/reject", "admin")["looms"] == before


def test_only_an_admin_sets_a_members_phone(world):
    """The codes with which a member confirms their share go to their phone: a secretary's number waits for an
    admin, and only an admin decides it."""
    apps, tokens = world["apps"], world["tokens"]

    def call(method, path, role, body=None):
        return apps["requests"].open(f"/api/v1{path}", method=method, json=body,
                                     headers={"Authorization": f"Bearer {tokens[role]}"}).get_json()
    before = call("GET", "/artisans/ART-A", "admin")["phone"]
    asked = call("PATCH", "/artisans/ART-A", "secretary", {"phone": "+919877777777"})
    assert (asked["phone"], asked["phone_change"]["phone"]) == (before, "+919877777777")
    for role in ("secretary", "warehouse", "artisan"):
        assert call("POST", "/artisans/ART-A/phone/approve", role)["error"]["code"] == "forbidden"
    assert call("GET", "/artisans/ART-A", "admin")["phone"] == before
    rejected = call("POST", "/artisans/ART-A/phone/reject", "admin")
    assert (rejected["phone"], rejected["phone_change"]) == (before, None)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_log_out_and_its_token_is_refused_after(world, role):
    from shared.config import Config
    secret, client = Config.from_env({}).jwt_secret, world["apps"]["requests"]
    claims = {"admin": {}, "warehouse": {"depot": "VNS"}, "artisan": {"artisan_id": "ART-A"},
              "secretary": {"cooperative": "Coop-A"}}
    headers = {"Authorization": f"Bearer {issue_token(secret, sub=role, role=role, **claims[role])}"} \
        if role != "anon" else {}
    first = client.post("/api/v1/auth/logout", headers=headers)
    assert first.status_code == (401 if role == "anon" else 204)
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 401


def test_every_endpoint_has_a_row(world):
    """A documented operation that no row exercises (and is not public) fails here."""
    missing = set()
    for service, client in world["apps"].items():
        spec = client.get("/api/v1/openapi.json").get_json()
        for path, operations in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path.removeprefix("/api/v1"))) + "$")
            for method in (m.upper() for m in operations if m != "parameters"):
                if (service, method, path.removeprefix("/api/v1")) in PUBLIC | OWN_TOKEN:
                    continue
                if not any(s == service and m == method and pattern.match(fill(p, world).split("?")[0])
                           for s, m, p, _, _ in MATRIX):
                    missing.add((service, method, path))
    assert not missing
