"""Upload safety: type by content, bounded decoding, one-page PDFs, clean copies, hashes."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from ocr.errors import EmptyImage, ImageTooLarge, TooManyPages, UnreadableImage, UnsupportedImageType
from ocr.images import (
    HEIC,
    JPEG,
    PDF,
    PNG,
    WEBP,
    clean_copy,
    hamming,
    open_image,
    read_header,
    sniff_type,
)

from .conftest import encode


def _pdf(pages: int) -> bytes:
    images = [Image.new("RGB", (200, 300), "white") for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("JPEG", JPEG), ("PNG", PNG), ("WEBP", WEBP)],
)
def test_the_type_comes_from_the_content(fmt: str, mime: str) -> None:
    assert sniff_type(encode(Image.new("RGB", (8, 8)), fmt)) == mime


def test_heic_and_pdf_are_recognised_by_their_magic_bytes() -> None:
    heic_header = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert sniff_type(heic_header + b"\x00" * 16) == HEIC
    assert sniff_type(_pdf(1)) == PDF


def test_an_iphone_heic_photo_opens_upright() -> None:
    """A phone held upright stores the turn (EXIF 6: 90° clockwise) with the photo; it is applied once, not twice."""
    photo = Image.new("RGB", (64, 48), "white")
    exif = photo.getexif()
    exif[0x0112] = 6
    data = encode(photo, "HEIF", exif=exif.tobytes())
    assert sniff_type(data) == HEIC
    assert open_image(data).image.size == (48, 64)


@pytest.mark.parametrize("data", [b"hello, this is text\n", b"GIF89a\x01\x00\x01\x00", b"<svg></svg>"])
def test_anything_else_is_an_unsupported_type(data: bytes) -> None:
    with pytest.raises(UnsupportedImageType) as error:
        sniff_type(data)
    assert error.value.code == "unsupported_image_type"


def test_empty_bytes_are_an_empty_image() -> None:
    with pytest.raises(EmptyImage) as error:
        open_image(b"")
    assert error.value.code == "empty_image"


def test_a_corrupt_jpeg_is_unreadable() -> None:
    data = encode(Image.new("RGB", (400, 400), "white"), "JPEG")
    with pytest.raises(UnreadableImage) as error:
        open_image(data[: len(data) // 3])
    assert error.value.code == "unreadable_image"


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge) as error:
        open_image(_bomb_png(100_000, 100_000))
    assert error.value.code == "image_too_large"


def test_a_pdf_with_several_pages_is_refused() -> None:
    with pytest.raises(TooManyPages) as error:
        open_image(_pdf(3))
    assert error.value.code == "too_many_pages"


def test_a_one_page_pdf_is_rendered() -> None:
    loaded = open_image(_pdf(1))
    assert loaded.mime == PDF
    assert loaded.image.mode == "RGB"
    assert loaded.image.width > 200


def test_exif_orientation_is_applied_when_opening() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 clockwise to display
    data = encode(Image.new("RGB", (40, 20)), "JPEG", exif=exif.tobytes())
    assert open_image(data).image.size == (20, 40)


def test_the_clean_copy_has_no_exif_or_gps_and_keeps_the_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 0.0)}
    data = encode(Image.new("RGB", (40, 20), "white"), "JPEG", exif=exif.tobytes())
    clean = clean_copy(data, read_header(data)).data
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (20, 40)
        assert not image.getexif()
        assert "exif" not in image.info
    assert sniff_type(clean) == JPEG


def perceptual_hash(data: bytes) -> str:
    return clean_copy(data, read_header(data)).dhash


def test_the_perceptual_hash_is_64_bits_and_stable_under_reencoding() -> None:
    image = Image.linear_gradient("L").rotate(90).convert("RGB").resize((300, 400))
    a = perceptual_hash(encode(image, "PNG"))
    b = perceptual_hash(encode(image, "JPEG", quality=70))
    other = perceptual_hash(encode(image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), "PNG"))
    assert len(a) == 16
    assert hamming(a, b) <= 4
    assert hamming(a, other) > 20
