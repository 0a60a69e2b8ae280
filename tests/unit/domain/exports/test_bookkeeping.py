"""One balanced voucher per claim: costs net of VAT, VAT per rate, allowances, and who is owed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.domain.exports.bookkeeping import vouchers
from backend.domain.exports.chart import (
    DEFAULT_CHART,
    Chart,
    ChartFileError,
    InvalidAccount,
    parse_chart,
    serialise_chart,
)
from backend.domain.exports.model import Dimensions, Voucher, reversed_voucher
from backend.domain.payslip.inputs import TimeCode
from backend.domain.rates import VehicleKind
from backend.domain.travel.per_diem import PerDiemPolicy
from tests.unit.domain.exports.builders import APPROVED, D, expense, expense_claim, time_week, travel_claim, trip, work
from tests.unit.domain.exports.test_payroll import BACK_17, DEPART, MON


def rows(voucher: Voucher) -> list[tuple[str, Decimal, str]]:
    return [(r.account, r.amount, r.text) for r in voucher.rows]


def test_an_expense_claim_books_costs_net_of_vat_vat_per_rate_and_the_debts() -> None:
    item = expense_claim(
        expense("125.00", vat=(("12", "13.39"),), dimensions=Dimensions("300", "P-7")),
        expense("500.00", vat=(("25", "100.00"),), category="fuel", payment="company_card", expense_id="e2"),
        expense("80.00", vat=(("25", "16.00"),), category=None, expense_id="e3"),
    )

    (voucher,) = vouchers(item, DEFAULT_CHART)

    assert (voucher.item_id, voucher.day, voucher.text) == ("claim-1", APPROVED, "Utlägg november, Anna Åström")
    assert rows(voucher) == [
        ("5831", D("111.61"), "Måltid"),
        ("5611", D("400.00"), "Drivmedel"),
        ("6991", D("64.00"), "Övrigt"),
        ("2641", D("13.39"), "Ingående moms 12 %"),
        ("2641", D("116.00"), "Ingående moms 25 %"),
        ("2820", D("-205.00"), "Att betala till den anställda"),
        ("2440", D("-500.00"), "Företagskort"),
    ]
    assert voucher.rows[0].dimensions == Dimensions("300", "P-7")
    assert sum(r.amount for r in voucher.rows) == 0


def test_a_travel_claim_books_per_diem_and_mileage_with_their_taxable_parts_apart() -> None:
    fact = trip(
        DEPART,
        BACK_17,
        policy=PerDiemPolicy(full_day=D(400)),
        legs=((MON, "312", VehicleKind.OWN_CAR),),
        mileage_rates={VehicleKind.OWN_CAR: D(30)},
        dimensions=Dimensions("300"),
    )
    item = travel_claim(fact, expense("89.00", vat=(("6", "5.04"),), category="taxi"))

    (voucher,) = vouchers(item, DEFAULT_CHART)

    assert rows(voucher) == [
        ("7321", fact.per_diem_tax_free, "Skattefria traktamenten, Sverige"),
        ("7322", fact.per_diem_taxable, "Skattepliktiga traktamenten, Sverige"),
        ("7331", D(780), "Skattefria bilersättningar"),
        ("7332", D(156), "Skattepliktiga bilersättningar"),
        ("5800", D("83.96"), "Taxi"),
        ("2641", D("5.04"), "Ingående moms 6 %"),
        ("2820", -(fact.per_diem_tax_free + fact.per_diem_taxable + D(936) + D(89)), "Att betala till den anställda"),
    ]
    assert sum(r.amount for r in voucher.rows) == 0


def test_a_trip_abroad_books_its_per_diem_on_the_abroad_accounts() -> None:
    from backend.domain.travel.normalbelopp import Normalbelopp, NormalbeloppTable

    table = NormalbeloppTable({(2026, "DE"): Normalbelopp(2026, "DE", "Tyskland", D(900))})
    (voucher,) = vouchers(travel_claim(trip(DEPART, BACK_17, country="DE", normalbelopp=table)), DEFAULT_CHART)

    assert [r.account for r in voucher.rows] == ["7323", "2820"]


def test_a_wellness_allowance_is_booked_gross_without_vat_on_personnel_costs() -> None:
    (voucher,) = vouchers(expense_claim(expense("1200.00", vat=(("6", "67.92"),), category="wellness")), DEFAULT_CHART)

    assert rows(voucher) == [
        ("7699", D("1200.00"), "Friskvårdsbidrag"),
        ("2820", D("-1200.00"), "Att betala till den anställda"),
    ]


def test_time_weeks_and_leave_have_no_voucher() -> None:
    assert vouchers(time_week(work(MON), work(MON, code=TimeCode.VACATION)), DEFAULT_CHART) == []


def test_a_reversed_voucher_negates_every_row_and_still_balances() -> None:
    (voucher,) = vouchers(expense_claim(expense("125.00", vat=(("12", "13.39"),))), DEFAULT_CHART)

    back = reversed_voucher(voucher, APPROVED)

    assert [r.amount for r in back.rows] == [-r.amount for r in voucher.rows]
    assert sum(r.amount for r in back.rows) == 0
    assert back.text.startswith("Rättelse: ")


# --- the chart ------------------------------------------------------------------------------------


def test_the_chart_file_round_trips_and_is_written_the_same_way_every_time() -> None:
    text = serialise_chart(DEFAULT_CHART)

    assert parse_chart(text) == DEFAULT_CHART
    assert serialise_chart(parse_chart(text)) == text
    assert '2820 = "Kortfristiga skulder till anställda"' in text


def test_a_rate_can_have_its_own_vat_account_and_other_rates_use_the_standard_one() -> None:
    text = serialise_chart(DEFAULT_CHART).replace('12 = "2641"', '12 = "2648"')
    text = text.replace("[konton]\n", '[konton]\n"2648" = "Ingående moms 12 %"\n')
    chart = parse_chart(text)

    assert (chart.vat_account(D("12.00")), chart.vat_account(D(25)), chart.vat_account(D("7.5"))) == (
        "2648",
        "2641",
        "2641",
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('fuel = "5611"', 'fuel = "561"', "kategorier.fuel"),
        ('fuel = "5611"', 'fuel = "0611"', "kategorier.fuel"),
        ('fuel = "5611"', 'fuel = "5612"', "kategorier.fuel"),
        ('5611 = "Drivmedel för personbilar"', '5611 = " "', "konton.5611"),
        ('5611 = "Drivmedel för personbilar"', '56110 = "Drivmedel"', "konton.56110"),
    ],
)
def test_an_invalid_account_is_named_in_the_error(old: str, new: str, field: str) -> None:
    with pytest.raises(InvalidAccount) as raised:
        parse_chart(serialise_chart(DEFAULT_CHART).replace(old, new))
    assert raised.value.field == field
    assert raised.value.message.sv.startswith("Konto")


def test_a_chart_missing_a_category_or_naming_an_unknown_one_is_refused() -> None:
    with pytest.raises(ChartFileError) as missing:
        parse_chart(serialise_chart(DEFAULT_CHART).replace('fuel = "5611"\n', ""))
    assert missing.value.field == "fuel"
    with pytest.raises(ChartFileError) as unknown:
        parse_chart(serialise_chart(DEFAULT_CHART).replace('fuel = "5611"', 'fuel = "5611"\nboats = "5611"'))
    assert unknown.value.field == "kategorier.boats"
    with pytest.raises(ChartFileError):
        parse_chart("[konton\n")


def test_the_default_chart_is_a_chart() -> None:
    assert isinstance(DEFAULT_CHART, Chart)
    assert DEFAULT_CHART.category_account("nonsense") == "6991"
