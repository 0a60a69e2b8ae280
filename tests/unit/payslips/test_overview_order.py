"""The overview's orders: by name in Swedish order with ties by id, and by a figure with ties in name order,
from one precomputed string per row (``name_order``) and stable sorts."""

from __future__ import annotations

import random
from datetime import date
from uuid import UUID, uuid4

import pytest

from backend.payslips.compute import Entry, name_key, name_order
from backend.payslips.overview import Computed

pytestmark = pytest.mark.clockless

NAMES = ["Anna Berg", "Anna Bergström", "Åsa Öberg", "Ärla Ek", "Örjan Ås", "anna berg", "Zelda Ö", "Ola Z"]


def _entry(name: str, net: int, warnings: int, employee_id: UUID | None = None) -> Entry:
    employee_id = employee_id or uuid4()
    warned = (("w", "sv", "en"),) * warnings
    return Entry(employee_id, name, "1", net, 0, net, 0, warnings, 0, warned, name_order(name, employee_id))


def _rows(count: int) -> list[Entry]:
    generator = random.Random(7)
    return [
        _entry(generator.choice(NAMES), generator.choice([0, 100, 250]), generator.randint(0, 2)) for _ in range(count)
    ]


def test_a_name_comes_before_a_longer_name_that_starts_the_same_and_a_z_before_the_swedish_letters() -> None:
    names = sorted(NAMES, key=lambda n: name_order(n, uuid4()))

    assert names.index("Anna Berg") < names.index("Anna Bergström")
    assert names.index("Ola Z") < names.index("Zelda Ö") < names.index("Åsa Öberg") < names.index("Ärla Ek")
    assert names.index("Ärla Ek") < names.index("Örjan Ås")


@pytest.mark.parametrize("sort", ["name", "warnings", "net", "gross", "pending"])
@pytest.mark.parametrize("direction", ["ascending", "descending"])
def test_every_order_is_the_figure_then_the_name_then_the_id(sort: str, direction: str) -> None:
    rows = _rows(300)
    overview = Computed(uuid4(), "2026-12", date(2026, 12, 25), date(2026, 12, 8), False, rows)

    ordered = overview.ordered(sort, direction)  # type: ignore[arg-type]

    descending = direction == "descending"
    if sort == "name":
        expected = sorted(rows, key=lambda e: (name_key(e.name), e.employee_id), reverse=descending)
    else:

        def number(e: Entry) -> int:
            return {
                "warnings": len(e.warnings),
                "net": e.net,
                "gross": e.gross,
                "pending": e.pending_items,
            }[sort]

        sign = -1 if descending else 1
        expected = sorted(rows, key=lambda e: (sign * number(e), name_key(e.name), e.employee_id))
    assert ordered == expected
    assert len({e.employee_id for e in ordered}) == len(rows)
