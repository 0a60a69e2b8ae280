"""An approved item as payroll transactions (PAXml), and every reason a set of items cannot be exported.

What the transactions of an item pay adds up to exactly what the preliminary payslip pays for it
(its tax-free and taxable parts): per diem and mileage are split as the travel rules split them
(``TravelFact``), and where a breakdown is rounded (meal reductions per meal, mileage per vehicle)
the last part takes up the difference, as the payslip's own sub-lines do. Meal reductions carry a
negative amount, so the per diem lines add up to the tax-free per diem paid.

Time: one transaction per day, code and cost centre/project (hours). Travel: per diem tax-free
and taxable, night allowance, meal reductions per meal, mileage tax-free and taxable per vehicle
kind (antal = mil, apris per mil), and receipts paid privately on the trip. Expense claim:
privately paid expenses (company-card expenses are the employer's: no payroll transaction).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from backend.domain.errors import DomainError
from backend.domain.expenses import WELLNESS_CATEGORIES
from backend.domain.exports import codes
from backend.domain.exports.codes import StandardCode, TravelCodes
from backend.domain.exports.mapping import CodeMapping, UnmappedCode
from backend.domain.exports.model import (
    Dimensions,
    ExpenseFact,
    ItemFacts,
    PayrollTransaction,
    Person,
    TimeFact,
    TravelFact,
)
from backend.domain.money import round_ore
from backend.domain.payslip.inputs import TimeCode
from backend.domain.rates import MealReductions, VehicleKind, rates_for
from backend.domain.text import Text
from backend.domain.time.sick import spell_starts
from ocr.fields.orgnr import luhn_valid  # the one Luhn rule (organisation and personal numbers)

DOMESTIC = "SE"
PRIVATE = "private"
MAX_DIMENSION_ID = 10
"""PAXml ``dimidTYPE``: a cost centre or project code is at most 10 characters."""
_ZERO = Decimal(0)
_MEALS = ("breakfast", "lunch", "dinner")
_NO_DIMENSIONS = Dimensions()


@dataclass(frozen=True)
class _Line:
    """A transaction before the organisation's löneart is looked up."""

    code: StandardCode
    day: date
    text: str
    hours: Decimal | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    dimensions: Dimensions = _NO_DIMENSIONS


def payroll_transactions(item: ItemFacts, mapping: CodeMapping) -> list[PayrollTransaction]:
    """The item's payroll transactions; ``UnmappedCode`` if a code has no löneart."""
    return [
        PayrollTransaction(
            item_id=item.item_id,
            section=line.code.section,
            person=item.person,
            code=line.code.code,
            pay_type=mapping.pay_type(line.code.code),
            day=line.day,
            text=line.text,
            hours=line.hours,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            dimensions=line.dimensions,
        )
        for line in _lines(item)
    ]


def _lines(item: ItemFacts) -> list[_Line]:
    lines = _time_lines(item)
    if item.travel is not None:
        lines += _travel_lines(item.travel)
    lines += [_expense_line(e) for e in item.expenses if e.payment == PRIVATE]
    return [line for line in lines if line.hours or line.amount]


# --- time ------------------------------------------------------------------------------------


def _qualifying_days(facts: Sequence[TimeFact]) -> set[date]:
    """Sick days that start a spell with a karensavdrag: as the caller says, else from the item's own days."""
    sick = [f for f in facts if f.code is TimeCode.SICK]
    decided = {f.day for f in sick if f.qualifying_day}
    undecided = [f.day for f in sick if f.qualifying_day is None]
    if undecided:
        reported = {f.day for f in facts if f.code is not TimeCode.SICK and f.hours}
        starts = spell_starts((f.day for f in sick), reported)
        decided |= {day for day in undecided if day in starts and starts[day].qualifying_day}
    return decided


def _time_code(fact: TimeFact, qualifying: set[date]) -> StandardCode:
    if fact.code is TimeCode.SICK and fact.day in qualifying:
        return codes.SICK_QUALIFYING_DAY
    return codes.TIME_CODES[fact.code]


def _time_lines(item: ItemFacts) -> list[_Line]:
    qualifying = _qualifying_days(item.time)
    hours: dict[tuple[date, StandardCode, Dimensions], Decimal] = defaultdict(Decimal)
    for fact in item.time:
        hours[(fact.day, _time_code(fact, qualifying), fact.dimensions)] += fact.hours
    return [
        _Line(code, day, f"{code.name_sv}: {item.title}", hours=total, dimensions=dims)
        for (day, code, dims), total in sorted(
            hours.items(), key=lambda kv: (kv[0][0], kv[0][1].code, kv[0][2].cost_centre or "", kv[0][2].project or "")
        )
    ]


# --- expenses --------------------------------------------------------------------------------


