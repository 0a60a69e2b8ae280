"""Per-country, per-year normalbelopp for per diem abroad, loaded from an administrator's CSV.

Skatteverket sets a normalbelopp (tax-free full-day per diem abroad) per country
each year. The table is data an administrator loads, never code. CSV format
(UTF-8, optional BOM, comma separated, header required)::

    year,country_code,country_name,amount_sek
    2026,DE,Tyskland,1004

* ``year``: calendar year the amount applies to;
* ``country_code``: ISO 3166-1 alpha-2, upper case (``DE``); Skatteverket's
  entry for other countries and areas may use a code of the organisation's
  choice of 2-3 letters (e.g. ``XX``);
* ``country_name``: for people (any text; quote it if it has a comma);
* ``amount_sek``: kronor per full day, a positive number (``.`` decimals).

The parser reports the first problem with its line number; a (year, country)
pair may appear once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from backend.domain.text import Text
from backend.domain.travel.errors import NormalbeloppFormatError, UnknownCountry

HEADER = ("year", "country_code", "country_name", "amount_sek")
_CODE = re.compile(r"^[A-Z]{2,3}$")
_AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")


@dataclass(frozen=True)
class Normalbelopp:
    year: int
    country_code: str
    country_name: str
    amount: Decimal


class NormalbeloppTable:
    """Lookup of normalbelopp by year and country code."""

    def __init__(self, entries: Mapping[tuple[int, str], Normalbelopp]) -> None:
        self._entries = MappingProxyType(dict(entries))

    @classmethod
    def from_csv(cls, text: str) -> NormalbeloppTable:
        return parse_normalbelopp_csv(text)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> tuple[Normalbelopp, ...]:
        return tuple(self._entries[k] for k in sorted(self._entries))

    def get(self, year: int, country_code: str) -> Normalbelopp:
        code = country_code.strip().upper()
        entry = self._entries.get((year, code))
        if entry is None:
            raise UnknownCountry(
                Text(
                    sv=f"Normalbelopp saknas för land {code!r} år {year}; läs in Skatteverkets tabell för {year}.",
                    en=f"No normalbelopp for country {code!r} in {year}; load Skatteverket's table for {year}.",
                ),
                field="country_code",
            )
        return entry

    def amount(self, year: int, country_code: str) -> Decimal:
        return self.get(year, country_code).amount


def parse_normalbelopp_csv(text: str) -> NormalbeloppTable:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    entries: dict[tuple[int, str], Normalbelopp] = {}
    header_seen = False
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if not header_seen:
            if tuple(c.lower() for c in cells) != HEADER:
                raise NormalbeloppFormatError(
                    line,
                    Text(
                        sv=f"rubrikraden ska vara {','.join(HEADER)}, är {','.join(cells)}",
                        en=f"expected the header {','.join(HEADER)}, got {','.join(cells)}",
                    ),
                )
            header_seen = True
            continue
        if len(cells) != len(HEADER):
            raise NormalbeloppFormatError(
                line,
                Text(
                    sv=f"{len(HEADER)} kolumner krävs, raden har {len(cells)}",
                    en=f"expected {len(HEADER)} columns, got {len(cells)}",
                ),
            )
        year_text, code, name, amount_text = cells
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4):
            raise NormalbeloppFormatError(
                line,
                Text(sv=f"året {year_text!r} är inte ett årtal", en=f"year {year_text!r} is not a four-digit year"),
            )
        if not _CODE.match(code):
            raise NormalbeloppFormatError(
                line,
                Text(
                    sv=f"landskoden {code!r} ska vara 2-3 versaler (ISO 3166-1 alfa-2)",
                    en=f"country code {code!r} must be 2-3 upper-case letters (ISO 3166-1 alpha-2)",
                ),
            )
        if not name:
            raise NormalbeloppFormatError(line, Text(sv="landets namn saknas", en="country name is empty"))
        if not _AMOUNT.match(amount_text):
            raise NormalbeloppFormatError(
                line,
                Text(
                    sv=f"beloppet {amount_text!r} är inte ett positivt belopp i kronor (t.ex. 1004 eller 1004.50)",
                    en=f"amount {amount_text!r} is not a positive number of kronor (e.g. 1004 or 1004.50)",
                ),
            )
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
            raise NormalbeloppFormatError(line, Text(sv="felaktigt belopp", en="bad amount")) from None
        if amount <= 0:
            raise NormalbeloppFormatError(line, Text(sv="beloppet måste vara större än 0", en="amount must be above 0"))
        key = (int(year_text), code)
        if key in entries:
            raise NormalbeloppFormatError(
                line,
                Text(
                    sv=f"{code} {year_text} förekommer mer än en gång", en=f"{code} {year_text} appears more than once"
                ),
            )
        entries[key] = Normalbelopp(key[0], code, name, amount)
    if not header_seen:
        raise NormalbeloppFormatError(1, Text(sv="filen är tom", en="the file is empty"))
    return NormalbeloppTable(entries)
