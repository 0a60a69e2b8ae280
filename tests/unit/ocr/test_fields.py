"""Field extraction from OCR text, written as plain strings (two spaces = a column gap)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocr.extract import extract_fields
from ocr.fields.amounts import parse_amount
from ocr.fields.currency import detect_currency
from ocr.fields.dates import find_times, iter_plain_dates
from ocr.fields.merchant import clean_name, find_merchant
from ocr.fields.orgnr import find_org_numbers, luhn_valid, normalise
from ocr.fields.totals import find_total
from ocr.fields.vat import complete_row, find_vat_rows
from ocr.layout import lines_from_text
from ocr.model import VatRow

TODAY = date(2026, 11, 23)


def dates_in(text: str, *, month_first: bool = False) -> list[date]:
    return list(iter_plain_dates(text, TODAY, month_first=month_first))


# --- amounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("268,17", "268.17"),
        ("2 087,59", "2087.59"),
        ("1,007.50", "1007.50"),
        ("1.234,56", "1234.56"),
        ("RM13.30", "13.30"),
        ("99:-", "99"),
        ("12,50-", "-12.50"),
        ("3452 ,09", "3452.09"),
        ("65. 20", "65.20"),
        ("268,l7", "268.17"),
    ],
)
def test_amounts_are_read_as_exact_decimals(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["21.10.2026", "1,5l", "25,00%", "9.000", "Kassa 5", "08-840 53 21"])
def test_dates_units_percentages_and_phone_numbers_are_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


# --- dates and times -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-21", date(2026, 10, 21)),
        ("21/10/2026", date(2026, 10, 21)),
        ("21.10.26", date(2026, 10, 21)),
        ("21 okt 2026", date(2026, 10, 21)),
        ("21 oktober 2026", date(2026, 10, 21)),
        ("25/12/2018", date(2018, 12, 25)),
        ("25-Dec-18", date(2018, 12, 25)),
        ("Dec 25, 2018", date(2018, 12, 25)),
        ("Date :27/04/18", date(2018, 4, 27)),
        ("2O26-1O-21", date(2026, 10, 21)),
        ("3. Mai 2026", date(2026, 5, 3)),
    ],
)
def test_dates_in_many_printed_formats(text: str, expected: date) -> None:
    assert dates_in(text) == [expected]


def test_a_day_above_twelve_settles_the_order_and_month_first_is_used_for_us_receipts() -> None:
    assert dates_in("12/25/2018") == [date(2018, 12, 25)]
    assert dates_in("03/04/2026") == [date(2026, 4, 3)]
    assert dates_in("03/04/2026", month_first=True) == [date(2026, 3, 4)]


def test_dates_in_the_future_or_older_than_about_ten_years_are_not_purchase_dates() -> None:
    assert dates_in("2026-12-24") == []
    assert dates_in("2009-05-01") == []


def test_an_impossible_date_is_repaired_by_one_ocr_digit_confusion() -> None:
    assert dates_in("17/03/2817") == [date(2017, 3, 17)]


def test_times_are_24_hour_hh_mm() -> None:
    [line] = lines_from_text("25/12/2018 8:13:39 PM")
    assert [t.value for t in find_times(line)] == ["20:13"]
    [line] = lines_from_text("21.10.2026 16:20")
    assert [t.value for t in find_times(line)] == ["16:20"]


def test_the_purchase_date_wins_over_hotel_arrival_and_departure() -> None:
    text = "Hotell Exempel AB\n2026-01-11 09:12\nAnkomst 2026-01-09\nAvresa 2026-01-11\nTOTALT  1 200,00"
    receipt = extract_fields(lines_from_text(text), today=TODAY)
    assert receipt.date == date(2026, 1, 11)
    assert receipt.time == "09:12"


# --- organisation numbers --------------------------------------------------------------


def test_org_numbers_need_a_valid_luhn_check_digit() -> None:
    assert luhn_valid("5561399865")
    assert not luhn_valid("5561399866")
    assert normalise("556139-9865") == "556139-9865"
    assert normalise("556139-9866") is None


def test_org_numbers_are_found_after_the_keyword_and_in_vat_numbers() -> None:
    [line] = lines_from_text("Org.nr 556139-9865")
    assert [m.value for m in find_org_numbers(line)] == ["556139-9865"]
    [line] = lines_from_text("Momsreg.nr SE556139986501")
    assert [m.value for m in find_org_numbers(line)] == ["556139-9865"]
    [line] = lines_from_text("Org.nr 5S6139-9865")
    assert [m.value for m in find_org_numbers(line)] == ["556139-9865"]


def test_an_org_number_with_a_wrong_check_digit_is_rejected() -> None:
    [line] = lines_from_text("Org.nr 556139-9866")
    assert find_org_numbers(line) == []


# --- currency --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ATT BETALA  268,17 kr\nMoms 25%", "SEK"),
        ("TOTAL SEK  100,00", "SEK"),
        ("Total RM 9.00\nGST 6%\nSDN BHD", "MYR"),
        ("Summe  12,50 €", "EUR"),
        ("Total  £4.20\nVAT 20%", "GBP"),
        ("Total  $12.00\nSales tax", "USD"),
        ("Å BETALE  250,00 kr\nMVA 25%", "NOK"),
        ("AT BETALE  250,00 kr\nCVR 12345678\nI alt", "DKK"),
    ],
)
def test_currency_from_codes_symbols_and_local_words(text: str, code: str) -> None:
    guess = detect_currency(lines_from_text(text))
    assert guess is not None
    assert guess.code == code


def test_no_currency_is_guessed_without_evidence() -> None:
    assert detect_currency(lines_from_text("Hello\n12.00")) is None


# --- totals ----------------------------------------------------------------------------


def test_the_total_is_the_amount_to_pay_not_the_subtotal_or_the_vat() -> None:
    text = "Subtotal  100,00\nMoms 25%  25,00\nATT BETALA  125,00\nKort  125,00"
    total = find_total(lines_from_text(text))
    assert total is not None
    assert total.value == Decimal("125.00")
    assert total.payment_agrees


def test_cash_tendered_and_change_are_not_the_total() -> None:
    text = "TOTAL  15.90\nCASH  50.00\nCHANGE  34.10"
    total = find_total(lines_from_text(text))
    assert total is not None
    assert total.value == Decimal("15.90")


def test_the_rounded_total_wins_over_the_total_before_rounding() -> None:
    text = "Total Sales (Inclusive of GST)  54.48\nRounding Adjustment  0.02\nTotal Amt Payable :  54.50"
    total = find_total(lines_from_text(text))
    assert total is not None
    assert total.value == Decimal("54.50")


def test_total_sales_excluding_tax_is_not_the_total() -> None:
    text = "Total Sales (Excluding GST)  6.00\nTotal GST  0.36\nTotal Sales (Inclusive of GST)  6.36"
    total = find_total(lines_from_text(text))
    assert total is not None
    assert total.value == Decimal("6.36")


def test_cash_minus_change_names_the_total_when_the_total_row_is_unreadable() -> None:
    text = "Total Amount:  01 .00\nCash Received  101.00\nChange :  70.00"
    total = find_total(lines_from_text(text))
    assert total is not None
    assert total.value == Decimal("31.00")


def test_a_disagreeing_vat_sum_lowers_the_total_confidence() -> None:
    lines = lines_from_text("ATT BETALA  125,00\nKort  125,00")
    agreeing = find_total(lines, vat_gross=Decimal("125.00"))
    disagreeing = find_total(lines, vat_gross=Decimal("99.00"))
    assert agreeing is not None
    assert disagreeing is not None
    assert disagreeing.confidence < agreeing.confidence


# --- VAT -------------------------------------------------------------------------------


def test_a_swedish_vat_table_gives_rate_amount_net_and_gross() -> None:
    text = "Moms%  Moms  Netto  Brutto\n12  14,94  124,54  139,48\n25  25,74  102,95  128,69\nVISA  268,17"
    rows = [f.row for f in find_vat_rows(lines_from_text(text))]
    assert rows == [
        VatRow(Decimal("12"), Decimal("14.94"), Decimal("124.54"), Decimal("139.48")),
        VatRow(Decimal("25"), Decimal("25.74"), Decimal("102.95"), Decimal("128.69")),
    ]


def test_a_single_vat_amount_gets_its_net_and_gross_computed() -> None:
    rows = [f.row for f in find_vat_rows(lines_from_text("Varav moms 25%  53,60"))]
    assert rows == [VatRow(Decimal("25"), Decimal("53.60"), Decimal("214.40"), Decimal("268.00"))]


def test_columns_in_any_order_are_told_apart_by_arithmetic() -> None:
    rows = [f.row for f in find_vat_rows(lines_from_text("MwSt  A 19%  16,81  3,19  20,00"))]
    assert rows == [VatRow(Decimal("19"), Decimal("3.19"), Decimal("16.81"), Decimal("20.00"))]


def test_missing_vat_figures_are_computed_from_the_others() -> None:
    assert complete_row(Decimal(25), gross=Decimal("125.00")) == VatRow(
        Decimal(25), Decimal("25.00"), Decimal("100.00"), Decimal("125.00")
    )
    assert complete_row(Decimal(6), net=Decimal("100.00")).gross == Decimal("106.00")


def test_zero_rate_rows_are_left_out() -> None:
    assert find_vat_rows(lines_from_text("TAX AMT (Z) 0%  RM 0.00\nGST 0%  0.00")) == []


# --- merchant and category ---------------------------------------------------------------


def test_the_merchant_is_the_name_at_the_top_not_the_address_or_a_handwritten_note() -> None:
    text = "tan woon yann\nBOOK TAK (TAMAN DAYA) SDN BHD\n789417-W\nNO.53, JALAN SAGU 18,\n81100 JOHOR BAHRU\nDate 25/12/2018"
    merchant = find_merchant(lines_from_text(text))
    assert merchant is not None
    assert merchant.name == "BOOK TAK (TAMAN DAYA) SDN BHD"


def test_a_name_printed_over_two_rows_is_joined() -> None:
    merchant = find_merchant(lines_from_text("HOME MASTER HARDWARE &\nELECTRICAL\nNO.113G, JALAN SETIA 3"))
    assert merchant is not None
    assert merchant.name == "HOME MASTER HARDWARE & ELECTRICAL"


def test_registration_numbers_are_stripped_from_the_name() -> None:
    assert clean_name("GARDENIA BAKERIES (KL) SDN BHD (139386 X)") == "GARDENIA BAKERIES (KL) SDN BHD"
    assert clean_name("99 SPEED MART S/B (519537-X)") == "99 SPEED MART S/B"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Taxi Kurir\nKörsträcka 13,9 km\nTOTALT  434,47", "taxi"),
        ("Scandic Hotell\nAnkomst 2026-01-10\nLogi  1 187,47", "hotel"),
        ("Preem\nBensin 95  62,85 l", "fuel"),
        ("Aimo Park\nParkering  89,83", "parking"),
        ("SJ AB\nResa Stockholm C - Uppsala C  156,38\nBiljett", "train_flight"),
        ("Restaurang Haga\nDagens lunch  125,00", "meal"),
        ("Friskvård Gym AB\nGymkort 12 mån", "wellness"),
        ("Kontorsvaruhuset\nPapper A4  49,00\nToner  699,00", "office_supplies"),
        ("Livs\nMjölk  20,00", "other"),
    ],
)
def test_a_category_is_suggested_from_the_words_on_the_receipt(text: str, category: str) -> None:
    receipt = extract_fields(lines_from_text(text), today=TODAY)
    assert receipt.category == category


# --- the whole receipt -------------------------------------------------------------------


def test_a_swedish_receipt_from_text() -> None:
    text = "\n".join(
        [
            "Hemköp Sergel",
            "Åsögatan 66",
            "582 24 Linköping",
            "Org.nr 556139-9865",
            "21.10.2026 16:20",
            "Batterier AA 4p  52,23",
            "Mjölk 3% 1,5l  20,07",
            "ATT BETALA  72,30",
            "Moms%  Moms  Netto  Brutto",
            "12  2,15  17,92  20,07",
            "25  10,45  41,78  52,23",
            "VISA  72,30",
        ]
    )
    receipt = extract_fields(lines_from_text(text), today=TODAY)
    assert receipt.merchant == "Hemköp Sergel"
    assert receipt.org_number == "556139-9865"
    assert receipt.date == date(2026, 10, 21)
    assert receipt.time == "16:20"
    assert receipt.total == Decimal("72.30")
    assert receipt.currency == "SEK"
    assert [(r.rate, r.amount) for r in receipt.vat] == [
        (Decimal(12), Decimal("2.15")),
        (Decimal(25), Decimal("10.45")),
    ]
    assert [i.description for i in receipt.items] == ["Batterier AA 4p", "Mjölk 3% 1,5l"]
    assert receipt.confidence["total"] > 0.7
    assert set(receipt.boxes) >= {"merchant", "org_number", "date", "total", "vat"}
    json = receipt.to_json_dict()
    assert json["total"] == "72.30"
    assert json["vat"][0] == {"rate": "12", "amount": "2.15", "net": "17.92", "gross": "20.07"}
