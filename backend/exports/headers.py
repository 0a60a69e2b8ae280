"""What the file writers need beside the rows, and the export rules' problems as problem details.

The one place that knows the writers' header types and the rules' problem type, so the batch
code stays the same whichever fields they carry. A header is built only from what the batch
froze (organisation name and number, account names, its own time), so a file is the same bytes
every time it is downloaded.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.i18n import Text
from backend.core.problems import FieldError
from backend.db.models import ExportBatch, ExportVoucherRow
from backend.domain.exports.chart import Chart
from backend.domain.exports.paxml import PaxmlHeader
from backend.domain.exports.payroll import ExportProblem
from backend.domain.exports.sie import SieHeader

PROGRAM = "Selfservice"


def paxml(batch: ExportBatch) -> PaxmlHeader:
    return PaxmlHeader(
        organisation_name=batch.organisation_name,
        org_number=batch.org_number,
        created_at=batch.created_at,
        program=PROGRAM,
        batch=f"{batch.period}-{batch.sequence}",
    )


async def account_names(session: AsyncSession, batch_id: UUID, chart: Chart) -> dict[str, str]:
    """The names of the accounts the batch's vouchers use, as the chart had them at the close."""
    used = await session.execute(
        select(col(ExportVoucherRow.account)).where(col(ExportVoucherRow.batch_id) == batch_id).distinct()
    )
    return {account: chart.accounts.get(account, account) for account in sorted(used.scalars())}


async def sie(session: AsyncSession, batch: ExportBatch) -> SieHeader:
    return SieHeader(
        organisation_name=batch.organisation_name,
        org_number=batch.org_number,
        generated_on=batch.made_on,
        accounts=dict(batch.account_names),
    )


def refused_item(problem: ExportProblem) -> str:
    return problem.item_id


def refusal(problem: ExportProblem) -> FieldError:
    """One problem of the export as a field error naming the employee and the item."""
    who = f"{problem.name} ({problem.employee_number or '?'})"
    return FieldError(
        f"items.{problem.item_id}",
        problem.code,
        Text(f"{who}: {problem.message_sv}", f"{who}: {problem.message_en}"),
    )
