"""Line items, best effort: rows above the total with a description and a price.

Used for the expense's note and as a cross-check of the total (their sum), never as
the source of truth; rows with total, VAT, payment or discount words are not items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ocr.fields.amounts import find_amounts
from ocr.fields.totals import CASH, CHANGE, FINAL, NEGATIVE, PAYABLE, PAYMENT, TOTAL
from ocr.fields.vat import VAT_WORDS
from ocr.layout import Line
from ocr.model import LineItem
from ocr.text import find_keyword, fold

_STOP = (*FINAL, *PAYABLE, *TOTAL, *NEGATIVE, *PAYMENT, *CASH, *CHANGE, *VAT_WORDS)
_NOT_ITEM = (
    "org nr",
    "orgnr",
    "org.nr",
    "tel",
    "kvitto",
    "kassa",
    "datum",
    "date",
    "time",
    "tid",
    "receipt",
    "invoice",
    "cashier",
    "ankomst",
    "avresa",
    "arrival",
    "departure",
    "table",
    "bord",
)


def find_items(lines: Sequence[Line]) -> list[tuple[LineItem, Line]]:
    """(item, row) pairs from the rows before the first total row."""
    items: list[tuple[LineItem, Line]] = []
    for line in lines:
        folded = fold(line.text)
        amounts = [a for a in find_amounts(line) if a.decimals]
        if find_keyword(folded, _STOP, fuzzy=False) and amounts:
            if find_keyword(folded, (*FINAL, *PAYABLE, *TOTAL), fuzzy=False):
                break
            continue
        if not amounts or find_keyword(folded, _NOT_ITEM, fuzzy=False):
            continue
        last = amounts[-1]
        if last.end < len(line.text.rstrip()) - 3:
            continue
        description = line.text[: amounts[0].start].strip()
        description = re.sub(r"\s+", " ", description).strip(" .:*-")
        if sum(c.isalpha() for c in description) < 2:
            continue
        items.append((LineItem(description, last.value), line))
    return items
