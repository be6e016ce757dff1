import threading

from shared.mongo import connect


def test_embedded_store_never_oversells_under_threads():
    db = connect("mongomock://test")["rawbank_test"]
    db.stock.insert_one({"_id": "s", "available": 1000})
    granted = []

    def take():
        for _ in range(150):
            result = db.stock.update_one({"_id": "s", "available": {"$gte": 1}}, {"$inc": {"available": -1}})
            granted.append(result.modified_count)

    threads = [threading.Thread(target=take) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 1000
    assert db.stock.find_one({"_id": "s"})["available"] == 0


def test_cursors_are_read_whole_and_chain():
    db = connect("mongomock://test")["rawbank_test"]
    db.items.insert_many([{"_id": i, "n": i % 3} for i in range(10)])
    assert [d["_id"] for d in db.items.find({"n": 1}).sort("_id", -1).skip(1).limit(2)] == [4, 1]
    assert db.items.count_documents({"n": 0}) == 4


def test_each_client_is_its_own_store():
    first, second = connect("mongomock://a"), connect("mongomock://b")
    first.db.c.insert_one({"_id": 1})
    assert second.db.c.count_documents({}) == 0
