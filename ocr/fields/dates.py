"""Dates and times as printed on receipts, in the formats of the countries we see.

Numeric dates are read day-first (Europe, Malaysia) unless the caller says month-first
(US dollars) or the digits allow only one reading. A date counts only inside the
plausible window: not after ``today`` (one day of slack for time zones) and not more
than ``MAX_AGE_DAYS`` before it, which also settles most day/month ambiguities.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ocr.layout import Line
from ocr.text import fold

MAX_AGE_DAYS = 11 * 366
"""About ten years, with a year's slack: old scans (2016) are still receipts."""

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        # sv, en, de, fr, es, it, ms; then lv, lt (nominative and genitive), et, fi (and partitive), no/da, pl
        "jan januari january januar janvier janv ene enero gen jänner janner"
        " janv janvaris sausis sausio jaan jaanuar tammikuu tammikuuta tammi sty styczen stycznia",
        "feb februari february februar fevrier fevr febr februaris vas vasaris vasario veebr veebruar"
        " helmikuu helmikuuta helmi lut luty lutego",
        "mar mars march marz maerz mac marzo marts kov kovas kovo marts maaliskuu maaliskuuta maalis marzec marca",
        "apr april avril avr abr aprilis bal balandis balandzio aprill huhtikuu huhtikuuta huhti kwi kwiecien kwietnia",
        "maj may mai mei mayo maijs geg geguze geguzes toukokuu toukokuuta touko maja",
        "jun juni june juin junio junijs birz birzelis birzelio juuni kesakuu kesakuuta kesa cze czerwiec czerwca",
        "jul juli july juil juillet julio julijs liep liepa liepos juuli heinakuu heinakuuta heina lip lipiec lipca",
        "aug augusti august aout ogos ogo ago agosto augusts rugp rugpjutis rugpjucio elokuu elokuuta elo"
        " sie sierpien sierpnia",
        "sep sept september septembre septiembre set septembris rugs rugsejis rugsejo syyskuu syyskuuta"
        " syys wrz wrzesien wrzesnia",
        "okt oct oktober october octobre octubre ott oktobris spal spalis spalio oktoober lokakuu"
        " lokakuuta loka paz pazdziernik pazdziernika",
        "nov november novembre noviembre novembris lapkr lapkritis lapkricio marraskuu marraskuuta"
        " marras lis listopad listopada",
        "dec dez december dezember decembre dis disember dic diciembre decembris gruod gruodis gruodzio"
        " dets detsember joulukuu joulukuuta joulu gru grudzien grudnia desember",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_SEP = r"\s?[-/.]\s?"
