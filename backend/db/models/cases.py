"""Error reports (felanmälan): one case per report, and its messages.

A case points at what it is about with plain references: a payslip (and the line's key), an
attest item, or an export batch and row. Export batches are numbered by the export area, so
the batch id and row are kept as given, without a foreign key. Status changes, assignments
and due-date changes are audit events on the case (``entity_type="case"``); the messages
live here.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field, Index

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC


class ErrorCase(Record, table=True):
    __table_args__ = (
        Index("ix_errorcase_queue", "organisation_id", "status", "due_date"),
        Index("ix_errorcase_reporter", "reporter_account_id", "last_activity_at"),
        Index("ix_errorcase_owner", "organisation_id", "owner_account_id"),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    reporter_account_id: UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    employee_id: UUID | None = Field(
        default=None, foreign_key="employee.id", ondelete="SET NULL", description="Whose pay or item it is about"
    )
    subject_kind: str = Field(max_length=20, description="payslip_line | item | export_row | other")
    payslip_period: str | None = Field(default=None, max_length=7)
    payslip_id: UUID | None = Field(
        default=None, foreign_key="payslip.id", ondelete="SET NULL", description="None: the preliminary payslip"
    )
    line_key: str | None = Field(default=None, max_length=60)
    line_text: str | None = Field(default=None, max_length=200)
    attest_item_id: UUID | None = Field(default=None, foreign_key="attestitem.id", ondelete="SET NULL")
    export_batch_id: UUID | None = Field(default=None, description="As given: no foreign key")
    export_row: int | None = None
    title: str = Field(max_length=200, description="What the case is about, as shown in lists")
    title_en: str | None = Field(
        default=None, max_length=200, description="The title in English when the server wrote it (an item's title)"
    )
    status: str = Field(max_length=12, description="new | in_progress | answered | closed")
    owner_account_id: UUID | None = Field(
        default=None, foreign_key="account.id", ondelete="SET NULL", description="None: payroll's shared queue"
    )
    due_date: date
    last_activity_at: datetime = Field(sa_type=DateTimeUTC)
    closed_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    item_returned_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    attachment_sha256: str | None = Field(default=None, max_length=64)
    attachment_content_type: str | None = Field(default=None, max_length=40)
    attachment_size: int | None = None
    attachment_filename: str | None = Field(default=None, max_length=255)
    events: int = Field(default=0, description="Timeline entries so far; each message and change takes the next")


class CaseMessage(Record, table=True):
    __table_args__ = (Index("ix_casemessage_case", "case_id", "sequence"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    case_id: UUID = Field(foreign_key="errorcase.id", ondelete="CASCADE")
    sequence: int = Field(description="Place in the case's timeline (ErrorCase.events)")
    author_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    from_payroll: bool = False
    kind: str = Field(default="message", max_length=12, description="report | message | answer | return")
    text: str = Field(max_length=4000)