def _expense_line(expense: ExpenseFact) -> _Line:
    code = codes.WELLNESS if expense.category in WELLNESS_CATEGORIES else codes.OUTLAY
    amount = expense.amount_sek if expense.reimbursed is None else expense.reimbursed
    return _Line(
        code,
        expense.day,
        f"{code.name_sv}: {expense.text}",
        quantity=Decimal(1),
        unit_price=amount,
        amount=amount,
        dimensions=expense.dimensions,
    )


# --- travel ----------------------------------------------------------------------------------


def _unit_price(quantity: Decimal | None, prices: Iterable[Decimal], amount: Decimal) -> Decimal | None:
    """The price per unit when there is one price and quantity x price is the amount (else none)."""
    distinct = set(prices)
    if quantity is None or len(distinct) != 1:
        return None
    price = distinct.pop()
    return price if round_ore(quantity * price) == amount else None


def _travel_lines(trip: TravelFact) -> list[_Line]:
    side = codes.DOMESTIC if trip.country_code.strip().upper() == DOMESTIC else codes.ABROAD
    return _per_diem_lines(trip, side) + _mileage_lines(trip)


def _per_diem_lines(trip: TravelFact, side: TravelCodes) -> list[_Line]:
    def line(code: StandardCode, amount: Decimal, quantity: Decimal | None, prices: Iterable[Decimal]) -> _Line:
        return _Line(
            code,
            trip.last_day,
            f"{code.name_sv}: {trip.text}",
            quantity=quantity,
            unit_price=_unit_price(quantity, prices, abs(amount)),  # a meal reduction: price 105, amount -105
            amount=amount,
            dimensions=trip.dimensions,
        )

    nights = [d.night_tax_free for d in trip.days if d.night_tax_free]
    meals = _meal_reductions(trip, side)
    reduced = sum((sum(amounts, _ZERO) for amounts in meals.values()), _ZERO)
    day_amount = trip.per_diem_tax_free - sum(nights, _ZERO) + reduced
    allowances = [d.allowance for d in trip.days if d.allowance]
    lines = [line(side.tax_free, day_amount, Decimal(len(allowances)) if allowances else None, allowances)]
    lines += [line(code, -sum(amounts, _ZERO), Decimal(len(amounts)), amounts) for code, amounts in meals.items()]
    lines.append(line(side.night, sum(nights, _ZERO), Decimal(len(nights)), nights))
    lines.append(line(side.taxable, trip.per_diem_taxable, None, ()))
    return lines


def _meal_weights(day: date, abroad: bool) -> MealReductions:
    per_diem = rates_for(day.year).per_diem
    return per_diem.abroad.meal_reduction_shares if abroad else per_diem.domestic.meal_reductions


def _meal_reductions(trip: TravelFact, side: TravelCodes) -> dict[StandardCode, list[Decimal]]:
    """Each day's meal reduction split by meal (shares of the rates: breakfast 20/15 %, lunch and
    dinner 35 % each), the last meal taking the rounding; a day whose meals are not known is ``MATRED``."""
    by_code: dict[StandardCode, list[Decimal]] = {}
    codes_of = {"breakfast": side.breakfast, "lunch": side.lunch, "dinner": side.dinner}
    for index, day in enumerate(trip.days):
        if not day.meal_reduction:
            continue
        meals = [m for m in _MEALS if index < len(trip.meals_provided) and m in trip.meals_provided[index]]
        if not meals:
            by_code.setdefault(side.meals, []).append(day.meal_reduction)
            continue
        table = _meal_weights(trip.first_day + timedelta(days=index), side is codes.ABROAD)
        weights = [table.breakfast if m == "breakfast" else table.lunch_or_dinner for m in meals]
        left = day.meal_reduction
        for position, (meal, weight) in enumerate(zip(meals, weights, strict=True)):
            share = left if position == len(meals) - 1 else round_ore(day.meal_reduction * weight / sum(weights))
            left -= share
            by_code.setdefault(codes_of[meal], []).append(share)
    return dict(sorted(by_code.items(), key=lambda kv: kv[0].code))


@dataclass
class _Mileage:
    mil: Decimal = _ZERO
    amount: Decimal = _ZERO
    rates: set[Decimal] = field(default_factory=set)


def _vehicle(trip: TravelFact, index: int) -> VehicleKind:
    return VehicleKind(trip.leg_vehicles[index]) if index < len(trip.leg_vehicles) else VehicleKind.OWN_CAR


