"""Lead time from submission to attest, per manager and team, for payroll and managers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from backend.attest.schemas import Insight, LeadTimeView, ManagerLeadTime, PersonRef
from backend.core.auth import Principal
from backend.core.authorization import PAYROLL_TEAM, Role
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Language
from backend.db.models import AttestItem, CostCentre, Employee
from backend.domain.attest import AttestState, was_returned
from backend.domain.insight import LeadTimes, lead_times

SECONDS_PER_DAY = Decimal(86400)


def _view(figures: LeadTimes) -> LeadTimeView:
    return LeadTimeView(
        decided=figures.decided,
        median_days=figures.median_days,
        p90_days=figures.p90_days,
        returned_share=figures.returned_share,
        waiting_over_limit=figures.waiting_over_limit,
    )


async def insight(
    session: AsyncSession,
    principal: Principal,
    start: date,
    end: date,
    waiting_limit_days: int,
    now: datetime,
    language: Language,
) -> Insight:
    """Decisions made in [start, end] and items waiting now; managers see only their own figures."""
    manager = aliased(Employee)
    since = datetime.combine(start, datetime.min.time(), tzinfo=STOCKHOLM)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=STOCKHOLM)
    statement = (
        select(AttestItem, Employee, manager, CostCentre.name)
        .join(Employee, col(Employee.id) == col(AttestItem.employee_id))
        .outerjoin(manager, col(manager.id) == col(Employee.manager_id))
        .outerjoin(CostCentre, col(CostCentre.id) == col(Employee.cost_centre_id))
        .where(
            col(AttestItem.organisation_id) == principal.organisation_id,
            (
                (col(AttestItem.decided_at) >= since) & (col(AttestItem.decided_at) < until)
                | (col(AttestItem.state) == AttestState.SUBMITTED.value)
            ),
        )
    )
    if not principal.has(Role.PAYROLL):
        statement = statement.where(col(Employee.manager_id) == principal.employee_id)
    rows = (await session.execute(statement)).tuples().all()
    limit = now - timedelta(days=waiting_limit_days)
    waits: dict[object, list[Decimal]] = defaultdict(list)
    returned: dict[object, int] = defaultdict(int)
    waiting: dict[object, int] = defaultdict(int)
    people: dict[object, tuple[PersonRef, str | None]] = {}
    teams: dict[str, list[object]] = defaultdict(list)
    for item, employee, boss, team in rows:
        key = boss.id if boss else None
        if key not in people:
            ref = (
                PersonRef(id=boss.id, name=boss.full_name)
                if boss
                else PersonRef(id=employee.organisation_id, name=PAYROLL_TEAM(language))
            )
            people[key] = (ref, team)
        for group in (key, "all", f"team:{team or '-'}"):
            if item.state == AttestState.SUBMITTED and item.submitted_at < limit:
                waiting[group] += 1
            if item.decided_at is not None and since <= item.decided_at < until:
                waits[group].append(Decimal((item.decided_at - item.submitted_at).total_seconds()) / SECONDS_PER_DAY)
                returned[group] += was_returned(item.times_returned)
        teams[team or "-"].append(key)
    by_manager = []
    for key, (ref, team) in people.items():
        figures = lead_times(waits[key], returned[key], waiting[key])
        by_manager.append(
            ManagerLeadTime(
                manager=ref,
                team=team,
                decided=figures.decided,
                median_days=figures.median_days,
                p90_days=figures.p90_days,
                returned_share=figures.returned_share,
                waiting_over_limit=figures.waiting_over_limit,
            )
        )
    return Insight(
        from_date=start,
        to_date=end,
        waiting_limit_days=waiting_limit_days,
        overall=_view(lead_times(waits["all"], returned["all"], waiting["all"])),
        by_manager=sorted(by_manager, key=lambda m: (m.median_days is None, -(m.median_days or 0))),
        by_team={
            team: _view(lead_times(waits[f"team:{team}"], returned[f"team:{team}"], waiting[f"team:{team}"]))
            for team in sorted(teams)
        },
    )
