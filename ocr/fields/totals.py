"""The amount paid, chosen among candidates by weighing evidence.

A receipt prints the total several times ("ATT BETALA 268,17", "VISA 268,17") and
other sums that look like it (subtotal, VAT, cash tendered, change). Every amount next
to a total or payment keyword (Swedish, English, Malay, German, Nordic, Baltic, Polish, Dutch, French,
Finnish) gets points by the keyword's strength; repeats, a bigger font and agreement
with the VAT rows' gross sum, the items' sum or cash minus change add points. The
confidence falls when the runner-up is close or the cross-checks disagree.

Arithmetic also names totals that were misread: cash minus change, and subtotal + tax
(+ rounding) when the subtotal excludes the tax. Such a derived value counts for more
when it is printed somewhere, and beats a keyword amount that is one digit away from
it (an OCR slip) only when the derived value rests on readings that agree; a rounding
row holding more than a unit is the rounded total, not an adjustment. Cash minus change
(a change row may print its amount negative, "20.00-") that is printed elsewhere beats a
total row one digit away from it ("TOTAL 36.00" above "35.00", cash 55.00, change 20.00).
"GST included in total 0.60" is the tax share, not the total; a total row's ".40" has lost
its digits. When the sums before and after rounding are both printed and no card row says
which was paid, the choice is never certain (receipts and people call either "the total").
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

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
    "amt due",
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
    "kopa apmaksai",
    "summa apmaksai",
    "apmaksai",
    "samaksai",
    "kopa samaksai",
    "moketi",
    "moketina suma",
    "is viso moketi",
    "tasuda",
    "kokku tasuda",
    "maksta",
    "do zaplaty",
    "razem do zaplaty",
    "suma do zaplaty",
    "yhteensa maksettava",
    "til betaling",
)
"""Words for the final amount: stronger than a plain "total" (which may be before rounding)."""
PAYABLE = (
    "total gst incl",
    "total gst inclusive",
    "total vat incl",
    "total incl gst",
    "total inc gst",
    "total incl vat",
    "total inkl moms",
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
    "kopeja summa",
    "kopa eur",
    "summa eur",
    "is viso eur",
    "kokku eur",
    "suma pln",
    "suma eur",
    "razem pln",
    "summe eur",
    "gesamt eur",
    "yhteensa eur",
    "total gbp",
    "total pln",
    "betrag eur",
    "i alt dkk",
    "totalt nok",
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
    "kopa",
    "is viso",
    "viso",
    "suma",
    "kokku",
    "razem",
    "betrag",
    "yhteensa",
    "i alt",
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
    "karte",
    "maksajuma karte",
    "bankas karte",
    "norekini ar karti",
    "kortele",
    "mokejimo kortele",
    "banko kortele",
    "kaart",
    "pangakaart",
    "kaardimakse",
    "kortti",
    "pankkikortti",
    "korttimaksu",
    "karta",
    "karta platnicza",
    "kartenzahlung",
    "ec-cash",
    "betalingskort",
    "kort betaling",
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
    "skaidra nauda",
    "skaidra",
    "grynieji",
    "grynais",
    "sularaha",
    "kateinen",
    "gotowka",
    "bargeld",
    "kontanter",
    "gegeben",
    "izdots",
    "atlikums",
    "graza",
    "tagasi",
    "vahetusraha",
    "takaisin",
    "vaihtoraha",
    "reszta",
    "zuruck",
    "tilbake",
    "retur",
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
    "starpsumma",
    "vahesumma",
    "valisumma",
    "tarpine suma",
    "suma czesciowa",
    "pvn",
    "pvm",
    "alv",
    "ptu",
    "ust",
    "km",
    "bez pvn",
    "be pvm",
    "ilma km",
    "veroton",
    "atlaide",
    "nuolaida",
    "allahindlus",
    "alennus",
    "rabat",
    "ohne mwst",
    "netto summa",
    "summa bez pvn",
    "sprzedaz opodatkowana",
)
_VAT_NEGATIVE = frozenset({"moms", "vat", "mva", "mwst", "gst", "tax", "sst", "pvn", "pvm", "alv", "ptu", "ust", "km"})
_SPACES = str.maketrans(".,:;()[]{}", " " * 10)
_EXCLUDING = re.compile(r"ex[ck]l|before|ohne|utan")
ROUNDING = frozenset({"rounding", "avrundning", "oresavrundning", "adjustment"})
_TAX_SHARE = re.compile(r"\b(?:includ\w*|incl|inkl\w*|inclusive)\s+in\s+(?:the\s+)?total")
"""'GST @6% included in total  0.60': the tax inside the total, not the total."""
_TOTAL_PAYABLE = re.compile(r"(?:\btot\w{0,3}|\bamt|\bamount)\s+pay(?!ment)[a-z]{2,5}\b")
""""Tota  Payeble", "Tate) Amt Paysbte" (letters lost or misread): "total (amount) payable", too far
for the fuzzy match; "Total Payment" is no such row."""
ROUNDING_STEP = Decimal("0.10")
"""Totals closer than this are the same sum before and after rounding (0.05 in MY, whole kronor in SE differ more)."""
ROUNDED_TOTAL_MIN = Decimal("1.00")
"""A rounding adjustment is less than one unit (cents, öre); a larger amount on that row is the total."""


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


@lru_cache(maxsize=4096)
def line_keyword(folded: str) -> tuple[str, KeywordHit] | None:
    """The kind of the row's label: final, payable, total, payment, cash, change, negative.

    "Total Sales (Inclusive of GST)" is payable although it names the tax, also when
    misread ("Tote] Sales {inclusive GST)"), but a fuzzy match never stands next to
    another negative word or anywhere near "excl" ("Total Sales (Excluding GST)" is only
    a few letters away from "inclusive"), and "balance" inside "balance due" is no
    negative.
    """
    share = _TAX_SHARE.search(folded)
    if share is not None:
        return "negative", KeywordHit("included in total", share.start(), share.end(), 1.0)
    for kind, words in (("final", FINAL), ("payable", PAYABLE)):
        hit = find_keyword(folded, words)
        if hit is None:
            continue
        sub = find_keyword(folded, SUBTOTAL_WORDS, fuzzy=False)
        if sub is not None and sub.start < hit.end and hit.start < sub.end:
            return "negative", sub  # "Sub Total RM 68.87": "total rm" inside a subtotal's label
        outside = folded[: hit.start] + " " * (hit.end - hit.start) + folded[hit.end :]
        negative = find_keyword(outside, NEGATIVE, fuzzy=False)
        if negative is None:
            return kind, hit
        if negative.keyword in _VAT_NEGATIVE and (hit.score == 1.0 or not _EXCLUDING.search(folded)):
            return kind, hit
    negative = find_keyword(folded, NEGATIVE, fuzzy=False)
    if negative is not None:
        return "negative", negative
    misread = _TOTAL_PAYABLE.search(folded.translate(_SPACES))
    if misread is not None:  # "total payable" and "amount payable" are final words (FINAL)
        return "final", KeywordHit("total payable", misread.start(), misread.end(), 0.9)
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
    change_lines: list[Line] = []
    parts: list[Decimal] = []
    sum_parts = _SumParts()

    for i, line in enumerate(lines):
        for amount in all_amounts[line.index]:
            evidence[amount.value].occurrences += 1
        found = line_keyword(fold(line.text))
        if found is None:
            continue
        kind, hit = found
        if kind == "negative":
            sum_parts.add(hit.keyword, line)
        amounts = [a for a in all_amounts[line.index] if a.start >= hit.end]
        if kind in ("final", "payable", "total"):
            # "NET TOTAL  .40": a total under one unit without its integer part has lost digits.
            amounts = [a for a in amounts if not _without_integer(a)]
        if kind == "change" and not amounts:
            amounts = [_unsigned(a) for a in find_amounts(line) if a.start >= hit.end and a.value < 0]
        if not amounts and i + 1 < len(lines) and _only_amounts(lines[i + 1], all_amounts):
            amounts = all_amounts[lines[i + 1].index]
        if not amounts and kind in ("final", "payable", "total") and point_decimals(all_amounts):
            amounts = [a for a in _stray_zero(line) if a.start >= hit.end]
        if not amounts:
            continue
        if kind == "negative" and hit.keyword in ROUNDING and _rounded_total(amounts, lines, all_amounts):
            kind = "final"  # "Rounding  177.20": no rounding is that large, it is the rounded total
        # A total row of a table (net, VAT, gross) ends with, or is largest at, the gross.
        amount = max(amounts, key=lambda a: a.value) if kind in ("final", "payable", "total") else amounts[-1]
        if kind in ("cash", "payment"):
            cash.append(amount.value)
        if kind == "change":
            change.append(amount.value)
            change_lines.append(amount.line)
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
    if change_lines and not cash:
        cash += _unnamed_tender(lines, change_lines[0], all_amounts)
    # Cash (or any amount handed over) minus the change given back is what was paid.
    tenders = set(cash)
    tendered = {t - ch for t in tenders for ch in change if ch > 0 and t > ch}
    confirmed = bool(tendered & set(candidates))
    if tendered and not confirmed:
        line = change_lines[0]
        for value in tendered:
            # Printed elsewhere (on a row no keyword names), the difference is more likely right.
            weight = 2.5 if value in evidence else 2.0
            candidates[value] = _Evidence(best=_derived(value, line), best_weight=weight, kinds=["tendered"])
    computed = sum_parts.total()
    slipped: set[Decimal] = set()
    if computed is not None:
        # Subtotal + tax (+ rounding): printed as the total, unless a digit of it was misread.
        slipped = {
            v
            for v, e in candidates.items()
            if e.keyword_lines and v != sum_parts.subtotal and one_digit_apart(v, computed)
        }
        if computed not in candidates:
            line = sum_parts.line or lines[-1]
            weight = 3.0 if computed in evidence else 2.0
            candidates[computed] = _Evidence(best=_derived(computed, line), best_weight=weight, kinds=["computed"])
    # A total row one digit away from a printed cash-minus-change: the row was misread.
    misread_totals = {
        v
        for v, e in candidates.items()
        if e.keyword_lines and v not in tendered and any(t in evidence and misread_digit(v, t) for t in tendered)
    }
    has_final = any("final" in e.kinds for e in candidates.values())
    totals = [v for v, e in candidates.items() if e.keyword_lines and v not in cash]
    largest = max(totals) if totals and not has_final else None
    ranked: list[TotalCandidate] = []
    for value, item in candidates.items():
        assert item.best is not None
        score = item.best_weight
        score += 0.8 * max(0, item.keyword_lines - 1) + 1.2 * min(item.payment_lines, 2)
        score += 0.5 * min(item.occurrences - 1, 3)
        if vat_gross is not None and abs(vat_gross - value) <= _NEAR:
            score += 2.5
        if value == largest:
            score += 0.5
        if items_sum is not None and items_sum == value:
            score += 1.0
        if value in tendered:
            score += 2.0
            if value not in evidence and any(
                e.keyword_lines and one_digit_apart(v, value) for v, e in candidates.items()
            ):
                score -= 1.5  # a difference of two readings, one digit from a total read directly
            elif value in evidence and any(e.keyword_lines and misread_digit(v, value) for v, e in candidates.items()):
                score += 2.0  # printed, and cash minus change agree: the total row's digit was misread
        elif tendered and cash and value < max(cash):
            score -= 1.5 if confirmed else 0.5  # cash minus change says otherwise
        if value == computed or any(
            a + b == value for i, a in enumerate(parts) for b in parts[i + 1 :] if a > 0 and b > 0
        ):
            score += 1.5  # subtotal plus tax (or rounding) printed above
        if value == computed and slipped:
            score += 2.0  # the total row says nearly this: one digit misread
        if value in slipped or value in misread_totals:
            score -= 1.0
        if computed is not None and sum_parts.exclusive and value == sum_parts.subtotal:
            score -= 1.5  # the sum before tax, where tax is added on top
        if value in tenders and any(ch > 0 and value - ch in evidence for ch in change):
            score -= 2.5  # the amount tendered, with change given back from it (to a printed total)
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
    if _payment_disagrees(lines, best.value):
        confidence *= 0.75
    if not payment_agrees and any(_before_or_after_rounding(best, other) for other in ranked[1:]):
        # The sums before and after rounding both printed and no card row says which was paid:
        # receipts (and people) call either one "the total".
        confidence *= 0.8

    confidence *= 0.5 + 0.5 * best.amount.confidence
    boxes = tuple(best.amount.line.boxes_in(best.amount.start, best.amount.end))
    return TotalGuess(best.value, round(max(0.05, confidence), 3), boxes, payment_agrees)


def _before_or_after_rounding(best: TotalCandidate, other: TotalCandidate) -> bool:
    """``other`` is a total row a rounding step from ``best`` ("Total 72.93" beside "TTL AFT RND 72.95")."""
    keyword = {"final", "payable", "total"}
    return 0 < abs(best.value - other.value) < ROUNDING_STEP and bool(keyword & set(other.kinds))


def _payment_disagrees(lines: Sequence[Line], value: Decimal) -> bool:
    """The payment rows say another amount was paid: no card row and no cash minus change equals ``value``."""
    paid: list[Decimal] = []
    change: list[Decimal] = [Decimal(0)]
    for line in lines:
        found = line_keyword(fold(line.text))
        if found is None or found[0] not in ("payment", "cash", "change"):
            continue
        amounts = [a.value for a in find_amounts(line) if a.start >= found[1].end and a.value >= 0]
        if not amounts:
            continue
        (change if found[0] == "change" else paid).append(amounts[-1])
    if not paid:
        return False
    return all(p - c != value for p in paid for c in change)


_STRAY_ZERO = re.compile(r"(?<![\d.,])(?P<int>\d{1,4})\.(?P<dec>\d{2})0(?![\d.,])")
"""'RM 10.600' on a total row: a third decimal that is a stray mark read as 0."""


def point_decimals(all_amounts: dict[int, list[Amount]]) -> bool:
    """The receipt writes amounts with a decimal point and two decimals ("20.00", "0.60"), never a comma.

    On such a receipt "10.600" cannot be ten thousand six hundred (that would be "10,600.00").
    """
    written = [a.line.text[a.start : a.end] for found in all_amounts.values() for a in found if a.decimals]
    return len(written) >= 2 and all("," not in w and "." in w for w in written)


def _stray_zero(line: Line) -> list[Amount]:
    """The amounts of a row read as 'NN.NN0', without the stray third decimal."""
    return [
        Amount(Decimal(f"{int(m.group('int'))}.{m.group('dec')}"), m.start(), m.end(), True, line)
        for m in _STRAY_ZERO.finditer(line.text)
    ]


def _unnamed_tender(lines: Sequence[Line], change_line: Line, all_amounts: dict[int, list[Amount]]) -> list[Decimal]:
    """The amount handed over, on the row just above the change when its label was misread ("Fay  20.00")."""
    position = next((i for i, line in enumerate(lines) if line is change_line), 0)
    if position == 0:
        return []
    above = lines[position - 1]
    amounts = all_amounts[above.index]
    if len(amounts) != 1 or not amounts[0].decimals or line_keyword(fold(above.text)) is not None:
        return []
    return [amounts[0].value]


def _without_integer(amount: Amount) -> bool:
    """ ".40": printed (or read) without the digits before the decimal point."""
    return amount.line.text[amount.start : amount.end].lstrip("-")[:1] in (".", ",")


def _unsigned(amount: Amount) -> Amount:
    """The change given back, printed as a negative amount ("Change  20.00-")."""
    return dataclasses.replace(amount, value=-amount.value)


def _derived(value: Decimal, line: Line) -> Amount:
    """A total that is not printed but follows from cash and change (boxed at the change row)."""
    return Amount(value, 0, len(line.text), True, line)


SUBTOTAL_WORDS = frozenset(
    {
        "subtotal",
        "sub total",
        "sub-total",
        "delsumma",
        "mellansumma",
        "zwischensumme",
        "total sales excl",
        "excl gst",
        "starpsumma",
        "vahesumma",
        "valisumma",
        "tarpine suma",
        "suma czesciowa",
    }
)
EXCLUSIVE_WORDS = frozenset({"total sales excl", "excl gst", "excl", "exkl", "excluding", "exclusive", "exclusive of"})
TAX_WORDS = frozenset({"total tax", "tax amt", "gst amt", "total gst", "total vat", *_VAT_NEGATIVE})


@dataclass
class _SumParts:
    """The subtotal, tax and rounding rows (the first of each), whose sum is the total."""

    subtotal: Decimal | None = None
    exclusive: bool = False
    tax: Decimal | None = None
    rounding: Decimal | None = None
    line: Line | None = None

    def add(self, keyword: str, line: Line) -> None:
        amounts = find_amounts(line)
        if not amounts:
            return
        last = amounts[-1]
        if keyword in SUBTOTAL_WORDS or keyword in EXCLUSIVE_WORDS:
            if self.subtotal is None and last.value > 0:
                self.subtotal, self.exclusive = last.value, keyword in EXCLUSIVE_WORDS
        elif keyword in TAX_WORDS:
            if self.tax is None and self.subtotal is not None and last.value > 0:
                self.tax, self.line = last.value, line
        elif keyword in ROUNDING and self.rounding is None and abs(last.value) < ROUNDED_TOTAL_MIN:
            before = line.text[: last.start].rstrip()
            self.rounding = -abs(last.value) if before.endswith("(") else last.value

    def total(self) -> Decimal | None:
        """Subtotal + tax (+ rounding) when both are found and the tax is a plausible share."""
        if self.subtotal is None or self.tax is None or self.tax > Decimal("0.3") * self.subtotal:
            return None
        return self.subtotal + self.tax + (self.rounding or Decimal(0))


def one_digit_apart(a: Decimal, b: Decimal) -> bool:
    """Equal but for one digit ("48.00" and "18.00"): the slip of an OCR reading one of them."""
    x, y = f"{a:.2f}", f"{b:.2f}"
    return len(x) == len(y) and sum(c != d for c, d in zip(x, y, strict=True)) == 1


def misread_digit(a: Decimal, b: Decimal) -> bool:
    """One digit apart by more than a rounding step: "36.00" for 35.00, not "72.93" beside 72.95."""
    return one_digit_apart(a, b) and abs(a - b) >= ROUNDING_STEP


def _rounded_total(amounts: list[Amount], lines: Sequence[Line], all_amounts: dict[int, list[Amount]]) -> bool:
    """An unsigned amount of a unit or more on a rounding row (a signed one, "(8.02)", is an adjustment).

    It is the rounded total only if it is within a unit of a total printed elsewhere (when one
    is): "Total 85.10 / Rounding Adjustment 6.00" is a misread "0.00", not a total of 6.00.
    """
    totals = [
        a.value
        for line in lines
        if (found := line_keyword(fold(line.text))) is not None and found[0] in ("final", "payable", "total")
        for a in all_amounts[line.index]
    ]
    for amount in amounts:
        before = amount.line.text[: amount.start].rstrip()
        near_a_total = not totals or any(abs(t - amount.value) < ROUNDED_TOTAL_MIN for t in totals)
        if amount.value >= ROUNDED_TOTAL_MIN and not before.endswith(("(", "-")) and near_a_total:
            return True
    return False


def _only_amounts(line: Line, all_amounts: dict[int, list[Amount]]) -> bool:
    """A row of amounts without a label of its own ("CASH 100.00" has one)."""
    amounts = all_amounts[line.index]
    if not amounts:
        return False
    letters = sum(c.isalpha() for c in line.text)
    return letters <= 4 and line_keyword(fold(line.text)) is None


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
