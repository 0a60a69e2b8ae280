"""What the payslip engine is given: plain frozen values a service fills from database rows.

Every amount and number of hours is an exact ``Decimal`` (an ``int`` is
accepted and converted); a float is refused when the value is created, so a
payslip can never be computed from an inexact figure.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum

from backend.domain.attest import ItemKind  # the kinds of attested item, defined once
from backend.domain.errors import InvalidValue
from backend.domain.money import as_decimal
from backend.domain.rates import PayItemKind
from backend.domain.text import Text

__all__ = [
    "YEAR_TO_DATE_AMOUNTS",
    "ApprovedExpense",
    "ApprovedLeave",
    "ApprovedTravelClaim",
    "EarlierSickSpell",
    "Employee",
    "EmploymentTerms",
    "ExpenseKind",
    "ExpensePayment",
    "ItemKind",
    "OrganisationSettings",
    "PaidHours",
    "PaidSalary",
    "PayType",
    "PayslipInputs",
    "PayslipPeriod",
    "PendingItem",
    "PendingState",
    "TimeCode",
    "TimeRow",
    "TravelDay",
    "TravelLeg",
    "YearToDate",
]

_ZERO = Decimal(0)


def _exact(obj: object, *names: str, optional: tuple[str, ...] = ()) -> None:
    """Refuse floats (and other inexact numbers) in the named fields; turn ints into Decimal."""
    for name in names + optional:
        value = getattr(obj, name)
        if type(value) is Decimal and value.is_finite():  # already exact: most values, checked cheaply
            continue
        if value is None and name in optional:
            continue
        object.__setattr__(obj, name, as_decimal(value, field=name))


def _not_negative(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is not None and value < 0:
            raise InvalidValue(
                Text(sv=f"{name} får inte vara negativt.", en=f"{name} must not be negative."), field=name
            )


class PayType(StrEnum):
    MONTHLY = "monthly"  # fixed monthly salary, deductions for absence
    HOURLY = "hourly"  # paid for the hours worked


@dataclass(frozen=True)
class EmploymentTerms:
    """One effective-dated row of the employment's terms.

    ``monthly_salary`` is the salary agreed for this employment as it is, at its
    employment rate (not the full-time equivalent); ``weekly_hours`` are the
    employee's own contractual hours a week (at that rate). ``recorded_on`` is
    when the row was entered: a row recorded later for the same ``valid_from``
    corrects the earlier one, and a row recorded after the computation date is
    not yet known.
    """

    valid_from: date
    pay_type: PayType
    weekly_hours: Decimal
    recorded_on: date
    monthly_salary: Decimal | None = None
    hourly_wage: Decimal | None = None
    employment_rate_percent: Decimal = Decimal(100)

    def __post_init__(self) -> None:
        _exact(self, "weekly_hours", "employment_rate_percent", optional=("monthly_salary", "hourly_wage"))
        _not_negative(self, "monthly_salary", "hourly_wage")
        if self.weekly_hours <= 0:
            raise InvalidValue(
                Text(sv="Veckoarbetstiden måste vara större än noll.", en="weekly_hours must be positive."),
                field="weekly_hours",
            )
        if not 0 < self.employment_rate_percent <= 100:
            raise InvalidValue(
                Text(
                    sv="Sysselsättningsgraden måste vara över 0 och högst 100 %.",
                    en="employment_rate_percent must be above 0 and at most 100.",
                ),
                field="employment_rate_percent",
            )
        if self.pay_type is PayType.MONTHLY and self.monthly_salary is None:
            raise InvalidValue(
                Text(sv="Månadslön kräver ett månadslönebelopp.", en="Monthly pay needs monthly_salary."),
                field="monthly_salary",
            )
        if self.pay_type is PayType.HOURLY and self.hourly_wage is None:
            raise InvalidValue(
                Text(sv="Timlön kräver ett timlönebelopp.", en="Hourly pay needs hourly_wage."), field="hourly_wage"
            )


@dataclass(frozen=True)
class Employee:
    """The employee: ``tax_table`` None = no tax information (30 % is withheld); ``tax_column`` None = by age."""

    employee_id: str
    birth_date: date
    employment_start: date
    terms: tuple[EmploymentTerms, ...]
    employment_end: date | None = None
    tax_table: int | None = None
    tax_column: int | None = None


@dataclass(frozen=True)
class PayslipPeriod:
    """The pay run: the month whose salary is paid, its pay date and the attest cut-off for it.

    A service fills ``pay_date`` and ``cut_off`` from the organisation's pay day
    and cut-off day with ``backend.domain.calendar.pay_date`` / ``cutoff_date``;
    an item approved on or before ``cut_off`` reaches this payslip.
    """

    year: int
    month: int
    pay_date: date
    cut_off: date

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise InvalidValue(Text(sv="Månaden måste vara 1-12.", en="month must be 1-12."), field="month")

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class OrganisationSettings:
    """The employer's payroll settings.

    ``vacation_supplement_rate`` overrides the agreement profile's rate (share of
    the monthly salary per vacation day; never below the legal minimum). The
    gross-change thresholds decide when a change against last month is flagged.
    """

    agreement_profile: str | None = None  # None: the default profile (white collar)
    variable_pay_in_arrears: bool = True
    vacation_supplement_rate: Decimal | None = None
    gross_change_warning_share: Decimal = Decimal("0.20")
    gross_change_warning_amount: Decimal = Decimal(2000)
    wellness_allowance: Decimal | None = None
    """The employer's own yearly wellness cap for the pay date's year (None: no own cap)."""

    def __post_init__(self) -> None:
        _exact(
            self,
            "gross_change_warning_share",
            "gross_change_warning_amount",
            optional=("vacation_supplement_rate", "wellness_allowance"),
        )
        _not_negative(
            self,
            "vacation_supplement_rate",
            "gross_change_warning_share",
            "gross_change_warning_amount",
            "wellness_allowance",
        )


class TimeCode(StrEnum):
    """Codes of approved time rows. The overtime/OB codes are the agreement's pay items."""

    WORK = "work"  # ordinary hours (what hourly staff are paid for)
    SIMPLE_OVERTIME = PayItemKind.SIMPLE_OVERTIME.value
    QUALIFIED_OVERTIME = PayItemKind.QUALIFIED_OVERTIME.value
    MERTID = PayItemKind.MERTID.value
    OB_WEEKDAY_EVENING = PayItemKind.OB_WEEKDAY_EVENING.value
    OB_NIGHT = PayItemKind.OB_NIGHT.value
    OB_WEEKEND = PayItemKind.OB_WEEKEND.value
    OB_MAJOR_HOLIDAY = PayItemKind.OB_MAJOR_HOLIDAY.value
    SICK = "sick"
    VACATION = "vacation"
    VAB = "vab"  # care of a sick child
    PARENTAL_LEAVE = "parental_leave"
    UNPAID_LEAVE = "unpaid_leave"

    @property
    def pay_item(self) -> PayItemKind | None:
        """The agreement pay item that prices this code, if it is one."""
        try:
            return PayItemKind(self.value)
        except ValueError:
            return None


