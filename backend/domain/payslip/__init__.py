"""The preliminary payslip, computed on demand from plain values (``compute_payslip``).

Inputs are in ``inputs``, the result in ``model``; the payroll rules it applies
live in ``backend.domain.payroll`` and the yearly figures in ``backend.domain.rates``.
"""

from backend.domain.payslip.engine import compute_payslip
from backend.domain.payslip.inputs import (
    ApprovedExpense,
    ApprovedTravelClaim,
    EarlierSickSpell,
    Employee,
    EmploymentTerms,
    ExpenseKind,
    ExpensePayment,
    ItemKind,
    OrganisationSettings,
    PaidHours,
    PaidSalary,
    PayslipInputs,
    PayslipPeriod,
    PayType,
    PendingItem,
    PendingState,
    TimeCode,
    TimeRow,
    YearToDate,
)
from backend.domain.payslip.model import (
    LineGroup,
    Payslip,
    PayslipLine,
    PayslipWarning,
    PendingLine,
    PendingStatus,
    TaxBasis,
)

__all__ = [
    "ApprovedExpense",
    "ApprovedTravelClaim",
    "EarlierSickSpell",
    "Employee",
    "EmploymentTerms",
    "ExpenseKind",
    "ExpensePayment",
    "ItemKind",
    "LineGroup",
    "OrganisationSettings",
    "PaidHours",
    "PaidSalary",
    "PayType",
    "Payslip",
    "PayslipInputs",
    "PayslipLine",
    "PayslipPeriod",
    "PayslipWarning",
    "PendingItem",
    "PendingLine",
    "PendingState",
    "PendingStatus",
    "TaxBasis",
    "TimeCode",
    "TimeRow",
    "YearToDate",
    "compute_payslip",
]
