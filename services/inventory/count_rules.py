"""Stock-count rules: statuses, variance against the books at counting time, tolerance. Standard library only."""
from __future__ import annotations

OPEN, SUBMITTED, APPROVING, APPROVED = "open", "submitted", "approving", "approved"
CANCELLED = "cancelled"  # begun by mistake, or counted wrong: nothing is posted
STATUSES = (OPEN, SUBMITTED, APPROVING, APPROVED, CANCELLED)

#: action -> statuses it may start from (approving: an approval that stopped half way resumes)
ACTIONS = {"count": (OPEN,), "submit": (OPEN,), "approve": (SUBMITTED, APPROVING), "cancel": (OPEN, SUBMITTED)}


def may(action: str, status: str) -> bool:
    return status in ACTIONS[action]


def line(sku: str, lot: str | None, counted: int, book: int, *, by: str, at) -> dict:
    """One counted line: the variance is against the books as they stood when it was counted."""
    return {"sku": sku, "lot": lot or "", "counted": counted, "book": book, "variance": counted - book,
            "by": by, "counted_at": at}


def with_line(lines: list[dict], new: dict) -> list[dict]:
    """The count's lines with `new` in place of an earlier count of the same lot (a recount)."""
    key = (new["sku"], new["lot"])
    return [x for x in lines if (x["sku"], x["lot"]) != key] + [new]


def beyond(entry: dict, tolerance_percent: int) -> bool:
    """A variance larger than the tolerance, as a share of the books (any variance of nothing on the books)."""
    return abs(entry["variance"]) * 100 > tolerance_percent * entry["book"]


def adjustments(lines: list[dict], approved: list[dict] = (), corrections: list[dict] = ()) -> list[dict]:
    """One adjustment per line that differs, taking the books to what was counted; the later count of a lot wins.

    `approved`: lines ({sku, lot, counted_at}) of other counts already approved at the depot; a line counted before
    one of them of the same lot gives way to it. `corrections`: what those counts posted ({sku, lot, quantity,
    posted_at}); a line counted before such a correction was posted keeps only what it did not already put right.
    """
    out = []
    for x in lines:
        key = (x["sku"], x["lot"])
        if any((c["sku"], c["lot"]) == key and c["counted_at"] > x["counted_at"] for c in approved):
            continue
        quantity = x["variance"] - sum(c["quantity"] for c in corrections
                                       if (c["sku"], c["lot"]) == key and c["posted_at"] > x["counted_at"])
        if quantity:
            out.append({"sku": x["sku"], "lot": x["lot"], "quantity": quantity})
    return out
