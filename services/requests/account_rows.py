"""The account page's rows: each charge read with its subsidy beneath it, a subsidy of nothing left out."""
from __future__ import annotations


def grouped(entries: list[dict]) -> list[list[dict]]:
    """The entries (newest first) as the page lists them, a group per row the artisan reads as one: a charge with
    its subsidy (`subsidy_off`, paise, and `to_pay`, the two added up), the subsidy beneath it marked `part_of`
    the charge; a subsidy of nothing is not listed (it added nothing), every other entry stands alone."""
    subsidies = {e["requisition_id"]: e for e in entries if e["type"] == "subsidy"}
    charged = {e["requisition_id"] for e in entries if e["type"] == "charge"}
    groups = []
    for entry in entries:
        if entry["type"] == "charge":
            given = subsidies.get(entry["requisition_id"])
            if given and given["amount"]:
                groups.append([{**entry, "subsidy_off": -given["amount"], "to_pay": entry["amount"] + given["amount"]},
                               {**given, "part_of": entry["id"]}])
            else:
                groups.append([entry])
        elif entry["type"] != "subsidy" or (entry["amount"] and entry["requisition_id"] not in charged):
            groups.append([entry])
    return groups


def counted(groups: list[list[dict]], skip: int, size: int) -> dict:
    """The page's "Entries `first` to `last` of `total`" for the `size` groups after `skip`, in the rows the reader
    counts in the table: a charge and its subsidy are two, though paged together."""
    before = sum(len(group) for group in groups[:skip])
    return {"first": before + 1, "last": before + sum(len(group) for group in groups[skip:skip + size]),
            "total": sum(len(group) for group in groups)}
