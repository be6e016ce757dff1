"""Demo catalog, depots, prices, suppliers, opening stock in lots and a sent order for `rawbank dev` (never in
production)."""
from __future__ import annotations

from datetime import timedelta

from services.inventory import catalog, clock, movements, prices, purchase_orders, suppliers
from services.inventory.domain import stock_id

WEEKDAYS = {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "opens": "10:00", "closes": "17:00"}
DEPOTS = [
    {"code": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो", "district": "Varanasi",
     "district_hi": "वाराणसी", "zone": "plain",
     "address": "Handloom Bhawan, Chowkaghat, Varanasi 221002",
     "address_hi": "हथकरघा भवन, चौकाघाट, वाराणसी 221002", "opening_hours": WEEKDAYS},
    {"code": "BHD", "name": "Bhadohi depot", "name_hi": "भदोही डिपो", "district": "Bhadohi",
     "district_hi": "भदोही", "zone": "plain",
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
    {"sku": "YRN-COT-2-40", "name": "Dyed cotton yarn 2/40s", "name_hi": "रंगा सूती धागा 2/40s", "category": "yarn",
     "unit": "kg", "reorder_level": 30_000, "pack_size": 5_000},
]
SUPPLIERS = [
    {"code": "SRM", "name": "Sri Ram Spinning Mills", "name_hi": "श्री राम स्पिनिंग मिल्स", "district": "Salem",
     "district_hi": "सेलम", "gstin": "33AAACS1234F1Z5",
     "tolerance_percent": 5, "lead_time_days": 30,
     "items": [{"sku": "YRN-COT-40", "pack_size": 50_000, "price": 24_550},
               {"sku": "YRN-COT-2-40", "pack_size": 25_000, "price": 31_000}]},
    {"code": "KSMB", "name": "Karnataka Silk Marketing Board", "name_hi": "कर्नाटक रेशम विपणन बोर्ड",
     "district": "Bengaluru", "district_hi": "बेंगलुरु", "gstin": "29AAAGK1234M1Z2",
     "tolerance_percent": 2, "lead_time_days": 45, "items": [{"sku": "YRN-SLK-MUL", "price": 520_000}]},
    {"code": "UPNDC", "name": "UP Natural Dyes Cooperative", "name_hi": "उ.प्र. प्राकृतिक रंग सहकारी समिति",
     "district": "Kanpur Nagar", "district_hi": "कानपुर नगर", "lead_time_days": 15,
     "items": [{"sku": "DYE-INDIGO", "pack_size": 5_000, "price": 180_000}]},
]
#: (depot, sku, quantity, lot): opening stock, each in its lot; the indigo dye lot expires in 200 days
OPENING_STOCK = [
    ("VNS", "YRN-COT-40", 200_000, {"code": "SRM-2411-07", "shade": "bleached white", "count": "40s", "mill": "Sri Ram"}),
    ("VNS", "YRN-SLK-MUL", 12_000, {"code": "KSMB-M-118", "shade": "natural"}),
    ("VNS", "DYE-INDIGO", 8_000, {"code": "UPNDC-IND-24", "shade": "deep indigo", "expires_in_days": 200}),
    ("BHD", "YRN-COT-40", 120_000, {"code": "SRM-2410-02", "shade": "bleached white", "count": "40s",
                                    "mill": "Sri Ram"}),
    ("BHD", "MTL-BRASS-SHEET", 60_000, {"code": "MRD-B-55"})]
PRICES = {"YRN-COT-40": 24_550, "YRN-COT-2-40": 36_000, "YRN-SLK-MUL": 4_20_000, "DYE-INDIGO": 2_80_000,
          "MTL-BRASS-SHEET": 65_000}  # paise per kg, from the first day of this month


def seed(db, config) -> None:
    """Register the demo depots, materials, prices and suppliers, receive the opening stock and send
    the demo order, each once (a seed cut short is completed by the next)."""
    for depot in DEPOTS:
        if db.depots.find_one({"_id": depot["code"]}) is None:
            catalog.register_depot(db, dict(depot))
    for material in MATERIALS:
        if db.materials.find_one({"_id": material["sku"]}) is None:
            catalog.register_material(db, dict(material), correlation_id="seed")
    first_of_month = clock.today().replace(day=1).isoformat()
    for sku, price in PRICES.items():
        if not db.materials.find_one({"_id": sku}).get("prices"):
            prices.set_price(db, sku, price, first_of_month, by="seed", correlation_id="seed")
    for supplier in SUPPLIERS:
        if db.suppliers.find_one({"_id": supplier["code"]}) is None:
            suppliers.register(db, dict(supplier))
    for depot, sku, quantity, lot in OPENING_STOCK:
        if db.stock.find_one({"_id": stock_id(depot, sku)}) is not None:
            continue
        days = lot.get("expires_in_days")
        expires = (clock.today() + timedelta(days=days)).isoformat() if days else None
        lot = {**{k: v for k, v in lot.items() if k != "expires_in_days"}, "expires_on": expires}
        movements.record_movement(db, {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity,
                                       "reference": "opening stock", "lot": lot}, by="seed", correlation_id="seed")
    if db.purchase_orders.find_one({"created_by": "seed"}) is None:
        order = purchase_orders.create(db, {
            "supplier": "KSMB", "depot": "VNS", "expected_on": (clock.today() + timedelta(days=20)).isoformat(),
            "lines": [{"sku": "YRN-SLK-MUL", "quantity": 20_000, "price": 520_000}]}, by="seed")
        purchase_orders.send(db, order["purchase_order"], by="seed", correlation_id="seed")
