"""A computed payslip as plain JSON in both languages: stored when a pay run is finalised, shown as is.

Preliminary payslips go through the same form, so a preliminary and a finalised payslip
look alike and a stored one never depends on code that changed since.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from backend.core.i18n import Language
from backend.domain.payslip.model import Payslip
from backend.domain.payslip.text import num
from backend.domain.rates import PayItemKind
from backend.domain.time.vacation import PayslipVacation
from backend.payslips.schemas import (
    ContributionPartView,
    ContributionsView,
    DetailView,
    EmployerView,
    LineView,
    PayslipView,
    PendingView,
    TaxView,
    VacationView,
    WarningView,
    YearToDateView,
)

if TYPE_CHECKING:
    from backend.db.models import Organisation

SALARY_CODES = ("salary", "salary_retro")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


@dataclass(frozen=True)
class Header:
    """Who pays whom, and the vacation balance: what a lönespecifikation shows beside the lines."""

    employer_name: str
    org_number: str | None
    employee_number: str | None
    vacation: PayslipVacation | None = None


def header(organisation: Organisation, employee_number: str, vacation: PayslipVacation | None) -> Header:
    return Header(organisation.name, organisation.org_number, employee_number, vacation)


PAY_ITEM_CODES = frozenset(kind.value for kind in PayItemKind)


def _d(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _days(value: Decimal) -> str:
    """Days as the leave page gives them: two decimals (half days exist)."""
    return str(value.quantize(Decimal("0.01")))


def _vacation(v: PayslipVacation) -> dict[str, Any]:
    sv = (
        f"Semesteråret är kalenderåret {v.year}. Betalda dagar {num(v.paid_days, 'sv')}: uttagna till och med "
        f"periodens slut {num(v.taken, 'sv')}, planerade eller väntar på attest {num(v.planned, 'sv')}, kvar "
        f"{num(v.remaining, 'sv')}. Obetalda dagar {num(v.unpaid_days, 'sv')} (lagens 25 dagar minus betalda). "
        "Sparade dagar förs inte i systemet; fråga löneadministratören."
    )
    en = (
        f"The vacation year is the calendar year {v.year}. Paid days {num(v.paid_days, 'en')}: taken up to the "
        f"end of the period {num(v.taken, 'en')}, planned or awaiting attest {num(v.planned, 'en')}, left "
        f"{num(v.remaining, 'en')}. Unpaid days {num(v.unpaid_days, 'en')} (the law's 25 days less paid days). "
        "Saved days are not kept in the system; ask payroll."
    )
    return {
        "year": v.year,
        "paid_days": _days(v.paid_days),
        "taken": _days(v.taken),
        "planned": _days(v.planned),
        "remaining": _days(v.remaining),
        "unpaid_days": _days(v.unpaid_days),
        "saved_days": None if v.saved_days is None else _days(v.saved_days),
        "explanation": {"sv": sv, "en": en},
    }


def to_snapshot(
    payslip: Payslip, *, employee_name: str, extra_run: bool = False, header: Header | None = None
) -> dict[str, Any]:
    p = payslip
    return {
        "employer": None if header is None else {"name": header.employer_name, "org_number": header.org_number},
        "employee_number": None if header is None else header.employee_number,
        "vacation": None if header is None or header.vacation is None else _vacation(header.vacation),
        "employee_id": p.employee_id,
        "employee_name": employee_name,
        "period": p.period.label,
        "pay_date": p.period.pay_date.isoformat(),
        "cut_off": p.period.cut_off.isoformat(),
        "extra_run": extra_run,
        "computed_on": p.as_of.isoformat(),
        "gross_pay": str(p.gross_pay),
        "taxable_benefits": str(p.taxable_benefits),
        "taxable_pay": str(p.taxable_pay),
        "tax_free": str(p.tax_free),
        "tax": str(p.tax),
        "net_pay": str(p.net_pay),
        "employer_cost": str(p.employer_cost),
        "lines": [
            {
                "code": line.code,
                "group": line.group.value,
                "text": {"sv": line.text_sv, "en": line.text_en},
                "quantity": _d(line.quantity),
                "unit": line.unit,
                "rate": _d(line.rate),
                "amount": str(line.amount),
                "taxable": line.taxable,
                "cash": line.cash,
                "work_period": line.work_period,
                "source_ids": list(line.source_ids),
                "explanation": {"sv": line.explanation_sv, "en": line.explanation_en},
                "details": [
                    {
                        "text": {"sv": d.text_sv, "en": d.text_en},
                        "quantity": _d(d.quantity),
                        "unit": d.unit,
                        "rate": _d(d.rate),
                        "amount": str(d.amount),
                    }
                    for d in line.details
                ],
            }
            for line in p.lines
        ],
        "tax_basis": {
            "year": p.tax_basis.year,
            "table": p.tax_basis.table,
            "column": p.tax_basis.column,
            "column_derived_from_age": p.tax_basis.column_derived_from_age,
            "taxable_pay": str(p.tax_basis.taxable_pay),
            "tax": str(p.tax_basis.tax),
            "explanation": {"sv": p.tax_basis.explanation_sv, "en": p.tax_basis.explanation_en},
        },
        "employer_contributions": {
            "total": str(p.employer_contributions.total),
            "parts": [
                {
                    "base": str(part.base),
                    "rate": str(part.rate),
                    "amount": str(part.amount),
                    "explanation": {"sv": part.explanation_sv, "en": part.explanation_en},
                }
                for part in p.employer_contributions.parts
            ],
        },
        "year_to_date": {
            "year": p.year_to_date.year,
            "gross_pay": str(p.year_to_date.gross_pay),
            "taxable_pay": str(p.year_to_date.taxable_pay),
            "tax": str(p.year_to_date.tax),
            "net_pay": str(p.year_to_date.net_pay),
            "employer_contributions": str(p.year_to_date.employer_contributions),
            "tax_free": str(p.year_to_date.tax_free),
        },
        "pending": [
            {
                "item_id": item.item_id,
                "kind": item.kind.value,
                "status": item.status.value,
                "approved": item.approved,
                "can_reach_this_payslip": item.can_reach_this_payslip,
                "text": {"sv": item.text_sv, "en": item.text_en},
                "amount": _d(item.amount),
                "hours": _d(item.hours),
                "submitted_on": item.submitted_on.isoformat() if item.submitted_on else None,
                "explanation": {"sv": item.explanation_sv, "en": item.explanation_en},
            }
            for item in p.pending
        ],
        "warnings": [{"code": w.code, "message": {"sv": w.message.sv, "en": w.message.en}} for w in p.warnings],
    }


def _plain(text: str) -> str:
    """A text as a person reads it: internal ids (in snapshots stored before they were left out) removed."""
    if not UUID_TEXT.search(text):
        return text
    cleaned = re.sub(r"\s+([,.;)])", r"\1", UUID_TEXT.sub("", text)).replace("()", "").replace("( ", "(")
    return re.sub(r"\s{2,}", " ", cleaned).strip().rstrip(":").strip()


def warnings(snapshot: dict[str, Any], language: Language) -> list[WarningView]:
    """A stored payslip's warnings as a person reads them."""
    return [WarningView(code=w["code"], message=_plain(w["message"][language])) for w in snapshot["warnings"]]


