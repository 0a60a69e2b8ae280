"""A payroll year simulated through the API, and the invariants a payroll office relies on.

Used by ``tests/integration/payslips/test_simulated_year.py``. Everything happens through the
HTTP API as the users would do it; the invariants read the database, the record of what was
actually paid. A broken invariant does not stop the year (unless the month cannot be paid at
all): it is written down with the cycle it broke in, so one run shows every kind of break.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import Account, AccountRole, AttestItem, Employee, Employment, LeaveRequest, PayRun, Payslip
from backend.db.models.time import TimeWeek
from backend.domain.calendar import PayPeriod, is_working_day
from backend.payslips.snapshot import SALARY_CODES
from backend.worker.jobs import PAYROLL, ROUTINE
from tests.support.flows import submitted_claim
from tests.support.jobs import RunJobs, outcome

MONEY_KINDS = ("expense_claim", "travel_claim")
DESTINATIONS = ("Göteborg", "Malmö", "Umeå", "Luleå", "Karlstad", "Sundsvall")


class Stop(Exception):
    """The year cannot go on (a month could not be paid): the findings so far are the result."""


@dataclass(frozen=True)
class Finding:
    cycle: str
    invariant: str
    detail: str


@dataclass
class Findings:
    """Broken invariants in the order they were found."""

    seed: int
    items: list[Finding] = field(default_factory=list)
    unpaid: set[UUID] = field(default_factory=set)
    """Items already reported as not paid by a run: each is reported once, not after every run."""
    cycle: str = "setup"
    requests: int = 0

    def add(self, invariant: str, detail: str) -> None:
        self.items.append(Finding(self.cycle, invariant, detail))

    def report(self) -> str:
        """One paragraph per invariant: how often it broke, and its first break in full."""
        by_invariant: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.items:
            by_invariant[finding.invariant].append(finding)
        parts = [f"simulated year (seed {self.seed}, replay with SIMULATED_YEAR_SEED={self.seed}):"]
        for invariant, found in by_invariant.items():
            cycles = sorted({f.cycle for f in found})
            parts.append(
                f"* {invariant}: {len(found)} time(s) in cycles {', '.join(cycles)}; first in {found[0].cycle}: "
                f"{found[0].detail}"
            )
        return "\n".join(parts)


@dataclass(frozen=True)
class Person:
    id: UUID
    email: str
    number: str
    manager_email: str | None
    hourly: bool


async def people(engine: AsyncEngine, organisation_id: UUID) -> dict[UUID, Person]:
    """Everyone in the organisation with their manager's login (who attests their items)."""
    async with session_maker(engine)() as session:
        employees = list(
            (await session.execute(select(Employee).where(col(Employee.organisation_id) == organisation_id))).scalars()
        )
        hourly = set(
            (
                await session.execute(
                    select(Employment.employee_id).where(
                        col(Employment.organisation_id) == organisation_id, col(Employment.pay_type) == "hourly"
                    )
                )
            ).scalars()
        )
    email = {e.id: e.email for e in employees}
    return {
        e.id: Person(
            e.id, e.email, e.employee_number, email.get(e.manager_id) if e.manager_id else None, e.id in hourly
        )
        for e in employees
    }


async def payroll_emails(engine: AsyncEngine, organisation_id: UUID) -> set[str]:
    async with session_maker(engine)() as session:
        rows = await session.execute(
            select(Account.email)
            .join(AccountRole, col(AccountRole.account_id) == col(Account.id))
            .where(col(Account.organisation_id) == organisation_id, col(AccountRole.role) == "payroll")
        )
        return set(rows.scalars())


