"""`rawbank backup` keeps no copy of stores that disagree, and says why in English and Hindi."""
from __future__ import annotations

from services import inventory, notifier, requests as requests_service
from shared import backup
from shared.datadir import DataDir
from shared.durable_store import DurableStore
from shared.runtime import Runtime

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}


def test_stores_that_never_agree_are_not_kept_and_the_first_problem_is_said_in_both_languages(
        tmp_path, config, capsys, monkeypatch):
    data = DataDir(tmp_path / "var")
    data.path.mkdir()
    for name, package in PACKAGES.items():
        durable = DurableStore(data.store(name))
        runtime = Runtime(package.spec(), config, client=durable.client)
        runtime.store = durable
        if runtime.spec.seed:
            runtime.spec.seed(runtime.db, config)
        if name == "inventory":  # on hand moved without its ledger entry
            runtime.db.stock.update_one({"_id": "VNS/YRN-COT-40"}, {"$inc": {"on_hand": 1000}})
        runtime.sync()
        runtime.close()
    monkeypatch.setattr(backup, "ATTEMPT_SECONDS", 0)
    target = tmp_path / "copy"

    assert backup.backup(data, config, str(target)) == 1
    english, hindi = capsys.readouterr().out.splitlines()
    assert "VNS/YRN-COT-40: on hand 201 but the ledger sums to 200" in english and "nothing was kept" in english
    assert "VNS/YRN-COT-40: मौजूद 201, पर आवाजाही खाते का जोड़ 200" in hindi and "कुछ नहीं रखा गया" in hindi
    assert not list(target.glob("*.sqlite"))
