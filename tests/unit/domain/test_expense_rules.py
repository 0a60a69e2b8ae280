"""Expense rules with plain values: completeness, VAT, representation, wellness, duplicates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.domain.expenses import (
    ExpenseFacts,
    Filed,
    Participant,
    VatRow,
    WellnessStatus,
    amount_in_sek,
    duplicate_reason,
    submission_problems,
    wellness_warning,
)

TODAY = date(2026, 11, 23)


def complete(**changes: object) -> ExpenseFacts:
    values: dict[str, object] = {
        "expense_date": date(2026, 11, 20),
        "merchant": "Prinsen",
        "amount": Decimal("245.00"),
        "currency": "SEK",
        "exchange_rate": None,
        "category": "meal",
        "payment": "private",
        "has_receipt": True,
    }
    values.update(changes)
    return ExpenseFacts(**values)  # type: ignore[arg-type]


def codes(facts: ExpenseFacts) -> set[tuple[str, str]]:
    return {(v.field, v.code) for v in submission_problems(facts, TODAY)}


def test_a_complete_expense_has_no_problems() -> None:
    assert codes(complete()) == set()


def test_every_missing_field_is_reported_at_once() -> None:
    facts = complete(expense_date=None, merchant=None, amount=None, category=None, has_receipt=False)

    assert codes(facts) == {
        ("expense_date", "required"),
        ("merchant", "required"),
        ("amount", "required"),
        ("category", "required"),
        ("receipt", "receipt_missing"),
    }


def test_a_missing_receipt_is_fine_when_the_comment_explains_it() -> None:
    assert codes(complete(has_receipt=False, comment="Kvittot blev kvar i taxin")) == set()


def test_foreign_currency_needs_a_rate_and_is_converted_half_up() -> None:
    assert ("exchange_rate", "required") in codes(complete(currency="EUR"))
    assert amount_in_sek(Decimal("19.99"), "EUR", Decimal("11.0245")) == Decimal("220.38")
    assert amount_in_sek(Decimal("10.005"), "SEK", None) == Decimal("10.01")
    assert amount_in_sek(Decimal("5"), "USD", None) is None


def test_vat_rates_are_swedish_and_never_above_the_amount() -> None:
    facts = complete(vat=(VatRow(Decimal(7), Decimal("1.00")), VatRow(Decimal(25), Decimal("300.00"))))

    assert codes(facts) == {("vat.0.rate", "unknown_vat_rate"), ("vat", "vat_exceeds_amount")}


def test_representation_needs_participants_with_companies_and_a_purpose() -> None:
    facts = complete(category="representation", participants=(Participant("Eva Ek", ""),))

    assert codes(facts) == {("participants.0.company", "required"), ("purpose", "required")}


def test_an_invalid_org_number_is_caught_by_its_check_digit() -> None:
    assert ("org_number", "invalid_org_number") in codes(complete(org_number="556677-8890"))
    assert codes(complete(org_number="556677-8899")) == set()


def test_old_and_future_dates_are_refused() -> None:
    assert ("expense_date", "too_old") in codes(complete(expense_date=date(2025, 10, 1)))
    assert ("expense_date", "date_in_future") in codes(complete(expense_date=date(2026, 11, 24)))


def test_wellness_over_the_cap_warns_that_the_whole_year_becomes_taxable() -> None:
    within = WellnessStatus(2026, Decimal(5000), Decimal(5000))
    over = WellnessStatus(2026, Decimal(5000), Decimal("5000.01"))

    assert wellness_warning(within) is None
    warning = wellness_warning(over)
    assert warning is not None
    assert "whole year" in warning.message.en
    assert over.remaining == 0


def test_duplicates_by_image_purchase_and_recurrence() -> None:
    base = Filed("ICA Nära", date(2026, 11, 1), Decimal("100.00"), "556677-8899", "ffffffff00000000")

    assert duplicate_reason(Filed(None, None, None, None, "ffffffff00000001"), base) == "same_image"
    assert (
        duplicate_reason(Filed("ica nara", date(2026, 11, 1), Decimal("100.00"), None, None), base) == "same_purchase"
    )
    assert (
        duplicate_reason(Filed("Annan", date(2026, 11, 25), Decimal("100.00"), "556677-8899", None), base)
        == "recurring"
    )
    assert duplicate_reason(Filed("Annan", date(2027, 1, 25), Decimal("100.00"), "556677-8899", None), base) is None
    assert (
        duplicate_reason(Filed("ICA Nära", date(2026, 11, 1), Decimal("100.01"), None, "0000000000000000"), base)
        is None
    )
