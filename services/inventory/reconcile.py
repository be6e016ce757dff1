"""What inventory brings to `rawbank reconcile`: its stock, ledger and reservations, and their checks."""
from __future__ import annotations

from collections import defaultdict

from services.inventory.store import lots_of
from shared.quantity import format_quantity as _q
from shared.i18n import N_
from shared.reconciliation import Problem, Problems, Reconciliation


def facts(db) -> dict:
    """Stock with its holds, ledger sums, pending journal entries and reservations."""
    stock = {}
    for doc in db.stock.find({}, {"outbox": 0}):
        stock[doc["_id"]] = {"sku": doc["sku"], "depot": doc["depot"], "on_hand": doc["on_hand"],
                             "reserved": doc["reserved"], "holds": dict(doc.get("holds") or {}),
                             "blocked": doc.get("blocked", 0), "on_order": doc.get("on_order", 0),
                             "lots": [{"lot": lot.code, "on_hand": lot.on_hand, "status": lot.status}
                                      for lot in lots_of(doc)],
                             "orders": {k: {"ordered": v["ordered"], "received": v["received"], "open": v["open"]}
                                        for k, v in (doc.get("orders") or {}).items()},
                             "journal": [{"id": e["_id"], "quantity": e["quantity"],
                                          "reserved_change": e["reserved_change"], "type": e["type"],
                                          "purchase_order": e.get("purchase_order"),
                                          "order_returned": e.get("order_returned"),
                                          **({"return_id": e.get("return_id"), "sku": e["sku"], "depot": e["depot"]}
                                             if e["type"] == "taken_back" else {})}
                                         for e in doc.get("journal") or []]}
    journal_ids = [e["id"] for s in stock.values() for e in s["journal"]]
    projected = {d["_id"] for d in db.movements.find({"_id": {"$in": journal_ids}}, {"_id": 1})} \
        if journal_ids else set()
    for entry in (e for s in stock.values() for e in s["journal"]):
        entry["projected"] = entry["id"] in projected
    ledger = {}
    for row in db.movements.aggregate([{"$group": {"_id": {"depot": "$depot", "sku": "$sku"},
                                                   "on_hand": {"$sum": "$quantity"},
                                                   "reserved": {"$sum": "$reserved_change"},
                                                   "entries": {"$sum": 1}}}]):
        ledger[f"{row['_id']['depot']}/{row['_id']['sku']}"] = {
            "on_hand": row["on_hand"], "reserved": row["reserved"], "entries": row["entries"]}
    by_requisition = defaultdict(dict)
    for row in db.movements.aggregate([
            {"$match": {"requisition_id": {"$exists": True}}},
            {"$group": {"_id": {"rid": "$requisition_id", "sku": "$sku", "type": "$type"},
                        "count": {"$sum": 1}, "quantity": {"$sum": "$quantity"},
                        "reserved": {"$sum": "$reserved_change"}}}]):
        key = row["_id"]
        by_requisition[key["rid"]].setdefault(key["sku"], {})[key["type"]] = {
            "count": row["count"], "quantity": row["quantity"], "reserved": row["reserved"]}
    reservations = {doc["_id"]: {"status": doc["status"], "depot": doc["depot"],
                                 "lines": {l["sku"]: l["quantity"] for l in doc["lines"]},
                                 "waitlisted": doc.get("queue_seq") is not None,  # it ever waited
                                 **({"waited_for": sorted(doc["waited_for"])} if "waited_for" in doc else {})}
                    for doc in db.reservations.find({}, {"status": 1, "depot": 1, "lines": 1, "queue_seq": 1,
                                                         "waited_for": 1})}
    journals = {k: [e for e in s.pop("journal")] for k, s in stock.items()}
    return {"service": "inventory", "stock": stock, "journal": {k: v for k, v in journals.items() if v},
            "ledger": ledger, "requisition_ledger": dict(by_requisition), "reservations": reservations,
            **orders_facts(db), **returns_facts(db)}


