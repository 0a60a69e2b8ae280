"""Which reported sick day starts a sick spell with a qualifying deduction (karensavdrag, since 2019; no karensdag).

Sick days form one spell when only days off (weekends, holidays) lie between them: the
sick-pay period counts calendar days, and time is only reported on working days
(assumption). Whether a spell gets a karensavdrag is decided by the sick-pay rules in
``backend.domain.payroll.absence`` (a new spell within 5 days continues the last one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from backend.domain.calendar import is_working_day
from backend.domain.payroll.absence import SickPeriod, assess_sick_periods, sick_periods_of


@dataclass(frozen=True)
class SpellStart:
    day: date
    qualifying_day: bool
    explanation_en: str
    explanation_sv: str


def _bridged(last: date, day: date) -> bool:
    return all(not is_working_day(last + timedelta(days=i)) for i in range(1, (day - last).days))


def sick_periods(sick_days: Iterable[date]) -> list[SickPeriod]:
    return sick_periods_of(sick_days, _bridged)


def spell_starts(sick_days: Iterable[date]) -> dict[date, SpellStart]:
    """The first day of each sick spell, and whether it is a qualifying day."""
    starts: dict[date, SpellStart] = {}
    for assessment in assess_sick_periods(sick_periods(sick_days)):
        day = assessment.period.first_day
        if assessment.karens:
            en = "First day of a sick spell: the qualifying deduction (karensavdrag) is made from its sick pay."
            sv = "Första dagen i en sjukperiod: karensavdraget görs från sjuklönen."
        else:
            en, sv = assessment.explanation_en, assessment.explanation_sv
        starts[day] = SpellStart(day, assessment.karens, en, sv)
    return starts
