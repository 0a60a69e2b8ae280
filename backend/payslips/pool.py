"""A whole organisation's payroll off the event loop: payroll worker processes read and compute chunks of employees.

The API process only lists the employees' ids (a page at a time) and hands them out in chunks;
each worker process reads the chunk's facts with its own (async) database session and runs the
payslip engine on them (``compute.compute``, the same code the API process runs for one payslip),
then sends back plain values: the overview's compact rows, or whole payslips for a pay run. So
reading and computing use every core, and the API's event loop keeps serving other requests.

Why the workers read too, instead of being sent the facts: reading (building rows into objects)
is about half of the CPU time; on the event loop it would hold the loop and keep one core idle.

A small organisation (fewer than ``inline_below`` employees) is computed in the API process:
shipping it costs more than computing it, and its time does not grow.
Workers are started with "spawn" (forking a multi-threaded server is unsafe), once per API process
(``create_app``'s start-up), and shut down with it.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import threading
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter
from typing import Final
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, select

from backend.config import DatabaseSettings
from backend.core.i18n import Text
from backend.core.problems import Problem
from backend.db.models import Employee, Organisation
from backend.domain.calendar import PayPeriod
from backend.payslips import sources
from backend.payslips.compute import Entry, Priced, compute, entry

CHUNK: Final = 1000
"""Employees per job: big enough that a job's round trip is noise, small enough that both cores stay busy."""
NICENESS: Final = 10
"""How much lower the workers' CPU priority is than the API process's: requests first, the payroll with the rest."""
IDS_PER_QUERY: Final = 5000
"""Employee ids listed per query on the event loop (each page is a few milliseconds of it)."""


def default_processes() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Job:
    """One chunk of an organisation's payroll, as plain values a worker process can be sent."""

    database: DatabaseSettings
    organisation_id: UUID
    period: PayPeriod
    employee_ids: tuple[UUID, ...]
    today: date
    extra_run: bool
    whole_payslips: bool
    """True: the whole payslips (a pay run stores them); False: the overview's compact rows."""


@dataclass(frozen=True)
class Done:
    """What a job computed, and which process computed it."""

    pid: int
    entries: list[Entry]
    priced: dict[UUID, Priced]


# One event loop and one engine per database in each worker process, kept between jobs.
_loop: asyncio.AbstractEventLoop | None = None
_engines: dict[DatabaseSettings, tuple[AsyncEngine, async_sessionmaker[AsyncSession]]] = {}


def _sessions(database: DatabaseSettings) -> async_sessionmaker[AsyncSession]:
    from backend.core.database import create_engine, session_maker

    if database not in _engines:
        engine = create_engine(replace(database, pool_size=1, max_overflow=0))
        _engines[database] = (engine, session_maker(engine))
    return _engines[database][1]


def _start_worker(niceness: int) -> None:
    """A worker is batch work: it yields the CPU to the API's requests (``niceness``), and what it imported
    at start is moved out of the garbage collector's sight (as the API process does, ``app.py``)."""
    if niceness:
        os.nice(niceness)
    gc.collect()
    gc.freeze()


def _ready() -> int:
    """Nothing: starting a worker imports the backend, so the first overview need not wait for it."""
    return os.getpid()


def run_job(job: Job) -> Done:
    """A worker process's job: read the chunk's facts and compute its payslips.

    The cyclic garbage collector waits until the job is done: a job makes hundreds of thousands of
    short-lived objects, and its collections in between were a tenth of the worker's time; what the
    job leaves behind is collected as soon as it is enabled again.
    """
    global _loop
    if _loop is None:
        _loop = asyncio.new_event_loop()
    gc.disable()
    try:
        return _loop.run_until_complete(_run(job))
    finally:
        # No connection kept between jobs: ten API processes' idle payroll workers would hold twenty.
        if job.database in _engines:
            _loop.run_until_complete(_engines[job.database][0].dispose())
        gc.enable()


async def _run(job: Job) -> Done:
    async with _sessions(job.database)() as session:
        organisation = await session.get(Organisation, job.organisation_id)
        assert organisation is not None
        employees = await sources.employees(session, organisation, job.employee_ids, job.period)
        priced = await compute(
            session,
            organisation,
            job.period,
            employees,
            job.today,
            extra_run=job.extra_run,
            explain=job.whole_payslips,  # the overview's rows show no explanations
        )
    return _done(priced, whole_payslips=job.whole_payslips)


