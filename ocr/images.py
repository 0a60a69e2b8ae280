"""Safe handling of uploaded receipt images: type sniffing, bounded decoding, clean copies.

Everything here trusts the bytes, never the file name or the client's Content-Type:
the type is read from magic bytes, the pixel count and the memory decoding would take
are checked from the header before any pixel is decoded (decompression bombs: a 173 kB
PNG of 7700x7700 pixels once took the API 680 MB), JPEGs are decoded at reduced size,
PDFs must have exactly one page and no active content, and files that are also ZIP
archives or HTML (polyglots) are refused.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import Final

import pillow_heif
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps

from ocr.errors import (
    EmptyImage,
    ImageTooLarge,
    TooManyPages,
    UnreadableImage,
    UnsafeContent,
    UnsupportedImageType,
)

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
DECODE_MEMORY: Final = 160 * 1024 * 1024
"""Default bound on the memory one upload may take to decode and clean (``read_header``)."""

_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_PIL_FORMATS: Final = {JPEG: ["JPEG"], PNG: ["PNG"], WEBP: ["WEBP"], HEIC: ["HEIF"]}
"""Pillow opens MPO (multi-picture JPEG) through its JPEG opener; naming "MPO" here raised KeyError."""
_PDF_ACTIVE: Final = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE)(?![A-Za-z0-9])"
)
_PDF_NAME_ESCAPE: Final = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM: Final = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
"""Stream bodies are left out of the name scan: compressed bytes hold "/JS" by chance in one PDF of twenty."""
_MARKUP: Final = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)[\s>/]", re.IGNORECASE
)
"""Markup a browser would run if it ever sniffed the file as HTML."""

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


def refuse_polyglots(data: bytes) -> None:
    """Refuse a file that is also a ZIP archive or carries HTML: stored and served, it could be run as either."""
    if zipfile.is_zipfile(io.BytesIO(data)) or _MARKUP.search(data):
        raise UnsafeContent("The file is also an archive or a web page.")


def _refuse_active_pdf(data: bytes, document: pdfium.PdfDocument) -> None:
    """Receipts need no scripts, launch actions, embedded files or forms: refuse PDFs that have them.

    PDFium counts document-level JavaScript; the raw scan (names unescaped, ``/J#61vaScript``)
    catches actions on pages and annotations that are not in compressed object streams.
    """
    if pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0:
        raise UnsafeContent("The PDF contains JavaScript.")
    objects = _PDF_STREAM.sub(b"", data)
    if _PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), objects)):
        raise UnsafeContent("The PDF contains active content (scripts, actions or embedded files).")


@dataclass(frozen=True, slots=True)
class Header:
    """What the header says, read without decoding a pixel: enough to refuse or budget an upload."""

    mime: str
    width: int
    height: int
    reduce: int
    """JPEG decodes at 1/``reduce`` of its size (1, 2, 4 or 8); 1 for everything else."""
    decode_bytes: int
    """Estimated memory to decode and clean the image at that size."""


def _bytes_per_pixel(mode: str) -> int:
    """Pillow's own storage: 1 byte for 1/L/P, 2 for 16-bit grey, 4 for everything else (RGB is RGBX)."""
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


_COST_OVERHEAD: Final = 1024 * 1024


def _cost_per_pixel(mode: str, mime: str, turned: bool) -> int:
    """Bytes per pixel ``clean_copy`` holds at most: decoded pixels, a turned or converted copy, a grey copy."""
    bpp = _bytes_per_pixel(mode)
    cost = bpp
    if turned or mime != JPEG:  # only a JPEG's orientation is known before decoding
        cost += bpp
    if mode in ("1", "P") or mode.startswith("I"):
        cost += 1  # the grey copy for the hash
    if mime in (JPEG, HEIC) and mode not in ("L", "RGB"):
        cost += 4  # JPEG output needs RGB
    if mime == HEIC:
        cost += 4  # libheif's own decoded planes
    if mime == WEBP and mode not in ("RGB", "RGBA"):
        cost += 4
    return cost


def _decode_cost(pixels: int, mode: str, mime: str, turned: bool) -> int:
    return pixels * _cost_per_pixel(mode, mime, turned) + _COST_OVERHEAD


def read_header(
    data: bytes,
    *,
    max_pixels: int = MAX_PIXELS,
    max_bytes: int = MAX_BYTES,
    max_decode_bytes: int = DECODE_MEMORY,
    keep_pixels: int = DECODE_PIXELS,
) -> Header:
    """Check an upload from its header alone; raises the ``ocr.errors`` classes.

    A JPEG is decoded at the smallest half, quarter or eighth that keeps ``keep_pixels``
    (the decoder's own scaling), smaller still if that would need more than
    ``max_decode_bytes``; any other image that would need more is refused (413), as is
    one with more than ``max_pixels``. A PDF is rendered at most that large.
    """
    if not data:
        raise EmptyImage("The file is empty.")
    if len(data) > max_bytes:
        raise ImageTooLarge(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    mime = sniff_type(data)
    refuse_polyglots(data)
    if mime == PDF:
        width, height = _pdf_render_size(data, _pdf_pixels(max_pixels, max_decode_bytes))
        pixels = width * height
        return Header(mime, width, height, 1, _decode_cost(pixels, "RGBA", PDF, turned=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=_PIL_FORMATS[mime]) as image:
                width, height = image.size
                mode = image.mode
                turned = mime == JPEG and image.getexif().get(0x0112, 1) not in (1, None)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge("The image declares more pixels than can be decoded safely.") from exc
        except MemoryError:
            raise
        except Exception as exc:  # a decoder's header parser may raise anything on hostile bytes
            raise UnreadableImage(f"The image could not be read: {exc}") from exc
    if width < 1 or height < 1:
        raise UnreadableImage("The image has no pixels.")
    if width * height > max_pixels:
        raise ImageTooLarge(f"The image has {width}x{height} pixels; at most {max_pixels} are accepted.")
    reduce = 1
    if mime == JPEG:
        while reduce < 8 and (width // (reduce * 2)) * (height // (reduce * 2)) >= keep_pixels:
            reduce *= 2
        while reduce < 8 and _decode_cost(_reduced(width, height, reduce), mode, mime, turned) > max_decode_bytes:
            reduce *= 2
    cost = _decode_cost(_reduced(width, height, reduce), mode, mime, turned)
    if cost > max_decode_bytes:
        raise ImageTooLarge(
            f"Decoding {width}x{height} pixels ({mode}) would take about {cost // 2**20} MB; "
            f"at most {max_decode_bytes // 2**20} MB are allowed."
        )
    return Header(mime, width, height, reduce, cost)


def _reduced(width: int, height: int, reduce: int) -> int:
    return -(-width // reduce) * -(-height // reduce)


def _pdf_pixels(max_pixels: int, max_decode_bytes: int) -> int:
    """A PDF page is rendered with at most this many pixels, so that rendering fits the memory bound."""
    per_pixel = _cost_per_pixel("RGBA", PDF, turned=True)
    return max(1, min(max_pixels, (max_decode_bytes - _COST_OVERHEAD) // per_pixel))


@dataclass(frozen=True, slots=True)
class CleanCopy:
    """The copy of an upload that is kept: no EXIF, GPS, XMP or comments; its size and dHash."""

    data: bytes
    mime: str
    width: int
    height: int
    dhash: str


def clean_copy(data: bytes, header: Header) -> CleanCopy:
    """Decode once, at the size ``read_header`` chose, and re-encode without metadata.

    The EXIF orientation is applied to the pixels, so the copy looks the same. PNG keeps
    its mode (no RGB copy), WebP stays WebP, HEIC (which browsers cannot show) becomes
    JPEG; a PDF is kept as uploaded (``read_header`` refused active content) and rendered
    only for its size and hash. Raises the ``ocr.errors`` classes.
    """
    if header.mime == PDF:
        page = _render_pdf(data, header.width * header.height)
        return CleanCopy(data, PDF, page.width, page.height, dhash(page))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=_PIL_FORMATS[header.mime]) as image:
                if header.reduce > 1:
                    image.draft(image.mode, (-(-header.width // header.reduce), -(-header.height // header.reduce)))
                image.load()
                ImageOps.exif_transpose(image, in_place=True)
                return _encode_clean(image, header.mime)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge("The image declares more pixels than can be decoded safely.") from exc
        except MemoryError:
            raise
        except Exception as exc:  # truncated or corrupt data fails in any of the decoders
            raise UnreadableImage(f"The image could not be decoded: {exc}") from exc


def _encode_clean(image: Image.Image, mime: str) -> CleanCopy:
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    extra: dict[str, object] = {"icc_profile": icc} if isinstance(icc, bytes) else {}
    if mime == PNG:
        transparency = image.info.get("transparency")
        if transparency is not None:
            extra["transparency"] = transparency
        image.save(out, format="PNG", **extra)
    elif mime == WEBP:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, format="WEBP", quality=90, **extra)
        mime = WEBP
    else:
        if image.mode not in ("L", "RGB"):
            image = _to_rgb(image)
        image.save(out, format="JPEG", quality=90, optimize=True, **extra)
        mime = JPEG
    return CleanCopy(out.getvalue(), mime, image.width, image.height, dhash(_hash_source(image)))


def _hash_source(image: Image.Image) -> Image.Image:
    """A small copy for the dHash: box-reduced first, so the grey copy is not full size; transparency
    on white, as ``open_image`` shows it, so a screenshot hashes like its JPEG export."""
    if image.mode not in ("L", "LA", "RGB", "RGBA", "CMYK", "YCbCr", "I", "F"):
        image = image.convert("L")
    factor = max(1, min(image.width // 144, image.height // 128))
    small = image.reduce(factor) if factor > 1 else image
    return _to_rgb(small) if small.mode in ("LA", "RGBA") else small


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
    that still has ``DECODE_PIXELS`` (the decoder's own scaling, nearly free), and
    box-reduce other images after decoding to about that size, so only large scans shrink: a 35-megapixel scan took an OCR worker past 700 MB
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
            pixels: Image.Image = image
            if reduce_large and image.width * image.height > DECODE_PIXELS:
                pixels = _reduce(image, int((image.width * image.height / DECODE_PIXELS) ** 0.5))
            decoded = pixels.size
            upright = ImageOps.exif_transpose(pixels)
            if decoded == (width, height):
                return upright, None
            return upright, ((width, height) if upright.size == decoded else (height, width))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge("The image declares more pixels than can be decoded safely.") from exc
        except (ImageTooLarge, MemoryError):
            raise
        except Exception as exc:  # truncated or corrupt data fails in any of the decoders
            raise UnreadableImage(f"The image could not be decoded: {exc}") from exc


def _one_page(data: bytes) -> pdfium.PdfDocument:
    """The opened PDF, refused unless it has exactly one page (the caller closes it)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableImage(f"The PDF could not be read: {exc}") from exc
    pages = len(document)
    if pages != 1:
        document.close()
        if pages == 0:
            raise UnreadableImage("The PDF has no pages.")
        raise TooManyPages(f"The PDF has {pages} pages; upload one receipt per file.")
    return document


def _pdf_scale(page: pdfium.PdfPage, max_pixels: int) -> float:
    width_pt, height_pt = (float(side) for side in page.get_size())
    scale: float = min(PDF_DPI / 72, PDF_MAX_SIDE / max(width_pt, height_pt, 1.0))
    if width_pt * height_pt * scale * scale > max_pixels:
        scale = (max_pixels / max(width_pt * height_pt, 1.0)) ** 0.5
    return scale


def _pdf_render_size(data: bytes, max_pixels: int) -> tuple[int, int]:
    """The size the page will be rendered at, after the one-page and active-content checks."""
    document = _one_page(data)
    try:
        _refuse_active_pdf(data, document)
        page = document[0]
        width_pt, height_pt = page.get_size()
        scale = _pdf_scale(page, max_pixels)
        return max(1, round(width_pt * scale)), max(1, round(height_pt * scale))
    except pdfium.PdfiumError as exc:
        raise UnreadableImage(f"The PDF page could not be read: {exc}") from exc
    finally:
        document.close()


def _reduce(image: Image.Image, factor: int) -> Image.Image:
    """Box-reduce a decoded image that has no decoder scaling (PNG, WebP, HEIC): a 59-megapixel PNG
    took an OCR reader past its 1 GiB limit in preprocessing, which needs about 8 megapixels."""
    if factor < 2:
        return image
    if image.mode in ("1", "P") or image.mode.startswith("I;16"):
        image = _to_rgb(image)
    return image.reduce(factor)


def _render_pdf(data: bytes, max_pixels: int) -> Image.Image:
    document = _one_page(data)
    try:
        page = document[0]
        bitmap = page.render(scale=_pdf_scale(page, max_pixels), may_draw_forms=True)
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


def dhash(image: Image.Image) -> str:
    """A 64-bit difference hash (dHash) as 16 hex digits, to spot the same receipt uploaded twice.

    9x8 grey thumbnail, one bit per left-right brightness step. Written out rather than taken
    from ``imagehash``: dHash is a dozen lines with Pillow, while that library pulls in SciPy
    and PyWavelets. Compare with ``hamming`` (<= 10 of 64 bits is usually the same picture).
    """
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
    "DECODE_MEMORY",
    "HEIC",
    "JPEG",
    "MAX_PIXELS",
    "PDF",
    "PNG",
    "SUPPORTED_TYPES",
    "WEBP",
    "CleanCopy",
    "Header",
    "LoadedImage",
    "clean_copy",
    "dhash",
    "hamming",
    "open_image",
    "read_header",
    "refuse_polyglots",
    "sniff_type",
]
