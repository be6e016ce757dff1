"""Money rules of a requisition: the subsidised split, each line's price, what is owed. Standard library only.

Quantities are thousandths of a unit, prices paise per unit, rates basis points (1500 = 15%).
Every figure of a line is rounded once, to the paisa, half up, from the exact product of its
inputs; the line's value is its two parts' values, and its amount is
`value - subsidy + freight + depot_charge`, so the parts of a line always add up to it, and a
requisition's totals are the sums of its lines.
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.money import round_half_up

MILLI, BP = 1000, 10_000
TOTALS = ("value", "subsidy", "freight", "depot_charge", "amount")


@dataclass(frozen=True)
class Terms:
    """What a scheme charges and gives on a line, in basis points of the mill-gate value."""

    subsidy: int = 0
    freight: int = 0
    depot_charge: int = 0


def split(lines, left: dict[str, int]) -> dict[str, int]:
    """How much of each line is subsidised: what is left of its category's entitlement, in line order.

    `lines` are (key, category, quantity); a category with nothing left, or no entitlement, gets 0.
    """
    left = dict(left)
    taken = {}
    for key, category, quantity in lines:
        taken[key] = min(quantity, max(left.get(category, 0), 0))
        if category in left:
            left[category] -= taken[key]
    return taken


def price_line(quantity: int, subsidised: int, unit_price: int, terms: Terms) -> dict:
    """One line's money: the part within the entitlement at the scheme price, the rest at full price."""
    if not 0 <= subsidised <= quantity:
        raise ValueError("the subsidised quantity must be between 0 and the quantity")
    subsidised_value = round_half_up(subsidised * unit_price, MILLI)
    full_value = round_half_up((quantity - subsidised) * unit_price, MILLI)
    exact = quantity * unit_price  # the line's mill-gate value, in paise x 1000
    line = {"subsidised_value": subsidised_value, "full_value": full_value,
            "value": subsidised_value + full_value,
            "subsidy": round_half_up(subsidised * unit_price * terms.subsidy, MILLI * BP),
            "freight": round_half_up(exact * terms.freight, MILLI * BP),
            "depot_charge": round_half_up(exact * terms.depot_charge, MILLI * BP),
            "scheme_unit_price": unit_price - round_half_up(unit_price * terms.subsidy, BP),
            "subsidy_percent": terms.subsidy}
    line["amount"] = line["value"] - line["subsidy"] + line["freight"] + line["depot_charge"]
    return line


def totals(lines: list[dict]) -> dict:
    """A requisition's totals: the sums of its lines."""
    summed = {f"{name}_total": sum(line[name] for line in lines) for name in TOTALS}
    summed["payable_total"] = summed.pop("amount_total")
    return summed


def entitlement(caps: dict[str, int], used: dict[str, int]) -> dict[str, dict]:
    """category -> cap, used and left (never below zero, even when a cap was lowered)."""
    return {category: {"cap": cap, "used": used.get(category, 0), "left": max(cap - used.get(category, 0), 0)}
            for category, cap in caps.items()}


def open_dues(charges, paid: dict[str, int], repays=()) -> list[dict]:
    """What is still owed per dispatched requisition, and what is to be repaid, oldest due day first.

    `charges` are (requisition_id, due_on, payable, charged_at). A requisition's own payments settle
    it first; what is paid beyond that (advances, payments on requisitions not dispatched yet)
    settles the others in order of due day. `repays` are (requisition_id, due_on, amount, reversed_at):
    money a refund handed back of a payment that was then reversed, to be repaid by its due day; what
    is paid on a requisition below zero is what is left of them (the oldest are repaid first), and they
    are dues as charges are (`kind` `refund_reversed`; a charge's due has no kind).
    """
    surplus = sum(max(amount, 0) for amount in paid.values())
    owed = []
    for rid, due_on, payable, at in charges:
        own = min(max(paid.get(rid, 0), 0), payable)
        surplus -= own
        owed.append([rid, due_on, payable - own, at, "charge"])
    repaid: dict[str, int] = {}
    for rid, _, amount, _ in repays:
        repaid[rid] = repaid.get(rid, 0) + amount
    repaid = {rid: total - max(-paid.get(rid, 0), 0) for rid, total in repaid.items()}
    for rid, due_on, amount, at in sorted(repays, key=lambda r: (r[1], r[3], r[0])):
        settled = min(amount, max(repaid[rid], 0))
        repaid[rid] -= settled
        owed.append([rid, due_on, amount - settled, at, "refund_reversed"])
    owed.sort(key=lambda item: (item[1], item[3], item[0], item[4]))
    for item in owed:
        settled = min(item[2], max(surplus, 0))
        item[2] -= settled
        surplus -= settled
    merged: dict[tuple, int] = {}  # one due per requisition, day and kind (a reminder is sent once for it)
    for rid, due_on, amount, _, kind in owed:
        if amount > 0:
            merged[(rid, due_on, kind)] = merged.get((rid, due_on, kind), 0) + amount
    return [{"requisition_id": rid, "due_on": due_on, "amount": amount, **({"kind": kind} if kind != "charge" else {})}
            for (rid, due_on, kind), amount in merged.items()]


def overdue(dues: list[dict], today: str) -> int:
    """What is owed past its due day."""
    return sum(due["amount"] for due in dues if due["due_on"] < today)


def advance_needed(payable: int, advance: int) -> int:
    """The part of a requisition to pay before it leaves the depot on credit."""
    return round_half_up(payable * advance, BP)
