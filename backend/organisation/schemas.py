"""The organisation's payroll settings and structure as the API shows them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

from backend.core.schemas import Code, Input, Money, Output, ShortText

DayOfMonth = Annotated[int, msgspec.Meta(ge=1, le=28, description="Day of month, 1-28")]


class YearPolicyView(Output):
    year: int
    mileage_rate_per_mil: Decimal | None
    per_diem_full_day: Decimal | None
    wellness_allowance: Decimal | None


class OrganisationView(Output):
    id: UUID
    name: str
    org_number: str | None
    cutoff_day: int
    pay_day: int
    agreement_profile: str
    variable_pay_in_arrears: bool
    policies: list[YearPolicyView]


class OrganisationUpdate(Input):
    name: ShortText | None = None
    cutoff_day: DayOfMonth | None = None
    pay_day: DayOfMonth | None = None
    agreement_profile: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    variable_pay_in_arrears: bool | None = None


class YearPolicyInput(Input):
    """What the employer pays; empty means the tax-free amount of that year."""

    mileage_rate_per_mil: Money | None = None
    per_diem_full_day: Money | None = None
    wellness_allowance: Money | None = None


class CostCentreView(Output):
    id: UUID
    code: str
    name: str


class CostCentreCreate(Input):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9._-]+$")]
    name: ShortText


class ProjectView(Output):
    id: UUID
    parent_id: UUID | None
    level: int
    code: str
    name: str
    path: str
    """Codes from the top, e.g. ``P100 / P100.1 / DEV``; what the picker searches."""
    active: bool
    cost_centre_id: UUID | None


class ProjectCreate(Input):
    code: Code
    name: ShortText
    parent_id: UUID | None = None
    cost_centre_id: UUID | None = None


class ProjectUpdate(Input):
    name: ShortText | None = None
    active: bool | None = None
