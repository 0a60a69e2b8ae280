"""The SIE 4I file, read back by an independent reader: balanced vouchers, CP437, a correct #KSUMMA."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.domain.exports.bookkeeping import vouchers
from backend.domain.exports.chart import DEFAULT_CHART
from backend.domain.exports.model import Dimensions, Voucher, reversed_voucher
from backend.domain.exports.sie import CHUNK_CHARS, SieHeader, accounts_used, objects_used, render_sie
from backend.domain.rates import VehicleKind
from tests.support.sie_reader import read_sie
from tests.unit.domain.exports.builders import expense, expense_claim, travel_claim, trip
from tests.unit.domain.exports.test_payroll import BACK_17, DEPART, MON


def claims() -> list[Voucher]:
    travel = travel_claim(
        trip(DEPART, BACK_17, legs=((MON, "120", VehicleKind.OWN_CAR),), dimensions=Dimensions("300", "P 7")),
        expense("89.00", vat=(("6", "5.04"),), category="taxi"),
    )
    claim = expense_claim(
        expense("125.00", vat=(("12", "13.39"),), text='Lunch "Åre"', dimensions=Dimensions("300")),
        expense("500.00", vat=(("25", "100.00"),), category="fuel", payment="company_card", expense_id="e2"),
    )
    return vouchers(travel, DEFAULT_CHART) + vouchers(claim, DEFAULT_CHART)


def header(found: list[Voucher]) -> SieHeader:
    return SieHeader(
        organisation_name='Exempel "Ö" & Söner AB',
        organisation_number="556139-9865",
        generated_on=date(2026, 11, 23),
        fiscal_year_start=date(2026, 1, 1),
        fiscal_year_end=date(2026, 12, 31),
        accounts=accounts_used(found, DEFAULT_CHART),
        objects=objects_used(found, {(1, "300"): "Försäljning Väst"}),
    )


def render(found: list[Voucher]) -> bytes:
    return b"".join(render_sie(header(found), found))


def test_the_file_has_the_4i_header_records_in_order_and_a_correct_checksum() -> None:
    found = claims()
    sie = read_sie(render(found))

    assert sie.checksum_ok
    labels = [label for label, _ in sie.records]
    assert labels[:8] == ["#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#ORGNR", "#FNAMN", "#RAR"]
    assert sie.first("#FLAGGA") == ["0"]
    assert sie.first("#SIETYP") == ["4"]
    assert sie.first("#FORMAT") == ["PC8"]
    assert sie.first("#FNAMN") == ['Exempel "Ö" & Söner AB']
    assert sie.first("#RAR") == ["0", "20260101", "20261231"]
    assert sie.all("#DIM") == [["1", "Kostnadsställe"], ["6", "Projekt"]]
    assert sie.all("#OBJEKT") == [["1", "300", "Försäljning Väst"], ["6", "P 7", "P 7"]]
    used = {row.account for v in sie.vouchers for row in v.rows}
    assert {str(f[0]) for f in sie.all("#KONTO")} == used
    assert ["2820", "Kortfristiga skulder till anställda"] in sie.all("#KONTO")


def test_every_voucher_balances_and_the_totals_are_the_claims() -> None:
    found = claims()
    sie = read_sie(render(found))

    assert [(v.series, v.number) for v in sie.vouchers] == [("L", "1"), ("L", "2")]
    for ver, voucher in zip(sie.vouchers, found, strict=True):
        assert sum(r.amount for r in ver.rows) == 0
        assert [(r.account, r.amount, r.text) for r in ver.rows] == [
            (r.account, r.amount, r.text) for r in voucher.rows
        ]
        assert ver.day == voucher.day
        assert ver.text == voucher.text
    owed = [r.amount for v in sie.vouchers for r in v.rows if r.account == "2820"]
    assert owed == [-(Decimal(750) + Decimal(300) + Decimal(89)), Decimal(-125)]
    lunch = next(r for r in sie.vouchers[1].rows if r.account == "5831")
    assert lunch.objects == [("1", "300")]
    per_diem = sie.vouchers[0].rows[0]
    assert per_diem.objects == [("1", "300"), ("6", "P 7")]


def test_cp437_round_trips_swedish_letters_and_replaces_what_it_cannot_write() -> None:
    voucher = Voucher("x", date(2026, 11, 20), "Åsa Öberg: räksmörgås € 张\ttab\\", ())
    data = render([voucher])

    assert "Åsa Öberg: räksmörgås".encode("cp437") in data
    (ver,) = read_sie(data).vouchers
    assert ver.text == "Åsa Öberg: räksmörgås EUR ? tab/"


def test_a_reversal_voucher_negates_and_the_file_still_checks_out() -> None:
    found = claims()
    back = [reversed_voucher(v, date(2026, 12, 1)) for v in found]
    sie = read_sie(render(back))

    assert sie.checksum_ok
    original = read_sie(render(found))
    for ver, orig in zip(sie.vouchers, original.vouchers, strict=True):
        assert [r.amount for r in ver.rows] == [-r.amount for r in orig.rows]
        assert ver.day == date(2026, 12, 1)
        assert ver.text.startswith("Rättelse: ")


def test_a_changed_amount_breaks_the_checksum() -> None:
    data = render(claims())
    tampered = data.replace(b" 750.00 ", b" 751.00 ", 1)

    assert tampered != data
    assert not read_sie(tampered).checksum_ok


def test_the_same_vouchers_give_the_same_bytes_streamed_in_chunks() -> None:
    many = claims() * 300
    chunks = list(render_sie(header(many), many))

    assert len(chunks) > 2
    assert max(len(c) for c in chunks) < 2 * CHUNK_CHARS
    assert b"".join(chunks) == render(many)
    assert read_sie(b"".join(chunks)).checksum_ok


def test_an_empty_file_has_its_header_and_a_checksum() -> None:
    sie = read_sie(render([]))

    assert sie.checksum_ok
    assert sie.vouchers == []


def test_punctuation_outside_cp437_is_written_as_its_ascii_look_alike_not_a_question_mark() -> None:
    from backend.domain.exports.sie import clean

    assert clean("Resa: Luleå → Kundbesök – “offert” 12 €") == 'Resa: Luleå - Kundbesök - "offert" 12 EUR'
    assert clean("日本") == "??"
