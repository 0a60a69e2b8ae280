"""Receipts from other European countries, as printed rows (two spaces = a column gap).

The rows follow real receipts of each country: legal form and trading name at the top,
street address with its postcode, the VAT id with its keyword, the total word of the
language, the date format of the country. The VAT ids are real companies' published ids.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocr.extract import extract_fields
from ocr.fields.currency import detect_currency
from ocr.fields.dates import iter_plain_dates
from ocr.fields.merchant import find_merchant
from ocr.fields.totals import find_total
from ocr.fields.vatid import find_vat_ids, normalise_vat_id
from ocr.geometry import Box
from ocr.layout import Line, lines_from_text, make_line
from ocr.model import CERTAIN, Receipt
from ocr.tesseract import Word

TODAY = date(2026, 11, 23)


def read(text: str) -> Receipt:
    return extract_fields(lines_from_text(text), today=TODAY)


LATVIAN = """SIA "RIMI LATVIA"
A. Deglava iela 161, Rīga, LV-1021
PVN reģ. Nr. LV40003032065
Čeks Nr. 0042  Kase 3
Piens 2% 1l  1,19
Rupjmaize  2,35
Kafija  27,90
KOPĀ APMAKSAI  31,44
Maksājumu karte  31,44
PVN 21%  5,46
21.10.2026. 16:20
Paldies par pirkumu!"""

LITHUANIAN = """UAB "MAXIMA LT"
Savanorių pr. 247, LT-02300 Vilnius
PVM mokėtojo kodas LT230335113
Kvitas Nr. 5521
Duona  1,89
Sūris  4,20
IŠ VISO MOKĖTI  6,09
Mokėjimo kortelė  6,09
2026-10-21 12:04"""

ESTONIAN = """Rimi Eesti Food AS
Põhja pst 27a, 10415 Tallinn
KMKR EE100247019
Leib  2,49
Piim  1,29
KOKKU  3,78
Kaart  3,78
21.10.2026 18:45"""

FINNISH = """Kesko Oyj
K-Market Kamppi
Urho Kekkosen katu 1, 00100 Helsinki
Y-tunnus 0109862-8
KAHVI  3,50
PULLA  2,40
YHTEENSÄ  5,90
PANKKIKORTTI  5,90
ALV 14%  0,72
21.10.2026 klo 09.12"""

GERMAN = """REWE Markt GmbH
Domstr. 20
D-50668 Köln
USt-IdNr. DE812706034
Brezel  0,89 A
Kaffee  3,20 A
SUMME  EUR 4,09
Geg. EC-Karte  EUR 4,09
MwSt 7%  0,27
21.10.26 14:02"""

POLISH = """BIEDRONKA
Jeronimo Martins Polska S.A.
ul. Żniwna 5, 62-025 Kostrzyn
NIP 779-10-11-327
PARAGON FISKALNY
Chleb  4,99 C
Mleko  3,49 C
SUMA PLN  8,48
Karta płatnicza  8,48
2026-10-21 10:30"""

DANISH = """Netto
Salling Group A/S
Rosbjergvej 33, DK-8220 Brabrand
CVR 35954716
Rugbrød  18,95
Kaffe  54,00
I ALT  72,95
Dankort  72,95
21.10.2026 11:05"""

NORWEGIAN = """REMA 1000
Rema 1000 Norge AS
Økernveien 94, 0579 Oslo
Org.nr. 963 347 545 MVA
Brød  34,90
Melk  22,50
Å BETALE  57,40
Bankkort  57,40
21.10.2026 08:15"""

BRITISH = """TESCO
Tesco Stores Ltd
12 High Street, London
VAT No: GB 220 4302 31
MILK  1.45
BREAD  1.10
TOTAL  £2.55
VISA DEBIT  £2.55
21/10/2026 17:33"""

SWEDISH_WITHOUT_CURRENCY = """ICA Nära Ringvägen
Ringvägen 12
118 60 Stockholm
Org.nr 556139-9865
2026-10-21 16:20
Kaffe  45,00
ATT BETALA  45,00
Moms 12%  4,82
Kort  45,00"""


@pytest.mark.parametrize(
    ("text", "merchant", "vat_id", "total", "day", "currency"),
    [
        (LATVIAN, 'SIA "RIMI LATVIA"', "LV40003032065", "31.44", date(2026, 10, 21), "EUR"),
        (LITHUANIAN, 'UAB "MAXIMA LT"', "LT230335113", "6.09", date(2026, 10, 21), "EUR"),
        (ESTONIAN, "Rimi Eesti Food AS", "EE100247019", "3.78", date(2026, 10, 21), "EUR"),
        (FINNISH, "Kesko Oyj", "FI01098628", "5.90", date(2026, 10, 21), "EUR"),
        (GERMAN, "REWE Markt GmbH", "DE812706034", "4.09", date(2026, 10, 21), "EUR"),
        (POLISH, "Jeronimo Martins Polska S.A.", "PL7791011327", "8.48", date(2026, 10, 21), "PLN"),
        (DANISH, "Salling Group A/S", "DK35954716", "72.95", date(2026, 10, 21), "DKK"),
        (NORWEGIAN, "Rema 1000 Norge AS", "NO963347545MVA", "57.40", date(2026, 10, 21), "NOK"),
        (BRITISH, "Tesco Stores Ltd", "GB220430231", "2.55", date(2026, 10, 21), "GBP"),
    ],
)
def test_a_receipt_from_each_country_is_read_field_by_field(
    text: str, merchant: str, vat_id: str, total: str, day: date, currency: str
) -> None:
    receipt = read(text)
    assert receipt.merchant == merchant
    assert receipt.vat_id == vat_id
    assert receipt.total == Decimal(total)
    assert receipt.date == day
    assert receipt.currency == currency
    assert receipt.readable


# --- merchant --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "Brīvības iela 68, Rīga",
        "Brīvības iela",
        "Rīga, LV-1010",
        "Gedimino pr. 9, Vilnius",
        "LT-01103 Vilnius",
        "Narva mnt. 7",
        "Mannerheimintie 5",
        "Hauptstr. 12",
        "Hauptstraße 12, 10115 Berlin",
        "ul. Marszałkowska 10",
        "00-950 Warszawa",
        "Storgatan 12",
        "Karl Johans gate 3",
        "Vesterbrogade 10",
    ],
)
def test_an_address_is_never_the_merchant(address: str) -> None:
    assert find_merchant(lines_from_text(address)) is None


@pytest.mark.parametrize(
    "row",
    [
        "www.rimi.lv",
        "info@maxima.lt",
        "Darba laiks 8-22",
        "Öffnungszeiten Mo-Fr 8-20",
        "Laipni lūdzam!",
        "Tervetuloa",
        "Tālr. 67 045 409",
        "KASSENBON",
        "Labākās cenas katru dienu!",
    ],
)
def test_a_url_opening_hours_a_greeting_or_a_phone_is_never_the_merchant(row: str) -> None:
    assert find_merchant(lines_from_text(row)) is None


def test_the_legal_name_wins_over_a_street_address_above_it() -> None:
    merchant = find_merchant(lines_from_text('Brīvības iela 68, Rīga\nSIA "Narvesen Baltija"\nLV40003032065'))
    assert merchant is not None
    assert merchant.name == 'SIA "Narvesen Baltija"'


def test_a_shop_named_after_its_street_keeps_its_name() -> None:
    assert read(SWEDISH_WITHOUT_CURRENCY).merchant == "ICA Nära Ringvägen"


# --- VAT ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "value"),
    [
        ("PVN reģ. Nr. LV40003032065", "LV40003032065"),
        ("PVN reģ.nr. 40003032065", "LV40003032065"),
        ("PVM kodas LT100001919017", "LT100001919017"),
        ("KMKR nr EE100247019", "EE100247019"),
        ("Y-tunnus 0109862-8", "FI01098628"),
        ("USt-IdNr.: DE 136 695 976", "DE136695976"),
        ("CVR-nr. 35 95 47 16", "DK35954716"),
        ("Foretaksregisteret NO 923 609 016 MVA", "NO923609016MVA"),
        ("Org.nr 923 609 016 MVA", "NO923609016MVA"),
        ("NIP 779-10-11-327", "PL7791011327"),
        ("VAT Reg No GB 220 4302 31", "GB220430231"),
        ("Momsreg.nr SE556139986501", "SE556139986501"),
        ("N° TVA FR40303265045", "FR40303265045"),
    ],
)
def test_vat_ids_are_read_with_their_country(row: str, value: str) -> None:
    [line] = lines_from_text(row)
    assert [m.value for m in find_vat_ids(line)] == [value]


@pytest.mark.parametrize(
    "row",
    [
        "PVN reģ. Nr. LV40003032066",  # check digit off by one
        "USt-IdNr. DE136695977",
        "NIP 779-10-11-328",
        "CVR 35954717",
        "Rīga, LV-1010",  # a postcode, not a VAT id
        "LT-01103 Vilnius",
        "Tel. 67 045 409",
    ],
)
def test_a_number_that_fails_its_country_check_is_no_vat_id(row: str) -> None:
    [line] = lines_from_text(row)
    assert find_vat_ids(line) == []


def test_vat_ids_are_normalised_from_any_spacing() -> None:
    assert normalise_vat_id("lv 4000 3032 065") == "LV40003032065"
    assert normalise_vat_id("NO 963 347 545 MVA") == "NO963347545MVA"
    assert normalise_vat_id("LV40003032066") is None
    assert normalise_vat_id("XX123456789") is None


# --- currency --------------------------------------------------------------------------


def test_a_euro_country_without_a_printed_currency_is_euro_but_not_certain() -> None:
    receipt = read(LATVIAN)
    assert receipt.currency == "EUR"
    assert receipt.currency_source == "inferred"
    assert receipt.confidence["currency"] < CERTAIN
    assert "currency" in receipt.to_check


def test_a_printed_euro_sign_is_printed_and_can_be_certain() -> None:
    receipt = read(
        LATVIAN.replace("KOPĀ APMAKSAI  31,44", "KOPĀ APMAKSAI  31,44 €").replace("karte  31,44", "karte  31,44 €")
    )
    assert receipt.currency == "EUR"
    assert receipt.currency_source == "printed"
    assert receipt.confidence["currency"] >= CERTAIN


@pytest.mark.parametrize("stray", ["$", "kr", "RM"])
def test_a_stray_symbol_on_a_euro_receipt_never_makes_it_crowns_dollars_or_ringgit(stray: str) -> None:
    text = LATVIAN.replace("Kafija  27,90", f"Kafija  27,90 {stray}")
    guess = detect_currency(lines_from_text(text), vat_country="LV")
    assert guess is not None
    assert guess.code == "EUR"
    assert guess.confidence < CERTAIN


def test_the_address_alone_tells_a_euro_country() -> None:
    guess = detect_currency(lines_from_text("Kafejnīca\nBrīvības iela 68, Rīga, LV-1010\nKopā  12,40"))
    assert guess is not None
    assert (guess.code, guess.printed) == ("EUR", False)


@pytest.mark.parametrize(
    ("row", "code"),
    [("Suma PLN  23,45", "PLN"), ("Razem  23,45 zł", "PLN"), ("Celkem  120,00 Kč", "CZK"), ("EUR 31.44", "EUR")],
)
def test_codes_and_symbols_of_other_currencies_are_printed(row: str, code: str) -> None:
    guess = detect_currency(lines_from_text(row))
    assert guess is not None
    assert (guess.code, guess.printed) == (code, True)


def test_a_swedish_receipt_without_kr_is_inferred_as_crowns() -> None:
    receipt = read(SWEDISH_WITHOUT_CURRENCY)
    assert receipt.currency == "SEK"
    assert receipt.currency_source == "inferred"
    assert receipt.confidence["currency"] < CERTAIN


# --- totals and dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("Starpsumma  30,00\nPVN 21%  5,46\nKopā  31,44", "31.44"),
        ("Iš viso  1 234,56\nGrynieji  1 300,00\nGrąža  65,44", "1234.56"),
        ("Vahesumma  10,00\nKokku  12,20\nSularaha  20,00\nTagasi  7,80", "12.20"),
        ("Zwischensumme  1.234,56\nGesamt  1.234,56 EUR\nRückgeld  0,00", "1234.56"),
        ("Suma PTU A  2,34\nSUMA PLN  1'234.56", "1234.56"),
        ("Subtotal  1,028.80\nVAT 20%  205.76\nTotal  1,234.56", "1234.56"),
        ("Summa  31,44 €\nKort  31,44 €", "31.44"),
        ("EUR 31.44\nTOTAL EUR 31.44", "31.44"),
    ],
)
def test_totals_in_any_european_number_format_and_language(text: str, total: str) -> None:
    guess = find_total(lines_from_text(text))
    assert guess is not None
    assert guess.value == Decimal(total)


@pytest.mark.parametrize(
    "text",
    [
        "21.10.2026.",
        "2026.10.21",
        "21. okt. 2026",
        "21/10-26",
        "21.10.26",
        "21 Oct 2026",
        "Oct 21, 2026",
        "2026. gada 21. oktobris",
        "2026 m. spalio 21 d.",
        "21. lokakuuta 2026",
        "21 października 2026",
        "21. Oktober 2026",
        "21 oktoober 2026",
        "21. oktober 2026",
    ],
)
def test_dates_of_nordic_baltic_german_english_and_polish_receipts(text: str) -> None:
    assert list(iter_plain_dates(text, TODAY)) == [date(2026, 10, 21)]


def test_month_first_only_on_a_dollar_receipt() -> None:
    assert read("Store\n03/04/2026\nTOTAL  12.00").date == date(2026, 4, 3)
    assert read("Store Inc.\n03/04/2026\nTOTAL  $12.00\nSales tax  0.80").date == date(2026, 3, 4)


# --- honest confidence -------------------------------------------------------------------


def test_a_receipt_with_nothing_read_says_so() -> None:
    receipt = read("~~ ..\n|| ::")
    assert not receipt.readable
    assert receipt.to_check == ("merchant", "date", "total", "currency")
    json = receipt.to_json_dict()
    assert json["readable"] is False
    assert json["to_check"] == ["merchant", "date", "total", "currency"]


def test_the_json_keeps_the_cli_fields_and_adds_vat_id_and_currency_source() -> None:
    json = read(GERMAN).to_json_dict()
    assert {"merchant", "date", "total", "currency", "vat", "org_number"} <= set(json)
    assert json["vat_id"] == "DE812706034"
    assert json["currency_source"] == "printed"
    assert all(0.0 <= value <= 1.0 for value in json["confidence"].values())


def test_a_lost_closing_bracket_keeps_the_legal_form() -> None:
    merchant = find_merchant(lines_from_text("THE STORE (MALAYSIA SDN BHD (8199K)\nLOT 34017 JALAN BATU"))
    assert merchant is not None
    assert merchant.name == "THE STORE MALAYSIA SDN BHD"


def _rows(*rows: tuple[str, int]) -> list[Line]:
    """Rows of text with a glyph height each (a bigger font for the shop's name)."""
    lines, top = [], 0
    for index, (text, height) in enumerate(rows):
        words, left = [], 0
        for token in text.split(" "):
            words.append(Word(token, Box(left, top, len(token) * height // 2, height), 0.95, 1, index))
            left += (len(token) + 1) * height // 2
        lines.append(make_line(index, words))
        top += 2 * height
    return lines


def test_a_trading_name_above_a_printed_legal_name_is_not_certain() -> None:
    top = (("NANDOS", 40), ("Mid Valley Megamall", 20), ("Lot 5, Jalan Mewah 3", 20), ("59200 Kuala Lumpur", 20))
    both = find_merchant(_rows(*top, ("Tel. 03-2938 3312", 20), ("Chickenland Malaysia Sdn Bhd", 20)))
    alone = find_merchant(_rows(*top, ("Tel. 03-2938 3312", 20)))
    assert both is not None
    assert alone is not None
    assert both.name == alone.name == "NANDOS"
    assert both.confidence < alone.confidence


def test_words_read_without_their_spaces_lower_the_merchant_confidence() -> None:
    merged = find_merchant(lines_from_text("GuardianGiantBremMall"))
    clean = find_merchant(lines_from_text("Guardian Giant Brem Mall"))
    assert merged is not None
    assert clean is not None
    assert merged.confidence < clean.confidence


def test_a_large_misread_rounding_is_no_total_when_the_total_row_says_otherwise() -> None:
    text = "Total  85.10\nRounding Adjustment  6.00\nCash  100.10\nChange  15.00"
    guess = find_total(lines_from_text(text))
    assert guess is not None
    assert guess.value == Decimal("85.10")


def test_a_total_the_payment_rows_contradict_is_not_certain() -> None:
    agreeing = find_total(lines_from_text("TOTAL  RM 14.10\nCASH  RM 20.00\nCHANGE  RM 5.90"))
    contradicted = find_total(lines_from_text("TOTAL  RM 14.15\nCASH  RM 20.00\nCHANGE  RM 5.90"))
    assert agreeing is not None
    assert contradicted is not None
    assert agreeing.confidence >= CERTAIN > contradicted.confidence


def test_a_heading_printed_above_the_name_does_not_hide_it() -> None:
    merchant = find_merchant(
        lines_from_text("PIG\nTAX INVOICE\nDOMINO'S PIZZA PERMAS JAYA\nNo.12, Jalan Permas Jaya 10")
    )
    assert merchant is not None
    assert merchant.name == "DOMINO'S PIZZA PERMAS JAYA"


def test_a_sign_no_shop_name_holds_lowers_the_merchant_confidence() -> None:
    odd = find_merchant(lines_from_text("WR. O.1.¥. (M) SDN BHD"))
    plain = find_merchant(lines_from_text("MR. D.I.Y. (M) SDN BHD"))
    assert odd is not None
    assert plain is not None
    assert odd.confidence < plain.confidence


def test_a_receipt_number_shaped_like_a_vat_id_without_a_check_digit_is_not_one() -> None:
    [line] = lines_from_text("02-03-18 17:23 SH01 ZJ42  T1 RO00227410")
    assert find_vat_ids(line) == []
    [line] = lines_from_text("CIF: RO00227410")
    assert [m.value for m in find_vat_ids(line)] == ["RO00227410"]
