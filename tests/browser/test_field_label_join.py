"""A refusal under a field is said as "<label>: <what is wrong>" (shared/static/rawbank.js, labelOf and fieldError):
a label that ends in a colon or a question mark, or in a parenthesis and a colon ("Your note to the member (why):"),
is said once-colon, without the parenthesis or the question mark, in English and Hindi. The function itself runs,
in the browser the pages run in (a machine with no node runs it too: a skip there tested nothing)."""
from __future__ import annotations

import re
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "shared" / "static" / "rawbank.js"
LABELS = {
    "Your note to the member (why):": "Your note to the member",
    "सदस्य के लिए आपकी टिप्पणी (क्यों):": "सदस्य के लिए आपकी टिप्पणी",
    "Reason": "Reason",
    "Reference (optional)": "Reference",
    "Quantity received:": "Quantity received",
    "  Why it came back\n (the artisan sees this) ": "Why it came back",
    "Price (₹ per kg) :": "Price",
    # a label that asks ("How much did you receive (kg)?") was said "… (kg)?: write a number"
    "How much did you receive (kg)?": "How much did you receive",
    "आपको कितना मिला (किलो)?": "आपको कितना मिला",
}


def test_a_field_is_named_once_colon_whatever_its_label_ends_in(browser):
    source = SCRIPT.read_text(encoding="utf-8")
    found = re.search(r"^  function labelOf\(field\) \{.*?^  \}$", source, re.S | re.M)
    assert found, "labelOf is no longer in rawbank.js"
    page = browser.new_page()
    try:
        said = page.evaluate("""([source, labels]) => {
          const labelOf = new Function(source + "; return labelOf;")();
          return labels.map(text => labelOf({labels: [{textContent: text}], getAttribute: () => null}) +
                                    ": fill this in.");
        }""", [found.group(0), list(LABELS)])
    finally:
        page.close()
    assert said == [f"{name}: fill this in." for name in LABELS.values()]
