"""Column types shared by every table: exact money and UTC timestamps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import BigInteger, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from backend.core import clock

ORE_PER_KRONA = 100

__all__ = ["DateTimeUTC", "Decimal2", "ExactDecimal", "JsonB", "Money", "utcnow"]


def utcnow() -> datetime:
    """Now by the installed clock (``backend.core.clock``), so fixed-time tests and demos stamp rows consistently."""
    return clock.current().now()


class Decimal2(TypeDecorator[Decimal]):
    """An exact two-decimal number (money, hours, percent) stored as an integer of hundredths.

    SQLite has no exact decimal type, so storing integers keeps amounts exact on every
    database. Values with more than two decimals are refused rather than rounded silently.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        minor = Decimal(value) * ORE_PER_KRONA
        if minor != minor.to_integral_value():
            msg = f"{value} has more than two decimals"
            raise ValueError(msg)
        return int(minor)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / ORE_PER_KRONA).quantize(Decimal("0.01"))


Money = Decimal2
"""Kronor (or another currency's main unit), stored as integer öre/cents."""


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal of any scale stored as its exact text (hours, km, unit prices with three decimals)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
