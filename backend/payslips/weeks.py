"""Reported time as the engine reads it: a week's days with their unsocial hours, and weeks across a paid month's end."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import AttestItem, Organisation
from backend.db.models.time import TimeEntry, TimeWeek
from backend.domain.attest import AttestState, ItemKind
from backend.domain.payslip import inputs as engine
from backend.domain.rates.agreements import AgreementProfile
from backend.domain.time.ob import ClockSpan, unsocial_hours
from backend.payslips.facts import Facts, among, chunks


def time_rows(entry: TimeEntry, approved_on: date, profile: AgreementProfile) -> list[engine.TimeRow]:
    """A reported day as the engine reads it, with the unsocial hours its clock times give."""
    rows = [engine.TimeRow(entry.day, engine.TimeCode(entry.code), entry.hours, str(entry.week_id), approved_on)]
    if entry.start_time and entry.end_time and entry.code in ("work", "mertid"):
        span = ClockSpan(entry.start_time, entry.end_time)
        for ob_item, hours in unsocial_hours(entry.day, span, entry.hours, profile).items():
            if hours > 0:
                rows.append(
                    engine.TimeRow(entry.day, engine.TimeCode(ob_item.value), hours, str(entry.week_id), approved_on)
                )
    return rows


async def straddling_weeks(
    session: AsyncSession,
    organisation: Organisation,
    facts: dict[UUID, Facts],
    profile: AgreementProfile,
    paid_through: date | None,
) -> None:
    """Weeks across the end of the last paid month: that run paid (and locked) their first days; the rest is due.

    Only days after the month the last regular run settled are added, so no day is paid twice; the
    next run moves the week to itself (``PayslipService._lock``).
    """
    if paid_through is None:
        return
    for chunk in chunks(list(facts)):
        weeks = (
            await session.execute(
                sa_select(  # sqlmodel's select types four columns at most
                    col(AttestItem.id),
                    col(AttestItem.subject_id),
                    col(AttestItem.employee_id),
                    col(AttestItem.decided_at),
                    col(AttestItem.submitted_at),
                )
                .join(TimeWeek, col(TimeWeek.id) == col(AttestItem.subject_id))
                .where(
                    col(AttestItem.organisation_id) == organisation.id,
                    among(session, AttestItem.employee_id, chunk),
                    col(AttestItem.kind) == ItemKind.TIME_WEEK.value,
                    col(AttestItem.state) == AttestState.LOCKED.value,
                    col(TimeWeek.week_start) > paid_through - timedelta(days=6),
                )
            )
        ).all()
        if not weeks:
            continue
        decided = {subject: (decided_at or submitted_at).date() for _, subject, _, decided_at, submitted_at in weeks}
        entries = await session.execute(
            select(TimeEntry).where(among(session, TimeEntry.week_id, list(decided)), col(TimeEntry.day) > paid_through)
        )
        for entry in entries.scalars():
            facts[entry.employee_id].time.extend(time_rows(entry, decided[entry.week_id], profile))
        for item_id, subject, employee_id, _, _ in weeks:
            facts[employee_id].included_items[str(subject)] = item_id
