"""Query parameters with bounds, declared once.

Litestar applies bounds on query parameters from ``Parameter(ge=, le=)``; an ``Annotated``
``msgspec.Meta`` inside ``FromQuery`` is silently dropped, which let ``offset=10**20`` reach
the database and ``min_days_waiting=-3000000`` overflow date arithmetic (500s).
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from backend.core.schemas import EARLIEST_YEAR, LATEST_YEAR

Offset = Annotated[int, Parameter(ge=0, le=1_000_000, description="Rows to skip")]
Year = Annotated[int | None, Parameter(ge=EARLIEST_YEAR, le=LATEST_YEAR, description="Calendar year")]
WaitingDays = Annotated[int | None, Parameter(ge=0, le=3650, description="Days waiting, at least")]
SearchText = Annotated[str | None, Parameter(max_length=100, description="Search text")]