class Api:
    """The API as the simulated users call it: every answer is checked for 5xx and a missing year."""

    def __init__(self, client: AsyncTestClient[Litestar], findings: Findings, password: str, run_jobs: RunJobs) -> None:
        self.client = client
        self.findings = findings
        self.password = password
        self.run_jobs = run_jobs
        self._tokens: dict[str, dict[str, str]] = {}

    async def pay_run(self, who: str, body: dict[str, Any]) -> Any:
        """Ask for a pay run and let its job run: the run (201) or the refusal's problem, as one answer."""
        asked = await self.call(who, "POST", "/api/payroll/pay-runs", json=body)
        if asked.status_code != 202:
            return asked
        await self.run_jobs("find_pay_runs", queues=[ROUTINE, PAYROLL])
        return outcome(await self.call(who, "GET", f"/api/payroll/pay-runs/requests/{asked.json()['id']}"))

    async def headers(self, email: str) -> dict[str, str]:
        if email not in self._tokens:
            response = await self.client.post("/api/auth/login", json={"email": email, "password": self.password})
            assert response.status_code == 200, response.text
            self.client.cookies.clear()
            self._tokens[email] = {"authorization": f"Bearer {response.json()['token']}"}
        return self._tokens[email]

    async def call(self, who: str, method: str, url: str, *, valid: bool = True, **kwargs: Any) -> Any:
        """One request as ``who``. ``valid``: the event is a valid one, so any refusal is a finding."""
        response = await self.client.request(method, url, headers=await self.headers(who), **kwargs)
        if response.status_code == 401:  # a token older than its lifetime: sign in again, as the app would
            self._tokens.pop(who, None)
            response = await self.client.request(method, url, headers=await self.headers(who), **kwargs)
        self.findings.requests += 1
        status = response.status_code
        where = f"{method} {url} as {who}"
        if status >= 500:
            self.findings.add("no request answers 5xx", f"{where} -> {status}: {response.text[:300]}")
        elif status == 422 and "rates.year_not_available" in response.text:
            self.findings.add("no request answers 422 for a missing year", f"{where}: {response.text[:300]}")
        elif valid and status >= 400:
            self.findings.add("a valid event is accepted", f"{where} -> {status}: {response.text[:800]}")
        return response


def month_start(period: PayPeriod, months_back: int) -> date:
    for _ in range(months_back):
        period = period.previous()
    return period.first_day()


