"""Safe handling of uploaded receipt images: type sniffing, bounded decoding, clean copies.

Everything here trusts the bytes, never the file name or the client's Content-Type:
the type is read from magic bytes, the pixel count is checked from the header before
any pixel is decoded (decompression bombs), and PDFs must have exactly one page.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Final

import pillow_heif
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from ocr.errors import EmptyImage, ImageTooLarge, TooManyPages, UnreadableImage, UnsupportedImageType

JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
WEBP: Final = "image/webp"
HEIC: Final = "image/heic"
PDF: Final = "application/pdf"
SUPPORTED_TYPES: Final = (JPEG, PNG, WEBP, HEIC, PDF)

MAX_PIXELS: Final = 60_000_000
"""About a 48 MP phone photo or an A4 page at 600 dpi; anything larger is refused unread."""
MAX_BYTES: Final = 40 * 1024 * 1024
DECODE_PIXELS: Final = 8_000_000
"""A JPEG is decoded smaller for OCR while it keeps at least this many pixels (``open_image(reduce_large=True)``)."""
PDF_DPI: Final = 200
"""PDF pages are rendered at this resolution; box coordinates of a PDF are pixels of that rendering."""
PDF_MAX_SIDE: Final = 4000

_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_PIL_FORMATS: Final = {JPEG: ["JPEG", "MPO"], PNG: ["PNG"], WEBP: ["WEBP"], HEIC: ["HEIF"]}

pillow_heif.register_heif_opener()


def sniff_type(data: bytes) -> str:
    """The MIME type of ``data`` from its magic bytes; raises for anything not supported."""
    if not data:
        raise EmptyImage("The file is empty.")
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and _heif_brand(data):
        return HEIC
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-":
        return PDF
    raise UnsupportedImageType("Only JPEG, PNG, WebP, HEIC and single-page PDF receipts are accepted.")


def _heif_brand(data: bytes) -> bool:
    """ISO-BMFF ``ftyp`` box: major brand at 8..12, compatible brands after the minor version."""
    size = int.from_bytes(data[0:4], "big")
    end = min(max(size, 16), len(data), 256)
    brands = [data[8:12]] + [data[i : i + 4] for i in range(16, end - 3, 4)]
    return any(b in _HEIF_BRANDS for b in brands) and data[8:12] not in (b"avif", b"avis")


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded upload: RGB pixels with EXIF orientation applied, and what it came from."""

    image: Image.Image
    mime: str
    original_size: tuple[int, int] | None = None
    """The upload's size (EXIF-oriented) when ``image`` was decoded smaller, else None."""

    @property
    def size(self) -> tuple[int, int]:
        """The upload's size, EXIF-oriented: the space boxes are reported in."""
        return self.original_size or self.image.size

    @property
    def scale(self) -> float:
        """Upload pixels per pixel of ``image`` (1.0 unless decoded smaller)."""
        return self.size[0] / max(1, self.image.size[0])


