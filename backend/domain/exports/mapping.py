"""The organisation's code mapping: each standard code to its payroll system's löneart.

PAXml carries the standard code (``ARB``, ``INR_FRI``...) and, for amounts, the organisation's
own löneart (``<lonart>``); payroll systems number their lönearter themselves, so the mapping is
the organisation's to edit. ``DEFAULT_MAPPING`` is a starting point only: numeric lönearter in
the ranges many Swedish payroll systems use, to be replaced by the organisation's own before the
first export.

The mapping file is TOML::

    [lonearter]
    ARB = "100"
    "ÖT1" = "310"

A löneart is 1-20 printable characters (no control characters). Keys are standard codes the
product knows (``codes.ALL_CODES``); an unknown key is refused rather than silently ignored.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from backend.domain.errors import DomainError
from backend.domain.exports import codes
from backend.domain.text import Text

MAX_PAY_TYPE_LENGTH = 20
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class UnmappedCode(DomainError):
    """A standard code the export needs has no löneart in the organisation's mapping."""

    code = "export.unmapped_code"

    def __init__(self, standard_code: str) -> None:
        self.standard_code = standard_code
        super().__init__(
            Text(
                sv=f"Koden {standard_code} saknar löneart i organisationens kodmappning.",
                en=f"The code {standard_code} has no pay type (löneart) in the organisation's code mapping.",
            ),
            field=f"lonearter.{standard_code}",
        )


class InvalidPayType(DomainError):
    """A löneart that a payroll system cannot read: empty, too long or with control characters."""

    code = "export.invalid_pay_type"

    def __init__(self, standard_code: str, pay_type: object) -> None:
        self.standard_code = standard_code
        super().__init__(
            Text(
                sv=f"Lönearten för {standard_code} ska vara 1-{MAX_PAY_TYPE_LENGTH} skrivbara tecken (fick {pay_type!r}).",
                en=f"The pay type for {standard_code} must be 1-{MAX_PAY_TYPE_LENGTH} printable characters "
                f"(got {pay_type!r}).",
            ),
            field=f"lonearter.{standard_code}",
        )


class UnknownStandardCode(DomainError):
    """A mapping names a code that is not one of the standard codes the export emits."""

    code = "export.unknown_standard_code"

    def __init__(self, standard_code: str) -> None:
        self.standard_code = standard_code
        super().__init__(
            Text(
                sv=f"{standard_code} är inte en standardkod som exporten använder.",
                en=f"{standard_code} is not a standard code this export uses.",
            ),
            field=f"lonearter.{standard_code}",
        )


class MappingFileError(DomainError):
    """The mapping file is not TOML or lacks its ``[lonearter]`` table."""

    code = "export.mapping_file"


def _check_pay_type(standard_code: str, pay_type: object) -> str:
    if (
        not isinstance(pay_type, str)
        or not 1 <= len(pay_type) <= MAX_PAY_TYPE_LENGTH
        or not pay_type.isprintable()
        or pay_type != pay_type.strip()
    ):
        raise InvalidPayType(standard_code, pay_type)
    return pay_type


@dataclass(frozen=True)
class CodeMapping:
    """Standard code -> löneart. Built from a plain dict; validated when created."""

    pay_types: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        checked = {}
        for code, pay_type in self.pay_types.items():
            if codes.standard_code(code) is None:
                raise UnknownStandardCode(code)
            checked[code] = _check_pay_type(code, pay_type)
        object.__setattr__(self, "pay_types", MappingProxyType(dict(sorted(checked.items()))))

    def pay_type(self, code: str) -> str:
        """The organisation's löneart for ``code``; ``UnmappedCode`` when it has none."""
        try:
            return self.pay_types[code]
        except KeyError:
            raise UnmappedCode(code) from None

    def has(self, code: str) -> bool:
        return code in self.pay_types


DEFAULT_MAPPING = CodeMapping(
    {
        "ARB": "100",
        "MER": "210",
        "ÖT1": "310",
        "ÖT2": "320",
        "OB1": "410",
        "OB2": "420",
        "OB3": "430",
        "OB4": "440",
        "SJK": "500",
        "SJK_KAR": "501",
        "VAB": "520",
        "FPE": "530",
        "TJL": "540",
        "SEM": "600",
        "UTLÄGG": "700",
        "FRISKVÅRD": "710",
        "INR_FRI": "800",
        "INR_SKT": "801",
        "INRNAT_FRI": "802",
        "MATRED": "805",
        "MATRED_FRU": "806",
        "MATRED_LCH": "807",
        "MATRED_MID": "808",
        "UTR_FRI": "820",
        "UTR_SKT": "821",
        "UTRNAT_FRI": "822",
        "UTRRED": "825",
        "UTRRED_FRU": "826",
        "UTRRED_LCH": "827",
        "UTRRED_MID": "828",
        "MILPRI_FRI": "850",
        "MILPRI_SKT": "851",
        "MILFTG_FRI": "852",
        "MILFTG_SKT": "853",
        "MILEL_FRI": "854",
    }
)
"""Defaults to be changed: numeric lönearter in common ranges, not any one payroll system's."""


def parse_mapping(text: str) -> CodeMapping:
    """A mapping file (TOML, ``[lonearter]``) as a validated ``CodeMapping``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingFileError(
            Text(sv=f"Kodmappningen är inte giltig TOML: {error}.", en=f"The code mapping is not valid TOML: {error}."),
            field="lonearter",
        ) from None
    table = data.get("lonearter")
    if not isinstance(table, dict):
        raise MappingFileError(
            Text(sv="Kodmappningen behöver en tabell [lonearter].", en="The code mapping needs a [lonearter] table."),
            field="lonearter",
        )
    return CodeMapping(table)


def toml_string(value: str) -> str:
    """A TOML basic string: quotes and backslashes escaped (pay types and names are printable)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_key(key: str) -> str:
    """A bare key when TOML allows one (ASCII letters, digits, ``_``, ``-``), else a quoted one."""
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def serialise_mapping(mapping: CodeMapping) -> str:
    """The mapping as a TOML file, codes sorted: the same mapping always gives the same text."""
    lines = ["[lonearter]"]
    lines += [f"{toml_key(code)} = {toml_string(pay_type)}" for code, pay_type in sorted(mapping.pay_types.items())]
    return "\n".join(lines) + "\n"
