"""What the file writers need beside the rows, and the export rules' problems as problem details.

The one place that knows the writers' header types and the rules' problem type, so the batch
code stays the same whichever fields they carry. A header is built only from what the batch
froze (organisation name and number, account names, its own time), so a file is the same bytes
every time it is downloaded.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.problems import FieldError
from backend.db.models import CostCentre, ExportBatch, ExportVoucherRow, Project
from backend.domain.exports.chart import Chart
from backend.domain.exports.paxml import PaxmlHeader
from backend.domain.exports.payroll import ExportProblem
from backend.domain.exports.sie import SieHeader, SieObject

PROGRAM = "Selfservice"


def paxml(batch: ExportBatch) -> PaxmlHeader:
    return PaxmlHeader(
        organisation_name=batch.organisation_name,
        organisation_number=batch.org_number or "",
        created_at=batch.created_at,
        program_name=PROGRAM,
        batch_info=f"Lönebatch {batch.period} nr {batch.sequence}",
    )


OBJECT_DIMENSIONS = {1: "cost_centre", 6: "project"}


async def account_names(session: AsyncSession, batch_id: UUID, chart: Chart, organisation_id: UUID) -> dict[str, str]:
    """The names of the accounts (``"2820"``) and objects (``"1:100"``, ``"6:P1"``) the batch's vouchers use,
    frozen at the close so the SIE header never changes with a later rename."""
    used = await session.execute(
        select(col(ExportVoucherRow.account), col(ExportVoucherRow.cost_centre), col(ExportVoucherRow.project))
        .where(col(ExportVoucherRow.batch_id) == batch_id)
        .distinct()
    )
    accounts: set[str] = set()
    centres: set[str] = set()
    projects: set[str] = set()
    for account, centre, project in used.tuples():
        accounts.add(account)
        if centre:
            centres.add(centre)
        if project:
            projects.add(project)
    names = {account: chart.accounts.get(account, account) for account in sorted(accounts)}
    centre_names = dict(
        (
            await session.execute(
                select(col(CostCentre.code), col(CostCentre.name)).where(
                    col(CostCentre.organisation_id) == organisation_id, col(CostCentre.code).in_(centres)
                )
            )
        )
        .tuples()
        .all()
    )
    project_names = dict(
        (
            await session.execute(
                select(col(Project.code), col(Project.name)).where(
                    col(Project.organisation_id) == organisation_id, col(Project.code).in_(projects)
                )
            )
        )
        .tuples()
        .all()
    )
    names |= {f"1:{code}": centre_names.get(code, code) for code in sorted(centres)}
    names |= {f"6:{code}": project_names.get(code, code) for code in sorted(projects)}
    return names


async def sie(session: AsyncSession, batch: ExportBatch) -> SieHeader:
    """The fiscal year is taken as the calendar year of the batch's period (the product has no fiscal-year setting)."""
    year = int(batch.period[:4])
    frozen = dict(batch.account_names)
    objects = tuple(
        SieObject(int(key.split(":", 1)[0]), key.split(":", 1)[1], name) for key, name in frozen.items() if ":" in key
    )
    return SieHeader(
        organisation_name=batch.organisation_name,
        organisation_number=batch.org_number or "",
        generated_on=batch.made_on,
        fiscal_year_start=date(year, 1, 1),
        fiscal_year_end=date(year, 12, 31),
        accounts={key: name for key, name in frozen.items() if ":" not in key},
        objects=objects,
    )


def refused_item(problem: ExportProblem) -> str:
    return problem.item_id


def refusal(problem: ExportProblem) -> FieldError:
    """One problem of the export as a field error (its message names the employee and the item)."""
    return FieldError(f"items.{problem.item_id}.{problem.field}", problem.code, problem.message)
