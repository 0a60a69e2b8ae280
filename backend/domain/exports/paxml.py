"""PAXml 2.0 to the payroll system, written as a stream of ISO-8859-1 bytes.

``render_paxml`` never holds the document: it writes each transaction as it comes and yields
chunks of about ``CHUNK_CHARS`` characters, so a month of 400 000 transactions needs no more
memory than one chunk. The caller passes the TIME section's transactions first, then the PAY
section's (each section must come in one run: PAXml allows each section once; a section that
comes back after another raises ``SectionOrderError`` while streaming).

Text: XML-escaped; a character outside Latin-1 (€, emoji, Chinese) is written as an XML
character reference (``&#8364;``), which every XML parser reads back exactly; a character XML 1.0
forbids (control characters other than tab/newline) becomes ``?``. Same input, same bytes.

``postid`` counts the transactions from 1; ``anstid`` is the employee number, ``persnr`` the
personnummer, ``samlingsid`` the item id; cost centre and project are ``resenheter`` in
dimensions 1 and 6 (the same numbers as SIE), declared in ``<dimensioner>``. A transaction whose
code is not a PAXml standard code (the wellness allowance) is written with its löneart only.
Reversals carry the negated figures and "Rättelse: " before the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from backend.domain.exports import codes
from backend.domain.exports.model import Dimensions, PayrollTransaction, Person, Section

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHUNK_CHARS = 1 << 16
COST_CENTRE_DIMENSION = 1
PROJECT_DIMENSION = 6
REVERSAL_PREFIX = "Rättelse: "

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ELEMENT = {Section.TIME: "tidtransaktioner", Section.PAY: "lonetransaktioner"}


class SectionOrderError(ValueError):
    """A section's transactions came after another section had started (PAXml has each section once)."""


@dataclass(frozen=True)
class PaxmlHeader:
    organisation_name: str
    organisation_number: str  # foretagorgnr, NNNNNN-NNNN (at most 12 characters)
    created_at: datetime  # aware; written in Stockholm time
    program_name: str = "Självservice"
    batch_info: str = ""  # e.g. "Lönebatch 2026-11, 2026-11-23 (nr 3)"
    cost_centre_name: str = "Kostnadsställe"
    project_name: str = "Projekt"


_SPECIAL = re.compile(_FORBIDDEN.pattern.removesuffix("]") + '&<>"]')  # what escape() changes


