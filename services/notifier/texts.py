"""What the notifier says to people: notifications, SMS, e-mail, alerts, digests.

The texts are English msgids in the gettext catalogs; each function renders them in the language
it is given (the artisan's or the contact's), in a request or in a worker thread alike.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Callable

from babel.dates import format_date
from markupsafe import Markup, escape

from services.notifier import domain
from shared import dead_letters, names, sms as sms_parts
from shared.calendar import day_of
from shared.i18n import N_, NC_, translate
from shared.money import parse_money, rupees

#: an alert's status as people read it; "alert" the context where Hindi says it of a चेतावनी (feminine: खुली)
ALERT_STATUSES = {"open": NC_("alert", "Open"), "acknowledged": N_("Someone is on it"),
                  "resolved": NC_("alert", "Resolved")}
#: an alert's severity as people read it
SEVERITIES = {"critical": N_("Critical"), "warning": N_("Warning"), "info": N_("Information")}
#: status -> (SMS word, title, sentence)
STATUS_TEXT = {
    "submitted": (N_("SUBMITTED"), N_("Request received"),
                  N_("We have received your request {ref} for {items} at {depot}. An officer will review it soon.")),
    "approved": (N_("APPROVED"), N_("Request approved"),
                 N_("Your request {ref} for {items} at {depot} is approved. We are setting the material aside.")),
    "reserved": (N_("RESERVED"), N_("Material reserved"),
                 N_("{items} is set aside for you at {depot} (request {ref}), ready to be collected there.")),
    "waitlisted": (N_("WAITLIST #{position}"), N_("On the waiting list"),
                   N_("{items} is not in stock at {depot} right now. Your request {ref} is number {position} "
                      "on the waiting list and is served first come, first served.")),
    "dispatched": (N_("HANDED OVER"), N_("Material handed over"),
                   N_("{items} for your request {ref} was handed over at {depot}. Please confirm when you "
                      "have it.")),
    "received": (N_("RECEIVED"), N_("Receipt confirmed"),
                 N_("You have received {items} for request {ref}. Thank you.")),
    "rejected": (N_("REJECTED"), N_("Request not approved"),
                 N_("Your request {ref} for {items} at {depot} was not approved. {reason}")),
    "cancelled": (N_("CANCELLED"), N_("Request cancelled"),
                  N_("Your request {ref} for {items} at {depot} is cancelled. {reason}")),
    "payment_due": (N_("PAY BY {date}"), N_("Payment due soon"),
                    N_("Please pay {amount} for request {ref} by {date}, at your depot or by UPI.")),
    "payment_overdue": (N_("OVERDUE"), N_("Payment overdue"),
                        N_("{amount} for request {ref} was due on {date}. Please pay at your depot soon.")),
    "return_credited": (N_("TAKEN BACK"), N_("Return taken back"),
                        N_("{items} you brought back for request {ref} was taken back at {depot}.")),
    "confirm_share": (N_("CONFIRM"), N_("Confirm what you received"),
                      N_("Your cooperative received {items} for you (request {ref}). Please confirm that you got it, "
                         "here or by replying to our SMS by {date}.")),
}
#: the sentences of STATUS_TEXT that a cooperative's member reads instead: the secretary collects the share at the
#: depot and the member is asked what reached them once the secretary marks it received (never "collect it there")
FOR_MEMBERS = {
    "reserved": N_("{items} is set aside for you at {depot} (request {ref}). Your cooperative's secretary collects it "
                   "there and hands it on to you."),
    "dispatched": N_("{items} for your request {ref} has left {depot} with your cooperative's secretary. When the "
                     "secretary marks it received, you will be asked what reached you."),
}
#: the waitlisted sentence when a reserved request waits again because its lot expired (StockWaitlisted's reason)
WAITS_AGAIN = N_("{items} set aside for you at {depot} expired before it was handed over. Your request {ref} waits "
                 "again: it is number {position} on the waiting list and is served first come, first served.")
#: an approval read after inventory's answer was told (a late one): (title, sentence, SMS), only the amount to pay,
#: never "we are setting it aside" after "reserved" or "waiting"
TOLD_LATE = (N_("Amount to pay"),
             N_("Your request {ref} for {items} at {depot} was approved. Amount to pay: {amount}."),
             N_("REQ {ref}: to pay {amount} for {items}"))
#: the waitlisted sentence when what it asks is in stock but earlier requests wait for it (StockWaitlisted's short:
#: none); with some short, the usual sentence names only those
WAITS_BEHIND = N_("{items} is in stock at {depot}, but earlier requests are waiting for it first. Your request {ref} "
                  "is number {position} on the waiting list and is served first come, first served.")
#: why inventory can never hold a request (StockReservationFailed's reason, "<code>: <what>") -> what the artisan
#: is told, with what to do next
HOLD_FAILED = {"no_lines": N_("It named no material; please send a new request."),
               "unknown_depot": N_("This depot does not supply material yet; please ask your depot officer, then "
                                   "send a new request."),
               "unknown_material": N_("{material} is not supplied from this depot; please ask your depot officer, "
                                      "then send a new request.")}
#: the same reasons as admins read them on a reservation-failed alert, with what to do about it
HOLD_FAILED_ALERT = {"no_lines": N_("Request {ref} named no material, so it was refused."),
                     "unknown_depot": N_("Request {ref} was refused: inventory does not know the depot {code}. "
                                         "Register the depot, then the artisan can ask again."),
                     "unknown_material": N_("Request {ref} was refused: inventory does not know the material {code}. "
                                            "Register the material, then the artisan can ask again.")}
#: a member's SMS asking them to confirm their share, with their code
CONFIRM_SMS = N_("REQ {ref} {items}: reply RCV {code} if you got it all, RCV {code} <quantity> if less")
#: the same for a share of several materials: one figure by SMS cannot say what came of each (requests refuses it),
#: so less is said in the app or at the depot; (app sentence, SMS)
CONFIRM_SEVERAL = (N_("Your cooperative received {items} for you (request {ref}). Please confirm by {date}: if you "
                      "got it all, here or by replying to our SMS with its code; if you got less, say here (or at "
                      "the depot) what you got of each."),
                   N_("REQ {ref} {items}: reply RCV {code} if you got it all; if less, say what you got in the app "
                      "or at the depot"))
#: a member's answer for their share recorded by the depot's staff at the counter (domain.SHARE_RECORDED): (title,
#: sentence for all of it, sentence for less with what of each material, what to do if it is not so: dispute it on
#: the request's page, its button named as it reads there (requests' _shares.html), SMS for all of it, SMS for less,
#: SMS when either would be long: the request and that it was recorded at the depot). The SMS still say to tell the
#: department or the depot: the dispute's words do not fit one Hindi part (70 characters).
RECORDED_AT_DEPOT = (
    N_("Receipt recorded at the depot"),
    N_("Staff at {depot} recorded that you received all of your share of request {ref}: {items}."),
    N_("Staff at {depot} recorded that you received {received} of your share of request {ref} ({items})."),
    N_("If that is not what you received, open the request in the app and press 'This is not what I received', "
       "or tell your depot."),
    N_("REQ {ref}: depot recorded you got all of it: {items}. Wrong? Tell the department or your depot"),
    N_("REQ {ref}: depot recorded you got {received}. Wrong? Tell the department or your depot"),
    N_("REQ {ref}: receipt recorded at depot. Wrong? Tell the department or your depot"))
AMOUNT_DUE = N_("Amount to pay: {amount}.")
#: the department's settlement of a member's dispute of what the depot recorded for them (domain.SHARE_DISPUTE_SETTLED),
#: per outcome: (title, sentence with what now stands of each material, SMS within one Hindi part: 70 characters);
#: then the credit to come when upheld leaves the share short, and the admin's note as typed
DISPUTE_SETTLED = {
    "upheld": (N_("Your dispute was upheld"),
               N_("The department upheld your dispute of what {depot} recorded for your share of request {ref}: "
                  "it now says you received {received}."),
               N_("REQ {ref}: your dispute is upheld. The depot will credit the shortfall")),
    "rejected": (N_("Your dispute was not upheld"),
                 N_("The department looked into your dispute of what {depot} recorded for your share of request "
                    "{ref}: the depot's record stands ({received})."),
                 N_("REQ {ref}: your dispute is not upheld; the depot's record stands")),
}
DISPUTE_CREDIT = N_("The depot will credit what did not reach you to your account.")
DISPUTE_NOTE = N_("The department's note: “{note}”")
#: an approval whose artisan's dues would pass their credit limit (or an advance is asked): the least to pay before
#: the depot hands it over (RequisitionApproved's pay_first), as the request's page says it. Not in the SMS: in Hindi
#: the approval's SMS with it would pass one part (70 characters), so the app and the e-mail say it
PAY_FIRST = N_("Pay at least {amount} before the depot hands this over, at the depot or by UPI: only the rest can go "
               "on your credit.")
CREDITED = N_("{amount} is credited to your account.")  # a return's credit note
#: a return settling what a cooperative's member reported did not reach them (its lines `short`): (title, sentence,
#: SMS with a credit, SMS without one, SMS of a return with what came back too); never "taken back", nor that the
#: request did not arrive: that this much of it did not reach the member (the Hindi SMS in one part, 70 characters)
NOT_REACHED = (N_("Shortfall credited"),
               N_("{short_items} of request {ref}, which did not reach you, is no longer charged to you."),
               N_("REQ {ref}: {short_items} of it did not reach you. Credit {amount}"),
               N_("REQ {ref}: {short_items} of it did not reach you. Settled"),
               N_("REQ {ref} RETURNED: {items}; DID NOT REACH YOU: {short_items}. Credit {amount}"))
#: status -> the SMS of a notification about money
MONEY_SMS = {"approved": N_("REQ {ref} APPROVED: {items}. To pay: {amount}"),
             "payment_due": N_("REQ {ref}: please pay {amount} by {date}"),
             "payment_overdue": N_("REQ {ref}: {amount} was due on {date}. Please pay at your depot"),
             "return_credited": N_("REQ {ref} RETURNED: {items}. Credit {amount}")}
#: statuses whose SMS tells money only when there is an amount (else the status word and the depot)
AMOUNT_IF_ANY = ("approved", "return_credited")
#: money that moved on the artisan's account: status -> (title, sentence, SMS), each followed by what they owe now
MONEY_MOVED = {
    "payment_received": (N_("Payment received"), N_("We received {amount} {how} for your request {ref}."),
                         N_("REQ {ref}: {amount} received {how}.")),
    "advance_received": (N_("Advance received"), N_("We received {amount} as an advance for your request {ref}."),
                         N_("REQ {ref}: advance of {amount} received.")),
    "refunded": (N_("Money refunded"), N_("{amount} was refunded to you (request {ref})."),
                 N_("REQ {ref}: {amount} refunded to you.")),
    "payment_reversed": (N_("Payment reversed"), N_("The payment of {amount} for your request {ref} was reversed."),
                         N_("REQ {ref}: payment of {amount} reversed.")),
}
#: a refund drawn from several requests: (sentence, SMS), "{parts}" each request's REFUND_PART
REFUNDED_FROM_SEVERAL = (N_("{amount} was refunded to you: {parts}."), N_("{amount} refunded to you: {parts}."))
REFUND_PART = N_("{amount} of request {ref}")
#: news of the artisan's own record: status -> (title, sentence, SMS); "{ending}": the last digits of the new number
ABOUT_RECORD = {
    "phone_changed": (N_("Phone number changed"),
                      N_("The phone number on your rawbank record was changed to the one ending in {ending}: messages "
                         "and codes go there now. If you did not ask for this, tell your depot at once."),
                      N_("rawbank: your phone number was changed to one ending {ending}. Not you? Tell your depot "
                         "at once.")),
    "phone_removed": (N_("Phone number removed"),
                      N_("The phone number on your rawbank record was removed: you will get no more SMS from us. If "
                         "you did not ask for this, tell your depot at once."),
                      N_("rawbank: your phone number was removed from your record. Not you? Tell your depot at once.")),
    "phone_removal_asked": (N_("Removal of your phone number asked for"),
                            N_("Your cooperative's secretary asked to remove the phone number from your rawbank "
                               "record. An officer checks it first. If you did not ask for this, tell your depot."),
                            N_("rawbank: your secretary asked to remove your phone number from your record. Not you? "
                               "Tell your depot.")),
    "phone_change_asked": (N_("New phone number asked for"),
                           N_("Your cooperative's secretary asked to change the phone number on your rawbank record to "
                              "the one ending in {ending}. An officer checks it first. If you did not ask for this, "
                              "tell your depot."),
                           N_("rawbank: your secretary asked to change your phone number to one ending {ending}. Not "
                              "you? Tell your depot.")),
}
#: how a payment was made, as its sentence says it
PAID_HOW = {"cash": N_("in cash"), "upi": N_("by UPI")}
#: what the artisan owes after it: all of it by one day, the first part of it by the first day, nothing, or credit
OWES = N_("You now owe {owed} (by {date}).")
OWES_FIRST = N_("You now owe {owed}, {first} of it by {date}.")
OWES_NOTHING = N_("Nothing is owed now.")
IN_CREDIT = N_("Nothing is owed now; {credit} paid in advance is kept for your requests.")  # as the account says
#: a cancelled or rejected request on which money stayed paid (its event's `paid`, as requests' accounts count it):
#: requests keeps it on the artisan's account as credit (the balance below zero), which settles their next dues; only
#: an admin's refund, paid out at the depot, hands it back (services/requests/README.md, "A refund"). (sentence, SMS)
PAID_STAYS = (N_("The {amount} you paid on it stays on your account as credit and counts towards what you owe next; "
                 "to have it back, ask your depot for a refund."),
              N_("{amount} paid stays as credit on your account; ask your depot for a refund."))
#: a request approved and not handed over yet, its price not all paid (the event's to_pay): not "nothing is owed"
STILL_TO_PAY = N_("{amount} is still to pay on this request.")
PAID_IN_FULL = N_("This request is paid in full.")

#: alert kind -> (title, text); "{detail}" is the technical reason, shown as it came (a dead letter's text says what
#: its reason means and what to do next: shared/dead_letters.explain)
ALERT_TEXT = {
    "low_stock": (N_("Low stock: {material} at {depot}"),
                  N_("{available} left, below the reorder level of {reorder}.")),
    "stock_out": (N_("Out of stock: {material} at {depot}"), N_("Nothing is available; requests will wait.")),
    "waitlist_growing": (N_("Waiting list growing: {material} at {depot}"),
                         N_("{waiting} request(s) waiting, the oldest since {oldest}.")),
    "reservation_failed": (N_("Reservation failed: {material} at {depot}"), "{detail}"),
    "dead_letter": (N_("Message could not be processed ({topic})"),
                    "{detail}"),
    "purchase_order_overdue": (N_("Order {order} from {supplier} is {days} days late"),
                               N_("Expected at {depot} on {expected_on}; still to come: {items}.")),
    "lot_expiring": (N_("Lot {lot} of {material} at {depot} expires in {days} days"),
                     N_("{quantity}{shade} expires on {expires_on}. Hand it over first, or plan to write it off.")),
    "lot_expired": (N_("Lot {lot} of {material} at {depot} has expired"),
                    N_("{quantity}{shade} can no longer be set aside or handed over. Take it off the books with an "
                       "adjustment, reason 'Expired lot written off'.")),
    "expired_lot_issued": (N_("Expired lot {lot} of {material} handed over at {depot}"),
                           N_("{quantity} of lot {lot}, expired on {expires_on}, was booked as handed over for request "
                              "{ref}: it had expired under the request's hold and was handed over all the same. Check "
                              "with the artisan whether it can be used, and replace it if not.")),
    "count_variance": (N_("Stock count {count} at {depot}: differences beyond {tolerance}%"),
                       N_("{differences}. Check them before the count is approved.")),
    "account_overdue": (N_("Overdue account: {artisan}"), N_("{amount} overdue since {since}.")),
    "short_share": (N_("Short share: {artisan} ({cooperative})"),
                    N_("{artisan} says they received {received} of their share of {share} (request {ref}).")),
    "share_record_disputed": (
        N_("Depot record disputed: {artisan} ({cooperative})"),
        N_("{artisan} says what {recorded_by} recorded at {depot} on {recorded_on} is not what they received: "
           "recorded {received} of their share of {share} (request {ref}). Their note: “{note}”. Nothing was "
           "changed; look into it with the member and the depot, then settle it on the request's page (upheld or "
           "rejected): the member is told, and this alert resolves itself.")),
    "webhook_failing": (N_("Webhook {webhook} is failing: {url}"),
                        N_("Deliveries to webhook {webhook} ({url}) failed after every attempt; the last error: "
                           "{detail}. Check that its receiver is up and answers 2xx; its delivery log is at "
                           "GET /api/v1/webhooks/{webhook}/deliveries. If it is no longer used, remove it "
                           "(DELETE /api/v1/webhooks/{webhook}). This alert resolves itself when a delivery to it "
                           "succeeds, or when the webhook is removed.")),
    "shares_unconfirmed": (N_("Shares not confirmed: {cooperative}"),
                           N_("{waiting} members have not confirmed their shares, received since {since}, "
                              "for a week or more.")),
}
#: a low-stock or out-of-stock alert's material on sent purchase orders not yet received (its `on_order`), after its
#: text and on its SMS where it fits, so nobody orders it again; (sentence, SMS ending)
ON_ORDER = (N_("{on_order} is already on order (sent to the supplier, not yet received)."), N_("; {on_order} on order"))
#: a short-share alert the depot settled a part of (return lines `short`), after its text: what is settled, what not
SHORT_PARTLY_SETTLED = N_("The depot has settled {settled} of it so far; {still_short} is still short.")
#: an alert's line in the digest and webhooks, and the digest's sections: said of alerts (the "alert" context)
HEADLINES = {"open": NC_("alert", "[open] {title}"), "acknowledged": NC_("alert", "[acknowledged] {title}"),
             "resolved": NC_("alert", "[resolved] {title}"), "escalated": NC_("alert", "[escalated] {title}")}
DIGEST_SECTIONS = {"opened": NC_("alert", "Opened ({count}):"), "escalated": NC_("alert", "Escalated ({count}):"),
                   "resolved": NC_("alert", "Resolved ({count}):")}


def ref(requisition_id: str) -> str:
    """'REQ-1042' -> '1042'; long ids are cut to 8 characters so an SMS stays short (the pages' `ref`, the same)."""
    return names.ref(requisition_id)


def quantity(milli: int, unit: str, lang: str) -> str:
    return names.quantity(milli, unit, lang)


def material_name(sku: str, materials: dict, lang: str) -> str:
    return names.named(materials.get(sku), sku, lang)


def _whole(text: str, whole: bool = False) -> str:
    return text


def item(line: dict, materials: dict, lang: str, cut: Callable[[str], str] = _whole) -> str:
    """'20 kg cotton yarn'; `cut` shortens the material's name (in an SMS), never the quantity."""
    unit = (materials.get(line["sku"]) or {}).get("unit", "")
    return f"{quantity(line['quantity'], unit, lang).strip()} {cut(material_name(line['sku'], materials, lang))}"


def skus_named(note: dict) -> list[str]:
    """The materials a notification names: its lines, and what a return settled that did not reach the member."""
    return [line["sku"] for line in (*note.get("lines", []), *note.get("not_reached", []))]


def items(lines: list, materials: dict, lang: str, *, short: bool = False, cut: Callable[[str], str] = _whole) -> str:
    texts = [item(line, materials, lang, cut) for line in lines] or ["-"]
    if short and len(texts) > 1:
        return translate(N_("{first} +{count} more"), lang, first=texts[0], count=len(texts) - 1)
    return ", ".join(texts)


def depot_name(code: str, depots: dict, lang: str) -> str:
    """The depot's name in `lang` when it has one there (`name_hi`), else its name, else '<code> depot'."""
    return names.named(depots.get(code), None, lang) or translate(N_("{code} depot"), lang, code=code)


def day_text(day: str | None, lang: str) -> str:
    """'2026-12-04' as people write it: '4 Dec 2026', '4 दिस॰ 2026' (as it came if it is no day)."""
    try:
        return format_date(date.fromisoformat(day), "d MMM y", locale="hi_IN" if lang == "hi" else "en_IN")
    except (TypeError, ValueError):
        return day or "-"


def reason_text(reason: str, materials: dict, lang: str) -> str:
    """Why a request was refused: an admin's reason as they wrote it, inventory's reason code in words."""
    if as_written(reason) or not reason:
        return reason
    code, _, what = reason.partition(":")
    return translate(HOLD_FAILED[code], lang, material=material_name(what.strip(), materials, lang))


def _values(note: dict, materials: dict, depots: dict, lang: str, *, short: bool = False,
            cut: Callable[[str], str] = _whole) -> dict:
    """What a notification's texts say; `short`: for an SMS (one material named, money in 'Rs' in English), where
    `cut` shortens the names of materials and the depot to fit, and the reason if two parts do not hold it
    (shared.sms.fit)."""
    amount = note.get("amount")
    return {"ref": ref(note["requisition_id"]),
            "items": items(note.get("lines", []), materials, lang, short=short, cut=cut),
            "depot": cut(depot_name(note.get("depot", ""), depots, lang)), "position": note.get("position") or "",
            "reason": cut(reason_text(note.get("reason") or "", materials, lang), whole=True),
            "amount": rupees(amount, lang, sms=short) if amount is not None else "",
            "date": day_text(note["due_on"], lang) if note.get("due_on") else "",
            **({"short_items": items(note["not_reached"], materials, lang, short=short, cut=cut)}
               if note.get("not_reached") else {})}


def owing(account: dict, lang: str, *, sms: bool = False) -> str:
    """What the artisan owes as of an account's change: what is still to pay on a request not handed over yet
    (`to_pay`), then its open dues, the first by their day; else what is to their credit (the balance below zero),
    else nothing."""
    dues = account.get("open_dues") or []
    to_pay = account.get("to_pay")
    still = "" if to_pay is None else translate(STILL_TO_PAY, lang, amount=rupees(to_pay, lang, sms=sms)) \
        if to_pay else translate(PAID_IN_FULL, lang)  # paid ahead: not "advance kept", it is this request's
    if owed := sum(due["amount"] for due in dues):
        day = min(due["due_on"] for due in dues)
        first = sum(due["amount"] for due in dues if due["due_on"] == day)
        owes = translate(OWES if first == owed else OWES_FIRST, lang, owed=rupees(owed, lang, sms=sms),
                         first=rupees(first, lang, sms=sms), date=day_text(day, lang))
        return f"{still} {owes}" if still else owes
    if still:  # money paid ahead of it is to their credit only until it is charged at hand-over: not "nothing owed"
        return still
    if (balance := account.get("balance_due") or 0) < 0:
        return translate(IN_CREDIT, lang, credit=rupees(-balance, lang, sms=sms))
    return translate(OWES_NOTHING, lang)


def money_moved(note: dict, lang: str, *, sms: bool = False) -> tuple[str, str]:
    """(title, text) of money that moved on the artisan's account, with what they owe after it; a refund drawn from
    several requests names each one's part."""
    title, sentence, short = MONEY_MOVED[note["status"]]
    how = PAID_HOW.get(note.get("method") or "")
    drawn = note.get("requisitions") or {}
    if len(drawn) > 1:
        sentence, short = REFUNDED_FROM_SEVERAL
    parts = ", ".join(translate(REFUND_PART, lang, ref=ref(rid), amount=rupees(part, lang, sms=sms))
                      for rid, part in drawn.items())
    text = translate(short if sms else sentence, lang, ref=ref(note["requisition_id"]),
                     amount=rupees(note["amount"], lang, sms=sms), how=translate(how, lang) if how else "",
                     parts=parts)
    return translate(title, lang), f"{text} {owing(note.get('account') or {}, lang, sms=sms)}"


def about_record(note: dict, lang: str) -> tuple[str, str, str]:
    """(title, sentence, SMS text) of news of the artisan's own record (domain.ABOUT_RECORD)."""
    status = note["status"]
    if not note.get("ending"):  # no new number: removed, or asked to be
        status = {"phone_changed": "phone_removed", "phone_change_asked": "phone_removal_asked"}.get(status, status)
    title, sentence, short = ABOUT_RECORD[status]
    ending = note.get("ending") or ""
    return translate(title, lang), translate(sentence, lang, ending=ending), translate(short, lang, ending=ending)


def received_all(note: dict) -> bool:
    """Whether a share's recorded answer says the member received all of it (else what of each material)."""
    return all(line.get("received", line["quantity"]) >= line["quantity"] for line in note.get("lines") or ())


def recorded_at_depot(note: dict, materials: dict, depots: dict, lang: str) -> tuple[str, str]:
    """(title, text) telling a member what the depot's staff recorded as their answer, and what to do if wrong."""
    title, whole, less, wrong = RECORDED_AT_DEPOT[:4]
    values = _values(note, materials, depots, lang)
    received = items([{"sku": line["sku"], "quantity": line.get("received", line["quantity"])}
                      for line in note.get("lines") or ()], materials, lang)
    text = translate(whole if received_all(note) else less, lang, **values, received=received)
    return translate(title, lang), f"{text} {translate(wrong, lang)}"


def recorded_sms(note: dict, materials: dict, depots: dict, lang: str) -> Callable[..., str]:
    """What writes the SMS of a share's answer recorded at the depot (`make(cut)`, for shared.sms.fit): what was
    recorded of each material (every one named, their names cut to fit) within the parts a member's SMS may take;
    when that would be longer even with the names cut short, only the request and that its receipt was recorded at
    the depot (never a figure cut off)."""
    all_of_it = received_all(note)

    def make(cut: Callable[..., str]) -> str:
        lines = note.get("lines") or ()
        received = ", ".join(item({"sku": line["sku"], "quantity": line.get("received", line["quantity"])},
                                  materials, lang, cut) for line in lines) or "-"
        named = ", ".join(item(line, materials, lang, cut) for line in lines) or "-"
        return translate(RECORDED_AT_DEPOT[4 if all_of_it else 5], lang, ref=ref(note["requisition_id"]), items=named,
                         received=received)

    if sms_parts.parts(make(_shortest)) > sms_parts.MOST_PARTS:
        return lambda cut: translate(RECORDED_AT_DEPOT[6], lang, ref=ref(note["requisition_id"]))
    return make


def dispute_settled(note: dict, materials: dict, depots: dict, lang: str, *,
                    typed: Callable[[str], Markup] | None = None) -> tuple[str, str]:
    """(title, text) telling a member how the department settled their dispute of what the depot recorded: what now
    stands of each material, the credit to come if it is short, and the admin's note (marked as typed on a page)."""
    title, sentence, _ = DISPUTE_SETTLED[note["outcome"]]
    received = items([{"sku": line["sku"], "quantity": line["received"]} for line in note.get("lines") or ()],
                     materials, lang)
    text = translate(sentence, lang, **_values(note, materials, depots, lang), received=received)
    if note["outcome"] == "upheld" and not received_all(note):
        text = f"{text} {translate(DISPUTE_CREDIT, lang)}"
    if not note.get("reason"):
        return translate(title, lang), text
    if typed:
        return translate(title, lang), escape(f"{text} ") + escape(translate(DISPUTE_NOTE, lang)).format_map(
            {"note": typed(note["reason"])})
    return translate(title, lang), f"{text} {translate(DISPUTE_NOTE, lang, note=note['reason'])}"


def as_written(reason: str) -> bool:
    """Whether a request's reason is what a person typed (an admin's), not one of inventory's reason codes."""
    return bool(reason) and reason.partition(":")[0] not in HOLD_FAILED


def notification(note: dict, materials: dict, depots: dict, lang: str, *,
                 typed: Callable[[str], Markup] | None = None) -> tuple[str, str]:
    """(title, body) of an artisan's notification in their language; the amount to pay when there is one.

    `typed`: how a page marks what a person typed (shared.pages.as_typed); with it, a body with an admin's reason
    in it is Markup, the rest of it escaped."""
    if note["status"] in MONEY_MOVED:
        return money_moved(note, lang)
    if note["status"] in domain.ABOUT_RECORD:
        return about_record(note, lang)[:2]
    if note["status"] == domain.SHARE_RECORDED:
        return recorded_at_depot(note, materials, depots, lang)
    if note["status"] == domain.SHARE_DISPUTE_SETTLED:
        return dispute_settled(note, materials, depots, lang, typed=typed)
    if note.get("late"):  # an approval read after inventory's answer was told: the amount, nothing it contradicts
        return translate(TOLD_LATE[0], lang), _with_pay_first(
            translate(TOLD_LATE[1], lang, **_values(note, materials, depots, lang)), note, lang)
    _, title, body = STATUS_TEXT[note["status"]]
    if several_materials(note):
        body = CONFIRM_SEVERAL[0]
    elif note.get("cooperative") and note["status"] in FOR_MEMBERS:
        body = FOR_MEMBERS[note["status"]]
    elif note["status"] == "waitlisted" and note.get("reason") == domain.WAITS_AGAIN:
        body = WAITS_AGAIN
    elif note["status"] == "waitlisted" and note.get("short") is not None:
        body = body if note["short"] else WAITS_BEHIND  # nothing short: it waits behind earlier requests
        note = waiting_for(note)
    values = _values(note, materials, depots, lang)
    if typed and "{reason}" in body and as_written(note.get("reason") or ""):
        return translate(title, lang), escape(translate(body, lang)).format_map(
            {**values, "reason": typed(values["reason"])}).strip()
    text = translate(body, lang, **values).strip()
    if note["status"] == "approved" and note.get("amount"):
        text = _with_pay_first(f"{text} {translate(AMOUNT_DUE, lang, **values)}", note, lang)
    if paid := paid_stays(note, lang):
        text = f"{text} {paid}"
    if note["status"] == "return_credited" and note.get("not_reached"):
        short_text = translate(NOT_REACHED[1], lang, **values)
        text, title = (f"{text} {short_text}", title) if note.get("lines") else (short_text, NOT_REACHED[0])
    if note["status"] == "return_credited" and note.get("amount"):
        text = f"{text} {translate(CREDITED, lang, **values)}"
    return translate(title, lang), text


def _with_pay_first(text: str, note: dict, lang: str) -> str:
    """An approval's text and, when the depot will ask for part of it before handing it over, how much (PAY_FIRST)."""
    if not note.get("pay_first"):
        return text
    return f"{text} {translate(PAY_FIRST, lang, amount=rupees(note['pay_first'], lang))}"


def several_materials(note: dict) -> bool:
    """Whether it asks a member to confirm a share of several materials (what came of each: not one SMS figure)."""
    return note["status"] == "confirm_share" and len(note.get("lines") or ()) > 1


def paid_stays(note: dict, lang: str, *, sms: bool = False) -> str:
    """Where the money paid on a cancelled or rejected request went (its `paid`, from the event); "" if none."""
    if note["status"] not in ("cancelled", "rejected") or not note.get("paid") or note["paid"] <= 0:
        return ""
    return translate(PAID_STAYS[1 if sms else 0], lang, amount=rupees(note["paid"], lang, sms=sms))


def waiting_for(note: dict) -> dict:
    """A waiting request's note naming only what the depot is short of (of the member's own lines, else of the
    request's); with nothing short, all of it, as it waits behind earlier requests for it."""
    if not note["short"]:
        return note
    skus = {line["sku"] for line in note["short"]}
    return {**note, "lines": [line for line in note.get("lines", []) if line["sku"] in skus] or note["short"]}


#: An SMS to a phone other artisans are registered with too (a family's): whose news it is, first.
FOR_NAME = N_("For {name}: {text}")


def sms(note: dict, materials: dict, depots: dict, lang: str, code: str = "", *, for_name: str | None = None) -> str:
    """A feature-phone text: 'REQ 1042 RESERVED: 20 kg cotton yarn at Varanasi depot'.

    In one part where it fits, in two at most (shared.sms.fit): long names of materials and depots are cut with
    '…', and a refusal's reason if two parts do not hold it; the code, the amount, the date and what to do are
    never cut. `for_name`: the artisan's name, said first ('For Sita Devi: …', cut like a material's name) when
    the phone it goes to is shared, so the family knows whose it is; left out of a text that would not fit its
    parts with it even with the names cut short (a figure is never cut for it)."""
    def framed(cut: Callable[..., str], text: str) -> str:
        return translate(FOR_NAME, lang, name=cut(for_name), text=text) if for_name else text

    make = _sms_maker(note, materials, depots, lang, code)
    if for_name and sms_parts.parts(framed(_shortest, make(_shortest))) > sms_parts.MOST_PARTS:
        return sms_parts.fit(make)  # without the name
    return sms_parts.fit(lambda cut: framed(cut, make(cut)))


def _shortest(piece: str, whole: bool = False) -> str:
    """A name as short as shared.sms.fit cuts names before it cuts anything else."""
    return sms_parts.clip(piece, 20)


def _sms_maker(note: dict, materials: dict, depots: dict, lang: str, code: str) -> Callable[..., str]:
    """`make(cut)` of the note's SMS text (without whom it is for), as shared.sms.fit takes it."""
    if note["status"] in MONEY_MOVED:
        text = money_moved(note, lang, sms=True)[1]
        account = note.get("account") or {}
        if sms_parts.parts(text) > sms_parts.MOST_PARTS and account.get("to_pay"):  # the account's dues are in the app
            text = money_moved({**note, "account": {"to_pay": account["to_pay"]}}, lang, sms=True)[1]
        return lambda cut: text
    if note["status"] in domain.ABOUT_RECORD:
        text = about_record(note, lang)[2]
        return lambda cut: text
    if note["status"] == domain.SHARE_RECORDED:
        return recorded_sms(note, materials, depots, lang)
    if note["status"] == domain.SHARE_DISPUTE_SETTLED:
        return lambda cut: translate(DISPUTE_SETTLED[note["outcome"]][2], lang, ref=ref(note["requisition_id"]))
    if note["status"] == "waitlisted" and note.get("short"):  # name only what the depot is short of, as the app
        note = waiting_for(note)
    return lambda cut: _sms(note, _values(note, materials, depots, lang, short=True, cut=cut), lang, code)


def _sms(note: dict, values: dict, lang: str, code: str) -> str:
    if note.get("late"):  # as notification() says
        return translate(TOLD_LATE[2], lang, **values)
    if note["status"] == "confirm_share":
        return translate(CONFIRM_SEVERAL[1] if several_materials(note) else CONFIRM_SMS, lang, **values, code=code)
    if note["status"] == "return_credited" and note.get("not_reached"):
        if note.get("lines"):  # some came back too: both said, with the credit of the whole return
            amount = values["amount"] or rupees(0, lang, sms=True)
            return translate(NOT_REACHED[4], lang, **{**values, "amount": amount})
        return translate(NOT_REACHED[2] if note.get("amount") else NOT_REACHED[3], lang, **values)
    if note["status"] in MONEY_SMS and (note.get("amount") or note["status"] not in AMOUNT_IF_ANY):
        return translate(MONEY_SMS[note["status"]], lang, **values)
    word = translate(STATUS_TEXT[note["status"]][0], lang, position=values["position"], date=values["date"])
    paid = paid_stays(note, lang, sms=True)  # never cut: where their money went
    if note["status"] in ("rejected", "cancelled") and values["reason"].strip():  # a feature phone sees no e-mail
        text = translate(N_("REQ {ref} {word}: {items} at {depot}. {reason}"), lang, word=word,  # nor the app
                         **{**values, "reason": " ".join(values["reason"].split())})
    else:
        text = translate(N_("REQ {ref} {word}: {items} at {depot}"), lang, word=word, **values)
    return f"{text} {paid}" if paid else text


def email(note: dict, materials: dict, depots: dict, lang: str, links: list = ()) -> tuple[str, str]:
    """(subject, text) of an artisan's e-mail; `links` (label, address) of the page it is about (links.py) go
    before the footer, each on its line."""
    title, body = notification(note, materials, depots, lang)
    footer = translate(N_("— rawbank raw-material bank"), lang)
    subject = f"{title}: {ref(note['requisition_id'])}" if note.get("requisition_id") else title
    return subject, f"{body}\n\n" + (f"{link_lines(links, lang)}\n" if links else "") + f"{footer}\n"


def link_lines(links: list, lang: str) -> str:
    """'Open the request: https://...' in `lang`, one line each (each ending with a line break); "" with none."""
    return "".join(f"{translate(label, lang)}: {address}\n" for label, address in links)


def alert(doc: dict, materials: dict, depots: dict, lang: str) -> tuple[str, str]:
    """(title, body) of an alert for admins and warehouse staff."""
    title, body = ALERT_TEXT[doc["kind"]]
    details = doc.get("details") or {}
    unit = (materials.get(doc.get("sku") or "") or {}).get("unit", "")
    values = {"material": material_name(doc.get("sku") or "-", materials, lang),
              "depot": depot_name(doc.get("depot") or "-", depots, lang),
              "available": quantity(details.get("available", 0), unit, lang),
              "reorder": quantity(details.get("reorder_level", 0), unit, lang),
              "waiting": details.get("waiting", 0), "topic": details.get("original_topic", "-"),
              "oldest": day_text(day_of(datetime.fromisoformat(details["oldest_since"])), lang)
              if details.get("oldest_since") else "-",
              "detail": details.get("reason", ""), "event_id": details.get("event_id") or "-",
              "webhook": details.get("webhook", ""), "url": details.get("url", ""),
              "artisan": names.named(details, details.get("artisan_id", "-"), lang),
              "amount": rupees(parse_money(details["overdue"]), lang) if details.get("overdue") else "",
              "since": day_text(details["since"], lang) if details.get("since") else "",
              **_share_values(details, materials, lang),
              **_procurement_values(details, materials, unit, lang, doc)}
    if doc["kind"] == "reservation_failed":
        code, _, named = values["detail"].partition(":")
        body, values["code"] = HOLD_FAILED_ALERT.get(code, body), named.strip()
    text = dead_letters.explain(details, lang) if doc["kind"] == "dead_letter" else translate(body, lang, **values)
    if said := on_order(doc, unit, lang):  # so nobody orders it again
        text = f"{text} {said}"
    if doc["kind"] == "short_share" and details.get("settled") and details.get("still_short"):
        text = f"{text} " + translate(SHORT_PARTLY_SETTLED, lang, settled=items(details["settled"], materials, lang),
                                      still_short=items(details["still_short"], materials, lang))
    return translate(title, lang, **values), text


def on_order(doc: dict, unit: str, lang: str, short: bool = False) -> str:
    """What a low-stock or out-of-stock alert says is on order ('20 kg is already on order …', on an SMS '; 20 kg on
    order'); "" for other alerts, nothing on order, or an alert of an event that did not say (before 2026-12)."""
    ordered = (doc.get("details") or {}).get("on_order")
    if doc.get("kind") not in domain.ON_ORDER_SAID or not isinstance(ordered, int) or ordered <= 0:
        return ""
    return translate(ON_ORDER[1 if short else 0], lang, on_order=quantity(ordered, unit, lang))


def _share_values(details: dict, materials: dict, lang: str) -> dict:
    """What the cooperative share alerts say: the cooperative, the request, what was due and what came."""
    lines = [line for line in details.get("lines") or [] if isinstance(line, dict) and "received" in line]
    return {"cooperative": names.named(details, details.get("cooperative", "-"), lang, field="cooperative_name"),
            "ref": ref(details.get("requisition_id") or "-"),
            "share": items(lines, materials, lang),
            "received": items([{"sku": line["sku"], "quantity": line["received"]} for line in lines], materials, lang),
            "recorded_by": names.plainly(details.get("recorded_by_person"), details["recorded_by"], lang, staff=True)
            if details.get("recorded_by") else translate(N_("the depot's staff"), lang),  # the board: staff read it
            "recorded_on": day_text(names.in_india(details["recorded_at"])[:10], lang)
            if details.get("recorded_at") else "-", "note": details.get("note") or ""}


def _days_late(details: dict, doc: dict) -> int:
    """How late an order is (India's days): to today while its alert is live, to the day it was resolved after;
    inventory says it once, the day after it was expected."""
    said = details.get("days_late") or 0
    try:
        expected = date.fromisoformat(details["expected_on"])
    except (KeyError, TypeError, ValueError):
        return said
    until = (doc.get("resolved") or {}).get("at") or datetime.now(timezone.utc)
    return max((date.fromisoformat(day_of(until)) - expected).days, said)


def _procurement_values(details: dict, materials: dict, unit: str, lang: str, doc: dict) -> dict:
    """What the order, lot and count alerts say, from their details."""
    shade = details.get("shade")
    lines = details.get("lines") or []
    supplier = names.named(details, "", lang, field="supplier_name")
    return {"order": details.get("purchase_order", ""), "supplier": supplier,
            "days": _days_late(details, doc) if "purchase_order" in details else details.get("days_left", ""),
            "expected_on": day_text(details.get("expected_on"), lang),
            "expires_on": day_text(details.get("expires_on"), lang),
            "items": items(lines, materials, lang) if "purchase_order" in details else "",
            "lot": details.get("lot", ""), "quantity": quantity(details.get("on_hand", 0), unit, lang),
            "shade": translate(N_(" (shade {shade})"), lang, shade=shade) if shade else "",
            "count": details.get("count_id", ""), "tolerance": details.get("tolerance_percent", ""),
            "differences": "; ".join(difference(line, materials, lang) for line in lines)
            if "count_id" in details else ""}


def difference(line: dict, materials: dict, lang: str) -> str:
    """One counted line's difference; a material kept in no lot (stock from before lots) is named without one."""
    unit = (materials.get(line["sku"]) or {}).get("unit", "")
    text = N_("{material} lot {lot}: books {book}, counted {counted}") if line.get("lot") else \
        N_("{material}: books {book}, counted {counted}")
    return translate(text, lang, material=material_name(line["sku"], materials, lang), lot=line.get("lot"),
                     book=quantity(line["book"], unit, lang), counted=quantity(line["counted"], unit, lang))


def alert_headline(doc: dict, materials: dict, depots: dict, lang: str) -> str:
    title, _ = alert(doc, materials, depots, lang)
    status = "escalated" if doc.get("escalated") else doc["status"]
    return translate(HEADLINES[status], lang, title=title) if status in HEADLINES else f"[{status}] {title}"


#: the word an alert's SMS and e-mail subject to a contact start with, by what happened to it (domain.ALERT_*)
ALERT_WORDS = {domain.ALERT_OPENED: N_("NEW ALERT"), domain.ALERT_UPDATED: N_("ALERT UPDATED"),
               domain.ALERT_ESCALATED: NC_("alert", "ESCALATED"), domain.ALERT_ACKNOWLEDGED: N_("SOMEONE IS ON IT"),
               domain.ALERT_RESOLVED: N_("RESOLVED")}


def alert_word(topic: str, lang: str) -> str:
    """The word a contact's SMS and e-mail subject about an alert start with ('NEW ALERT: Low stock: …'): what
    happened to it, in their language (it said the topic's code, 'alert.opened')."""
    return translate(ALERT_WORDS[topic], lang) if topic in ALERT_WORDS else topic


def digest(day: str, sections: dict, lang: str) -> tuple[str, str]:
    """Daily digest: sections maps 'opened'/'escalated'/'resolved' to headline lists."""
    counts = {k: len(v) for k, v in sections.items()}
    subject = translate(N_("rawbank daily digest {day}: {opened} opened, {escalated} escalated, {resolved} resolved"),
                        lang, day=day, **counts)
    lines = []
    for key, heading in DIGEST_SECTIONS.items():
        lines.append(translate(heading, lang, count=counts[key]))
        lines += [f"  - {headline}" for headline in sections[key]] or ["  -"]
    return subject, "\n".join(lines) + "\n"
