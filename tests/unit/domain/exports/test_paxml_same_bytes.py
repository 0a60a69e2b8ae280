"""The optimised PAXml writer writes exactly the bytes of a straightforward one, for varied input.

``reference`` below is the writer as first written (before caching pieces and skipping escapes
for plain text), kept here as the specification of the bytes: one f-string per element, every
field escaped. The sample mixes what the fast paths must not get wrong: text that needs escaping
or is outside Latin-1, reversals, missing figures, decimals of every exponent, people without
personnummer, codes outside the standard, dimensions, items that come back after others.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from backend.domain.exports import codes
from backend.domain.exports.model import Dimensions, PayrollTransaction, Person, Section
from backend.domain.exports.paxml import CHUNK_CHARS, PaxmlHeader, _header, render_paxml

HEADER = PaxmlHeader("Exempel & Söner <AB>", "556139-9865", datetime(2026, 11, 23, 9, tzinfo=UTC), batch_info="x")
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(text: str) -> str:
    text = FORBIDDEN.sub("?", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _money(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    return format(value.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else value, "f")


def _transaction(t: PayrollTransaction, postid: int) -> str:
    person = f' anstid="{_escape(t.person.employee_number)}"'
    if t.person.personal_identity_number:
        person += f' persnr="{_escape(t.person.personal_identity_number)}"'
    units = "".join(
        f'<resenhet dim="{dim}" id="{_escape(value)}"/>'
        for dim, value in ((1, t.dimensions.cost_centre), (6, t.dimensions.project))
        if value
    )
    dims = f"<resenheter>{units}</resenheter>" if units else ""
    text = _escape("Rättelse: " + t.text if t.reversal else t.text)
    tail = f"<samlingsid>{_escape(t.item_id)}</samlingsid>{dims}"
    if t.section is Section.TIME:
        hours = "" if t.hours is None else f"<timmar>{format(t.hours, 'f')}</timmar>"
        return (
            f'<tidtrans{person} postid="{postid}"><tidkod>{_escape(t.code)}</tidkod>'
            f"<datum>{t.day.isoformat()}</datum>{hours}{tail}<info>{text}</info></tidtrans>\n"
        )
    standard = codes.standard_code(t.code)
    code = "" if standard is not None and not standard.in_paxml else f"<lonkod>{_escape(t.code)}</lonkod>"
    figures = ""
    if t.quantity is not None:
        figures += f"<antal>{format(t.quantity, 'f')}</antal>"
    if t.unit_price is not None:
        figures += f"<apris>{_money(t.unit_price)}</apris>"
    if t.amount is not None:
        figures += f"<belopp>{_money(t.amount)}</belopp>"
    return (
        f'<lonetrans{person} postid="{postid}">{code}<lonart>{_escape(t.pay_type)}</lonart>'
        f"<benamning>{text}</benamning><datum>{t.day.isoformat()}</datum>{figures}{tail}</lonetrans>\n"
    )


def reference(transactions: Iterable[PayrollTransaction]) -> bytes:
    time = [t for t in transactions if t.section is Section.TIME]
    pay = [t for t in transactions if t.section is Section.PAY]
    body = _header(HEADER)
    postid = 0
    for element, section in (("tidtransaktioner", time), ("lonetransaktioner", pay)):
        if section:
            body += f"<{element}>\n"
            for t in section:
                postid += 1
                body += _transaction(t, postid)
            body += f"</{element}>\n"
    return (body + "</paxml>\n").encode("iso-8859-1", "xmlcharrefreplace")


TEXTS = ["Lunch", "Taxi & tåg", 'Citat "så"', "<b>", "€ 12", "Åre 😀", "ctrl\x01\x1fslut", "tab\there", "中文", ""]
NUMBERS = ["8", "7.5", "0.25", "1.500", "-3", "100.00", "0", "12.345", "1E+1", "-0.5"]
CODES = {Section.TIME: ["ARB", "SJK", "ÖT1", "EGEN<&>"], Section.PAY: ["UTLÄGG", "FRISKVÅRD", "INR_FRI", "EGEN&KOD"]}


def sample(count: int, seed: int) -> list[PayrollTransaction]:
    chance = random.Random(seed)

    def maybe(values: list[str]) -> Decimal | None:
        return None if chance.random() < 0.2 else Decimal(chance.choice(values))

    people = [
        Person(f"{n}", f"19810101{n:04d}" if n % 3 else None, f"Anna & {chance.choice(TEXTS)}") for n in range(1, 9)
    ]
    dims = [Dimensions(), Dimensions("300"), Dimensions(None, "P-7"), Dimensions("100", "P&1"), Dimensions("", "")]
    made = []
    for _ in range(count):
        section = chance.choice([Section.TIME, Section.PAY])
        made.append(
            PayrollTransaction(
                item_id=chance.choice(["item-1", "item-2", "item-3", "item-<4>"]),
                section=section,
                person=chance.choice(people),
                code=chance.choice(CODES[section]),
                pay_type=chance.choice(["11", "310", "7&1", "Lön"]),
                day=date(2026, 10, 1) + timedelta(days=chance.randrange(60)),
                text=chance.choice(TEXTS) + chance.choice(TEXTS),
                hours=maybe(NUMBERS) if section is Section.TIME else None,
                quantity=maybe(NUMBERS) if section is Section.PAY else None,
                unit_price=maybe(NUMBERS) if section is Section.PAY else None,
                amount=maybe(NUMBERS) if section is Section.PAY else None,
                dimensions=chance.choice(dims),
                reversal=chance.random() < 0.2,
            )
        )
    return sorted(made, key=lambda t: t.section is Section.PAY)  # stable: TIME first, order kept within


def test_the_optimised_writer_gives_the_reference_bytes_for_a_varied_sample() -> None:
    for seed in range(5):
        transactions = sample(3000, seed)
        chunks = list(render_paxml(HEADER, transactions))
        assert len(chunks) > 1  # more than one chunk: the caches live across chunk boundaries
        assert max(len(c) for c in chunks) < 2 * CHUNK_CHARS
        assert b"".join(chunks) == reference(transactions)


def test_only_time_or_only_pay_or_nothing_gives_the_reference_bytes() -> None:
    transactions = sample(200, 7)
    for part in (
        [t for t in transactions if t.section is Section.TIME],
        [t for t in transactions if t.section is Section.PAY],
        [],
    ):
        assert b"".join(render_paxml(HEADER, part)) == reference(part)