@dataclass(frozen=True)
class TimeRow:
    """Approved hours of one code on one day; ``source_id`` is the time week or leave request."""

    day: date
    code: TimeCode
    hours: Decimal
    source_id: str
    approved_on: date
    source_kind: ItemKind = ItemKind.TIME_WEEK

    def __post_init__(self) -> None:
        _exact(self, "hours")
        _not_negative(self, "hours")


@dataclass(frozen=True)
class ApprovedLeave:
    """An approved leave request: each working day in it is absence, as if reported in a time week.

    ``code`` is VACATION, PARENTAL_LEAVE or UNPAID_LEAVE. ``paid_through``: the days up to it
    were settled by an earlier payslip (a request spanning months is paid month by month).
    """

    leave_id: str
    code: TimeCode
    first_day: date
    last_day: date
    approved_on: date
    paid_through: date | None = None


class ExpensePayment(StrEnum):
    PRIVATE = "private"  # paid by the employee: reimbursed on the payslip
    COMPANY_CARD = "company_card"  # paid by the employer: no payslip line


class ExpenseKind(StrEnum):
    ORDINARY = "ordinary"
    WELLNESS = "wellness"  # friskvårdsbidrag: tax-free up to the yearly cap


@dataclass(frozen=True)
class ApprovedExpense:
    """An approved expense (amount in SEK incl. VAT) in the expense claim ``claim_id``."""

    expense_id: str
    claim_id: str
    amount: Decimal
    approved_on: date
    description: str = ""
    payment: ExpensePayment = ExpensePayment.PRIVATE
    kind: ExpenseKind = ExpenseKind.ORDINARY
    treatment: bool = False
    """A wellness treatment without exercise (massage): limited per occasion."""

    def __post_init__(self) -> None:
        _exact(self, "amount")
        _not_negative(self, "amount")


