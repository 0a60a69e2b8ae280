"""Uploaded files (receipts, case attachments) checked and made ready to store, the same way for every area.

The type comes from the content, the decoded size and memory from the header before any pixel
is decoded; the copy kept has no EXIF or GPS. Decoding runs off the event loop and within the
process's decode budget (``backend.core.memory``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from backend.core.i18n import Text
from backend.core.memory import process_budget
from backend.core.problems import FieldError, Problem, invalid
from ocr import errors as image_errors
from ocr import images


@dataclass(frozen=True)
class StoredImage:
    sha256: str
    content_type: str
    size: int
    width: int
    height: int
    perceptual_hash: str


def image_problem(exc: image_errors.ReceiptImageError) -> Problem:
    """Upload refusals with a status that says what to do."""
    if isinstance(exc, image_errors.UnsupportedImageType):
        return Problem(
            415,
            "unsupported_image_type",
            Text(sv="Filtypen stöds inte", en="Unsupported file type"),
            Text(
                sv="Ladda upp JPEG, PNG, WebP, HEIC eller en PDF med en sida.",
                en="Upload JPEG, PNG, WebP, HEIC or a one-page PDF.",
            ),
        )
    if isinstance(exc, image_errors.ImageTooLarge):
        return Problem(
            413,
            "image_too_large",
            Text(sv="Bilden är för stor", en="Image too large"),
            Text(
                sv="Bilden har för många bildpunkter. Ta en ny bild.",
                en="The image has too many pixels. Take a new photo.",
            ),
        )
    if isinstance(exc, image_errors.UnsafeContent):
        return invalid(
            [
                FieldError(
                    "file",
                    exc.code,
                    Text(
                        sv="Filen innehåller skript, inbäddade filer eller annat än en bild och tas inte emot",
                        en="The file contains scripts, embedded files or more than an image and is not accepted",
                    ),
                )
            ]
        )
    if isinstance(exc, image_errors.TooManyPages):
        return invalid(
            [
                FieldError(
                    "file", "too_many_pages", Text(sv="PDF:en får bara ha en sida", en="The PDF may have one page only")
                )
            ]
        )
    return invalid(
        [
            FieldError(
                "file",
                exc.code,
                Text(sv="Filen är tom eller trasig och kan inte läsas", en="The file is empty or broken"),
            )
        ]
    )


def _clean(data: bytes, header: images.Header) -> tuple[bytes, StoredImage]:
    copy = images.clean_copy(data, header)
    return copy.data, StoredImage(
        sha256="",
        content_type=copy.mime,
        size=len(copy.data),
        width=copy.width,
        height=copy.height,
        perceptual_hash=copy.dhash,
    )


async def prepare_upload(
    data: bytes, max_bytes: int, decode_bytes: int = images.DECODE_MEMORY
) -> tuple[bytes, StoredImage]:
    """``prepare_image`` off the event loop, refused from the header alone when it would need more than
    ``decode_bytes``, and waiting its turn so concurrent uploads decode within ``decode_bytes`` together."""
    header = await asyncio.to_thread(images.read_header, data, max_bytes=max_bytes, max_decode_bytes=decode_bytes)
    async with process_budget(decode_bytes).reserve(header.decode_bytes):
        return await asyncio.to_thread(_clean, data, header)
