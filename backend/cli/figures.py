"""`selfservice rates` and `selfservice tax`: the yearly figures and Skatteverket's tax tables."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import click

from backend.cli.common import pass_settings
from backend.config import Settings


@click.group()
def rates() -> None:
    """Yearly figures (tax rules, per diem, mileage, wellness, contributions, sick pay, vacation)."""


@rates.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_settings
def rates_import(settings: Settings, file: Path) -> None:
    """Load a year's figures (same TOML format as se-2026.toml); payslips for that year then use them."""
    from backend.core.database import create_engine, session_maker
    from backend.core.rates_store import import_rates
    from backend.domain.errors import DomainError

    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file.name} is not UTF-8 text (byte {exc.start}).") from exc

    async def go() -> tuple[int, tuple[str, ...]]:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                loaded = await import_rates(session, text, who=f"cli:{file.name}", source=file.name)
                return loaded.year, loaded.missing
        finally:
            await engine.dispose()

    try:
        year, missing = asyncio.run(go())
    except DomainError as exc:
        raise click.ClickException(f"Refused, nothing was loaded: {exc.message.en}") from exc
    click.echo(f"Loaded the {year} figures from {file.name}; payslips paid in {year} now use them.")
    if missing:
        click.echo(f"Sections without figures for {year}: {', '.join(missing)}.")


@click.group()
def tax() -> None:
    """Preliminary tax: Skatteverket's monthly tables."""


@tax.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="Default: the four-digit year in the file name")
@pass_settings
def tax_import(settings: Settings, file: Path, year: int | None) -> None:
    """Import an official table file; payslips for that year then use it instead of the computed table."""
    import re

    from backend.core.database import create_engine, session_maker
    from backend.domain.errors import DomainError
    from backend.payslips.services import import_table

    if year is None:
        found = re.search(r"(20\d\d)", file.name)
        if not found:
            raise click.ClickException("Give --year: the file name does not say which year the table is for.")
        year = int(found.group(1))
    text = file.read_bytes().decode("utf-8-sig")

    async def go() -> int:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                return await import_table(session, text, year, who=f"cli:{file.name}")
        finally:
            await engine.dispose()

    try:
        rows = asyncio.run(go())
    except DomainError as exc:
        raise click.ClickException(exc.message.en) from exc
    click.echo(f"Imported {rows} rows of the {year} tax tables from {file.name}.")


@tax.command("withholding")
@click.option("--year", type=int, required=True)
@click.option("--table", "table_number", type=int, required=True)
@click.option("--column", type=int, default=1, show_default=True)
@click.argument("incomes", nargs=-1, required=True)
@pass_settings
def tax_withholding(settings: Settings, year: int, table_number: int, column: int, incomes: Sequence[str]) -> None:
    """Print "INCOME<TAB>WITHHELD" per monthly income (the official table, imported or shipped; else computed)."""
    from backend.core.database import create_engine, session_maker
    from backend.core.rates_store import ensure_loaded_rates
    from backend.domain.errors import DomainError
    from backend.domain.payroll.cli_support import withholding_lines
    from backend.payslips.services import official_table

    async def table() -> object:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                await ensure_loaded_rates(session)  # years loaded with rates import
                return await official_table(session, year)
        except Exception:
            return None
        finally:
            await engine.dispose()

    imported = asyncio.run(table())
    try:
        for line in withholding_lines(year, table_number, column, list(incomes), imported=imported):  # type: ignore[arg-type]
            click.echo(line)
    except DomainError as exc:
        raise click.ClickException(exc.message.en) from exc
