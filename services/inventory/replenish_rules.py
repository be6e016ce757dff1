"""What to order next: usage, cover and the suggested quantity. Standard library only."""
from __future__ import annotations

HISTORY_DAYS = 90  # usage is averaged over this many days


def avg_daily(issued: int, days: int = HISTORY_DAYS) -> int:
    """Thousandths issued per day on average, rounded half up."""
    return (issued + days // 2) // days


def days_of_cover(available: int, on_order: int, avg: int) -> float | None:
    """How many days what is available and on order lasts at the average rate (None: nothing is used)."""
    if avg <= 0:
        return None
    return round(max(available + on_order, 0) / avg, 1)


def target(avg: int, cover_days: int, reorder_level: int, max_level: int | None) -> int:
    """The level to order up to: the material's max level, else enough for `cover_days`; at least the reorder level,
    so that ordering what is suggested never leaves the stock running low (a max level set below it)."""
    return max(reorder_level, max_level or avg * cover_days)


def suggest(target_level: int, available: int, on_order: int, waitlisted: int, pack: int | None) -> int:
    """What to order to reach the target once everyone waiting is served, in whole packs."""
    need = target_level + waitlisted - available - on_order
    if need <= 0:
        return 0
    if pack:
        return -(-need // pack) * pack
    return need
