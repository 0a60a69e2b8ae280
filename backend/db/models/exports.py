"""Pay periods payroll closes, the export batches a close freezes, and what each batch carries.

A batch is immutable once made: its transactions and voucher rows are stored exactly as the
export rules built them, so a download streams the same bytes every time (``paxml_sha256``,
``sie_sha256``). ``ExportedItem`` makes "exported exactly once" a constraint: at most one row
per attest item that is not reversed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlmodel import Field, Index, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, ExactDecimal, JsonB, Money


class PayPeriodState(Record, table=True):
    """A pay period payroll has closed or is closing (a missing row is an open period). Reopening keeps the row.

    A close is a job (``backend.exports.closing``): the request marks the period ``closing``; the job
    freezes the batch and marks it ``closed``, or puts it back to ``open`` with ``close_problem``.
    """

    __tablename__ = "payperiod"
    __table_args__ = (UniqueConstraint("organisation_id", "period"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    period: str = Field(max_length=7, description="YYYY-MM")
    state: str = Field(max_length=8, description="open | closing | closed")
    close_requested_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    close_problem: dict[str, Any] | None = Field(
        default=None, sa_type=JsonB, description="Why the last close was refused, in both languages (problems.stored)"
    )
    closed_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    closed_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    reopened_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    reopened_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    reopen_reason: str | None = Field(default=None, max_length=1000)


class ExportBatch(Record, table=True):
    """What one close froze. ``sequence`` counts the period's batches from 1 (a reopened period closes again)."""

    __table_args__ = (UniqueConstraint("organisation_id", "period", "sequence"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    period: str = Field(max_length=7)
    sequence: int
    created_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    created_by: str = Field(max_length=200, description="Who made it, as shown (kept if the account goes)")
    made_on: date = Field(description="Stockholm date of the close: the date of reversal vouchers and files")
    items: int = 0
    transactions: int = 0
    vouchers: int = 0
    reversals: int = 0
    total_amount: Decimal = Field(
        default=Decimal(0), sa_type=Money, description="Sum of the amounts of the transactions"
    )
    paxml_sha256: str = Field(default="", max_length=64)
    sie_sha256: str = Field(default="", max_length=64)
    organisation_name: str = Field(max_length=200, description="As at the close: the files' header never changes")
    org_number: str | None = Field(default=None, max_length=11)
    account_names: dict[str, str] = Field(
        default_factory=dict, sa_type=JsonB, description="The SIE file's #KONTO names at the close"
    )


class ExportedItem(Record, table=True):
    """An attest item carried by a batch; ``reversed_in_batch_id`` is the batch that undid it."""

    __table_args__ = (
        Index("ix_exporteditem_item", "attest_item_id"),
        Index(
            "uq_exporteditem_active",
            "attest_item_id",
            unique=True,
            sqlite_where=text("reversed_in_batch_id IS NULL"),
            postgresql_where=text("reversed_in_batch_id IS NULL"),
        ),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    attest_item_id: UUID = Field(foreign_key="attestitem.id", ondelete="CASCADE")
    batch_id: UUID = Field(foreign_key="exportbatch.id", ondelete="CASCADE", index=True)
    item_version: int
    times_returned: int = Field(description="The item's return count when exported: a later return means corrected")
    reversed_in_batch_id: UUID | None = Field(default=None, foreign_key="exportbatch.id", ondelete="SET NULL")


class ExportTransaction(Record, table=True):
    """One frozen PAXml transaction (``backend.domain.exports.model.PayrollTransaction``), in file order."""

    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    batch_id: UUID = Field(foreign_key="exportbatch.id", ondelete="CASCADE")
    position: int
    attest_item_id: UUID
    employee_id: UUID
    section: str = Field(max_length=20)
    employee_number: str = Field(max_length=20)
    personal_identity_number: str | None = Field(default=None, max_length=12)
    name: str = Field(max_length=200)
    code: str = Field(max_length=20)
    pay_type: str = Field(max_length=20)
    day: date
    text: str = Field(max_length=500)
    hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    quantity: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    unit_price: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    amount: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    cost_centre: str | None = Field(default=None, max_length=40)
    project: str | None = Field(default=None, max_length=40)
    reversal: bool = False


class ExportVoucherRow(Record, table=True):
    """One #TRANS row of a frozen SIE voucher; the voucher's own fields repeat on each of its rows."""

    __table_args__ = (UniqueConstraint("batch_id", "voucher", "position"),)

    batch_id: UUID = Field(foreign_key="exportbatch.id", ondelete="CASCADE")
    voucher: int = Field(description="The voucher's number within the batch, from 1")
    position: int = Field(description="The row's place within its voucher")
    attest_item_id: UUID
    voucher_day: date
    voucher_text: str = Field(max_length=500)
    reversal: bool = False
    account: str = Field(max_length=10)
    amount: Decimal = Field(sa_type=ExactDecimal)
    text: str = Field(default="", max_length=500)
    cost_centre: str | None = Field(default=None, max_length=40)
    project: str | None = Field(default=None, max_length=40)


class ExportConfiguration(Record, table=True):
    """An organisation's code mapping or chart of accounts as its TOML file; none stored = the defaults."""

    __table_args__ = (UniqueConstraint("organisation_id", "kind"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    kind: str = Field(max_length=20, description="code_mapping | chart")
    content: str
    changed_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
