"""Titles of expense claims that people can tell apart in a list and in the manager's inbox.

"Utlägg december 2026" on every claim says nothing; "Espresso House 4 dec" or "Resa till
Göteborg 16–18 nov" does. Plain values in, a title in Swedish and English out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from backend.domain.payslip.text import short_month
from backend.domain.text import Text

MAX_MERCHANTS = 2
"""More merchants than this and the title names the first ones and says there are more."""
MAX_LENGTH = 200
"""The claim title column's length."""


@dataclass(frozen=True)
class TitledExpense:
    merchant: str | None
    expense_date: date | None


def _day(day: date, language: str, with_year: bool) -> str:
    return f"{day.day} {short_month(day.month, language)}" + (f" {day.year}" if with_year else "")


def date_span(first: date, last: date, language: str, today: date) -> str:
    """ "4 dec", "4–6 dec", "28 nov–3 dec", "28 dec 2025–3 jan 2026"; the year only when it is not this year's."""
    with_year = first.year != today.year or last.year != today.year
    if first == last:
        return _day(first, language, with_year)
    if first.year == last.year and first.month == last.month:
        return f"{first.day}–{_day(last, language, with_year)}"
    return f"{_day(first, language, with_year and first.year != last.year)}–{_day(last, language, with_year)}"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _merchants(expenses: Sequence[TitledExpense]) -> list[str]:
    """Distinct merchants, in date order, as first written."""
    seen: dict[str, str] = {}
    for expense in sorted(expenses, key=lambda e: e.expense_date or date.max):
        name = " ".join((expense.merchant or "").split())
        if name and _fold(name) not in seen:
            seen[_fold(name)] = name
    return list(seen.values())


def claim_title(expenses: Sequence[TitledExpense], today: date, trip: str | None = None) -> Text:
    """The title a claim gets when the employee has not written one.

    One expense: "<merchant> <date>". Several: the trip's destination when they all fall within
    one trip (``trip``), else the merchants (at most two named) and the date range.
    """
    days = sorted(e.expense_date for e in expenses if e.expense_date is not None)
    span_sv = date_span(days[0], days[-1], "sv", today) if days else ""
    span_en = date_span(days[0], days[-1], "en", today) if days else ""
    merchants = _merchants(expenses)
    if trip and trip.strip() and len(expenses) > 1:
        where_sv, where_en = f"Resa till {trip.strip()}", f"Trip to {trip.strip()}"
    elif not merchants:
        count = len(expenses)
        where_sv = "Utlägg" if count <= 1 else f"{count} utlägg"
        where_en = "Expense" if count <= 1 else f"{count} expenses"
    elif len(merchants) <= MAX_MERCHANTS:
        where_sv = " och ".join(merchants)
        where_en = " and ".join(merchants)
    else:
        named = ", ".join(merchants[:MAX_MERCHANTS])
        more = len(merchants) - MAX_MERCHANTS
        where_sv = f"{named} m.fl."
        where_en = f"{named} and {more} more"
    return Text(sv=_join(where_sv, span_sv), en=_join(where_en, span_en))


def _join(where: str, span: str) -> str:
    title = f"{where} {span}".strip()
    if len(title) <= MAX_LENGTH:
        return title
    room = MAX_LENGTH - len(span) - 2
    return f"{where[:room].rstrip()}… {span}".strip()