@dataclass(frozen=True)
class TravelDay:
    """One day of a trip as the travel rules computed it: what the payslip breaks the per diem into."""

    kind: str  # "full_day" | "half_day"
    allowance: Decimal  # the day's tax-free amount before meals
    meal_reduction: Decimal
    night_tax_free: Decimal = _ZERO


@dataclass(frozen=True)
class TravelLeg:
    """One drive of a trip: kilometres and the rates per mil (10 km)."""

    distance_km: Decimal
    mil: Decimal
    rate_per_mil: Decimal
    tax_free_max_per_mil: Decimal


@dataclass(frozen=True)
class ApprovedTravelClaim:
    """An approved travel claim, already split by the travel rules into tax-free and taxable parts.

    ``expenses`` are receipts on the trip the employee paid privately (tax-free reimbursement).
    """

    claim_id: str
    approved_on: date
    description: str = ""
    per_diem_tax_free: Decimal = _ZERO
    per_diem_taxable: Decimal = _ZERO
    mileage_tax_free: Decimal = _ZERO
    mileage_taxable: Decimal = _ZERO
    expenses: Decimal = _ZERO
    days: tuple[TravelDay, ...] = ()
    legs: tuple[TravelLeg, ...] = ()

    def __post_init__(self) -> None:
        names = ("per_diem_tax_free", "per_diem_taxable", "mileage_tax_free", "mileage_taxable", "expenses")
        _exact(self, *names)
        _not_negative(self, *names)


@dataclass(frozen=True)
class PaidHours:
    """Hours of one OB/overtime item a finalised payslip paid for a month (re-priced by retro)."""

    code: TimeCode
    hours: Decimal

    def __post_init__(self) -> None:
        _exact(self, "hours")


@dataclass(frozen=True)
class PaidSalary:
    """What finalised payslips paid for one work month, by kind: the basis for retroactive pay.

    Each amount is everything paid for the month so far, the retro lines of later
    payslips included, so a retro is never paid twice and a change changed again
    nets out. ``salary`` is the fixed monthly salary (after part-month
    proration); ``hours`` the ordinary hours of hourly staff, at ``hourly_wage``,
    with ``hourly_amount`` paid for them (None: ``hours`` x ``hourly_wage``);
    ``pay_items`` the OB/overtime hours, with ``pay_items_amount`` paid for them.
    Hours come as the lines that paid them (``hour_lines``, one ``PaidHours`` per
    line and item), since each line was rounded to öre by itself: repricing them
    line by line gives exactly what was paid when nothing changed.
    ``paid_on``: the day the last of those payslips was made (terms recorded
    before it were known when it was paid).
    """

    year: int
    month: int
    salary: Decimal = _ZERO
    hours: Decimal = _ZERO
    hourly_wage: Decimal | None = None
    hourly_amount: Decimal | None = None
    hour_lines: tuple[Decimal, ...] = ()  # empty: one line of ``hours``
    pay_items: tuple[PaidHours, ...] = ()
    pay_items_amount: Decimal = _ZERO
    paid_on: date | None = None

    def __post_init__(self) -> None:
        _exact(self, "salary", "hours", "pay_items_amount", optional=("hourly_wage", "hourly_amount"))
        _not_negative(self, "hours", "hourly_wage")

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def hours_by_line(self) -> tuple[Decimal, ...]:
        return self.hour_lines or ((self.hours,) if self.hours else ())

    @property
    def paid_for_hours(self) -> Decimal:
        if self.hourly_amount is not None:
            return self.hourly_amount
        return self.hours * (self.hourly_wage or _ZERO)


