"""Every background task, in one list: what runs, on which queue, how often, how it is retried.

The tasks are thin: they take the ``WorkerContext`` the runner passes and call the code that
owns the work (receipt reading, the outbox, reminder rounds). procrastinate's cron is read in
UTC, so the reminder rounds are checked every hour and decide themselves, in Stockholm time
from the injected clock, whether this is their hour.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import structlog
from procrastinate import App, JobContext

from backend.core.metrics import JOB_FAILURES
from backend.domain.calendar import PayPeriod
from backend.expenses import interpretation
from backend.exports import closing
from backend.maintenance.pruning import prune_all
from backend.notices import delivery, digests, reminders
from backend.payslips import finalising
from backend.worker.context import WorkerContext
from backend.worker.jobs import NOTIFICATIONS, PAYROLL, RECEIPTS, ROUTINE
from backend.worker.retry import job_retry
from notifications.retry import RetryPolicy, attempts_left

log = structlog.get_logger(__name__)

EVERY_5_SECONDS = "* * * * * */5"
"""croniter's sixth field is seconds."""
EVERY_10_SECONDS = "* * * * * */10"
EVERY_MINUTE = "* * * * *"
HOURLY = "0 * * * *"
NIGHTLY = "17 2 * * *"
"""02:17 UTC, 03:17 or 04:17 in Stockholm: the quietest hours."""

ROUND_RETRY = RetryPolicy(max_attempts=4, base_seconds=0, cap_seconds=0)
"""A reminder round that failed runs again at once, up to three more times."""
PRUNE_RETRY = RetryPolicy(max_attempts=3, base_seconds=0, cap_seconds=0)
"""Pruning that failed runs again at once, up to twice more (the next night's run catches up anyway)."""


def context_of(job: JobContext) -> WorkerContext:
    ctx = job.additional_context.get("ctx")
    assert isinstance(ctx, WorkerContext)
    return ctx


def jobs_of(job: JobContext) -> Any:
    return job.additional_context["jobs"]


