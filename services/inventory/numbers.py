"""Readable numbers for documents people talk about: PO-00042, CNT-00007."""
from __future__ import annotations

from pymongo import ReturnDocument


def next_number(db, name: str, prefix: str) -> str:
    """The next number of a series; a number taken by a request that then failed is skipped, never reused."""
    doc = db.counters.find_one_and_update({"_id": name}, {"$inc": {"seq": 1}}, upsert=True,
                                          return_document=ReturnDocument.AFTER)
    return f"{prefix}-{doc['seq']:05d}"