@dataclass(frozen=True)
class EarlierSickSpell:
    """A sick spell already paid on an earlier payslip (the last 12 months are needed for the karens limit).

    ``first_day_number`` is the first day's number in its sick-pay period (1
    unless it continued an even earlier spell).
    """

    first_day: date
    last_day: date
    karens: bool
    first_day_number: int = 1

    @property
    def last_day_number(self) -> int:
        return self.first_day_number + (self.last_day - self.first_day).days


@dataclass(frozen=True)
class YearToDate:
    """Totals of the finalised payslips of the calendar year (of the pay date)."""

    year: int
    gross_pay: Decimal = _ZERO
    taxable_pay: Decimal = _ZERO
    tax: Decimal = _ZERO
    net_pay: Decimal = _ZERO
    employer_contributions: Decimal = _ZERO
    tax_free: Decimal = _ZERO

    def __post_init__(self) -> None:
        _exact(self, *YEAR_TO_DATE_AMOUNTS)


YEAR_TO_DATE_AMOUNTS = tuple(f.name for f in fields(YearToDate) if f.name != "year")
"""The amounts of ``YearToDate`` in field order after ``year`` (named once: a payroll makes three per employee)."""


class PendingState(StrEnum):
    DRAFT = "draft"  # not submitted yet
    SUBMITTED = "submitted"  # waiting for attest
    RETURNED = "returned"  # sent back to the employee


@dataclass(frozen=True)
class PendingItem:
    """Something not yet attested. ``covers_from`` is the first day a time week or leave request covers."""

    item_id: str
    kind: ItemKind
    state: PendingState
    title: str
    submitted_on: date | None = None
    amount: Decimal | None = None
    hours: Decimal | None = None
    covers_from: date | None = None
    title_en: str | None = None
    """The title in English; None when it is the same in both languages (a name the employee gave)."""

    def __post_init__(self) -> None:
        _exact(self, optional=("amount", "hours"))


@dataclass(frozen=True)
class PayslipInputs:
    """Everything one preliminary payslip needs. ``as_of`` is the day it is computed (nothing reads the clock)."""

    employee: Employee
    period: PayslipPeriod
    as_of: date
    settings: OrganisationSettings = field(default_factory=OrganisationSettings)
    time: tuple[TimeRow, ...] = ()
    leave: tuple[ApprovedLeave, ...] = ()
    absence_paid_earlier: frozenset[tuple[date, TimeCode]] = frozenset()
    """Absence days (day, code) an earlier payslip already paid, from a time week or a leave request."""
    expenses: tuple[ApprovedExpense, ...] = ()
    travel_claims: tuple[ApprovedTravelClaim, ...] = ()
    paid_salaries: tuple[PaidSalary, ...] = ()
    earlier_sick_spells: tuple[EarlierSickSpell, ...] = ()
    wellness_paid_earlier_this_year: Decimal = _ZERO
    year_to_date: YearToDate | None = None
    previous_gross_pay: Decimal | None = None
    earlier_pay_this_month: Decimal = _ZERO  # paid in an extra run in the same month (youth contribution cap)
    pending: tuple[PendingItem, ...] = ()
    extra_run: bool = False
    """An extra pay run in a month already paid: only what was not paid yet (claims, retroactive pay),
    no salary or variable pay again."""
    earlier_taxable_this_month: Decimal = _ZERO
    earlier_tax_this_month: Decimal = _ZERO
    """What earlier runs this month paid and withheld: an extra run withholds the difference the
    table gives on the month's total, so the month is taxed as one payment."""

    def __post_init__(self) -> None:
        _exact(
            self,
            "wellness_paid_earlier_this_year",
            "earlier_pay_this_month",
            "earlier_taxable_this_month",
            "earlier_tax_this_month",
            optional=("previous_gross_pay",),
        )
        _not_negative(
            self,
            "wellness_paid_earlier_this_year",
            "earlier_pay_this_month",
            "earlier_taxable_this_month",
            "earlier_tax_this_month",
        )