_YMD = re.compile(rf"(?<![\d.,])(?P<y>(?:19|20)\d\d){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})(?![\d])")
_DMY = re.compile(
    r"(?<![\d.,])(?P<d>\d{1,2})\s?(?P<s>[-/.])\s?(?P<m>\d{1,2})\s?(?P=s)\s?(?P<y>\d{4}|\d{2})(?![\d])(?![.,]\d)"
)
_D_MON_Y = re.compile(
    r"(?<![\da-z])(?P<d>\d{1,2})(?:st|nd|rd|th|e|:e)?\.?\s?[-/ ]?\s?(?P<mon>[a-z]{3,12})\.?\s?[-/ ,]?\s?(?P<y>(?:19|20)\d\d|\d\d)(?![\d])"
)
_MIXED = re.compile(
    r"(?<![\d.,])(?P<d>\d{1,2})\s?(?P<s>[-/.])\s?(?P<m>\d{1,2})\s?(?!(?P=s))[-/.]\s?(?P<y>(?:19|20)\d\d)(?![\d])(?![.,]\d)"
)
"""A day-first date whose separators differ ("27.03/2018"): one of them misread; a four-digit year only."""
_AFTER_TIME = re.compile(
    r"(?<=\d[:.]\d\d)(?P<d>\d{1,2})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?![\d])(?![.,]\d)"
)
"""A date run into the time before it, the space lost ("17:4518/05/18")."""
_DM_Y = re.compile(r"(?<![\d.,/])(?P<d>\d{1,2})/(?P<m>\d{1,2})-(?P<y>\d{2}|\d{4})(?![\d])")
"""Swedish "21/10-26": day/month, a dash, the year."""
_Y_D_MON = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\.?\s?(?:g\.|gada|m\.)?\s?(?P<d>\d{1,2})\.\s?(?P<mon>[a-z]{3,12})(?![a-z])"
)
"""Latvian "2026. gada 21. oktobris"."""
_Y_MON_D_LT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s?m\.?\s(?P<mon>[a-z]{3,12})\s(?P<d>\d{1,2})\s?d\b")
"""Lithuanian "2026 m. spalio 21 d."."""
_MON_D_Y = re.compile(
    r"(?<![a-z])(?P<mon>[a-z]{3,12})\.?\s(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s(?P<y>(?:19|20)\d\d)(?!\d)"
)
_Y_MON_D = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[- ](?P<mon>[a-z]{3,9})[- ](?P<d>\d{1,2})(?!\d)")
_LOST_SEPARATOR = re.compile(
    r"(?<![\d.,/-])(?P<d>[0-3]\d)(?P<m>[01]\d)(?P<s>[-/.])(?P<y>(?:19|20)\d\d)(?![\d])"
    r"|(?<![\d.,/-])(?P<d2>[0-3]\d)(?P<s2>[-/.])(?P<m2>[01]\d)(?P<y2>(?:19|20)\d\d)(?![\d])"
)
"""A day-first date with one of its two separators lost ("2109/2017")."""
_COMPACT = re.compile(r"(?<!\d)(?P<y>20\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_TIME = re.compile(
    r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])\s?(?P<sep>[:.])\s?(?P<m>[0-5]\d)(?:\s?[:.]\s?(?P<s>[0-5]\d))?(?![\d])(?:\s?(?P<ampm>[ap])\.?\s?m\b\.?)?"
)
_TIME_KEYWORD = re.compile(r"(?<![a-z])(kl|klo|tid|time|zeit|heure|masa|hora)\b\.?:?\s*$")


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: date
    start: int
    end: int
    line: Line
    four_digit_year: bool
    named_month: bool
    ambiguous: bool
    repaired: bool = False
    """One digit was changed (an OCR confusion such as 0/8), or a lost separator put back, to make the date valid."""
    against_order: bool = False
    """Valid only read month first where day first was asked for ("01/16/2017" on a day-first receipt)."""


# Digits OCR confuses, for repairing an impossible date ("17/03/2817"): read -> maybe meant.
_CONFUSED = {
    "8": "036",
    "6": "058",
    "9": "08",
    "1": "07",
    "7": "12",
    "4": "1",
    "3": "8",
    "5": "360",
    "0": "86",
    "2": "7",
}


@dataclass(frozen=True, slots=True)
class TimeMatch:
    value: str
    """HH:MM, 24-hour clock."""
    start: int
    end: int
    line: Line
    with_seconds: bool


def plausible(value: date, today: date, max_age_days: int = MAX_AGE_DAYS) -> bool:
    return today - timedelta(days=max_age_days) <= value <= today + timedelta(days=1)


def _numeric(text: str) -> str:
    """Digit look-alikes inside date-shaped tokens ("2O26-1O-21"), same length."""
    return re.sub(
        r"[\dOoIl]{1,4}(?:\s?[-/.]\s?[\dOoIl]{1,2}){1,2}(?:\s?[-/.]\s?[\dOoIl]{2,4})?",
        lambda m: (
            m.group().translate(str.maketrans("OoIl", "0011"))
            if sum(c.isdigit() for c in m.group()) >= 4
            else m.group()
        ),
        text,
    )


