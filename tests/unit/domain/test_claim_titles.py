"""Claim titles people can tell apart: merchant and date for one receipt, trip or merchants and dates for several."""

from __future__ import annotations

from datetime import date

from backend.domain.claim_titles import TitledExpense, claim_title, date_span

TODAY = date(2026, 12, 10)


def test_a_claim_of_one_is_named_after_its_merchant_and_day() -> None:
    title = claim_title([TitledExpense("Espresso House", date(2026, 12, 4))], TODAY)

    assert title.sv == "Espresso House 4 dec"
    assert title.en == "Espresso House 4 Dec"


def test_two_claims_in_the_same_month_get_different_titles() -> None:
    coffee = claim_title([TitledExpense("Espresso House", date(2026, 12, 4))], TODAY)
    taxi = claim_title([TitledExpense("Taxi Stockholm", date(2026, 12, 7))], TODAY)

    assert coffee.sv != taxi.sv


def test_several_merchants_and_a_date_range_within_a_month() -> None:
    title = claim_title(
        [TitledExpense("SJ", date(2026, 12, 6)), TitledExpense("Espresso House", date(2026, 12, 4))], TODAY
    )

    assert title.sv == "Espresso House och SJ 4–6 dec"
    assert title.en == "Espresso House and SJ 4–6 Dec"


def test_more_than_two_merchants_are_summed_up() -> None:
    title = claim_title(
        [
            TitledExpense("Espresso House", date(2026, 11, 28)),
            TitledExpense("SJ", date(2026, 11, 29)),
            TitledExpense("Scandic", date(2026, 12, 1)),
            TitledExpense("sj ", date(2026, 12, 1)),
        ],
        TODAY,
    )

    assert title.sv == "Espresso House, SJ m.fl. 28 nov–1 dec"
    assert title.en == "Espresso House, SJ and 1 more 28 Nov–1 Dec"


def test_expenses_within_one_trip_are_named_after_it() -> None:
    title = claim_title(
        [TitledExpense("SJ", date(2026, 11, 16)), TitledExpense("Scandic", date(2026, 11, 17))],
        TODAY,
        trip="Göteborg",
    )

    assert title.sv == "Resa till Göteborg 16–17 nov"
    assert title.en == "Trip to Göteborg 16–17 Nov"


def test_a_single_expense_keeps_its_merchant_even_on_a_trip() -> None:
    assert claim_title([TitledExpense("SJ", date(2026, 11, 16))], TODAY, trip="Göteborg").sv == "SJ 16 nov"


def test_the_year_is_written_only_when_it_is_not_this_year() -> None:
    assert date_span(date(2025, 12, 28), date(2026, 1, 3), "sv", TODAY) == "28 dec 2025–3 jan 2026"
    assert date_span(date(2025, 3, 1), date(2025, 3, 1), "en", TODAY) == "1 Mar 2025"
    assert date_span(date(2026, 5, 1), date(2026, 5, 1), "sv", TODAY) == "1 maj"


def test_without_merchant_or_date_the_title_still_says_what_it_is() -> None:
    assert claim_title([TitledExpense(None, None)], TODAY).sv == "Utlägg"
    assert claim_title([TitledExpense(None, date(2026, 12, 2))], TODAY).en == "Expense 2 Dec"
    assert claim_title([TitledExpense(" ", None), TitledExpense(None, None)], TODAY).sv == "2 utlägg"


def test_a_very_long_merchant_keeps_the_dates_within_the_title_length() -> None:
    title = claim_title([TitledExpense("A" * 250, date(2026, 12, 4))], TODAY)

    assert len(title.sv) <= 200
    assert title.sv.endswith("… 4 dec")
