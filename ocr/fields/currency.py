"""The receipt's currency, from codes, symbols, local words and country hints.

Evidence is weighed rather than the first hit taken: "kr" is Swedish, Norwegian or
Danish crowns depending on the words around it, and Malaysian receipts sometimes print
"$" beside "RM". Without any evidence the answer is None, not a guess.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ocr.geometry import Box
from ocr.layout import Line
from ocr.text import fold

_CODES = (
    "SEK",
    "EUR",
    "NOK",
    "DKK",
    "USD",
    "GBP",
    "MYR",
    "CHF",
    "PLN",
    "SGD",
    "JPY",
    "CAD",
    "AUD",
    "ISK",
    "CZK",
    "HUF",
    "THB",
    "IDR",
    "CNY",
    "HKD",
    "INR",
    "AED",
    "TRY",
    "NZD",
)
_CODE = re.compile(r"(?<![A-Za-z])(" + "|".join(_CODES) + r")(?![A-Za-z])")
_SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "¥": "JPY", "zł": "PLN"}
_RM = re.compile(r"(?<![A-Za-z])RM(?=\s?\d|\s*$|\s?\)|\W)")
_KR = re.compile(r"(?<![a-z])(kr|kr\.|kronor|sek)(?![a-z])|\d:-")

# Words that tell the country when the symbol ("kr", "$") is shared.
_HINTS: dict[str, tuple[str, ...]] = {
    "SEK": (
        "moms",
        "att betala",
        "kvitto",
        "org.nr",
        "org nr",
        "orgnr",
        "totalt",
        "summa",
        "vaxel",
        "kontant",
        "bankkort",
        "swish",
        "momsreg",
        "tack for",
        "valkommen",
    ),
    "NOK": ("mva", "a betale", "kvittering", "foretaksregisteret", "vipps", "beløp", "belop", "org.nr mva"),
    "DKK": ("cvr", "at betale", "i alt", "dankort", "mobilepay", "kvittering", "byttepenge"),
    "MYR": (
        "sdn bhd",
        "sdn. bhd",
        "s/b",
        "bhd",
        "malaysia",
        "kuala lumpur",
        "selangor",
        "johor",
        "penang",
        "jalan",
        "jln",
        "taman",
        "gst",
        "sst",
        "rm",
    ),
    "EUR": ("mwst", "ust-id", "tva", "iva", "alv", "btw", "summe", "gesamt", "yhteensa", "totaal"),
    "GBP": ("vat reg", "uk", "london", "ltd", "plc"),
    "USD": ("sales tax", "usa", "inc.", "llc"),
}


@dataclass(frozen=True, slots=True)
class CurrencyGuess:
    code: str
    confidence: float
    boxes: tuple[Box, ...]


def detect_currency(lines: Sequence[Line]) -> CurrencyGuess | None:
    """The most likely ISO 4217 code for the amounts on the receipt, or None."""
    votes: defaultdict[str, float] = defaultdict(float)
    boxes: dict[str, list[Box]] = {}
    explicit: set[str] = set()
    kr_votes = 0.0
    kr_boxes: list[Box] = []
    for line in lines:
        folded = fold(line.text)
        for m in _CODE.finditer(line.text):
            votes[m.group(1)] += 3.0
            explicit.add(m.group(1))
            boxes.setdefault(m.group(1), []).extend(line.boxes_in(m.start(), m.end()))
        for symbol, code in _SYMBOLS.items():
            index = line.text.find(symbol)
            if index >= 0:
                votes[code] += 1.5 * line.text.count(symbol)
                boxes.setdefault(code, []).extend(line.boxes_in(index, index + len(symbol)))
        for m in _RM.finditer(line.text):
            votes["MYR"] += 2.0
            boxes.setdefault("MYR", []).extend(line.boxes_in(m.start(), m.end()))
        for m in _KR.finditer(folded):
            kr_votes += 2.0
            kr_boxes.extend(line.boxes_in(m.start(), m.end()))
    text = "\n".join(fold(line.text) for line in lines)
    hints = Counter({code: sum(_count_words(text, word) for word in words) for code, words in _HINTS.items()})
    if kr_votes:
        nordic = max(("SEK", "NOK", "DKK"), key=lambda c: (hints[c], c == "SEK"))
        votes[nordic] += kr_votes
        boxes.setdefault(nordic, []).extend(kr_boxes)
    if not votes:
        return _from_hints(hints)
    for code in votes:
        votes[code] += min(hints[code], 5) * 0.5
    # "$" on a receipt that is otherwise clearly from a country with its own currency.
    if votes.get("USD") and "USD" not in explicit:
        for code in ("MYR", "SEK", "EUR", "GBP"):
            if hints[code] >= 3 and votes[code] + hints[code] > votes["USD"]:
                votes[code] += votes.pop("USD")
                break
    code, score = max(votes.items(), key=lambda kv: kv[1])
    total = sum(votes.values())
    confidence = min(1.0, 0.5 + 0.5 * score / total) * min(1.0, 0.6 + score / 10)
    return CurrencyGuess(code, round(confidence, 3), tuple(boxes.get(code, ())))


def _from_hints(hints: Counter[str]) -> CurrencyGuess | None:
    code, score = hints.most_common(1)[0] if hints else ("", 0)
    if score < 3:
        return None
    return CurrencyGuess(code, round(min(0.6, 0.2 + 0.08 * score), 3), ())


def _count_words(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text))
