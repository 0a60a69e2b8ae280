"""Payroll's overview a page at a time: the computed rows are kept briefly, so paging and sorting do not recompute.

An organisation of 100,000 employees takes seconds to compute; its rows (compact ``Entry`` tuples, money in
öre) are kept in this process under a snapshot id for ``KEEP_SECONDS``. A request without that id always
computes afresh (the overview shows what is true now); a request with it (the next page, another sort)
reads the kept rows, or computes afresh when they are gone (another API process, or too old) and says so
with a new id.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Final, Literal
from uuid import UUID

from backend.core.i18n import Language
from backend.payslips.compute import Entry, kronor
from backend.payslips.schemas import Overview, OverviewRow, WarningView

Sort = Literal["warnings", "name", "gross", "tax", "net", "pending"]
Direction = Literal["ascending", "descending"]

KEEP_SECONDS: Final = 600.0
KEPT: Final = 4
"""Overviews kept per process (each 100,000 rows is about 40 MB)."""

_NUMBERS: dict[str, Callable[[Entry], int]] = {
    "warnings": lambda e: len(e.warnings),
    "gross": attrgetter("gross"),
    "tax": attrgetter("tax"),
    "net": attrgetter("net"),
    "pending": attrgetter("pending_items"),
}


@dataclass
class Computed:
    """One computed (or paid) overview: its totals and every row, in the order they came."""

    organisation_id: UUID
    period: str
    pay_date: date
    cut_off: date
    finalised: bool
    entries: list[Entry]
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    snapshot: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    kept_at: float = field(default_factory=time.monotonic)
    _orders: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    _totals: tuple[int, int, int, int, int, int] | None = None

    def totals(self) -> tuple[int, int, int, int, int, int]:
        """Gross, tax, net, contributions (öre), pending items, rows with warnings."""
        if self._totals is None:
            gross = tax = net = contributions = pending = warned = 0
            for e in self.entries:
                gross += e.gross
                tax += e.tax
                net += e.net
                contributions += e.contributions
                pending += e.pending_items
                warned += bool(e.warnings)
            self._totals = (gross, tax, net, contributions, pending, warned)
        return self._totals

    def ordered(self, sort: Sort, direction: Direction) -> list[Entry]:
        """Rows by ``sort`` (ties by name, then id, so pages never overlap), kept per order asked for.

        The name order is sorted once (by ``Entry.order``, one string per row); the others are stable
        sorts of it by their number alone, so ties keep the name order (``reverse`` keeps it too).
        """
        if (sort, direction) not in self._orders:
            if ("name", "ascending") not in self._orders:
                self._orders[("name", "ascending")] = sorted(self.entries, key=attrgetter("order"))
            by_name = self._orders[("name", "ascending")]
            if sort == "name":
                rows = by_name if direction == "ascending" else by_name[::-1]
            else:
                rows = sorted(by_name, key=_NUMBERS[sort], reverse=direction == "descending")
            self._orders[(sort, direction)] = rows
        return self._orders[(sort, direction)]

    def page(self, language: Language, sort: Sort, direction: Direction, offset: int, limit: int) -> Overview:
        gross, tax, net, contributions, pending, warned = self.totals()
        rows = self.ordered(sort, direction)[offset : offset + limit]
        en = language == "en"
        return Overview(
            warnings=[WarningView(code=code, message=en_text if en else sv) for code, sv, en_text in self.warnings],
            period=self.period,
            pay_date=self.pay_date,
            cut_off=self.cut_off,
            employees=len(self.entries),
            gross_pay=kronor(gross),
            tax=kronor(tax),
            net_pay=kronor(net),
            employer_contributions=kronor(contributions),
            pending_items=pending,
            with_warnings=warned,
            rows=[_row(e, en) for e in rows],
            finalised=self.finalised,
            offset=offset,
            limit=limit,
            sort=sort,
            direction=direction,
            snapshot=self.snapshot,
        )


def _row(e: Entry, en: bool) -> OverviewRow:
    return OverviewRow(
        employee_id=e.employee_id,
        employee_name=e.name,
        employee_number=e.number,
        gross_pay=kronor(e.gross),
        tax=kronor(e.tax),
        net_pay=kronor(e.net),
        employer_contributions=kronor(e.contributions),
        pending_items=e.pending_items,
        pending_amount=kronor(e.pending),
        warnings=[WarningView(code=code, message=en_text if en else sv) for code, sv, en_text in e.warnings],
    )


class Kept:
    """The overviews this process computed lately, by snapshot id (oldest dropped first)."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, Computed] = OrderedDict()

    def get(self, snapshot: str | None, organisation_id: UUID, period: str) -> Computed | None:
        self._expire()
        found = self._kept.get(snapshot) if snapshot else None
        if found is None or found.organisation_id != organisation_id or found.period != period:
            return None
        return found

    def keep(self, computed: Computed) -> None:
        self._kept[computed.snapshot] = computed
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)

    def _expire(self) -> None:
        now = time.monotonic()  # a cache's age, not a date rule
        for snapshot in [s for s, c in self._kept.items() if now - c.kept_at > KEEP_SECONDS]:
            del self._kept[snapshot]


KEPT_OVERVIEWS = Kept()
"""Per process: each API process keeps what it computed."""
