"""The demo seed adds what is missing, each once: a restart with --demo changes nothing, a seed cut short is completed."""
from __future__ import annotations

import pytest

from services.inventory import catalog, seed, spec
from shared.runtime import Runtime


@pytest.fixture
def db(config):
    runtime = Runtime(spec(), config)
    yield runtime.db
    runtime.close()


def contents(db) -> dict:
    return {name: {str(doc["_id"]): doc for doc in db[name].find()} for name in db.list_collection_names()}


def test_seeding_again_changes_nothing(db, config):
    seed.seed(db, config)
    before = contents(db)
    assert {name: len(before[name]) for name in ("depots", "materials", "suppliers", "stock", "purchase_orders")} == {
        "depots": len(seed.DEPOTS), "materials": len(seed.MATERIALS), "suppliers": len(seed.SUPPLIERS),
        "stock": len(seed.OPENING_STOCK), "purchase_orders": 1}
    seed.seed(db, config)
    assert contents(db) == before


def test_a_seed_cut_short_is_completed_by_the_next(db, config):
    for depot in seed.DEPOTS:  # as far as a first start got before it was stopped
        catalog.register_depot(db, dict(depot))
    catalog.register_material(db, dict(seed.MATERIALS[0]), correlation_id="seed")
    seed.seed(db, config)
    assert db.depots.count_documents({}) == len(seed.DEPOTS)
    assert db.materials.count_documents({}) == len(seed.MATERIALS)
    assert all(len(material["prices"]) == 1 for material in db.materials.find({"_id": {"$in": list(seed.PRICES)}}))
    assert db.suppliers.count_documents({}) == len(seed.SUPPLIERS)
    assert db.stock.count_documents({}) == len(seed.OPENING_STOCK)
    assert [order["status"] for order in db.purchase_orders.find()] == ["sent"]
