"""The second engine (PP-OCRv4) and how its digits are merged into Tesseract's words."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from ocr import neural
from ocr.engines import Region, correct_digits, join_numbers, merge
from ocr.extract import extract_fields
from ocr.geometry import Box
from ocr.images import open_image
from ocr.layout import make_line
from ocr.neural import Detection, Reading
from ocr.pipeline import Engines, interpret, read_lines
from ocr.preprocess import prepare
from ocr.tesseract import Word

from .conftest import REPO, load_font, shared_receipts

TODAY = date(2026, 11, 23)


def _word(text: str, left: int, confidence: float = 0.9, top: int = 0) -> Word:
    return Word(text, Box(left, top, 10 * len(text), 20), confidence, 1, 1)


def _region(words: list[Word], text: str, confidence: float = 0.99) -> Region:
    left = min(w.box.left for w in words) if words else 0
    right = max(w.box.right for w in words) if words else 100
    top = min(w.box.top for w in words) if words else 100
    corners = np.array([[left, top], [right, top], [right, top + 20], [left, top + 20]], dtype=np.float64)
    return Region(Detection(corners), tuple(words), Reading(text, confidence))


def test_a_misread_digit_inside_an_amount_is_taken_from_pp_ocr() -> None:
    words = [_word("TOTAL", 0), _word("1O.5O", 60)]
    fixed = correct_digits(words, "TOTAL10.50")
    assert [w.text for w in fixed] == ["TOTAL", "10.50"]
    assert fixed[1].box == words[1].box


def test_a_sure_ampersand_between_words_is_not_turned_into_an_eight() -> None:
    words = [_word("STATIONERY", 0, 0.95), _word("&", 110, 0.95), _word("BOOKS", 130, 0.95)]
    assert [w.text for w in correct_digits(words, "STATIONERY8BOOKS")] == ["STATIONERY", "&", "BOOKS"]


def test_letters_stay_tesseracts_where_pp_ocr_runs_words_together() -> None:
    words = [_word("Hemköp", 0), _word("Sergel", 70)]
    assert [w.text for w in correct_digits(words, "HemkopSergel")] == ["Hemköp", "Sergel"]


def test_an_amount_tesseract_split_at_its_separator_is_joined() -> None:
    words = [_word("RM", 0), _word("73,", 30), _word("00", 70)]
    joined = join_numbers(correct_digits(words, "RM73.00"), "RM73.00")
    assert [w.text for w in joined] == ["RM", "73.00"]


def test_a_date_tesseract_split_after_a_separator_is_joined() -> None:
    words = [_word("95", 0, 0.5), _word("02-18", 30)]
    fixed = join_numbers(correct_digits(words, "05-02-18"), "05-02-18")
    assert [w.text for w in fixed] == ["05-02-18"]


def test_a_date_and_a_time_pp_ocr_ran_together_stay_two_words() -> None:
    words = [_word("20/12/2017", 0), _word("07:10:51", 120)]
    assert [w.text for w in join_numbers(words, "20/12/201707:10:51")] == ["20/12/2017", "07:10:51"]


def test_a_row_only_pp_ocr_read_is_added_in_its_place() -> None:
    top = make_line(0, [_word("Kvitto", 0, top=0)])
    bottom = make_line(1, [_word("Tack", 0, top=200)])
    corners = np.array([[0, 100], [130, 100], [130, 120], [0, 120]], dtype=np.float64)
    missed = Region(Detection(corners), (), Reading("Totalt 268,17", 0.99))
    lines = merge([top, bottom], [missed])
    assert [line.text for line in lines] == ["Kvitto", "Totalt 268,17", "Tack"]


def test_an_unsure_reading_changes_nothing() -> None:
    line = make_line(0, [_word("TOTAL", 0), _word("14.15", 60)])
    region = _region(list(line.words), "TOTAL14.10", confidence=0.5)
    assert [item.text for item in merge([line], [region])] == ["TOTAL 14.15"]


@pytest.mark.slow
def test_pp_ocr_finds_and_reads_a_printed_amount() -> None:
    image = Image.new("L", (520, 90), 255)
    ImageDraw.Draw(image).text((20, 25), "TOTALT 268,17", fill=0, font=load_font(34))
    pixels = np.asarray(image)
    engine = neural.engine()
    regions = engine.detect(pixels)
    readings = engine.recognise(pixels, regions)
    assert len(regions) == 1
    assert "268,17" in readings[0].text
    assert readings[0].confidence > 0.9


def test_the_api_process_does_not_load_onnxruntime() -> None:
    code = "import sys, ocr, ocr.pool; print('onnxruntime' in sys.modules, 'rapidocr_onnxruntime' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def _fields(data: bytes, engines: Engines) -> tuple[Decimal | None, date | None]:
    prepared = prepare(open_image(data).image)
    lines, _ = read_lines(prepared, TODAY, engines=engines)
    receipt = extract_fields(lines, today=TODAY)
    return receipt.total, receipt.date


def _label(path: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((shared_receipts() / path).with_suffix(".json").read_text(encoding="utf-8"))
    return data


@pytest.mark.slow
def test_a_total_tesseract_misreads_on_a_real_scan_is_read_right_combined() -> None:
    data = (shared_receipts() / "sroie-dev" / "sroie-020.jpg").read_bytes()
    want = Decimal(_label("sroie-dev/sroie-020.jpg")["total"])
    assert _fields(data, "tesseract")[0] != want  # 64.60 for 54.50
    assert _fields(data, "combined")[0] == want
    assert interpret(data, today=TODAY).total == want


@pytest.mark.slow
def test_a_date_tesseract_misreads_on_a_real_scan_is_read_right_combined() -> None:
    data = (shared_receipts() / "sroie-dev" / "sroie-130.jpg").read_bytes()
    want = date.fromisoformat(_label("sroie-dev/sroie-130.jpg")["date"])
    assert _fields(data, "tesseract")[1] != want  # 2018-02-08 for 2018-02-05
    assert _fields(data, "combined")[1] == want


def _photographed(path: str, angle: float, shade: float, contrast: float, blur: float) -> bytes:
    """A receipt of synthetic-sv photographed worse: tilted, shadowed from one side, low contrast, blurred."""
    image = Image.open(shared_receipts() / path).convert("L")
    image = image.rotate(angle, expand=True, fillcolor=90, resample=Image.Resampling.BICUBIC)
    grey = np.asarray(image).astype(np.float64)
    height, width = grey.shape
    light = np.linspace(1.0, shade, width)[None, :] * np.linspace(1.0, 0.85, height)[:, None]
    pixels = (128 + (grey - 128) * contrast) * light
    worse = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    worse.convert("RGB").save(out, "JPEG", quality=35)
    return out.getvalue()


@pytest.mark.slow
def test_the_total_of_a_tilted_shadowed_low_contrast_photo_is_read_right_combined() -> None:
    data = _photographed("synthetic-sv/sv-dev-047.jpg", 5, 0.3, 0.45, 1.8)
    want = Decimal(_label("synthetic-sv/sv-dev-047.jpg")["total"])
    assert _fields(data, "tesseract")[0] != want
    assert _fields(data, "combined")[0] == want


@pytest.mark.slow
def test_the_date_of_a_tilted_shadowed_low_contrast_photo_is_read_right_combined() -> None:
    data = _photographed("synthetic-sv/sv-dev-033.jpg", -9, 0.35, 0.5, 1.5)
    want = date.fromisoformat(_label("synthetic-sv/sv-dev-033.jpg")["date"])
    assert _fields(data, "tesseract")[1] != want
    assert _fields(data, "combined")[1] == want


def test_a_very_large_jpeg_is_decoded_smaller_for_ocr_and_keeps_its_size() -> None:
    big = Image.new("L", (8000, 4500), "white")
    out = io.BytesIO()
    big.save(out, "JPEG", quality=80)
    loaded = open_image(out.getvalue(), reduce_large=True)
    assert loaded.image.size == (4000, 2250)
    assert loaded.size == (8000, 4500)
    assert loaded.scale == 2.0
