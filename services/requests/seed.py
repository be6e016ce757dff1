"""Demo users for `rawbank dev` (never in production)."""
from __future__ import annotations

from services.requests import users

DEMO_USERS = [
    {"username": "admin", "password": "admin123", "role": "admin"},
    {"username": "warehouse", "password": "warehouse123", "role": "warehouse", "depot": "VNS"},
    {"username": "artisan", "password": "artisan123", "role": "artisan", "artisan_id": "ART-0001"},
]


def seed(db, config) -> None:
    """Add the demo users that are not there yet."""
    for user in DEMO_USERS:
        if db.users.find_one({"_id": user["username"]}) is None:
            users.add_user(db, **user)
