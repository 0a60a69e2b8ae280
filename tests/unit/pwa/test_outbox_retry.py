"""The web app's outbox backs off by the policy written on the server side (notifications.retry.WEB_OUTBOX).

TypeScript cannot import the Python policy, so the web app names the same three figures in
``OUTBOX_RETRY`` (pwa/src/offline/outbox-core.ts) and ``backoff()`` computes from them; a figure
changed in one place only fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notifications.retry import WEB_OUTBOX, pause_seconds

pytestmark = pytest.mark.clockless

OUTBOX_CORE = Path(__file__).resolve().parents[3] / "pwa" / "src" / "offline" / "outbox-core.ts"


def _source() -> str:
    return OUTBOX_CORE.read_text(encoding="utf-8")


def outbox_retry(source: str) -> dict[str, float]:
    """``export const OUTBOX_RETRY = { baseSeconds: 5, ... }`` as names and numbers."""
    found = re.search(r"export const OUTBOX_RETRY = \{([^}]*)\}", source)
    assert found, "outbox-core.ts no longer exports OUTBOX_RETRY"
    pairs = [part.split(":") for part in found.group(1).split(",") if part.strip()]
    return {name.strip(): float(value.strip().replace("_", "")) for name, value in pairs}


def test_the_outbox_names_the_figures_of_the_web_outbox_policy() -> None:
    assert outbox_retry(_source()) == {
        "baseSeconds": WEB_OUTBOX.base_seconds,
        "factor": WEB_OUTBOX.factor,
        "capSeconds": WEB_OUTBOX.cap_seconds,
    }


def test_the_outbox_never_gives_an_item_up_and_neither_does_the_policy() -> None:
    assert WEB_OUTBOX.max_attempts is None


def test_backoff_computes_from_the_named_figures_only() -> None:
    body = re.search(r"export function backoff\([^)]*\): number \{(.*?)\n\}", _source(), re.DOTALL)
    assert body, "outbox-core.ts no longer exports backoff()"
    assert "OUTBOX_RETRY" in body.group(1)
    assert not re.search(r"\d{2,}", body.group(1).replace("1000 *", "")), "a figure written into backoff()"


def test_the_web_outbox_waits_5_seconds_doubling_up_to_5_minutes() -> None:
    assert [pause_seconds(WEB_OUTBOX, n) for n in range(1, 9)] == [5, 10, 20, 40, 80, 160, 300, 300]


def test_a_changed_figure_is_read_as_changed() -> None:
    assert outbox_retry("export const OUTBOX_RETRY = { baseSeconds: 5, factor: 3, capSeconds: 60_0 } as const;") == {
        "baseSeconds": 5,
        "factor": 3,
        "capSeconds": 600,
    }
