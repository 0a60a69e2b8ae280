"""From printed rows to a ``Receipt``: each field found, then checked against the others.

Cross-checks: the VAT rows' gross sum and the card/payment row against the total (to
pick between total candidates and to lower confidence when they disagree), the
currency before dates (US receipts write month first).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ocr.fields.amounts import find_amounts
from ocr.fields.category import suggest_category
from ocr.fields.currency import detect_currency
from ocr.fields.dates import DateMatch, TimeMatch, find_dates, find_times
from ocr.fields.items import find_items
from ocr.fields.merchant import find_merchant
from ocr.fields.orgnr import find_org_numbers
from ocr.fields.totals import find_total
from ocr.fields.vat import VatFinding, find_vat_rows
from ocr.fields.vatid import find_vat_id
from ocr.geometry import Box
from ocr.layout import Line
from ocr.model import Receipt
from ocr.text import find_keyword, fold

DATE_WORDS = (
    "datum",
    "date",
    "dato",
    "tarikh",
    "tgl",
    "fecha",
    "data",
    "datum/tid",
    "date/time",
    "kvittodatum",
    "transaktionsdatum",
    "purchase date",
    "kopdatum",
    "issued",
    "utfardat",
    "datums",
    "kuupaev",
    "paivays",
    "paivamaara",
    "data sprzedazy",
    "data wystawienia",
    "belegdatum",
)
NOT_PURCHASE_DATE = (
    "ankomst",
    "avresa",
    "arrival",
    "departure",
    "check in",
    "check-in",
    "check out",
    "check-out",
    "incheckning",
    "utcheckning",
    "giltig",
    "valid",
    "expiry",
    "exp",
    "utgang",
    "utgangsdatum",
    "bast fore",
    "best before",
    "period",
    "due",
    "forfallo",
    "forfallodatum",
    "from",
    "fran",
    "till",
    "until",
    "birth",
    "fodd",
    "arrive",
    "depart",
    "in:",
    "out:",
)


def extract_fields(lines: Sequence[Line], *, today: date) -> Receipt:
    """Every field of the receipt from its rows; boxes in the rows' coordinates."""
    confidence: dict[str, float] = {}
    boxes: dict[str, tuple[Box, ...]] = {}

    vat_id = find_vat_id(lines)
    if vat_id is not None:
        ocr = vat_id.line.confidence_in(vat_id.start, vat_id.end)
        confidence["vat_id"] = round((0.97 if vat_id.checked else 0.6) * (0.6 + 0.4 * ocr), 3)
        boxes["vat_id"] = vat_id.boxes

    org = next(iter(sorted((m for line in lines for m in find_org_numbers(line)), key=lambda m: not m.keyword)), None)
    # A Luhn-checked Swedish org.nr after its keyword tells the country as a VAT id does.
    seller_country = vat_id.country if vat_id else "SE" if org is not None and org.keyword else None
    currency = detect_currency(lines, vat_country=seller_country)
    if currency is not None:
        confidence["currency"] = currency.confidence
        boxes["currency"] = currency.boxes

    merchant = find_merchant(lines)
    if merchant is not None:
        confidence["merchant"] = merchant.confidence
        boxes["merchant"] = merchant.boxes

    if org is not None:
        confidence["org_number"] = round((0.95 if org.keyword else 0.7) * org.line.confidence_in(org.start, org.end), 3)
        boxes["org_number"] = tuple(org.line.boxes_in(org.start, org.end))

    month_first = currency is not None and currency.code == "USD"
    chosen_date, date_confidence = _pick_date(lines, today, month_first)
    clock = _pick_time(lines, chosen_date)
    if chosen_date is not None:
        confidence["date"] = date_confidence
        boxes["date"] = tuple(chosen_date.line.boxes_in(chosen_date.start, chosen_date.end))
    if clock is not None:
        confidence["time"] = round(0.9 * clock.line.confidence_in(clock.start, clock.end), 3)
        boxes["time"] = tuple(clock.line.boxes_in(clock.start, clock.end))

    vat = find_vat_rows(lines)
    grosses = [f.row.gross for f in vat]
    vat_gross = sum((g for g in grosses if g is not None), Decimal(0)) if vat and None not in grosses else None
    if any(_gross_is_read_alone(f) for f in vat):
        vat_gross = None  # "Total incl. GST @ 6 %  186.00" is the total itself, not a check of it
    items = find_items(lines)
    items_sum = sum((item.amount for item, _ in items), Decimal(0)) if items else None
    total = find_total(lines, vat_gross=vat_gross, items_sum=items_sum)
    if total is not None:
        confidence["total"] = total.confidence
        boxes["total"] = total.boxes
    if vat:
        agrees = total is not None and vat_gross is not None and abs(vat_gross - total.value) <= Decimal("0.05")
        factor = 1.0 if agrees else 0.75
        confidence["vat"] = round(min(f.confidence for f in vat) * factor, 3)
        boxes["vat"] = tuple(b for f in vat for b in f.boxes)
    if items:
        agrees = total is not None and items_sum == total.value
        confidence["items"] = round((0.8 if agrees else 0.45) * min(line.confidence for _, line in items), 3)
        boxes["items"] = tuple(w.box for _, line in items for w in line.words)

    category = suggest_category(merchant.name if merchant else None, [line.text for line in lines])
    confidence["category"] = category.confidence

    return Receipt(
        merchant=merchant.name if merchant else None,
        org_number=org.value if org else None,
        date=chosen_date.value if chosen_date else None,
        time=clock.value if clock else None,
        total=total.value if total else None,
        currency=currency.code if currency else None,
        currency_source=None if currency is None else "printed" if currency.printed else "inferred",
        vat_id=vat_id.value if vat_id else None,
        vat=tuple(f.row for f in vat),
        items=tuple(item for item, _ in items),
        category=category.category,
        confidence=confidence,
        boxes=boxes,
        text="\n".join(line.text for line in lines),
    )