def at_utc(day: date, hour: int) -> datetime:
    """``hour`` o'clock UTC on ``day`` (09-13 UTC is working hours in Stockholm all year)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def working_days(first: date, last: date) -> list[date]:
    """Weekdays that are not public holidays (a vacation of holidays only is no vacation)."""
    days, day = [], first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def weeks_within(month: PayPeriod) -> list[date]:
    """Mondays of the weeks wholly inside the month (a week across two months is paid in two runs)."""
    monday = month.first_day() + timedelta(days=(7 - month.first_day().weekday()) % 7)
    found = []
    while monday + timedelta(days=6) <= month.last_day():
        found.append(monday)
        monday += timedelta(days=7)
    return found


@dataclass
class Year:
    """The simulated organisation's year: the events of each cycle, drawn from one seeded generator."""

    api: Api
    clock: FixedClock
    engine: AsyncEngine
    organisation_id: UUID
    rng: random.Random
    staff: dict[UUID, Person]
    payroll: str
    busy: dict[UUID, set[date]] = field(default_factory=lambda: defaultdict(set))
    """Days with leave or a reported week already, per employee: valid events do not overlap."""
    leave_days: dict[tuple[UUID, int], int] = field(default_factory=lambda: defaultdict(int))
    changed: set[UUID] = field(default_factory=set)
    """Employees whose salary terms payroll changed: their coming payslips are checked for retro."""

    def _attested(self) -> list[Person]:
        return [p for p in self.staff.values() if p.manager_email and p.email != self.payroll]

    # Events -----------------------------------------------------------------------------------

    async def salary_change(self, period: PayPeriod) -> None:
        """Payroll records new monthly terms from the first of a month up to six months back."""
        person = self.rng.choice([p for p in self._attested() if not p.hourly])
        current = await self.api.call(self.payroll, "GET", f"/api/employees/{person.id}/employments")
        if current.status_code != 200:
            return
        history = sorted(current.json(), key=lambda t: str(t["valid_from"]))
        taken = {date.fromisoformat(t["valid_from"]) for t in history}
        free = [day for day in (month_start(period, back) for back in range(7)) if day not in taken]
        if not free:
            return  # terms from the same day are replaced by a later change, not recorded twice
        valid_from = self.rng.choice(free)
        terms = [t for t in history if date.fromisoformat(t["valid_from"]) <= valid_from] or history
        base = Decimal(terms[-1]["monthly_salary"])
        delta = Decimal(self.rng.choice([-1500, -500, 500, 1000, 2000, 3500]))
        self.changed.add(person.id)
        await self.api.call(
            self.payroll,
            "POST",
            f"/api/employees/{person.id}/employments",
            json={
                "valid_from": valid_from.isoformat(),
                "monthly_salary": str(base + delta),
                "weekly_hours": terms[-1]["weekly_hours"],
                "employment_rate": terms[-1]["employment_rate"],
            },
        )

    async def expense(self, person: Person, on: date) -> None:
        headers = await self.api.headers(person.email)
        amount = Decimal(self.rng.randint(5000, 250000)) / 100
        try:
            await submitted_claim(
                self.api.client, headers, amount=str(amount), title=f"Utlägg {on:%Y-%m}", expense_date=on.isoformat()
            )
        except AssertionError as refused:
            self.api.findings.add("a valid event is accepted", f"expense claim of {person.email}: {refused}")
        self.api.findings.requests += 4

    async def trip(self, person: Person, month: PayPeriod) -> None:
        monday = self.rng.choice(weeks_within(month))
        days = self.rng.randint(1, 3)  # per diem needs a night away
        if any(monday + timedelta(days=d) in self.busy[person.id] for d in range(days + 1)):
            return
        claim_id = uuid.uuid4()
        departure = datetime.combine(monday, time(self.rng.randint(6, 11)))
        back = datetime.combine(monday + timedelta(days=days), time(self.rng.randint(15, 21)))
        created = await self.api.call(
            person.email,
            "PUT",
            f"/api/travel-claims/{claim_id}",
            json={
                "departure_at": departure.isoformat(),
                "return_at": back.isoformat(),
                "purpose": "Kundbesök",
                "destination": self.rng.choice(DESTINATIONS),
                "distance_from_home_km": "320",
                "distance_from_workplace_km": "310",
                "lodging_paid_by_employer": self.rng.random() < 0.7,
            },
        )
        if created.status_code < 300:
            await self.api.call(person.email, "POST", f"/api/travel-claims/{claim_id}/submit")

    async def week(self, person: Person, month: PayPeriod) -> None:
        """A reported week of the month: work, and some days of sickness or vacation."""
        free = [m for m in weeks_within(month) if not {m + timedelta(days=d) for d in range(7)} & self.busy[person.id]]
        if not free:
            return
        monday = self.rng.choice(free)
        label = f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}"
        shown = await self.api.call(person.email, "GET", f"/api/time/weeks/{label}")
        if shown.status_code != 200:
            return
        scheduled = [Decimal(day["scheduled_hours"]) for day in shown.json()["days"]]
        kind = self.rng.choice(["sick", "sick", "vacation", "work"])
        working = [d for d, hours in enumerate(scheduled) if hours]
        away = set(self.rng.sample(working, min(len(working), self.rng.randint(1, 3)))) if kind != "work" else set()
        rows: list[dict[str, Any]] = [
            {
                "code": code,
                "hours": [str(h) if h and (d in away) == (code != "work") else None for d, h in enumerate(scheduled)],
            }
            for code in (["work", kind] if away else ["work"])
        ]
        rows = [row for row in rows if any(row["hours"])]
        saved = await self.api.call(person.email, "PUT", f"/api/time/weeks/{label}", json={"rows": rows})
        if saved.status_code < 300:
            self.busy[person.id] |= {monday + timedelta(days=d) for d in range(7)}
            await self.api.call(person.email, "POST", f"/api/time/weeks/{label}/submit")

    async def vacation(self, person: Person, month: PayPeriod) -> None:
        """A vacation request for one to five working days in the coming weeks."""
        start = month.first_day() + timedelta(days=self.rng.randint(9, 40))
        days = working_days(start, start + timedelta(days=self.rng.randint(0, 6)))
        if not days or set(days) & self.busy[person.id]:
            return
        if self.leave_days[(person.id, days[0].year)] + len(days) > 20 or days[0].year != days[-1].year:
            return
        request_id = uuid.uuid4()
        created = await self.api.call(
            person.email,
            "PUT",
            f"/api/leave/requests/{request_id}",
            json={"first_day": days[0].isoformat(), "last_day": days[-1].isoformat(), "kind": "vacation"},
        )
        if created.status_code < 300:
            self.busy[person.id] |= {days[0] + timedelta(days=d) for d in range((days[-1] - days[0]).days + 1)}
            self.leave_days[(person.id, days[0].year)] += len(days)
            await self.api.call(person.email, "POST", f"/api/leave/requests/{request_id}/submit")

    async def events(self, period: PayPeriod) -> None:
        """One month's happenings before the cut-off; the time and claims are for the month before."""
        worked = period.previous()
        staff = self._attested()
        for _ in range(self.rng.randint(1, 3)):
            await self.salary_change(period)
        for person in self.rng.sample(staff, self.rng.randint(1, 4)):
            await self.expense(person, self.rng.choice(working_days(worked.first_day(), worked.last_day())))
        for person in self.rng.sample(staff, self.rng.randint(0, 2)):
            await self.trip(person, worked)
        for person in self.rng.sample(staff, self.rng.randint(1, 4)):
            await self.week(person, worked)
        for person in self.rng.sample(staff, self.rng.randint(0, 2)):
            await self.vacation(person, period)

    async def attest(self, share: float) -> None:
        """Every manager goes through their inbox and approves about ``share`` of it (the rest waits)."""
        for manager in sorted({p.manager_email for p in self.staff.values() if p.manager_email}):
            inbox = await self.api.call(manager, "GET", "/api/attest/inbox", params={"limit": 1000})
            if inbox.status_code != 200:
                continue
            chosen = [i for i in inbox.json()["items"] if self.rng.random() < share]
            if chosen:
                await self.api.call(
                    manager,
                    "POST",
                    "/api/attest/decisions",
                    json={
                        "decisions": [
                            {"item_id": i["id"], "action": "approve", "version": i["version"]} for i in chosen
                        ]
                    },
                )

    async def read_pages(self, sample: int) -> None:
        """What employees and payroll open after a run: the list, the default payslip, its PDF, the overview."""
        for person in self.rng.sample(list(self.staff.values()), sample):
            await self.api.call(person.email, "GET", "/api/payslips")
            await self.api.call(person.email, "GET", "/api/payslips/preliminary")
        await self.api.call(self.rng.choice(self._attested()).email, "GET", "/api/payslips/pdf")
        await self.api.call(self.payroll, "GET", "/api/payroll/overview")


