"""Settings admins change while the service runs: the auto-approve size."""
from __future__ import annotations

AUTO_APPROVE = "auto_approve"


def auto_approve(db) -> dict:
    """{"max_quantity": thousandths, or None for never}: new requisitions with every line at most this are approved."""
    return db.settings.find_one({"_id": AUTO_APPROVE}) or {"max_quantity": None}


def set_auto_approve(db, max_quantity: int | None) -> dict:
    setting = {"max_quantity": max_quantity}
    db.settings.replace_one({"_id": AUTO_APPROVE}, {"_id": AUTO_APPROVE, **setting}, upsert=True)
    return setting
