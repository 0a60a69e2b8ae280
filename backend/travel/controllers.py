"""Travel claims (per diem, mileage, attached expenses) and the normalbelopp table for per diem abroad."""

from __future__ import annotations

from typing import Any, TypeAlias
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, SkipValidation
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.core.authorization import Role, requires
from backend.core.deps import ClockDep, DbSession, LanguageDep, PrincipalDep, SubjectDep
from backend.core.idempotency import idempotent
from backend.core.queries import Year
from backend.travel.schemas import (
    NormalbeloppLoaded,
    NormalbeloppView,
    TravelClaimIn,
    TravelClaimSummary,
    TravelClaimView,
)
from backend.travel.services import NormalbeloppService, TravelService


def provide_travel(db_session: DbSession, clock: ClockDep) -> TravelService:
    """The travel service for this request: its wiring in one place, not in every handler."""
    return TravelService(db_session, clock.today())


def provide_normalbelopp(db_session: DbSession) -> NormalbeloppService:
    return NormalbeloppService(db_session)


TravelDep: TypeAlias = NamedDependency[SkipValidation[TravelService]]
NormalbeloppDep: TypeAlias = NamedDependency[SkipValidation[NormalbeloppService]]


class TravelClaimController(Controller):
    path = "/api/travel-claims"
    tags = ["Travel"]
    dependencies = {"travel": Provide(provide_travel, sync_to_thread=False)}

    @get("/")
    async def list_claims(
        self, principal: PrincipalDep, travel: TravelDep, subject: SubjectDep
    ) -> list[TravelClaimSummary]:
        """Your travel claims, latest trip first (managers and payroll may ask for an employee they see)."""
        return await travel.list_claims(principal, subject)

    @get("/{claim_id:uuid}")
    async def get_claim(
        self, language: LanguageDep, claim_id: FromPath[UUID], principal: PrincipalDep, travel: TravelDep
    ) -> TravelClaimView:
        """The claim with per diem day by day and mileage leg by leg, each with the rule applied and its figures."""
        return await travel.claim_view(principal, claim_id, language)

    @put("/{claim_id:uuid}", may_create=True)
    async def put_claim(
        self,
        language: LanguageDep,
        claim_id: FromPath[UUID],
        data: JSONBody[TravelClaimIn],
        principal: PrincipalDep,
        travel: TravelDep,
    ) -> Response[TravelClaimView]:
        """Create (201) or replace (200) a travel claim under an id you choose; amounts are computed and explained."""
        view, created = await travel.put_claim(principal, claim_id, data, language)
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @delete("/{claim_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_claim(self, claim_id: FromPath[UUID], principal: PrincipalDep, travel: TravelDep) -> None:
        await travel.delete_claim(principal, claim_id)

    @post("/{claim_id:uuid}/submit", status_code=HTTP_200_OK)
    async def submit_claim(
        self,
        request: Request[Any, Any, Any],
        language: LanguageDep,
        claim_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        travel: TravelDep,
    ) -> Response[Any]:
        """Send the claim for attest. Everything is checked first; every problem is reported at once."""

        async def action() -> TravelClaimView:
            return await travel.submit_claim(principal, claim_id, clock.now(), language)

        return await idempotent(request, db_session, principal, action, HTTP_200_OK)


class NormalbeloppController(Controller):
    path = "/api/travel/normalbelopp"
    tags = ["Travel"]
    dependencies = {"normalbelopp": Provide(provide_normalbelopp, sync_to_thread=False)}

    @get("/")
    async def list_rates(
        self, principal: PrincipalDep, normalbelopp: NormalbeloppDep, year: Year = None
    ) -> list[NormalbeloppView]:
        """The loaded normalbelopp (tax-free per diem abroad per country and year)."""
        return await normalbelopp.list(principal, year)

    @post("/", guards=[requires(Role.PAYROLL, Role.ADMIN)], status_code=HTTP_200_OK)
    async def load(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, normalbelopp: NormalbeloppDep
    ) -> NormalbeloppLoaded:
        """Load Skatteverket's normalbelopp: send the CSV as the body (``text/csv``, UTF-8).

        Columns ``year,country_code,country_name,amount_sek`` (header required); each year in the
        file replaces that year's table.
        """
        return await normalbelopp.load(principal, await request.body())