# The record of what was paid ----------------------------------------------------------------


@dataclass
class Ledger:
    items: list[AttestItem]
    payslips: list[Payslip]
    runs: dict[UUID, PayRun]
    employments: dict[UUID, list[Employment]]
    last_day: dict[UUID, date]
    """The last day an item is about (a week's Sunday, a leave's last day), by subject id."""


async def ledger(engine: AsyncEngine, organisation_id: UUID) -> Ledger:
    async with session_maker(engine)() as session:
        items = list(
            (
                await session.execute(select(AttestItem).where(col(AttestItem.organisation_id) == organisation_id))
            ).scalars()
        )
        payslips = list(
            (
                await session.execute(
                    select(Payslip)
                    .where(col(Payslip.organisation_id) == organisation_id)
                    .order_by(col(Payslip.created_at), col(Payslip.id))
                )
            ).scalars()
        )
        runs = {
            r.id: r
            for r in (
                await session.execute(select(PayRun).where(col(PayRun.organisation_id) == organisation_id))
            ).scalars()
        }
        employments: dict[UUID, list[Employment]] = defaultdict(list)
        for row in (
            await session.execute(select(Employment).where(col(Employment.organisation_id) == organisation_id))
        ).scalars():
            employments[row.employee_id].append(row)
        last_day = {
            w.id: w.week_start + timedelta(days=6)
            for w in (
                await session.execute(select(TimeWeek).where(col(TimeWeek.organisation_id) == organisation_id))
            ).scalars()
        }
        for leave in (
            await session.execute(select(LeaveRequest).where(col(LeaveRequest.organisation_id) == organisation_id))
        ).scalars():
            last_day[leave.id] = leave.last_day
    return Ledger(items, payslips, runs, employments, last_day)


def due_for_settling(item: AttestItem, book: Ledger, run: PayRun) -> bool:
    """Whether an item approved before ``run`` must be paid (settled) by it.

    A regular run pays what was approved by its cut-off (the item's pay period is the run's or
    earlier) about days up to the end of the month it settles (one month in arrears); an extra
    run pays the claims approved since the regular one.
    """
    if run.sequence > 0:
        return item.kind in MONEY_KINDS
    period = PayPeriod.parse(run.period)
    if item.pay_period is None or PayPeriod.parse(item.pay_period) > period:
        return False
    last = book.last_day.get(item.subject_id)
    return last is None or last <= period.previous().last_day()


