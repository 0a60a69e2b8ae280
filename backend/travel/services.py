"""Travel claims: the trip, per diem and mileage by Skatteverket's rules, attached expenses, submission.

The amounts come from the pure rules (``compute_per_diem``, ``compute_mileage``) with the
organisation's year policy and normalbelopp table; they are stored with their explanations
each time the claim is saved or submitted, so what is attested is what is shown.

This module is the door the controllers and the attest detail loader use; the work lives by use
case: ``claims`` (save, delete), ``submission`` (send for attest), ``views`` (read, list),
``computing`` (per diem and mileage), ``rates`` (the organisation's figures, the normalbelopp import),
``loading`` (who claims, which claim).
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.attest.routing import Subject
from backend.core.auth import Principal
from backend.core.i18n import Language
from backend.db.models import Employee, TravelClaim
from backend.domain.travel.normalbelopp import NormalbeloppTable
from backend.travel import claims, rates, submission, views
from backend.travel.rates import NormalbeloppService
from backend.travel.schemas import TravelClaimIn, TravelClaimSummary, TravelClaimView

__all__ = ["NormalbeloppService", "TravelService"]


class TravelService:
    """One employee's or reader's travel claims at the organisation's ``today``."""

    def __init__(self, session: AsyncSession, today: date) -> None:
        self.session = session
        self.today = today

    async def normalbelopp_table(self, organisation_id: UUID, years: set[int]) -> NormalbeloppTable:
        return await rates.normalbelopp_table(self.session, organisation_id, years)

    async def view(self, claim: TravelClaim, employee: Employee, language: Language) -> TravelClaimView:
        return await views.view(self.session, claim, employee, language)

    async def claim_view(self, principal: Principal, claim_id: UUID, language: Language) -> TravelClaimView:
        return await views.claim_view(self.session, self.today, principal, claim_id, language)

    async def list_claims(self, principal: Principal, subject: Subject) -> list[TravelClaimSummary]:
        return await views.list_claims(self.session, principal, subject)

    async def put_claim(
        self, principal: Principal, claim_id: UUID, data: TravelClaimIn, language: Language
    ) -> tuple[TravelClaimView, bool]:
        """Create or replace a travel claim under the client's id; every problem is reported at once."""
        return await claims.put_claim(self.session, principal, claim_id, data, language)

    async def delete_claim(self, principal: Principal, claim_id: UUID) -> None:
        await claims.delete_claim(self.session, principal, claim_id)

    async def submit_claim(
        self, principal: Principal, claim_id: UUID, now: datetime, language: Language
    ) -> TravelClaimView:
        """Check everything up front (trip, country, legs, every expense) and send the claim for attest."""
        return await submission.submit_claim(self.session, self.today, principal, claim_id, now, language)
