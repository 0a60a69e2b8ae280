"""The vacation balance on the payslip, for many employees at once (two queries a chunk).

The same days as the leave page (``backend.leave``): approved and pending vacation requests
against the year's entitlement; the rule itself is ``payslip_vacation`` in the domain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import AttestItem, LeaveRequest, VacationEntitlement
from backend.domain.attest import ItemKind
from backend.domain.time.vacation import DEFAULT_VACATION_DAYS, PayslipVacation, payslip_vacation
from backend.leave.services import COUNTED

CHUNK = 5000


async def balances(
    session: AsyncSession, employee_ids: Sequence[UUID], year: int, as_of: date
) -> dict[UUID, PayslipVacation]:
    """Each employee's balance in ``year``, with days up to ``as_of`` counted as taken."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    entitlement: dict[UUID, Decimal] = {}
    ranges: dict[UUID, dict[str, list[tuple[date, date]]]] = defaultdict(lambda: {"approved": [], "pending": []})
    ids = list(employee_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = await session.execute(
            select(col(VacationEntitlement.employee_id), col(VacationEntitlement.days)).where(
                col(VacationEntitlement.employee_id).in_(chunk), col(VacationEntitlement.year) == year
            )
        )
        entitlement.update(dict(rows.tuples().all()))
        requests = await session.execute(
            select(
                col(LeaveRequest.employee_id),
                col(LeaveRequest.first_day),
                col(LeaveRequest.last_day),
                col(AttestItem.state),
            )
            .join(AttestItem, col(AttestItem.subject_id) == col(LeaveRequest.id))
            .where(
                col(LeaveRequest.employee_id).in_(chunk),
                col(LeaveRequest.kind) == "vacation",
                col(LeaveRequest.first_day) <= last,
                col(LeaveRequest.last_day) >= first,
                col(AttestItem.kind) == ItemKind.LEAVE_REQUEST.value,
                col(AttestItem.state).in_(list(COUNTED)),
            )
        )
        for employee_id, first_day, last_day, state in requests.tuples():
            ranges[employee_id][COUNTED[state]].append((first_day, last_day))
    return {
        employee_id: payslip_vacation(
            year,
            entitlement.get(employee_id, DEFAULT_VACATION_DAYS),
            ranges[employee_id]["approved"],
            ranges[employee_id]["pending"],
            as_of=as_of,
        )
        for employee_id in ids
    }
