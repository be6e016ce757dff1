"""The API's estimate says what the pages say over a monthly quota: for each quota (each member's) over it, what is
left and the day it renews, and at the top whether submitting would go through, with the code a refusal would
answer. An API client learnt of the quota only at submit."""
from __future__ import annotations

from datetime import datetime, timezone

from shared.calendar import add_days, month_bounds, month_of
from tests.integration.test_account_rows_and_quota_price import month_of_cotton
from tests.integration.test_requests_coop_estimate import grid, page_of
from tests.integration.test_requests_coop_support import COOP, coop  # noqa: F401  (fixture)
from tests.integration.test_requests_money_support import COTTON
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

NEXT_MONTH = add_days(month_bounds(month_of(datetime.now(timezone.utc)))[1], 1)


def estimate(api, as_, body):
    return api.call("POST", "/requisitions/estimate", as_, body, status=200).get_json()


def test_an_artisans_estimate_over_the_quota_says_what_is_left_until_when_and_that_submit_is_refused(client):
    month_of_cotton(client)
    me = client.artisan("ART-1")
    client.submit(me, [(COTTON, "10")])
    body = {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "25"}]}
    found = estimate(client, me, body)
    assert [(q["category"], q["left"], q["this_request"], q["over"], q["renews_on"]) for q in found["quotas"]] == \
        [("yarn", "20", "25", True, NEXT_MONTH)]
    assert (found["submittable"], found["reason"]) == (False, "quota_exceeded")
    assert found["pricing"]["payable_total"]  # the price is still there: fields are added, none taken away
    refused = client.call("POST", "/requisitions", me, body, status=422).get_json()["error"]
    assert refused["code"] == found["reason"]
    within = estimate(client, me, {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "20"}]})
    assert (within["submittable"], within["reason"]) == (True, None)
    assert [(q["over"], q["renews_on"]) for q in within["quotas"]] == [(False, NEXT_MONTH)]
    client.call("POST", "/requisitions", me, {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "20"}]},
                status=201)


def test_a_quota_counted_per_loom_without_a_loom_is_not_submittable_with_the_same_code(client):
    month_of_cotton(client, looms=0)
    me = client.artisan("ART-1")
    body = {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "1"}]}
    found = estimate(client, me, body)
    assert [(q["left"], q["over"], q["needs_looms"]) for q in found["quotas"]] == [("0", True, True)]
    assert found["submittable"] is False
    assert client.call("POST", "/requisitions", me, body, status=422).get_json()["error"]["code"] == found["reason"]


def test_a_cooperatives_estimate_names_the_member_over_the_quota_and_is_not_submittable(coop):
    client = coop.client
    lines = [{"sku": COTTON, "quantity": "10", "artisan_id": "ART-1"},
             {"sku": COTTON, "quantity": "35", "artisan_id": "ART-2"}]
    body = {"depot": "VNS", "cooperative": COOP, "lines": lines}
    found = estimate(client, coop.secretary, body)
    assert [(q["artisan_id"], q["category"], q["left"], q["renews_on"]) for q in found["quotas"] if q["over"]] == \
        [("ART-2", "yarn", "30", NEXT_MONTH)]
    assert [(s["artisan_id"], s["over_quota"]) for s in found["shares"]] == [("ART-1", False), ("ART-2", True)]
    assert (found["submittable"], found["reason"]) == (False, "quota_exceeded")
    refused = client.call("POST", "/requisitions", coop.secretary, body, status=422).get_json()["error"]
    assert refused["code"] == found["reason"]
    assert client.db.requisitions.count_documents({}) == 0
    lines[1]["quantity"] = "20"
    within = estimate(client, coop.secretary, body)
    assert (within["submittable"], within["reason"]) == (True, None)
    assert [s["over_quota"] for s in within["shares"]] == [False, False]
    client.call("POST", "/requisitions", coop.secretary, body, status=201)


def test_the_openapi_describes_the_new_fields_of_the_estimate(client):
    schemas = client.http.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    top, quota, share = (schemas[name]["properties"] for name in ("Estimate", "EstimatedQuota", "EstimatedShare"))
    assert "422" in top["submittable"]["description"] and "quota_exceeded" in top["reason"]["description"]
    assert top["reason"].get("nullable") or "null" in str(top["reason"].get("type"))
    assert "renew" in quota["renews_on"]["description"] and quota["renews_on"]["format"] == "date"
    assert "quota" in share["over_quota"]["description"]


def test_the_secretarys_estimate_page_gives_a_total_just_when_the_api_says_submittable(coop):
    browser = page_of(coop)
    for quantities, submittable in ((("10", "20"), True), (("10", "35"), False)):
        lines = [{"sku": COTTON, "quantity": q, "artisan_id": a} for a, q in zip(("ART-1", "ART-2"), quantities)]
        said = estimate(coop.client, coop.secretary, {"depot": "VNS", "cooperative": COOP, "lines": lines})
        html = browser.post("/coop/new", data={**grid(browser, ART_1=quantities[0], ART_2=quantities[1]),
                                               "estimate": "1"}).get_data(as_text=True)
        assert said["submittable"] is submittable
        assert ("data-total" in html, "data-over-quota-all" in html) == (submittable, not submittable)
