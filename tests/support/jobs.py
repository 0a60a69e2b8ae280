"""Running the job system's real worker in a test until no job is left."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.worker.context import WorkerContext
from backend.worker.jobs import PAYROLL, QUEUES, ROUTINE, Jobs


async def drain(jobs: Jobs, context: WorkerContext, queues: Iterable[str] = QUEUES, concurrency: int = 1) -> None:
    """procrastinate's own worker, stopping when every due job has run (jobs it defers included)."""
    await jobs.open()
    await jobs.app.run_worker_async(
        queues=list(queues),
        concurrency=concurrency,
        wait=False,
        install_signal_handlers=False,
        listen_notify=False,
        delete_jobs="successful",
        additional_context={"ctx": context, "jobs": jobs},
    )


class RunJobs:
    """The tests' worker: the finders a test names, then every job they and the requests deferred.

    On SQLite a request defers into the app's own in-memory queue, out of a test's reach; the
    finders (``find_closes``, ``find_receipts``) find that work in the tables, as they do after a
    restart, so the same test runs on both databases.
    """

    def __init__(self, jobs: Jobs, context: WorkerContext) -> None:
        self.jobs = jobs
        self.context = context

    async def __call__(self, *finders: str, queues: Iterable[str] = QUEUES) -> None:
        for finder in finders:
            await self.jobs.defer(finder)
        await drain(self.jobs, self.context, queues)


async def close_period(
    client: AsyncTestClient[Litestar], headers: dict[str, str], period: str, run_jobs: RunJobs
) -> tuple[Response, dict[str, Any]]:
    """Payroll closes ``period`` and the close job runs: the request's answer and the period after.

    After a 202 the period is ``closed`` with its new batch last, or ``open`` with ``close_problem``.
    """
    asked = await client.post(f"/api/payroll/periods/{period}/close", headers=headers)
    if asked.status_code == 202:
        assert asked.json()["state"] == "closing", asked.text
        await run_jobs("find_closes", queues=[ROUTINE, PAYROLL])
    after = await client.get(f"/api/payroll/periods/{period}", headers=headers)
    assert after.status_code == 200, after.text
    view: dict[str, Any] = after.json()
    return asked, view


async def pay_run(
    client: AsyncTestClient[Litestar], headers: dict[str, str], body: dict[str, Any], run_jobs: RunJobs
) -> Response:
    """Payroll asks for a pay run and its job runs; answered as the run was before it became a job.

    201 with the run when paid; the refusal's problem (its status) when refused; the request's
    own answer when it was refused at once (403, 409 while another waits, 422).
    """
    asked = await client.post("/api/payroll/pay-runs", json=body, headers=headers)
    if asked.status_code != 202:
        return asked
    await run_jobs("find_pay_runs", queues=[ROUTINE, PAYROLL])
    found = await client.get(f"/api/payroll/pay-runs/requests/{asked.json()['id']}", headers=headers)
    return outcome(found)


def outcome(found: Response) -> Response:
    """A pay-run request after its job, as the run's answer: 201 with the run, or the refusal's problem."""
    assert found.status_code == 200, found.text
    request = found.json()
    if request["state"] == "done":
        return Response(201, json=request["pay_run"])
    assert request["state"] == "refused", request
    problem = request["problem"]
    return Response(
        problem["status"], content=json.dumps(problem), headers={"content-type": "application/problem+json"}
    )
