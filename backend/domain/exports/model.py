"""The plain values of an export: what an approved item is, and what it becomes.

Facts (in) are read by ``backend.exports`` from the database; transactions and vouchers
(out) are frozen into an export batch exactly as built, so downloading a batch again gives
the same bytes, and a correction reverses exactly what was sent (``reversed_transaction``,
``reversed_voucher``). Amounts are exact ``Decimal`` SEK; hours and quantities ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from backend.domain.payslip.inputs import TimeCode, TravelDay, TravelLeg


class Section(StrEnum):
    """Where a payroll transaction goes in the PAXml file."""

    TIME = "tidtransaktioner"  # tidtrans: hours with a tidkod (ARB, ÖT1, OB1, SJK, SEM, VAB, FPE, TJL...)
    PAY = "lonetransaktioner"  # lonetrans: amounts with a lonkod (INR_FRI, MILPRI_SKT, UTLÄGG, MATRED_LCH...)


@dataclass(frozen=True)
class Person:
    """Who a transaction is for, as the payroll system knows them."""

    employee_number: str
    personal_identity_number: str | None  # personnummer, 12 digits YYYYMMDDNNNN; None = missing (refused)
    name: str


@dataclass(frozen=True)
class Dimensions:
    """Cost centre and project codes (PAXml resenheter, SIE #OBJEKT in dimensions 1 and 6)."""

    cost_centre: str | None = None
    project: str | None = None


# --- facts: an approved item, read from the database ----------------------------------------


@dataclass(frozen=True)
class TimeFact:
    """Approved hours of one code on one day (a time week's row, or a leave request's working day)."""

    day: date
    code: TimeCode
    hours: Decimal
    dimensions: Dimensions = Dimensions()
    qualifying_day: bool | None = None
    """A sick day: True = first day of a spell with a karensavdrag (SJK_KAR), False = not; None = the
    export decides from the item's own sick days (``backend.domain.time.sick.spell_starts``)."""


@dataclass(frozen=True)
class ExpenseFact:
    """One approved expense: ``amount_sek`` incl. VAT; ``vat`` as (rate percent, amount SEK) pairs."""

    expense_id: str
    day: date
    amount_sek: Decimal
    vat: tuple[tuple[Decimal, Decimal], ...]
    category: str | None  # backend.domain.expenses.CATEGORIES key
    payment: str  # "private" (reimbursed to the employee) | "company_card"
    text: str
    dimensions: Dimensions = Dimensions()
    reimbursed: Decimal | None = None
    """What the payslip pays for a privately paid expense when a rule limits it (a wellness
    treatment above the cap per occasion); None = ``amount_sek``."""


@dataclass(frozen=True)
class TravelFact:
    """An approved travel claim as the travel rules computed it (stored on the claim)."""

    claim_id: str
    first_day: date
    last_day: date
    country_code: str  # "SE" = domestic
    per_diem_tax_free: Decimal
    per_diem_taxable: Decimal
    mileage_tax_free: Decimal
    mileage_taxable: Decimal
    days: tuple[TravelDay, ...]
    legs: tuple[TravelLeg, ...]
    text: str
    dimensions: Dimensions = Dimensions()
    meals_provided: tuple[tuple[str, ...], ...] = ()
    """Per entry of ``days`` (same order): the free meals ("breakfast", "lunch", "dinner") as the travel
    rules stored them (``computation.per_diem.days[].meals_provided``); empty = not known (MATRED)."""
    leg_vehicles: tuple[str, ...] = ()
    """Per entry of ``legs``: its ``VehicleKind`` value (``computation.mileage.legs[].vehicle``);
    empty = own car."""


@dataclass(frozen=True)
class ItemFacts:
    """One approved attest item (``item_id`` = AttestItem.id) with what the export needs of it.

    A time week or leave request has ``time``; an expense claim ``expenses``; a travel claim
    ``travel`` and the receipts on the trip in ``expenses``.
    """

    item_id: str
    kind: str  # backend.domain.attest.ItemKind value
    person: Person
    approved_on: date
    title: str
    time: tuple[TimeFact, ...] = ()
    expenses: tuple[ExpenseFact, ...] = ()
    travel: TravelFact | None = None


# --- what is exported -------------------------------------------------------------------------


@dataclass(frozen=True)
class PayrollTransaction:
    """One PAXml transaction. ``code`` is the standard's tidkod or lonkod; ``pay_type`` the
    organisation's own löneart it maps to. A reversal carries the negated figures."""

    item_id: str
    section: Section
    person: Person
    code: str
    pay_type: str
    day: date
    text: str
    hours: Decimal | None = None  # TIME
    quantity: Decimal | None = None  # PAY: antal (days, km, pieces)
    unit_price: Decimal | None = None  # PAY: apris
    amount: Decimal | None = None  # PAY: belopp
    dimensions: Dimensions = Dimensions()
    reversal: bool = False


@dataclass(frozen=True)
class VoucherRow:
    """One #TRANS row: debit positive, credit negative."""

    account: str
    amount: Decimal
    text: str = ""
    dimensions: Dimensions = Dimensions()


@dataclass(frozen=True)
class Voucher:
    """One SIE verification per claim; its rows sum to zero."""

    item_id: str
    day: date
    text: str
    rows: tuple[VoucherRow, ...]
    reversal: bool = False


def _negated(value: Decimal | None) -> Decimal | None:
    return None if value is None else -value


def reversed_transaction(transaction: PayrollTransaction) -> PayrollTransaction:
    """What undoes an exported transaction in a later batch (never a silent change)."""
    return replace(
        transaction,
        hours=_negated(transaction.hours),
        quantity=_negated(transaction.quantity),
        amount=_negated(transaction.amount),
        reversal=not transaction.reversal,
    )


def reversed_voucher(voucher: Voucher, day: date) -> Voucher:
    """A verification that undoes an exported one, dated in the batch that carries it."""
    return replace(
        voucher,
        day=day,
        text=f"Rättelse: {voucher.text}",
        rows=tuple(replace(row, amount=-row.amount) for row in voucher.rows),
        reversal=not voucher.reversal,
    )
