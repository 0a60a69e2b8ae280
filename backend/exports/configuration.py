"""The organisation's code mapping (standard code -> its payroll system's löneart) and chart of accounts.

Stored as the TOML file the rules read and write (``backend.domain.exports.mapping``/``chart``);
none stored means the defaults. Every change is audited with the file before and after.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core import audit
from backend.core.auth import Principal
from backend.core.i18n import Text
from backend.core.problems import FieldError, invalid
from backend.db.models import Account, ExportConfiguration
from backend.domain.errors import DomainError
from backend.domain.exports.chart import DEFAULT_CHART, Chart, parse_chart, serialise_chart
from backend.domain.exports.mapping import DEFAULT_MAPPING, CodeMapping, parse_mapping, serialise_mapping

CODE_MAPPING = "code_mapping"
CHART = "chart"
MAX_FILE = 200_000


@dataclass(frozen=True)
class Stored:
    """A configuration file as stored, or the default's when none is."""

    kind: str
    content: str
    default: bool
    changed_at: Any = None
    changed_by: str | None = None


_DEFAULTS = {CODE_MAPPING: lambda: serialise_mapping(DEFAULT_MAPPING), CHART: lambda: serialise_chart(DEFAULT_CHART)}


def _parse(kind: str, content: str) -> CodeMapping | Chart:
    return parse_mapping(content) if kind == CODE_MAPPING else parse_chart(content)


def _serialise(kind: str, parsed: CodeMapping | Chart) -> str:
    if isinstance(parsed, CodeMapping):
        return serialise_mapping(parsed)
    return serialise_chart(parsed)


async def _row(session: AsyncSession, organisation_id: UUID, kind: str) -> ExportConfiguration | None:
    return (
        await session.execute(
            select(ExportConfiguration).where(
                col(ExportConfiguration.organisation_id) == organisation_id, col(ExportConfiguration.kind) == kind
            )
        )
    ).scalar_one_or_none()


async def mapping_for(session: AsyncSession, organisation_id: UUID) -> CodeMapping:
    row = await _row(session, organisation_id, CODE_MAPPING)
    return DEFAULT_MAPPING if row is None else parse_mapping(row.content)


async def chart_for(session: AsyncSession, organisation_id: UUID) -> Chart:
    row = await _row(session, organisation_id, CHART)
    return DEFAULT_CHART if row is None else parse_chart(row.content)


def as_document(content: str) -> dict[str, Any]:
    """The file as JSON: the same tables and keys the TOML has."""
    return tomllib.loads(content)


def _toml_value(value: Any, path: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        if any(ord(c) < 32 for c in escaped):
            raise _bad(path)
        return f'"{escaped}"'
    raise _bad(path)


def _bad(path: str) -> DomainError:
    return DomainError(
        Text(sv=f"{path}: använd text, heltal eller tabeller.", en=f"{path}: use text, whole numbers or tables."),
        field=path,
    )


def from_document(document: dict[str, Any]) -> str:
    """A JSON document (tables of keys) as the TOML file it stands for; the rules' parser then checks it."""
    lines: list[str] = []
    for table, values in document.items():
        if not isinstance(values, dict):
            lines.append(f"{_key(table)} = {_toml_value(values, table)}")
    for table, values in document.items():
        if isinstance(values, dict):
            lines.append(f"\n[{_key(table)}]")
            for key, value in values.items():
                lines.append(f"{_key(key)} = {_toml_value(value, f'{table}.{key}')}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _key(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ConfigurationService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def get(self, kind: str) -> Stored:
        row = await _row(self.session, self.principal.organisation_id, kind)
        if row is None:
            return Stored(kind, _DEFAULTS[kind](), default=True)
        who = None
        if row.changed_by_account_id is not None:
            account = await self.session.get(Account, row.changed_by_account_id)
            who = account.display_name if account else None
        return Stored(kind, row.content, default=False, changed_at=row.updated_at, changed_by=who)

    async def put(self, kind: str, content: str) -> Stored:
        """Check the file with the rules (naming the code or account that is wrong), then store it as written
        out by the rules (deterministic), audited."""
        if len(content) > MAX_FILE:
            raise invalid([FieldError("file", "too_large", Text(sv="Filen är för stor", en="The file is too large"))])
        try:
            parsed = _parse(kind, content)
        except tomllib.TOMLDecodeError as exc:
            raise invalid(
                [
                    FieldError(
                        "file",
                        "invalid_toml",
                        Text(sv=f"Filen är inte giltig TOML: {exc}", en=f"Not valid TOML: {exc}"),
                    )
                ]
            ) from exc
        canonical = _serialise(kind, parsed)
        row = await _row(self.session, self.principal.organisation_id, kind)
        before = row.content if row is not None else None
        if row is None:
            row = ExportConfiguration(organisation_id=self.principal.organisation_id, kind=kind, content=canonical)
            self.session.add(row)
        row.content = canonical
        row.changed_by_account_id = self.principal.account_id
        await self.session.flush()
        audit.record(
            self.session,
            organisation_id=self.principal.organisation_id,
            actor=self.principal,
            entity_type=f"export_{kind}",
            entity_id=row.id,
            action="changed",
            before={"content": before},
            after={"content": canonical},
        )
        await self.session.commit()
        return await self.get(kind)
