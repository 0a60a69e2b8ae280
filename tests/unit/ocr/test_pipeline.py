"""End to end: image bytes in, fields out, for rendered receipts and the shared examples."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from ocr.cli import interpret_file_bytes, main
from ocr.errors import UnsupportedImageType
from ocr.pipeline import interpret
from ocr.pool import ReceiptInterpreter
from ocr.preprocess import prepare

from .conftest import encode, shared_receipts

TODAY = date(2026, 11, 23)


def _pdf(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=150)
    return out.getvalue()


def assert_reads_the_rendered_receipt(data: bytes) -> None:
    receipt = interpret(data, today=TODAY)
    assert receipt.total == Decimal("80.00")
    assert receipt.date == date(2026, 10, 21)
    assert receipt.org_number == "556036-0793"
    assert receipt.merchant is not None
    assert "Testbageriet" in receipt.merchant
    assert receipt.currency == "SEK"


@pytest.mark.slow
def test_a_rendered_receipt_is_read_from_png(receipt_image: Image.Image) -> None:
    assert_reads_the_rendered_receipt(encode(receipt_image, "PNG"))


@pytest.mark.slow
def test_a_rendered_receipt_is_read_from_webp(receipt_image: Image.Image) -> None:
    assert_reads_the_rendered_receipt(encode(receipt_image, "WEBP", quality=90))


@pytest.mark.slow
def test_a_rendered_receipt_is_read_from_a_pdf(receipt_image: Image.Image) -> None:
    assert_reads_the_rendered_receipt(_pdf(receipt_image))


@pytest.mark.slow
def test_a_sideways_photo_is_read_through_its_exif_orientation(receipt_image: Image.Image) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned a quarter left; viewers turn it a quarter right
    stored = receipt_image.transpose(Image.Transpose.ROTATE_90)
    data = encode(stored, "JPEG", quality=92, exif=exif.tobytes())
    receipt = interpret(data, today=TODAY)
    assert receipt.total == Decimal("80.00")
    # Boxes are in the upright (EXIF-applied) image: the total sits in its lower half, right side.
    width, height = receipt.image_size
    assert (width, height) == receipt_image.size
    [box] = receipt.boxes["total"]
    assert box.top > height / 2
    assert box.left > width / 2


@pytest.mark.slow
def test_an_upside_down_image_is_read_and_boxes_stay_in_the_uploaded_image(receipt_image: Image.Image) -> None:
    data = encode(receipt_image.transpose(Image.Transpose.ROTATE_180), "PNG")
    receipt = interpret(data, today=TODAY)
    assert receipt.total == Decimal("80.00")
    width, height = receipt.image_size
    [box] = receipt.boxes["total"]
    assert box.bottom < height / 2  # the total row is now in the upper half, on the left
    assert box.right < width / 2


@pytest.mark.slow
def test_a_sideways_scan_without_exif_is_turned_upright(receipt_image: Image.Image) -> None:
    data = encode(receipt_image.transpose(Image.Transpose.ROTATE_270), "PNG")
    receipt = interpret(data, today=TODAY)
    assert receipt.total == Decimal("80.00")


def test_bad_files_become_error_objects_not_crashes() -> None:
    result = interpret_file_bytes("notes.txt", b"just some text", TODAY)
    assert result["error"]["code"] == "unsupported_image_type"
    assert set(result) == {"file", "error", "seconds"}
    assert interpret_file_bytes("empty.jpg", b"", TODAY)["error"]["code"] == "empty_image"
    corrupt = encode(Image.new("RGB", (300, 300), "white"), "JPEG")[:200]
    assert interpret_file_bytes("broken.jpg", corrupt, TODAY)["error"]["code"] == "unreadable_image"


def test_interpret_raises_the_specific_error_for_non_images() -> None:
    with pytest.raises(UnsupportedImageType):
        interpret(b"%!PS-Adobe-3.0 not a receipt", today=TODAY)


@pytest.mark.slow
def test_the_cli_prints_one_json_line_per_file_and_survives_bad_ones(
    tmp_path: pytest.TempPathFactory, receipt_image: Image.Image, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "receipt.png"  # type: ignore[operator]
    good.write_bytes(encode(receipt_image, "PNG"))
    bad = tmp_path / "bad.txt"  # type: ignore[operator]
    bad.write_text("not an image")
    code = main(["interpret", str(good), str(bad), "--jsonl", "--workers", "1", "--today", "2026-11-23"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 1
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["total"] == "80.00"
    assert first["vat"] == [{"rate": "12", "amount": "8.57", "net": "71.43", "gross": "80.00"}]
    assert list(first)[:13] == [
        "file",
        "merchant",
        "org_number",
        "date",
        "time",
        "total",
        "currency",
        "vat",
        "items",
        "category",
        "confidence",
        "boxes",
        "box_space",
    ]
    assert second["error"]["code"] == "unsupported_image_type"


@pytest.mark.slow
async def test_the_pool_reads_receipts_off_the_event_loop(receipt_image: Image.Image) -> None:
    async with ReceiptInterpreter(workers=1) as interpreter:
        receipt = await interpreter.interpret(encode(receipt_image, "PNG"), today=TODAY)
    assert receipt.total == Decimal("80.00")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["synthetic-sv/sv-dev-000", "synthetic-sv/sv-dev-031", "sroie-dev/sroie-005"])
def test_shared_example_receipts_are_read(name: str) -> None:
    folder = shared_receipts()
    label = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    receipt = interpret((folder / f"{name}.jpg").read_bytes(), today=TODAY)
    assert receipt.total == Decimal(label["total"])
    assert receipt.date is not None
    assert receipt.date.isoformat() == label["date"]
    if "org_number" in label:
        assert receipt.org_number == label["org_number"]
    if "vat" in label:
        assert {(r.rate, r.amount) for r in receipt.vat} == {
            (Decimal(v["rate"]), Decimal(v["amount"])) for v in label["vat"]
        }


def _with_barcode(receipt: Image.Image) -> Image.Image:
    """The receipt with a tall barcode under it, on a page with white margins (a scan)."""
    width, height = receipt.size
    page = Image.new("RGB", (width + 200, height + 420), "white")
    page.paste(receipt, (100, 60))
    draw = ImageDraw.Draw(page)
    x, bar = 130, 0
    while x < width + 40:
        thickness = 2 + (bar * 7) % 5
        draw.rectangle((x, height + 120, x + thickness, height + 300), fill="black")
        x += thickness + 3 + (bar * 3) % 4
        bar += 1
    return page


def test_a_barcode_does_not_turn_an_upright_receipt_sideways(receipt_image: Image.Image) -> None:
    page = _with_barcode(receipt_image)
    upright = prepare(page).image
    assert upright.shape[0] > upright.shape[1]  # still taller than wide: not turned
    turned = prepare(page.transpose(Image.Transpose.ROTATE_90)).image
    assert turned.shape[0] > turned.shape[1]  # the sideways scan is turned upright
    receipt = interpret(encode(page, "PNG"), today=TODAY)
    assert receipt.total == Decimal("80.00")
