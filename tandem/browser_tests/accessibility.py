"""Accessibility checks with axe-core (from npm, pinned in package-lock.json).

``assert_accessible(page)`` injects ``node_modules/axe-core/axe.min.js`` into the page,
runs the WCAG 2.0/2.1 A and AA rules and fails listing every serious or critical
violation: the rule, what it asks for and the elements that break it.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    }));
}"""


def axe_violations(page: Page) -> list[dict]:
    """Every WCAG 2.x A/AA violation axe-core finds on the page as it is now."""
    if not AXE.exists():
        pytest.fail(
            f"{AXE} is missing. Run `make axe-core` (npm ci; needs Node.js and npm)",
            pytrace=False,
        )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as an inline <script>: the
        # pages' Content-Security-Policy (script-src 'self') refuses inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page: Page, *, name: str = "") -> None:
    """Fail when axe-core finds a serious or critical WCAG 2.x A/AA violation on the page."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    if blocking:
        where = name or page.url
        pytest.fail(
            f"axe-core: {len(blocking)} serious or critical violation(s) on {where}:\n"
            + describe(blocking),
            pytrace=False,
        )
