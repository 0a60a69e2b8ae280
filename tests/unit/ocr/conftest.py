"""Shared helpers for the ocr tests: receipt images rendered with Pillow, the shared data folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.support.receipt_images import RECEIPT_LINES as RECEIPT_LINES  # re-exported for the ocr tests
from tests.support.receipt_images import load_font as load_font
from tests.support.receipt_images import render_receipt

REPO = Path(__file__).resolve().parents[3]
SHARED_RECEIPTS = REPO.parent / "shared" / "receipts"


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
