"""An independent SIE 4 reader for the tests: tokenises per the specification, checks #KSUMMA.

Written from the SIE 4B specification, not from the writer: a record is a label and fields
separated by spaces or tabs; a field is a bare word, a quoted string (``\\"`` is a quote) or an
object list in braces; ``{`` and ``}`` on their own lines open and close a voucher's rows. The
checksum is CRC-32 (polynomial 0xEDB88320, computed here with the specification's own table
routine, not zlib) over the label and field contents of the records between the two #KSUMMA.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

_POLY = 0xEDB88320
_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ _POLY if _c & 1 else _c >> 1
    _TABLE.append(_c)


def spec_crc(data: bytes, value: int = 0xFFFFFFFF) -> int:
    for byte in data:
        value = ((value >> 8) & 0x00FFFFFF) ^ _TABLE[(value ^ byte) & 0xFF]
    return value


Field = str | list[tuple[str, str]]


def tokenise(line: str) -> tuple[str, list[Field]]:
    """(label, fields): quoted strings unquoted, object lists as (dimension, object) pairs."""
    tokens: list[Field] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in " \t":
            i += 1
        elif ch == '"':
            i, text = _quoted(line, i)
            tokens.append(text)
        elif ch == "{":
            end = line.index("}", i)
            inner = tokenise("X " + line[i + 1 : end])[1]
            words = [w for w in inner if isinstance(w, str)]
            tokens.append(list(zip(words[::2], words[1::2], strict=True)))
            i = end + 1
        else:
            j = i
            while j < n and line[j] not in " \t":
                j += 1
            tokens.append(line[i:j])
            i = j
    label = tokens[0]
    assert isinstance(label, str)
    return label, tokens[1:]


def _quoted(line: str, i: int) -> tuple[int, str]:
    out = []
    i += 1
    while line[i] != '"':
        if line[i] == "\\" and line[i + 1] == '"':
            i += 1
        out.append(line[i])
        i += 1
    return i + 1, "".join(out)


def _contents(label: str, fields: list[Field]) -> str:
    parts = [label]
    for f in fields:
        parts += [x for pair in f for x in pair] if isinstance(f, list) else [f]
    return "".join(parts)


@dataclass
class Trans:
    account: str
    objects: list[tuple[str, str]]
    amount: Decimal
    day: date | None
    text: str


@dataclass
class Ver:
    series: str
    number: str
    day: date
    text: str
    rows: list[Trans] = field(default_factory=list)


@dataclass
class SieFile:
    records: list[tuple[str, list[Field]]]
    vouchers: list[Ver]
    checksum_ok: bool

    def first(self, label: str) -> list[Field]:
        return next(fields for lab, fields in self.records if lab == label)

    def all(self, label: str) -> list[list[Field]]:
        return [fields for lab, fields in self.records if lab == label]


def _day(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


def read_sie(data: bytes) -> SieFile:
    """Parse a CP437 SIE file; ``checksum_ok`` compares #KSUMMA with the content."""
    lines = data.decode("cp437").split("\r\n")
    assert lines[-1] == "", "the file ends with CR LF"
    records: list[tuple[str, list[Field]]] = []
    vouchers: list[Ver] = []
    crc, summing, declared = 0xFFFFFFFF, False, None
    for line in lines[:-1]:
        if line in ("{", "}"):
            continue
        label, fields = tokenise(line)
        if label == "#KSUMMA":
            if summing:
                declared = int(str(fields[0]))
            summing = True
            continue
        if summing:
            crc = spec_crc(_contents(label, fields).encode("cp437"), crc)
        records.append((label, fields))
        if label == "#VER":
            series, number, day, text = (str(f) for f in fields[:4])
            vouchers.append(Ver(series, number, _day(day), text))
        elif label == "#TRANS":
            account, objects, amount = fields[0], fields[1], fields[2]
            assert isinstance(objects, list)
            when = _day(str(fields[3])) if len(fields) > 3 and fields[3] else None
            row_text = str(fields[4]) if len(fields) > 4 else ""
            vouchers[-1].rows.append(Trans(str(account), objects, Decimal(str(amount)), when, row_text))
    checksum = crc ^ 0xFFFFFFFF
    ok = declared is not None and declared % (1 << 32) == checksum
    return SieFile(records, vouchers, ok)
