"""Which tax table a payslip uses, and a pay date in a year whose figures are not loaded yet."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib import resources

import pytest

from backend.domain.rates import use_loaded_years
from tests.unit.domain.payslip.builders import D, employee, monthly, period, slip


@pytest.fixture(autouse=True)
def only_shipped_years() -> Iterator[None]:
    use_loaded_years({})
    yield
    use_loaded_years({})


def test_without_an_imported_file_the_payslip_uses_the_shipped_official_table() -> None:
    payslip = slip(employee(monthly(42_000), table=32))

    assert payslip.tax == D(8_791)
    assert "Skatteverkets tabellfil" in payslip.tax_basis.explanation_sv
    assert "tax_table_file_missing" not in payslip.warning_codes
    assert "rates_year_not_loaded" not in payslip.warning_codes


def test_above_80000_the_shipped_table_s_percentage_applies() -> None:
    # Table 42 column 1, 307,401-311,800 kr: 56 % (the computed rules agree since they reproduce the file).
    payslip = slip(employee(monthly(311_800), table=42))

    assert payslip.tax == D(174_608)


def test_a_pay_date_in_2027_is_computed_with_2026_figures_and_says_so() -> None:
    payslip = slip(employee(monthly(42_000), table=32), period(2027, 1))

    assert payslip.tax == D(8_791)
    assert payslip.year_to_date.year == 2027
    warning = next(w for w in payslip.warnings if w.code == "rates_year_not_loaded")
    assert warning.message.sv == "Beräknad med 2026 års belopp; 2027 års belopp är inte inlästa."
    assert warning.message.en == "Computed with the 2026 figures; the 2027 figures are not loaded yet."


def test_a_loaded_year_without_a_table_file_is_taxed_by_the_computed_rules_with_a_warning() -> None:
    text = (
        resources.files("backend.domain.rates")
        .joinpath("se-2026.toml")
        .read_text(encoding="utf-8")
        .replace("year = 2026", "year = 2027", 1)
    )
    use_loaded_years({2027: (hashlib.sha256(text.encode()).hexdigest(), text)})

    payslip = slip(employee(monthly(42_000), table=32), period(2027, 1))

    assert payslip.tax == D(8_791)  # the same rules as 2026, computed
    assert "rates_year_not_loaded" not in payslip.warning_codes
    assert "tax_table_file_missing" in payslip.warning_codes
    assert "beräknad enligt Skatteverkets regler" in payslip.tax_basis.explanation_sv
