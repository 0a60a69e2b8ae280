"""Error report cases (felanmälan) as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.core.schemas import Count, Input, Output

CaseStatusName = Literal["new", "in_progress", "answered", "closed"]
SubjectKindName = Literal["payslip_line", "item", "export_row", "other"]
Scope = Literal["mine", "all"]
# Texts are checked (and refused in both languages, naming the field) by backend.domain.cases;
# the bound here only keeps a runaway body from being read into memory as one string.
LongText = Annotated[str, msgspec.Meta(max_length=20_000)]
ShortRef = Annotated[str, msgspec.Meta(max_length=1_000)]


class CaseIn(Input):
    """A report. ``subject_kind`` says which references are needed:

    payslip_line: ``payslip_period`` (YYYY-MM), ``line_key`` (the line's code), optional ``line_text`` and
    ``pay_run_id`` (a finalised payslip; without it the preliminary one); item: ``item_id`` (the attest item) or
    ``item_subject_id`` (the claim, week or request);
    export_row: ``export_batch_id`` and ``export_row`` (payroll); other: none.
    """

    subject_kind: SubjectKindName
    text: LongText
    payslip_period: ShortRef | None = None
    pay_run_id: UUID | None = None
    line_key: ShortRef | None = None
    line_text: ShortRef | None = None
    item_id: UUID | None = None
    item_subject_id: UUID | None = None
    """Instead of ``item_id``: the claim, time week or leave request the item is for."""
    export_batch_id: UUID | None = None
    export_row: Count | None = None


class MessageIn(Input):
    text: LongText


class StatusIn(Input):
    status: CaseStatusName


class OwnerIn(Input):
    owner_account_id: UUID | None
    """A payroll account, or null for payroll's shared queue."""


class DueDateIn(Input):
    due_date: date


class ReturnIn(Input):
    reason: LongText


class PersonName(Output):
    id: UUID
    name: str


class AttachmentView(Output):
    url: str
    content_type: str
    size_bytes: int
    filename: str | None


class SubjectView(Output):
    kind: SubjectKindName
    label: str
    """What it is about, in the reader's language (e.g. "Lönespecifikation 2026-11 · Månadslön")."""
    payslip_period: str | None
    payslip_id: UUID | None
    pay_run_id: UUID | None
    line_key: str | None
    line_text: str | None
    item_id: UUID | None
    item_kind: str | None
    item_subject_id: UUID | None
    item_state: str | None
    export_batch_id: UUID | None
    export_row: int | None


class TimelineEntry(Output):
    sequence: int
    at: datetime
    kind: Literal["report", "message", "answer", "return", "created", "status", "owner", "due_date"]
    actor: str | None
    from_payroll: bool
    text: str
    """The message, or what changed in the reader's language."""


class CaseSummary(Output):
    id: UUID
    title: str
    subject_kind: SubjectKindName
    status: CaseStatusName
    status_name: str
    reporter: PersonName
    owner: PersonName | None
    due_date: date
    overdue: bool
    created_at: datetime
    last_activity_at: datetime


class CaseView(CaseSummary):
    subject: SubjectView
    attachment: AttachmentView | None
    timeline: list[TimelineEntry]
    can_reply: bool
    can_manage: bool
    """Payroll: status, owner, due date."""
    can_return_item: bool


class CaseList(Output):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class OwnerOption(Output):
    id: UUID
    name: str
