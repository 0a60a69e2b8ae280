"""Which Tesseract models a receipt needs, judged from a first reading with English alone.

Measured on this machine (bench/README.md): the Swedish model's LSTM is 3.7 times the
size of the English one, and with "swe+eng" Tesseract runs it on nearly every row, so a
page costs about twice what "eng" alone costs. English reads everything but the Nordic
letters (it prints "Vaxel" for "Växel", "Hemkop" for "Hemköp"), and the amounts, dates
and keywords of a receipt read as well. So the page is read with English first, and
again with "swe+eng" only when that first reading shows a Nordic receipt: Swedish,
Norwegian, Danish or Finnish words, or crowns. The rows that decide the total and the
date are always re-read with "swe+eng" (``ocr.reread``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ocr.layout import Line
from ocr.text import find_keyword, fold

FAST: Final = "eng"
FULL: Final = "swe+eng"
NORDIC_WORDS: Final = (
    # Swedish (as English reads them: without the dots and rings)
    "moms",
    "momsreg",
    "att betala",
    "kvitto",
    "kvittonr",
    "org nr",
    "org.nr",
    "orgnr",
    "organisationsnummer",
    "totalt",
    "summa",
    "vaxel",
    "kontant",
    "kontokort",
    "bankkort",
    "kortkop",
    "swish",
    "belopp",
    "kassa",
    "kassor",
    "tack for",
    "valkommen",
    "datum",
    "kr",
    "sek",
    # Norwegian and Danish
    "mva",
    "a betale",
    "at betale",
    "kvittering",
    "i alt",
    "cvr",
    "nok",
    "dkk",
    # Finnish
    "alv",
    "yhteensa",
    "kuitti",
)
"""Words of Nordic receipts; two different ones (or one twice) call for the Swedish model."""
MIN_NORDIC_HITS: Final = 2


def nordic_hits(lines: Sequence[Line]) -> int:
    """How many rows hold a word of ``NORDIC_WORDS`` (exact, on folded text)."""
    return sum(find_keyword(fold(line.text), NORDIC_WORDS, fuzzy=False) is not None for line in lines)


def needs_full_model(lines: Sequence[Line]) -> bool:
    """True when a reading with ``FAST`` looks like a Nordic receipt (see the module docstring)."""
    return nordic_hits(lines) >= MIN_NORDIC_HITS
