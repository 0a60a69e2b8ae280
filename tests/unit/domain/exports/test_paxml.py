"""The PAXml file: valid against the real PAXml 2.0 schema, ISO-8859-1, streamed, deterministic."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from functools import cache

import pytest
import xmlschema

from backend.domain.exports.mapping import DEFAULT_MAPPING
from backend.domain.exports.model import Dimensions, PayrollTransaction, reversed_transaction
from backend.domain.exports.paxml import CHUNK_CHARS, PaxmlHeader, SectionOrderError, render_paxml
from backend.domain.exports.payroll import payroll_transactions
from backend.domain.payslip.inputs import TimeCode
from tests.unit.domain.exports.builders import (
    D,
    expense,
    expense_claim,
    paxml_xsd,
    time_week,
    travel_claim,
    trip,
    work,
)
from tests.unit.domain.exports.test_payroll import BACK_17, DEPART, MON, TUE

HEADER = PaxmlHeader(
    "Exempel & Söner AB", "556139-9865", datetime(2026, 11, 23, 9, tzinfo=UTC), batch_info="Lönebatch 2026-11"
)


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(paxml_xsd()))


def document(transactions: list[PayrollTransaction]) -> bytes:
    data = b"".join(render_paxml(HEADER, transactions))
    schema().validate(io.BytesIO(data))
    return data


def month() -> list[PayrollTransaction]:
    week = time_week(work(MON, dimensions=Dimensions("300", "P-7")), work(TUE, code=TimeCode.SICK))
    travel = travel_claim(trip(DEPART, BACK_17), expense("89.00", category="taxi"))
    claim = expense_claim(expense("125.00"), expense("300.00", category="wellness", expense_id="e2"))
    items = [week, travel, claim]
    transactions = [t for item in items for t in payroll_transactions(item, DEFAULT_MAPPING)]
    return sorted(transactions, key=lambda t: t.section != t.section.TIME)


def test_time_travel_and_expenses_make_a_schema_valid_latin1_document() -> None:
    data = document(month())

    assert data.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<paxml>')
    root = ET.fromstring(data)
    assert root.findtext("header/version") == "2.0"
    assert root.findtext("header/foretagnamn") == "Exempel & Söner AB"
    assert root.findtext("header/datum") == "2026-11-23T10:00:00+01:00"
    assert [d.get("dim") for d in root.iter("dimension")] == ["1", "6"]
    assert [t.findtext("tidkod") for t in root.iter("tidtrans")] == ["ARB", "SJK_KAR"]
    assert [t.findtext("lonkod") for t in root.iter("lonetrans")] == ["INR_FRI", "UTLÄGG", "UTLÄGG", None]


def test_post_ids_count_from_one_and_each_transaction_names_employee_personnummer_and_item() -> None:
    root = ET.fromstring(document(month()))

    posts = [*root.iter("tidtrans"), *root.iter("lonetrans")]
    assert [p.get("postid") for p in posts] == [str(n) for n in range(1, len(posts) + 1)]
    assert {(p.get("anstid"), p.get("persnr")) for p in posts} == {("1001", "198112189876")}
    assert [p.findtext("samlingsid") for p in posts][:3] == ["week-47", "week-47", "travel-1"]
    first = posts[0]
    assert [(r.get("dim"), r.get("id")) for r in first.iter("resenhet")] == [("1", "300"), ("6", "P-7")]
    assert first.findtext("timmar") == "8"


def test_amounts_quantities_and_pay_types_are_written_as_decimals() -> None:
    root = ET.fromstring(document(month()))

    utlagg = next(p for p in root.iter("lonetrans") if p.findtext("lonkod") == "UTLÄGG")
    assert (
        utlagg.findtext("lonart"),
        utlagg.findtext("antal"),
        utlagg.findtext("apris"),
        utlagg.findtext("belopp"),
    ) == (
        "700",
        "1",
        "89.00",
        "89.00",
    )
    wellness = [p for p in root.iter("lonetrans") if p.find("lonkod") is None]
    assert [(p.findtext("lonart"), p.findtext("belopp")) for p in wellness] == [("710", "300.00")]


def test_a_reversal_carries_negative_figures_and_says_it_is_a_correction() -> None:
    reversed_ = [reversed_transaction(t) for t in month()]
    root = ET.fromstring(document(reversed_))

    assert [t.findtext("timmar") for t in root.iter("tidtrans")] == ["-8", "-8"]
    amounts = [D(p.findtext("belopp") or "0") for p in root.iter("lonetrans")]
    assert amounts
    assert all(a < 0 for a in amounts)
    assert all((p.findtext("benamning") or "").startswith("Rättelse: ") for p in root.iter("lonetrans"))


def test_swedish_letters_stay_latin1_and_other_characters_become_references() -> None:
    claim = expense_claim(expense("10.00", text='Fika åt Örjan Zhāng 张 😀 <&> "€" \x07'))

    data = document(payroll_transactions(claim, DEFAULT_MAPPING))

    assert "åt Örjan".encode("iso-8859-1") in data
    assert b"&#24352;" in data
    assert b"&#8364;" in data
    assert b"&#128512;" in data
    assert b"&#257;" in data
    (post,) = ET.fromstring(data).iter("lonetrans")
    assert post.findtext("benamning") == 'Utlägg: Fika åt Örjan Zhāng 张 😀 <&> "€" ?'


def test_an_empty_batch_is_a_valid_document_with_only_the_header() -> None:
    root = ET.fromstring(document([]))

    assert root.find("header") is not None
    assert root.find("tidtransaktioner") is None
    assert root.find("lonetransaktioner") is None


def test_the_same_transactions_give_the_same_bytes() -> None:
    assert b"".join(render_paxml(HEADER, month())) == b"".join(render_paxml(HEADER, month()))


def test_a_large_batch_is_streamed_in_chunks_not_one_document() -> None:
    many = sorted(month() * 400, key=lambda t: t.section != t.section.TIME)

    chunks = list(render_paxml(HEADER, many))

    assert len(chunks) > 3
    assert max(len(c) for c in chunks) < 2 * CHUNK_CHARS
    schema().validate(io.BytesIO(b"".join(chunks)))


def test_time_after_pay_is_refused_since_each_section_comes_once() -> None:
    transactions = month()
    with pytest.raises(SectionOrderError):
        list(render_paxml(HEADER, [*transactions, transactions[0]]))