def _done(priced: dict[UUID, Priced], *, whole_payslips: bool) -> Done:
    if whole_payslips:
        return Done(os.getpid(), [], priced)
    # In name order: the overview's first sort of 100,000 rows then merges sorted runs (``Computed.ordered``).
    rows = sorted((entry(employee_id, p) for employee_id, p in priced.items()), key=attrgetter("order"))
    return Done(os.getpid(), rows, {})


class PayrollPool:
    """Payroll worker processes for one API process: ``await pool.run(job)``; ``close()`` on shutdown."""

    def __init__(self, database: DatabaseSettings, processes: int = 0, *, inline_below: int = 100) -> None:
        self.database = database
        self.processes = processes if processes > 0 else default_processes()
        self.inline_below = inline_below
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(NICENESS,),
        )

    def warm_up(self) -> None:
        """Start every worker now (each imports the backend once), not on the first overview."""
        for _ in range(self.processes):
            self._executor.submit(_ready)

    async def run(self, job: Job) -> Done:
        with self._lock:
            executor = self._executor
        try:
            return await asyncio.wrap_future(executor.submit(run_job, job))
        except BrokenProcessPool as exc:
            with self._lock:  # a worker died (killed, out of memory): a new pool for the next request
                if self._executor is executor:
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._new_executor()
            raise Problem(
                503,
                "payroll_unavailable",
                Text(sv="Lönen kunde inte beräknas", en="Pay could not be computed"),
                Text(sv="En beräkningsprocess avbröts. Försök igen.", en="A computing process stopped. Try again."),
            ) from exc

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


async def _id_pages(
    session: AsyncSession, organisation: Organisation, employee_ids: Sequence[UUID] | None, period: PayPeriod
) -> AsyncIterator[list[UUID]]:
    """The ids of those paid in the period (``sources.employees``' window), a page at a time in id order."""
    started_by, left_after = sources.paid_window(period)
    after: UUID | None = None
    while True:
        statement = (
            select(col(Employee.id))
            .where(
                col(Employee.organisation_id) == organisation.id,
                col(Employee.start_date) <= started_by,
                col(Employee.end_date).is_(None) | (col(Employee.end_date) >= left_after),
            )
            .order_by(col(Employee.id))
            .limit(IDS_PER_QUERY)
        )
        if employee_ids is not None:
            statement = statement.where(col(Employee.id).in_(employee_ids))
        if after is not None:
            statement = statement.where(col(Employee.id) > after)
        page = list((await session.execute(statement)).scalars())
        if not page:
            return
        yield page
        after = page[-1]


async def price(
    session: AsyncSession,
    pool: PayrollPool | None,
    organisation: Organisation,
    period: PayPeriod,
    employee_ids: Sequence[UUID] | None,
    today: date,
    *,
    extra_run: bool = False,
    whole_payslips: bool,
) -> AsyncIterator[Done]:
    """The payroll of the organisation's employees paid in the period (``employee_ids`` None: all), chunk by chunk.

    Without a pool, or for fewer than ``inline_below`` employees, in this process with ``session``.
    At most two jobs per worker are in flight, so finished chunks are taken as fast as they come.
    """
    pages = _id_pages(session, organisation, employee_ids, period)
    no_ids: list[UUID] = []
    first = await anext(pages, no_ids)
    if pool is None or len(first) < max(pool.inline_below, 1):
        ids = list(first)
        async for more in pages:
            ids += more
        employees = await sources.employees(session, organisation, ids, period) if ids else []
        priced = await compute(
            session, organisation, period, employees, today, extra_run=extra_run, explain=whole_payslips
        )
        yield _done(priced, whole_payslips=whole_payslips)
        return

    def job(chunk: list[UUID]) -> Job:
        return Job(pool.database, organisation.id, period, tuple(chunk), today, extra_run, whole_payslips)

    running: set[asyncio.Task[Done]] = set()
    waiting = first  # ids listed but not yet handed out; empty when every page is handed out
    try:
        while waiting or running:
            while waiting and len(running) < 2 * pool.processes:
                chunk, waiting = waiting[:CHUNK], waiting[CHUNK:]
                running.add(asyncio.ensure_future(pool.run(job(chunk))))
                if not waiting:
                    waiting = await anext(pages, no_ids)
            finished, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                yield task.result()
    finally:
        for task in running:
            task.cancel()
