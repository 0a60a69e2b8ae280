"""Exact money arithmetic shared by the rules.

Amounts are ``Decimal``; intermediate results that need exact division are
``Fraction``. Floats are refused: a float cannot hold 0.1 exactly, so it would
make payslips disagree by an öre with the official figures.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from backend.domain.errors import InvalidValue
from backend.domain.text import Text

ORE = Decimal("0.01")
_WIDE = Context(prec=60)

Number = Decimal | int | Fraction


def to_fraction(value: Number) -> Fraction:
    """Exact conversion; ``Decimal`` -> ``Fraction`` loses nothing."""
    kind = type(value)
    if kind is Fraction:
        return value  # type: ignore[return-value]
    if kind is int:
        return Fraction(value)
    if kind is Decimal and value.is_finite():  # type: ignore[union-attr]
        # Two ints take Fraction's fast path; Fraction(Decimal) goes through slow ABC checks.
        return Fraction(*value.as_integer_ratio())
    if isinstance(value, bool) or not isinstance(value, Decimal | int | Fraction):
        raise InvalidValue(
            Text(
                sv=f"Ett exakt tal (Decimal eller heltal) krävs, fick {type(value).__name__}.",
                en=f"Expected an exact number (Decimal or int), got {type(value).__name__}.",
            ),
            code="value.not_exact",
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidValue(
            Text(sv="Beloppet måste vara ändligt.", en="Amount must be finite."), code="value.not_finite"
        )
    return Fraction(value)


def as_decimal(value: Number, *, field: str | None = None) -> Decimal:
    """Validate an incoming amount and return it as ``Decimal`` (Fractions must be exact decimals)."""
    if type(value) is Decimal and value.is_finite():
        return value
    if isinstance(value, Decimal):
        to_fraction(value)  # refuses what is not finite, with the same message
        return value
    frac = to_fraction(value)
    if isinstance(value, int):
        return Decimal(value)
    # A Fraction is only accepted when it has a finite decimal expansion.
    den = frac.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        raise InvalidValue(
            Text(
                sv=f"{frac} saknar exakt decimalform; avrunda först.",
                en=f"{frac} has no exact decimal form; round it first.",
            ),
            field=field,
            code="value.not_exact",
        )
    return Decimal(frac.numerator) / Decimal(frac.denominator)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """Round to ``places`` decimals, an exact half away from zero (the usual Swedish payroll rounding)."""
    if type(value) is Decimal and value.is_finite():
        # quantize rounds the exact decimal value once: the same result as the Fraction path, faster.
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)
    frac = to_fraction(value)
    # floor(|n/d| * scale + 1/2) in integers: Fraction arithmetic would build a Fraction per step.
    numerator, denominator = frac.numerator, frac.denominator
    units = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)
    if numerator < 0:
        units = -units
    return Decimal(units).scaleb(-places)


def round_ore(value: Number) -> Decimal:
    """Round half up to whole öre."""
    return round_half_up(value, 2)


def floor_krona(value: Number) -> Decimal:
    """Round down to whole kronor."""
    return Decimal(math.floor(to_fraction(value)))


def format_sek(value: Decimal, *, lang: str) -> str:
    """Format an amount for explanations: ``1,107.69 kr`` (en) or ``1 107,69 kr`` (sv)."""
    quantized = round_ore(value)
    text = f"{quantized:,.2f}"
    if lang == "sv":
        text = text.replace(",", " ").replace(".", ",")
    return f"{text} kr"


def format_number(value: Decimal | Fraction | int, *, lang: str) -> str:
    """Format a plain number (km, mil, percentages) without trailing zeros."""
    dec = value if isinstance(value, Decimal) else as_decimal(value)
    text = format(dec.normalize(), "f") if dec != dec.to_integral() else str(int(dec))
    return text.replace(".", ",") if lang == "sv" else text


def format_days(days: Decimal | int, *, lang: str) -> str:
    """A count of days as people write it: ``10 dagar``, ``1 dag``, ``0,5 dag``; ``10 days``, ``1 day``, ``0.5 days``.

    The one rule for day counts in texts (titles, notices, explanations): ``Decimal.normalize`` alone
    writes ten as ``1E+1``."""
    number = format_number(Decimal(days), lang=lang)
    if lang == "sv":
        return f"{number} {'dag' if Decimal(days) <= 1 else 'dagar'}"
    return f"{number} {'day' if Decimal(days) == 1 else 'days'}"


def format_percent(share: Decimal, *, lang: str) -> str:
    """``Decimal('0.3142')`` -> ``31.42 %`` (en) / ``31,42 %`` (sv)."""
    return f"{format_number(share * 100, lang=lang)} %"
