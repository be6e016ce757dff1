"""Inventory pages for hand-overs: what is ready at the depot, with who collects it (from inventory's copies of
requests' artisans and cooperatives), the printable hand-over slip (gate pass) of one requisition, and what
artisans brought back (returns from artisans)."""
from __future__ import annotations

from flask import Blueprint, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.inventory import clock, counter, handovers, people, queries, returns
from services.inventory.errors import NotReadyToHandOver, OtherDepotsSlip
from services.inventory.pages import at_depot, depot_of, materials, place
from services.inventory.reservations import HELD, ISSUED, RESERVING, WAITLISTED
from shared.lists import pager
from shared.pages import page, url_of
from shared.web import db

blp = Blueprint("inventory_dispatch", __name__, template_folder="templates")
WAITS, WAIT_SECONDS = 10, 1  # a gate pass asked for straight after Hand over waits this long for the depot's records


@blp.get("/warehouse/dispatch")
@page("warehouse", "admin")
def dispatch(principal):
    """Requisitions whose every line is held at the depot: ready to hand over, with who collects them. `?member=`:
    a cooperative's member at the counter, by name, number or the request's number: their shares handed over here
    (one opens its request's page at their share, where what they say they received is recorded)."""
    code, depots = depot_of(principal)
    asked = (request.args.get("member") or "").strip()[:100]
    shares = counter.shares_handed_over(db(), code, asked) if asked and code else []
    if len(shares) == 1:
        return redirect(_share_page(shares[0]))
    ready = queries.ready_to_dispatch(db(), code) if code else []
    handed = _handed(code, request.args.get("handed"))
    if handed:  # the hand-over form, without script, came back here: it leaves the list, though the depot's
        ready = [r for r in ready if r["_id"] != handed["_id"]]  # records of it may follow a moment later
    shown = ready + ([handed] if handed else [])
    return render_template("inventory/dispatch.html", ready=ready, depot=code, depots=depots, handed=handed,
                           materials=materials(), plans=queries.dispatch_plans(db(), code, ready) if code else {},
                           people=people.who(db(), _artisans(shown) + [s["artisan_id"] for s in shares]),
                           asked=asked, shares=shares, share_page=_share_page,
                           cooperatives=people.cooperatives(db(), [r.get("cooperative") for r in shown]
                                                            + [s["requisition"].get("cooperative") for s in shares]))


@blp.get("/warehouse/dispatch/<requisition_id>/slip")
@page("warehouse", "admin")
def slip(principal, requisition_id):
    """The hand-over slip (gate pass) to print: who collects what from which lots, and lines to sign. Once handed
    over, from the hand-over's own records (handovers.py), marked as handed over, and as a copy once printed (its
    Print records that; opening it, to look or by a browser's prefetch, records nothing)."""
    return _slip(principal, requisition_id)


@blp.post("/warehouse/dispatch/<requisition_id>/slip")
@page("warehouse", "admin")
def print_slip(principal, requisition_id):
    """Print, without script (the page's script records it by the API, then opens the browser's print): the first
    printing is recorded and the slip to print is shown, a copy if it was printed before."""
    return _slip(principal, requisition_id, printing=True)


def _slip(principal, requisition_id: str, printing: bool = False):
    depot_of(principal)
    try:  # another depot's: refused naming it, as in the API, with the way back to their own hand-overs
        doc = handovers.to_print(db(), requisition_id, principal.works_at)
    except OtherDepotsSlip as refused:
        refused.onward = (url_for("inventory_dispatch.dispatch"),
                          _("Back to the hand-overs at %(depot)s", depot=place(principal.works_at)))
        raise
    at_depot(principal, doc["depot"])
    shown = dict(materials=materials(), people=people.who(db(), _artisans([doc])), printed=clock.now(),
                 cooperatives=people.cooperatives(db(), [doc.get("cooperative")]))
    if doc["status"] == ISSUED:  # the guard at the gate asks for it after the hand-over, and again later
        first, this = (handovers.printing(db(), doc, principal.sub) if printing
                       else (handovers.first_printing(db(), doc["_id"]), False))
        return render_template("inventory/slip.html", r=doc, handed=handovers.taken(db(), doc), shown_printed=printing,
                               first=None if this else first, **shown)
    if doc["status"] != HELD:  # a gate pass lets material out: none for what is not (or no longer) set aside
        refused = NotReadyToHandOver({"requisition_id": requisition_id, "status": doc["status"]})
        if doc["status"] in (RESERVING, WAITLISTED):
            refused.onward = (url_for("inventory_dispatch.dispatch", depot=doc["depot"] if g.picks_depot else None),
                              _("Ready to hand over"))
        raise refused
    waited = request.args.get("waited", "0")
    if request.args.get("after") == "hand-over" and waited.isdigit() and int(waited) < WAITS:
        # straight after Hand over: the depot's records of it follow the request's change within moments
        again = url_for("inventory_dispatch.slip", requisition_id=requisition_id, after="hand-over",
                        waited=int(waited) + 1)
        response = make_response(render_template("inventory/slip_wait.html", r=doc, again=again))
        response.headers["Refresh"] = f"{WAIT_SECONDS}; url={again}"
        return response
    ready = queries.ready_to_dispatch(db(), doc["depot"])  # lots are planned in the order hand-overs are ready
    plan = queries.dispatch_plans(db(), doc["depot"], ready).get(doc["_id"], {})
    return render_template("inventory/slip.html", r=doc, plan=plan, **shown)


@blp.get("/warehouse/returns")
@page("warehouse", "admin")
def returns_page(principal):
    """What artisans brought back to the depot, newest first, a page at a time: each material with how much came
    back, whether it went back on the shelf or onto the damaged shelf, and why. `?request=<number>`: a return starts
    here, from the number on the slip, the receipt or the SMS; one request handed over here with it opens its page at
    requests, at its return form (the depot's staff have no list of requests there)."""
    code, depots = depot_of(principal)
    asked = (request.args.get("request") or "").strip()[:100]
    found = returns.handed_over_numbered(db(), code, asked) if asked and code else []
    if len(found) == 1:
        return redirect(url_of("requests", f"/my/requisitions/{found[0]['_id']}#return-h"))
    paging = pager(returns.count(db(), code) if code else 0)
    rows = returns.page(db(), code, skip=paging.skip, limit=paging.size) if code else []
    return render_template("inventory/returns.html", rows=rows, paging=paging, depot=code, depots=depots,
                           materials=materials(), people=people.who(db(), [r["artisan_id"] for r in rows]
                                                                      + [f.get("artisan_id") for f in found]),
                           lots=returns.lots_of(db(), rows), asked=asked, found=found,
                           cooperatives=people.cooperatives(db(), [r.get("cooperative") for r in rows]))


def _handed(depot: str | None, rid: str | None) -> dict | None:
    """The requisition `?handed=` names, as the notice saying it is handed over reads it: one of the depot's, set
    aside or handed over (no other is said to be handed over)."""
    if not depot or not rid:
        return None
    return db().reservations.find_one({"_id": rid[:200], "depot": depot, "status": {"$in": [HELD, ISSUED]}},
                                      {"outbox": 0})


def _share_page(share: dict) -> str:
    """A member's share on its request's page at requests (the counter's form is in its row)."""
    member = share["artisan_id"]  # `counter` opens the form of what they say they received
    return url_of("requests", f"/my/requisitions/{share['requisition']['_id']}?counter={member}#share-{member}")


def _artisans(requisitions) -> list[str]:
    return [a for r in requisitions for a in [r.get("artisan_id"), *(s["artisan_id"] for s in r.get("shares") or [])]]
