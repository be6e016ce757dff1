"""An upheld dispute of a depot record, credited by the short return line, in the three services of one process:
`rawbank reconcile` stays clean (the cooperatives report's confirmed and short shares are requests' answers, the
returns' money is requests'), and every event delivered again, ShareDisputeSettled among them, changes nothing."""
from __future__ import annotations

from tests.integration.test_duplicate_events import World

SILK = "YRN-SLK-MUL"


def test_an_upheld_dispute_and_its_short_return_reconcile_and_apply_once(config):
    world = World(config)
    try:
        secretary = {"role": "secretary", "cooperative": "SMBSS"}
        made = world.call("requests", "POST", "/requisitions", json={
            "cooperative": "SMBSS", "depot": "VNS", "lines": [{"sku": SILK, "quantity": "2", "artisan_id": "ART-0001"},
                                                             {"sku": SILK, "quantity": "1", "artisan_id": "ART-0002"}]},
            **secretary)
        rid = made["id"]
        world.call("requests", "POST", f"/requisitions/{rid}/approve")
        world.settle()
        world.call("requests", "POST", f"/requisitions/{rid}/dispatch")
        world.settle()
        world.call("requests", "POST", f"/requisitions/{rid}/receive", **secretary)
        world.settle()
        world.call("requests", "POST", f"/requisitions/{rid}/shares/ART-0001/received", role="warehouse")
        world.settle()
        world.call("requests", "POST", f"/requisitions/{rid}/shares/ART-0001/dispute", role="artisan",
                   artisan_id="ART-0001", json={"note": "I got 1.5 kg"})
        world.settle()
        assert world.reconcile().problems == []
        world.call("requests", "POST", f"/requisitions/{rid}/shares/ART-0001/dispute/settlement",
                   json={"outcome": "upheld", "note": "weighed again", "quantity": "1.5"})
        world.settle()
        notifier = world.runtimes["notifier"].db
        assert notifier.shares.find_one({"_id": f"{rid}:ART-0001"})["status"] == "short"
        assert world.reconcile().problems == []
        world.call("requests", "POST", f"/requisitions/{rid}/returns", json={
            "artisan_id": "ART-0001", "lines": [{"sku": SILK, "quantity": "0.5", "condition": "short"}],
            "reason": "did not reach the member"})
        world.settle()
        assert world.reconcile().problems == []
        assert notifier.alerts.find_one({"kind": "short_share"})["status"] == "resolved"
        assert notifier.alerts.find_one({"kind": "share_record_disputed"})["status"] == "resolved"
        changed = world.redeliver_everything()
        assert not changed, changed
        assert world.reconcile().problems == []
    finally:
        world.close()
