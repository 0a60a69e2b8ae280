"""Whether a cost centre named by an employee, a project or an expense is the organisation's own.

One check for every area that points at a cost centre, so the answer and its wording are the same.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.i18n import Text
from backend.core.problems import FieldError
from backend.db.models import CostCentre


async def unknown_cost_centre(
    session: AsyncSession, organisation_id: UUID, cost_centre_id: UUID | None
) -> FieldError | None:
    """None when no cost centre is named or it is this organisation's; another's is as unknown as a missing one."""
    if cost_centre_id is None:
        return None
    centre = await session.get(CostCentre, cost_centre_id)
    if centre is not None and centre.organisation_id == organisation_id:
        return None
    return FieldError(
        "cost_centre_id", "unknown_cost_centre", Text(sv="Okänt kostnadsställe", en="Unknown cost centre")
    )
