"""An approved item as payroll transactions: what the payroll system is told to pay.

Worked examples from ../shared/payroll/rates-2026.md, computed by the real travel rules: the
transactions' amounts add up to exactly what the preliminary payslip pays for the item.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from backend.domain.exports.mapping import DEFAULT_MAPPING, CodeMapping, UnmappedCode
from backend.domain.exports.model import Dimensions, ItemFacts, PayrollTransaction, Person, Section, TravelFact
from backend.domain.exports.payroll import payroll_transactions, personnummer_problem, problems
from backend.domain.payslip import ApprovedExpense, ApprovedTravelClaim
from backend.domain.payslip.inputs import ExpenseKind, ExpensePayment, TimeCode
from backend.domain.rates import VehicleKind
from backend.domain.travel.normalbelopp import Normalbelopp, NormalbeloppTable
from backend.domain.travel.per_diem import Lodging, Meal, PerDiemPolicy
from tests.unit.domain.exports.builders import (
    ANNA,
    D,
    expense,
    expense_claim,
    time_week,
    travel_claim,
    trip,
    work,
)
from tests.unit.domain.payslip.builders import employee, monthly, slip

MON, TUE, WED = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)
DEPART = datetime(2026, 11, 16, 8, 0)
BACK_17 = datetime(2026, 11, 18, 17, 0)


def figures(transactions: list[PayrollTransaction]) -> list[tuple[str, Decimal | None, Decimal | None, Decimal | None]]:
    return [(t.code, t.quantity, t.unit_price, t.amount) for t in transactions]


def paid_by_payslip(item: ItemFacts) -> Decimal:
    """What the preliminary payslip pays for the item (tax-free and taxable lines)."""
    fact = item.travel
    claims = []
    if fact is not None:
        claims.append(
            ApprovedTravelClaim(
                item.item_id,
                date(2026, 3, 25),
                fact.text,
                fact.per_diem_tax_free,
                fact.per_diem_taxable,
                fact.mileage_tax_free,
                fact.mileage_taxable,
                sum((e.amount_sek for e in item.expenses if e.payment == "private"), Decimal(0)),
                fact.days,
                fact.legs,
            )
        )
    expenses = [
        ApprovedExpense(
            e.expense_id,
            item.item_id,
            e.amount_sek,
            date(2026, 3, 25),
            e.text,
            ExpensePayment(e.payment),
            ExpenseKind.WELLNESS if e.category == "wellness" else ExpenseKind.ORDINARY,
        )
        for e in item.expenses
        if fact is None
    ]
    payslip = slip(employee(monthly(42_000)), travel_claims=claims, expenses=expenses)
    return sum((line.amount for line in payslip.lines if item.item_id in line.source_ids), Decimal(0))


def exported(item: ItemFacts) -> Decimal:
    return sum((t.amount or Decimal(0) for t in payroll_transactions(item, DEFAULT_MAPPING)), Decimal(0))


# --- travel: the worked examples ----------------------------------------------------------------


def test_monday_8_to_wednesday_17_with_hotel_paid_is_750_tax_free() -> None:
    item = travel_claim(trip(DEPART, BACK_17))

    assert figures(payroll_transactions(item, DEFAULT_MAPPING)) == [("INR_FRI", D(3), None, D(750))]
    assert exported(item) == paid_by_payslip(item) == D(750)


def test_a_free_lunch_on_tuesday_is_a_lunch_reduction_of_105_and_645_is_paid() -> None:
    item = travel_claim(trip(DEPART, BACK_17, meals={TUE: frozenset({Meal.LUNCH})}))

    assert figures(payroll_transactions(item, DEFAULT_MAPPING)) == [
        ("INR_FRI", D(3), None, D(750)),
        ("MATRED_LCH", D(1), D(105), D(-105)),
    ]
    assert exported(item) == paid_by_payslip(item) == D(645)


def test_two_nights_in_own_lodging_are_two_night_allowances_of_150() -> None:
    own = {MON: Lodging.OWN_ARRANGEMENT, TUE: Lodging.OWN_ARRANGEMENT}
    item = travel_claim(trip(DEPART, BACK_17, lodging=own))

    transactions = payroll_transactions(item, DEFAULT_MAPPING)
    assert ("INRNAT_FRI", D(2), D(150), D(300)) in figures(transactions)
    assert exported(item) == paid_by_payslip(item) == D(1050)


def test_an_employer_paying_400_a_day_for_three_full_days_pays_300_taxable() -> None:
    item = travel_claim(trip(DEPART, datetime(2026, 11, 18, 20, 0), policy=PerDiemPolicy(full_day=D(400))))

    assert figures(payroll_transactions(item, DEFAULT_MAPPING)) == [
        ("INR_FRI", D(3), D(300), D(900)),
        ("INR_SKT", None, None, D(300)),
    ]
    assert exported(item) == paid_by_payslip(item) == D(1200)


@pytest.mark.parametrize(
    ("vehicle", "code", "rate", "amount"),
    [
        (VehicleKind.COMPANY_CAR_ELECTRIC, "MILEL_FRI", D("9.50"), D(380)),
        (VehicleKind.COMPANY_CAR_FOSSIL, "MILFTG_FRI", D(12), D(480)),
    ],
)
def test_forty_mil_in_a_company_car_is_380_electric_and_480_petrol(
    vehicle: VehicleKind, code: str, rate: Decimal, amount: Decimal
) -> None:
    item = travel_claim(trip(DEPART, datetime(2026, 11, 16, 18, 0), legs=((MON, "400", vehicle),)))

    assert figures(payroll_transactions(item, DEFAULT_MAPPING)) == [(code, D(40), rate, amount)]
    assert exported(item) == paid_by_payslip(item) == amount


def test_312_km_in_the_own_car_at_30_per_mil_is_780_tax_free_and_156_taxable() -> None:
    fact = trip(
        DEPART,
        datetime(2026, 11, 16, 18, 0),
        legs=((MON, "312", VehicleKind.OWN_CAR),),
        mileage_rates={VehicleKind.OWN_CAR: D(30)},
    )
    item = travel_claim(fact)

    assert figures(payroll_transactions(item, DEFAULT_MAPPING)) == [
        ("MILPRI_FRI", D("31.2"), D(25), D(780)),
        ("MILPRI_SKT", D("31.2"), D(5), D(156)),
    ]
    assert exported(item) == paid_by_payslip(item) == D(936)


def test_legs_in_two_vehicles_are_split_by_vehicle_and_still_add_up() -> None:
    legs = ((MON, "123.4", VehicleKind.OWN_CAR), (TUE, "77.7", VehicleKind.COMPANY_CAR_FOSSIL))
    item = travel_claim(trip(DEPART, BACK_17, legs=legs, mileage_rates={VehicleKind.OWN_CAR: D("31.33")}))

    codes = [t.code for t in payroll_transactions(item, DEFAULT_MAPPING)]
    assert codes == ["INR_FRI", "MILPRI_FRI", "MILFTG_FRI", "MILPRI_SKT"]
    assert exported(item) == paid_by_payslip(item)


def test_a_trip_abroad_uses_the_abroad_codes_and_splits_breakfast_and_dinner_by_their_shares() -> None:
    table = NormalbeloppTable({(2026, "DE"): Normalbelopp(2026, "DE", "Tyskland", D(900))})
    meals = {TUE: frozenset({Meal.BREAKFAST, Meal.DINNER})}
    item = travel_claim(trip(DEPART, BACK_17, country="DE", meals=meals, normalbelopp=table))

    transactions = payroll_transactions(item, DEFAULT_MAPPING)
    assert figures(transactions) == [
        ("UTR_FRI", D(3), None, D(2250)),
        ("UTRRED_FRU", D(1), D(135), D(-135)),
        ("UTRRED_MID", D(1), D(315), D(-315)),
    ]
    assert exported(item) == paid_by_payslip(item) == D(1800)


def test_meals_that_are_not_known_are_one_meal_reduction() -> None:
    fact = trip(DEPART, BACK_17, meals={TUE: frozenset({Meal.LUNCH, Meal.DINNER})})
    item = travel_claim(replace(fact, meals_provided=()))

    assert ("MATRED", D(1), D(210), D(-210)) in figures(payroll_transactions(item, DEFAULT_MAPPING))


def test_a_trip_without_an_overnight_stay_pays_no_per_diem_but_its_receipts() -> None:
    item = travel_claim(
        trip(DEPART, datetime(2026, 11, 16, 18, 0)),
        expense("89.00", category="taxi", text="Taxi"),
        expense("450.00", payment="company_card", text="Tåg", expense_id="e2"),
    )

    assert figures(payroll_transactions(item, DEFAULT_MAPPING)) == [("UTLÄGG", D(1), D(89), D(89))]
    assert exported(item) == paid_by_payslip(item) == D(89)


def test_the_travel_transactions_carry_the_claim_s_date_text_item_and_cost_centre() -> None:
    item = travel_claim(trip(DEPART, BACK_17, dimensions=Dimensions("300", "P-7")))

    (t,) = payroll_transactions(item, DEFAULT_MAPPING)
    assert (t.section, t.day, t.item_id, t.person, t.pay_type) == (Section.PAY, WED, "travel-1", ANNA, "800")
    assert t.dimensions == Dimensions("300", "P-7")
    assert t.text == "Traktamente inrikes, skattefritt: Göteborg"


# --- expense claims ------------------------------------------------------------------------------


def test_privately_paid_expenses_are_reimbursed_as_utlagg_and_company_card_ones_are_not_payroll() -> None:
    item = expense_claim(
        expense("125.00", vat=(("12", "13.39"),)),
        expense("640.00", category="representation", text="Kundlunch", expense_id="e2"),
        expense("500.00", category="fuel", payment="company_card", expense_id="e3"),
    )

    assert figures(payroll_transactions(item, DEFAULT_MAPPING)) == [
        ("UTLÄGG", D(1), D(125), D(125)),
        ("UTLÄGG", D(1), D(640), D(640)),
    ]
    assert exported(item) == paid_by_payslip(item) == D(765)


def test_a_wellness_allowance_goes_by_its_own_pay_type_and_what_the_payslip_pays_for_it() -> None:
    gym = expense("1800.00", category="wellness", text="Gymkort")
    massage = replace(expense("1400.00", category="wellness_treatment", text="Massage"), reimbursed=D(1000))
    item = expense_claim(gym, massage)

    transactions = payroll_transactions(item, DEFAULT_MAPPING)
    assert [(t.code, t.pay_type, t.amount) for t in transactions] == [
        ("FRISKVÅRD", "710", D(1800)),
        ("FRISKVÅRD", "710", D(1000)),
    ]
    assert exported(expense_claim(gym)) == paid_by_payslip(expense_claim(gym)) == D(1800)


# --- time -----------------------------------------------------------------------------------------


def test_hours_are_one_transaction_per_day_code_and_cost_centre() -> None:
    item = time_week(
        work(MON, "4"),
        work(MON, "4"),
        work(MON, "2", code=TimeCode.SIMPLE_OVERTIME),
        work(TUE, "8", dimensions=Dimensions("300")),
        work(TUE, "0"),
    )

    transactions = payroll_transactions(item, DEFAULT_MAPPING)
    assert [(t.section, t.day, t.code, t.hours, t.dimensions.cost_centre) for t in transactions] == [
        (Section.TIME, MON, "ARB", D(8), None),
        (Section.TIME, MON, "ÖT1", D(2), None),
        (Section.TIME, TUE, "ARB", D(8), "300"),
    ]
    assert all(t.amount is None for t in transactions)


def test_the_first_day_of_a_sick_spell_is_the_qualifying_day_and_the_rest_plain_sick_leave() -> None:
    item = time_week(*(work(day, code=TimeCode.SICK) for day in (MON, TUE, WED)))

    assert [t.code for t in payroll_transactions(item, DEFAULT_MAPPING)] == ["SJK_KAR", "SJK", "SJK"]


def test_a_spell_continuing_from_an_earlier_week_has_no_qualifying_day_when_the_caller_says_so() -> None:
    item = time_week(work(MON, code=TimeCode.SICK, qualifying_day=False), work(TUE, code=TimeCode.SICK))

    assert [t.code for t in payroll_transactions(item, DEFAULT_MAPPING)] == ["SJK", "SJK"]


def test_leave_has_its_standard_codes() -> None:
    item = time_week(
        work(MON, code=TimeCode.VACATION),
        work(TUE, code=TimeCode.PARENTAL_LEAVE),
        work(WED, code=TimeCode.UNPAID_LEAVE),
        work(date(2026, 11, 19), code=TimeCode.VAB),
    )

    assert [t.code for t in payroll_transactions(item, DEFAULT_MAPPING)] == ["SEM", "FPE", "TJL", "VAB"]


# --- unmapped codes and problems -------------------------------------------------------------------


def test_a_code_the_organisation_has_not_mapped_stops_the_item() -> None:
    with pytest.raises(UnmappedCode) as raised:
        payroll_transactions(expense_claim(expense("10.00")), CodeMapping({"ARB": "100"}))
    assert raised.value.standard_code == "UTLÄGG"


@pytest.mark.parametrize("number", ["198112189876", "198112789873"])
def test_a_personnummer_and_a_samordningsnummer_with_correct_check_digits_are_valid(number: str) -> None:
    assert personnummer_problem(number) is None


@pytest.mark.parametrize("number", ["198112189875", "8112189876", "19811218-987", "198113189876", "19811218987X"])
def test_a_personnummer_with_a_wrong_check_digit_date_or_length_is_invalid(number: str) -> None:
    problem = personnummer_problem(number)
    assert problem is not None
    assert problem[0] == "personnummer_invalid"


def test_every_problem_of_a_batch_is_listed_at_once_naming_the_employee_and_the_item() -> None:
    nameless = Person("", None, "Bo Ek")
    wrong = Person("1002", "198112189875", "Cia Berg")
    items = [
        time_week(work(MON), person=nameless),
        expense_claim(expense("10.00", dimensions=Dimensions("KST-12345678")), person=wrong),
        time_week(work(MON), item_id="week-ok"),
    ]
    mapping = CodeMapping({"ARB": "100"})

    found = problems(items, mapping)

    assert [(p.item_id, p.employee_name, p.code, p.field) for p in found] == [
        ("week-47", "Bo Ek", "employee_number_missing", "person.employee_number"),
        ("week-47", "Bo Ek", "personnummer_missing", "person.personal_identity_number"),
        ("claim-1", "Cia Berg", "personnummer_invalid", "person.personal_identity_number"),
        ("claim-1", "Cia Berg", "unmapped_code", "lonearter.UTLÄGG"),
        ("claim-1", "Cia Berg", "dimension_too_long", "dimensions.cost_centre"),
    ]
    assert found[3].message.sv.startswith("Cia Berg (1002), Utlägg november: Koden UTLÄGG saknar löneart")
    assert "Bo Ek (?), Vecka 47" in found[0].message.en


def test_a_batch_without_problems_has_none() -> None:
    assert problems([time_week(work(MON)), travel_claim(trip(DEPART, BACK_17))], DEFAULT_MAPPING) == []


def test_an_item_of_only_zero_hours_has_no_transactions() -> None:
    assert payroll_transactions(time_week(work(MON, "0")), DEFAULT_MAPPING) == []


def test_travel_fact_defaults_mean_own_car_and_unknown_meals() -> None:
    fact: TravelFact = trip(DEPART, BACK_17, legs=((MON, "100", VehicleKind.OWN_CAR),))
    bare = replace(fact, leg_vehicles=(), meals_provided=())
    assert [t.code for t in payroll_transactions(travel_claim(bare), DEFAULT_MAPPING)] == ["INR_FRI", "MILPRI_FRI"]
