"""Remembering how an organisation corrects a seller's receipts, as plain values.

When an employee corrects the merchant, category or currency that was read from a
receipt, the organisation's next receipt from the same seller should be filled in
with the corrected values. A seller is recognised by what is printed on the receipt:
its Swedish org.nr (also hidden in an SE VAT id), another EU VAT id, or, weaker, the
merchant name as read, folded.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from ocr.fields.orgnr import normalise as normalise_org_number  # the one org.nr rule (format + Luhn)
from ocr.fields.vatid import normalise_vat_id  # the one VAT id rule (country shape + check digit)
from ocr.text import fold  # the one accent and case folding the reader matches merchants with

KeyKind = Literal["org_number", "vat_id", "name"]
KEY_KINDS: Final[tuple[KeyKind, ...]] = ("org_number", "vat_id", "name")
"""Strongest first: an org.nr or VAT id names one company; a name only probably does."""
LEARNED_FIELDS: Final = ("merchant", "category", "currency")
NAME_MIN_LETTERS = 3
"""A folded name shorter than this ("AB", "OK") says too little to recognise a seller by."""


@dataclass(frozen=True, slots=True)
class SellerKey:
    kind: KeyKind
    value: str


@dataclass(frozen=True, slots=True)
class Remembered:
    """What an organisation last corrected for one seller; None = never corrected."""

    merchant: str | None = None
    category: str | None = None
    currency: str | None = None

    def get(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value


def fold_name(name: str | None) -> str:
    """ "Café Åsa  AB" -> "cafe asa ab": case, accents and punctuation do not tell sellers apart."""
    return " ".join("".join(c if c.isalnum() else " " for c in fold(name or "")).split())


def seller_keys(org_number: str | None, vat_id: str | None, merchant: str | None) -> list[SellerKey]:
    """Every key the receipt's seller can be recognised by, strongest first (possibly none)."""
    keys: list[SellerKey] = []
    org = normalise_org_number(org_number) if org_number else None
    vat = normalise_vat_id(vat_id) if vat_id else None
    if org is None and vat is not None and vat.startswith("SE"):
        org = normalise_org_number(vat)
    if org:
        keys.append(SellerKey("org_number", org))
    if vat is not None and not (vat.startswith("SE") and org):
        keys.append(SellerKey("vat_id", vat))
    name = fold_name(merchant)
    if sum(c.isalpha() for c in name) >= NAME_MIN_LETTERS:
        keys.append(SellerKey("name", name[:200]))
    return keys


def lookup_keys(keys: list[SellerKey]) -> list[SellerKey]:
    """The keys to look a receipt's seller up by: its org.nr or VAT id when it has one, else its name.

    Chains share a name across companies (every "Aimo Park" is not one company), so a
    receipt whose registration number was read is never matched by name alone.
    """
    strong = [key for key in keys if key.kind != "name"]
    return strong or keys


def strongest(found: Mapping[SellerKey, Remembered]) -> tuple[SellerKey, Remembered] | None:
    """The memory found under the strongest kind of key: an org.nr beats a name."""
    for kind in KEY_KINDS:
        for key, remembered in found.items():
            if key.kind == kind:
                return key, remembered
    return None


def corrections(
    read: Mapping[str, str | None],
    before: Mapping[str, str | None],
    after: Mapping[str, str | None],
    remembered: Collection[str],
) -> dict[str, str]:
    """The learned fields this save corrected: changed by the employee, and different from what was read
    (or undoing a value that an earlier correction had filled in). Empty values are not learned."""
    learned: dict[str, str] = {}
    for name in LEARNED_FIELDS:
        value = after.get(name)
        if not value or value == before.get(name):
            continue
        if value != read.get(name) or name in remembered:
            learned[name] = value
    return learned
