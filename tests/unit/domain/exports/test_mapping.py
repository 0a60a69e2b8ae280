"""The organisation's code mapping: standard code -> löneart, read from and written to TOML."""

from __future__ import annotations

import pytest

from backend.domain.exports import codes
from backend.domain.exports.mapping import (
    DEFAULT_MAPPING,
    CodeMapping,
    InvalidPayType,
    MappingFileError,
    UnknownStandardCode,
    UnmappedCode,
    parse_mapping,
    serialise_mapping,
)


def test_the_default_mapping_has_a_pay_type_for_every_code_the_export_can_write() -> None:
    assert set(DEFAULT_MAPPING.pay_types) == set(codes.ALL_CODES)
    assert DEFAULT_MAPPING.pay_type("ÖT1") == "310"


def test_a_code_without_pay_type_is_named_in_the_error_in_both_languages() -> None:
    mapping = CodeMapping({"ARB": "100"})
    with pytest.raises(UnmappedCode) as raised:
        mapping.pay_type("UTLÄGG")
    assert raised.value.field == "lonearter.UTLÄGG"
    assert "UTLÄGG" in raised.value.message.en
    assert "UTLÄGG" in raised.value.message.sv


@pytest.mark.parametrize("pay_type", ["", "x" * 21, "10\n0", "\t100", " 100", 100])
def test_a_pay_type_is_1_to_20_printable_characters(pay_type: object) -> None:
    with pytest.raises(InvalidPayType) as raised:
        CodeMapping({"ARB": pay_type})  # type: ignore[dict-item]
    assert raised.value.field == "lonearter.ARB"


def test_a_pay_type_may_be_letters_and_twenty_characters() -> None:
    assert CodeMapping({"ARB": "Tim-lön 1", "SEM": "x" * 20}).pay_type("SEM") == "x" * 20


def test_an_unknown_code_in_the_file_is_refused_rather_than_ignored() -> None:
    with pytest.raises(UnknownStandardCode) as raised:
        parse_mapping('[lonearter]\nARB = "100"\nÖVERTID = "3"\n'.replace("ÖVERTID", '"ÖVERTID"'))
    assert raised.value.field == "lonearter.ÖVERTID"


def test_a_mapping_file_round_trips_and_is_written_the_same_way_every_time() -> None:
    text = serialise_mapping(DEFAULT_MAPPING)
    assert parse_mapping(text) == DEFAULT_MAPPING
    assert serialise_mapping(parse_mapping(text)) == text
    assert text.startswith("[lonearter]\n")
    assert '"ÖT1" = "310"' in text


def test_quotes_and_backslashes_in_a_pay_type_survive_the_file() -> None:
    mapping = CodeMapping({"ARB": 'A"1\\2'})
    assert parse_mapping(serialise_mapping(mapping)) == mapping


@pytest.mark.parametrize("text", ["[lonearter\nARB = 1", 'ARB = "100"\n', "[lonearter]\nARB = 100\n"])
def test_a_broken_file_is_a_clear_error(text: str) -> None:
    with pytest.raises((MappingFileError, InvalidPayType)) as raised:
        parse_mapping(text)
    assert raised.value.message.sv
    assert raised.value.field
