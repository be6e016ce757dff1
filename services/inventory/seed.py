"""Demo catalog, depots, prices and opening stock for `rawbank dev` (never in production)."""
from __future__ import annotations

from services.inventory import catalog, movements, prices
from shared.calendar import today

WEEKDAYS = {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "opens": "10:00", "closes": "17:00"}
DEPOTS = [
    {"code": "VNS", "name": "Varanasi depot", "district": "Varanasi", "zone": "plain",
     "address": "Handloom Bhawan, Chowkaghat, Varanasi 221002",
     "address_hi": "हथकरघा भवन, चौकाघाट, वाराणसी 221002", "opening_hours": WEEKDAYS},
    {"code": "BHD", "name": "Bhadohi depot", "district": "Bhadohi", "zone": "plain",
     "address": "Station Road, Bhadohi 221401", "address_hi": "स्टेशन रोड, भदोही 221401",
     "opening_hours": {**WEEKDAYS, "opens": "09:30"}},
]
MATERIALS = [
    {"sku": "YRN-COT-40", "name": "Cotton yarn 40s", "name_hi": "सूती धागा 40s", "category": "yarn",
     "unit": "kg", "reorder_level": 50_000, "entitlement_class": "cotton-hank-upto-40s"},
    {"sku": "YRN-SLK-MUL", "name": "Mulberry silk yarn", "name_hi": "शहतूत रेशम धागा", "category": "yarn",
     "unit": "kg", "reorder_level": 5_000, "entitlement_class": "silk-domestic"},
    {"sku": "DYE-INDIGO", "name": "Natural indigo dye", "name_hi": "प्राकृतिक नील रंग", "category": "dye",
     "unit": "kg", "reorder_level": 2_000},
    {"sku": "MTL-BRASS-SHEET", "name": "Brass sheet 22 gauge", "name_hi": "पीतल की चादर 22 गेज",
     "category": "metal", "unit": "kg", "reorder_level": 20_000},
]
OPENING_STOCK = [("VNS", "YRN-COT-40", 200_000), ("VNS", "YRN-SLK-MUL", 12_000),
                 ("VNS", "DYE-INDIGO", 8_000), ("BHD", "YRN-COT-40", 120_000),
                 ("BHD", "MTL-BRASS-SHEET", 60_000)]
PRICES = {"YRN-COT-40": 24_550, "YRN-SLK-MUL": 4_20_000, "DYE-INDIGO": 2_80_000,
          "MTL-BRASS-SHEET": 65_000}  # paise per kg, from the first day of this month

def seed(db, config) -> None:
    """Register the demo depots and materials and receive opening stock, once."""
    if db.depots.find_one({}) is not None:
        return
    for depot in DEPOTS:
        catalog.register_depot(db, dict(depot))
    for material in MATERIALS:
        catalog.register_material(db, dict(material), correlation_id="seed")
    first_of_month = today()[:8] + "01"
    for sku, price in PRICES.items():
        prices.set_price(db, sku, price, first_of_month, by="seed", correlation_id="seed")
    for depot, sku, quantity in OPENING_STOCK:
        movements.record_movement(db, {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity,
                                       "reference": "opening stock"}, by="seed", correlation_id="seed")
