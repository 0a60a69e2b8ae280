"""EU VAT ids (and the Norwegian "org.nr MVA"), read with their country and checked.

A VAT id is the most reliable sign of the seller's country (and so of the currency):
"PVN reģ. Nr. LV40003032065", "KMKR EE100247019", "USt-IdNr. DE136695976",
"CVR 13585628", "NIP 526-104-08-28", "Y-tunnus 0112038-9". It is accepted only when
the digits fit the country's length and, where the country has a simple check digit
(SE Luhn, LV, LT, EE, FI, DE, DK, NO, PL, GB), pass it; a number without the country's
prefix needs the country's own keyword in front of it. Countries without a check here
are accepted with the prefix and the right shape, at a lower confidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ocr.fields.orgnr import luhn_valid
from ocr.geometry import Box
from ocr.layout import Line
from ocr.text import find_keyword, fix_digits, fold


def _weighted(digits: str, weights: Sequence[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _se(d: str) -> bool:
    return len(d) == 12 and d.endswith("01") and luhn_valid(d[:10])


def _lv(d: str) -> bool:
    """Legal persons (first digit above 3): weighted sum of all 11 digits is 3 mod 11."""
    if len(d) != 11:
        return False
    if int(d[0]) <= 3:
        return False  # a personal code, not a company
    return _weighted(d, (9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1)) % 11 == 3


def _lt(d: str) -> bool:
    """9 digits (legal persons) or 12 (temporary taxpayers); the digit before the check is 1."""
    if len(d) not in (9, 12) or d[-2] != "1":
        return False
    body = d[:-1]
    first = sum(int(c) * (1 + i % 9) for i, c in enumerate(body)) % 11
    if first == 10:
        first = sum(int(c) * (1 + (i + 2) % 9) for i, c in enumerate(body)) % 11
    return first % 10 == int(d[-1])


def _ee(d: str) -> bool:
    if len(d) != 9 or not d.startswith("10"):
        return False
    return (10 - _weighted(d, (3, 7, 1, 3, 7, 1, 3, 7)) % 10) % 10 == int(d[8])


def _fi(d: str) -> bool:
    if len(d) != 8:
        return False
    rest = _weighted(d, (7, 9, 10, 5, 8, 4, 2)) % 11
    return rest != 1 and (0 if rest == 0 else 11 - rest) == int(d[7])


def _de(d: str) -> bool:
    """ISO 7064 MOD 11,10."""
    if len(d) != 9 or d[0] == "0":
        return False
    product = 10
    for c in d[:8]:
        total = (int(c) + product) % 10 or 10
        product = (2 * total) % 11
    return (11 - product) % 10 == int(d[8])


def _dk(d: str) -> bool:
    return len(d) == 8 and d[0] != "0" and _weighted(d, (2, 7, 6, 5, 4, 3, 2, 1)) % 11 == 0


def _no(d: str) -> bool:
    if len(d) != 9 or d[0] not in "89":
        return False
    check = 11 - _weighted(d, (3, 2, 7, 6, 5, 4, 3, 2)) % 11
    return check != 10 and check % 11 == int(d[8])


def _pl(d: str) -> bool:
    if len(d) != 10:
        return False
    check = _weighted(d, (6, 5, 7, 2, 3, 4, 5, 6, 7)) % 11
    return check != 10 and check == int(d[9])


def _gb(d: str) -> bool:
    if len(d) not in (9, 12):
        return False
    rest = _weighted(d, (8, 7, 6, 5, 4, 3, 2, 10, 1)) % 97
    return rest in (0, 42, 55) if int(d[:3]) >= 100 else rest == 0


def _shape(*lengths: int) -> Callable[[str], bool]:
    return lambda d: len(d) in lengths


CHECKED: dict[str, Callable[[str], bool]] = {
    "SE": _se,
    "LV": _lv,
    "LT": _lt,
    "EE": _ee,
    "FI": _fi,
    "DE": _de,
    "DK": _dk,
    "NO": _no,
    "PL": _pl,
    "GB": _gb,
}
"""Countries whose VAT id carries a check digit tested here."""
SHAPE_ONLY: dict[str, Callable[[str], bool]] = {
    "FR": _shape(11),
    "IT": _shape(11),
    "ES": _shape(9),
    "BE": _shape(10),
    "LU": _shape(8),
    "PT": _shape(9),
    "IE": _shape(8, 9),
    "CZ": _shape(8, 9, 10),
    "SK": _shape(10),
    "SI": _shape(8),
    "HU": _shape(8),
    "HR": _shape(11),
    "RO": _shape(2, 3, 4, 5, 6, 7, 8, 9, 10),
    "BG": _shape(9, 10),
    "GR": _shape(9),
    "EL": _shape(9),
    "CY": _shape(9),
    "MT": _shape(8),
}
"""Countries accepted by prefix and length only (letters in ES/IE/FR ids are not read here)."""

KEYWORD_COUNTRY: tuple[tuple[str, str], ...] = (
    ("pvn", "LV"),
    ("pvn reg", "LV"),
    ("pvm", "LT"),
    ("pvm kodas", "LT"),
    ("pvm moketojo kodas", "LT"),
    ("kmkr", "EE"),
    ("km reg", "EE"),
    ("y-tunnus", "FI"),
    ("y tunnus", "FI"),
    ("alv nro", "FI"),
    ("ust-idnr", "DE"),
    ("ust-id", "DE"),
    ("ust id", "DE"),
    ("ust.-id", "DE"),
    ("ust-id-nr", "DE"),
    ("ustid", "DE"),
    ("cvr", "DK"),
    ("cvr-nr", "DK"),
    ("cvr nr", "DK"),
    ("se-nr", "DK"),
    ("mva", "NO"),
    ("foretaksregisteret", "NO"),
    ("nip", "PL"),
    ("vat reg no", "GB"),
    ("momsreg", "SE"),
)
"""Words that name a country's VAT or company number printed without its prefix."""

