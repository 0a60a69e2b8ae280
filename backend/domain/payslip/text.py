"""Number and month formatting for payslip texts and explanations (Swedish and English).

Explanations show the figures the way a person checks them on paper:
``42 000 kr × 12 / 52 × 0,2 × 0,8 = 1 550,77 kr``. Whole kronor are shown
without öre.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from backend.domain.money import format_number, format_percent, format_sek, round_ore

MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def kr(value: Decimal | Fraction | int, lang: str) -> str:
    """``42 000 kr`` / ``1 550,77 kr`` (sv), ``42,000 kr`` / ``1,550.77 kr`` (en)."""
    amount = round_ore(value)
    if amount == amount.to_integral_value():
        text = f"{int(amount):,}"
        return f"{text.replace(',', ' ') if lang == 'sv' else text} kr"
    return format_sek(amount, lang=lang)


def num(value: Decimal | Fraction | int, lang: str) -> str:
    """A plain number without trailing zeros: ``0,2`` (sv) / ``0.2`` (en)."""
    return format_number(value, lang=lang)


def pct(share: Decimal, lang: str) -> str:
    return format_percent(share, lang=lang)


def month_name(year: int, month: int, lang: str) -> str:
    """``mars 2026`` / ``March 2026``."""
    return f"{(MONTHS_SV if lang == 'sv' else MONTHS_EN)[month - 1]} {year}"


MONTHS_SHORT_SV = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")


def short_month(month: int, lang: str) -> str:
    """``okt`` / ``Oct``: the month beside a day ("1 okt"), as payslips and claim titles write it."""
    return MONTHS_SHORT_SV[month - 1] if lang == "sv" else MONTHS_EN[month - 1][:3]


def month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def hours_unit(lang: str) -> str:
    return "tim" if lang == "sv" else "h"


def days_unit(count: Decimal | int, lang: str) -> str:
    one = count == 1
    if lang == "sv":
        return "dag" if one else "dagar"
    return "day" if one else "days"
