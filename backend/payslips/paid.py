"""Who is paid in a period, and the period as the payslip engine reads it (pay day, cut-off)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from backend.db.models import Employee, Organisation
from backend.db.models.people import full_name
from backend.domain.calendar import PayPeriod, cutoff_date, extra_run_pay_date, pay_date
from backend.domain.payslip import inputs as engine
from backend.payslips.facts import Paid, Person, among


def payslip_period(
    organisation: Organisation, period: PayPeriod, *, extra_run_on: date | None = None
) -> engine.PayslipPeriod:
    if extra_run_on is not None:  # takes what is approved up to the day it is made; paid on a banking day
        return engine.PayslipPeriod(period.year, period.month, extra_run_pay_date(extra_run_on), extra_run_on)
    return engine.PayslipPeriod(
        period.year,
        period.month,
        pay_date(period, organisation.pay_day),
        cutoff_date(period, organisation.cutoff_day),
    )


def paid_window(period: PayPeriod) -> tuple[date, date]:
    """Who gets a payslip for the period: started by its last day, and not left before the second
    date (pay for the last weeks of work comes a month or two after the employment ends)."""
    return period.last_day(), period.first_day() - timedelta(days=62)


def employed_during(employee: Paid, window: tuple[date, date]) -> bool:
    """Paid in the period whose ``paid_window`` is ``window`` (found once for a whole payroll)."""
    started_by, left_after = window
    return employee.start_date <= started_by and (employee.end_date is None or employee.end_date >= left_after)


async def employees(
    session: AsyncSession, organisation: Organisation, employee_ids: Sequence[UUID] | None, period: PayPeriod
) -> list[Person]:
    """The organisation's employees paid in the period (``employee_ids`` None: all of them), their columns alone.

    Filtered in the database, so those who left years ago are never read; ``gather`` applies
    the same window to employees loaded some other way.
    """
    started_by, left_after = paid_window(period)
    statement = sa_select(
        col(Employee.id),
        col(Employee.employee_number),
        col(Employee.first_name),
        col(Employee.last_name),
        col(Employee.birth_date),
        col(Employee.start_date),
        col(Employee.end_date),
        col(Employee.tax_table),
        col(Employee.tax_column),
    ).where(
        col(Employee.organisation_id) == organisation.id,
        col(Employee.start_date) <= started_by,
        col(Employee.end_date).is_(None) | (col(Employee.end_date) >= left_after),
    )
    if employee_ids is not None:
        statement = statement.where(among(session, Employee.id, employee_ids))
    return [
        Person(id_, number, full_name(first, last), born, start, end, table, column)
        for id_, number, first, last, born, start, end, table, column in (await session.execute(statement)).tuples()
    ]