def _mileage_lines(trip: TravelFact) -> list[_Line]:
    """Mileage per vehicle kind, tax-free and taxable; the last group of each takes up the rounding."""
    lines = []
    for taxable, total in ((False, trip.mileage_tax_free), (True, trip.mileage_taxable)):
        groups: dict[StandardCode, _Mileage] = {}
        for index, leg in enumerate(trip.legs):
            rate = (
                leg.rate_per_mil - leg.tax_free_max_per_mil
                if taxable
                else min(leg.rate_per_mil, leg.tax_free_max_per_mil)
            )
            if rate <= 0:
                continue
            group = groups.setdefault(codes.MILEAGE_CODES[_vehicle(trip, index)][taxable], _Mileage())
            group.mil += leg.mil
            group.amount += round_ore(leg.mil * rate)
            group.rates.add(rate)
        if not groups and total:
            groups[codes.MILEAGE_CODES[VehicleKind.OWN_CAR][taxable]] = _Mileage()
        if groups:
            last = list(groups.values())[-1]
            last.amount += total - sum((g.amount for g in groups.values()), _ZERO)
        for code, group in groups.items():
            quantity = group.mil or None
            lines.append(
                _Line(
                    code,
                    trip.last_day,
                    f"{code.name_sv}: {trip.text}",
                    quantity=quantity,
                    unit_price=_unit_price(quantity, group.rates, group.amount),
                    amount=group.amount,
                    dimensions=trip.dimensions,
                )
            )
    return lines


# --- problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportProblem:
    """One reason an item cannot be exported, naming the employee and the item."""

    item_id: str
    item_title: str
    employee_number: str
    employee_name: str
    code: str
    field: str
    message: Text


class ExportRefused(DomainError):
    """The export is refused: ``problems`` lists every reason at once."""

    code = "export.refused"

    def __init__(self, problems: Sequence[ExportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            Text(
                sv=f"Exporten kan inte göras: {len(self.problems)} problem att rätta först.",
                en=f"The export cannot be made: {len(self.problems)} problem(s) to fix first.",
            ),
            field="items",
        )


def personnummer_problem(number: str | None) -> tuple[str, Text] | None:
    """(code, message) when ``number`` is not a valid personnummer/samordningsnummer YYYYMMDDNNNN."""
    if not number:
        return (
            "personnummer_missing",
            Text(
                sv="Den anställda saknar personnummer.",
                en="The employee has no personal identity number (personnummer).",
            ),
        )
    valid = len(number) == 12 and number.isdigit() and _is_birth_date(number[:8]) and luhn_valid(number[2:])
    if valid:
        return None
    return (
        "personnummer_invalid",
        Text(
            sv=f"{number} är inget giltigt personnummer (12 siffror ÅÅÅÅMMDDNNNN med rätt kontrollsiffra).",
            en=f"{number} is not a valid personal identity number (12 digits YYYYMMDDNNNN with a correct check digit).",
        ),
    )


def _is_birth_date(digits: str) -> bool:
    """YYYYMMDD, or a samordningsnummer's day + 60."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    for candidate in (day, day - 60):
        try:
            date(year, month, candidate)
        except ValueError:
            continue
        return True
    return False


def _person_problems(person: Person) -> list[tuple[str, str, Text]]:
    found = []
    if not person.employee_number.strip():
        found.append(
            (
                "employee_number_missing",
                "person.employee_number",
                Text(sv="Den anställda saknar anställningsnummer.", en="The employee has no employee number."),
            )
        )
    pnr = personnummer_problem(person.personal_identity_number)
    if pnr is not None:
        found.append((pnr[0], "person.personal_identity_number", pnr[1]))
    return found


def _line_problems(lines: Sequence[_Line], mapping: CodeMapping) -> list[tuple[str, str, Text]]:
    found = []
    for code in sorted({line.code.code for line in lines}):
        if not mapping.has(code):
            unmapped = UnmappedCode(code)  # the one wording of this refusal
            found.append(("unmapped_code", unmapped.field or "", unmapped.message))
    for name, label in (
        ("cost_centre", Text(sv="kostnadsställe", en="cost centre")),
        ("project", Text(sv="projekt", en="project")),
    ):
        for value in sorted({getattr(line.dimensions, name) or "" for line in lines}):
            if len(value) > MAX_DIMENSION_ID:
                found.append(
                    (
                        "dimension_too_long",
                        f"dimensions.{name}",
                        Text(
                            sv=f"Koden för {label.sv} {value} är längre än {MAX_DIMENSION_ID} tecken (PAXml).",
                            en=f"The {label.en} code {value} is longer than {MAX_DIMENSION_ID} characters (PAXml).",
                        ),
                    )
                )
    return found


def problems(items: Iterable[ItemFacts], mapping: CodeMapping) -> list[ExportProblem]:
    """Every problem of ``items`` at once, so the export can be refused with the full list."""
    found = []
    for item in items:
        person = item.person
        who = f"{person.name} ({person.employee_number or '?'}), {item.title}"
        for code, where, message in _person_problems(person) + _line_problems(_lines(item), mapping):
            found.append(
                ExportProblem(
                    item_id=item.item_id,
                    item_title=item.title,
                    employee_number=person.employee_number,
                    employee_name=person.name,
                    code=code,
                    field=where,
                    message=Text(sv=f"{who}: {message.sv}", en=f"{who}: {message.en}"),
                )
            )
    return found
