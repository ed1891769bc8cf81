"""axe-core in headless Chromium: no serious or critical WCAG 2.2 AA violation, in English and Arabic."""

import json

import pytest

from tests.a11y.pages import page_in
from tests.a11y.site import PAGE_NAMES
from tests.a11y.tools import AXE, npm_tool

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}  # fmt: skip


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_serious_or_critical_violations(a11y_site, a11y_browser, name, language):
    axe = npm_tool(AXE)
    with page_in(a11y_browser, a11y_site, name, language, bypass_csp=True) as page:
        page.add_script_tag(path=str(axe))
        violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    print(f"\naxe on {name} ({language}): {len(violations)} violation(s)\n{describe(violations)}")
    blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not blocking, describe(blocking) + "\n" + json.dumps([v["id"] for v in violations])
