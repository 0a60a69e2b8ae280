"""Mileage allowance (milersättning): what the organisation pays, split into tax-free and taxable.

The tax-free maximum per mil (10 km) depends on the vehicle kind and the year
of the journey. The organisation may pay more (or less); anything above the
maximum is taxable pay. Per leg: paid = km / 10 x the organisation's rate,
tax-free = min(paid, km / 10 x the maximum), each rounded to öre (an exact
half up), taxable = paid - tax-free, so tax-free + taxable = paid exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from backend.domain.money import as_decimal, format_number, format_sek, round_ore
from backend.domain.rates import VehicleKind, rates_for
from backend.domain.text import Text
from backend.domain.travel.claim import negative_distance
from backend.domain.travel.errors import NegativeDistance, NegativePayment, UnknownVehicle

__all__ = ["MileageLeg", "MileageLine", "MileagePolicy", "MileageResult", "VehicleKind", "compute_mileage"]

_VEHICLE_NAMES = {
    VehicleKind.OWN_CAR: Text(sv="egen bil", en="own car"),
    VehicleKind.COMPANY_CAR_FOSSIL: Text(
        sv="förmånsbil (bensin/diesel/laddhybrid)", en="company car (petrol/diesel/plug-in hybrid)"
    ),
    VehicleKind.COMPANY_CAR_ELECTRIC: Text(sv="förmånsbil (el)", en="company car (electric)"),
}


@dataclass(frozen=True)
class MileageLeg:
    day: date
    distance_km: Decimal
    vehicle: VehicleKind
    description: str = ""


def _no_rates() -> Mapping[VehicleKind, Decimal]:
    return MappingProxyType({})


@dataclass(frozen=True)
class MileagePolicy:
    """The organisation's rate per mil by vehicle kind; a kind not listed is paid the tax-free maximum."""

    rate_per_mil: Mapping[VehicleKind, Decimal] = field(default_factory=_no_rates)


@dataclass(frozen=True)
class MileageLine:
    leg: MileageLeg
    mil: Decimal
    rate_per_mil: Decimal
    tax_free_max_per_mil: Decimal
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal
    explanation_en: str
    explanation_sv: str


@dataclass(frozen=True)
class MileageResult:
    lines: tuple[MileageLine, ...]
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal


def _line(leg: MileageLeg, policy: MileagePolicy) -> MileageLine:
    km = as_decimal(leg.distance_km, field="distance_km")
    if (negative := negative_distance("distance_km", km)) is not None:
        raise NegativeDistance(negative.message, field=negative.field)
    try:
        vehicle = VehicleKind(leg.vehicle)
    except ValueError:
        known = ", ".join(k.value for k in VehicleKind)
        raise UnknownVehicle(
            Text(
                sv=f"Okänd fordonstyp {leg.vehicle!r} (kända: {known}).",
                en=f"Unknown vehicle kind {leg.vehicle!r} (known: {known}).",
            ),
            field="vehicle",
        ) from None
    maximum = rates_for(leg.day.year).mileage.per_mil[vehicle]
    rate = policy.rate_per_mil.get(vehicle)
    rate = maximum if rate is None else as_decimal(rate, field="rate_per_mil")
    if rate < 0:
        raise NegativePayment(
            Text(
                sv="Organisationens milersättning får inte vara negativ.",
                en="The organisation's mileage rate must not be negative.",
            ),
            field="rate_per_mil",
        )
    mil = Fraction(km) / 10
    paid = round_ore(mil * Fraction(rate))
    tax_free = min(paid, round_ore(mil * Fraction(maximum)))
    taxable = paid - tax_free
    mil_dec = km / 10
    name_en, name_sv = _VEHICLE_NAMES[vehicle].en, _VEHICLE_NAMES[vehicle].sv
    en = (
        f"{leg.day}: {format_number(km, lang='en')} km = {format_number(mil_dec, lang='en')} mil x "
        f"{format_sek(rate, lang='en')}/mil = {format_sek(paid, lang='en')} ({name_en}; tax-free at most "
        f"{format_sek(maximum, lang='en')}/mil in {leg.day.year}): tax-free {format_sek(tax_free, lang='en')}"
    )
    sv = (
        f"{leg.day}: {format_number(km, lang='sv')} km = {format_number(mil_dec, lang='sv')} mil x "
        f"{format_sek(rate, lang='sv')}/mil = {format_sek(paid, lang='sv')} ({name_sv}; skattefritt högst "
        f"{format_sek(maximum, lang='sv')}/mil år {leg.day.year}): skattefritt {format_sek(tax_free, lang='sv')}"
    )
    if taxable:
        en += f", taxable {format_sek(taxable, lang='en')}"
        sv += f", skattepliktigt {format_sek(taxable, lang='sv')}"
    return MileageLine(
        leg=leg,
        mil=mil_dec,
        rate_per_mil=rate,
        tax_free_max_per_mil=maximum,
        paid=paid,
        tax_free=tax_free,
        taxable=taxable,
        explanation_en=en + ".",
        explanation_sv=sv + ".",
    )


def compute_mileage(legs: Sequence[MileageLeg], policy: MileagePolicy | None = None) -> MileageResult:
    """Mileage for ``legs`` under ``policy`` (default: the tax-free maximum for every kind)."""
    policy = policy or MileagePolicy()
    lines = tuple(_line(leg, policy) for leg in legs)
    zero = Decimal("0.00")
    return MileageResult(
        lines=lines,
        paid=sum((line.paid for line in lines), zero),
        tax_free=sum((line.tax_free for line in lines), zero),
        taxable=sum((line.taxable for line in lines), zero),
    )
