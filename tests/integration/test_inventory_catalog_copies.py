"""Stock documents keep a copy of their material's reorder level and category, and writes use it.

A material update refreshes every copy and bumps the stock's version, so a writer that read
the old copy starts again; a stock record created while the material changes is fixed at once.
"""
from services.inventory import catalog, domain, movements
from services.inventory.stock_writes import write_stock
from tests.integration.test_inventory_support import (check_invariants, db, outbox_types,  # noqa: F401
                                                      seed_catalog)


def receive(db, quantity, sku="YRN", depot="VNS"):
    movements.record_movement(db, {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity}, by="test")


def copies(db, key):
    doc = db.stock.find_one({"_id": key})
    return doc["reorder_level"], doc["category"]


def level_events(db, key):
    return [t for t in outbox_types(db, "stock", key) if t in ("StockLow", "StockDepleted", "StockReplenished")]


def test_receipts_after_a_reorder_change_cross_at_the_new_level(db):
    receive(db, 10_000)  # reorder level 5 kg: ok
    catalog.update_material(db, "YRN", {"reorder_level": 20_000, "category": "fibre"})
    assert copies(db, "VNS/YRN") == (20_000, "fibre")
    assert level_events(db, "VNS/YRN") == ["StockLow"]  # settled at once against the new level
    receive(db, 1_000)
    assert level_events(db, "VNS/YRN") == ["StockLow"]  # still below: no new crossing
    receive(db, 10_000)
    assert level_events(db, "VNS/YRN") == ["StockLow", "StockReplenished"]
    check_invariants(db)


def test_a_writer_that_read_the_old_copy_starts_again(db):
    receive(db, 100_000)
    calls = []

    def change(stock):
        if not calls:  # the material is updated between this writer's read and its write
            catalog.update_material(db, "YRN", {"reorder_level": 6_000})
        calls.append(stock.reorder_level)
        return domain.receive(stock, 1_000)

    write_stock(db, "YRN", "VNS", change, lambda before, after: ([], []))
    assert calls == [5_000, 6_000]
    assert copies(db, "VNS/YRN") == (6_000, "yarn")


def test_a_stock_record_created_while_the_material_changes_gets_the_new_copy(db):
    def change(stock):
        catalog.update_material(db, "DYE", {"reorder_level": 7_000, "category": "chemical"})  # finds no stock yet
        return domain.receive(stock, 1_000)

    write_stock(db, "DYE", "BHD", change, lambda before, after: ([], []))
    assert copies(db, "BHD/DYE") == (7_000, "chemical")
    assert db.stock.find_one({"_id": "BHD/DYE"})["level"] == "low"
