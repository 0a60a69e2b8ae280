"""Which seller a receipt is from, and which saved values are corrections worth remembering."""

from __future__ import annotations

from backend.domain.sellers import (
    Remembered,
    SellerKey,
    corrections,
    fold_name,
    lookup_keys,
    seller_keys,
    strongest,
)


def test_a_seller_is_known_by_org_number_vat_id_and_folded_name_strongest_first() -> None:
    keys = seller_keys("5566778899", "LV40003032065", "  Café Åsa, AB ")

    assert keys == [
        SellerKey("org_number", "556677-8899"),
        SellerKey("vat_id", "LV40003032065"),
        SellerKey("name", "cafe asa ab"),
    ]


def test_a_swedish_vat_id_is_the_org_number_once() -> None:
    assert seller_keys(None, "SE 556677-8899 01", None) == [SellerKey("org_number", "556677-8899")]


def test_an_org_number_failing_luhn_and_a_too_short_name_are_no_keys() -> None:
    assert seller_keys("556677-8898", "not a vat id", "AB") == []


def test_case_accents_and_punctuation_do_not_tell_names_apart() -> None:
    assert fold_name("ICA  Nära — Älvsjö") == fold_name("ica nara alvsjo")


def test_a_receipt_with_a_registration_number_is_never_matched_by_name_alone() -> None:
    chain_store = seller_keys("556207-5472", None, "Aimo Park")
    unregistered = seller_keys(None, None, "Aimo Park")

    assert lookup_keys(chain_store) == [SellerKey("org_number", "556207-5472")]
    assert lookup_keys(unregistered) == [SellerKey("name", "aimo park")]


def test_the_strongest_key_with_a_memory_wins() -> None:
    by_name = Remembered(merchant="Named")
    by_org = Remembered(merchant="Registered")

    found = strongest({SellerKey("name", "x y z"): by_name, SellerKey("org_number", "556677-8899"): by_org})

    assert found == (SellerKey("org_number", "556677-8899"), by_org)
    assert strongest({}) is None


def test_a_changed_value_different_from_what_was_read_is_a_correction() -> None:
    read = {"merchant": "Storgatan 5", "category": "other", "currency": None}
    before = {"merchant": "Storgatan 5", "category": "other", "currency": "SEK"}
    after = {"merchant": "SIA Rimi Latvia", "category": "meal", "currency": "EUR"}

    assert corrections(read, before, after, []) == {
        "merchant": "SIA Rimi Latvia",
        "category": "meal",
        "currency": "EUR",
    }


def test_unchanged_or_emptied_fields_are_not_learned() -> None:
    read = {"merchant": "Rimi", "category": "meal", "currency": "EUR"}
    before = {"merchant": "Rimi", "category": "meal", "currency": "EUR"}

    assert corrections(read, before, {"merchant": "Rimi", "category": None, "currency": "EUR"}, []) == {}


def test_changing_a_field_back_to_what_was_read_corrects_only_a_remembered_value() -> None:
    read = {"merchant": "Rimi", "category": "other", "currency": "SEK"}
    before = {"merchant": "Rimi", "category": "meal", "currency": "EUR"}
    after = {"merchant": "Rimi", "category": "other", "currency": "SEK"}

    assert corrections(read, before, after, ["currency"]) == {"currency": "SEK"}
