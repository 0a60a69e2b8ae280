"""Finalising a pay run as a job: payroll asks, a worker pays, payroll's page shows the outcome.

A pay run of a large organisation computes and stores every payslip (tens of seconds at 100 000
employees), so ``POST /api/payroll/pay-runs`` only records a ``PayRunRequest`` and defers
``finalise_pay_run``. The job runs ``PayslipService.finalise`` as the person who asked (their
account as it is now) and marks the request done in the same transaction: a job killed midway
paid nothing and runs again; a job that finds its request no longer waiting does nothing, so a
run is paid once. What the run refuses (the preview changed, already paid, nothing to pay) is
recorded on the request in both languages; a run that keeps failing for other reasons is
refused after its last try with a problem that says to try again. One request waits per
organisation at a time; the finder gives a waiting request without a job one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.accounts.services import AccountService
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.core.i18n import Language, Text
from backend.core.problems import Problem, conflict, details, forbidden, from_stored, not_found, stored
from backend.db.models import PayRun, PayRunRequest
from backend.domain.calendar import PayPeriod
from backend.payslips.pool import PayrollPool
from backend.payslips.schemas import PayRunRequestView
from backend.payslips.services import PayslipService, run_view
from backend.worker.context import WorkerContext
from notifications.retry import RetryPolicy

log = structlog.get_logger(__name__)

WAITING, DONE, REFUSED = "waiting", "done", "refused"
RETRY = RetryPolicy(max_attempts=3, base_seconds=10, factor=10)
"""Three tries of one run before the request is refused with a retryable problem;
the job system waits 10, then 100 seconds between them."""

GAVE_UP = Problem(
    503,
    "pay_run.failed",
    Text(sv="Lönekörningen misslyckades", en="The pay run failed"),
    Text(
        sv="Lönekörningen kunde inte göras just nu (inget har betalats). Försök igen.",
        en="The pay run could not be made just now (nothing was paid). Try again.",
    ),
)
NOT_ALLOWED = Problem(
    403,
    "forbidden",
    Text(sv="Otillåtet", en="Forbidden"),
    Text(
        sv="Den som bad om lönekörningen har inte längre behörighet att göra den.",
        en="The person who asked for the pay run is no longer allowed to make it.",
    ),
)


def job_for(request_id: UUID) -> dict[str, Any]:
    """The job's arguments and locks: one waiting job per request, one running at a time."""
    lock = f"pay_run:{request_id}"
    return {"queueing_lock": lock, "lock": lock, "request_id": str(request_id)}


async def ask(
    session: AsyncSession,
    principal: Principal,
    period: PayPeriod,
    *,
    extra: bool,
    fingerprint: str | None,
    now: datetime,
) -> PayRunRequest:
    """Record payroll's request (409 while another waits). Commits; the caller defers the job."""
    if not principal.has(Role.PAYROLL):
        raise forbidden()
    request = PayRunRequest(
        organisation_id=principal.organisation_id,
        period=str(period),
        extra=extra,
        fingerprint=fingerprint,
        requested_by_account_id=principal.account_id,
        requested_at=now,
    )
    session.add(request)
    try:
        await session.flush()  # the partial unique index: one waiting request per organisation
    except IntegrityError as exc:
        await session.rollback()
        raise conflict(
            "pay_run.waiting",
            Text(
                sv="En lönekörning görs redan. Vänta tills den är klar.",
                en="A pay run is already being made. Wait until it is done.",
            ),
        ) from exc
    audit.record(
        session,
        organisation_id=principal.organisation_id,
        actor=principal,
        entity_type="pay_run_request",
        entity_id=request.id,
        action="requested",
        after={"period": str(period), "extra": extra, "preview": fingerprint},
    )
    await session.commit()
    return request


async def view(session: AsyncSession, request: PayRunRequest, language: Language) -> PayRunRequestView:
    run = await session.get(PayRun, request.pay_run_id) if request.pay_run_id else None
    return PayRunRequestView(
        id=request.id,
        period=request.period,
        extra=request.extra,
        state=request.state,  # type: ignore[arg-type]  # the column holds only these three
        requested_at=request.requested_at,
        finished_at=request.finished_at,
        pay_run=run_view(run, request.locked_items) if run is not None else None,
        problem=details(from_stored(request.problem), language, f"/api/payroll/pay-runs/requests/{request.id}")
        if request.problem
        else None,
    )


async def one(session: AsyncSession, principal: Principal, request_id: UUID) -> PayRunRequest:
    """A request of the principal's organisation (404 for any other)."""
    if not principal.has(Role.PAYROLL):
        raise forbidden()
    request = await session.get(PayRunRequest, request_id)
    if request is None or request.organisation_id != principal.organisation_id:
        raise not_found()
    return request


async def finalise_requested(ctx: WorkerContext, request_id: UUID) -> None:
    """Pay the run a waiting request asks for, or record why it cannot be paid."""
    async with ctx.sessions() as session:
        request = await session.get(PayRunRequest, request_id, with_for_update=True)
        if request is None or request.state != WAITING:
            return  # paid by an earlier run of this job, or refused
        asked_by = request.requested_by_account_id
        principal = (
            await AccountService(session, ctx.settings).acting(asked_by, request.organisation_id) if asked_by else None
        )
        if principal is None or not principal.has(Role.PAYROLL):
            await _refuse(session, request_id, NOT_ALLOWED, ctx.clock.now())
            return
        now = ctx.clock.now()
        service = PayslipService(session, principal, ctx.clock.today(), "sv", _pool(ctx))
        try:
            run = await service.finalise(
                PayPeriod.parse(request.period),
                extra=request.extra,
                now=now,
                expected=request.fingerprint,
                commit=False,
            )
        except Problem as problem:
            await _refuse(session, request_id, problem, now)
            log.info("pay_run_refused", request=str(request_id), code=problem.code)
            return
        request.state, request.finished_at = DONE, now
        request.pay_run_id, request.locked_items = run.id, run.locked_items
        await session.commit()  # the run, its payslips, the locks, the notices and the request: together
        log.info("pay_run_finalised", request=str(request_id), period=run.period, employees=run.employees)


async def give_up(ctx: WorkerContext, request_id: UUID) -> None:
    """After the last try: the request is refused and says to try again (nothing was paid)."""
    async with ctx.sessions() as session:
        await _refuse(session, request_id, GAVE_UP, ctx.clock.now())


async def _refuse(session: AsyncSession, request_id: UUID, problem: Problem, now: datetime) -> None:
    await session.rollback()
    request = await session.get(PayRunRequest, request_id, with_for_update=True)
    if request is None or request.state != WAITING:
        return
    request.state, request.finished_at, request.problem = REFUSED, now, stored(problem)
    await session.commit()


def _pool(ctx: WorkerContext) -> PayrollPool:
    """The worker's payroll processes, started on the first run (the event loop keeps the heartbeats going)."""
    pool = ctx.tools.get("payroll_pool")
    if not isinstance(pool, PayrollPool):
        settings = ctx.settings
        pool = PayrollPool(settings.database, settings.payroll_processes, inline_below=settings.payroll_inline_below)
        ctx.tools["payroll_pool"] = pool
    return pool


async def waiting_requests(ctx: WorkerContext, live_locks: set[str]) -> list[UUID]:
    """Waiting requests without a job (the finder defers them)."""
    async with ctx.sessions() as session:
        found = (await session.execute(select(PayRunRequest.id).where(col(PayRunRequest.state) == WAITING))).scalars()
        return [i for i in found if job_for(i)["lock"] not in live_locks]