def returns_facts(db) -> dict:
    """Returns from artisans with their lines, and the taken-back movements of the ledger."""
    returns = {doc["_id"]: {"depot": doc["depot"], "applied": bool(doc.get("applied")),
                            "lines": [{"sku": x["sku"], "quantity": x["quantity"], "condition": x["condition"],
                                       "movement_id": x.get("movement_id")} for x in doc["lines"]]}
               for doc in db.returns.find({}, {"depot": 1, "applied": 1, "lines": 1})}
    taken = {doc["_id"]: {"return_id": doc.get("return_id"), "sku": doc["sku"], "depot": doc["depot"],
                          "quantity": doc["quantity"]}
             for doc in db.movements.find({"type": "taken_back"},
                                          {"return_id": 1, "sku": 1, "depot": 1, "quantity": 1})}
    return {"returns": returns, "taken_back": taken}


def taken_back(entry: dict, elsewhere: bool) -> int:
    """What a return naming an order took back of what the order received: its `order_returned`. One that does not
    say it took its whole quantity back when it went back from another depot than the order's (before such a return
    counted on the order, it lowered nothing, so the order shows it); one from the order's own depot took nothing
    (its order's line was already closed)."""
    back = entry.get("order_returned")
    if back is None:
        return -entry["quantity"] if elsewhere else 0
    return back


def orders_facts(db) -> dict:
    """Orders that were sent, with each line's received figure, and the ledger's receipts naming them (less what
    the returns naming them took back, at any depot: taken_back)."""
    orders = {doc["_id"]: {"status": doc["status"], "depot": doc["depot"],
                           "lines": {x["sku"]: {"quantity": x["quantity"], "received": x["received"]}
                                     for x in doc["lines"]}}
              for doc in db.purchase_orders.find({"status": {"$ne": "draft"}}, {"status": 1, "depot": 1, "lines": 1})}
    receipts = defaultdict(lambda: defaultdict(int))
    for row in db.movements.aggregate([
            {"$match": {"type": "receipt", "purchase_order": {"$exists": True}}},
            {"$group": {"_id": {"order": "$purchase_order", "sku": "$sku"}, "quantity": {"$sum": "$quantity"}}}]):
        receipts[row["_id"]["order"]][row["_id"]["sku"]] += row["quantity"]
    for said in (True, False):  # a return of a lot that came on an order counts what went back of it
        for row in db.movements.aggregate([
                {"$match": {"type": "return", "purchase_order": {"$exists": True}, "order_returned": {"$exists": said}}},
                {"$group": {"_id": {"order": "$purchase_order", "sku": "$sku", "depot": "$depot"},
                            "quantity": {"$sum": "$quantity"}, "order_returned": {"$sum": "$order_returned"}}}]):
            key = row["_id"]
            elsewhere = key["order"] in orders and key["depot"] != orders[key["order"]]["depot"]
            told = {"order_returned": row["order_returned"]} if said else {}
            receipts[key["order"]][key["sku"]] -= taken_back({"quantity": row["quantity"], **told}, elsewhere)
    return {"purchase_orders": orders, "order_receipts": {number: dict(lines) for number, lines in receipts.items()}}


