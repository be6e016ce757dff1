"""What people read for the inventory's codes (a material's category, a kind of movement, an adjustment's reason):
catalog texts, which the pages translate lazily (pages.py) and the CSV exports in the language they are for."""
from __future__ import annotations

from shared.i18n import N_

CATEGORIES = {"yarn": N_("Yarn"), "fibre": N_("Fibre"), "dye": N_("Dye"), "metal": N_("Metal"), "wood": N_("Wood"),
              "clay": N_("Clay"), "chemical": N_("Chemical"), "packaging": N_("Packaging"), "other": N_("Other")}
MOVEMENTS = {"receipt": N_("Received"), "adjustment": N_("Adjusted"), "transfer": N_("Transfer"),
             "reservation": N_("Set aside"), "release": N_("Released"), "issue": N_("Handed over"),
             "return": N_("Returned to supplier"), "taken_back": N_("Taken back from artisan")}
REASONS = {"count": N_("Stock count difference"), "damage": N_("Damaged"), "expiry": N_("Expired"),
           "theft": N_("Lost or stolen"), "correction": N_("Correction of an earlier entry"),
           "expired": N_("Expired lot written off")}
