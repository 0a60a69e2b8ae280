"""The web app draws its icons as SVG (components/Icon.tsx), never as emoji or dingbats.

A lock written as an emoji shows as an empty box on a phone without an emoji font; an SVG in the
bundle shows everywhere, in the text's colour.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.clockless

SOURCE = Path(__file__).resolve().parents[3] / "pwa" / "src"
PICTOGRAPHS = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f]")
"""Miscellaneous symbols and dingbats (⚠ ✓ ✕), arrows-and-stars symbols, emoji, and the emoji selector."""


def test_no_source_file_of_the_web_app_writes_an_emoji_or_a_dingbat() -> None:
    found = [
        f"{path.relative_to(SOURCE)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*.ts*"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PICTOGRAPHS.search(line)
    ]
    assert found == []


def test_the_icons_are_svg_paths_in_the_bundle() -> None:
    icons = (SOURCE / "components" / "Icon.tsx").read_text(encoding="utf-8")
    for name in ("lock", "warning", "check", "cross"):
        assert re.search(rf"\b{name}: '[Mm]", icons), name
    assert "<svg" in icons
