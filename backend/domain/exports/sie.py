"""SIE 4 type 4I (vouchers for import into bookkeeping), written as a stream of CP437 (PC8) bytes.

The header needs every account used with its name (#KONTO) and every cost centre and project
(#OBJEKT) before the first voucher, so the caller collects them first: ``accounts_used`` and
``objects_used`` do that from the vouchers (and the chart's names), then ``render_sie`` streams.

Records: #FLAGGA 0, #KSUMMA, #PROGRAM, #FORMAT PC8, #GEN, #SIETYP 4, #ORGNR, #FNAMN, #RAR 0,
#KONTO..., #DIM 1 "Kostnadsställe", #DIM 6 "Projekt", #OBJEKT..., then per voucher
``#VER serie nr datum "text"`` and a ``{ ... }`` block of ``#TRANS konto {dim "obj" ...} belopp
datum "text"``, and last ``#KSUMMA <checksum>``. Lines end in CR LF.

Text fields are always quoted; ``"`` inside is written ``\\"``; a backslash becomes ``/`` (the
spec defines no escape for it), tab, newline and other control characters a space, and a
character CP437 lacks ``?``. Amounts have two decimals and a minus sign for credits.

#KSUMMA: SIE 4B section 10.15 (the C routine printed in the specification): a CRC-32 with the
polynomial 0xEDB88320 (ISO 3309, the same as ``zlib.crc32``), initial value 0xFFFFFFFF and a final
inversion, over the CP437 bytes of every record after the opening ``#KSUMMA`` up to the closing
one, each record contributing its label (``#TRANS``) and its fields' contents: without the
spaces between fields, the quotes around and the backslashes in strings, and the braces of object
lists (``{1 "100"}`` contributes ``1100``); the lines ``{`` and ``}`` contribute nothing. Written
as the unsigned decimal number. Reference used: the specification's routine as translated by
Open End AB (Apache-2.0, "the SIE checksum calculation as translated from the C implementation in
the standards document") and the field rule as an open-source SIE parser implements SIE 4B 10.15.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from backend.domain.exports.chart import Chart
from backend.domain.exports.model import Dimensions, Voucher

ENCODING = "cp437"
CHUNK_CHARS = 1 << 16
COST_CENTRE_DIMENSION = 1
PROJECT_DIMENSION = 6
_CENT = Decimal("0.01")
_PLAIN = re.compile(r"-?[0-9.]+")
_CONTROL = dict.fromkeys(range(32), " ") | {ord("\\"): "/", 127: " "}
# Punctuation the app writes that CP437 lacks, as its nearest ASCII (not "?": "Luleå → Kundbesök").
_PUNCTUATION = {ord("→"): "-", ord("–"): "-", ord("—"): "-", ord("‘"): "'", ord("’"): "'", ord("“"): '"', ord("”"): '"'}
_PUNCTUATION |= {ord("…"): "...", ord("€"): "EUR", 0xA0: " "}


@dataclass(frozen=True)
class SieObject:
    dimension: int  # 1 cost centre, 6 project
    code: str
    name: str


@dataclass(frozen=True)
class SieHeader:
    organisation_name: str
    organisation_number: str  # NNNNNN-NNNN
    generated_on: date
    fiscal_year_start: date
    fiscal_year_end: date
    accounts: Mapping[str, str]  # every account the vouchers use -> its name
    objects: tuple[SieObject, ...] = ()  # every cost centre and project the vouchers use
    program_name: str = "Självservice"
    program_version: str = "1.0"
    series: str = "L"
    first_number: int = 1


class _Q(str):
    """A field written as a quoted string."""

    __slots__ = ()


_Objects = tuple[tuple[int, str], ...]
_Field = str | _Objects


@lru_cache(maxsize=8192)  # texts repeat (account names, row texts): a month has few distinct ones
def clean(text: str) -> str:
    """Text as it can be written in CP437: control characters a space, backslash ``/``, dashes, arrows and
    quotes their ASCII look-alikes, others ``?``."""
    text = text.translate(_CONTROL)
    if not text.isascii():
        text = text.translate(_PUNCTUATION).encode(ENCODING, "replace").decode(ENCODING)
    return text


def _amount(value: Decimal) -> str:
    return format(value.quantize(_CENT), "f")


def _objects(dims: Dimensions) -> _Objects:
    return tuple(
        (dim, code)
        for dim, code in ((COST_CENTRE_DIMENSION, dims.cost_centre), (PROJECT_DIMENSION, dims.project))
        if code
    )


def _record(label: str, *fields: _Field) -> tuple[str, str]:
    """(the line as written, what it contributes to the checksum)."""
    written = [label]
    content = [label]
    for value in fields:
        if isinstance(value, tuple):
            pairs = [(str(dim), clean(code)) for dim, code in value]
            written.append("{" + " ".join(f'{dim} "{_quoted(code)}"' for dim, code in pairs) + "}")
            content += [part for pair in pairs for part in pair]
        elif isinstance(value, _Q):
            text = clean(value)
            written.append(f'"{_quoted(text)}"')
            content.append(text)
        else:  # numbers, dates, account numbers: clean already unless something odd came in
            text = value if value.isalnum() or _PLAIN.fullmatch(value) else clean(value)
            written.append(text)
            content.append(text)
    return " ".join(written) + "\r\n", "".join(content)


def _quoted(text: str) -> str:
    return text.replace('"', '\\"')


def _header_records(header: SieHeader) -> Iterator[tuple[str, str]]:
    yield _record("#PROGRAM", _Q(header.program_name), _Q(header.program_version))
    yield _record("#FORMAT", "PC8")
    yield _record("#GEN", header.generated_on.strftime("%Y%m%d"))
    yield _record("#SIETYP", "4")
    yield _record("#ORGNR", header.organisation_number)
    yield _record("#FNAMN", _Q(header.organisation_name))
    yield _record("#RAR", "0", header.fiscal_year_start.strftime("%Y%m%d"), header.fiscal_year_end.strftime("%Y%m%d"))
    for account, name in sorted(header.accounts.items()):
        yield _record("#KONTO", account, _Q(name))
    yield _record("#DIM", str(COST_CENTRE_DIMENSION), _Q("Kostnadsställe"))
    yield _record("#DIM", str(PROJECT_DIMENSION), _Q("Projekt"))
    for obj in sorted(header.objects, key=lambda o: (o.dimension, o.code)):
        yield _record("#OBJEKT", str(obj.dimension), _Q(obj.code), _Q(obj.name))


_OPEN = ("{\r\n", "")
_CLOSE = ("}\r\n", "")


def _voucher_records(voucher: Voucher, series: str, number: int) -> Iterator[tuple[str, str]]:
    day = voucher.day.strftime("%Y%m%d")
    yield _record("#VER", _Q(series), str(number), day, _Q(voucher.text))
    yield _OPEN
    for row in voucher.rows:
        yield _record("#TRANS", row.account, _objects(row.dimensions), _amount(row.amount), day, _Q(row.text))
    yield _CLOSE


def render_sie(header: SieHeader, vouchers: Iterable[Voucher]) -> Iterator[bytes]:
    """The SIE 4I file as chunks of CP437 bytes, numbered from ``header.first_number``."""
    crc = 0
    parts = ["#FLAGGA 0\r\n#KSUMMA\r\n"]
    size = 0

    def records() -> Iterator[tuple[str, str]]:
        yield from _header_records(header)
        for offset, voucher in enumerate(vouchers):
            yield from _voucher_records(voucher, header.series, header.first_number + offset)

    for line, content in records():
        parts.append(line)
        size += len(line)
        if content:
            crc = zlib.crc32(content.encode(ENCODING), crc)
        if size >= CHUNK_CHARS:
            yield "".join(parts).encode(ENCODING)
            parts, size = [], 0
    parts.append(f"#KSUMMA {crc}\r\n")
    yield "".join(parts).encode(ENCODING)


def accounts_used(vouchers: Iterable[Voucher], chart: Chart) -> dict[str, str]:
    """Every account in ``vouchers`` with its name from the chart (the account number if it has none)."""
    used = {row.account for voucher in vouchers for row in voucher.rows}
    return {account: chart.accounts.get(account, account) for account in sorted(used)}


def objects_used(
    vouchers: Iterable[Voucher], names: Mapping[tuple[int, str], str] | None = None
) -> tuple[SieObject, ...]:
    """Every cost centre and project in ``vouchers``; named from ``names`` (dimension, code), else by code."""
    names = names or {}
    found = {obj for voucher in vouchers for row in voucher.rows for obj in _objects(row.dimensions)}
    return tuple(SieObject(dim, code, names.get((dim, code), code)) for dim, code in sorted(found))