def register(app: App) -> None:
    """Add every task to ``app`` (each App gets its own task objects: tests open several)."""

    @app.task(
        name="interpret_receipt",
        queue=RECEIPTS,
        pass_context=True,
        retry=job_retry(interpretation.RETRY, only={interpretation.TryAgain}),
    )
    async def interpret_receipt(job: JobContext, receipt_id: str) -> None:
        await _counted("interpret_receipt", interpretation.interpret_one(context_of(job), UUID(receipt_id)))

    @app.periodic(cron=EVERY_MINUTE, periodic_id="find_receipts")
    @app.task(
        name="find_receipts", queue=ROUTINE, pass_context=True, queueing_lock="find_receipts", lock="find_receipts"
    )
    async def find_receipts(job: JobContext, timestamp: int | None = None) -> None:
        """Receipts waiting without a job (an API process died after the upload, a restart): defer them."""
        found = await interpretation.waiting_receipts(context_of(job), await jobs_of(job).live_locks(RECEIPTS))
        await _defer_each(job, "interpret_receipt", [interpretation.job_for(i) for i in found])

    @app.task(
        name="close_period",
        queue=PAYROLL,
        pass_context=True,
        retry=job_retry(closing.RETRY),
    )
    async def close_period(job: JobContext, organisation_id: str, period: str) -> None:
        """A month close payroll asked for: the export batch, or the reason it was refused."""
        ctx, organisation, month = context_of(job), UUID(organisation_id), PayPeriod.parse(period)
        await _or_give_up(
            job,
            "close_period",
            closing.close_period(ctx, organisation, month),
            closing.RETRY,
            lambda: closing.give_up(ctx, organisation, month),  # payroll's page says so; closing again is allowed
        )

    @app.periodic(cron=EVERY_MINUTE, periodic_id="find_closes")
    @app.task(name="find_closes", queue=ROUTINE, pass_context=True, queueing_lock="find_closes", lock="find_closes")
    async def find_closes(job: JobContext, timestamp: int | None = None) -> None:
        """Periods closing without a job (an API process died after the request, a restart): defer them."""
        found = await closing.waiting_closes(context_of(job), await jobs_of(job).live_locks(PAYROLL))
        await _defer_each(job, "close_period", [closing.job_for(o, p) for o, p in found])

    @app.task(
        name="finalise_pay_run",
        queue=PAYROLL,
        pass_context=True,
        retry=job_retry(finalising.RETRY),
    )
    async def finalise_pay_run(job: JobContext, request_id: str) -> None:
        """A pay run payroll asked for: paid, or the reason it was refused."""
        ctx = context_of(job)
        await _or_give_up(
            job,
            "finalise_pay_run",
            finalising.finalise_requested(ctx, UUID(request_id)),
            finalising.RETRY,
            lambda: finalising.give_up(ctx, UUID(request_id)),  # payroll's page says so; asking again is allowed
        )

    @app.periodic(cron=EVERY_MINUTE, periodic_id="find_pay_runs")
    @app.task(
        name="find_pay_runs", queue=ROUTINE, pass_context=True, queueing_lock="find_pay_runs", lock="find_pay_runs"
    )
    async def find_pay_runs(job: JobContext, timestamp: int | None = None) -> None:
        """Pay runs asked for without a job (an API process died after the request, a restart): defer them."""
        found = await finalising.waiting_requests(context_of(job), await jobs_of(job).live_locks(PAYROLL))
        await _defer_each(job, "finalise_pay_run", [finalising.job_for(i) for i in found])

    @app.task(name="send_notifications", queue=NOTIFICATIONS, pass_context=True)
    async def send_notifications(job: JobContext, slot: int) -> None:
        assert job.job.id is not None
        ctx = context_of(job)
        more = await _counted("send_notifications", delivery.send_for_job(ctx, jobs_of(job).owner(job.job.id)))
        if more:  # a full round: let other jobs run, then go on
            await jobs_of(job).defer("send_notifications", queueing_lock=f"send:{slot}", slot=slot)

    @app.periodic(cron=EVERY_5_SECONDS, periodic_id="dispatch_notifications")
    @app.task(
        name="dispatch_notifications",
        queue=ROUTINE,
        pass_context=True,
        queueing_lock="dispatch_notifications",
        lock="dispatch_notifications",
    )
    async def dispatch_notifications(job: JobContext, timestamp: int | None = None) -> None:
        """Digests that are due become deliveries; due deliveries get sending jobs (one per slot)."""
        ctx = context_of(job)
        await _counted("dispatch_notifications", digests.materialise_digests(ctx))
        slots = delivery.slots_needed(await delivery.due_count(ctx), ctx.settings.notify_slots)
        for slot in range(slots):
            await jobs_of(job).defer("send_notifications", queueing_lock=f"send:{slot}", slot=slot)

    @app.periodic(cron=EVERY_10_SECONDS, periodic_id="recover")
    @app.task(name="recover", queue=ROUTINE, pass_context=True, queueing_lock="recover")
    async def recover(job: JobContext, timestamp: int | None = None) -> None:
        """Jobs of dead workers go back to the queue; deliveries held by jobs that ended are let go.

        The one routine task without a ``lock``: a lock held by a dead worker's job would stop the
        task that frees it. The others run one at a time (a finder racing itself counts twice).
        """
        jobs = jobs_of(job)
        retried = await jobs.retry_stalled()
        released = await delivery.release_abandoned(context_of(job), jobs.abandoned)
        if retried or released:
            log.warning("jobs_recovered", retried=retried, deliveries_released=released)

    @app.periodic(cron=HOURLY, periodic_id="cutoff_reminders")
    @app.task(
        name="cutoff_reminders",
        queue=ROUTINE,
        pass_context=True,
        queueing_lock="cutoff_reminders",
        lock="cutoff_reminders",
    )
    async def cutoff_reminders(job: JobContext, timestamp: int | None = None) -> None:
        """At the reminder hours, one job per organisation (a round never holds one huge transaction)."""
        ctx = context_of(job)
        if not reminders.is_reminder_hour(ctx.clock.now()):
            return
        for organisation_id in await reminders.organisation_ids(ctx):
            await jobs_of(job).defer(
                "cutoff_reminders_for",
                queueing_lock=f"cutoff_reminders:{organisation_id}",
                organisation_id=str(organisation_id),
            )

    @app.task(name="cutoff_reminders_for", queue=ROUTINE, pass_context=True, retry=job_retry(ROUND_RETRY))
    async def cutoff_reminders_for(job: JobContext, organisation_id: str) -> None:
        await _counted("cutoff_reminders", reminders.send_cutoff_reminders(context_of(job), UUID(organisation_id)))

    @app.periodic(cron=HOURLY, periodic_id="attest_nudges")
    @app.task(
        name="attest_nudges",
        queue=ROUTINE,
        pass_context=True,
        queueing_lock="attest_nudges",
        lock="attest_nudges",
        retry=job_retry(ROUND_RETRY),
    )
    async def attest_nudges(job: JobContext, timestamp: int | None = None) -> None:
        ctx = context_of(job)
        if reminders.is_nudge_hour(ctx.clock.now()):
            await _counted("attest_nudges", reminders.send_attest_nudges(ctx))

    @app.periodic(cron=NIGHTLY, periodic_id="prune")
    @app.task(
        name="prune",
        queue=ROUTINE,
        pass_context=True,
        queueing_lock="prune",
        lock="prune",
        retry=job_retry(PRUNE_RETRY),
    )
    async def prune(job: JobContext, timestamp: int | None = None) -> None:
        """Finished deliveries, old notices, expired idempotency keys, and the job system's own old jobs."""
        ctx = context_of(job)
        counts = await _counted("prune", prune_all(ctx.sessions, ctx.clock.now(), ctx.settings))
        counts["jobs"] = await jobs_of(job).prune(ctx.settings.retention.delivery_days)
        log.info("pruned", **counts)


async def _defer_each(job: JobContext, task: str, arguments: list[dict[str, Any]]) -> None:
    """A finder's catch: one job each for work that waits without one."""
    for kwargs in arguments:
        await jobs_of(job).defer(task, **kwargs)
    if arguments:
        log.info("found_without_a_job", task=task, count=len(arguments))


async def _or_give_up(
    job: JobContext, name: str, work: Awaitable[None], retry: RetryPolicy, give_up: Callable[[], Awaitable[None]]
) -> None:
    """Run the work; a failure is tried again after a pause, except on its last try: then ``give_up``
    records it where people see it (the period or the pay run says to try again) and the job ends."""
    try:
        await _counted(name, work)
    except Exception:
        if attempts_left(retry, job.job.attempts + 1):  # as the task's job_retry(retry) decides
            raise
        log.exception("job_gave_up", task=name, job=job.job.id)
        await give_up()


async def _counted(name: str, work: Any) -> Any:
    """Run a task's work, counting a failure in the metrics (procrastinate then retries or records it)."""
    try:
        return await work
    except Exception:
        JOB_FAILURES.labels(name).inc()
        raise
