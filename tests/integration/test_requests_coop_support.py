"""Helpers for the cooperative tests: a cooperative of three weavers, its secretary, and its requisitions."""
from __future__ import annotations

import json
import time

import pytest

from shared import signing
from tests.integration.test_requests_money_support import COTTON, SILK, priced_catalog, reserved, scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

COOP, OTHER = "SMBSS", "KBSS"
MEMBERS = ("ART-1", "ART-2", "ART-3")
PHONES = {"ART-1": "+919800000001", "ART-2": "+919800000002", "ART-3": "+919800000003"}
SECRET = "gateway-secret-for-tests"
WAREHOUSE = {"role": "warehouse", "depot": "VNS"}


class Coop:
    """A cooperative of three one-loom weavers (and one of another cooperative), with RMSS and a yarn cap."""

    def __init__(self, client):
        self.client = client
        priced_catalog(client.db)
        scheme(client)
        yarn = {"category": "yarn", "limit": "30", "per_loom": True}
        client.call("POST", "/quotas", client.admin(), yarn, status=200)
        client.cooperative(COOP, district="Varanasi", registration_no="UP-VNS-1987-0042", credit_limit="5000")
        client.cooperative(OTHER, district="Bhadohi")
        for artisan_id in MEMBERS:
            client.register(artisan_id, cooperative=COOP)
            client.call("PATCH", f"/artisans/{artisan_id}", client.admin(), {"phone": PHONES[artisan_id]}, status=200)
        client.register("ART-9", cooperative=OTHER)
        client.call("PATCH", "/artisans/ART-9", client.admin(), {"phone": "+919800000009"}, status=200)
        self.secretary = client.secretary(COOP)

    def request(self, quantities=("10", "10", "10"), as_=None, status=201, sku=COTTON, **extra):
        body = {"depot": "VNS", "cooperative": COOP, **extra,
                "lines": [{"sku": sku, "quantity": q, "artisan_id": a} for a, q in zip(MEMBERS, quantities)]}
        return self.client.call("POST", "/requisitions", as_ or self.secretary, body, status=status).get_json()

    def received(self, quantities=("10", "10", "10")):
        """A requisition approved, held, dispatched and marked received by the secretary: shares wait."""
        client = self.client
        rid = self.request(quantities)["id"]
        client.act(rid, "approve", client.admin())
        reserved(client.db, rid)
        client.act(rid, "dispatch", client.token(**WAREHOUSE))
        return client.act(rid, "receive", self.secretary)

    def with_silk(self):
        """6 kg of cotton for each member and half a kg of silk for the first, approved, held and handed over."""
        client = self.client
        lines = [{"sku": COTTON, "quantity": "6", "artisan_id": member} for member in MEMBERS]
        lines.insert(1, {"sku": SILK, "quantity": "0.5", "artisan_id": "ART-1"})
        rid = client.call("POST", "/requisitions", self.secretary, {"depot": "VNS", "cooperative": COOP,
                                                                    "lines": lines}, status=201).get_json()["id"]
        client.act(rid, "approve", client.admin())
        reserved(client.db, rid)
        client.act(rid, "dispatch", client.token(**WAREHOUSE))
        return rid

    def events(self, rid, type_):
        outbox = self.client.db.requisitions.find_one({"_id": rid})["outbox"]
        return [e["payload"] for e in outbox if e["type"] == type_]

    def code(self, rid, artisan_id, nonce=1):
        return signing.share_code(self.client.app.config["RAWBANK"].jwt_secret, rid, artisan_id, nonce)

    def sms(self, sender, text, *, message_id, channel="sms", secret=SECRET, at=None, signature=None, raw=None,
            **extra):
        """The gateway's callback (its body as given in `raw`, else made of the fields), signed as the gateway signs it."""
        raw = raw or json.dumps({"id": message_id, "from": sender, "text": text, "channel": channel, **extra},
                                ensure_ascii=False).encode()
        timestamp = str(int(at if at is not None else time.time()))
        headers = {"X-Rawbank-Timestamp": timestamp, "Content-Type": "application/json",
                   "X-Rawbank-Signature": signature if signature is not None else
                   "sha256=" + signing.sign(secret, timestamp, raw)}
        return self.client.http.post("/api/v1/sms/inbound", data=raw, headers=headers)


@pytest.fixture
def coop(client):
    client.app.config["RAWBANK"] = client.app.config["RAWBANK"].with_(sms_inbound_secret=SECRET)
    return Coop(client)
