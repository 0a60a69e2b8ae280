"""Errors the upload endpoint can turn into problem details.

Each class has a stable ``code`` (snake_case, like the backend's problem codes) so the
API and the PWA can react to the kind of failure without parsing messages.
"""

from __future__ import annotations


class ReceiptImageError(Exception):
    """Base class: the uploaded file cannot be interpreted as a receipt image."""

    code = "receipt_image_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedImageType(ReceiptImageError):
    """The content is none of JPEG, PNG, WebP, HEIC/HEIF or PDF (judged by magic bytes)."""

    code = "unsupported_image_type"


class EmptyImage(ReceiptImageError):
    """Zero bytes were uploaded."""

    code = "empty_image"


class ImageTooLarge(ReceiptImageError):
    """Too many pixels (a decompression bomb) or too many bytes."""

    code = "image_too_large"


class UnreadableImage(ReceiptImageError):
    """The type is supported but the decoder failed (truncated or corrupt file)."""

    code = "unreadable_image"


class TooManyPages(ReceiptImageError):
    """A PDF with more than one page: one receipt per upload."""

    code = "too_many_pages"


class UnsafeContent(ReceiptImageError):
    """A PDF with scripts, actions or embedded files, or a file that is also a ZIP archive or HTML."""

    code = "unsafe_content"


class OcrUnavailable(ReceiptImageError):
    """Tesseract is missing or failed; a server problem, not the user's."""

    code = "ocr_unavailable"


__all__ = [
    "EmptyImage",
    "ImageTooLarge",
    "OcrUnavailable",
    "ReceiptImageError",
    "TooManyPages",
    "UnreadableImage",
    "UnsafeContent",
    "UnsupportedImageType",
]
