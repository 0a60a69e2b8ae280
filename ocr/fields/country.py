"""The seller's country from what the receipt prints: postcodes, country and city names, language.

Used for the currency when none is printed (a Latvian receipt that prints "31,44" is in
euro) and to overrule a misleading symbol ("$" read on a German receipt). The VAT id's
prefix is the strongest sign and is read in ``ocr.fields.vatid``; this module weighs the
weaker ones.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from ocr.layout import Line
from ocr.text import fold

EURO_COUNTRIES: Final = frozenset(
    {"AT", "BE", "BG", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL"}
    | {"PT", "SI", "SK"}
)
"""Euro area in 2026 (Bulgaria joined on 1 January 2026)."""
CURRENCY_OF_COUNTRY: Final[dict[str, str]] = {
    **dict.fromkeys(EURO_COUNTRIES, "EUR"),
    "SE": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "PL": "PLN",
    "GB": "GBP",
    "CZ": "CZK",
    "HU": "HUF",
    "RO": "RON",
    "CH": "CHF",
    "IS": "ISK",
    "MY": "MYR",
    "US": "USD",
}

_POSTCODES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![A-Z0-9])LV[- ]?\d{4}(?!\d)"), "LV"),
    (re.compile(r"(?<![A-Z0-9])LT[- ]?\d{5}(?!\d)"), "LT"),
    (re.compile(r"(?<![A-Z0-9])EE[- ]\d{5}(?!\d)"), "EE"),
    (re.compile(r"(?<![A-Z0-9])FI[- ]\d{5}(?!\d)"), "FI"),
    (re.compile(r"(?<![A-Z0-9])(?:D|DE)-\d{5}(?!\d)"), "DE"),
    (re.compile(r"(?<![A-Z0-9])(?:A|AT)-\d{4}(?!\d)"), "AT"),
    (re.compile(r"(?<![A-Z0-9])(?:S|SE)-\d{3} ?\d{2}(?!\d)"), "SE"),
    (re.compile(r"(?<![A-Z0-9])(?:N|NO)-\d{4}(?!\d)"), "NO"),
    (re.compile(r"(?<![A-Z0-9])DK-\d{4}(?!\d)"), "DK"),
    (re.compile(r"(?<![A-Z0-9])PL-\d{2}-\d{3}(?!\d)"), "PL"),
    (re.compile(r"(?<![\d-])\d{2}-\d{3}\s+[A-ZŁŚŻŹĆa-ząęłńóśźż]{3,}"), "PL"),
)
"""Postcodes with a country prefix ("LV-1010", "LT-01103", "D-10115") or a country's own shape (PL "00-950 Warszawa")."""

PLACES: Final[dict[str, tuple[str, ...]]] = {
    "LV": ("latvija", "latvia", "riga", "jurmala", "daugavpils", "liepaja", "jelgava", "ventspils", "valmiera"),
    "LT": ("lietuva", "lithuania", "vilnius", "kaunas", "klaipeda", "siauliai", "panevezys"),
    "EE": ("eesti", "estonia", "tallinn", "tartu", "parnu", "narva"),
    "FI": ("suomi", "finland", "helsinki", "espoo", "vantaa", "tampere", "turku", "oulu"),
    "DE": ("deutschland", "germany", "berlin", "munchen", "hamburg", "koln", "frankfurt", "stuttgart", "dusseldorf"),
    "AT": ("osterreich", "austria", "wien"),
    "NL": ("nederland", "netherlands", "amsterdam", "rotterdam"),
    "FR": ("france", "paris"),
    "SE": ("sverige", "sweden", "stockholm", "goteborg", "malmo", "uppsala", "linkoping", "orebro", "vasteras"),
    "NO": ("norge", "norway", "oslo", "bergen", "trondheim", "stavanger"),
    "DK": ("danmark", "denmark", "kobenhavn", "copenhagen", "aarhus", "odense"),
    "PL": ("polska", "poland", "warszawa", "krakow", "gdansk", "wroclaw", "poznan"),
    "GB": ("united kingdom", "england", "london", "manchester", "edinburgh", "scotland"),
    "MY": ("malaysia", "kuala lumpur", "selangor", "johor", "penang", "johor bahru", "petaling jaya", "shah alam"),
}
"""Country and large-city names, folded (printed in the address or the footer)."""

