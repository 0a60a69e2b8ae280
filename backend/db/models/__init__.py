"""All tables, imported in one place so Alembic and the app see the same metadata."""

from backend.db.models.attest import AttestItem, Delegation
from backend.db.models.audit import AuditEvent
from backend.db.models.base import Record, metadata
from backend.db.models.cases import CaseMessage, ErrorCase
from backend.db.models.expenses import Expense, ExpenseClaim, IdempotentRequest, Receipt
from backend.db.models.exports import (
    ExportBatch,
    ExportConfiguration,
    ExportedItem,
    ExportTransaction,
    ExportVoucherRow,
    PayPeriodState,
)
from backend.db.models.notices import Delivery, DigestState, Notice, NoticePreference, PushDevice
from backend.db.models.organisation import CostCentre, Organisation, OrganisationYearPolicy, Project
from backend.db.models.payroll import PayRun, PayRunRequest, Payslip, RatesFile, TaxTableFile
from backend.db.models.people import Account, AccountRole, Employee, Employment
from backend.db.models.sellers import SellerMemory
from backend.db.models.sign_in import PasswordReset, SingleSignOn, SingleSignOnIdentity
from backend.db.models.time import LeaveRequest, TimeEntry, TimeLock, TimeRow, TimeWeek, VacationEntitlement
from backend.db.models.travel import MileageLeg, NormalbeloppRate, TravelClaim

__all__ = [
    "Account",
    "AccountRole",
    "AttestItem",
    "AuditEvent",
    "CaseMessage",
    "CostCentre",
    "Delegation",
    "Delivery",
    "DigestState",
    "Employee",
    "Employment",
    "ErrorCase",
    "Expense",
    "ExpenseClaim",
    "ExportBatch",
    "ExportConfiguration",
    "ExportTransaction",
    "ExportVoucherRow",
    "ExportedItem",
    "IdempotentRequest",
    "LeaveRequest",
    "MileageLeg",
    "NormalbeloppRate",
    "Notice",
    "NoticePreference",
    "Organisation",
    "OrganisationYearPolicy",
    "PasswordReset",
    "PayPeriodState",
    "PayRun",
    "PayRunRequest",
    "Payslip",
    "Project",
    "PushDevice",
    "RatesFile",
    "Receipt",
    "Record",
    "SellerMemory",
    "SingleSignOn",
    "SingleSignOnIdentity",
    "TaxTableFile",
    "TimeEntry",
    "TimeLock",
    "TimeRow",
    "TimeWeek",
    "TravelClaim",
    "VacationEntitlement",
    "metadata",
]
