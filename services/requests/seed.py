"""Demo users, the demo artisan and a yarn cap for `rawbank dev` (never in production)."""
from __future__ import annotations

from datetime import datetime, timezone

from services.requests import artisans, quotas, users
from shared.auth import Principal

DEMO_USERS = [
    {"username": "admin", "password": "admin123", "role": "admin"},
    {"username": "warehouse", "password": "warehouse123", "role": "warehouse", "depot": "VNS"},
    {"username": "artisan", "password": "artisan123", "role": "artisan", "artisan_id": "ART-0001"},
    {"username": "secretary", "password": "secretary123", "role": "secretary",
     "cooperative": "Sarai Mohana Bunkar Sahkari Samiti"},
]
DEMO_ARTISAN = {
    "artisan_id": "ART-0001", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार",
    "district": "Varanasi",
    "craft": "Banarasi silk weaving", "phone": "+919800000001", "email": None, "language": "hi",
    "cooperative": "Sarai Mohana Bunkar Sahkari Samiti", "looms": 2, "registration_id": "UP-VNS-000001",
    "active": True,
}
DEMO_CAPS = [{"category": "yarn", "limit": 30_000, "per_loom": True, "artisan_id": None}]


def seed(db, config) -> None:
    """Add the demo users, artisan and caps that are not there yet."""
    for user in DEMO_USERS:
        if db.users.find_one({"_id": user["username"]}) is None:
            users.add_user(db, **user)
    if db.artisans.find_one({"_id": DEMO_ARTISAN["artisan_id"]}) is None:
        artisans.register(db, Principal("seed", "admin"), DEMO_ARTISAN, correlation_id="seed")
    for cap in DEMO_CAPS:
        if db.quotas.find_one({"category": cap["category"], "artisan_id": cap["artisan_id"]}) is None:
            quotas.set_cap(db, **cap, by="seed", now=datetime.now(timezone.utc))
