"""Small builders for rows tests need besides the demo organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.database import session_maker
from backend.db.models import (
    Account,
    AccountRole,
    AttestItem,
    CostCentre,
    Employee,
    Employment,
    Expense,
    ExpenseClaim,
    Organisation,
    Project,
    Receipt,
)


@dataclass(frozen=True)
class OtherOrg:
    id: UUID
    employee_id: UUID
    account_id: UUID
    project_id: UUID
    cost_centre_id: UUID
    receipt_id: UUID
    expense_id: UUID
    claim_id: UUID
    attest_item_id: UUID


async def other_organisation(engine: AsyncEngine, password_hash: str) -> OtherOrg:
    """ "Annat AB": one employee with a login, a project and a cost centre, for cross-organisation checks."""
    async with session_maker(engine)() as session:
        organisation = Organisation(name="Annat AB")
        session.add(organisation)
        await session.flush()
        centre = CostCentre(organisation_id=organisation.id, code="900", name="Annat")
        employee = Employee(
            organisation_id=organisation.id,
            employee_number="9001",
            first_name="Olle",
            last_name="Annan",
            email="olle@annat.se",
            birth_date=date(1985, 1, 1),
            start_date=date(2020, 1, 1),
        )
        session.add_all([centre, employee])
        await session.flush()
        session.add(
            Employment(
                organisation_id=organisation.id,
                employee_id=employee.id,
                valid_from=date(2020, 1, 1),
                monthly_salary=Decimal(40000),
            )
        )
        project = Project(organisation_id=organisation.id, code="X1", name="Annat projekt")
        account = Account(
            organisation_id=organisation.id,
            employee_id=employee.id,
            email="olle@annat.se",
            display_name="Olle Annan",
            password_hash=password_hash,
            is_demo=True,
        )
        session.add_all([project, account])
        await session.flush()
        session.add_all(
            [AccountRole(account_id=account.id, role=role) for role in ("employee", "manager", "payroll", "admin")]
        )
        receipt = Receipt(
            organisation_id=organisation.id,
            employee_id=employee.id,
            sha256="0" * 64,
            content_type="image/jpeg",
            size_bytes=1,
            state="done",
        )
        session.add(receipt)
        await session.flush()
        claim = ExpenseClaim(organisation_id=organisation.id, employee_id=employee.id, title="Annat")
        session.add(claim)
        await session.flush()
        expense = Expense(
            organisation_id=organisation.id,
            employee_id=employee.id,
            receipt_id=receipt.id,
            claim_id=claim.id,
            amount=Decimal("99.00"),
        )
        session.add(expense)
        now = datetime.now(UTC)
        item = AttestItem(
            organisation_id=organisation.id,
            kind="expense_claim",
            subject_id=claim.id,
            employee_id=employee.id,
            state="submitted",
            title="Annat",
            first_submitted_at=now,
            submitted_at=now,
        )
        session.add(item)
        await session.commit()
        return OtherOrg(
            organisation.id, employee.id, account.id, project.id, centre.id, receipt.id, expense.id, claim.id, item.id
        )
