"""What the accessibility pass checks on a page: axe-core's WCAG 2 A/AA rules (labels, roles, names, contrast) and
our own rule that every control is at least 44 x 44 CSS pixels (issue 18, defect 9)."""
from __future__ import annotations

from functools import cache

MIN_TARGET = 44
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# A link inside running text is exempt (WCAG 2.5.5 "inline"); a checkbox or radio counts with its visible label,
# which clicks it too. Controls scrolled out of a table-wrap still count: they are measured, not hit-tested.
_TARGETS = """min => {
  const inline = el => getComputedStyle(el).display === 'inline' && el.parentElement &&
      el.parentElement.textContent.trim().length > el.textContent.trim().length;
  const box = el => el.getBoundingClientRect();
  const found = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(controls)) {
    const style = getComputedStyle(el);
    let r = box(el);
    if (!r.width || !r.height || style.visibility === 'hidden' || r.right <= 0 || el.closest('[hidden]')) continue;
    if (el.tagName === 'A' && inline(el)) continue;
    if (el.type === 'checkbox' || el.type === 'radio') {
      for (const label of el.labels || []) {
        const l = box(label);
        if (l.width > 1 && l.height > 1) r = {width: Math.max(r.width, l.width), height: Math.max(r.height, l.height)};
      }
    }
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '').trim().slice(0, 40);
      found.push(`${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} "${name}" ` +
                 `${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return found;
}"""


def small_targets(page) -> list[str]:
    """Every visible control smaller than 44 x 44 px, as 'tag "name" WxH'."""
    return page.evaluate(_TARGETS, MIN_TARGET)


@cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


def axe_findings(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the page, one line each: rule, impact and where."""
    results = _axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])}"
                         f" – {node.get('failureSummary', '').splitlines()[-1].strip()}")
    return found