def find_dates(
    line: Line, *, today: date, month_first: bool = False, max_age_days: int = MAX_AGE_DAYS, compact: bool = False
) -> list[DateMatch]:
    """Plausible dates in ``line``; ``compact`` also accepts YYYYMMDD (use next to a keyword)."""
    text = _numeric(fold(line.text))
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def add(candidates: list[date], start: int, end: int, four: bool, named: bool, repaired: bool = False) -> bool:
        if any(s < end and start < e for s, e in taken):
            return False
        valid = [c for c in candidates if plausible(c, today, max_age_days)]
        if not valid:
            return False
        taken.append((start, end))
        found.append(DateMatch(valid[0], start, end, line, four, named, len(set(valid)) > 1, repaired))
        return True

    def against_order(y: str, m: str, d: str) -> bool:
        """Only the month-first reading of a day-first date makes sense."""
        year = _year(y)
        return not month_first and not _make(year, int(m), int(d)) and bool(_make(year, int(d), int(m)))

    def numeric(y: str, m: str, d: str, start: int, end: int, *, day_first_order: bool) -> None:
        def readings(yy: str, mm: str, dd: str) -> list[date]:
            year = _year(yy)
            first = _make(year, int(mm), int(dd))
            if day_first_order:
                swapped = _make(year, int(dd), int(mm))
                return swapped + first if month_first else first + swapped
            return first

        first = readings(y, m, d)
        if add(first, start, end, len(y) == 4, False):
            if day_first_order and against_order(y, m, d):
                found[-1] = dataclasses.replace(found[-1], against_order=True)
            return
        real = bool(first) and all(abs(c.year - today.year) <= 30 for c in first)
        if real and not all(c < today for c in first):
            return  # a real date after today: nothing to repair
        # A real date too old for a receipt: only its year may be misread ("15-03-13" for 15-03-18).
        repairable = range(len(y)) if real else range(len(y + m + d))
        digits = y + m + d
        for i, char in enumerate(digits):
            if i not in repairable:
                continue
            for meant in _CONFUSED.get(char, ""):
                fixed = digits[:i] + meant + digits[i + 1 :]
                yy, mm, dd = fixed[: len(y)], fixed[len(y) : len(y) + len(m)], fixed[len(y) + len(m) :]
                if add(readings(yy, mm, dd), start, end, len(y) == 4, False, repaired=True):
                    return

    for m in _YMD.finditer(text):
        numeric(m["y"], m["m"], m["d"], m.start(), m.end(), day_first_order=False)
    for pattern in (_D_MON_Y, _MON_D_Y, _Y_MON_D, _Y_D_MON, _Y_MON_D_LT):
        for m in pattern.finditer(text):
            month = _MONTHS.get(m["mon"])
            misread = month is None and len(m["y"]) == 4
            if misread:
                month = _misread_month(m["mon"])
            if month is None:
                continue
            add(_make(_year(m["y"]), month, int(m["d"])), m.start(), m.end(), len(m["y"]) == 4, True, misread)
    for m in _DMY.finditer(text):
        numeric(m["y"], m["m"], m["d"], m.start(), m.end(), day_first_order=True)
    for m in _AFTER_TIME.finditer(text):
        numeric(m["y"], m["m"], m["d"], m.start(), m.end(), day_first_order=True)
    for m in _MIXED.finditer(text):
        dd, mm = (m["m"], m["d"]) if month_first else (m["d"], m["m"])
        add(_make(int(m["y"]), int(mm), int(dd)), m.start(), m.end(), True, False, repaired=True)
    for m in _DM_Y.finditer(text):
        numeric(m["y"], m["m"], m["d"], m.start(), m.end(), day_first_order=True)
    for m in _LOST_SEPARATOR.finditer(text):
        d, mo, y = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
        add(_make(int(y), int(mo), int(d)), m.start(), m.end(), True, False, repaired=True)
    if compact:
        for m in _COMPACT.finditer(text):
            add(_make(int(m["y"]), int(m["m"]), int(m["d"])), m.start(), m.end(), True, False)
    found.sort(key=lambda d: d.start)
    return found


_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _misread_month(word: str) -> int | None:
    """A three-letter English month with one letter misread ("Fen" for Feb), if only one month is that close."""
    if len(word) != 3:
        return None
    close = [i for i, name in enumerate(_ABBREVIATIONS, 1) if sum(a != b for a, b in zip(word, name, strict=True)) == 1]
    return close[0] if len(close) == 1 else None


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _make(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []


def find_times(line: Line) -> list[TimeMatch]:
    """Clock times ("16:20", "8:13:39 PM", "kl. 16.20") in ``line``."""
    text = fold(line.text)
    found: list[TimeMatch] = []
    for m in _TIME.finditer(text):
        if m["sep"] == "." and not _TIME_KEYWORD.search(text[: m.start()]) and not m["ampm"]:
            continue
        hour, minute = int(m["h"]), int(m["m"])
        if m["ampm"]:
            if hour == 0 or hour > 12:
                continue
            hour = hour % 12 + (12 if m["ampm"] == "p" else 0)
        found.append(TimeMatch(f"{hour:02d}:{minute:02d}", m.start(), m.end(), line, m["s"] is not None))
    return found


def iter_plain_dates(text: str, today: date, *, month_first: bool = False) -> Iterator[date]:
    """Every plausible date in plain ``text`` (one line per row); for tests and tools."""
    from ocr.layout import lines_from_text

    for line in lines_from_text(text):
        for match in find_dates(line, today=today, month_first=month_first):
            yield match.value