def check_run(findings: Findings, before: Ledger, after: Ledger, run_id: UUID) -> None:
    """Every approved item due is paid by the run, and nothing is paid twice."""
    run = after.runs[run_id]
    if not is_working_day(run.pay_date):
        findings.add(
            "pay dates are banking days", f"run {run.period}#{run.sequence} pays on {run.pay_date:%A %Y-%m-%d}"
        )
    now = {i.id: i for i in after.items}
    for item in before.items:
        if item.state != "approved" or not due_for_settling(item, before, run):
            continue
        settled = now[item.id]
        if (settled.state != "locked" or settled.pay_run_id != run_id) and item.id not in findings.unpaid:
            findings.unpaid.add(item.id)
            findings.add(
                "every approved item is paid exactly once",
                f"{item.kind} {item.subject_id} ({item.title!r}, pay period {item.pay_period}) approved before the "
                f"run {run.period}#{run.sequence} is {settled.state} with pay run {settled.pay_run_id} after it",
            )
    check_paid_once(findings, after)


def check_paid_once(findings: Findings, book: Ledger) -> None:
    """A locked item belongs to one run; a paid source's month appears on one payslip only (and a claim on one).

    An item across months (a week across a month's end, a leave request over several months) is paid
    month by month: the same source may be on several payslips, each for another month of work.
    """
    on_payslips: dict[str, list[Payslip]] = defaultdict(list)
    per_month: dict[tuple[str, str], list[Payslip]] = defaultdict(list)
    for payslip in book.payslips:
        paid = {(s, line.get("work_period") or "") for line in payslip.snapshot["lines"] for s in line["source_ids"]}
        for source in {s for s, _ in paid}:
            on_payslips[source].append(payslip)
        for key in paid:
            per_month[key].append(payslip)
    for (source, month), found in per_month.items():
        if len(found) > 1:
            findings.add(
                "every approved item is paid exactly once",
                f"{source} ({month or 'no work month'}) is on {len(found)} payslips: "
                + ", ".join(f"{p.period} run {book.runs[p.pay_run_id].sequence}" for p in found),
            )
    for item in book.items:
        if item.state == "locked" and item.pay_run_id is None:
            findings.add("every approved item is paid exactly once", f"{item.kind} {item.subject_id} locked in no run")
        if item.state != "locked" and str(item.subject_id) in on_payslips:
            findings.add(
                "every approved item is paid exactly once",
                f"{item.kind} {item.subject_id} is on a finalised payslip but {item.state}",
            )
        if item.kind in MONEY_KINDS and item.state == "locked":
            found = on_payslips.get(str(item.subject_id), [])
            if [p.pay_run_id for p in found] != [item.pay_run_id]:
                findings.add(
                    "every approved item is paid exactly once",
                    f"{item.kind} {item.subject_id} ({item.title!r}) locked in run {item.pay_run_id} but on the "
                    f"payslips of runs {[str(p.pay_run_id) for p in found]}",
                )


