"""The amount paid, chosen among candidates by weighing evidence.

A receipt prints the total several times ("ATT BETALA 268,17", "VISA 268,17") and
other sums that look like it (subtotal, VAT, cash tendered, change). Every amount next
to a total or payment keyword (Swedish, English, Malay, German, Nordic, Dutch, French,
Finnish) gets points by the keyword's strength; repeats, a bigger font and agreement
with the VAT rows' gross sum, the items' sum or cash minus change add points. The
confidence falls when the runner-up is close or the cross-checks disagree.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ocr.fields.amounts import Amount, find_amounts
from ocr.geometry import Box
from ocr.layout import Line
from ocr.text import KeywordHit, find_keyword, fold

FINAL = (
    "att betala",
    "summa att betala",
    "totalt att betala",
    "belopp att betala",
    "att betala totalt",
    "amount due",
    "balance due",
    "total due",
    "total payable",
    "amount payable",
    "total amt payable",
    "grand total",
    "rounded total",
    "total rounded",
    "total amt rounded",
    "net total",
    "nett total",
    "zu zahlen",
    "zahlbetrag",
    "endbetrag",
    "a payer",
    "net a payer",
    "a pagar",
    "total a pagar",
    "a betale",
    "at betale",
    "te betalen",
    "maksettava",
    "jumlah bayaran",
    "jumlah besar",
    "jumlah keseluruhan",
    "total to pay",
    "to pay",
    "amount to pay",
    "total after adj",
    "total after rounding",
)
"""Words for the final amount: stronger than a plain "total" (which may be before rounding)."""
PAYABLE = (
    "total amount",
    "total amt",
    "total inclusive",
    "total incl",
    "total sales inclusive",
    "total sales incl",
    "total sales inc",
    "gesamtbetrag",
    "jumlah bersih",
    "i alt",
    "yhteensa",
    "totalsumma",
    "slutsumma",
    "total sek",
    "totalt sek",
    "summa sek",
    "total eur",
    "total rm",
    "total nok",
    "total dkk",
    "totalbelopp",
    "payable",
    "total bill",
    "summa kr",
    "totalt kr",
)
TOTAL = (
    "totalt",
    "total",
    "summa",
    "summe",
    "gesamt",
    "totaal",
    "totale",
    "sum",
    "jumlah",
    "importe",
    "tot",
    "totalsum",
    "belopp",
    "amount",
)
PAYMENT = (
    "kort",
    "kortbetalning",
    "kortkop",
    "bankkort",
    "kontokort",
    "kreditkort",
    "debitkort",
    "visa",
    "mastercard",
    "master card",
    "master",
    "maestro",
    "amex",
    "american express",
    "debit",
    "credit",
    "credit card",
    "card",
    "swish",
    "betalt",
    "paid",
    "payment",
    "betalning",
    "erhallet",
    "contactless",
    "kontaktlos",
    "girocard",
    "ec-karte",
    "ec karte",
    "dankort",
    "vipps",
    "mobilepay",
    "apple pay",
    "google pay",
    "nets",
    "bankaxept",
    "debit card",
    "visa debit",
    "elec",
    "electron",
    "diners",
    "jcb",
    "unionpay",
    "touch n go",
    "ewallet",
)
CASH = ("kontant", "kontanter", "cash", "tunai", "bar", "contant", "efectivo", "especes", "tendered", "tender")
CHANGE = (
    "change",
    "vaxel",
    "vaxel tillbaka",
    "tillbaka",
    "baki",
    "kembali",
    "wechselgeld",
    "ruckgeld",
    "byttepenge",
    "vekslepenger",
    "rendu",
    "cambio",
)
NEGATIVE = (
    "subtotal",
    "sub total",
    "sub-total",
    "delsumma",
    "mellansumma",
    "zwischensumme",
    "excl",
    "exkl",
    "excluding",
    "exclusive",
    "exclusive of",
    "ohne",
    "netto",
    "total qty",
    "total quantity",
    "total items",
    "total item",
    "no. of items",
    "no of items",
    "qty",
    "antal",
    "items",
    "artiklar",
    "total discount",
    "rabatt",
    "discount",
    "savings",
    "you saved",
    "du sparade",
    "besparing",
    "rounding",
    "avrundning",
    "oresavrundning",
    "adjustment",
    "tip",
    "dricks",
    "service charge",
    "points",
    "poang",
    "bonus",
    "deposit",
    "total tax",
    "tax amt",
    "gst amt",
    "total gst",
    "total vat",
    "moms",
    "vat",
    "mva",
    "mwst",
    "gst",
    "tax",
    "sst",
    "saldo",
    "balance",
    "units",
    "supplies",
    "before discount",
    "total sales excl",
    "excl gst",
)
_VAT_NEGATIVE = frozenset({"moms", "vat", "mva", "mwst", "gst", "tax", "sst"})


@dataclass(frozen=True, slots=True)
class TotalGuess:
    value: Decimal
    confidence: float
    boxes: tuple[Box, ...]
    payment_agrees: bool


@dataclass
class _Evidence:
    keyword_lines: int = 0
    payment_lines: int = 0
    occurrences: int = 0
    best: Amount | None = None
    best_weight: float = -1.0
    kinds: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TotalCandidate:
    """One amount that could be the total, with its points (for the choice and for tests)."""

    value: Decimal
    score: float
    amount: Amount
    kinds: tuple[str, ...]
    payment_lines: int


def _line_keyword(folded: str) -> tuple[str, KeywordHit] | None:
    """The kind of the row's label: final, payable, total, payment, cash, change, negative.

    "Total Sales (Inclusive of GST)" is payable although it names the tax, but a fuzzy
    match never stands next to a negative word ("Total Sales (Excluding GST)" is only
    a few letters away from "inclusive"), and "balance" inside "balance due" is no
    negative.
    """
    for kind, words in (("final", FINAL), ("payable", PAYABLE)):
        hit = find_keyword(folded, words)
        if hit is None:
            continue
        outside = folded[: hit.start] + " " * (hit.end - hit.start) + folded[hit.end :]
        negative = find_keyword(outside, NEGATIVE, fuzzy=False)
        if negative is None or (hit.score == 1.0 and negative.keyword in _VAT_NEGATIVE):
            return kind, hit
    negative = find_keyword(folded, NEGATIVE, fuzzy=False)
    if negative is not None:
        return "negative", negative
    plain: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("change", CHANGE),
        ("total", TOTAL),
        ("payment", PAYMENT),
        ("cash", CASH),
    )
    for name, keywords in plain:
        found = find_keyword(folded, keywords, fuzzy=name == "total")
        if found is not None:
            return name, found
    return None


_WEIGHTS = {"final": 6.0, "payable": 5.0, "total": 3.0, "payment": 2.0, "cash": 0.5, "change": 0.0, "negative": 0.0}
_NEAR = Decimal("0.05")


def rank_totals(
    lines: Sequence[Line], *, vat_gross: Decimal | None = None, items_sum: Decimal | None = None
) -> list[TotalCandidate]:
    """Amounts next to total or payment words, best first."""
    all_amounts = {line.index: [a for a in find_amounts(line) if a.value > 0] for line in lines}
    heights = [line.height for line in lines if all_amounts[line.index]]
    median_height = statistics.median(heights) if heights else 1.0
    evidence: dict[Decimal, _Evidence] = defaultdict(_Evidence)
    cash: list[Decimal] = []
    change: list[Decimal] = []
    parts: list[Decimal] = []

    for i, line in enumerate(lines):
        for amount in all_amounts[line.index]:
            evidence[amount.value].occurrences += 1
        found = _line_keyword(fold(line.text))
        if found is None:
            continue
        kind, hit = found
        amounts = [a for a in all_amounts[line.index] if a.start >= hit.end]
        if not amounts and i + 1 < len(lines) and _only_amounts(lines[i + 1], all_amounts):
            amounts = all_amounts[lines[i + 1].index]
        if not amounts:
            continue
        # A total row of a table (net, VAT, gross) ends with, or is largest at, the gross.
        amount = max(amounts, key=lambda a: a.value) if kind in ("final", "payable", "total") else amounts[-1]
        if kind in ("cash", "payment"):
            cash.append(amount.value)
        if kind == "change":
            change.append(amount.value)
        weight = _WEIGHTS[kind] * hit.score
        if not amount.decimals:
            weight -= 1.0
        if amount.suspicious:
            weight -= 2.0
        if amount.line.height > 1.25 * median_height and weight > 0:
            weight += 1.0
        item = evidence[amount.value]
        item.kinds.append(kind)
        if kind in ("final", "payable", "total"):
            item.keyword_lines += 1
        if kind == "negative":
            parts.append(amount.value)
        if kind == "payment":
            item.payment_lines += 1
        if weight > item.best_weight:
            item.best, item.best_weight = amount, weight

    candidates = {v: e for v, e in evidence.items() if e.best is not None and e.best_weight > 0}
    # Cash (or any amount handed over) minus the change given back is what was paid.
    tenders = set(cash)
    tendered = {t - ch for t in tenders for ch in change if ch > 0 and t > ch}
    confirmed = bool(tendered & set(candidates))
    if tendered and not confirmed:
        line = next(a.line for a in _amounts_of(all_amounts, change))
        for value in tendered:
            candidates[value] = _Evidence(best=_derived(value, line), best_weight=2.5, kinds=["tendered"])
    has_final = any("final" in e.kinds for e in candidates.values())
    totals = [v for v, e in candidates.items() if e.keyword_lines and v not in cash]
    largest = max(totals) if totals and not has_final else None
    ranked: list[TotalCandidate] = []
    for value, item in candidates.items():
        assert item.best is not None
        score = item.best_weight
        score += 0.8 * max(0, item.keyword_lines - 1) + 1.2 * min(item.payment_lines, 2)
        score += 0.4 * min(item.occurrences - 1, 3)
        if vat_gross is not None and abs(vat_gross - value) <= _NEAR:
            score += 2.5
        if value == largest:
            score += 0.5
        if items_sum is not None and items_sum == value:
            score += 1.0
        if value in tendered:
            score += 2.0
        elif tendered and cash and value < max(cash):
            score -= 1.5 if confirmed else 0.5  # cash minus change says otherwise
        if any(a + b == value for i, a in enumerate(parts) for b in parts[i + 1 :] if a > 0 and b > 0):
            score += 1.5  # subtotal plus tax (or rounding) printed above
        if value in tenders and any(ch > 0 and value - ch in candidates for ch in change):
            score -= 2.5  # the amount tendered, with change given back from it
        if cash and all(value > c for c in cash):
            score -= 1.5
        ranked.append(TotalCandidate(value, round(score, 3), item.best, tuple(item.kinds), item.payment_lines))
    ranked.sort(key=lambda c: (c.score, c.value), reverse=True)
    return ranked


def find_total(
    lines: Sequence[Line], *, vat_gross: Decimal | None = None, items_sum: Decimal | None = None
) -> TotalGuess | None:
    """The amount paid, or None when no amount qualifies."""
    ranked = rank_totals(lines, vat_gross=vat_gross, items_sum=items_sum)
    if not ranked:
        all_amounts = {line.index: [a for a in find_amounts(line) if a.value > 0] for line in lines}
        return _fallback(lines, all_amounts)
    best = ranked[0]
    margin = best.score - ranked[1].score if len(ranked) > 1 else 3.0
    vat_agrees = vat_gross is not None and abs(vat_gross - best.value) <= _NEAR
    payment_agrees = best.payment_lines > 0
    confidence = min(1.0, 0.45 + 0.08 * best.score) * (1.0 if margin >= 1.5 else 0.85 if margin >= 0.5 else 0.7)
    if vat_gross is not None and not vat_agrees:
        confidence *= 0.8
    if not payment_agrees and not vat_agrees:
        confidence *= 0.9
    confidence *= 0.5 + 0.5 * best.amount.confidence
    boxes = tuple(best.amount.line.boxes_in(best.amount.start, best.amount.end))
    return TotalGuess(best.value, round(max(0.05, confidence), 3), boxes, payment_agrees)


def _amounts_of(all_amounts: dict[int, list[Amount]], values: list[Decimal]) -> list[Amount]:
    return [a for found in all_amounts.values() for a in found if a.value in values]


def _derived(value: Decimal, line: Line) -> Amount:
    """A total that is not printed but follows from cash and change (boxed at the change row)."""
    return Amount(value, 0, len(line.text), True, line)


def _only_amounts(line: Line, all_amounts: dict[int, list[Amount]]) -> bool:
    amounts = all_amounts[line.index]
    if not amounts:
        return False
    letters = sum(c.isalpha() for c in line.text)
    return letters <= 4


def _fallback(lines: Sequence[Line], all_amounts: dict[int, list[Amount]]) -> TotalGuess | None:
    """No keyword found: the largest amount printed twice, else the largest in the lower part."""
    counts: dict[Decimal, list[Amount]] = defaultdict(list)
    for line in lines:
        for amount in all_amounts[line.index]:
            if amount.decimals:
                counts[amount.value].append(amount)
    if not counts:
        return None
    repeated = [v for v, found in counts.items() if len(found) >= 2]
    if repeated:
        value = max(repeated)
        confidence = 0.35
    else:
        lower = [v for v, found in counts.items() if any(a.line.index >= len(lines) // 3 for a in found)]
        value = max(lower or counts)
        confidence = 0.2
    amount = counts[value][-1]
    return TotalGuess(value, confidence, tuple(amount.line.boxes_in(amount.start, amount.end)), False)
