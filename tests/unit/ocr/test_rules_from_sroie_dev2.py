"""Rules found on the second scanned set (sroie-dev2), written as plain text rows (two spaces = a column gap).

Each is true of receipts in general: how a tax share, a change row, a rounding step, a
misread label or date separator reads, and which arithmetic ties the amounts together.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ocr.extract import extract_fields
from ocr.fields.amounts import find_amounts
from ocr.fields.dates import iter_plain_dates
from ocr.fields.merchant import clean_name
from ocr.fields.totals import find_total, line_keyword, misread_digit
from ocr.fields.vat import classify
from ocr.layout import lines_from_text
from ocr.model import CERTAIN
from ocr.text import fold

TODAY = date(2026, 11, 23)


def total_of(text: str) -> Decimal | None:
    found = find_total(lines_from_text(text))
    return None if found is None else found.value


# --- amounts ---------------------------------------------------------------------------


def test_an_amount_under_one_unit_may_lack_its_leading_zero() -> None:
    line = lines_from_text("CHANGE RM  .40")[0]
    assert [a.value for a in find_amounts(line)] == [Decimal("0.40")]
    assert [a.value for a in find_amounts(lines_from_text("Rounding  -.02")[0])] == [Decimal("-0.02")]


# --- total -----------------------------------------------------------------------------


def test_tax_included_in_total_is_the_tax_not_the_total() -> None:
    found = line_keyword(fold("GST @6% included in total  RM 0.60"))
    assert found is not None
    assert found[0] == "negative"
    text = "9063785  2X  5.30  10.60\nTotal Incl. GST@6%  RM 10.60\nGST @6% included in total  RM 0.60"
    assert total_of(text) == Decimal("10.60")


def test_a_total_marked_tax_inclusive_in_brackets_is_the_total() -> None:
    text = "SUBTOTAL  2.56\nTOTAL (GST INCL)  2.56\nCASH  50.55\nROUNDING ADJUSTMENTS  0.01-\nCHANGE DUE  48.00"
    assert total_of(text) == Decimal("2.56")


def test_amt_due_is_the_amount_due() -> None:
    text = "Sub Total  129.30\nAmt Due  129.30\nGST @6%  7.30\nS=GST @6%:  122.00  7.30"
    assert extract_fields(lines_from_text(text), today=TODAY).total == Decimal("129.30")


def test_a_misread_total_payable_label_is_still_the_total() -> None:
    for text in ("Tota  Payeble,  26.80", "Tota  Payabe:  54.19", "Tate) Amt Paysbte :  8.50"):
        found = line_keyword(fold(text))
        assert found is not None
        assert found[0] == "final"  # "total payable" is the amount after rounding, as in FINAL


def test_a_misread_total_payable_beats_the_total_before_rounding() -> None:
    text = "Total Amt inc. GST @ 6% :  8.48\nRounding Adjustment :  (0.02)\nTate) Amt Paysbte :  8.50"
    assert total_of(text) == Decimal("8.50")


def test_a_stray_third_decimal_on_a_total_row_is_dropped_where_amounts_have_two() -> None:
    text = "9063785  2X  5.30  10.60\nTotal Incl. GST@6%  RM 10.600\nCASH  RM 20.00\nGST @6% included in total  RM 0.60"
    assert total_of(text) == Decimal("10.60")


def test_a_three_decimal_total_is_not_cut_where_amounts_are_written_with_commas() -> None:
    # "10.600" on a receipt with decimal commas is ten thousand six hundred, never 10,60.
    text = "Kaffe  2  25,00\nSumma  10.600\nKontant  50,00"
    assert total_of(text) != Decimal("10.60")


def test_the_row_above_the_change_is_the_tender_when_its_label_was_misread() -> None:
    text = (
        "201026 SCONE-M  1  7.50  7.50\naty  1  7.50\nRounding Adj  0.00\nFay  20.00\nChange  12.50\n"
        "(Total Included 65) & ak :  0.42)."
    )
    assert total_of(text) == Decimal("7.50")


def test_a_total_row_above_the_change_is_no_tender() -> None:
    text = "Coffee  1  4.50\nTotal  12.00\nChange  8.00"
    assert total_of(text) == Decimal("12.00")


def test_change_printed_as_a_negative_amount_still_gives_cash_minus_change() -> None:
    # "TOTAL 36.00" is a misread 35.00: printed on the next row, and 55.00 - 20.00 says so.
    text = (
        "Total Sales Amount  33.00\nGST 6%  1.98\nRounding Adjustment  0.02\nTOTAL  36.00\n35.00\n"
        "CASH  55.00\nChange Returned  20.00-"
    )
    assert total_of(text) == Decimal("35.00")


def test_the_sum_before_and_after_rounding_side_by_side_is_unsure_without_a_card_row() -> None:
    text = "Total:  72.93\nRounding  0.02\nTotal Rounded  72.95\nCASH  73.00\nChange Due  0.05"
    found = find_total(lines_from_text(text))
    assert found is not None
    assert found.value == Decimal("72.95")
    assert found.confidence < CERTAIN
    paid_by_card = find_total(lines_from_text("Total:  72.93\nRND ADJ  0.02\nGRAND TOTAL  72.95\nVISA  72.95"))
    assert paid_by_card is not None
    assert paid_by_card.confidence >= CERTAIN


def test_a_rounding_step_is_no_misread_digit() -> None:
    assert misread_digit(Decimal("36.00"), Decimal("35.00"))
    assert not misread_digit(Decimal("72.93"), Decimal("72.95"))


# --- VAT -------------------------------------------------------------------------------


def test_of_two_vat_readings_within_tolerance_the_closer_wins() -> None:
    # 6 % of 4.60 is 0.276 (net 4.60); 4.60 as gross would hold 0.260 VAT.
    amount, net, gross, _ = classify(Decimal(6), [Decimal("4.60"), Decimal("0.28")])
    assert (amount, net, gross) == (Decimal("0.28"), Decimal("4.60"), None)


def test_a_tax_summary_net_does_not_vouch_for_the_subtotal() -> None:
    text = (
        "SUB-TOTAL (EX)  :  4.60\nTOTAL TAX  3  0.28\nROUNDING  i  0.02\nTOTAL  :  4.90\nCASH  4.90\n"
        "CHANGE  :  0.00\nTAX CODE  %  (RM)  (RM)\nSR  6.00  4.60  0.28\nTOTAL:  4.60  0.28"
    )
    assert extract_fields(lines_from_text(text), today=TODAY).total == Decimal("4.90")


# --- dates -----------------------------------------------------------------------------


def test_a_date_with_two_different_separators_is_read() -> None:
    assert list(iter_plain_dates("_ 27.03/2018  NO CS-20243", TODAY)) == [date(2018, 3, 27)]


def test_a_month_abbreviation_with_one_letter_misread_is_read() -> None:
    assert list(iter_plain_dates("CB: 459768648320  25/Fen/2017 07 43:54", TODAY)) == [date(2017, 2, 25)]
    assert list(iter_plain_dates("25/Mav/2017", TODAY)) == []  # Mar or May: not one month


# --- merchant --------------------------------------------------------------------------


def test_a_dollar_sign_inside_a_legal_form_is_an_s() -> None:
    assert clean_name("99 SPEED MART $/B (519537-X)") == "99 SPEED MART S/B"


def test_a_legal_form_with_a_letter_read_as_a_digit_is_repaired() -> None:
    assert clean_name("SUPER SEVEN CASH & CARRY SDN 3HD") == "SUPER SEVEN CASH & CARRY SDN BHD"
    assert clean_name("Byggvaruhuset A8") == "Byggvaruhuset AB"
    assert clean_name("Studio 3D") == "Studio 3D"  # not a legal form when read as letters
    assert clean_name("Bar K1") == "Bar K1"


def test_a_name_ends_at_its_legal_form_when_a_number_follows() -> None:
    assert clean_name("KING'S CONFECTIONERY S/B 273500-U (GKJ}") == "KING'S CONFECTIONERY S/B"
    assert clean_name("FOUR QUARTERS SDN BHD ( lu/SU79369-P)") == "FOUR QUARTERS SDN BHD"


def test_a_year_too_old_for_a_receipt_is_repaired_by_one_digit_confusion() -> None:
    assert list(iter_plain_dates("15-03-13 15:41 SH01 B01S", TODAY)) == [date(2018, 3, 15)]
    assert list(iter_plain_dates("REG  C01  04-05-2013 16:07", TODAY)) == [date(2018, 5, 4)]


def test_a_date_after_today_is_not_repaired_into_the_past() -> None:
    assert list(iter_plain_dates("Valid until 01/02/2028", TODAY)) == []


def test_a_date_run_into_the_time_before_it_is_read() -> None:
    assert list(iter_plain_dates("17:4518/05/18", TODAY)) == [date(2018, 5, 18)]
