"""The organisation's settings, cost centres and projects."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody
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


class OrganisationController(Controller):
    path = "/api/organisation"
    tags = ["Organisation"]

    @get("/")
    async def get_organisation(self, principal: PrincipalDep, db_session: DbSession) -> OrganisationView:
        """Payroll settings everyone needs to see: cut-off day, pay day, agreement."""
        return await OrganisationService(db_session).get(principal)

    @patch("/", guards=[PAYROLL_OR_ADMIN])
    async def update_organisation(
        self,
        data: JSONBody[OrganisationUpdate],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> OrganisationView:
        return await OrganisationService(db_session).update(principal, data)

    @put("/policies/{year:int}", guards=[PAYROLL_OR_ADMIN])
    async def set_year_policy(
        self,
        year: FromPath[int],
        data: JSONBody[YearPolicyInput],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> OrganisationView:
        """What the employer pays in ``year`` (mileage, per diem, wellness) where it differs from tax-free amounts."""
        return await OrganisationService(db_session).set_year_policy(principal, year, data)


class CostCentreController(Controller):
    path = "/api/cost-centres"
    tags = ["Organisation"]

    @get("/")
    async def list_cost_centres(self, principal: PrincipalDep, db_session: DbSession) -> list[CostCentreView]:
        return await OrganisationService(db_session).cost_centres(principal)

    @post("/", guards=[PAYROLL_OR_ADMIN], status_code=HTTP_201_CREATED)
    async def create_cost_centre(
        self,
        data: JSONBody[CostCentreCreate],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> CostCentreView:
        return await OrganisationService(db_session).create_cost_centre(principal, data)


class ProjectController(Controller):
    path = "/api/projects"
    tags = ["Organisation"]

    @get("/")
    async def list_projects(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        q: SearchText = None,
        include_inactive: FromQuery[bool] = False,
    ) -> list[ProjectView]:
        """Every level of the project tree with its path; ``q`` searches codes and names at any level."""
        return await OrganisationService(db_session).projects(principal, q, include_inactive)

    @post("/", guards=[PAYROLL_OR_ADMIN], status_code=HTTP_201_CREATED)
    async def create_project(
        self,
        data: JSONBody[ProjectCreate],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> ProjectView:
        return await OrganisationService(db_session).create_project(principal, data)

    @patch("/{project_id:uuid}", guards=[PAYROLL_OR_ADMIN])
    async def update_project(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[ProjectUpdate],
        principal: PrincipalDep,
        db_session: DbSession,
    ) -> ProjectView:
        return await OrganisationService(db_session).update_project(principal, project_id, data)
