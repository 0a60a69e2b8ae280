"""The receipt's currency, from codes, symbols, local words and the seller's country.

Evidence is weighed rather than the first hit taken: "kr" is Swedish, Norwegian or
Danish crowns depending on the words around it, and Malaysian receipts sometimes print
"$" beside "RM". A currency is "printed" when a code or symbol says it, "inferred" when
it comes only from the country (VAT id, address, language); an inferred currency is
never certain (its confidence stays below ``ocr.model.CERTAIN``), so the form asks.
A euro country (by VAT id or address) is never given another currency from a stray
symbol: "31,44" on a Latvian receipt is euro, not crowns or dollars. Without any
evidence the answer is None, not a guess.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ocr.fields.country import CURRENCY_OF_COUNTRY, EURO_COUNTRIES, CountryGuess, count_words, guess_country
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
_SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "¥": "JPY", "zł": "PLN", "Kč": "CZK"}
_ZL = re.compile(r"(?<![A-Za-z])(?:zł|zl|ZŁ|ZL)(?![A-Za-z])")
_AMBIGUOUS_SYMBOLS = frozenset({"$", "¥"})
"""Symbols several currencies print: dollar (US, Singapore, Australia...), yen/yuan."""
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
    "EUR": (
        "mwst",
        "ust-id",
        "tva",
        "iva",
        "alv",
        "btw",
        "summe",
        "gesamt",
        "yhteensa",
        "totaal",
        "pvn",
        "pvm",
        "kmkr",
        "kokku",
        "kopa",
        "is viso",
    ),
    "PLN": ("ptu", "nip", "razem", "paragon fiskalny", "gotowka"),
    "GBP": ("vat reg", "uk", "london", "ltd", "plc"),
    "USD": ("sales tax", "usa", "inc.", "llc"),
}


STRAY_PRINT: Final = 6.0
"""Printed evidence below this (fewer than two codes) does not overrule the seller's country."""
INFERRED_CAP: Final = 0.7
"""Highest confidence of a currency not printed on the receipt (below ``ocr.model.CERTAIN``)."""


@dataclass(frozen=True, slots=True)
class CurrencyGuess:
    code: str
    confidence: float
    boxes: tuple[Box, ...]
    printed: bool = True
    """A code or symbol on the receipt says it (False: inferred from the country or language)."""


def detect_currency(lines: Sequence[Line], *, vat_country: str | None = None) -> CurrencyGuess | None:
    """The most likely ISO 4217 code for the amounts on the receipt, or None.

    ``vat_country`` is the country prefix of the seller's VAT id, when one was read.
    """
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
                if symbol not in _AMBIGUOUS_SYMBOLS:
                    explicit.add(code)
                boxes.setdefault(code, []).extend(line.boxes_in(index, index + len(symbol)))
        for m in _ZL.finditer(line.text):
            if "zł" not in line.text:
                votes["PLN"] += 1.5
                explicit.add("PLN")
                boxes.setdefault("PLN", []).extend(line.boxes_in(m.start(), m.end()))
        for m in _RM.finditer(line.text):
            votes["MYR"] += 2.0
            explicit.add("MYR")
            boxes.setdefault("MYR", []).extend(line.boxes_in(m.start(), m.end()))
        for m in _KR.finditer(folded):
            kr_votes += 2.0
            kr_boxes.extend(line.boxes_in(m.start(), m.end()))
    text = "\n".join(fold(line.text) for line in lines)
    hints = Counter({code: sum(count_words(text, word) for word in words) for code, words in _HINTS.items()})
    country = guess_country(lines)
    home = _home_currency(vat_country, country)
    euro_seller = vat_country in EURO_COUNTRIES or (
        country is not None and country.place and country.code in EURO_COUNTRIES
    )
    if kr_votes:
        nordic = max(("SEK", "NOK", "DKK"), key=lambda c: (c == home, hints[c], c == "SEK"))
        votes[nordic] += kr_votes
        explicit.add(nordic)
        boxes.setdefault(nordic, []).extend(kr_boxes)
    if euro_seller and "EUR" not in explicit:
        # A euro country's receipt: a crown, dollar or ringgit read on it is a misreading or a foreign price.
        return CurrencyGuess("EUR", 0.6 if vat_country else 0.55, (), printed=False)
    if not votes:
        return _inferred(home, vat_country, country, hints)
    for code in votes:
        votes[code] += min(hints[code], 5) * 0.5
    if home is not None and home in votes:
        votes[home] += 2.0
    # "$" on a receipt that is otherwise clearly from a country with its own currency.
    if votes.get("USD") and "USD" not in explicit:
        for code in ("MYR", "SEK", "EUR", "GBP"):
            if (hints[code] >= 3 or code == home) and votes[code] + hints[code] > votes["USD"]:
                votes[code] += votes.pop("USD")
                break
        else:
            if home is not None and home != "USD":
                return _inferred(home, vat_country, country, hints)
    code, score = max(votes.items(), key=lambda kv: kv[1])
    seller_known = vat_country is not None or (country is not None and country.place)
    if home is not None and code != home and seller_known and score < STRAY_PRINT:
        # One stray mark ("€" in a smudge on a Malaysian receipt) against the seller's address.
        return _inferred(home, vat_country, country, hints)
    total = sum(votes.values())
    confidence = min(1.0, 0.5 + 0.5 * score / total) * min(1.0, 0.6 + score / 10)
    if code not in explicit or (kr_votes and code in ("SEK", "NOK", "DKK") and home is None):
        confidence = min(confidence, 0.75)  # only a shared symbol ("$", "kr") says it, no country tells which
    if home is not None and code != home:
        confidence = min(confidence, 0.6)  # printed, but the seller's country says otherwise
    return CurrencyGuess(code, round(confidence, 3), tuple(boxes.get(code, ())))


def _home_currency(vat_country: str | None, country: CountryGuess | None) -> str | None:
    """The currency of the seller's country: from the VAT id, else an address or clear language."""
    if vat_country is not None and vat_country in CURRENCY_OF_COUNTRY:
        return CURRENCY_OF_COUNTRY[vat_country]
    if country is not None and (country.place or country.strength >= 1.5):
        return CURRENCY_OF_COUNTRY.get(country.code)
    return None


def _inferred(
    home: str | None, vat_country: str | None, country: CountryGuess | None, hints: Counter[str]
) -> CurrencyGuess | None:
    """No code or symbol printed: the seller's country's currency, never certain."""
    if home is not None:
        if vat_country is not None:
            confidence = INFERRED_CAP
        elif country is not None and country.place:
            confidence = 0.65
        else:
            confidence = 0.55
        return CurrencyGuess(home, confidence, (), printed=False)
    return _from_hints(hints)


def _from_hints(hints: Counter[str]) -> CurrencyGuess | None:
    code, score = hints.most_common(1)[0] if hints else ("", 0)
    if score < 3:
        return None
    return CurrencyGuess(code, round(min(0.55, 0.2 + 0.08 * score), 3), (), printed=False)
