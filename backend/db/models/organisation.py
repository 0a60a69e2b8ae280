"""The organisation and its structure: payroll settings, cost centres, projects."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlmodel import Field, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import Money


class Organisation(Record, table=True):
    """An employer. Every other row belongs to exactly one organisation."""

    name: str = Field(max_length=200)
    org_number: str | None = Field(default=None, max_length=11)
    cutoff_day: int = Field(default=8, description="Items attested by this day of month reach this month's pay")
    pay_day: int = Field(default=25, description="Pay day; moved to the previous weekday on weekends/holidays")
    agreement_profile: str = Field(default="white_collar", max_length=40)
    variable_pay_in_arrears: bool = Field(default=True, description="Overtime, OB, absence paid a month later")


class OrganisationYearPolicy(Record, table=True):
    """What this employer pays in a given year, where it may differ from the tax-free amounts."""

    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    year: int
    mileage_rate_per_mil: Decimal | None = Field(default=None, sa_type=Money)
    per_diem_full_day: Decimal | None = Field(default=None, sa_type=Money)
    wellness_allowance: Decimal | None = Field(default=None, sa_type=Money)


class CostCentre(Record, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)


class Project(Record, table=True):
    """A node in the project tree: project > subproject > activity (``level`` 1, 2, 3)."""

    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    parent_id: UUID | None = Field(default=None, foreign_key="project.id", index=True, ondelete="CASCADE")
    level: int = Field(default=1)
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    cost_centre_id: UUID | None = Field(default=None, foreign_key="costcentre.id", ondelete="SET NULL")
    active: bool = Field(default=True)
