"""Travel claims (trip, per diem, mileage legs) and the normalbelopp table for per diem abroad.

A claim's approval state lives in ``AttestItem`` (kind ``travel_claim``). The computed
amounts and their explanations are stored with the claim every time it is saved or
submitted, so what the manager attested is what payroll pays.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlmodel import Field, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, Decimal2, JsonB, Money


class TravelClaim(Record, table=True):
    """A business trip ("reseräkning"). ``id`` may be chosen by the client for offline-safe creation."""

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE", index=True)
    purpose: str | None = Field(default=None, max_length=500)
    destination: str | None = Field(default=None, max_length=200)
    country_code: str = Field(default="SE", max_length=3, description="SE = domestic")
    departure_at: datetime = Field(sa_type=DateTimeUTC)
    return_at: datetime = Field(sa_type=DateTimeUTC)
    distance_from_home_km: Decimal = Field(sa_type=Decimal2)
    distance_from_workplace_km: Decimal = Field(sa_type=Decimal2)
    lodging_paid_by_employer: bool = Field(default=True)
    meals: list[dict[str, Any]] = Field(default_factory=list, sa_type=JsonB, description="[{date, meals: [...]}]")
    long_stay: str = Field(default="none", max_length=20, description="none | after_3_months | after_2_years")
    same_place_since: date | None = None
    per_diem_paid: Decimal = Field(default=Decimal(0), sa_type=Money)
    per_diem_tax_free: Decimal = Field(default=Decimal(0), sa_type=Money)
    per_diem_taxable: Decimal = Field(default=Decimal(0), sa_type=Money)
    mileage_paid: Decimal = Field(default=Decimal(0), sa_type=Money)
    mileage_tax_free: Decimal = Field(default=Decimal(0), sa_type=Money)
    mileage_taxable: Decimal = Field(default=Decimal(0), sa_type=Money)
    computation: dict[str, Any] = Field(
        default_factory=dict, sa_type=JsonB, description="Per day and per leg: rule, figures, explanations"
    )


class MileageLeg(Record, table=True):
    """One drive of the trip with a vehicle kind; paid per mil (10 km)."""

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    claim_id: UUID = Field(foreign_key="travelclaim.id", ondelete="CASCADE", index=True)
    position: int
    day: date
    from_place: str = Field(max_length=200)
    to_place: str = Field(max_length=200)
    purpose: str | None = Field(default=None, max_length=500)
    distance_km: Decimal = Field(sa_type=Decimal2)
    vehicle: str = Field(max_length=30, description="own_car | company_car_fossil | company_car_electric")


class NormalbeloppRate(Record, table=True):
    """Skatteverket's normalbelopp for a country and year, as loaded by the organisation's payroll."""

    __table_args__ = (UniqueConstraint("organisation_id", "year", "country_code"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    year: int
    country_code: str = Field(max_length=3)
    country_name: str = Field(max_length=100)
    amount: Decimal = Field(sa_type=Money)
