"""The PAXml 2.0 standard codes for what the product exports, each with a Swedish and English name.

A payroll system that reads PAXml knows these codes (``tidkodTYPE`` for hours, ``lonekodTYPE``
for amounts); the organisation's own löneart for each is in ``mapping``. Every code here is in
the schema's enumerations (a unit test reads the XSD), except ``WELLNESS``: PAXml has no code
for a wellness allowance (friskvårdsbidrag), so it is exported by its löneart alone (``<lonart>``
without ``<lonkod>``, which the schema allows) under this product's own key ``FRISKVÅRD``.

Choices, with why:

* Ordinary hours are ``ARB`` (worked time), not ``TID`` (total time incl. absence): the product
  reports worked hours per day, which is what hourly staff are paid for; for monthly staff the
  payroll system ignores ``ARB`` or uses it for statistics (how it treats them is its mapping).
* The first day of a sick spell that carries a karensavdrag is ``SJK_KAR``; other sick days ``SJK``.
* A privately paid expense, representation included, is reimbursed tax-free as ``UTLÄGG``: the
  employee gets back exactly what they paid (``backend.domain.expenses``; REPEXT_* would report a
  representation *allowance*, which the product does not pay).
* Meal reductions are ``MATRED_FRU/LCH/MID`` in Sweden and ``UTRRED_*`` abroad (``MATRED`` /
  ``UTRRED`` when the claim does not say which meals), with a negative amount.
* Mileage in the employee's own car is ``MILPRI_*``, in a company car ``MILFTG_*`` and in a fully
  electric company car ``MILEL_FRI`` (its taxable part ``MILFTG_SKT``: PAXml has no MILEL_SKT).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from backend.domain.exports.model import Section
from backend.domain.payslip.inputs import TimeCode
from backend.domain.rates import VehicleKind


@dataclass(frozen=True)
class StandardCode:
    code: str
    section: Section
    name_sv: str
    name_en: str
    in_paxml: bool = True
    """False: not a PAXml standard code, written as the löneart only (no ``<lonkod>``)."""

    def name(self, lang: str) -> str:
        return self.name_sv if lang == "sv" else self.name_en


def _time(code: str, sv: str, en: str) -> StandardCode:
    return StandardCode(code, Section.TIME, sv, en)


def _pay(code: str, sv: str, en: str, *, in_paxml: bool = True) -> StandardCode:
    return StandardCode(code, Section.PAY, sv, en, in_paxml)


# --- hours (tidkod) ----------------------------------------------------------------------------
WORK = _time("ARB", "Arbetad tid", "Hours worked")
SIMPLE_OVERTIME = _time("ÖT1", "Enkel övertid", "Simple overtime")
QUALIFIED_OVERTIME = _time("ÖT2", "Kvalificerad övertid", "Qualified overtime")
MERTID = _time("MER", "Mertid", "Additional hours (part-time)")
OB_EVENING = _time("OB1", "OB-tillägg vardag kväll", "Unsocial hours, weekday evening")
OB_NIGHT = _time("OB2", "OB-tillägg natt", "Unsocial hours, night")
OB_WEEKEND = _time("OB3", "OB-tillägg helg", "Unsocial hours, weekend")
OB_MAJOR_HOLIDAY = _time("OB4", "OB-tillägg storhelg", "Unsocial hours, major holiday")
SICK = _time("SJK", "Sjukfrånvaro", "Sick leave")
SICK_QUALIFYING_DAY = _time("SJK_KAR", "Sjukfrånvaro, karensdag (karensavdrag)", "Sick leave, qualifying day")
VACATION = _time("SEM", "Semester", "Vacation")
VAB = _time("VAB", "Vård av barn", "Care of a sick child")
PARENTAL_LEAVE = _time("FPE", "Föräldraledighet", "Parental leave")
UNPAID_LEAVE = _time("TJL", "Tjänstledighet (obetald)", "Unpaid leave")

# --- amounts (lonkod) --------------------------------------------------------------------------
OUTLAY = _pay("UTLÄGG", "Utlägg", "Expense reimbursement")
WELLNESS = _pay("FRISKVÅRD", "Friskvårdsbidrag", "Wellness allowance", in_paxml=False)

PER_DIEM_TAX_FREE = _pay("INR_FRI", "Traktamente inrikes, skattefritt", "Per diem, Sweden, tax-free")
PER_DIEM_TAXABLE = _pay("INR_SKT", "Traktamente inrikes, skattepliktigt", "Per diem, Sweden, taxable")
NIGHT_TAX_FREE = _pay("INRNAT_FRI", "Nattraktamente inrikes, skattefritt", "Night allowance, Sweden, tax-free")
MEALS = _pay("MATRED", "Måltidsreduktion inrikes", "Meal reduction, Sweden")
BREAKFAST = _pay("MATRED_FRU", "Måltidsreduktion frukost, inrikes", "Meal reduction breakfast, Sweden")
LUNCH = _pay("MATRED_LCH", "Måltidsreduktion lunch, inrikes", "Meal reduction lunch, Sweden")
DINNER = _pay("MATRED_MID", "Måltidsreduktion middag, inrikes", "Meal reduction dinner, Sweden")

PER_DIEM_TAX_FREE_ABROAD = _pay("UTR_FRI", "Traktamente utrikes, skattefritt", "Per diem, abroad, tax-free")
PER_DIEM_TAXABLE_ABROAD = _pay("UTR_SKT", "Traktamente utrikes, skattepliktigt", "Per diem, abroad, taxable")
NIGHT_TAX_FREE_ABROAD = _pay("UTRNAT_FRI", "Nattraktamente utrikes, skattefritt", "Night allowance, abroad, tax-free")
MEALS_ABROAD = _pay("UTRRED", "Måltidsreduktion utrikes", "Meal reduction, abroad")
BREAKFAST_ABROAD = _pay("UTRRED_FRU", "Måltidsreduktion frukost, utrikes", "Meal reduction breakfast, abroad")
LUNCH_ABROAD = _pay("UTRRED_LCH", "Måltidsreduktion lunch, utrikes", "Meal reduction lunch, abroad")
DINNER_ABROAD = _pay("UTRRED_MID", "Måltidsreduktion middag, utrikes", "Meal reduction dinner, abroad")

MILEAGE_OWN_CAR_TAX_FREE = _pay("MILPRI_FRI", "Milersättning egen bil, skattefri", "Mileage, own car, tax-free")
MILEAGE_OWN_CAR_TAXABLE = _pay("MILPRI_SKT", "Milersättning egen bil, skattepliktig", "Mileage, own car, taxable")
MILEAGE_COMPANY_CAR_TAX_FREE = _pay(
    "MILFTG_FRI", "Milersättning förmånsbil, skattefri", "Mileage, company car, tax-free"
)
MILEAGE_COMPANY_CAR_TAXABLE = _pay(
    "MILFTG_SKT", "Milersättning förmånsbil, skattepliktig", "Mileage, company car, taxable"
)
MILEAGE_ELECTRIC_CAR_TAX_FREE = _pay(
    "MILEL_FRI", "Milersättning förmånsbil (el), skattefri", "Mileage, electric company car, tax-free"
)

TIME_CODES: MappingProxyType[TimeCode, StandardCode] = MappingProxyType(
    {
        TimeCode.WORK: WORK,
        TimeCode.SIMPLE_OVERTIME: SIMPLE_OVERTIME,
        TimeCode.QUALIFIED_OVERTIME: QUALIFIED_OVERTIME,
        TimeCode.MERTID: MERTID,
        TimeCode.OB_WEEKDAY_EVENING: OB_EVENING,
        TimeCode.OB_NIGHT: OB_NIGHT,
        TimeCode.OB_WEEKEND: OB_WEEKEND,
        TimeCode.OB_MAJOR_HOLIDAY: OB_MAJOR_HOLIDAY,
        TimeCode.SICK: SICK,
        TimeCode.VACATION: VACATION,
        TimeCode.VAB: VAB,
        TimeCode.PARENTAL_LEAVE: PARENTAL_LEAVE,
        TimeCode.UNPAID_LEAVE: UNPAID_LEAVE,
    }
)


@dataclass(frozen=True)
class TravelCodes:
    """The per diem codes of one side of the border."""

    tax_free: StandardCode
    taxable: StandardCode
    night: StandardCode
    meals: StandardCode
    breakfast: StandardCode
    lunch: StandardCode
    dinner: StandardCode


DOMESTIC = TravelCodes(PER_DIEM_TAX_FREE, PER_DIEM_TAXABLE, NIGHT_TAX_FREE, MEALS, BREAKFAST, LUNCH, DINNER)
ABROAD = TravelCodes(
    PER_DIEM_TAX_FREE_ABROAD,
    PER_DIEM_TAXABLE_ABROAD,
    NIGHT_TAX_FREE_ABROAD,
    MEALS_ABROAD,
    BREAKFAST_ABROAD,
    LUNCH_ABROAD,
    DINNER_ABROAD,
)

MILEAGE_CODES: MappingProxyType[VehicleKind, tuple[StandardCode, StandardCode]] = MappingProxyType(
    {
        VehicleKind.OWN_CAR: (MILEAGE_OWN_CAR_TAX_FREE, MILEAGE_OWN_CAR_TAXABLE),
        VehicleKind.COMPANY_CAR_FOSSIL: (MILEAGE_COMPANY_CAR_TAX_FREE, MILEAGE_COMPANY_CAR_TAXABLE),
        VehicleKind.COMPANY_CAR_ELECTRIC: (MILEAGE_ELECTRIC_CAR_TAX_FREE, MILEAGE_COMPANY_CAR_TAXABLE),
    }
)
"""(tax-free, taxable) code per vehicle kind."""

ALL_CODES: MappingProxyType[str, StandardCode] = MappingProxyType(
    {
        c.code: c
        for c in (
            *TIME_CODES.values(),
            SICK_QUALIFYING_DAY,
            OUTLAY,
            WELLNESS,
            *(
                getattr(side, name)
                for side in (DOMESTIC, ABROAD)
                for name in ("tax_free", "taxable", "night", "meals", "breakfast", "lunch", "dinner")
            ),
            *(code for pair in MILEAGE_CODES.values() for code in pair),
        )
    }
)
"""Every code the export can emit, by code."""


def standard_code(code: str) -> StandardCode | None:
    return ALL_CODES.get(code)
