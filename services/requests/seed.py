"""Demo users, artisan, yarn cap, the RMSS scheme and credit terms for `rawbank dev` (never in production)."""
from __future__ import annotations

from datetime import datetime, timezone

from services.requests import artisans, credit, quotas, schemes, users
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
# The Raw Material Supply Scheme's figures (2021-26): 15% off the mill-gate price within each loom's monthly
# entitlement. Open-ended here, so the demo prices with it whatever today's date.
DEMO_SCHEME = {
    "code": "RMSS", "name": "Raw Material Supply Scheme", "name_hi": "कच्चा माल आपूर्ति योजना",
    "subsidy_percent": 1500, "depot_charge_percent": 200,
    "caps": [{"category": "cotton-hank-upto-40s", "per_loom_per_month": 30_000},
             {"category": "cotton-hank-above-40s", "per_loom_per_month": 10_000},
             {"category": "silk-domestic", "per_loom_per_month": 4_000},
             {"category": "wool-below-10s-nm", "per_loom_per_month": 50_000}],
    "freight_percent": {"plain": 150, "hill": 400, "north_east": 500, "island": 600},
    "valid_from": "2021-04-01", "valid_to": None, "covers": {"crafts": [], "districts": []}}
DEMO_CREDIT = {"artisan_id": None, "cooperative": "Sarai Mohana Bunkar Sahkari Samiti",
               "credit_limit": 25_000_00, "credit_days": 45, "advance_percent": 0}

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
    if not schemes.listing_by_code(db):
        schemes.create(db, DEMO_SCHEME, by="seed")
    if not credit.listing(db):
        credit.set_terms(db, DEMO_CREDIT, by="seed")
