"""Fixtures for the domain specifications: the official files in ../shared/payroll (read, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.domain.payroll.tax import TaxTable, parse_table_file

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED_PAYROLL = REPO_ROOT.parent / "shared" / "payroll"
OFFICIAL_TABLE_2026 = SHARED_PAYROLL / "skatteverket-allmanna-tabeller-manad-2026.txt"


def shared_text(name: str) -> str:
    path = SHARED_PAYROLL / name
    if not path.is_file():
        pytest.skip(f"shared test data {path} is absent (it lives beside the repo in ../shared/payroll)")
    return path.read_text(encoding="utf-8-sig")


@pytest.fixture(scope="session")
def official_table_text() -> str:
    return shared_text(OFFICIAL_TABLE_2026.name)


@pytest.fixture(scope="session")
def official_table(official_table_text: str) -> TaxTable:
    return parse_table_file(official_table_text, year=2026)
