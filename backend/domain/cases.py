"""Error reports (felanmälan): the case's state machine, its due date and what a report must say.

    new --payroll starts--> in_progress --payroll answers--> answered --payroll closes--> closed
     |                          ^                               |                           |
     +--- payroll answers ------|-------------------------------+                           |
                                +---- the reporter replies -----+                           |
                                +---------------------- payroll reopens --------------------+

Payroll may close a case from any open state. A message from payroll answers the case; a
reply from the reporter to an answered case puts it back in progress. Pure: plain values in
and out, every refusal a bilingual ``DomainError`` naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from backend.domain.calendar import working_days_after
from backend.domain.errors import DomainError
from backend.domain.text import Text

MAX_TEXT = 4000
"""A message: enough for a careful description, short enough to read."""
MAX_LINE_KEY = 60
MAX_LINE_TEXT = 200
DUE_WORKING_DAYS = 3
"""Payroll answers an error report within three working days (Swedish holidays excluded)."""
MAX_DUE_DAYS = 366
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
"""Control and bidirectional-override characters; tab, newline and carriage return are text."""
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class CaseStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"


class SubjectKind(StrEnum):
    PAYSLIP_LINE = "payslip_line"
    ITEM = "item"
    EXPORT_ROW = "export_row"
    OTHER = "other"


SWEDISH_STATUS = {"new": "ny", "in_progress": "under arbete", "answered": "besvarad", "closed": "stängd"}
ENGLISH_STATUS = {"new": "new", "in_progress": "in progress", "answered": "answered", "closed": "closed"}

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.ANSWERED, CaseStatus.CLOSED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.ANSWERED, CaseStatus.CLOSED}),
    CaseStatus.ANSWERED: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.IN_PROGRESS}),
}
OPEN = frozenset({CaseStatus.NEW, CaseStatus.IN_PROGRESS})
"""Waiting for payroll: these can be overdue."""


class CaseError(DomainError):
    code = "case.invalid"


class TransitionNotAllowed(CaseError):
    code = "case.transition_not_allowed"
    category = "conflict"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            Text(
                sv=f"Ett ärende som är {SWEDISH_STATUS.get(current, current)} kan inte bli "
                f"{SWEDISH_STATUS.get(target, target)}.",
                en=f"A case that is {ENGLISH_STATUS.get(current, current)} cannot become "
                f"{ENGLISH_STATUS.get(target, target)}.",
            ),
            field="status",
        )


class CaseClosed(CaseError):
    code = "case.closed"
    category = "conflict"

    def __init__(self) -> None:
        super().__init__(
            Text(
                sv="Ärendet är stängt. Gör en ny felanmälan, eller be lön öppna det igen.",
                en="The case is closed. Report a new error, or ask payroll to reopen it.",
            ),
            field="status",
        )


class NotAnItemCase(CaseError):
    code = "case.not_an_item"
    category = "conflict"

    def __init__(self) -> None:
        super().__init__(
            Text(
                sv="Bara ett ärende om en post (utlägg, reseräkning, tidrapport, ledighet) kan skicka tillbaka posten.",
                en="Only a case about an item (claim, time week, leave request) can send the item back.",
            ),
            field="subject_kind",
        )


def clean_text(text: str | None, field: str = "text", *, max_length: int = MAX_TEXT, required: bool = True) -> str:
    """The text as stored: trimmed, not empty, not too long, no control characters."""
    value = (text or "").strip()
    if not value:
        if not required:
            return ""
        raise CaseError(
            Text(sv="Skriv vad som är fel.", en="Write what is wrong."), field=field, code="case.text_required"
        )
    if len(value) > max_length:
        raise CaseError(
            Text(
                sv=f"Högst {max_length} tecken ({len(value)} angivna).",
                en=f"At most {max_length} characters ({len(value)} given).",
            ),
            field=field,
            code="case.text_too_long",
        )
    if _CONTROL.search(value):
        raise CaseError(
            Text(
                sv="Texten innehåller styrtecken; ta bort dem.", en="The text contains control characters; remove them."
            ),
            field=field,
            code="case.control_characters",
        )
    return value


@dataclass(frozen=True)
class Subject:
    """What the report is about, checked: the references that kind needs and only those."""

    kind: SubjectKind
    payslip_period: str | None = None
    pay_run_id: UUID | None = None
    line_key: str | None = None
    line_text: str | None = None
    item_id: UUID | None = None
    export_batch_id: UUID | None = None
    export_row: int | None = None
    item_subject_id: UUID | None = None
    """The claim, week or request the item is for: the employee's own pages know this id, not the item's."""


def _missing(field: str) -> CaseError:
    return CaseError(
        Text(sv=f"{field} behövs för den här sortens felanmälan.", en=f"{field} is needed for this kind of report."),
        field=field,
        code="case.reference_required",
    )


def check_subject(subject: Subject) -> Subject:
    """The references the kind needs are given and well formed; the others are dropped."""
    kind = subject.kind
    if kind == SubjectKind.PAYSLIP_LINE:
        if not subject.payslip_period:
            raise _missing("payslip_period")
        if not _PERIOD.match(subject.payslip_period):
            raise CaseError(
                Text(sv="Ange lönespecifikationens period som ÅÅÅÅ-MM.", en="Give the payslip's period as YYYY-MM."),
                field="payslip_period",
                code="case.invalid_period",
            )
        key = clean_text(subject.line_key, "line_key", max_length=MAX_LINE_KEY)
        text = clean_text(subject.line_text, "line_text", max_length=MAX_LINE_TEXT, required=False) or None
        return Subject(kind, subject.payslip_period, subject.pay_run_id, key, text)
    if kind == SubjectKind.ITEM:
        if subject.item_id is None and subject.item_subject_id is None:
            raise _missing("item_id")
        return Subject(
            kind, item_id=subject.item_id, item_subject_id=None if subject.item_id else subject.item_subject_id
        )
    if kind == SubjectKind.EXPORT_ROW:
        if subject.export_batch_id is None:
            raise _missing("export_batch_id")
        if subject.export_row is None:
            raise _missing("export_row")
        if not 1 <= subject.export_row <= 10_000_000:
            raise CaseError(
                Text(sv="Raderna numreras från 1.", en="Rows are numbered from 1."),
                field="export_row",
                code="case.invalid_row",
            )
        return Subject(kind, export_batch_id=subject.export_batch_id, export_row=subject.export_row)
    return Subject(SubjectKind.OTHER)


def due_date(reported_on: date, working_days: int = DUE_WORKING_DAYS) -> date:
    """``working_days`` working days after the report (a report on Friday is due on Wednesday)."""
    return working_days_after(reported_on, working_days)


def check_due_date(due: date, today: date) -> date:
    """Payroll may move the due date, but not into the past nor more than a year ahead."""
    if due < today:
        raise CaseError(
            Text(sv="Svarsdatum kan inte ligga bakåt i tiden.", en="The due date cannot be in the past."),
            field="due_date",
            code="case.due_in_past",
        )
    if due > today + timedelta(days=MAX_DUE_DAYS):
        raise CaseError(
            Text(sv="Svarsdatum kan ligga högst ett år fram.", en="The due date can be at most a year ahead."),
            field="due_date",
            code="case.due_too_far",
        )
    return due


def overdue(status: CaseStatus, due: date, today: date) -> bool:
    """Still waiting for payroll after its due date."""
    return status in OPEN and today > due


def check_transition(current: CaseStatus, target: CaseStatus) -> CaseStatus:
    """Payroll's status change: allowed moves only (a closed case can only be reopened)."""
    if target not in TRANSITIONS[current]:
        raise TransitionNotAllowed(current.value, target.value)
    return target


def after_message(current: CaseStatus, *, from_payroll: bool) -> CaseStatus:
    """The status once a message is added: payroll's answers; the reporter's reply reopens an answer."""
    if current == CaseStatus.CLOSED:
        raise CaseClosed()
    if from_payroll:
        return CaseStatus.ANSWERED
    return CaseStatus.IN_PROGRESS if current == CaseStatus.ANSWERED else current


def check_return(kind: SubjectKind, current: CaseStatus) -> CaseStatus:
    """Sending the item back answers the case; only for a case about an item that is not closed."""
    if kind != SubjectKind.ITEM:
        raise NotAnItemCase()
    if current == CaseStatus.CLOSED:
        raise CaseClosed()
    return CaseStatus.ANSWERED
