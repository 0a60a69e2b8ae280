"""Demo data: "Demo AB" with teams, managers, payroll, projects and months of history.

Deterministic (a seeded random generator) so screenshots and tests see the same people.
``employees`` above 25 adds generated staff in teams of about eight, for benchmarks;
rows go in with bulk inserts so 10,000 employees take seconds, not minutes.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from backend.core.authorization import Role
from backend.core.passwords import hash_password
from backend.db.models import (
    Account,
    AccountRole,
    CostCentre,
    Employee,
    Employment,
    Organisation,
    OrganisationYearPolicy,
    Project,
)
from backend.db.types import utcnow
from backend.demo.history import demo_history
from backend.demo.payruns import demo_pay_periods, finalise_past_months
from backend.domain import personnummer
from backend.domain.calendar import worked_month
from backend.domain.time.schedule import Terms

DEMO_PASSWORD = "demo1234"  # noqa: S105 - documented demo login, refused outside demo mode
DEMO_ORGANISATION = "Demo AB"
VARIABLE_PAY_IN_ARREARS = True
"""Demo AB pays time one month in arrears (the organisation row and its history agree on it)."""


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    description: str


DEMO_LOGINS = [
    DemoLogin("anna.andersson@demo.se", "employee", "Anna Andersson, utvecklare, rapporterar till Maria"),
    DemoLogin("maria.berg@demo.se", "manager", "Maria Berg, chef för Utveckling"),
    DemoLogin("lena.lind@demo.se", "payroll", "Lena Lind, lönespecialist"),
    DemoLogin("admin@demo.se", "admin", "Administratör"),
]

FIRST_NAMES = [
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Mikael",
    "Jan",
    "Hans",
    "Oskar",
    "Viktor",
    "Elin",
    "Sofia",
    "Karin",
    "Emma",
    "Ida",
    "Sara",
    "Linnea",
    "Maja",
    "Hanna",
    "Eva",
    "Ingrid",
    "Frida",
]
LAST_NAMES = [
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Axelsson",
    "Berglund",
    "Lundberg",
    "Lundgren",
]


def _row(model: type[Any], **values: Any) -> dict[str, Any]:
    now = utcnow()
    return {"id": uuid.uuid4(), "created_at": now, "updated_at": now} | values


def _email(first: str, last: str, taken: set[str]) -> str:
    base = f"{first}.{last}".lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        base = base.replace(a, b)
    email, n = f"{base}@demo.se", 2
    while email in taken:
        email, n = f"{base}{n}@demo.se", n + 1
    taken.add(email)
    return email


def _test_personnummer(birth: date, births: dict[date, int]) -> str:
    """A valid (Luhn, birth date) personnummer, unique in the organisation: birth numbers count down
    from 999 per birth date, a range unlikely to be a real person's of that day."""
    serial = 999 - births.get(birth, 0)
    births[birth] = births.get(birth, 0) + 1
    return personnummer.make(birth, serial)


def _first_settled_day(today: date) -> date | None:
    """The first day of the time the demo's first pay run settles (in arrears: the month before it)."""
    periods = demo_pay_periods(today)
    return worked_month(periods[0], in_arrears=VARIABLE_PAY_IN_ARREARS).first_day() if periods else None


async def demo_exists(session: AsyncSession) -> bool:
    found = await session.execute(select(col(Organisation.id)).where(col(Organisation.name) == DEMO_ORGANISATION))
    return found.first() is not None


PAY_RUN_HISTORY_MAX = 500


ANALYZE_FROM = 1000
"""Organisations this large are a bulk load: their tables are analysed at once."""


