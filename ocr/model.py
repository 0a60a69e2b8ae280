"""What a receipt says, as plain frozen values (amounts as Decimal, never float).

``Receipt`` crosses the process-pool boundary, so it holds only picklable values.
Its ``boxes`` are pixel rectangles in the uploaded image after its EXIF orientation
was applied (the image as a browser shows it); for a PDF, in the page rendered at
``ocr.images.PDF_DPI`` dots per inch. ``image_size`` is that image's width and height.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal

from ocr.geometry import Box

Category = Literal[
    "meal", "taxi", "hotel", "fuel", "parking", "train_flight", "representation", "wellness", "office_supplies", "other"
]
CATEGORIES: Final[tuple[Category, ...]] = (
    "meal",
    "taxi",
    "hotel",
    "fuel",
    "parking",
    "train_flight",
    "representation",
    "wellness",
    "office_supplies",
    "other",
)
FIELDS: Final = (
    "merchant",
    "org_number",
    "vat_id",
    "date",
    "time",
    "total",
    "currency",
    "vat",
    "items",
    "category",
)
CERTAIN: Final = 0.8
"""A field read with at least this confidence is shown as read; below it the form asks to check it.

The same threshold as the PWA's ``UNCERTAIN_BELOW``; calibrated on the development sets so
that a field at or above it is right at least 98 % of the time (bench/ocr_eval.py reports it).
"""
KEY_FIELDS: Final = ("merchant", "date", "total", "currency")
"""The fields the expense form needs from a receipt; the ones ``to_check`` names."""
CurrencySource = Literal["printed", "inferred"]
BOX_SPACE: Final = "original_exif_oriented"
"""Name of the coordinate system of ``Receipt.boxes`` (see the module docstring)."""


def decimal_str(value: Decimal) -> str:
    """A plain decimal string ("268.17", "25"), never exponent notation."""
    return format(value, "f")


@dataclass(frozen=True, slots=True)
class VatRow:
    """One VAT rate's row; ``amount`` is the VAT itself, ``gross`` = ``net`` + ``amount``."""

    rate: Decimal
    amount: Decimal | None
    net: Decimal | None
    gross: Decimal | None

    def to_json_dict(self) -> dict[str, str | None]:
        return {
            "rate": decimal_str(self.rate),
            "amount": None if self.amount is None else decimal_str(self.amount),
            "net": None if self.net is None else decimal_str(self.net),
            "gross": None if self.gross is None else decimal_str(self.gross),
        }


@dataclass(frozen=True, slots=True)
class LineItem:
    description: str
    amount: Decimal

    def to_json_dict(self) -> dict[str, str]:
        return {"description": self.description, "amount": decimal_str(self.amount)}


@dataclass(frozen=True, slots=True)
class Receipt:
    """The fields read from one receipt; a field not found is None (or empty)."""

    merchant: str | None = None
    org_number: str | None = None
    """Swedish organisation number "NNNNNN-NNNN", Luhn-checked."""
    date: date | None = None
    time: str | None = None
    """"HH:MM", 24-hour clock."""
    total: Decimal | None = None
    currency: str | None = None
    """ISO 4217 code."""
    currency_source: CurrencySource | None = None
    """"printed" (a code or symbol on the receipt) or "inferred" (from the country or language): never certain."""
    vat_id: str | None = None
    """EU VAT id or Norwegian org.nr with its country prefix, checked where the country has a check digit
    ("LV40003032065", "SE556139986501", "NO923609016MVA")."""
    vat: tuple[VatRow, ...] = ()
    items: tuple[LineItem, ...] = ()
    category: Category = "other"
    confidence: Mapping[str, float] = field(default_factory=dict)
    """Per field name in ``FIELDS``: 0..1; 0 for a field not found."""
    boxes: Mapping[str, tuple[Box, ...]] = field(default_factory=dict)
    """Per field name: the word boxes it was read from (see the module docstring)."""
    image_size: tuple[int, int] = (0, 0)
    text: str = ""
    """The OCR text, one printed row per line (for search and support, not for display)."""

    @property
    def readable(self) -> bool:
        """False when neither a total, a date nor a merchant was found: "could not read this receipt"."""
        return self.total is not None or self.date is not None or self.merchant is not None

    @property
    def to_check(self) -> tuple[str, ...]:
        """The key fields the user should check: missing or below ``CERTAIN``."""
        return tuple(name for name in KEY_FIELDS if self.confidence.get(name, 0.0) < CERTAIN)

    def to_json_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        """JSON-ready: amounts as decimal strings, date ISO, missing fields as null."""
        out: dict[str, Any] = {
            "merchant": self.merchant,
            "org_number": self.org_number,
            "date": None if self.date is None else self.date.isoformat(),
            "time": self.time,
            "total": None if self.total is None else decimal_str(self.total),
            "currency": self.currency,
            "vat": [row.to_json_dict() for row in self.vat],
            "items": [item.to_json_dict() for item in self.items],
            "category": self.category,
            "confidence": {name: round(self.confidence.get(name, 0.0), 3) for name in FIELDS},
            "boxes": {name: [b.to_json_dict() for b in boxes] for name, boxes in self.boxes.items()},
            "box_space": BOX_SPACE,
            "image_size": {"width": self.image_size[0], "height": self.image_size[1]},
            "vat_id": self.vat_id,
            "currency_source": self.currency_source,
            "readable": self.readable,
            "to_check": list(self.to_check),
        }
        if include_text:
            out["text"] = self.text
        return out
