"""`selfservice period` and `selfservice export`: closing a pay period and writing its batch's files."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click

from backend.cli.common import pass_settings, refused
from backend.config import Settings


async def _organisation(session: Any, name: str | None) -> Any:
    """The organisation named, or the only one there is."""
    from sqlmodel import col, select

    from backend.db.models import Organisation

    statement = select(Organisation)
    if name is not None:
        statement = statement.where(col(Organisation.name) == name)
    found = list((await session.execute(statement.limit(2))).scalars())
    if len(found) != 1:
        what = f'"{name}" finns inte / does not exist' if name else "flera finns / there are several"
        raise click.ClickException(f"Ange --organisation: {what}.")
    return found[0]


organisation_option = click.option(
    "--organisation", "organisation_name", default=None, help="Default: the only organisation in the database"
)


@click.group()
def period() -> None:
    """Pay periods: closing one freezes what is approved into an export batch."""


@period.command("close")
@click.option("--period", "period_text", required=True, help="YYYY-MM")
@organisation_option
@pass_settings
def period_close(settings: Settings, period_text: str, organisation_name: str | None) -> None:
    """Close a period after its cut-off and make its export batch."""
    from backend.core import clock
    from backend.core.database import create_engine, session_maker
    from backend.core.problems import Problem
    from backend.domain.errors import DomainError
    from backend.exports.periods import PeriodService, parse_period
    from backend.storage import open_store

    async def go() -> str:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                organisation = await _organisation(session, organisation_name)
                storage = open_store(settings.storage_url, settings.data_dir)
                service = PeriodService(session, None, organisation.id, storage)
                closed = await service.close(parse_period(period_text), clock.current().now(), "cli")
                batch = closed.batch
                return (
                    f"{batch.period} stängd / closed: export {batch.sequence}, {batch.items} items, "
                    f"{batch.transactions} transactions, {batch.vouchers} vouchers, {batch.reversals} reversals."
                )
        finally:
            await engine.dispose()

    try:
        click.echo(asyncio.run(go()))
    except (Problem, DomainError) as exc:
        raise refused(exc) from exc


@click.group()
def export() -> None:
    """Export batches as files: PAXml for the payroll system, SIE for bookkeeping."""


def _export(settings: Settings, kind: str, period_text: str, out: Path, sequence: int | None, name: str | None) -> None:
    from backend.core.database import create_engine, session_maker
    from backend.core.i18n import Text
    from backend.core.problems import Problem, conflict, not_found
    from backend.domain.errors import DomainError
    from backend.exports import listing
    from backend.exports.files import file_bytes
    from backend.exports.periods import PeriodService, parse_period
    from backend.storage import open_store

    async def go() -> str:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                organisation = await _organisation(session, name)
                period = parse_period(period_text)
                if not await PeriodService(session, None, organisation.id).is_closed(period):
                    raise conflict(
                        "period.open",
                        Text(
                            sv=f"Perioden {period} är inte stängd: stäng den först.",
                            en=f"The period {period} is not closed: close it first.",
                        ),
                    )
                if sequence is None:
                    batch = await listing.latest(session, organisation.id, str(period))
                else:
                    batch = await listing.by_sequence(session, organisation.id, str(period), sequence)
                if batch is None:
                    raise not_found(Text(sv="Exporten finns inte.", en="The export batch does not exist."))
                pieces = file_bytes(session, batch, kind, open_store(settings.storage_url, settings.data_dir))
                with out.open("wb") as file:
                    async for piece in pieces:
                        file.write(piece)
                return f"{out}: export {batch.sequence} of {batch.period} ({kind})."
        finally:
            await engine.dispose()

    try:
        click.echo(asyncio.run(go()))
    except (Problem, DomainError) as exc:
        raise refused(exc) from exc


export_options = [
    click.option("--period", "period_text", required=True, help="YYYY-MM (a closed period)"),
    click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path)),
    click.option("--batch", "sequence", type=click.IntRange(1), default=None, help="Default: the latest"),
    organisation_option,
]


def _with_options(function: Any) -> Any:
    for option in reversed(export_options):
        function = option(function)
    return function


@export.command("paxml")
@_with_options
@pass_settings
def export_paxml(
    settings: Settings, period_text: str, out: Path, sequence: int | None, organisation_name: str | None
) -> None:
    """Write a batch's PAXml file (payroll transactions)."""
    _export(settings, "paxml", period_text, out, sequence, organisation_name)


@export.command("sie")
@_with_options
@pass_settings
def export_sie(
    settings: Settings, period_text: str, out: Path, sequence: int | None, organisation_name: str | None
) -> None:
    """Write a batch's SIE 4 file (vouchers for expense and travel claims)."""
    _export(settings, "sie", period_text, out, sequence, organisation_name)
