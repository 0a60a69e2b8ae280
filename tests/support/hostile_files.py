"""Hostile uploads made in the test: decompression bombs, corrupt and polyglot files, active PDFs.

Built from bytes with zlib and struct so that no test needs gigabytes to make its input.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

from PIL import Image

from tests.support.images import receipt_image


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


@functools.cache
def one_colour_png(width: int, height: int, *, colour_type: int = 2, bit_depth: int = 8) -> bytes:
    """A real, fully decodable PNG of one colour (all zero bytes), compressed row by row.

    7700 x 7700 RGB is about 170 kB on disk and 237 MB decoded; 20000 x 20000 at one bit
    is about 50 kB and 400 million pixels.
    """
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row = b"\x00" * (1 + (width * channels * bit_depth + 7) // 8)
    packer = zlib.compressobj(9)
    rows_at_once = max(1, (1 << 22) // len(row))
    parts = []
    for start in range(0, height, rows_at_once):
        parts.append(packer.compress(row * min(rows_at_once, height - start)))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


@functools.cache
def large_jpeg(width: int, height: int) -> bytes:
    """A plain white JPEG of the given size (a scan at a silly resolution): under 1 MB, many pixels."""
    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, format="JPEG", quality=50)
    return out.getvalue()


def corrupt_jpeg() -> bytes:
    """JPEG magic followed by nothing a JPEG decoder understands (this once raised KeyError 'MPO')."""
    return b"\xff\xd8\xff" + b"\x00" * 200


def truncated_jpeg() -> bytes:
    data = receipt_image()
    return data[: len(data) // 2]


def jpeg_with_broken_multi_picture_data() -> bytes:
    """A JPEG whose MPF segment (multi-picture index, as in phone photos) points outside the file."""
    entries = (
        struct.pack(">HHI4s", 0xB000, 7, 4, b"0100")
        + struct.pack(">HHII", 0xB001, 4, 1, 2)
        + struct.pack(">HHII", 0xB002, 7, 32, 50)
    )
    index = struct.pack(">H", 3) + entries + b"\0\0\0\0"
    pictures = struct.pack(">IIIHH", 0x20030000, 999_999, 0, 0, 0) + struct.pack(">IIIHH", 0, 99_999_999, 88_888, 0, 0)
    payload = b"MPF\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + index + pictures
    data = receipt_image(seed_text="mpo")
    return data[:2] + b"\xff\xe2" + (len(payload) + 2).to_bytes(2, "big") + payload + data[2:]


def one_page_pdf(extra_objects: bytes = b"", catalog_extra: bytes = b"", after_header: bytes = b"") -> bytes:
    """A minimal hand-written one-page PDF; ``catalog_extra`` goes into the document catalog."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 600] >>",
    ]
    body = b"%PDF-1.7\n" + after_header
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    body += extra_objects
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def pdf_with_javascript() -> bytes:
    """A receipt-shaped PDF that runs a script when opened (document-level JavaScript and an open action)."""
    script = b"4 0 obj\n<< /S /JavaScript /JS (app.alert\\('hej'\\)) >>\nendobj\n"
    return one_page_pdf(script, b"/OpenAction 4 0 R /Names << /JavaScript << /Names [(a) 4 0 R] >> >>")


def pdf_with_escaped_javascript_name() -> bytes:
    """The same action with its names written with #-escapes, which PDF readers decode."""
    script = b"4 0 obj\n<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>\nendobj\n"
    return one_page_pdf(script, b"/OpenAction 4 0 R")


def pdf_that_is_also_a_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    return one_page_pdf() + archive.getvalue()


def pdf_that_is_also_html() -> bytes:
    return one_page_pdf(after_header=b"%<html><body><script>alert(document.cookie)</script></body></html>\n")


def png_with_a_script_appended() -> bytes:
    return receipt_image(fmt="PNG", seed_text="script") + b"<script>alert(document.cookie)</script>"
