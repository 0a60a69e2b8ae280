"""Building blocks for msgspec structs at the API edge.

Every request body derives from ``Input``, whose ``__post_init__`` applies the edge rules once
for all of them: numbers finite, in range and with no more decimals than the field allows;
dates within years the calendars know; text free of NUL and other control characters.
msgspec checks types and lengths; these are the rules it cannot express (it does not bound
``Decimal``) and that, left out, turned bad input into 500s deep in date arithmetic or the
database. A field refused here is reported by name (``backend.core.problems``).
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar

import msgspec

from backend.core.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
"""Dates outside these years are refused: no payroll rule reaches them, and date arithmetic near
year 1 or 9999 overflows."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0/C1 control characters (tab, newline and carriage return allowed) and lone surrogates:
PostgreSQL refuses NUL, and none of them is text a person meant to write."""


@dataclass(frozen=True, slots=True)
class DecimalRule:
    """The range and the number of decimals one kind of number allows."""

    minimum: Decimal
    maximum: Decimal
    decimals: int

    def meta(self, description: str) -> msgspec.Meta:
        return msgspec.Meta(description=description, extra={"decimal_rule": self})


# The ranges keep numbers where arithmetic and storage are safe, no more. The areas' own rules
# (no negative distance, at most 24 hours a day, an employment rate up to 100 %, a Swedish VAT
# rate) stay in the domain, which reports every problem of a body at once with its own codes.
ANY_DECIMAL = DecimalRule(Decimal(-(10**12)), Decimal(10**12), 6)
"""For a ``Decimal`` field with no rule of its own."""


def _within(limit: int, decimals: int) -> DecimalRule:
    return DecimalRule(Decimal(-limit), Decimal(limit), decimals)


Money = Annotated[Decimal, _within(10**9, 2).meta("Amount, at most two decimals ('123.45')")]
Percent = Annotated[Decimal, _within(1000, 2).meta("Percent, at most two decimals")]
Kilometres = Annotated[Decimal, _within(100_000, 2).meta("Kilometres, at most two decimals")]
DayHours = Annotated[Decimal, _within(1000, 2).meta("Hours in one day, quarter hours ('7.75')")]
WeekHours = Annotated[Decimal, _within(1000, 2).meta("Hours in one week, at most two decimals")]
Days = Annotated[Decimal, _within(1000, 2).meta("Days, at most two decimals")]
ExchangeRate = Annotated[Decimal, _within(100_000, 6).meta("SEK per unit, at most six decimals")]
Count = Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]
"""A whole number a database INTEGER column holds."""


class EdgeError(ValueError):
    """A field that breaks an edge rule. msgspec adds where the struct is (``- at `$.rows[0]```);
    ``backend.core.problems`` reads the field and the code back out of the message."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"field `{field}` {code}")


EDGE_ERROR = re.compile(r"^field `(?P<field>[^`]+)` (?P<code>[a-z_]+)$")


def _rule(annotation: Any) -> DecimalRule | None:
    """The decimal rule in a field's annotation, looking through ``| None`` and ``list[...]``."""
    if typing.get_origin(annotation) is Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, msgspec.Meta) and isinstance(meta.extra, dict):
                rule = meta.extra.get("decimal_rule")
                if isinstance(rule, DecimalRule):
                    return rule
    for argument in typing.get_args(annotation):
        if (found := _rule(argument)) is not None:
            return found
    return None


def _check(field: str, value: Any, rule: DecimalRule) -> None:
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            raise EdgeError(field, "control_character")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise EdgeError(field, "not_finite")
        if not rule.minimum <= value <= rule.maximum:
            raise EdgeError(field, "out_of_range")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > rule.decimals:
            raise EdgeError(field, "too_many_decimals")
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise EdgeError(field, "not_finite")
    elif isinstance(value, date):  # datetime too
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise EdgeError(field, "year_out_of_range")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(f"{field}.{index}", item, rule)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(f"{field}.{key}", key, rule)
            _check(f"{field}.{key}", item, rule)


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base for request bodies: a misspelt field is an error, not silently ignored; edge rules above."""

    __edge_rules__: ClassVar[dict[type, tuple[tuple[str, str, DecimalRule], ...]]] = {}

    def __post_init__(self) -> None:
        cls = type(self)
        rules = Input.__edge_rules__.get(cls)
        if rules is None:
            try:
                hints = typing.get_type_hints(cls, include_extras=True)
            except NameError:  # a name only imported for type checking: the general rule then
                hints = {}
            rules = tuple(
                (name, wire, _rule(hints.get(name)) or ANY_DECIMAL)
                for name, wire in zip(cls.__struct_fields__, cls.__struct_encode_fields__, strict=True)
            )
            Input.__edge_rules__[cls] = rules
        for name, wire, rule in rules:
            value = getattr(self, name)
            if value is not None and not isinstance(value, msgspec.Struct | bool | int):
                _check(wire, value, rule)


class Output(msgspec.Struct, kw_only=True):
    """Base for response bodies."""


Email = Annotated[
    str,
    msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="E-mail address"),
]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._/-]+$")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
NewPassword = Annotated[
    str,
    msgspec.Meta(
        min_length=MIN_PASSWORD_LENGTH,
        max_length=MAX_PASSWORD_LENGTH,
        description=f"At least {MIN_PASSWORD_LENGTH} characters",
    ),
]
"""A password being chosen: the policy in backend/core/passwords.py."""
