"""What the payslip engine returns: lines with their explanation, totals, pending items and warnings.

Sign convention: a line's ``amount`` is its effect on the net pay (salary and
additions positive, deductions and tax negative). A non-cash line (``cash`` is
False: a taxable value such as wellness allowance that has become taxable) adds
to taxable pay and employer contributions but not to the net pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from backend.domain.payroll.contributions import EmployerContributions
from backend.domain.payslip.inputs import EarlierSickSpell, ItemKind, PayslipPeriod, YearToDate
from backend.domain.text import Text

__all__ = [
    "GROUP_ORDER",
    "LineDetail",
    "LineGroup",
    "Payslip",
    "PayslipLine",
    "PayslipWarning",
    "PendingLine",
    "PendingStatus",
    "TaxBasis",
]


class LineGroup(StrEnum):
    SALARY = "salary"  # lön: monthly salary, hourly pay, retroactive pay
    ADDITIONS = "additions"  # tillägg: overtime, OB, sick pay, vacation supplement, taxable allowances
    DEDUCTIONS = "deductions"  # avdrag: absence, karensavdrag
    TAX_FREE = "tax_free"  # skattefria ersättningar: expenses, tax-free allowances
    TAX = "tax"  # skatt


GROUP_ORDER = (LineGroup.SALARY, LineGroup.ADDITIONS, LineGroup.DEDUCTIONS, LineGroup.TAX_FREE, LineGroup.TAX)


@dataclass(frozen=True)
class LineDetail:
    """A sub-line that shows how a line adds up (travel: days, meal reductions, kilometres).

    Not part of any total: the line's own ``amount`` is what is paid.
    """

    text_sv: str
    text_en: str
    quantity: Decimal | None
    unit: str | None
    rate: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class PayslipLine:
    """One payslip line. ``rate`` is rounded to öre for display; ``amount`` is computed exactly and rounded once.

    ``unit`` is a code (``month``, ``days``, ``hours``, ``items``) the UI translates.
    ``work_period`` is the month (``YYYY-MM``) the line is for, when it is a variable item.
    """

    code: str
    group: LineGroup
    text_sv: str
    text_en: str
    quantity: Decimal | None
    unit: str | None
    rate: Decimal | None
    amount: Decimal
    taxable: bool
    employer_contributions: bool
    source_ids: tuple[str, ...]
    explanation_sv: str
    explanation_en: str
    cash: bool = True
    work_period: str | None = None
    details: tuple[LineDetail, ...] = ()


class PendingStatus(StrEnum):
    AWAITING_ATTEST = "awaiting_attest"  # submitted; can reach this payslip if attested by the cut-off
    NOT_SUBMITTED = "not_submitted"  # draft; the employee has not submitted it
    RETURNED = "returned"  # sent back to the employee
    MISSED_CUT_OFF = "missed_cut_off"  # not attested by the cut-off: a later payslip
    LATER_PERIOD = "later_period"  # approved or not, it belongs to a later payslip (e.g. paid in arrears)
    APPROVED_AFTER_CUT_OFF = "approved_after_cut_off"  # approved after the cut-off: next payslip


@dataclass(frozen=True)
class PendingLine:
    """Something that is not on this payslip (yet), and why. Never part of the totals.

    ``can_reach_this_payslip``: it is still possible that it is paid on this
    payslip (approved in time, before the cut-off); False once it is certain it
    is paid later.
    """

    item_id: str
    kind: ItemKind
    status: PendingStatus
    approved: bool
    can_reach_this_payslip: bool
    text_sv: str
    text_en: str
    amount: Decimal | None
    hours: Decimal | None
    submitted_on: date | None
    explanation_sv: str
    explanation_en: str


@dataclass(frozen=True)
class PayslipWarning:
    code: str
    message: Text
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaxBasis:
    """How the preliminary tax was found. ``table`` None: no tax table, the flat rate was used."""

    year: int
    table: int | None
    column: int
    column_derived_from_age: bool
    taxable_pay: Decimal
    tax: Decimal
    explanation_sv: str
    explanation_en: str


@dataclass(frozen=True)
class Payslip:
    """A preliminary payslip.

    gross_pay = taxable cash pay; taxable_pay = gross_pay + taxable_benefits
    (non-cash taxable values); tax_free = tax-free cash lines;
    net_pay = gross_pay + tax_free - tax = the sum of the cash lines.
    ``sick_spells`` are the sick spells assessed on this payslip, in the shape
    the next payslip takes as ``earlier_sick_spells`` once this one is final.
    ``wellness_counted`` is what this payslip's wellness expenses use of the year's
    caps, those paid with the company card too (they make no line within the cap);
    the next payslip takes it into ``wellness_paid_earlier_this_year``.
    ``settled_ids`` are the claims this payslip settles though no line may name
    them (company-card expenses, a trip with nothing to pay): a pay run locks them
    with those its lines name, so no later payslip counts them again.
    """

    employee_id: str
    period: PayslipPeriod
    as_of: date
    lines: tuple[PayslipLine, ...]
    gross_pay: Decimal
    taxable_benefits: Decimal
    taxable_pay: Decimal
    tax_free: Decimal
    tax: Decimal
    net_pay: Decimal
    tax_basis: TaxBasis
    employer_contributions: EmployerContributions
    employer_cost: Decimal  # gross pay + tax-free reimbursements + employer contributions
    year_to_date: YearToDate
    pending: tuple[PendingLine, ...]
    warnings: tuple[PayslipWarning, ...]
    sick_spells: tuple[EarlierSickSpell, ...] = ()
    wellness_counted: Decimal = Decimal(0)
    settled_ids: frozenset[str] = frozenset()

    def lines_in(self, group: LineGroup) -> tuple[PayslipLine, ...]:
        return tuple(line for line in self.lines if line.group is group)

    def lines_with(self, code: str) -> tuple[PayslipLine, ...]:
        return tuple(line for line in self.lines if line.code == code)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)