def view(snapshot: dict[str, Any], language: Language, *, preliminary: bool, pay_run_id: UUID | None) -> PayslipView:
    """The API's payslip from a snapshot of any age: fields added later default to None or empty."""
    s = snapshot
    employer = s.get("employer")
    vacation = s.get("vacation")
    return PayslipView(
        employer=EmployerView(name=employer["name"], org_number=employer["org_number"]) if employer else None,
        employee_id=UUID(s["employee_id"]),
        employee_name=s["employee_name"],
        employee_number=s.get("employee_number"),
        period=s["period"],
        pay_date=_date(s["pay_date"]),
        cut_off=_date(s["cut_off"]),
        preliminary=preliminary,
        extra_run=bool(s.get("extra_run")),
        pay_run_id=pay_run_id,
        computed_on=_date(s["computed_on"]),
        net_pay=Decimal(s["net_pay"]),
        gross_pay=Decimal(s["gross_pay"]),
        taxable_benefits=Decimal(s["taxable_benefits"]),
        taxable_pay=Decimal(s["taxable_pay"]),
        tax_free=Decimal(s["tax_free"]),
        tax=Decimal(s["tax"]),
        lines=[
            LineView(
                code=line["code"],
                group=line["group"],
                text=_plain(line["text"][language]),
                quantity=_opt(line["quantity"]),
                unit=line["unit"],
                rate=_opt(line["rate"]),
                amount=Decimal(line["amount"]),
                taxable=line["taxable"],
                cash=line["cash"],
                work_period=line["work_period"],
                source_ids=line["source_ids"],
                explanation=_plain(line["explanation"][language]),
                details=[
                    DetailView(
                        text=_plain(d["text"][language]),
                        quantity=_opt(d["quantity"]),
                        unit=d["unit"],
                        rate=_opt(d["rate"]),
                        amount=Decimal(d["amount"]),
                    )
                    for d in line.get("details", [])
                ],
            )
            for line in s["lines"]
        ],
        tax_basis=TaxView(
            year=s["tax_basis"]["year"],
            table=s["tax_basis"]["table"],
            column=s["tax_basis"]["column"],
            column_derived_from_age=s["tax_basis"]["column_derived_from_age"],
            taxable_pay=Decimal(s["tax_basis"]["taxable_pay"]),
            tax=Decimal(s["tax_basis"]["tax"]),
            explanation=_plain(s["tax_basis"]["explanation"][language]),
        ),
        employer_contributions=ContributionsView(
            total=Decimal(s["employer_contributions"]["total"]),
            parts=[
                ContributionPartView(
                    base=Decimal(part["base"]),
                    rate=Decimal(part["rate"]),
                    amount=Decimal(part["amount"]),
                    explanation=part["explanation"][language],
                )
                for part in s["employer_contributions"]["parts"]
            ],
        ),
        employer_cost=Decimal(s["employer_cost"]),
        year_to_date=YearToDateView(
            year=int(s["year_to_date"]["year"]),
            gross_pay=Decimal(s["year_to_date"]["gross_pay"]),
            taxable_pay=Decimal(s["year_to_date"]["taxable_pay"]),
            tax=Decimal(s["year_to_date"]["tax"]),
            net_pay=Decimal(s["year_to_date"]["net_pay"]),
            employer_contributions=Decimal(s["year_to_date"]["employer_contributions"]),
            tax_free=Decimal(s["year_to_date"]["tax_free"]),
        ),
        vacation=None
        if not vacation
        else VacationView(
            year=int(vacation["year"]),
            paid_days=Decimal(vacation["paid_days"]),
            taken=Decimal(vacation["taken"]),
            planned=Decimal(vacation["planned"]),
            remaining=Decimal(vacation["remaining"]),
            unpaid_days=Decimal(vacation["unpaid_days"]),
            saved_days=_opt(vacation["saved_days"]),
            explanation=vacation["explanation"][language],
        ),
        pending=[
            PendingView(
                item_id=item["item_id"],
                kind=item["kind"],
                status=item["status"],
                approved=item["approved"],
                can_reach_this_payslip=item["can_reach_this_payslip"],
                text=_plain(item["text"][language]),
                amount=_opt(item["amount"]),
                hours=_opt(item["hours"]),
                submitted_on=_date(item["submitted_on"]) if item["submitted_on"] else None,
                explanation=_plain(item["explanation"][language]),
            )
            for item in s["pending"]
        ],
        warnings=warnings(s, language),
    )


