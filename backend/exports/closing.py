"""The month close as a job: payroll asks, a worker makes the batch, payroll's page shows the outcome.

A close of a large organisation reads and renders every approved item of the month (about a
minute at 10 000 employees), so the request only marks the period ``closing``
(``PeriodService.request_close``) and defers ``close_period``. The job makes the batch as the
person who asked (their account as it is now) in one transaction: a job killed midway wrote
nothing and runs again; a job that finds the period no longer ``closing`` does nothing, so the
batch exists once. A refused export (an item without a pay code) puts the period back to open
with the reason; a close that keeps failing for other reasons does the same after its last try.
The finder gives a ``closing`` period without a job one (an API process that died after the
request, a restart of the embedded default).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from sqlmodel import col, select

from backend.accounts.services import AccountService
from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.problems import Problem
from backend.db.models import Account, PayPeriodState
from backend.domain.calendar import PayPeriod
from backend.exports.periods import CLOSING, PeriodService
from backend.worker.context import WorkerContext
from notifications.retry import RetryPolicy

log = structlog.get_logger(__name__)

RETRY = RetryPolicy(max_attempts=3, base_seconds=10, factor=10)
"""Three tries of one close before the period goes back to open with a retryable problem;
the job system waits 10, then 100 seconds between them."""

GAVE_UP = Problem(
    503,
    "period.close_failed",
    Text(sv="Stängningen misslyckades", en="The close failed"),
    Text(
        sv="Exporten kunde inte göras just nu (inget har markerats som exporterat). Försök stänga perioden igen.",
        en="The export could not be made just now (nothing was marked as exported). Try closing the period again.",
    ),
)
NOT_ALLOWED = Problem(
    403,
    "forbidden",
    Text(sv="Otillåtet", en="Forbidden"),
    Text(
        sv="Den som bad om stängningen har inte längre behörighet att stänga perioder.",
        en="The person who asked for the close is no longer allowed to close periods.",
    ),
)


def job_for(organisation_id: UUID, period: PayPeriod) -> dict[str, Any]:
    """The close job's arguments and locks: one waiting job per period, one running at a time."""
    lock = f"close:{organisation_id}:{period}"
    return {"queueing_lock": lock, "lock": lock, "organisation_id": str(organisation_id), "period": str(period)}


async def close_period(ctx: WorkerContext, organisation_id: UUID, period: PayPeriod) -> None:
    """Make the batch of a ``closing`` period, or record why it cannot be made."""
    async with ctx.sessions() as session:
        state = (
            await session.execute(
                select(PayPeriodState).where(
                    col(PayPeriodState.organisation_id) == organisation_id,
                    col(PayPeriodState.period) == str(period),
                )
            )
        ).scalar_one_or_none()
        if state is None or state.state != CLOSING:
            return  # closed by an earlier run of this job, or reopened since
        asked_by = state.closed_by_account_id
        principal = await AccountService(session, ctx.settings).acting(asked_by, organisation_id) if asked_by else None
        account = await session.get(Account, asked_by) if asked_by else None
        service = PeriodService(session, principal, organisation_id, ctx.storage)
        if asked_by is not None and (principal is None or not principal.has(Role.PAYROLL, Role.ADMIN)):
            await service.refuse(period, NOT_ALLOWED)
            return
        created_by = str(account.display_name) if account else "system"
        try:
            batch = await service.finish_close(period, ctx.clock.now(), created_by)
        except Problem as problem:
            await service.refuse(period, problem)
            log.info("close_refused", period=str(period), code=problem.code)
            return
        if batch is not None:
            log.info("period_closed", period=str(period), batch=str(batch.id), items=batch.items)


async def give_up(ctx: WorkerContext, organisation_id: UUID, period: PayPeriod) -> None:
    """After the last try: the period is open again and says to try again (nothing was written)."""
    async with ctx.sessions() as session:
        await PeriodService(session, None, organisation_id).refuse(period, GAVE_UP)


async def waiting_closes(ctx: WorkerContext, live_locks: set[str]) -> list[tuple[UUID, PayPeriod]]:
    """Periods ``closing`` without a job (the finder defers them)."""
    async with ctx.sessions() as session:
        rows = await session.execute(
            select(col(PayPeriodState.organisation_id), col(PayPeriodState.period)).where(
                col(PayPeriodState.state) == CLOSING
            )
        )
        found = [(organisation_id, PayPeriod.parse(label)) for organisation_id, label in rows.tuples()]
    return [(o, p) for o, p in found if job_for(o, p)["lock"] not in live_locks]
