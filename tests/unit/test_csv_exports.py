"""Every CSV rawbank gives starts with a UTF-8 byte order mark: Excel on Windows reads a CSV without one in the
ANSI code page, so a department official opening an export saw its Hindi (status_text, names, alert titles) garbled.
A spreadsheet (or Python with encoding "utf-8-sig") takes the mark off; the first column keeps its name."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from services import inventory, notifier, requests as requests_service
from shared.mongo import connect
from shared.runtime import Runtime

BOM = b"\xef\xbb\xbf"
MONTH = datetime.now(timezone.utc).strftime("%Y-%m")
EXPORTS = [  # (service, address, the first column's name): every CSV the services answer
    ("inventory", "/api/v1/stock?format=csv", "depot"),
    ("inventory", "/api/v1/movements?format=csv", "movement_id"),
    ("inventory", "/api/v1/returns?depot=VNS&format=csv", "return_id"),
    ("inventory", "/api/v1/purchase-orders?format=csv", "purchase_order"),
    ("inventory", "/api/v1/replenishment?depot=VNS&format=csv", "depot"),
    ("requests", "/api/v1/requisitions?format=csv", "requisition_id"),
    ("requests", f"/api/v1/reports/subsidy-claims?scheme=RMSS&month={MONTH}&format=csv", "district"),
    ("requests", "/api/v1/reports/subsidy-claims/year?scheme=RMSS&format=csv", "month"),
    ("requests", "/api/v1/payments?format=csv", "kind"),
    ("notifier", "/api/v1/alerts?format=csv", "id"),
    ("notifier", f"/api/v1/reports/distribution?month={MONTH}&group_by=district&format=csv", "district"),
    ("notifier", f"/api/v1/reports/beneficiaries?month={MONTH}&group_by=gender&format=csv", "gender"),
    ("notifier", f"/api/v1/reports/unmet-demand?month={MONTH}&format=csv", "depot"),
    ("notifier", f"/api/v1/reports/cooperatives?month={MONTH}&format=csv", "cooperative"),
]
SERVICES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}


@pytest.fixture
def apps(config):
    """The three services on in-process stores, each seeded as `make dev` seeds it."""
    made = {}
    for name, module in SERVICES.items():
        runtime = Runtime(module.spec(), config, client=connect(f"mongomock://csv-{name}"))
        if module.spec().seed:
            module.spec().seed(runtime.db, config)
        made[name] = module.create_app(config, runtime)
    return made


@pytest.mark.parametrize("service,path,first", EXPORTS)
def test_each_csv_starts_with_the_bom_and_its_first_column_is_read_by_name(apps, token, service, path, first):
    answer = apps[service].test_client().get(path, headers={**token("admin"), "Accept-Language": "hi"})
    body = answer.get_data()
    assert answer.status_code == 200, body[:300]
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(BOM) and not body.startswith(BOM * 2)
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    assert reader.fieldnames[0] == first


def test_the_list_above_is_every_csv_the_services_answer(apps):
    """Guards the list, not the mark: an export added later must be put in EXPORTS (so it is checked for the mark),
    as every GET whose `format` offers csv in the services' OpenAPI documents is."""
    offered = set()
    for service, app in apps.items():
        document = app.test_client().get("/api/v1/openapi.json").get_json()
        for route, operations in document["paths"].items():
            for parameter in (operations.get("get") or {}).get("parameters", []):
                if parameter["name"] == "format" and "csv" in parameter["schema"].get("enum", ()):
                    offered.add((service, route))
    assert offered == {(service, path.split("?")[0]) for service, path, _ in EXPORTS}