def _gross_is_read_alone(finding: VatFinding) -> bool:
    """A VAT row whose only reading is its gross: the rest was computed from it."""
    return not finding.consistent and finding.row.gross in {a.value for a in find_amounts(finding.line)}


def _pick_date(lines: Sequence[Line], today: date, month_first: bool) -> tuple[DateMatch | None, float]:
    scored: list[tuple[float, int, DateMatch]] = []
    for line in lines:
        folded = fold(line.text)
        keyword = find_keyword(folded, DATE_WORDS, fuzzy=False) is not None
        for match in find_dates(line, today=today, month_first=month_first, compact=keyword):
            score = 1.0
            if keyword:
                score += 1.5
            if find_times(line):
                score += 1.0
            if match.four_digit_year or match.named_month:
                score += 0.5
            if match.ambiguous:
                score -= 0.3
            if match.repaired:
                score -= 1.2
            if match.against_order:
                score -= 1.0
            if find_keyword(folded[: match.start], NOT_PURCHASE_DATE, fuzzy=False):
                score -= 2.5
            score -= 0.02 * line.index
            scored.append((score, -line.index, match))
    if not scored:
        return None, 0.0
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    score, _, best = scored[0]
    others = {m.value for _, _, m in scored[1:]}
    agreement = 1.0 if not others or others == {best.value} else 0.85
    ocr = best.line.confidence_in(best.start, best.end)
    confidence = min(1.0, 0.55 + 0.12 * score) * agreement * (0.5 + 0.5 * ocr)
    return best, round(confidence, 3)


def _pick_time(lines: Sequence[Line], chosen: DateMatch | None) -> TimeMatch | None:
    if chosen is not None:
        same = find_times(chosen.line)
        if same:
            return same[0]
        nearby = [t for line in lines if abs(line.index - chosen.line.index) <= 2 for t in find_times(line)]
        if nearby:
            return nearby[0]
    for line in lines:
        times = find_times(line)
        if times:
            return times[0]
    return None
