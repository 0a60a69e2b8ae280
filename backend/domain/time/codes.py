"""The hour codes an employee reports, and which of them an agreement profile offers.

Values are the payslip engine's ``TimeCode`` values, so approved rows go to the payslip
unchanged. Ordinary work and the absences every employer has by law always exist;
overtime and mertid exist when the organisation's agreement profile prices them;
unsocial hours (OB) are never reported, they are derived from clock times
(``backend.domain.time.ob``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backend.domain.rates import AgreementProfile, PayItemKind
from backend.domain.text import Text


class TimeCode(StrEnum):
    WORK = "work"
    SIMPLE_OVERTIME = PayItemKind.SIMPLE_OVERTIME.value
    QUALIFIED_OVERTIME = PayItemKind.QUALIFIED_OVERTIME.value
    MERTID = PayItemKind.MERTID.value
    SICK = "sick"
    VACATION = "vacation"
    VAB = "vab"
    PARENTAL_LEAVE = "parental_leave"
    UNPAID_LEAVE = "unpaid_leave"


class CodeKind(StrEnum):
    WORK = "work"  # ordinary hours within the schedule
    EXTRA = "extra"  # overtime and mertid: hours beyond the schedule
    ABSENCE = "absence"  # scheduled hours not worked


@dataclass(frozen=True)
class CodeInfo:
    code: TimeCode
    kind: CodeKind
    name_sv: str
    name_en: str


CODES: dict[TimeCode, CodeInfo] = {
    info.code: info
    for info in (
        CodeInfo(TimeCode.WORK, CodeKind.WORK, "Arbetad tid", "Ordinary work"),
        CodeInfo(TimeCode.SIMPLE_OVERTIME, CodeKind.EXTRA, "Enkel övertid", "Simple overtime"),
        CodeInfo(TimeCode.QUALIFIED_OVERTIME, CodeKind.EXTRA, "Kvalificerad övertid", "Qualified overtime"),
        CodeInfo(TimeCode.MERTID, CodeKind.EXTRA, "Mertid", "Extra hours (part-time)"),
        CodeInfo(TimeCode.SICK, CodeKind.ABSENCE, "Sjuk", "Sick"),
        CodeInfo(TimeCode.VACATION, CodeKind.ABSENCE, "Semester", "Vacation"),
        CodeInfo(TimeCode.VAB, CodeKind.ABSENCE, "Vård av barn (VAB)", "Care of a sick child (VAB)"),
        CodeInfo(TimeCode.PARENTAL_LEAVE, CodeKind.ABSENCE, "Föräldraledig", "Parental leave"),
        CodeInfo(TimeCode.UNPAID_LEAVE, CodeKind.ABSENCE, "Tjänstledig (obetald)", "Unpaid leave"),
    )
}

OB_NAMES: dict[PayItemKind, Text] = {
    PayItemKind.OB_WEEKDAY_EVENING: Text(sv="OB vardag kväll", en="Unsocial hours, weekday evening"),
    PayItemKind.OB_NIGHT: Text(sv="OB natt", en="Unsocial hours, night"),
    PayItemKind.OB_WEEKEND: Text(sv="OB helg", en="Unsocial hours, weekend"),
    PayItemKind.OB_MAJOR_HOLIDAY: Text(sv="OB storhelg", en="Unsocial hours, major holiday"),
}

_EXTRA = (TimeCode.SIMPLE_OVERTIME, TimeCode.QUALIFIED_OVERTIME, TimeCode.MERTID)


def kind_of(code: TimeCode) -> CodeKind:
    return CODES[code].kind


def reportable_codes(profile: AgreementProfile) -> tuple[TimeCode, ...]:
    """The codes an employee of an organisation on ``profile`` may report, in display order."""
    return tuple(code for code in TimeCode if code not in _EXTRA or PayItemKind(code.value) in profile.items)


def derived_ob_items(profile: AgreementProfile) -> tuple[PayItemKind, ...]:
    """OB items the profile both prices and can derive from clock times."""
    return tuple(item for item in OB_NAMES if item in profile.items and profile.items[item].window is not None)


def parse_code(value: str) -> TimeCode | None:
    try:
        return TimeCode(value)
    except ValueError:
        return None
