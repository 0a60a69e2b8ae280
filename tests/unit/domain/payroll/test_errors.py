"""Payroll inputs: exact decimals, never negative, with plain values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from backend.domain.errors import InvalidValue
from backend.domain.payroll.errors import NegativeAmount, non_negative


def test_a_payroll_input_is_an_exact_decimal_and_never_negative() -> None:
    assert non_negative(7, "hours") == Decimal(7)
    assert non_negative(Fraction(1, 4), "hours") == Decimal("0.25")
    with pytest.raises(NegativeAmount) as negative:
        non_negative(Decimal("-0.01"), "gross_pay")
    assert (negative.value.code, negative.value.field) == ("payroll.negative_amount", "gross_pay")
    with pytest.raises(InvalidValue):
        non_negative(Fraction(1, 3), "hours")
