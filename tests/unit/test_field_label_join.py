"""A refusal under a field is said as "<label>: <what is wrong>" (shared/static/rawbank.js, labelOf and fieldError):
a label that ends in a colon, or in a parenthesis and a colon ("Your note to the member (why):"), is said once-colon,
without the parenthesis, in English and Hindi."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "shared" / "static" / "rawbank.js"
LABELS = {
    "Your note to the member (why):": "Your note to the member",
    "सदस्य के लिए आपकी टिप्पणी (क्यों):": "सदस्य के लिए आपकी टिप्पणी",
    "Reason": "Reason",
    "Reference (optional)": "Reference",
    "Quantity received:": "Quantity received",
    "  Why it came back\n (the artisan sees this) ": "Why it came back",
    "Price (₹ per kg) :": "Price",
}


@pytest.mark.skipif(not shutil.which("node"), reason="no node to run the page's script")
def test_a_field_is_named_once_colon_whatever_its_label_ends_in():
    source = SCRIPT.read_text(encoding="utf-8")
    found = re.search(r"^  function labelOf\(field\) \{.*?^  \}$", source, re.S | re.M)
    assert found, "labelOf is no longer in rawbank.js"
    program = found.group(0) + f"""
var labels = {json.dumps(list(LABELS))};
console.log(JSON.stringify(labels.map(function (text) {{
  return labelOf({{labels: [{{textContent: text}}], getAttribute: function () {{ return null; }}}}) + ": fill this in.";
}})));"""
    said = json.loads(subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True,
                                     timeout=30).stdout)
    assert said == [f"{name}: fill this in." for name in LABELS.values()]
