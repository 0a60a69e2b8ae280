"""Which reported sick day starts a sick spell with a qualifying deduction (karensavdrag, since 2019; no karensdag).

Sick days form one spell when only days with nothing reported (weekends, holidays, days
off) lie between them: ``continues_spell`` in ``backend.domain.payroll.absence``, the
rule the payslip applies too. Whether a spell gets a karensavdrag is decided by the sick-pay rules in
``backend.domain.payroll.absence`` (a new spell within 5 days continues the last one).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from backend.domain.payroll.absence import assess_sick_periods, sick_periods_of


@dataclass(frozen=True)
class SpellStart:
    day: date
    qualifying_day: bool
    explanation_en: str
    explanation_sv: str


def spell_starts(sick_days: Iterable[date], reported: Collection[date] = frozenset()) -> dict[date, SpellStart]:
    """The first day of each sick spell, and whether it is a qualifying day.

    ``reported``: the days with anything but sickness reported (work, another absence), which end a spell.
    """
    starts: dict[date, SpellStart] = {}
    for assessment in assess_sick_periods(sick_periods_of(sick_days, reported)):
        day = assessment.period.first_day
        if assessment.karens:
            en = "First day of a sick spell: the qualifying deduction (karensavdrag) is made from its sick pay."
            sv = "Första dagen i en sjukperiod: karensavdraget görs från sjuklönen."
        else:
            en, sv = assessment.explanation_en, assessment.explanation_sv
        starts[day] = SpellStart(day, assessment.karens, en, sv)
    return starts