def check_year_to_date(findings: Findings, book: Ledger, names: dict[UUID, str]) -> None:
    """Each payslip's YTD gross, tax and net is the sum of the employee's payslips that year so far."""
    sums: dict[tuple[UUID, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for payslip in book.payslips:  # in the order they were finalised
        ytd = payslip.snapshot["year_to_date"]
        total = sums[(payslip.employee_id, payslip.pay_date.year)]
        for name, value in (("gross_pay", payslip.gross_pay), ("tax", payslip.tax), ("net_pay", payslip.net_pay)):
            total[name] += value
            if Decimal(ytd[name]) != total[name] or int(ytd["year"]) != payslip.pay_date.year:
                findings.add(
                    "sum of payslips = YTD",
                    f"employee {names.get(payslip.employee_id)} payslip {payslip.period} (run "
                    f"{book.runs[payslip.pay_run_id].sequence}, paid {payslip.pay_date}): YTD {ytd['year']} {name} "
                    f"{ytd[name]}, sum of the year's payslips {total[name]}",
                )
                break


def salary_due(rows: list[Employment], month: PayPeriod) -> Decimal | None:
    """The month's salary under the terms known now (terms change on the first of a month here).

    None for hourly staff and for a month that starts under no terms.
    """
    known = sorted((r for r in rows if r.valid_from <= month.first_day()), key=lambda r: (r.valid_from, r.created_at))
    if not known or known[-1].pay_type != "monthly" or known[-1].monthly_salary is None:
        return None
    latest = known[-1]
    assert latest.monthly_salary is not None
    return (latest.monthly_salary * latest.employment_rate / 100).quantize(Decimal("0.01"))


def salary_paid_by_month(book: Ledger) -> tuple[dict[tuple[UUID, str], Decimal], dict[tuple[UUID, str], list[str]]]:
    """Salary and retro paid per employee and work month over all finalised payslips, and the lines."""
    paid: dict[tuple[UUID, str], Decimal] = defaultdict(Decimal)
    lines: dict[tuple[UUID, str], list[str]] = defaultdict(list)
    for payslip in book.payslips:
        for line in payslip.snapshot["lines"]:
            if line["code"] in SALARY_CODES and line["work_period"]:
                key = (payslip.employee_id, line["work_period"])
                paid[key] += Decimal(line["amount"])
                lines[key].append(f"{line['code']} {line['amount']} on {payslip.period}#{payslip.pay_run_id}")
    return paid, lines


async def check_coming_retro(year: Year, findings: Findings, book: Ledger, names: dict[UUID, str]) -> None:
    """The coming preliminary payslip's retro lines are what is due for each month less what was paid."""
    paid, lines = salary_paid_by_month(book)
    for employee_id in sorted(year.changed):
        coming = await year.api.call(
            year.payroll, "GET", "/api/payslips/preliminary", params={"employee_id": str(employee_id)}
        )
        if coming.status_code != 200:
            continue
        for line in coming.json()["lines"]:
            if line["code"] != "salary_retro":
                continue
            due = salary_due(book.employments[employee_id], PayPeriod.parse(line["work_period"]))
            expected = (due or Decimal(0)) - paid[(employee_id, line["work_period"])]
            if Decimal(line["amount"]) != expected:
                findings.add(
                    "retro lines equal the difference between pay before and after the change",
                    f"coming payslip {coming.json()['period']} of {names.get(employee_id)}: retro for "
                    f"{line['work_period']} {line['amount']}, due {due} less paid "
                    f"{paid[(employee_id, line['work_period'])]} "
                    f"({'; '.join(lines[(employee_id, line['work_period'])]) or 'no lines'}) = {expected}",
                )


def check_retro(
    findings: Findings, book: Ledger, first: PayPeriod, paid_through: PayPeriod, names: dict[UUID, str]
) -> None:
    """What the payslips paid as salary for each month (the month's line plus retro lines) is what is due now.

    So each retro line is exactly the difference between the salary due under the new terms and
    what was paid for that month before.
    """
    paid, lines = salary_paid_by_month(book)
    for employee_id, rows in book.employments.items():
        if any(r.pay_type != "monthly" for r in rows):
            continue
        month = first
        while month <= paid_through:
            due = salary_due(rows, month)
            if due is not None and paid[(employee_id, str(month))] != due:
                history = ", ".join(
                    f"{r.monthly_salary} from {r.valid_from} (recorded {r.created_at:%Y-%m-%d})"
                    for r in sorted(rows, key=lambda r: (r.valid_from, r.created_at))
                    if r.valid_from >= date(2026, 1, 1)
                )
                findings.add(
                    "retro lines equal the difference between pay before and after the change",
                    f"employee {names.get(employee_id)} month {month}: salary due {due}, paid "
                    f"{paid[(employee_id, str(month))]} ({'; '.join(lines[(employee_id, str(month))]) or 'no lines'}); "
                    f"terms: {history}",
                )
            month = month.next()


def check_overview_matches_run(findings: Findings, overview: dict[str, Any], run: dict[str, Any]) -> None:
    """The preliminary payroll seen just before the run is what the run pays."""
    for name in ("gross_pay", "net_pay", "tax"):
        if Decimal(overview[name]) != Decimal(run[name]):
            findings.add(
                "the preliminary overview is what the run pays",
                f"{run['period']}: overview {name} {overview[name]} ({overview['employees']} employees), "
                f"run {run[name]} ({run['employees']} employees)",
            )
