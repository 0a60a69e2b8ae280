"""The organisation's settings, cost centres and projects."""

from __future__ import annotations

from typing import TypeAlias
from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, SkipValidation
from litestar.status_codes import HTTP_201_CREATED

from backend.core.authorization import Role, requires
from backend.core.deps import DbSession, PrincipalDep
from backend.core.queries import SearchText
from backend.organisation.schemas import (
    CostCentreCreate,
    CostCentreView,
    OrganisationUpdate,
    OrganisationView,
    ProjectCreate,
    ProjectUpdate,
    ProjectView,
    YearPolicyInput,
)
from backend.organisation.services import OrganisationService

PAYROLL_OR_ADMIN = requires(Role.PAYROLL, Role.ADMIN)


def provide_organisation(db_session: DbSession) -> OrganisationService:
    """The organisation service for this request: its wiring in one place, not in every handler."""
    return OrganisationService(db_session)


OrganisationDep: TypeAlias = NamedDependency[SkipValidation[OrganisationService]]
ORGANISATION = {"organisation": Provide(provide_organisation, sync_to_thread=False)}


class OrganisationController(Controller):
    path = "/api/organisation"
    tags = ["Organisation"]
    dependencies = ORGANISATION

    @get("/")
    async def get_organisation(self, principal: PrincipalDep, organisation: OrganisationDep) -> OrganisationView:
        """Payroll settings everyone needs to see: cut-off day, pay day, agreement."""
        return await organisation.get(principal)

    @patch("/", guards=[PAYROLL_OR_ADMIN])
    async def update_organisation(
        self, data: JSONBody[OrganisationUpdate], principal: PrincipalDep, organisation: OrganisationDep
    ) -> OrganisationView:
        return await organisation.update(principal, data)

    @put("/policies/{year:int}", guards=[PAYROLL_OR_ADMIN])
    async def set_year_policy(
        self,
        year: FromPath[int],
        data: JSONBody[YearPolicyInput],
        principal: PrincipalDep,
        organisation: OrganisationDep,
    ) -> OrganisationView:
        """What the employer pays in ``year`` (mileage, per diem, wellness) where it differs from tax-free amounts."""
        return await organisation.set_year_policy(principal, year, data)


class CostCentreController(Controller):
    path = "/api/cost-centres"
    tags = ["Organisation"]
    dependencies = ORGANISATION

    @get("/")
    async def list_cost_centres(self, principal: PrincipalDep, organisation: OrganisationDep) -> list[CostCentreView]:
        return await organisation.cost_centres(principal)

    @post("/", guards=[PAYROLL_OR_ADMIN], status_code=HTTP_201_CREATED)
    async def create_cost_centre(
        self, data: JSONBody[CostCentreCreate], principal: PrincipalDep, organisation: OrganisationDep
    ) -> CostCentreView:
        return await organisation.create_cost_centre(principal, data)


class ProjectController(Controller):
    path = "/api/projects"
    tags = ["Organisation"]
    dependencies = ORGANISATION

    @get("/")
    async def list_projects(
        self,
        principal: PrincipalDep,
        organisation: OrganisationDep,
        q: SearchText = None,
        include_inactive: FromQuery[bool] = False,
    ) -> list[ProjectView]:
        """Every level of the project tree with its path; ``q`` searches codes and names at any level."""
        return await organisation.projects(principal, q, include_inactive)

    @post("/", guards=[PAYROLL_OR_ADMIN], status_code=HTTP_201_CREATED)
    async def create_project(
        self, data: JSONBody[ProjectCreate], principal: PrincipalDep, organisation: OrganisationDep
    ) -> ProjectView:
        return await organisation.create_project(principal, data)

    @patch("/{project_id:uuid}", guards=[PAYROLL_OR_ADMIN])
    async def update_project(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[ProjectUpdate],
        principal: PrincipalDep,
        organisation: OrganisationDep,
    ) -> ProjectView:
        return await organisation.update_project(principal, project_id, data)
