"""Demo data for `rawbank dev` (never production): users, a cooperative of three, caps, RMSS, credit terms."""
from __future__ import annotations

from datetime import datetime, timezone

from services.requests import artisans, cooperatives, credit, quotas, schemes, users
from services.requests.errors import ArtisanHasLogin
from shared.auth import Principal

DEMO_COOPERATIVE = {"code": "SMBSS", "name": "Sarai Mohana Bunkar Sahkari Samiti",
                    "name_hi": "सराय मोहना बुनकर सहकारी समिति", "kind": "cooperative", "district": "Varanasi",
                    "registration_no": "UP-VNS-1987-0042", "active": True}

DEMO_USERS = [
    {"username": "admin", "password": "admin123", "role": "admin", "name": "Kavita Rao", "name_hi": "कविता राव"},
    {"username": "warehouse", "password": "warehouse123", "role": "warehouse", "depot": "VNS",
     "name": "Meena Devi", "name_hi": "मीना देवी"},  # the staff's display names: the pages name them
    {"username": "artisan", "password": "artisan123", "role": "artisan", "artisan_id": "ART-0001"},
    {"username": "secretary", "password": "secretary123", "role": "secretary", "cooperative": "SMBSS"},
]
DEMO_ARTISAN = {
    "artisan_id": "ART-0001", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार",
    "district": "Varanasi",
    "craft": "Banarasi silk weaving", "craft_hi": "बनारसी रेशम बुनाई",
    "phone": "+919800000001", "email": None, "language": "hi",
    "cooperative": "SMBSS", "looms": 2, "registration_id": "UP-VNS-000001",
    "active": True, "social_category": "obc", "gender": "male", "bpl": False,
}
#: the demo cooperative's other members (with the demo artisan, three), who confirm their shares by SMS
DEMO_MEMBERS = [
    {"artisan_id": "ART-0002", "name": "Sita Devi", "name_hi": "सीता देवी", "district": "Varanasi",
     "craft": "Banarasi silk weaving", "craft_hi": "बनारसी रेशम बुनाई",
     "phone": "+919800000002", "email": None, "language": "hi",
     "cooperative": "SMBSS", "looms": 1, "registration_id": "UP-VNS-000002", "active": True,
     "social_category": "sc", "gender": "female", "bpl": True},
    {"artisan_id": "ART-0003", "name": "Abdul Karim", "name_hi": "अब्दुल करीम", "district": "Varanasi",
     "craft": "Banarasi silk weaving", "craft_hi": "बनारसी रेशम बुनाई",
     "phone": "+919800000003", "email": None, "language": "hi",
     "cooperative": "SMBSS", "looms": 1, "registration_id": "UP-VNS-000003", "active": True,
     "social_category": "obc", "gender": "male", "bpl": True},
]
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
DEMO_CREDIT = {"artisan_id": None, "cooperative": "SMBSS",
               "credit_limit": 25_000_00, "credit_days": 45, "advance_percent": 0}

def seed(db, config) -> None:
    """Add the demo users, cooperative, artisans, caps, scheme and credit terms that are not there yet."""
    for user in DEMO_USERS:
        if db.users.find_one({"_id": user["username"]}) is None:
            try:
                users.add_user(db, **user)
            except ArtisanHasLogin:
                pass  # the demo artisan was given a login of another name: they keep that one
    if db.cooperatives.find_one({"_id": DEMO_COOPERATIVE["code"]}) is None:
        cooperatives.register(db, DEMO_COOPERATIVE, by="seed", correlation_id="seed")
    for artisan in (DEMO_ARTISAN, *DEMO_MEMBERS):
        if db.artisans.find_one({"_id": artisan["artisan_id"]}) is None:
            artisans.register(db, Principal("seed", "admin"), artisan, correlation_id="seed")
    for cap in DEMO_CAPS:
        if db.quotas.find_one({"category": cap["category"], "artisan_id": cap["artisan_id"]}) is None:
            quotas.set_cap(db, **cap, by="seed", now=datetime.now(timezone.utc))
    if not schemes.listing_by_code(db):
        schemes.create(db, DEMO_SCHEME, by="seed")
    if not credit.listing(db):
        credit.set_terms(db, DEMO_CREDIT, by="seed")