LANGUAGE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "LV": ("kopa", "pvn", "apmaksai", "samaksai", "ceks", "kvits", "paldies", "atlaide", "skaidra nauda", "iela"),
    "LT": ("is viso", "pvm", "kvitas", "cekis", "aciu", "moketi", "grynieji", "graza", "gatve", "kortele"),
    "EE": ("kokku", "kaibemaks", "tsekk", "aitah", "sularaha", "tasuda", "kmkr", "tanav", "maksta"),
    "FI": ("yhteensa", "alv", "kuitti", "kiitos", "kateinen", "maksettava", "y-tunnus", "takaisin", "katu"),
    "DE": ("summe", "mwst", "ust", "gesamt", "zu zahlen", "ruckgeld", "kassenbon", "danke", "strasse", "betrag"),
    "PL": ("razem", "ptu", "nip", "paragon fiskalny", "gotowka", "reszta", "dziekujemy", "sprzedaz", "ul"),
    "SE": ("moms", "att betala", "kvitto", "org.nr", "orgnr", "totalt", "vaxel", "kontant", "bankkort", "swish"),
    "NO": ("mva", "a betale", "kvittering", "foretaksregisteret", "vipps", "belop"),
    "DK": ("cvr", "at betale", "i alt", "dankort", "mobilepay", "byttepenge"),
    "MY": ("sdn bhd", "sdn. bhd", "s/b", "bhd", "jalan", "jln", "taman", "gst", "sst"),
}
"""Words typical of one country's receipts (weak alone; several together are telling)."""


@dataclass(frozen=True, slots=True)
class CountryGuess:
    code: str
    strength: float
    """Weighted evidence: 2 per postcode or place name, 0.5 per language word (capped)."""
    place: bool
    """Read from a postcode or a place name (an address), not only from the language."""


def country_scores(lines: Sequence[Line]) -> dict[str, tuple[float, bool]]:
    """Per country: (evidence, whether any of it is an address)."""
    place: defaultdict[str, float] = defaultdict(float)
    language: defaultdict[str, float] = defaultdict(float)
    for line in lines:
        for pattern, code in _POSTCODES:
            if pattern.search(line.text):
                place[code] += 2.0
    text = "\n".join(fold(line.text) for line in lines)
    for code, names in PLACES.items():
        place[code] += 2.0 * sum(1 for name in names if _has_word(text, name))
    for code, words in LANGUAGE_WORDS.items():
        language[code] += min(3.0, 0.5 * sum(count_words(text, word) for word in words))
    codes = {c for c, v in place.items() if v} | {c for c, v in language.items() if v}
    return {c: (min(place[c], 4.0) + language[c], place[c] > 0) for c in codes}


def guess_country(lines: Sequence[Line]) -> CountryGuess | None:
    """The most likely country, or None without evidence."""
    scores = country_scores(lines)
    if not scores:
        return None
    code, (strength, is_place) = max(scores.items(), key=lambda kv: kv[1][0])
    runner_up = max((s for c, (s, _) in scores.items() if c != code), default=0.0)
    if strength - runner_up < 1.0:
        return None  # two countries equally likely: no inference
    return CountryGuess(code, strength, is_place)


def _has_word(text: str, word: str) -> bool:
    return _word_pattern(word).search(text) is not None


def count_words(text: str, word: str) -> int:
    """How often ``word`` stands as a word in folded ``text``."""
    return len(_word_pattern(word).findall(text))


@cache
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")
