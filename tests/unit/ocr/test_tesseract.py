"""The Tesseract wrapper: TSV parsing, and the command-line fallback when tesserocr is missing."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr import tesseract
from ocr.geometry import Box

from .conftest import load_font

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t500\t300\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t10\t20\t80\t18\t96.5\tATT\n"
    "5\t1\t1\t1\t1\t2\t95\t20\t90\t18\t91.0\tBETALA\n"
    "5\t1\t1\t1\t1\t3\t300\t20\t70\t18\t-1\t \n"
)


def test_tsv_rows_become_words_with_boxes_and_confidences() -> None:
    words = tesseract.parse_tsv(TSV)
    assert [w.text for w in words] == ["ATT", "BETALA"]
    assert words[0].box == Box(10, 20, 80, 18)
    assert words[0].confidence == pytest.approx(0.965)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="the tesseract program is not installed")
def test_without_tesserocr_the_tesseract_program_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tesseract, "_tesserocr_engine", lambda languages: None)
    image = Image.new("L", (420, 70), 255)
    font = load_font(28)
    ImageDraw.Draw(image).text((10, 15), "TOTALT 268,17", fill=0, font=font)
    words = tesseract.read_words(np.asarray(image), psm=7)
    assert " ".join(w.text for w in words) == "TOTALT 268,17"
