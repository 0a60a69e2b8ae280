"""Shared helpers for the ocr tests: receipt images rendered with Pillow, the shared data folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[3]
SHARED_RECEIPTS = REPO.parent / "shared" / "receipts"

RECEIPT_LINES = [
    "Kafe Testbageriet AB",
    "Storgatan 12",
    "111 22 Stockholm",
    "Org.nr 556036-0793",
    "",
    "2026-10-21 16:20",
    "",
    "Kaffe                 45,00",
    "Kanelbulle            35,00",
    "",
    "ATT BETALA            80,00",
    "",
    "Moms%  Moms   Netto  Brutto",
    "12     8,57   71,43  80,00",
    "",
    "Kort                  80,00",
]


def load_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSansMono.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def render_receipt(lines: list[str] = RECEIPT_LINES, *, size: int = 26) -> Image.Image:
    """A clean, upright receipt on white paper (RGB)."""
    font = load_font(size)
    width, height = 40 + size * 17, 60 + len(lines) * int(size * 1.5)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        draw.text((20, 30 + i * int(size * 1.5)), text, fill="black", font=font)
    return image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


@pytest.fixture(scope="session")
def receipt_image() -> Image.Image:
    return render_receipt()


def shared_receipts() -> Path:
    if not SHARED_RECEIPTS.is_dir():
        pytest.skip(f"shared receipt images not found at {SHARED_RECEIPTS} (../shared/receipts from the repo root)")
    return SHARED_RECEIPTS
