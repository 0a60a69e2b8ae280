"""Per diem (traktamente) for a business trip, day by day, by Skatteverket's rules.

* A trip qualifies only with an overnight stay and more than 50 km from both
  the ordinary workplace and home (figures of the departure day's year).
* Each calendar day of the trip is a full day, except a half day when the trip
  departs at or after 12:00 (departure day) or returns at or before 19:00
  (return day).
* A night allowance is due for each night the employee stayed away without
  lodging paid by the employer (``Lodging.OWN_ARRANGEMENT``).
* Free meals reduce the day: domestically by a share of the FULL-day amount
  (kronor from the rates data), abroad by a share of the country's
  normalbelopp; a reduction is never above the day's amount.
* After 3 months at the same place the day is 70 %, after 2 years 50 %.
* Abroad the full day is the country's normalbelopp, half days and nights 50 %.
* Each day uses the figures of its own year; a night those of the day it starts.

What the organisation pays may differ (``PerDiemPolicy``); the part above the
tax-free amount is taxable pay. Every day carries the rule applied, the figures
and an explanation in English and Swedish.

Assumptions where the source material is silent (documented, not official):
half days on long stays get the long-stay share of the half-day amount, and
meal reductions on long stays the same share of the normal reduction; night
allowances are not reduced on long stays. Amounts are rounded to öre, an exact
half up, per day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from zoneinfo import ZoneInfo

from backend.domain.calendar import months_after
from backend.domain.money import as_decimal, format_sek, round_ore
from backend.domain.rates import MealReductions, PerDiemRates, rates_for
from backend.domain.text import Text
from backend.domain.travel.claim import date_outside_trip, negative_distance, trip_order_problem
from backend.domain.travel.errors import (
    DateOutsideTrip,
    NegativeDistance,
    NegativePayment,
    ReturnBeforeDeparture,
    UnknownCountry,
)
from backend.domain.travel.normalbelopp import NormalbeloppTable

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DOMESTIC = "SE"


class Meal(StrEnum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"


class Lodging(StrEnum):
    """Who paid the night's lodging."""

    EMPLOYER_PAID = "employer_paid"  # hotel paid or reimbursed by the employer, incl. a sleeper berth
    OWN_ARRANGEMENT = "own_arrangement"  # stayed away without lodging paid by the employer


class DayKind(StrEnum):
    FULL = "full_day"
    HALF = "half_day"


class LongStay(StrEnum):
    NONE = "none"
    AFTER_3_MONTHS = "after_3_months"
    AFTER_2_YEARS = "after_2_years"


_MEAL_NAMES = {
    Meal.BREAKFAST: ("breakfast", "frukost"),
    Meal.LUNCH: ("lunch", "lunch"),
    Meal.DINNER: ("dinner", "middag"),
}


def _empty_meals() -> Mapping[date, frozenset[Meal]]:
    return MappingProxyType({})


def _empty_lodging() -> Mapping[date, Lodging]:
    return MappingProxyType({})


