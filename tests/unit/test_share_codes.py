"""A member's share code lives to the end of a day in India, and the "confirm by" day the member is told is it."""
from datetime import datetime, timedelta, timezone

import pytest

from services.requests import share_rules
from shared.calendar import IST, last_full_day


@pytest.mark.parametrize("sent, last_day", [
    (datetime(2026, 12, 1, 10, 0, tzinfo=IST), "2026-12-15"),  # a morning hand-over
    (datetime(2026, 12, 1, 23, 50, tzinfo=IST), "2026-12-15"),  # late that night: still 1 December in India
    (datetime(2026, 12, 2, 0, 10, tzinfo=IST), "2026-12-16"),  # 1 December in UTC, 2 December in India
])
def test_a_code_works_all_of_its_last_day_in_india_and_that_is_the_day_the_member_is_told(sent, last_day):
    expires_at = share_rules.expires(sent.astimezone(timezone.utc))
    until = datetime.fromisoformat(expires_at)
    assert until.utcoffset() == timedelta(0)  # compared as text with now in UTC
    assert last_full_day(until) == last_day
    last_evening = datetime.fromisoformat(f"{last_day}T23:59:00").replace(tzinfo=IST).astimezone(timezone.utc)
    confirmation = {"status": share_rules.PENDING, "expires_at": expires_at}
    assert share_rules.code_live(confirmation, last_evening.isoformat())
    assert not share_rules.code_live(confirmation, (last_evening + timedelta(minutes=1)).isoformat())


def test_a_deadline_inside_a_day_says_the_day_before_it():
    """A code sent before this rule expired at the hour it was sent: "by" the day before, which it outlives."""
    assert last_full_day(datetime(2026, 12, 15, 4, 30, tzinfo=timezone.utc)) == "2026-12-14"  # 10:00 in India
    assert last_full_day(datetime(2026, 12, 15, 20, 0, tzinfo=timezone.utc)) == "2026-12-15"  # 01:30 on the 16th
