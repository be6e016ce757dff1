"""What people read for a requisition's statuses and actions (msgids; pages and errors translate them)."""
from __future__ import annotations

from shared.i18n import N_

STATUSES = {"submitted": N_("Submitted"), "approved": N_("Approved"), "reserved": N_("Ready at depot"),
            "waitlisted": N_("Waiting for stock"), "dispatched": N_("Handed over"), "received": N_("Received"),
            "rejected": N_("Rejected"), "cancelled": N_("Cancelled")}
#: an action as it reads in "... so approving it is not possible"
ACTIONS = {"approve": N_("approving"), "reject": N_("rejecting"), "cancel": N_("cancelling"),
           "dispatch": N_("handing over"), "receive": N_("confirming receipt of")}
#: the entitlement classes materials may declare (finer than a category), as scheme caps and passbooks name them
CLASSES = {"cotton-hank-upto-40s": N_("Cotton hank yarn up to 40s"),
           "cotton-hank-above-40s": N_("Cotton hank yarn above 40s"),
           "silk-domestic": N_("Domestic silk"), "wool-below-10s-nm": N_("Wool below 10s NM")}
