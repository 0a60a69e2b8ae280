"""Where a sick spell starts is one rule (``continues_spell``), read alike by the time week's hint,
the payroll export and the payslip: a spell goes on over days with nothing reported and ends at a
day with anything else reported.

Each case is run through all three: a karensavdrag the week promises is the one the payslip takes
and the one the payroll system is told of.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.domain.exports.mapping import DEFAULT_MAPPING
from backend.domain.exports.payroll import payroll_transactions
from backend.domain.payroll.absence import UNREPORTED_GAP_MAX_DAYS, SickPeriod, continues_spell, sick_periods_of
from backend.domain.payslip.inputs import TimeCode
from backend.domain.time.sick import spell_starts
from tests.unit.domain.exports.builders import time_week, work
from tests.unit.domain.payslip.builders import employee, monthly, row, slip

pytestmark = pytest.mark.clockless

FRI = date(2026, 3, 6)
MON = date(2026, 3, 9)
TUE, WED, THU = MON + timedelta(days=1), MON + timedelta(days=2), MON + timedelta(days=3)


def test_a_spell_goes_on_over_days_with_nothing_reported() -> None:
    assert continues_spell(FRI, MON)  # the weekend
    assert continues_spell(TUE, THU)  # a day off in the middle of the week (part time)
    assert continues_spell(MON, TUE)


def test_a_day_with_anything_else_reported_ends_the_spell() -> None:
    saturday = FRI + timedelta(days=1)

    assert not continues_spell(FRI, MON, reported={saturday})  # worked on Saturday
    assert not continues_spell(TUE, THU, reported={WED})


def test_more_than_the_longest_unreported_gap_ends_the_spell() -> None:
    last = FRI
    assert continues_spell(last, last + timedelta(days=UNREPORTED_GAP_MAX_DAYS + 1))
    assert not continues_spell(last, last + timedelta(days=UNREPORTED_GAP_MAX_DAYS + 2))


def test_the_same_day_or_an_earlier_one_does_not_continue_a_spell() -> None:
    assert not continues_spell(TUE, TUE)
    assert not continues_spell(TUE, MON)


def test_sick_days_form_periods_by_that_rule() -> None:
    days = [FRI, MON, MON, THU, TUE]

    assert sick_periods_of(days) == [SickPeriod(FRI, THU)]
    assert sick_periods_of(days, reported={WED}) == [SickPeriod(FRI, TUE), SickPeriod(THU, THU)]
    assert sick_periods_of([]) == []


# (sick days, days with work reported, the days that start a spell with a karensavdrag, and those without)
CASES = {
    "over the weekend": ([FRI, MON], [], [FRI], []),
    "worked on Saturday": ([FRI, MON], [FRI + timedelta(days=1)], [FRI], [MON]),
    "a day off between": ([TUE, THU], [MON], [TUE], []),
    "worked between": ([TUE, THU], [MON, WED], [TUE], [THU]),
}


@pytest.mark.parametrize(("sick", "worked", "karens", "relapse"), CASES.values(), ids=CASES.keys())
def test_the_time_week_the_export_and_the_payslip_see_the_same_spells(
    sick: list[date], worked: list[date], karens: list[date], relapse: list[date]
) -> None:
    starts = spell_starts(sick, reported=set(worked))
    week = time_week(*(work(day, code=TimeCode.SICK) for day in sick), *(work(day) for day in worked))
    exported = {t.day for t in payroll_transactions(week, DEFAULT_MAPPING) if t.code == "SJK_KAR"}
    rows = [row(day, TimeCode.SICK) for day in sick] + [row(day, TimeCode.WORK) for day in worked]
    payslip = slip(employee(monthly(30_000)), time=rows)

    assert sorted(day for day, start in starts.items() if start.qualifying_day) == karens
    assert sorted(day for day, start in starts.items() if not start.qualifying_day) == relapse
    assert sorted(exported) == karens
    assert sorted(spell.first_day for spell in payslip.sick_spells) == sorted(karens + relapse)
    assert sorted(spell.first_day for spell in payslip.sick_spells if spell.karens) == karens