def stock_matches_ledger(inventory: dict) -> Problems:
    """On hand equals the ledger, reserved equals the open holds, nothing negative."""
    problems = []
    for key, stock in inventory["stock"].items():
        ledger = dict(inventory["ledger"].get(key, {"on_hand": 0, "reserved": 0}))
        for entry in inventory["journal"].get(key, []):
            if not entry["projected"]:
                ledger["on_hand"] += entry["quantity"]
                ledger["reserved"] += entry["reserved_change"]
        if stock["on_hand"] != ledger["on_hand"]:
            problems.append(Problem(N_("{key}: on hand {on_hand} but the ledger sums to {ledger}"), key=key,
                                    on_hand=_q(stock["on_hand"]), ledger=_q(ledger["on_hand"])))
        holds = sum(stock["holds"].values())
        if stock["reserved"] != holds:
            problems.append(Problem(N_("{key}: reserved {reserved} but open holds sum to {holds}"), key=key,
                                    reserved=_q(stock["reserved"]), holds=_q(holds)))
        if stock["reserved"] != ledger["reserved"]:
            problems.append(Problem(N_("{key}: reserved {reserved} but the ledger's holds sum to {ledger}"), key=key,
                                    reserved=_q(stock["reserved"]), ledger=_q(ledger["reserved"])))
        if stock["on_hand"] < 0 or stock["reserved"] > stock["on_hand"]:
            problems.append(Problem(N_("{key}: negative stock (on hand {on_hand}, reserved {reserved})"), key=key,
                                    on_hand=_q(stock["on_hand"]), reserved=_q(stock["reserved"])))
        waiting = [entry for entry in inventory["journal"].get(key, []) if not entry["projected"]]
        if waiting:  # an entry both in the journal and in movements is normal until the ledger sweep
            problems.append(Problem(N_("{key}: {count} ledger entr(ies) not yet projected"), key=key,
                                    count=len(waiting)))
    for key in inventory["ledger"].keys() - inventory["stock"].keys():
        problems.append(Problem(N_("{key}: ledger entries for a stock record that does not exist"), key=key))
    return problems


def requisition_ledger_matches_holds(inventory: dict) -> Problems:
    """Per requisition and material: holds net to the open hold, at most one issue."""
    problems, holds = [], defaultdict(dict)
    for stock in inventory["stock"].values():
        for rid, quantity in stock["holds"].items():
            holds[rid][stock["sku"]] = holds[rid].get(stock["sku"], 0) + quantity
    for rid, by_sku in inventory["requisition_ledger"].items():
        for sku, kinds in by_sku.items():
            net = sum(k["reserved"] for k in kinds.values())
            if net != holds.get(rid, {}).get(sku, 0):
                problems.append(Problem(N_("requisition {rid} {sku}: ledger holds net to {net} but the open hold is "
                                           "{hold} (applied twice or lost)"), rid=rid, sku=sku, net=_q(net),
                                        hold=_q(holds.get(rid, {}).get(sku, 0))))
            issued = kinds.get("issue", {"count": 0})
            if issued["count"] > 1:
                problems.append(Problem(N_("requisition {rid} {sku}: issued {count} times"), rid=rid, sku=sku,
                                        count=issued["count"]))
    return problems


def lots_match_stock(inventory: dict) -> Problems:
    """Every stock's lots add up to its on hand, none is negative, and what they block is stored right."""
    problems = []
    for key, stock in inventory["stock"].items():
        total = sum(lot["on_hand"] for lot in stock["lots"])
        if total != stock["on_hand"]:
            problems.append(Problem(N_("{key}: lots sum to {total} but on hand is {on_hand}"), key=key, total=_q(total),
                                    on_hand=_q(stock["on_hand"])))
        for lot in stock["lots"]:
            if lot["on_hand"] < 0:
                problems.append(Problem(N_("{key}: lot {lot} is negative ({on_hand})"), key=key, lot=lot["lot"],
                                        on_hand=_q(lot["on_hand"])))
        blocked = sum(lot["on_hand"] for lot in stock["lots"] if lot["status"] != "available")
        if blocked != stock["blocked"]:
            problems.append(Problem(N_("{key}: lots on hold or expired sum to {blocked} but {kept} is kept out of "
                                       "available"), key=key, blocked=_q(blocked), kept=_q(stock["blocked"])))
    return problems


