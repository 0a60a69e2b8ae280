"""Time weeks, time codes and locked days as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.attest.schemas import AttestView, HistoryEntry, ItemState, PersonRef
from backend.core.schemas import DayHours, Input, Output

Clock = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, Stockholm time")]


class ClockIn(Input):
    """When the work was done; an ``end`` at or before ``start`` means the shift ends the next day."""

    start: Clock
    end: Clock


class RowIn(Input):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    """A time code of the organisation's agreement (see GET /api/time/codes)."""
    hours: Annotated[list[DayHours | None], msgspec.Meta(min_length=7, max_length=7)]
    """Monday to Sunday, in quarter hours (``"7.75"``); null or 0 = nothing that day."""
    project_id: UUID | None = None
    """Any level of the project tree: project, subproject or activity."""
    clock: Annotated[list[ClockIn | None], msgspec.Meta(max_length=7)] = []
    """Optional, Monday to Sunday: clock times, from which unsocial hours (OB) are derived."""
    comment: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    support_code: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    invoice_text: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class WeekIn(Input):
    """The whole week: the rows replace what was there."""

    rows: Annotated[list[RowIn], msgspec.Meta(max_length=60)] = []
    comment: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class ProjectRef(Output):
    id: UUID
    code: str
    name: str
    path: str
    """Codes from the top of the tree, e.g. ``P100 / P100.1 / P100.1.DEV``."""


class ClockView(Output):
    start: str
    end: str


class RowView(Output):
    id: UUID
    code: str
    code_name: str
    kind: Literal["work", "extra", "absence"]
    project: ProjectRef | None
    hours: list[Decimal | None]
    clock: list[ClockView | None]
    total: Decimal
    comment: str | None
    support_code: str | None
    invoice_text: str | None


class ObHours(Output):
    item: str
    """``ob_weekday_evening``, ``ob_night``, ``ob_weekend`` or ``ob_major_holiday``."""
    name: str
    hours: Decimal


class CodeHours(Output):
    code: str
    name: str
    hours: Decimal


class LeaveMark(Output):
    request_id: UUID
    kind: str
    state: ItemState


class DayView(Output):
    date: date
    weekday: int
    """0 = Monday."""
    working_day: bool
    holiday: str | None
    """Public or de facto holiday (Swedish name): no scheduled hours."""
    eve: str | None
    """An eve such as "Trettondagsafton (från kl. 14.00)": shown, counted as a full day."""
    scheduled_hours: Decimal
    total_hours: Decimal
    ordinary_hours: Decimal
    extra_hours: Decimal
    absence_hours: Decimal
    ob: list[ObHours]
    locked: bool
    lock_reason: str | None
    qualifying_day: bool
    """The first day of a sick spell with a karensavdrag (the qualifying deduction)."""
    sick_note: str | None
    leave: list[LeaveMark]


class WeekView(Output):
    week: str
    """ISO week, e.g. ``2026-W48``."""
    week_start: date
    week_end: date
    employee: PersonRef
    state: ItemState
    editable: bool
    expected_hours: Decimal
    """Weekly hours x employment rate over the week's working days."""
    total_hours: Decimal
    difference: Decimal
    """Reported minus expected."""
    by_code: list[CodeHours]
    ob: list[ObHours]
    days: list[DayView]
    rows: list[RowView]
    comment: str | None
    attest: AttestView | None
    history: list[HistoryEntry]


class WeekSummary(Output):
    week: str
    week_start: date
    state: ItemState
    total_hours: Decimal
    expected_hours: Decimal


class CodeView(Output):
    code: str
    kind: Literal["work", "extra", "absence"]
    name: str


class DerivedView(Output):
    item: str
    name: str
    hours: str
    """When it applies, as the agreement states it."""


class CodesView(Output):
    agreement_profile: str
    agreement_name: str
    codes: list[CodeView]
    """What an employee can report."""
    derived: list[DerivedView]
    """Unsocial hours derived from clock times (not reported as rows)."""


class LockIn(Input):
    first_day: date
    last_day: date
    employee_id: UUID | None = None
    """One employee, or everyone when empty."""
    reason: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class LockView(Output):
    id: UUID
    first_day: date
    last_day: date
    employee: PersonRef | None
    reason: str | None
    created_at: datetime
