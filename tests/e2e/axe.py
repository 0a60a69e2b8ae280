"""Accessibility checks with axe-core (the npm package in pwa/node_modules), for any page.

from tests.e2e.axe import assert_accessible
assert_accessible(page)                      # serious and critical WCAG 2.1 A/AA findings fail
assert_accessible(page, include="#main")     # only part of the page
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(
    page: Page, include: str | None = None, impacts: tuple[str, ...] = FAILING_IMPACTS
) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now, limited to the given impacts."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run `cd pwa && npm ci`")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the test driver, not added as an inline <script>: the app's CSP rightly refuses those.
        page.evaluate(f"() => {{ {AXE_JS.read_text()}\n }}")
    result: dict[str, Any] = page.evaluate(
        "([context, tags]) => window.axe.run(context ?? document, { runOnly: { type: 'tag', values: tags } })",
        [include, TAGS],
    )
    return [violation for violation in result["violations"] if violation.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({targets})")
        lines.append(f"    {violation['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page: Page, include: str | None = None) -> None:
    violations = axe_violations(page, include)
    assert not violations, "axe-core found accessibility problems:\n" + describe(violations)
