"""Handlers get their services as named dependencies; only the providers build them (docs/conventions.md)."""

from __future__ import annotations

import ast
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[3] / "backend"
SERVICES = ("Service", "AttestInbox")


def _built_in_handlers(path: Path) -> list[str]:
    """``Service(...)`` calls inside controller methods (the handlers), as ``file:line``."""
    found = []
    for cls in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(cls, ast.ClassDef):
            continue
        for node in ast.walk(cls):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.endswith(SERVICES):
                found.append(f"{path.relative_to(BACKEND.parent)}:{node.lineno} {node.func.id}")
    return found


def test_no_handler_constructs_its_service() -> None:
    built = [hit for path in sorted(BACKEND.glob("*/controllers.py")) for hit in _built_in_handlers(path)]
    assert built == []
