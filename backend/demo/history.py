"""Demo history: months of reported, submitted and approved time weeks, vacation, and a few travel claims.

Rows are plain dicts for bulk inserts (10,000 employees must still seed in seconds): the
first ``FULL_HISTORY`` people get ``WEEKS`` weeks, every tenth of the others the week waiting for attest. Amounts come
from the same pure rules the API uses. Last week is left unreported, so opening time
reporting lands on it; the week before waits for attest; older weeks are approved.

The normalbelopp rows are an EXAMPLE for the demo, clearly labelled, not Skatteverket's figures.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from backend.attest.titles import LEAVE_KINDS, leave_title, trip_title, week_title
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Text
from backend.db.models import (
    AttestItem,
    LeaveRequest,
    MileageLeg,
    NormalbeloppRate,
    TimeEntry,
    TimeRow,
    TimeWeek,
    TravelClaim,
)
from backend.domain.attest import AttestState, ItemKind
from backend.domain.calendar import period_reached_by
from backend.domain.errors import DomainError
from backend.domain.rates import VehicleKind
from backend.domain.time.codes import TimeCode
from backend.domain.time.schedule import DaySchedule, Terms, week_schedule
from backend.domain.time.vacation import vacation_days
from backend.domain.time.weeks import days_of, monday_of
from backend.domain.travel.mileage import MileageLeg as Leg
from backend.domain.travel.mileage import MileagePolicy, compute_mileage
from backend.domain.travel.normalbelopp import NormalbeloppTable
from backend.domain.travel.per_diem import Lodging, Meal, Trip, compute_per_diem
from backend.travel.computing import mileage_json, per_diem_json
from backend.travel.schemas import LegIn

FULL_HISTORY = 25
WEEKS = 12
BULK_WEEKS = 1
BULK_EVERY = 10
TEAM_PROJECTS = {"100": "P100.1.DEV", "200": "S3.SE.KUND", "300": "P200.1"}

EXAMPLE_NORMALBELOPP = """year,country_code,country_name,amount_sek
{year},DE,Tyskland (EXEMPEL - inte Skatteverkets belopp),1000
{year},NO,Norge (EXEMPEL - inte Skatteverkets belopp),900
{year},FI,Finland (EXEMPEL - inte Skatteverkets belopp),800
"""
"""Illustrative amounts only: load Skatteverket's table for real use (POST /api/travel/normalbelopp)."""

Row = dict[str, Any]
MakeRow = Callable[..., Row]


def _quarter(hours: Decimal) -> Decimal:
    return (hours * 4).to_integral_value() / 4


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM).astimezone(UTC)


