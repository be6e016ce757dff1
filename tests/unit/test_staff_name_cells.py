"""A CSV names its staff from inventory's copy (shared.staff.name_cells): the copy is read once for the whole file,
whatever the rows, so a long export streams with one read of the names."""
from __future__ import annotations

from datetime import datetime, timezone

import mongomock

from shared import staff


class CountingDb:
    """A store that counts the reads of the staff copies."""

    def __init__(self, db):
        self.db, self.reads = db, 0

    def __getitem__(self, name):
        outer, collection = self, self.db[name]

        class Counted:
            def find(self, *args, **kwargs):
                outer.reads += 1
                return collection.find(*args, **kwargs)
        return Counted()


def test_the_names_are_read_once_for_every_row_and_an_unknown_login_has_empty_cells():
    db = mongomock.MongoClient().db
    at = datetime.now(timezone.utc)
    staff.remember(db, {"login": "wh-vns-2", "role": "warehouse", "name": "Suresh Yadav", "name_hi": "सुरेश यादव",
                        "at": at})
    staff.remember(db, {"login": "asha", "role": "admin", "name": None, "name_hi": None, "at": at})
    counted = CountingDb(db)
    cells = staff.name_cells(counted)
    assert counted.reads == 0  # nothing read before the first row is asked for
    rows = [cells(login) for login in ["wh-vns-2", "asha", "gone", None, "inventory"] * 1_000]
    assert counted.reads == 1
    assert rows[:5] == [["Suresh Yadav", "सुरेश यादव"], ["", ""], ["", ""], ["", ""],
                        ["the depot's stock system", "डिपो की स्टॉक प्रणाली"]]
