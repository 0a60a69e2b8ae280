"""Uploads are judged from their header before decoding, and decoded no larger than needed."""

from __future__ import annotations

import pytest

from ocr.errors import ImageTooLarge, UnreadableImage, UnsafeContent
from ocr.images import DECODE_MEMORY, clean_copy, open_image, read_header, refuse_polyglots
from tests.support import hostile_files as hostile
from tests.support.images import receipt_image

pytestmark = pytest.mark.clockless


def test_an_image_whose_decoding_would_need_too_much_memory_is_refused_from_its_header() -> None:
    with pytest.raises(ImageTooLarge, match="would take about"):
        read_header(hostile.one_colour_png(7700, 7700))


def test_the_same_size_in_grey_fits_and_its_cost_is_known_before_decoding() -> None:
    header = read_header(hostile.one_colour_png(7700, 7700, colour_type=0))

    assert (header.width, header.height, header.reduce) == (7700, 7700, 1)
    assert 7700 * 7700 < header.decode_bytes <= DECODE_MEMORY


def test_a_huge_jpeg_is_decoded_at_half_size_for_the_copy_that_is_kept() -> None:
    data = hostile.large_jpeg(7700, 7700)

    header = read_header(data)
    copy = clean_copy(data, header)

    assert header.reduce == 2
    assert (copy.width, copy.height) == (3850, 3850)


def test_a_tighter_memory_bound_decodes_a_jpeg_smaller_instead_of_refusing_it() -> None:
    header = read_header(hostile.large_jpeg(7700, 7700), max_decode_bytes=4 * 1024 * 1024)

    assert header.reduce == 8
    assert header.decode_bytes <= 4 * 1024 * 1024


@pytest.mark.parametrize("data", [hostile.corrupt_jpeg(), hostile.truncated_jpeg()], ids=["corrupt", "truncated"])
def test_a_broken_jpeg_is_unreadable_never_a_decoder_error(data: bytes) -> None:
    with pytest.raises(UnreadableImage):
        clean_copy(data, read_header(data))
    with pytest.raises(UnreadableImage):
        open_image(data)


def test_a_reader_decodes_a_large_png_at_a_fraction_of_its_size_and_keeps_its_coordinates() -> None:
    loaded = open_image(hostile.one_colour_png(7700, 7700, colour_type=0), reduce_large=True)

    assert loaded.image.size == (3850, 3850)
    assert loaded.size == (7700, 7700)
    assert loaded.scale == 2


@pytest.mark.parametrize(
    "data",
    [hostile.pdf_that_is_also_a_zip(), hostile.pdf_that_is_also_html(), hostile.png_with_a_script_appended()],
    ids=["pdf-zip", "pdf-html", "png-script"],
)
def test_a_file_that_is_also_an_archive_or_a_web_page_is_refused(data: bytes) -> None:
    with pytest.raises(UnsafeContent):
        refuse_polyglots(data)


def test_an_ordinary_receipt_is_no_polyglot() -> None:
    refuse_polyglots(receipt_image())
    refuse_polyglots(receipt_image(fmt="PNG"))


@pytest.mark.parametrize(
    "data", [hostile.pdf_with_javascript(), hostile.pdf_with_escaped_javascript_name()], ids=["plain", "escaped"]
)
def test_a_pdf_with_a_script_is_refused(data: bytes) -> None:
    with pytest.raises(UnsafeContent):
        read_header(data)


def test_a_plain_pdf_page_is_rendered_for_its_size_and_hash_and_kept_as_uploaded() -> None:
    data = hostile.one_page_pdf()

    copy = clean_copy(data, read_header(data))

    assert copy.data == data
    assert (copy.width, copy.height) == (628, 1667)


def test_bytes_inside_a_pdf_stream_that_spell_a_script_name_are_no_script() -> None:
    content = b"4 0 obj\n<< /Length 12 >>\nstream\n\x8f/JS\x00/Launch\nendstream\nendobj\n"
    data = hostile.one_page_pdf(content)

    assert read_header(data).mime == "application/pdf"
