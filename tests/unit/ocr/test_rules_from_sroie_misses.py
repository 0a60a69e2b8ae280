"""Rules added for misreadings seen on scanned receipts, written as plain text (two spaces = a column gap).

Each is a rule about receipts in general: a lost decimal point, a hyphenated label,
the arithmetic that ties subtotal, tax, rounding, cash and change to the total, and the
order of day and month.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ocr.extract import extract_fields
from ocr.fields.amounts import find_amounts
from ocr.fields.dates import iter_plain_dates
from ocr.fields.totals import find_total, line_keyword, one_digit_apart
from ocr.languages import needs_full_model
from ocr.layout import lines_from_text
from ocr.reread import unreadable_total_rows
from ocr.text import fold

TODAY = date(2026, 11, 23)


def amounts_in(text: str) -> list[Decimal]:
    return [a.value for line in lines_from_text(text) for a in find_amounts(line)]


def total_of(text: str) -> Decimal | None:
    found = find_total(lines_from_text(text))
    return None if found is None else found.value


# --- amounts ---------------------------------------------------------------------------


def test_a_row_ending_in_digits_space_two_digits_has_lost_its_decimal_point() -> None:
    assert amounts_in("Subtotal  6 00") == [Decimal("6.00")]
    assert amounts_in("Total Sales Incl GST @ 6%  RM8 60") == [Decimal("8.60")]


def test_a_lost_decimal_point_is_only_assumed_where_the_row_has_no_other_amount() -> None:
    assert amounts_in("2 x 3.50  7.00 12") == [Decimal("3.50"), Decimal("7.00")]
    assert amounts_in("Tel  012 345 67") == []


# --- total -----------------------------------------------------------------------------


def test_a_hyphen_with_a_space_still_makes_a_subtotal() -> None:
    text = "Sub- Total  RM7.90\nGrand Total  8.35\nCash  RM10.50\nChange  RM2.15"
    assert total_of(text) == Decimal("8.35")


def test_a_rounding_row_with_more_than_a_unit_is_the_rounded_total() -> None:
    text = (
        "Total Sales (Inclusive GST) RM  177.22\nRounding Adjustment RM  -0.02\nRounding RM  177.20\nCREDIT RM  177.20"
    )
    assert total_of(text) == Decimal("177.20")


def test_a_rounding_in_brackets_stays_an_adjustment() -> None:
    text = "Total Amt inc. GST @ 6% :  8.48\nRounding Adjustment :  (8.02)\nPaid Amount:  100.00\nChange :  91.50"
    assert total_of(text) != Decimal("8.02")


def test_a_payment_with_change_from_it_is_the_total_when_the_difference_is_printed_nowhere() -> None:
    # "Change Due 0.60" is a misreading: 6.00 is printed three times, 5.40 never.
    text = "Subtotal  6.00\nTotal Incl of GST  6.00\nPayment  6.00\nChange Due  0.60"
    assert total_of(text) == Decimal("6.00")


def test_a_misread_inclusive_of_tax_label_is_still_the_total() -> None:
    text = "Tote] Sales {inclusive GST) RM  11.50\nCASH RM  52.00\nCHONGE RM  40,50"
    assert total_of(text) == Decimal("11.50")


def test_a_misread_label_near_excluding_is_never_the_total() -> None:
    text = "Total Sales (Excludinq GST)  6.00\nTotal GST  0.36\nTotal Sales (Inclusive of GST)  6.36"
    assert total_of(text) == Decimal("6.36")


def test_a_total_read_directly_beats_cash_minus_change_one_digit_away() -> None:
    # Cash minus change depends on two readings; "18.35" was the change 18.55 misread.
    text = "Rounding Adj  -0.02\nTotal  31.45\nCash  50.00\nCHANGE  18.35"
    assert total_of(text) == Decimal("31.45")


def test_subtotal_plus_tax_plus_rounding_names_an_unreadable_total() -> None:
    text = "SUB TOTAL  7.00\nGST 6%  0.42\nROUNDING ADJ  -0.02\nNET TOTAL  40\nCHANGE  0.00"
    assert total_of(text) == Decimal("7.40")


def test_subtotal_plus_tax_overrules_a_total_one_digit_away() -> None:
    text = "SUB-TOTAL  16.98\nTOTAL TAX  1.02\nROUNDING  0.00\nTOTAL  48.00\nCHANGE  0.00"
    assert total_of(text) == Decimal("18.00")


def test_the_sum_before_tax_is_not_the_total_when_tax_is_added_on_top() -> None:
    text = (
        "Total Sales (Excluding GST) :  7.00\nTotal GST  0.42\nRounding  0.00\n"
        "Total Sales (Inclusive of GST) :  Caz)\nTotal:  7.00  0.42"
    )
    assert total_of(text) == Decimal("7.42")


def test_a_tax_inclusive_subtotal_does_not_move_a_printed_total() -> None:
    text = "Delsumma  100,00\nMoms 25%  20,00\nATT BETALA  100,00\nKort  100,00"
    assert total_of(text) == Decimal("100.00")


def test_one_digit_apart_means_the_same_length_and_one_different_digit() -> None:
    assert one_digit_apart(Decimal("48.00"), Decimal("18.00"))
    assert not one_digit_apart(Decimal("18.00"), Decimal("18.00"))
    assert not one_digit_apart(Decimal("8.50"), Decimal("18.50"))
    assert not one_digit_apart(Decimal("6.48"), Decimal("8.50"))


def test_a_vat_row_read_only_as_its_gross_does_not_vouch_for_that_total() -> None:
    text = (
        "Total Amt Incl. GST @ 6 % :  186.00\nRounding Adjustment  0.00\n"
        "Total Amt Payable :  156.00\nSR @6%  147.17  8.83"
    )
    assert extract_fields(lines_from_text(text), today=TODAY).total == Decimal("156.00")


def test_total_rows_without_a_legible_amount_are_worth_a_second_reading() -> None:
    lines = lines_from_text("SUB TOTAL  7.00\nNET TOTAL  40\nTotal Amt Payable :  #50\nCash  7.40")
    assert unreadable_total_rows(lines) == [1, 2]


# --- dates -----------------------------------------------------------------------------


def test_a_date_with_a_lost_separator_is_read() -> None:
    assert list(iter_plain_dates("CBH#: 87870  2109/2017 10:20:37 AM", TODAY)) == [date(2017, 9, 21)]


def test_a_year_with_a_five_for_a_zero_is_repaired() -> None:
    assert list(iter_plain_dates("09/03/2518 18:54", TODAY)) == [date(2018, 3, 9)]


def test_a_date_that_reads_only_month_first_loses_to_a_day_first_one() -> None:
    text = "Date: 01/16/2017\nMAKASSAR FRESH MARKET SDN BHD\nCD: 01/10/2017 11:07"
    assert extract_fields(lines_from_text(text), today=TODAY).date == date(2017, 10, 1)


# --- which models read the page ------------------------------------------------------------


def test_a_swedish_receipt_read_in_english_asks_for_the_swedish_model() -> None:
    text = "Hemkop Sergel\nKvitto 1234\nTotalt  268,17\nMoms 12%  14,94\nKort  268,17"
    assert needs_full_model(lines_from_text(text))


def test_an_english_receipt_stays_with_the_english_model() -> None:
    text = "SYL ROASTED DELIGHTS SDN BHD\nDate 06/03/2018\nTotal Sales (Inclusive of GST)  54.50\nCash  60.00"
    assert not needs_full_model(lines_from_text(text))


def test_a_subtotal_with_a_currency_after_it_is_not_a_payable_total() -> None:
    found = line_keyword(fold("Sub Total  RM  68.87"))
    assert found is not None
    assert found[0] == "negative"
