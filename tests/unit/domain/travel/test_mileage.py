"""Mileage: what is paid, split into tax-free and taxable by the year's maximum per vehicle kind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.travel.errors import NegativeDistance, UnknownVehicle
from backend.domain.travel.mileage import MileageLeg, MileagePolicy, VehicleKind, compute_mileage

DAY = date(2026, 5, 4)


def test_own_car_at_the_maximum_is_all_tax_free() -> None:
    result = compute_mileage([MileageLeg(DAY, Decimal(312), VehicleKind.OWN_CAR)])
    assert (result.paid, result.tax_free, result.taxable) == (
        Decimal(780),
        Decimal(780),
        Decimal(0),
    )


def test_paying_more_than_the_maximum_makes_the_rest_taxable() -> None:
    policy = MileagePolicy({VehicleKind.OWN_CAR: Decimal(30)})
    result = compute_mileage([MileageLeg(DAY, Decimal(312), VehicleKind.OWN_CAR)], policy)
    assert (result.paid, result.tax_free, result.taxable) == (
        Decimal(936),
        Decimal(780),
        Decimal(156),
    )


@pytest.mark.parametrize(
    ("vehicle", "tax_free"), [(VehicleKind.COMPANY_CAR_ELECTRIC, 380), (VehicleKind.COMPANY_CAR_FOSSIL, 480)]
)
def test_company_car_40_mil(vehicle: VehicleKind, tax_free: int) -> None:
    result = compute_mileage([MileageLeg(DAY, Decimal(400), vehicle)])
    assert result.tax_free == tax_free


def test_2025_legs_use_2025_maximum() -> None:
    result = compute_mileage([MileageLeg(date(2025, 12, 31), Decimal(100), VehicleKind.OWN_CAR)])
    assert result.tax_free == 250


def test_legs_are_summed_and_explained() -> None:
    result = compute_mileage(
        [
            MileageLeg(DAY, Decimal(312), VehicleKind.OWN_CAR, "Kund i Uppsala"),
            MileageLeg(DAY, Decimal("12.5"), VehicleKind.OWN_CAR),
        ]
    )
    assert result.tax_free == Decimal("811.25")
    assert result.lines[0].explanation_en.startswith("2026-05-04: 312 km = 31.2 mil x 25.00 kr/mil = 780.00 kr")
    assert "skattefritt 780,00 kr" in result.lines[0].explanation_sv


def test_negative_distance_is_refused() -> None:
    with pytest.raises(NegativeDistance) as caught:
        compute_mileage([MileageLeg(DAY, Decimal(-1), VehicleKind.OWN_CAR)])
    assert caught.value.code == "travel.negative_distance"
    assert caught.value.field == "distance_km"
    assert caught.value.message.sv


def test_unknown_vehicle_is_refused() -> None:
    with pytest.raises(UnknownVehicle) as caught:
        compute_mileage([MileageLeg(DAY, Decimal(10), "bicycle")])  # type: ignore[arg-type]
    assert caught.value.code == "travel.unknown_vehicle"


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=0, max_value=100_000, places=3),
    st.sampled_from(list(VehicleKind)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
)
def test_tax_free_plus_taxable_is_what_is_paid(km: Decimal, vehicle: VehicleKind, rate: Decimal | None) -> None:
    policy = MileagePolicy({} if rate is None else {vehicle: rate})
    result = compute_mileage([MileageLeg(DAY, km, vehicle)], policy)
    assert result.tax_free + result.taxable == result.paid
    assert result.tax_free >= 0
    assert result.taxable >= 0