def orders_match_receipts(inventory: dict) -> Problems:
    """Per sent order and line: received = the receipts naming it less what went back of them (returns naming it at
    any depot: taken_back), on the order and on its stock."""
    problems, pending = [], defaultdict(int)  # receipts still only in a journal count too
    for key, entries in inventory["journal"].items():
        for entry in entries:
            if not entry["projected"] and entry.get("purchase_order") and entry.get("type") in ("receipt", "return"):
                number, stock = entry["purchase_order"], inventory["stock"][key]
                order = inventory.get("purchase_orders", {}).get(number)
                elsewhere = order is not None and stock["depot"] != order["depot"]
                pending[(number, stock["sku"])] += \
                    entry["quantity"] if entry["type"] == "receipt" else -taken_back(entry, elsewhere)
    for number, order in inventory.get("purchase_orders", {}).items():
        ledger = inventory.get("order_receipts", {}).get(number, {})
        for sku, line in order["lines"].items():
            received = ledger.get(sku, 0) + pending[(number, sku)]
            if line["received"] != received:
                problems.append(Problem(N_("order {number} {sku}: received {received} but receipts naming it sum to "
                                           "{receipts}"), number=number, sku=sku, received=_q(line["received"]),
                                        receipts=_q(received)))
            kept = inventory["stock"].get(f"{order['depot']}/{sku}", {}).get("orders", {}).get(number)
            if kept is not None and kept["received"] != received:
                problems.append(Problem(N_("order {number} {sku}: its stock counts {received} received, receipts "
                                           "naming it sum to {receipts}"), number=number, sku=sku,
                                        received=_q(kept["received"]), receipts=_q(received)))
    for key, stock in inventory["stock"].items():
        awaited = sum(max(x["ordered"] - x["received"], 0) for x in stock["orders"].values() if x["open"])
        if awaited != stock["on_order"]:
            problems.append(Problem(N_("{key}: on order {on_order} but its open order lines await {awaited}"), key=key,
                                    on_order=_q(stock["on_order"]), awaited=_q(awaited)))
    return problems


def taken_back_matches_returns(inventory: dict) -> Problems:
    """The taken-back movements are the restock lines of the returns applied, each once with its quantity (a return
    still being applied may lack some of its lines' movements, never have others)."""
    problems = []
    taken = dict(inventory.get("taken_back", {}))
    for key, entries in inventory["journal"].items():  # not yet copied to `movements`: they count too
        for entry in entries:
            if entry["type"] == "taken_back" and not entry["projected"]:
                taken[entry["id"]] = {"return_id": entry.get("return_id"), "sku": entry.get("sku"),
                                      "depot": entry.get("depot"), "quantity": entry["quantity"]}
    lines = {line["movement_id"]: (number, doc, line) for number, doc in inventory.get("returns", {}).items()
             for line in doc["lines"] if line["condition"] == "restock"}
    for mid, move in sorted(taken.items()):
        number, doc, line = lines.get(mid, (move["return_id"], None, None))
        if line is None:
            problems.append(Problem(N_("return {number}: {quantity} of {sku} taken back at {depot} (movement {mid}) "
                                       "but the return has no such restock line"), number=number or "-",
                                    quantity=_q(move["quantity"]), sku=move["sku"], depot=move["depot"], mid=mid))
        elif (line["sku"], line["quantity"], doc["depot"]) != (move["sku"], move["quantity"], move["depot"]):
            problems.append(Problem(N_("return {number} {sku}: its restock line is {line} at {depot} but {taken} of "
                                       "{taken_sku} was taken back at {taken_depot}"), number=number, sku=line["sku"],
                                    line=_q(line["quantity"]), depot=doc["depot"], taken=_q(move["quantity"]),
                                    taken_sku=move["sku"], taken_depot=move["depot"]))
    for mid, (number, doc, line) in sorted(lines.items()):
        if doc["applied"] and mid not in taken:
            problems.append(Problem(N_("return {number} {sku}: its restock line of {quantity} was never taken back "
                                       "into stock"), number=number, sku=line["sku"], quantity=_q(line["quantity"])))
    return problems


def counts(inventory: dict) -> dict:
    return {N_("stock records"): len(inventory["stock"]),
            N_("ledger entries"): sum(row["entries"] for row in inventory["ledger"].values()),
            N_("reservations (inventory)"): len(inventory["reservations"]),
            N_("purchase orders sent"): len(inventory.get("purchase_orders", {})),
            N_("returns from artisans"): len(inventory.get("returns", {}))}


RECONCILIATION = Reconciliation(facts=facts, checks=(stock_matches_ledger, requisition_ledger_matches_holds,
                                                   lots_match_stock, orders_match_receipts,
                                                   taken_back_matches_returns), counts=counts)