class History:
    """Collects the rows; ``rows`` maps each model to its dicts in insert order."""

    def __init__(self, rng: random.Random, make: MakeRow, org_id: uuid.UUID, today: date, cutoff_day: int) -> None:
        self.rng = rng
        self.make = make
        self.org_id = org_id
        self.today = today
        self.cutoff_day = cutoff_day
        self._schedules: dict[tuple[date, Terms], tuple[DaySchedule, ...]] = {}
        self.rows: dict[type[Any], list[Row]] = {
            model: []
            for model in (
                TimeWeek,
                TimeRow,
                TimeEntry,
                LeaveRequest,
                TravelClaim,
                MileageLeg,
                NormalbeloppRate,
                AttestItem,
            )
        }

    def _schedule(self, monday: date, terms: Terms) -> tuple[DaySchedule, ...]:
        """Most people share a week's schedule: compute it once per week and terms."""
        key = (monday, terms)
        if key not in self._schedules:
            self._schedules[key] = week_schedule(days_of(monday), [terms] * 7)
        return self._schedules[key]

    # --- attest items -------------------------------------------------------------------------

    def item(
        self,
        kind: ItemKind,
        subject_id: uuid.UUID,
        person: Row,
        deciders: dict[uuid.UUID, uuid.UUID],
        title: Text,
        submitted: datetime,
        approved: bool,
        *,
        amount: Decimal | None = None,
        hours: Decimal | None = None,
    ) -> None:
        decided = submitted + timedelta(days=self.rng.choice([1, 1, 2, 3]), hours=self.rng.randint(0, 5))
        approver = person["manager_id"]
        self.rows[AttestItem].append(
            self.make(
                AttestItem,
                organisation_id=self.org_id,
                kind=kind.value,
                subject_id=subject_id,
                employee_id=person["id"],
                approver_employee_id=approver,
                state=(AttestState.APPROVED if approved else AttestState.SUBMITTED).value,
                version=2 if approved else 1,
                title=title.sv,
                title_en=title.en,
                amount=amount,
                hours=hours,
                first_submitted_at=submitted,
                submitted_at=submitted,
                decided_at=decided if approved else None,
                decided_by_account_id=deciders.get(approver) if approved and approver else None,
                on_behalf_of_employee_id=None,
                return_reason=None,
                pay_period=str(period_reached_by(decided.astimezone(STOCKHOLM).date(), self.cutoff_day))
                if approved
                else None,
                pay_run_id=None,
                times_returned=0,
                warnings=[],
            )
        )

    # --- time weeks ------------------------------------------------------------------------------

    def weeks(
        self,
        person: Row,
        terms: Terms,
        team: str,
        projects: dict[str, uuid.UUID],
        deciders: dict[uuid.UUID, uuid.UUID],
        count: int,
        vacation_week: date | None,
    ) -> None:
        current = monday_of(self.today)
        part_time = terms.employment_rate < 100
        for back in range(count + 1, 1, -1):
            monday = current - timedelta(weeks=back)
            days = days_of(monday)
            if person["start_date"] <= monday and person["end_date"] is None:
                schedule = self._schedule(monday, terms)
            else:
                employed = [
                    terms
                    if person["start_date"] <= d and (person["end_date"] is None or d <= person["end_date"])
                    else None
                    for d in days
                ]
                schedule = week_schedule(days, employed)
            if not any(d.employed for d in schedule):
                continue
            week_id = uuid.uuid4()
            self.rows[TimeWeek].append(
                self.make(
                    TimeWeek, organisation_id=self.org_id, employee_id=person["id"], week_start=monday, comment=None
                )
            )
            self.rows[TimeWeek][-1]["id"] = week_id
            cells: dict[tuple[str, str | None], dict[int, tuple[Decimal, time | None, time | None]]] = {}

            def add(
                code: TimeCode, project: str | None, d: int, hours: Decimal, clock: tuple[time, time] | None = None
            ) -> None:
                cells.setdefault((code.value, project), {})[d] = (hours, *(clock or (None, None)))  # noqa: B023

            main = TEAM_PROJECTS[team]
            overtime_day = 1 if self.rng.random() < 0.1 else None
            for d, day in enumerate(schedule):
                hours = _quarter(day.hours)
                if hours <= 0:
                    continue
                if vacation_week == monday:
                    add(TimeCode.VACATION, None, d, hours)
                    continue
                roll = self.rng.random()
                if roll < 0.035:
                    add(TimeCode.SICK, None, d, hours)
                    continue
                if roll < 0.05:
                    add(TimeCode.VAB, None, d, hours)
                    continue
                if team == "300" and d == 2 and hours == 8:
                    add(TimeCode.WORK, main, d, hours, (time(12), time(20, 30)))
                elif d == 4 and hours > 1:
                    add(TimeCode.WORK, main, d, hours - 1)
                    add(TimeCode.WORK, "INT", d, Decimal(1))
                else:
                    add(TimeCode.WORK, main, d, hours)
                if overtime_day == d:
                    add(TimeCode.MERTID if part_time else TimeCode.SIMPLE_OVERTIME, main, d, Decimal(2))
            total = Decimal(0)
            for position, ((code, project), by_day) in enumerate(cells.items()):
                row = self.make(
                    TimeRow,
                    organisation_id=self.org_id,
                    week_id=week_id,
                    position=position,
                    code=code,
                    project_id=projects[project] if project else None,
                    comment=None,
                    support_code=None,
                    invoice_text=None,
                )
                self.rows[TimeRow].append(row)
                for d, (hours, start, end) in by_day.items():
                    total += hours
                    self.rows[TimeEntry].append(
                        self.make(
                            TimeEntry,
                            organisation_id=self.org_id,
                            employee_id=person["id"],
                            week_id=week_id,
                            row_id=row["id"],
                            day=days[d],
                            code=code,
                            hours=hours,
                            start_time=start,
                            end_time=end,
                        )
                    )
            submitted = _at(days[4], 16, self.rng.randint(0, 59)) + timedelta(days=self.rng.choice([0, 0, 3]))
            self.item(
                ItemKind.TIME_WEEK,
                week_id,
                person,
                deciders,
                week_title(monday),
                submitted,
                approved=back > 2,
                hours=total,
            )

    def vacation(self, person: Row, deciders: dict[uuid.UUID, uuid.UUID], monday: date) -> None:
        request_id = uuid.uuid4()
        first, last = monday, monday + timedelta(days=4)
        days = Decimal(vacation_days(first, last))
        self.rows[LeaveRequest].append(
            self.make(
                LeaveRequest,
                organisation_id=self.org_id,
                employee_id=person["id"],
                kind="vacation",
                first_day=first,
                last_day=last,
                days=days,
                comment="Höstlov",
            )
        )
        self.rows[LeaveRequest][-1]["id"] = request_id
        self.item(
            ItemKind.LEAVE_REQUEST,
            request_id,
            person,
            deciders,
            leave_title(LEAVE_KINDS["vacation"], first, last, days),
            _at(first - timedelta(weeks=6), 9),
            approved=True,
        )

    # --- travel claims and the example normalbelopp ---------------------------------------------

    def normalbelopp(self, years: tuple[int, ...]) -> NormalbeloppTable:
        text = "year,country_code,country_name,amount_sek\n" + "".join(
            EXAMPLE_NORMALBELOPP.format(year=year).split("\n", 1)[1] for year in years
        )
        table = NormalbeloppTable.from_csv(text)
        for entry in table.entries:
            self.rows[NormalbeloppRate].append(
                self.make(
                    NormalbeloppRate,
                    organisation_id=self.org_id,
                    year=entry.year,
                    country_code=entry.country_code,
                    country_name=entry.country_name,
                    amount=entry.amount,
                )
            )
        return table

    def trip(
        self,
        person: Row,
        deciders: dict[uuid.UUID, uuid.UUID],
        *,
        departure: datetime,
        return_at: datetime,
        destination: str,
        purpose: str,
        country: str = "SE",
        lodging_paid: bool = True,
        meals: dict[date, frozenset[Meal]] | None = None,
        legs: tuple[LegIn, ...] = (),
        state: AttestState | None = None,
        table: NormalbeloppTable | None = None,
        mileage_rate: Decimal | None = None,
    ) -> None:
        try:
            self._trip(
                person,
                deciders,
                departure,
                return_at,
                destination,
                purpose,
                country,
                lodging_paid,
                meals,
                legs,
                state,
                table,
                mileage_rate,
            )
        except DomainError:  # no rates for the year yet (a demo seeded long after the data files)
            return

    def _trip(
        self,
        person: Row,
        deciders: dict[uuid.UUID, uuid.UUID],
        departure: datetime,
        return_at: datetime,
        destination: str,
        purpose: str,
        country: str,
        lodging_paid: bool,
        meals: dict[date, frozenset[Meal]] | None,
        legs: tuple[LegIn, ...],
        state: AttestState | None,
        table: NormalbeloppTable | None,
        mileage_rate: Decimal | None,
    ) -> None:
        first, last = departure.date(), return_at.date()
        per_diem = compute_per_diem(
            Trip(
                departure=departure,
                return_at=return_at,
                distance_from_home_km=Decimal(300),
                distance_from_workplace_km=Decimal(300),
                country_code=country,
                meals_provided=meals or {},
                lodging={}
                if lodging_paid
                else {first + timedelta(days=i): Lodging.OWN_ARRANGEMENT for i in range((last - first).days)},
            ),
            normalbelopp=table,
        )
        policy = MileagePolicy({VehicleKind.OWN_CAR: mileage_rate} if mileage_rate is not None else {})
        mileage = compute_mileage([Leg(leg.date, leg.distance_km, VehicleKind(leg.vehicle)) for leg in legs], policy)
        claim_id = uuid.uuid4()
        self.rows[TravelClaim].append(
            self.make(
                TravelClaim,
                organisation_id=self.org_id,
                employee_id=person["id"],
                purpose=purpose,
                destination=destination,
                country_code=country,
                departure_at=departure.replace(tzinfo=STOCKHOLM).astimezone(UTC),
                return_at=return_at.replace(tzinfo=STOCKHOLM).astimezone(UTC),
                distance_from_home_km=Decimal(300),
                distance_from_workplace_km=Decimal(300),
                lodging_paid_by_employer=lodging_paid,
                meals=[
                    {"date": day.isoformat(), "meals": [m.value for m in Meal if m in given]}
                    for day, given in sorted((meals or {}).items())
                ],
                long_stay="none",
                same_place_since=None,
                per_diem_paid=per_diem.paid,
                per_diem_tax_free=per_diem.tax_free,
                per_diem_taxable=per_diem.taxable,
                mileage_paid=mileage.paid,
                mileage_tax_free=mileage.tax_free,
                mileage_taxable=mileage.taxable,
                computation={"per_diem": per_diem_json(per_diem), "mileage": mileage_json(mileage, legs)},
            )
        )
        self.rows[TravelClaim][-1]["id"] = claim_id
        for position, leg in enumerate(legs):
            self.rows[MileageLeg].append(
                self.make(
                    MileageLeg,
                    organisation_id=self.org_id,
                    claim_id=claim_id,
                    position=position,
                    day=leg.date,
                    from_place=leg.from_place,
                    to_place=leg.to_place,
                    purpose=leg.purpose,
                    distance_km=leg.distance_km,
                    vehicle=leg.vehicle,
                )
            )
        if state is not None:
            self.item(
                ItemKind.TRAVEL_CLAIM,
                claim_id,
                person,
                deciders,
                trip_title(first, destination, purpose),
                _at(last + timedelta(days=1), 9),
                approved=state is AttestState.APPROVED,
                amount=per_diem.paid + mileage.paid,
            )


