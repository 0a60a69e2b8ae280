"""VAT rows: rate with VAT amount, net and gross, whichever the receipt prints.

Columns are told apart by arithmetic, not by position: in a row with rate r, the VAT
amount is net * r / 100 and gross is net + VAT. That works for the Swedish table
("Moms%  Moms  Netto  Brutto" / "12  14,94  124,54  139,48"), for "Moms 25%  53,60",
for German "A 19%  16,81  3,19  20,00" and for "GST @6%  0.46" alike. What is
missing is computed from what is there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import permutations

from ocr.fields.amounts import Amount, find_amounts
from ocr.geometry import Box
from ocr.layout import Line
from ocr.model import VatRow
from ocr.text import find_keyword, fold

VAT_WORDS = (
    "moms",
    "vat",
    "mva",
    "mwst",
    "mw st",
    "ust",
    "gst",
    "sst",
    "tax",
    "alv",
    "btw",
    "iva",
    "tva",
    "taxe",
    "skatt",
    "cukai",
    "varav moms",
    "momssats",
    "tax amt",
    "dph",
    "afa",
    "pvm",
)
NET_WORDS = (
    "netto",
    "net",
    "exkl",
    "excl",
    "excluding",
    "exklusive",
    "underlag",
    "taxable",
    "tax amt",
    "basis",
    "bas",
    "grundlag",
    "beskattningsunderlag",
    "netto belopp",
    "ohne",
    "ht",
    "before tax",
)
GROSS_WORDS = ("brutto", "inkl", "incl", "including", "inklusive", "gross", "ttc", "med moms", "summa", "belopp")
RATE_HEADER_WORDS = (
    "moms%",
    "moms %",
    "%",
    "sats",
    "rate",
    "momssats",
    "vat%",
    "vat %",
    "mva%",
    "satz",
    "taux",
    "tax code",
    "kod",
)
STOP_WORDS = (
    "att betala",
    "totalt",
    "total",
    "summa att betala",
    "kort",
    "visa",
    "mastercard",
    "kontant",
    "cash",
    "change",
    "vaxel",
    "bankkort",
    "swish",
)
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_BARE_RATE = re.compile(r"^\D{0,4}?(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)(?![\d.,]*\d)(?!\s?[.,]\d)(?=\s)")
_CENT = Decimal("0.01")
MAX_RATE = Decimal(30)


@dataclass(frozen=True, slots=True)
class VatFinding:
    row: VatRow
    line: Line
    boxes: tuple[Box, ...]
    confidence: float
    consistent: bool
    """True when at least two printed amounts agree with the rate."""


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(Decimal("0.03"), abs(b) * Decimal("0.004"))


def _rate_value(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None
    if not Decimal(0) < value <= MAX_RATE:
        return None
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


def complete_row(
    rate: Decimal, *, amount: Decimal | None = None, net: Decimal | None = None, gross: Decimal | None = None
) -> VatRow:
    """The row with whichever of VAT amount, net and gross is missing computed from the others."""
    hundred = Decimal(100)
    if amount is None:
        if net is not None and gross is not None:
            amount = gross - net
        elif net is not None:
            amount = _cents(net * rate / hundred)
        elif gross is not None:
            amount = _cents(gross * rate / (hundred + rate))
    if net is None and amount is not None:
        net = gross - amount if gross is not None else _cents(amount * hundred / rate)
    if gross is None and net is not None and amount is not None:
        gross = net + amount
    return VatRow(rate=rate, amount=amount, net=net, gross=gross)


def classify(rate: Decimal, values: Sequence[Decimal]) -> tuple[Decimal | None, Decimal | None, Decimal | None, int]:
    """(VAT amount, net, gross, number of printed values that agree) for the values of one row."""
    hundred = Decimal(100)
    distinct = [v for v in values if v > 0]
    for a, n, g in permutations(distinct, 3):
        if _close(n + a, g) and _close(_cents(n * rate / hundred), a):
            return a, n, g, 3
    # Of the readings that fit, the closest: "6.00  4.60  0.28" is net 4.60 (6 % is 0.276),
    # although 0.28 is also within tolerance of the VAT in a gross of 4.60 (0.260).
    fits: list[tuple[Decimal, tuple[Decimal | None, Decimal | None, Decimal | None, int]]] = []
    for x, y in permutations(distinct, 2):
        if x >= y:
            continue
        for expected, actual, reading in (
            (y * rate / (hundred + rate), x, (x, None, y, 2)),
            (y * rate / hundred, x, (x, y, None, 2)),
            (x * (hundred + rate) / hundred, y, (None, x, y, 2)),
        ):
            if _close(_cents(expected), actual):
                fits.append((abs(expected - actual), reading))
    if fits:
        return min(fits, key=lambda fit: fit[0])[1]
    return None, None, None, 0


def find_vat_rows(lines: Sequence[Line]) -> list[VatFinding]:
    """VAT rows of the receipt, at most one per rate, rows without VAT (0 %) left out."""
    findings: list[VatFinding] = []
    in_table = False
    table_rows_left = 0
    for line in lines:
        folded = fold(line.text)
        amounts = find_amounts(line)
        vat_word = find_keyword(folded, VAT_WORDS, fuzzy=False)
        if vat_word is not None and not amounts:
            if _is_table_header(folded):
                in_table = True
                table_rows_left = 6
            continue
        if not amounts:
            continue
        if find_keyword(folded, STOP_WORDS, fuzzy=False) and vat_word is None:
            table_rows_left = 0
            in_table = False
            continue
        rate, rate_span = _rate_in(line, folded, bare=in_table and table_rows_left > 0)
        if in_table:
            table_rows_left -= 1
        if rate is None or (vat_word is None and not (in_table and table_rows_left >= 0)):
            continue
        values = [a for a in amounts if rate_span is None or not (rate_span[0] <= a.start < rate_span[1])]
        finding = _row_from(line, folded, rate, values, rate_span)
        if finding is not None and (vat_word is not None or finding.consistent):
            findings.append(finding)
    return _best_per_rate(findings)


def _is_table_header(folded: str) -> bool:
    words = (*NET_WORDS, *GROSS_WORDS, "amount", "amt", "belopp", "moms")
    return "%" in folded or len([w for w in words if find_keyword(folded, (w,), fuzzy=False)]) >= 2


def _rate_in(line: Line, folded: str, *, bare: bool) -> tuple[Decimal | None, tuple[int, int] | None]:
    for m in _PERCENT.finditer(line.text):
        rate = _rate_value(m.group(1))
        if rate is not None:
            return rate, (m.start(), m.end())
        if m.group(1).replace(",", ".").strip("0.") == "":
            return Decimal(0), (m.start(), m.end())
    if bare:
        start = _BARE_RATE.match(line.text)
        if start:
            rate = _rate_value(start.group(1))
            if rate is not None:
                return rate, (start.start(1), start.end(1))
    return None, None


def _row_from(
    line: Line, folded: str, rate: Decimal, amounts: Sequence[Amount], rate_span: tuple[int, int] | None
) -> VatFinding | None:
    if rate == 0:
        return None
    values = [a.value for a in amounts if a.decimals]
    amount, net, gross, agree = classify(rate, values)
    if agree == 0:
        if len(values) != 1:
            values = values[-1:]
            if not values:
                return None
        value = values[0]
        if value <= 0:
            return None
        if find_keyword(folded, NET_WORDS, fuzzy=False) and not find_keyword(
            folded, ("moms", "vat", "mva", "gst"), fuzzy=False
        ):
            net = value
        elif find_keyword(folded, GROSS_WORDS, fuzzy=False):
            gross = value
        else:
            amount = value
    row = complete_row(rate, amount=amount, net=net, gross=gross)
    if row.amount is None or row.amount <= 0:
        return None
    used = [a for a in amounts if a.value in (row.amount, row.net, row.gross)]
    boxes = [b for a in used for b in line.boxes_in(a.start, a.end)]
    if rate_span is not None:
        boxes += line.boxes_in(*rate_span)
    ocr = min([line.confidence_in(a.start, a.end) for a in used] or [line.confidence])
    confidence = ocr * (0.95 if agree >= 3 else 0.85 if agree == 2 else 0.55)
    return VatFinding(row, line, tuple(boxes), round(confidence, 3), agree >= 2)


def _best_per_rate(findings: list[VatFinding]) -> list[VatFinding]:
    best: dict[Decimal, VatFinding] = {}
    for finding in findings:
        current = best.get(finding.row.rate)
        if current is None or (finding.consistent, finding.confidence) > (current.consistent, current.confidence):
            best[finding.row.rate] = finding
    return sorted(best.values(), key=lambda f: f.line.index)
