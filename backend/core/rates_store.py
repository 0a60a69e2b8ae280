"""Years of figures loaded as data (``selfservice rates import``): stored in the database, mirrored per process.

The pure loader (``backend.domain.rates``) holds the shipped files and whatever
it is given here; every place that computes with yearly figures first calls
``ensure_loaded_rates`` so a year imported by another process is seen within
``CHECK_SECONDS`` (one small query at most that often).
"""

from __future__ import annotations

import hashlib
import time

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import RatesFile
from backend.domain.rates import YearRates, check_year_text, loaded_year_keys, use_loaded_years

CHECK_SECONDS = 30.0
_last_check: float | None = None


async def ensure_loaded_rates(session: AsyncSession, *, force: bool = False) -> None:
    """Bring this process's loaded years in line with the database (at most every ``CHECK_SECONDS``)."""
    global _last_check
    now = time.monotonic()  # a cache interval, not a date rule
    if not force and _last_check is not None and now - _last_check < CHECK_SECONDS:
        return
    stored = {year: sha for year, sha in (await session.execute(select(RatesFile.year, RatesFile.sha256))).tuples()}
    if stored != loaded_year_keys():
        rows = (await session.execute(select(RatesFile.year, RatesFile.sha256, RatesFile.content))).tuples()
        use_loaded_years({year: (sha, content) for year, sha, content in rows})
    _last_check = now


async def import_rates(session: AsyncSession, text: str, who: str, *, source: str = "<file>") -> YearRates:
    """Validate a year's figures (the se-<year>.toml format) and store them for every process.

    A broken file raises ``RatesDataError`` naming the key, and nothing is stored.
    An earlier import of the same year is replaced.
    """
    rates = check_year_text(text, source=source)
    sha = hashlib.sha256(text.encode()).hexdigest()
    existing = (await session.execute(select(RatesFile).where(col(RatesFile.year) == rates.year))).scalar_one_or_none()
    if existing is None:
        session.add(RatesFile(year=rates.year, sha256=sha, content=text, imported_by=who))
    else:
        existing.sha256, existing.content, existing.imported_by = sha, text, who
    await session.commit()
    await ensure_loaded_rates(session, force=True)
    return rates


def forget_loaded_rates() -> None:
    """Drop this process's mirror (tests switch databases within one process)."""
    global _last_check
    _last_check = None
    use_loaded_years({})