async def seed_demo(
    sessions: async_sessionmaker[AsyncSession],
    today: date,
    employees: int = 25,
    password_hash: str | None = None,
    history: bool = True,
) -> uuid.UUID:
    """Create the demo organisation; returns its id. Call only on a database without it.

    ``history`` adds months of time weeks, vacation, travel claims and their attest items
    (``backend/demo/history.py``) and, up to ``PAY_RUN_HISTORY_MAX`` employees, the last year's past
    pay runs (``backend/demo/payruns.py``); tests that need an empty inbox and no paid months
    leave it out. Benchmark-sized organisations build the pay history they measure themselves.
    """
    rng = random.Random(20261123)  # noqa: S311 - demo data, not security
    password_hash = password_hash or hash_password(DEMO_PASSWORD)
    org_id = uuid.uuid4()
    rows: dict[type[Any], list[dict[str, Any]]] = {
        model: [] for model in (CostCentre, Employee, Employment, Account, AccountRole, Project, OrganisationYearPolicy)
    }

    centres = {
        code: _row(CostCentre, organisation_id=org_id, code=code, name=name)
        for code, name in (
            ("100", "Utveckling"),
            ("200", "Försäljning"),
            ("300", "Ekonomi och HR"),
        )
    }
    rows[CostCentre] = list(centres.values())

    taken: set[str] = set()
    births: dict[date, int] = {}
    people: list[dict[str, Any]] = []

    def person(
        first: str,
        last: str,
        birth: date,
        centre: str,
        manager: dict[str, Any] | None,
        salary: int,
        roles: tuple[Role, ...] = (Role.EMPLOYEE,),
        start: date | None = None,
        email: str | None = None,
        weekly_hours: int = 40,
        rate: int = 100,
        hourly: int | None = None,
    ) -> dict[str, Any]:
        number = f"{1001 + len(people)}"
        address = email or _email(first, last, taken)
        taken.add(address)
        start = start or date(today.year - rng.randint(1, 9), rng.choice([1, 3, 6, 8, 9]), 1)
        employee = _row(
            Employee,
            organisation_id=org_id,
            employee_number=number,
            first_name=first,
            last_name=last,
            email=address,
            birth_date=birth,
            personal_identity_number=_test_personnummer(birth, births),
            manager_id=manager["id"] if manager else None,
            cost_centre_id=centres[centre]["id"],
            tax_table=rng.choice([30, 31, 32, 33, 34]),
            tax_column=None,
            start_date=start,
            end_date=None,
        )
        people.append(employee)
        # Terms from the start, then the yearly salary revisions of the last two Aprils.
        revisions = [start] + [d for d in (date(today.year - 1, 4, 1), date(today.year, 4, 1)) if start < d <= today]
        amount = Decimal(salary) / Decimal("1.06") ** (len(revisions) - 1)
        for valid_from in revisions:
            # Recorded by payroll before the terms took effect, as a real history is: pay runs of past
            # months (backend/demo/payruns.py) read only the terms known on their pay day.
            recorded = min(utcnow(), datetime.combine(valid_from - timedelta(days=14), time(9), tzinfo=UTC))
            rows[Employment].append(
                _row(
                    Employment,
                    created_at=recorded,
                    updated_at=recorded,
                    organisation_id=org_id,
                    employee_id=employee["id"],
                    valid_from=valid_from,
                    pay_type="hourly" if hourly else "monthly",
                    monthly_salary=None if hourly else (amount / 100).quantize(Decimal(1)) * 100,
                    hourly_wage=Decimal(hourly) if hourly else None,
                    weekly_hours=Decimal(weekly_hours),
                    employment_rate=Decimal(rate),
                )
            )
            amount *= Decimal("1.06")
        account = _row(
            Account,
            organisation_id=org_id,
            employee_id=employee["id"],
            email=address,
            display_name=f"{first} {last}",
            password_hash=password_hash,
            active=True,
            is_demo=True,
            locale="sv",
            last_login_at=None,
        )
        rows[Account].append(account)
        for role in roles:
            rows[AccountRole].append(_row(AccountRole, account_id=account["id"], role=role.value))
        return employee

    ceo = person("Karin", "Ek", date(1968, 5, 12), "300", None, 82000, (Role.EMPLOYEE, Role.MANAGER))
    maria = person(
        "Maria", "Berg", date(1979, 2, 3), "100", ceo, 62000, (Role.EMPLOYEE, Role.MANAGER), email="maria.berg@demo.se"
    )
    johan = person("Johan", "Svensson", date(1975, 9, 21), "200", ceo, 58000, (Role.EMPLOYEE, Role.MANAGER))
    sara = person("Sara", "Holm", date(1983, 11, 30), "300", ceo, 56000, (Role.EMPLOYEE, Role.MANAGER))
    person(
        "Anna",
        "Andersson",
        date(1990, 6, 15),
        "100",
        maria,
        42000,
        email="anna.andersson@demo.se",
        start=date(today.year - 4, 3, 1),
    )
    person(
        "Lena", "Lind", date(1972, 4, 8), "300", sara, 47000, (Role.EMPLOYEE, Role.PAYROLL), email="lena.lind@demo.se"
    )
    person("Gustav", "Öberg", date(1958, 3, 2), "100", maria, 51000)  # 66+: tax column 3
    person("Alva", "Sjöberg", date(2004, 8, 19), "200", johan, 29000)  # youth contribution reduction
    person("Elias", "Wikström", date(1996, 1, 25), "200", johan, 0, hourly=185, weekly_hours=20, rate=50)

    managers = [maria, johan, sara]
    team_of = {maria["id"]: "100", johan["id"]: "200", sara["id"]: "300"}
    while len(people) < max(employees, 9):
        if len(people) >= 25 and (len(people) - 25) % 8 == 0:
            # Large organisations: a new team with its own manager under a department head.
            head = managers[(len(people) // 8) % 3]
            lead = person(
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                date(rng.randint(1965, 1990), rng.randint(1, 12), rng.randint(1, 28)),
                team_of[head["id"]],
                head,
                rng.randint(50, 70) * 1000,
                (Role.EMPLOYEE, Role.MANAGER),
            )
            team_of[lead["id"]] = team_of[head["id"]]
            managers.append(lead)
            continue
        manager = managers[len(people) % 3] if len(people) < 25 else managers[-1]
        person(
            rng.choice(FIRST_NAMES),
            rng.choice(LAST_NAMES),
            date(rng.randint(1962, 2002), rng.randint(1, 12), rng.randint(1, 28)),
            team_of[manager["id"]],
            manager,
            rng.randint(30, 55) * 1000,
        )
    rows[Employee] = people

    admin = _row(
        Account,
        organisation_id=org_id,
        employee_id=None,
        email="admin@demo.se",
        display_name="Administratör",
        password_hash=password_hash,
        active=True,
        is_demo=True,
        locale="sv",
        last_login_at=None,
    )
    rows[Account].append(admin)
    rows[AccountRole].append(_row(AccountRole, account_id=admin["id"], role=Role.ADMIN.value))

    def project(code: str, name: str, parent: dict[str, Any] | None, centre: str | None = None) -> dict[str, Any]:
        row = _row(
            Project,
            organisation_id=org_id,
            parent_id=parent["id"] if parent else None,
            level=(parent["level"] + 1) if parent else 1,
            code=code,
            name=name,
            cost_centre_id=centres[centre]["id"] if centre else None,
            active=True,
        )
        rows[Project].append(row)
        return row

    portal = project("P100", "Kundportal", None, "100")
    for sub_code, sub_name in (("P100.1", "Utveckling"), ("P100.2", "Förvaltning")):
        sub = project(sub_code, sub_name, portal)
        for act_code, act_name in (("DEV", "Programmering"), ("TEST", "Test"), ("MEET", "Möten")):
            project(f"{sub_code}.{act_code}", act_name, sub)
    internal = project("P200", "Intern IT", None, "300")
    project("P200.1", "Support", internal)
    project("P200.2", "Licenser och inköp", internal)
    sales = project("S3", "Försäljning Norden", None, "200")  # codes of at most 10 characters: PAXml's limit
    for sub_code, sub_name in (("S3.SE", "Sverige"), ("S3.NO", "Norge")):
        sub = project(sub_code, sub_name, sales)
        project(f"{sub_code}.KUND", "Kundmöten", sub)
        project(f"{sub_code}.OFF", "Offerter", sub)
    project("INT", "Intern tid", None)

    for year in (today.year - 1, today.year):
        rows[OrganisationYearPolicy].append(
            _row(
                OrganisationYearPolicy,
                organisation_id=org_id,
                year=year,
                mileage_rate_per_mil=Decimal(25),
                per_diem_full_day=None,
                wellness_allowance=Decimal(3000),
            )
        )

    extra: dict[type[Any], list[dict[str, Any]]] = {}
    if history:
        terms = {
            row["employee_id"]: Terms(row["weekly_hours"], row["employment_rate"]) for row in rows[Employment]
        }  # the latest row per employee wins: rows are in date order
        centre_codes = {row["id"]: code for code, row in centres.items()}
        extra = demo_history(
            rng,
            _row,
            org_id,
            today,
            8,
            people,
            terms,
            {p["id"]: centre_codes[p["cost_centre_id"]] for p in people},
            {row["code"]: row["id"] for row in rows[Project]},
            {row["employee_id"]: row["id"] for row in rows[Account] if row["employee_id"]},
            hourly={row["employee_id"] for row in rows[Employment] if row["pay_type"] == "hourly"},
            hourly_since=_first_settled_day(today),
        )

    async with sessions() as session:
        now = utcnow()
        session.add(
            Organisation(
                id=org_id,
                name=DEMO_ORGANISATION,
                org_number="556677-8899",
                cutoff_day=8,
                pay_day=25,
                agreement_profile="white_collar",
                variable_pay_in_arrears=VARIABLE_PAY_IN_ARREARS,
                created_at=now,
                updated_at=now,
            )
        )
        await session.flush()
        for model in (CostCentre, Employee, Employment, Account, AccountRole, Project, OrganisationYearPolicy):
            batch = rows[model]
            # Creation order puts managers before reports and parents before children.
            for start in range(0, len(batch), 2000):
                await session.execute(insert(model), batch[start : start + 2000])
        for model, batch in extra.items():
            # render_nulls keeps rows with and without NULLs in one executemany (else one INSERT per change).
            statement = insert(model).execution_options(render_nulls=True)
            for start in range(0, len(batch), 2000):
                await session.execute(statement, batch[start : start + 2000])
        await session.commit()
        if employees >= ANALYZE_FROM and session.get_bind().dialect.name == "postgresql":
            # A bulk load leaves PostgreSQL's planner without statistics until autovacuum's next
            # ANALYZE (never, where autovacuum is off): the attest inbox of a 100 000-person
            # organisation then scans every waiting item (43 ms) instead of the team's (0.4 ms).
            tables: list[Any] = [Organisation, *rows, *extra]
            await session.execute(text("ANALYZE " + ", ".join(f'"{model.__tablename__}"' for model in tables)))
            await session.commit()  # statistics written in a transaction that rolls back are lost
    if history and employees <= PAY_RUN_HISTORY_MAX:
        await finalise_past_months(sessions, org_id, "lena.lind@demo.se", today)
    return org_id
