"""Official tax tables for payslips: an imported Skatteverket file wins over the one shipped in the package.

Parsed once per process (the API's and each payroll worker's).
"""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import TaxTableFile
from backend.domain.errors import RatesNotAvailable
from backend.domain.payroll.tax import TaxTable, default_table, parse_table_file
from backend.domain.rates import rates_in_use

_TABLES: dict[tuple[int, str], TaxTable] = {}


async def official_table(session: AsyncSession, year: int) -> TaxTable | None:
    """The official table for payslips paid in ``year``: an imported file wins, else the one shipped in the package.

    A year whose figures are not loaded yet uses the table of the year they fall back to (``rates_in_use``).
    None: the computed rules apply (the payslip says so).
    """
    try:
        in_use = rates_in_use(year).rates.year
    except RatesNotAvailable:
        in_use = year
    for candidate in dict.fromkeys((year, in_use)):
        found = await _imported_table(session, candidate)
        if found is not None:
            return found
    return default_table(year)


async def _imported_table(session: AsyncSession, year: int) -> TaxTable | None:
    """The imported official table for ``year``, parsed once per process."""
    row = (
        await session.execute(select(TaxTableFile.id, TaxTableFile.sha256).where(col(TaxTableFile.year) == year))
    ).first()
    if row is None:
        return None
    key = (year, row[1])
    if key not in _TABLES:
        content = (
            await session.execute(select(TaxTableFile.content).where(col(TaxTableFile.id) == row[0]))
        ).scalar_one()
        _TABLES[key] = parse_table_file(content, year=year)
    return _TABLES[key]


async def import_table(session: AsyncSession, text: str, year: int, who: str) -> int:
    """Store an official table file for ``year`` (replacing an earlier one); returns its row count.

    The file is parsed first, so a broken file is refused with the line it breaks on.
    """
    table = parse_table_file(text, year=year)
    found_year = year
    existing = (
        await session.execute(select(TaxTableFile).where(col(TaxTableFile.year) == found_year))
    ).scalar_one_or_none()
    sha = hashlib.sha256(text.encode()).hexdigest()
    if existing is None:
        session.add(TaxTableFile(year=found_year, sha256=sha, content=text, imported_by=who))
    else:
        existing.sha256, existing.content, existing.imported_by = sha, text, who
    await session.commit()
    _TABLES.pop((found_year, sha), None)
    return len(table.rows)