VAT_WORDS = (
    "vat",
    "tva",
    "iva",
    "p.iva",
    "partita iva",
    "btw",
    "mwst",
    "ust",
    "uid",
    "dic",
    "dph",
    "cif",
    "cui",
    "nif",
    "afm",
    "anm",
    "ddv",
    "oib",
    "adoszam",
    "ado",
    "vat no",
    "vat id",
    "vat reg",
    "n tva",
    "no tva",
)
"""Words that say a number is a VAT id, for countries whose id is accepted on its shape alone."""

_PREFIXED = re.compile(
    r"(?<![A-Za-z0-9])(?P<cc>[A-Z]{2})\s?[-:.]?\s?(?P<num>[0-9OIlSB](?:[0-9OIlSB]|[ .\-/](?=[0-9OIlSB])){6,16})"
)
_BARE = re.compile(r"(?<![A-Za-z0-9])(?P<num>[0-9OIlSB](?:[0-9OIlSB]|[ .\-/](?=[0-9OIlSB])){6,16})")
_MVA = re.compile(r"^\s*(?:MVA|mva)")


@dataclass(frozen=True, slots=True)
class VatIdMatch:
    value: str
    """Normalised: country prefix and digits ("LV40003032065"), "NO...MVA" for Norway."""
    country: str
    checked: bool
    """The country's check digit passed (False: prefix and length only)."""
    start: int
    end: int
    line: Line

    @property
    def boxes(self) -> tuple[Box, ...]:
        return tuple(self.line.boxes_in(self.start, self.end))


def normalise_vat_id(text: str) -> str | None:
    """ "LV 4000 3032 065" -> "LV40003032065" when the country's shape and check hold, else None."""
    compact = re.sub(r"[\s.\-/]", "", text.strip().upper())
    country, digits = compact[:2], compact[2:]
    if country == "NO" and digits.endswith("MVA"):
        digits = digits[:-3]
    if not digits.isdigit():
        return None
    rule = CHECKED.get(country) or SHAPE_ONLY.get(country)
    if rule is None or not rule(digits):
        return None
    return _format(country, digits)


def _format(country: str, digits: str) -> str:
    return f"NO{digits}MVA" if country == "NO" else f"{country}{digits}"


def find_vat_ids(line: Line) -> list[VatIdMatch]:
    """VAT ids in ``line``: prefixed ones anywhere, bare ones after their country's keyword."""
    found: list[VatIdMatch] = []
    for m in _PREFIXED.finditer(line.text):
        country = "GR" if m["cc"] == "EL" else m["cc"]
        match = _check(country, m["num"], m.start(), m.end(), line)
        if match is not None:
            found.append(match)
    hit = find_keyword(fold(line.text), [k for k, _ in KEYWORD_COUNTRY], fuzzy=False)
    if hit is not None and not found:
        country = dict(KEYWORD_COUNTRY)[hit.keyword]
        for m in _BARE.finditer(line.text, hit.end):
            match = _check(country, m["num"], m.start(), m.end(), line)
            if match is None and country == "NO":
                continue
            if match is not None:
                found.append(match)
                break
    # "Org.nr 923 609 016 MVA": Norwegian without the keyword in front.
    if not found:
        for m in _BARE.finditer(line.text):
            if _MVA.match(line.text[m.end() :]):
                match = _check("NO", m["num"], m.start(), m.end(), line)
                if match is not None:
                    found.append(match)
    return found


def _check(country: str, raw: str, start: int, end: int, line: Line) -> VatIdMatch | None:
    digits = fix_digits(re.sub(r"[\s.\-/]", "", raw))
    if not digits.isdigit():
        return None
    checked = CHECKED.get(country)
    if checked is not None:
        if country == "SE" and len(digits) == 10 and luhn_valid(digits):
            digits += "01"  # "SE 556139-9865" without the 01
        # A run may continue into the next column ("LV40003032065 21.10.2026"): try its prefixes.
        for length in range(len(digits), 6, -1):
            if checked(digits[:length]):
                return VatIdMatch(_format(country, digits[:length]), country, True, start, end, line)
        return None
    shape = SHAPE_ONLY.get(country)
    plain = re.sub(r"[\s.\-/]", "", raw)
    # Without a check digit, only real digits after a VAT word: "R000227410" is a receipt number.
    if shape is not None and plain.isdigit() and shape(plain) and _vat_word(line):
        return VatIdMatch(_format(country, plain), country, False, start, end, line)
    return None


def _vat_word(line: Line) -> bool:
    return find_keyword(fold(line.text), VAT_WORDS, fuzzy=False) is not None


def find_vat_id(lines: Sequence[Line]) -> VatIdMatch | None:
    """The receipt's VAT id: a checked one first, then the first found."""
    matches = [m for line in lines for m in find_vat_ids(line)]
    if not matches:
        return None
    return sorted(matches, key=lambda m: (not m.checked, m.line.index))[0]