def _opt(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _date(value: str) -> date:
    return date.fromisoformat(value)


def salary_paid(payslip: Payslip) -> list[dict[str, str]]:
    """What this payslip paid per work month, by kind: the basis for later retro (``domain/payslip/retro.py``).

    Per month: ``salary`` (monthly salary and its retro), ``hours``/``hourly_wage``/``hourly_amount``
    (ordinary hours of hourly staff and what was paid for them, retro included; ``hour_lines`` the
    hours of each line, ``;``-separated), ``item:<code>`` (OB/overtime hours of each line) with
    ``items_amount`` (paid for them, retro included), and ``paid_on``.
    """
    months: dict[str, dict[str, Decimal]] = defaultdict(dict)
    wages: dict[str, str] = {}
    lines: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # hours line by line

    def add(month: str, key: str, value: Decimal) -> None:
        months[month][key] = months[month].get(key, Decimal(0)) + value

    for line in payslip.lines:
        month = line.work_period
        if month is None:
            continue
        if line.code in SALARY_CODES:
            add(month, "salary", line.amount)
        elif line.code in ("hourly_pay", "hourly_retro"):
            add(month, "hourly_amount", line.amount)
            if line.code == "hourly_pay" and line.quantity is not None:
                add(month, "hours", line.quantity)
                lines[month]["hour_lines"].append(str(line.quantity))
                if line.rate is not None:
                    wages[month] = str(line.rate)
        elif line.code in PAY_ITEM_CODES or line.code == "pay_item_retro":
            add(month, "items_amount", line.amount)
            if line.code != "pay_item_retro" and line.quantity is not None:
                lines[month][f"item:{line.code}"].append(str(line.quantity))
    return [
        {
            "month": month,
            **{k: str(v) for k, v in values.items()},
            **({"hourly_wage": wages[month]} if month in wages else {}),
            **{key: ";".join(hours) for key, hours in lines[month].items()},
            "paid_on": payslip.as_of.isoformat(),
        }
        for month, values in sorted(months.items())
    ]


def sick_spells(payslip: Payslip) -> list[dict[str, Any]]:
    return [
        {
            "first_day": spell.first_day.isoformat(),
            "last_day": spell.last_day.isoformat(),
            "karens": spell.karens,
            "first_day_number": spell.first_day_number,
        }
        for spell in payslip.sick_spells
    ]
