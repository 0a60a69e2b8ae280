"""People: employees with their employment history, and the accounts they log in with."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlmodel import Field, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, Decimal2, Money


def full_name(first_name: str, last_name: str) -> str:
    """How a person's name is shown everywhere, also where only the two columns were read."""
    return f"{first_name} {last_name}"


class Employee(Record, table=True):
    """A person employed by the organisation. ``manager_id`` decides whose inbox their items reach."""

    __table_args__ = (
        UniqueConstraint("organisation_id", "employee_number"),
        UniqueConstraint("organisation_id", "personal_identity_number"),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    employee_number: str = Field(max_length=20)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str = Field(max_length=254, index=True)
    birth_date: date
    personal_identity_number: str | None = Field(
        default=None, max_length=12, description="Personnummer YYYYMMDDNNNC (backend.domain.personnummer)"
    )
    manager_id: UUID | None = Field(default=None, foreign_key="employee.id", index=True, ondelete="SET NULL")
    cost_centre_id: UUID | None = Field(default=None, foreign_key="costcentre.id", ondelete="SET NULL")
    tax_table: int | None = Field(default=None, description="Skatteverket table number (29-42)")
    tax_column: int | None = Field(default=None, description="Column 1-6; derived from age when empty")
    start_date: date
    end_date: date | None = None

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


class Employment(Record, table=True):
    """Effective-dated terms of employment; the row with the latest ``valid_from`` on a date applies."""

    __table_args__ = (UniqueConstraint("employee_id", "valid_from"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", index=True, ondelete="CASCADE")
    valid_from: date
    pay_type: str = Field(default="monthly", max_length=10, description="monthly | hourly")
    monthly_salary: Decimal | None = Field(default=None, sa_type=Money)
    hourly_wage: Decimal | None = Field(default=None, sa_type=Money)
    weekly_hours: Decimal = Field(default=Decimal("40.00"), sa_type=Decimal2)
    employment_rate: Decimal = Field(default=Decimal("100.00"), sa_type=Decimal2, description="Percent")


class Account(Record, table=True):
    """A login. Most accounts belong to an employee; an administrator's may not."""

    organisation_id: UUID = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    employee_id: UUID | None = Field(default=None, foreign_key="employee.id", unique=True, ondelete="SET NULL")
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=300)
    active: bool = Field(default=True)
    is_demo: bool = Field(default=False, description="Demo logins are refused outside demo mode")
    locale: str = Field(default="sv", max_length=5)
    last_login_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)


class AccountRole(Record, table=True):
    """One of: employee, manager, payroll, admin."""

    __table_args__ = (UniqueConstraint("account_id", "role"),)

    account_id: UUID = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
