"""The requisitions list as staff search it (issue 18): words, status, depot, material, artisan, days, pages, CSV."""
from __future__ import annotations

import csv
import io

from tests.integration.test_requests_support import client  # noqa: F401  (fixture)


def listed(client, query: str, as_=None):
    response = client.call("GET", f"/requisitions?{query}", as_ or client.admin(), status=200)
    return [r["id"] for r in response.get_json()], int(response.headers["X-Total-Count"])


def test_requisitions_are_found_by_words_filters_and_days_a_page_at_a_time(client):
    client.register("ART-1", looms=2)
    client.register("ART-2", looms=2, cooperative="Coop-B")
    one, two = client.artisan("ART-1"), client.artisan("ART-2")
    a = client.submit(one, [("YRN-COT-40", 5)], note="for the wedding order")["id"]
    b = client.submit(two, [("DYE-INDIGO", 2)], depot="BHD")["id"]
    c = client.submit(two, [("YRN-COT-40", 1), ("MTL-BRASS", 3)])["id"]
    client.act(c, "approve", client.admin())
    assert listed(client, "q=wedding") == ([a], 1)
    assert listed(client, "q=ART-2") == ([c, b], 2)
    assert listed(client, "q=Artisan+ART-1") == ([a], 1)  # the artisan's name, both words
    assert listed(client, f"q={b[:6]}") == ([b], 1)  # the number's first characters
    assert listed(client, "sku=YRN-COT-40") == ([c, a], 2)
    assert listed(client, "status=approved") == ([c], 1)
    assert listed(client, "depot=BHD") == ([b], 1)
    assert listed(client, "artisan_id=ART-2&sku=MTL-BRASS") == ([c], 1)
    assert listed(client, "q=ART-2", as_=one) == ([], 0)  # an artisan finds only their own
    assert listed(client, "limit=2&page=1") == ([c, b], 3) and listed(client, "limit=2&page=2") == ([a], 3)
    day = client.db.requisitions.find_one({"_id": a})["created_at"]
    client.db.requisitions.update_one({"_id": a}, {"$set": {"created_at": "2026-01-10T20:00:00.000Z"}})
    assert listed(client, "from=2026-01-11&to=2026-01-11") == ([a], 1)  # 20:00 UTC on the 10th: the 11th in India
    assert listed(client, "from=2026-01-01&to=2026-01-10") == ([], 0)
    client.db.requisitions.update_one({"_id": a}, {"$set": {"created_at": day}})
    client.call("GET", "/requisitions?from=2026-02-01&to=2026-01-01", client.admin(), status=400)


def test_the_requisitions_csv_has_a_row_per_line_names_in_the_askers_language_and_india_times(client):
    client.register("ART-1", looms=2)
    rid = client.submit(client.artisan("ART-1"), [("YRN-COT-40", "2.5"), ("DYE-INDIGO", 1)],
                        note="=cmd|' /C calc'!A0")["id"]
    response = client.call("GET", "/requisitions?format=csv", {**client.admin(), "Accept-Language": "hi"}, status=200)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [(r["requisition_id"], r["sku"], r["quantity"], r["unit"]) for r in rows] == [
        (rid, "YRN-COT-40", "2.5", "kg"), (rid, "DYE-INDIGO", "1", "kg")]
    assert rows[0]["status_text"] == "भेजा गया" and rows[0]["created_at_ist"].endswith("+05:30")
    assert rows[0]["artisan_name"] == "Artisan ART-1"
    assert rows[0]["note"] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it, never runs it