def open_image(
    data: bytes, *, max_pixels: int = MAX_PIXELS, max_bytes: int = MAX_BYTES, reduce_large: bool = False
) -> LoadedImage:
    """Decode an upload safely: bounded size, one PDF page, EXIF orientation applied, RGB.

    ``reduce_large``: decode a JPEG at the smallest half, quarter or eighth of its size
    that still has ``DECODE_PIXELS`` (the decoder's own scaling, nearly free), so only
    scans over 32 megapixels shrink: a 35-megapixel scan took an OCR worker past 700 MB
    in decoding and preprocessing alone, and preprocessing shrinks it to 22 px text
    anyway. ``size`` and ``scale`` keep the upload's size for the boxes.
    Raises the ``ocr.errors`` classes, never a decoder's own exception.
    """
    if len(data) > max_bytes:
        raise ImageTooLarge(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    mime = sniff_type(data)
    if mime == PDF:
        return LoadedImage(_to_rgb(_render_pdf(data, max_pixels)), mime)
    image, original = _decode_raster(data, mime, max_pixels, reduce_large)
    return LoadedImage(_to_rgb(image), mime, original)


def _decode_raster(
    data: bytes, mime: str, max_pixels: int, reduce_large: bool
) -> tuple[Image.Image, tuple[int, int] | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=_PIL_FORMATS[mime])
            width, height = image.size
            if width * height > max_pixels:
                raise ImageTooLarge(f"The image has {width}x{height} pixels; at most {max_pixels} are accepted.")
            if reduce_large and image.format == "JPEG" and width * height > DECODE_PIXELS:
                factor = (DECODE_PIXELS / (width * height)) ** 0.5
                image.draft(image.mode, (max(1, int(width * factor)), max(1, int(height * factor))))
            image.load()
            decoded = image.size
            upright = ImageOps.exif_transpose(image)
            if decoded == (width, height):
                return upright, None
            return upright, ((width, height) if upright.size == decoded else (height, width))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge("The image declares more pixels than can be decoded safely.") from exc
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
            raise UnreadableImage(f"The image could not be decoded: {exc}") from exc


def _render_pdf(data: bytes, max_pixels: int) -> Image.Image:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableImage(f"The PDF could not be read: {exc}") from exc
    try:
        pages = len(document)
        if pages != 1:
            if pages == 0:
                raise UnreadableImage("The PDF has no pages.")
            raise TooManyPages(f"The PDF has {pages} pages; upload one receipt per file.")
        page = document[0]
        width_pt, height_pt = page.get_size()
        scale = PDF_DPI / 72
        scale = min(scale, PDF_MAX_SIDE / max(width_pt, height_pt, 1.0))
        if width_pt * height_pt * scale * scale > max_pixels:
            scale = (max_pixels / max(width_pt * height_pt, 1.0)) ** 0.5
        bitmap = page.render(scale=scale, may_draw_forms=True)
        image: Image.Image = bitmap.to_pil()
        return image
    except pdfium.PdfiumError as exc:
        raise UnreadableImage(f"The PDF page could not be rendered: {exc}") from exc
    finally:
        document.close()


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB on white: receipts with transparency (screenshots, exports) must not turn black."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def strip_metadata(data: bytes) -> bytes:
    """A re-encoded copy without EXIF (GPS, camera, time), XMP or comments.

    The EXIF orientation is applied to the pixels first, so the copy looks the same.
    JPEG, PNG and WebP keep their type; HEIC (which browsers cannot show) and PDF become
    JPEG. Use ``sniff_type`` on the result for its MIME type.
    """
    loaded = open_image(data)
    out = io.BytesIO()
    icc = loaded.image.info.get("icc_profile")
    extra: dict[str, object] = {"icc_profile": icc} if isinstance(icc, bytes) else {}
    if loaded.mime == PNG:
        loaded.image.save(out, format="PNG", **extra)
    elif loaded.mime == WEBP:
        loaded.image.save(out, format="WEBP", quality=90, **extra)
    else:
        loaded.image.save(out, format="JPEG", quality=90, optimize=True, **extra)
    return out.getvalue()


def perceptual_hash(data: bytes) -> str:
    """A 64-bit difference hash (dHash) as 16 hex digits, to spot the same receipt uploaded twice.

    Written out rather than taken from ``imagehash``: dHash is a dozen lines with Pillow,
    while that library pulls in SciPy and PyWavelets. Orientation is applied first, so a
    photo and its rotated-by-EXIF twin hash alike; compare with ``hamming`` (<= 10 of 64
    bits is usually the same picture).
    """
    return dhash(open_image(data).image)


def dhash(image: Image.Image) -> str:
    """dHash of decoded pixels: 9x8 grey thumbnail, one bit per left-right brightness step."""
    small = image.convert("L").resize((9, 8), Image.Resampling.BOX)
    pixels = small.tobytes()
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (1 if left > right else 0)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex hashes of the same length."""
    if len(a) != len(b):
        raise ValueError("hashes of different lengths")
    return (int(a, 16) ^ int(b, 16)).bit_count()


__all__ = [
    "HEIC",
    "JPEG",
    "MAX_PIXELS",
    "PDF",
    "PNG",
    "SUPPORTED_TYPES",
    "WEBP",
    "LoadedImage",
    "dhash",
    "hamming",
    "open_image",
    "perceptual_hash",
    "sniff_type",
    "strip_metadata",
]