def escape(text: str) -> str:
    """Element text / attribute value: XML-escaped, forbidden characters replaced by ``?``."""
    if _SPECIAL.search(text) is None:  # most fields: nothing to do
        return text
    text = _FORBIDDEN.sub("?", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_CENT = Decimal("0.01")


def _number(value: Decimal) -> str:
    return format(value, "f")


def _money(value: Decimal) -> str:
    """Prices and amounts with at least two decimals (780.00), never rounded."""
    exponent = value.as_tuple().exponent
    return format(value.quantize(_CENT) if isinstance(exponent, int) and exponent > -2 else value, "f")


def _encode(text: str) -> bytes:
    return text.encode("iso-8859-1", "xmlcharrefreplace")


def _header(header: PaxmlHeader) -> str:
    created = header.created_at.astimezone(STOCKHOLM).replace(microsecond=0).isoformat()
    info = f"<info>{escape(header.batch_info)}</info>" if header.batch_info else ""
    return (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<paxml>\n<header>'
        f"<format>LÖNIN</format><version>2.0</version><datum>{created}</datum>"
        f"<foretagorgnr>{escape(header.organisation_number)}</foretagorgnr>"
        f"<foretagnamn>{escape(header.organisation_name)}</foretagnamn>"
        f"<programnamn>{escape(header.program_name)}</programnamn>{info}</header>\n"
        f'<dimensioner><dimension dim="{COST_CENTRE_DIMENSION}" namn="{escape(header.cost_centre_name)}"/>'
        f'<dimension dim="{PROJECT_DIMENSION}" namn="{escape(header.project_name)}"/></dimensioner>\n'
    )


class _Writer:
    """Turns transactions into element text, caching what repeats (people, dimensions, codes, days, items).

    A month is hundreds of thousands of transactions over a few thousand people, items and days and a
    handful of codes, so each transaction is mostly a ``str.join`` of cached pieces.
    """

    def __init__(self) -> None:
        self.postid = 0
        self._people: dict[Person, str] = {}
        self._dimensions: dict[Dimensions, str] = {}
        self._days: dict[date, str] = {}
        self._time_codes: dict[str, str] = {}
        self._pay_codes: dict[tuple[str, str], str] = {}
        self._item = ("", "")  # the last item id and its tail start (transactions come item by item)

    def _person(self, person: Person) -> str:
        """The attributes up to the opening quote of ``postid``, which the transaction fills in."""
        found = f' anstid="{escape(person.employee_number)}"'
        if person.personal_identity_number:
            found += f' persnr="{escape(person.personal_identity_number)}"'
        found = self._people[person] = found + ' postid="'
        return found

    def _dimensions_of(self, dims: Dimensions) -> str:
        found = self._dimensions.get(dims)
        if found is None:
            units = [
                f'<resenhet dim="{dim}" id="{escape(value)}"/>'
                for dim, value in ((COST_CENTRE_DIMENSION, dims.cost_centre), (PROJECT_DIMENSION, dims.project))
                if value
            ]
            found = f"<resenheter>{''.join(units)}</resenheter>" if units else ""
            self._dimensions[dims] = found
        return found

    def _day(self, day: date) -> str:
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = f"<datum>{day.isoformat()}</datum>"
        return found

    def _samlingsid(self, item_id: str) -> str:
        last, tail = self._item
        if item_id != last:
            tail = f"<samlingsid>{escape(item_id)}</samlingsid>"
            self._item = (item_id, tail)
        return tail

    def _pay_code(self, code: str, pay_type: str) -> str:
        found = self._pay_codes.get((code, pay_type))
        if found is None:
            standard = codes.standard_code(code)
            lonkod = "" if standard is not None and not standard.in_paxml else f"<lonkod>{escape(code)}</lonkod>"
            found = self._pay_codes[(code, pay_type)] = f"{lonkod}<lonart>{escape(pay_type)}</lonart><benamning>"
        return found

    def transaction(self, t: PayrollTransaction) -> str:
        self.postid += 1
        person = self._people.get(t.person) or self._person(t.person)
        text = escape(REVERSAL_PREFIX + t.text if t.reversal else t.text)
        dims = self._dimensions.get(t.dimensions)
        if dims is None:
            dims = self._dimensions_of(t.dimensions)
        if t.section is Section.TIME:
            code = self._time_codes.get(t.code)
            if code is None:
                code = self._time_codes[t.code] = f"<tidkod>{escape(t.code)}</tidkod>"
            return "".join(
                (
                    "<tidtrans",
                    person,
                    str(self.postid),
                    '">',
                    code,
                    self._day(t.day),
                    "" if t.hours is None else f"<timmar>{_number(t.hours)}</timmar>",
                    self._samlingsid(t.item_id),
                    dims,
                    "<info>",
                    text,
                    "</info></tidtrans>\n",
                )
            )
        return "".join(
            (
                "<lonetrans",
                person,
                str(self.postid),
                '">',
                self._pay_code(t.code, t.pay_type),
                text,
                "</benamning>",
                self._day(t.day),
                "" if t.quantity is None else f"<antal>{_number(t.quantity)}</antal>",
                "" if t.unit_price is None else f"<apris>{_money(t.unit_price)}</apris>",
                "" if t.amount is None else f"<belopp>{_money(t.amount)}</belopp>",
                self._samlingsid(t.item_id),
                dims,
                "</lonetrans>\n",
            )
        )


def render_paxml(header: PaxmlHeader, transactions: Iterable[PayrollTransaction]) -> Iterator[bytes]:
    """The PAXml document as chunks of ISO-8859-1 bytes (TIME transactions first, then PAY)."""
    writer = _Writer()
    parts = [_header(header)]
    size = len(parts[0])
    current: Section | None = None
    done: set[Section] = set()
    for transaction in transactions:
        if transaction.section is not current:
            if transaction.section in done:
                raise SectionOrderError(
                    f"{transaction.section.value} came again after another section (pass TIME, then PAY)."
                )
            if current is not None:
                parts.append(f"</{_ELEMENT[current]}>\n")
                done.add(current)
            current = transaction.section
            parts.append(f"<{_ELEMENT[current]}>\n")
        piece = writer.transaction(transaction)
        parts.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield _encode("".join(parts))
            parts, size = [], 0
    if current is not None:
        parts.append(f"</{_ELEMENT[current]}>\n")
    parts.append("</paxml>\n")
    yield _encode("".join(parts))