def demo_history(
    rng: random.Random,
    make: MakeRow,
    org_id: uuid.UUID,
    today: date,
    cutoff_day: int,
    people: list[Row],
    terms_of: dict[uuid.UUID, Terms],
    team_of: dict[uuid.UUID, str],
    projects: dict[str, uuid.UUID],
    deciders: dict[uuid.UUID, uuid.UUID],
    hourly: frozenset[uuid.UUID] | set[uuid.UUID] = frozenset(),
    hourly_since: date | None = None,
) -> dict[type[Any], list[Row]]:
    """The rows of the demo's history for ``people`` (in creation order).

    Hourly staff are paid only for reported hours (one month in arrears), so theirs go back to
    ``hourly_since``, the first day the demo's pay runs settle (``payruns.py``): every paid month pays them,
    as real ones would.
    """
    history = History(rng, make, org_id, today, cutoff_day)
    current = monday_of(today)
    since_first_paid_month = (current - monday_of(hourly_since)).days // 7 if hourly_since else 0
    for index, person in enumerate(people):
        full = index < FULL_HISTORY
        if not full and index % BULK_EVERY:
            continue
        vacation_week = current - timedelta(weeks=rng.randint(4, WEEKS)) if full else None
        weeks = WEEKS if full else BULK_WEEKS
        if person["id"] in hourly:
            weeks = max(weeks, since_first_paid_month)
        history.weeks(
            person,
            terms_of[person["id"]],
            team_of[person["id"]],
            projects,
            deciders,
            weeks,
            vacation_week,
        )
        if vacation_week is not None and person["start_date"] <= vacation_week:
            history.vacation(person, deciders, vacation_week)
    table = history.normalbelopp((today.year - 1, today.year, today.year + 1))
    anna = next((p for p in people if p["email"] == "anna.andersson@demo.se"), people[0])
    two_months = current - timedelta(weeks=8)
    history.trip(
        anna,
        deciders,
        departure=datetime.combine(two_months, time(8)),
        return_at=datetime.combine(two_months + timedelta(days=2), time(17)),
        destination="Göteborg",
        purpose="Workshop med kund",
        meals={two_months + timedelta(days=1): frozenset({Meal.LUNCH})},
        legs=(
            LegIn(
                date=two_months,
                from_place="Stockholm",
                to_place="Göteborg",
                distance_km=Decimal(312),
                vehicle="own_car",
                purpose="Workshop",
            ),
        ),
        state=AttestState.APPROVED,
        mileage_rate=Decimal(25),
    )
    last_week = current - timedelta(weeks=1)
    history.trip(
        anna,
        deciders,
        departure=datetime.combine(last_week + timedelta(days=1), time(13)),
        return_at=datetime.combine(last_week + timedelta(days=3), time(18, 30)),
        destination="Malmö",
        purpose="Konferens",
        lodging_paid=False,
        state=AttestState.SUBMITTED,
    )
    history.trip(
        anna,
        deciders,
        departure=datetime.combine(current + timedelta(weeks=2), time(7)),
        return_at=datetime.combine(current + timedelta(weeks=2, days=2), time(20)),
        destination="Berlin",
        purpose="Partnermöte",
        country="DE",
        meals={current + timedelta(weeks=2): frozenset({Meal.BREAKFAST, Meal.LUNCH})},
        table=table,
    )
    for person in people[6:9]:
        month = current - timedelta(weeks=5)
        history.trip(
            person,
            deciders,
            departure=datetime.combine(month + timedelta(days=1), time(6, 30)),
            return_at=datetime.combine(month + timedelta(days=2), time(21)),
            destination="Luleå",
            purpose="Kundbesök",
            meals={month + timedelta(days=2): frozenset({Meal.BREAKFAST})},
            state=AttestState.APPROVED,
        )
    return history.rows
