"""Receipt interpretation: image bytes in, fields out. A pure package (no web, no database).

The backend uses:

- ``ReceiptInterpreter`` (``ocr.pool``): a process pool; ``await interpreter.interpret(data)``;
- ``interpret`` (``ocr.pipeline``): the same, synchronously, for workers and scripts;
- ``ocr.images``: ``read_header`` and ``clean_copy`` (uploads), ``sniff_type``, ``open_image``, ``dhash``, ``hamming``;
- ``ocr.errors``: the exception classes, each with a stable ``code``;
- ``Receipt`` (``ocr.model``): the result, with ``to_json_dict()``.
"""

from ocr.errors import (
    EmptyImage,
    ImageTooLarge,
    OcrUnavailable,
    ReceiptImageError,
    TooManyPages,
    UnreadableImage,
    UnsupportedImageType,
)
from ocr.model import CATEGORIES, Category, LineItem, Receipt, VatRow
from ocr.pipeline import interpret
from ocr.pool import ReceiptInterpreter

__all__ = [
    "CATEGORIES",
    "Category",
    "EmptyImage",
    "ImageTooLarge",
    "LineItem",
    "OcrUnavailable",
    "Receipt",
    "ReceiptImageError",
    "ReceiptInterpreter",
    "TooManyPages",
    "UnreadableImage",
    "UnsupportedImageType",
    "VatRow",
    "interpret",
]
