"""The titles attest items carry, in both languages: one home for how each kind of item is named.

The inbox, the archive, notices, payslip lines and the bulk results show an item by its title. The
app writes the titles of time weeks, leave requests and travel claims in Swedish and English; an
expense claim is called what its employee named it (``title_en`` is None: the same in both).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.core.i18n import Language, Text
from backend.domain.money import format_days
from backend.domain.time.weeks import week_label

MAX_TITLE = 200
LEAVE_KINDS = {
    "vacation": Text(sv="Semester", en="Vacation"),
    "parental_leave": Text(sv="Föräldraledighet", en="Parental leave"),
    "unpaid_leave": Text(sv="Tjänstledighet (obetald)", en="Unpaid leave"),
}


def week_title(monday: date) -> Text:
    label = week_label(monday)
    return Text(sv=f"Tidrapport {label}", en=f"Time report {label}")


def leave_title(kind: Text, first: date, last: date, days: Decimal) -> Text:
    """``Semester 2026-12-07–2026-12-18 (10 dagar)``: day counts by ``format_days``."""
    return Text(
        sv=f"{kind.sv} {first}–{last} ({format_days(days, lang='sv')})",
        en=f"{kind.en} {first}–{last} ({format_days(days, lang='en')})",
    )


def trip_title(departure: date, destination: str | None, purpose: str | None) -> Text:
    named = " – ".join(part for part in (destination, purpose) if part)
    return Text(
        sv=f"Resa {departure:%Y-%m-%d}: {named or 'Reseräkning'}"[:MAX_TITLE],
        en=f"Trip {departure:%Y-%m-%d}: {named or 'Travel claim'}"[:MAX_TITLE],
    )


def shown(title: str, title_en: str | None, language: Language | str) -> str:
    """The title a reader of ``language`` sees."""
    return title_en if language == "en" and title_en else title


def both(title: str, title_en: str | None) -> Text:
    """The title in both languages, for texts written for someone whose language is decided later (notices)."""
    return Text(sv=title, en=title_en or title)