def _empty_countries() -> Mapping[date, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Trip:
    """A business trip as the employee reports it.

    ``departure``/``return_at`` are local Stockholm wall-clock times when naive,
    converted to Stockholm time when aware. ``meals_provided`` is keyed by day,
    ``lodging`` by the date the night starts (default: employer paid),
    ``country_by_date`` overrides ``country_code`` for single days.
    ``same_place_since`` starts the long-stay count (default: the departure day).
    """

    departure: datetime
    return_at: datetime
    distance_from_home_km: Decimal
    distance_from_workplace_km: Decimal
    country_code: str = DOMESTIC
    meals_provided: Mapping[date, frozenset[Meal]] = field(default_factory=_empty_meals)
    lodging: Mapping[date, Lodging] = field(default_factory=_empty_lodging)
    country_by_date: Mapping[date, str] = field(default_factory=_empty_countries)
    same_place_since: date | None = None


@dataclass(frozen=True)
class PerDiemPolicy:
    """What the organisation pays. ``None`` amounts mean "the tax-free maximum".

    ``half_day`` defaults to half the ``full_day`` rate; with
    ``reduce_for_meals`` the organisation deducts the same meal reduction from
    what it pays. The organisation's rates are not reduced on long stays.
    """

    full_day: Decimal | None = None
    half_day: Decimal | None = None
    night: Decimal | None = None
    reduce_for_meals: bool = True


@dataclass(frozen=True)
class NightAllowance:
    """The night starting on the day it belongs to."""

    lodging: Lodging
    tax_free_max: Decimal
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal


@dataclass(frozen=True)
class PerDiemDay:
    date: date
    year: int
    country_code: str
    kind: DayKind
    long_stay: LongStay
    rule: str
    allowance: Decimal  # the day's tax-free amount before meals (0 when the trip does not qualify)
    meals_provided: frozenset[Meal]
    meal_reduction: Decimal
    day_tax_free_max: Decimal
    day_paid: Decimal
    night: NightAllowance | None
    paid: Decimal  # day + night
    tax_free: Decimal
    taxable: Decimal
    explanation_en: str
    explanation_sv: str


@dataclass(frozen=True)
class PerDiemResult:
    qualifies: bool
    reason: str  # "per_diem.qualifies" | "per_diem.no_overnight_stay" | "per_diem.too_close"
    explanation_en: str
    explanation_sv: str
    days: tuple[PerDiemDay, ...]
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal
    night_allowance_tax_free: Decimal


def wall_clock(moment: datetime) -> datetime:
    """Stockholm wall-clock time without an offset (naive input already is): how trips are counted."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(STOCKHOLM).replace(tzinfo=None)


def _meal_share(meals: frozenset[Meal], table: MealReductions) -> Decimal:
    main = len(meals & {Meal.LUNCH, Meal.DINNER})
    breakfast = Meal.BREAKFAST in meals
    if main == 0:
        return table.breakfast if breakfast else Decimal(0)
    if main == 1:
        return table.breakfast_and_lunch_or_dinner if breakfast else table.lunch_or_dinner
    return table.all_three if breakfast else table.lunch_and_dinner


def _meal_text(meals: frozenset[Meal], lang: str) -> str:
    index = 0 if lang == "en" else 1
    names = [_MEAL_NAMES[m][index] for m in (Meal.BREAKFAST, Meal.LUNCH, Meal.DINNER) if m in meals]
    joiner = " and " if lang == "en" else " och "
    return ", ".join(names[:-1]) + joiner + names[-1] if len(names) > 1 else names[0]


def _check_trip(trip: Trip, dep: datetime, ret: datetime) -> None:
    """The claim's rules (``backend.domain.travel.claim``), raised as the first problem found."""
    if (order := trip_order_problem(dep, ret)) is not None:
        raise ReturnBeforeDeparture(order.message, field=order.field)
    for name, value in (
        ("distance_from_home_km", trip.distance_from_home_km),
        ("distance_from_workplace_km", trip.distance_from_workplace_km),
    ):
        if (distance := negative_distance(name, as_decimal(value, field=name))) is not None:
            raise NegativeDistance(distance.message, field=name)
    first, last = dep.date(), ret.date()
    for name, days in (("meals_provided", trip.meals_provided), ("country_by_date", trip.country_by_date)):
        for day in days:
            if (outside := date_outside_trip(name, day, first, last)) is not None:
                raise DateOutsideTrip(outside.message, field=name)
    for day in trip.lodging:
        if not first <= day < last:
            raise DateOutsideTrip(
                Text(
                    sv=f"logi: ingen natt under resan börjar {day} (nätter {first} till {last - timedelta(days=1)}).",
                    en=f"lodging: no night of the trip starts on {day} (nights {first} to {last - timedelta(days=1)}).",
                ),
                field="lodging",
            )


def _check_policy(policy: PerDiemPolicy) -> None:
    for name in ("full_day", "half_day", "night"):
        value = getattr(policy, name)
        if value is not None and as_decimal(value, field=name) < 0:
            raise NegativePayment(
                Text(
                    sv=f"Organisationens belopp ({name}) får inte vara negativt.",
                    en=f"The organisation's {name} rate must not be negative.",
                ),
                field=name,
            )


@dataclass(frozen=True)
class _DayFigures:
    allowance: Fraction
    reduction: Fraction
    night: Fraction
    basis_en: str
    basis_sv: str


def _figures(
    rates: PerDiemRates,
    country: str,
    kind: DayKind,
    level: LongStay,
    meals: frozenset[Meal],
    normalbelopp: NormalbeloppTable | None,
) -> _DayFigures:
    share = {
        LongStay.NONE: Fraction(1),
        LongStay.AFTER_3_MONTHS: Fraction(rates.after_3_months_share),
        LongStay.AFTER_2_YEARS: Fraction(rates.after_2_years_share),
    }[level]
    if country == DOMESTIC:
        dom = rates.domestic
        full = {
            LongStay.NONE: dom.full_day,
            LongStay.AFTER_3_MONTHS: dom.after_3_months,
            LongStay.AFTER_2_YEARS: dom.after_2_years,
        }[level]
        allowance = Fraction(full) if kind is DayKind.FULL else Fraction(dom.half_day) * share
        reduction = Fraction(_meal_share(meals, dom.meal_reductions)) * share
        return _DayFigures(
            allowance,
            reduction,
            Fraction(dom.night),
            f"domestic, {rates.year}",
            f"inrikes, {rates.year}",
        )
    if normalbelopp is None:
        raise UnknownCountry(
            Text(
                sv=f"Resan går till {country}, men ingen normalbeloppstabell är inläst.",
                en=f"The trip goes to {country}, but no normalbelopp table is loaded.",
            ),
            field="country_code",
        )
    entry = normalbelopp.get(rates.year, country)
    abroad = rates.abroad
    amount = Fraction(entry.amount) * share
    allowance = amount if kind is DayKind.FULL else amount * Fraction(abroad.half_day_share)
    reduction = amount * Fraction(_meal_share(meals, abroad.meal_reduction_shares))
    return _DayFigures(
        allowance,
        reduction,
        Fraction(entry.amount) * Fraction(abroad.night_share),
        f"{entry.country_name} ({country}), normalbelopp {format_sek(entry.amount, lang='en')}, {rates.year}",
        f"{entry.country_name} ({country}), normalbelopp {format_sek(entry.amount, lang='sv')}, {rates.year}",
    )


def compute_per_diem(
    trip: Trip,
    *,
    policy: PerDiemPolicy | None = None,
    normalbelopp: NormalbeloppTable | None = None,
) -> PerDiemResult:
    """Per diem for ``trip``: one entry per calendar day with tax-free and taxable parts."""
    policy = policy or PerDiemPolicy()
    dep, ret = wall_clock(trip.departure), wall_clock(trip.return_at)
    _check_trip(trip, dep, ret)
    _check_policy(policy)
    first, last = dep.date(), ret.date()
    start_rates = rates_for(first.year).per_diem
    min_km = start_rates.min_distance_km

    if last == first:
        qualifies, reason = False, "per_diem.no_overnight_stay"
        trip_en = "No per diem: the trip has no overnight stay."
        trip_sv = "Inget traktamente: resan saknar övernattning."
    elif trip.distance_from_home_km <= min_km or trip.distance_from_workplace_km <= min_km:
        qualifies, reason = False, "per_diem.too_close"
        trip_en = f"No per diem: the destination is not more than {min_km} km from both the workplace and home."
        trip_sv = f"Inget traktamente: resmålet ligger inte mer än {min_km} km från både arbetsplatsen och bostaden."
    else:
        qualifies, reason = True, "per_diem.qualifies"
        trip_en = f"Qualifies: overnight stay and more than {min_km} km from both the workplace and home."
        trip_sv = (
            f"Berättigar till traktamente: övernattning och mer än {min_km} km från både arbetsplatsen och bostaden."
        )

    since = trip.same_place_since or first
    after_3 = months_after(since, 3)
    after_2y = months_after(since, 24)
    days: list[PerDiemDay] = []
    day = first
    while day <= last:
        rates = rates_for(day.year).per_diem
        country = trip.country_by_date.get(day, trip.country_code).strip().upper()
        meals = frozenset(trip.meals_provided.get(day, frozenset()))
        noon, evening = rates.half_day_when_departing_at_or_after, rates.half_day_when_returning_at_or_before
        if day == first and dep.time() >= noon:
            kind, rule = DayKind.HALF, "per_diem.half_day_departure"
            why_en = f"half day: departed {dep:%H:%M}, at or after {noon:%H:%M}"
            why_sv = f"halvdag: avresa {dep:%H:%M}, klockan {noon:%H:%M} eller senare"
        elif day == last and ret.time() <= evening:
            kind, rule = DayKind.HALF, "per_diem.half_day_return"
            why_en = f"half day: returned {ret:%H:%M}, at or before {evening:%H:%M}"
            why_sv = f"halvdag: hemkomst {ret:%H:%M}, klockan {evening:%H:%M} eller tidigare"
        else:
            kind, rule = DayKind.FULL, "per_diem.full_day"
            why_en, why_sv = "full day", "hel dag"
        level = (
            LongStay.AFTER_2_YEARS if day >= after_2y else LongStay.AFTER_3_MONTHS if day >= after_3 else LongStay.NONE
        )
        figures = _figures(rates, country, kind, level, meals, normalbelopp) if qualifies else None
        lodging = trip.lodging.get(day, Lodging.EMPLOYER_PAID) if day < last else None
        days.append(
            _day_entry(
                day=day,
                country=country,
                kind=kind,
                rule=rule if qualifies else reason,
                level=level,
                meals=meals,
                lodging=lodging,
                figures=figures,
                policy=policy,
                rates=rates,
                why_en=why_en,
                why_sv=why_sv,
            )
        )
        day += timedelta(days=1)

    zero = Decimal("0.00")
    return PerDiemResult(
        qualifies=qualifies,
        reason=reason,
        explanation_en=trip_en,
        explanation_sv=trip_sv,
        days=tuple(days),
        paid=sum((d.paid for d in days), zero),
        tax_free=sum((d.tax_free for d in days), zero),
        taxable=sum((d.taxable for d in days), zero),
        night_allowance_tax_free=sum((d.night.tax_free for d in days if d.night is not None), zero),
    )


def _day_entry(
    *,
    day: date,
    country: str,
    kind: DayKind,
    rule: str,
    level: LongStay,
    meals: frozenset[Meal],
    lodging: Lodging | None,
    figures: _DayFigures | None,
    policy: PerDiemPolicy,
    rates: PerDiemRates,
    why_en: str,
    why_sv: str,
) -> PerDiemDay:
    allowance = round_ore(figures.allowance) if figures else Decimal("0.00")
    full_reduction = round_ore(figures.reduction) if figures else Decimal("0.00")
    reduction = min(full_reduction, allowance)
    day_max = allowance - reduction

    if policy.full_day is None:
        day_paid = day_max
    else:
        rate = (
            policy.full_day
            if kind is DayKind.FULL
            else (policy.half_day if policy.half_day is not None else policy.full_day / 2)
        )
        deduct = full_reduction if policy.reduce_for_meals else Decimal(0)
        day_paid = max(round_ore(rate - deduct), Decimal("0.00"))
    day_tax_free = min(day_paid, day_max)

    night: NightAllowance | None = None
    if lodging is not None:
        due = figures is not None and lodging is Lodging.OWN_ARRANGEMENT
        night_max = round_ore(figures.night) if figures is not None and due else Decimal("0.00")
        if lodging is Lodging.OWN_ARRANGEMENT:
            night_paid = night_max if policy.night is None else round_ore(policy.night)
        else:
            night_paid = Decimal("0.00")
        night_free = min(night_paid, night_max)
        night = NightAllowance(lodging, night_max, night_paid, night_free, night_paid - night_free)

    paid = day_paid + (night.paid if night else 0)
    tax_free = day_tax_free + (night.tax_free if night else 0)
    taxable = paid - tax_free

    en: list[str] = [f"{day:%a %Y-%m-%d}: {why_en}"]
    sv: list[str] = [f"{day:%Y-%m-%d}: {why_sv}"]
    if figures is None:
        en.append("no tax-free per diem (the trip does not qualify)")
        sv.append("inget skattefritt traktamente (resan berättigar inte till traktamente)")
    else:
        en.append(f"{figures.basis_en}: {format_sek(allowance, lang='en')}")
        sv.append(f"{figures.basis_sv}: {format_sek(allowance, lang='sv')}")
        if level is LongStay.AFTER_3_MONTHS:
            en.append(f"after 3 months at the same place ({rates.after_3_months_share * 100:.0f} %)")
            sv.append(f"efter 3 månader på samma ort ({rates.after_3_months_share * 100:.0f} %)")
        elif level is LongStay.AFTER_2_YEARS:
            en.append(f"after 2 years at the same place ({rates.after_2_years_share * 100:.0f} %)")
            sv.append(f"efter 2 år på samma ort ({rates.after_2_years_share * 100:.0f} %)")
        if meals:
            capped_en = " (capped at the day's amount)" if reduction < full_reduction else ""
            capped_sv = " (högst dagens belopp)" if reduction < full_reduction else ""
            en.append(f"free {_meal_text(meals, 'en')}: -{format_sek(reduction, lang='en')}{capped_en}")
            sv.append(f"fri {_meal_text(meals, 'sv')}: -{format_sek(reduction, lang='sv')}{capped_sv}")
    if night is not None and night.lodging is Lodging.OWN_ARRANGEMENT:
        en.append(f"night allowance (no lodging paid by the employer): {format_sek(night.tax_free_max, lang='en')}")
        sv.append(f"nattraktamente (logi inte betald av arbetsgivaren): {format_sek(night.tax_free_max, lang='sv')}")
    en.append(f"paid {format_sek(paid, lang='en')}: tax-free {format_sek(tax_free, lang='en')}")
    sv.append(f"utbetalt {format_sek(paid, lang='sv')}: skattefritt {format_sek(tax_free, lang='sv')}")
    if taxable:
        en.append(f"taxable {format_sek(taxable, lang='en')}")
        sv.append(f"skattepliktigt {format_sek(taxable, lang='sv')}")

    return PerDiemDay(
        date=day,
        year=day.year,
        country_code=country,
        kind=kind,
        long_stay=level,
        rule=rule,
        allowance=allowance,
        meals_provided=meals,
        meal_reduction=reduction,
        day_tax_free_max=day_max,
        day_paid=day_paid,
        night=night,
        paid=paid,
        tax_free=tax_free,
        taxable=taxable,
        explanation_en="; ".join(en) + ".",
        explanation_sv="; ".join(sv) + ".",
    )
