"""Reading and changing the organisation, its cost centres and its project tree."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core import audit
from backend.core.auth import Principal
from backend.core.i18n import Text
from backend.core.problems import FieldError, invalid, not_found
from backend.db.models import CostCentre, Organisation, OrganisationYearPolicy, Project
from backend.domain.rates import agreement_profile
from backend.organisation.cost_centres import unknown_cost_centre
from backend.organisation.schemas import (
    CostCentreCreate,
    CostCentreView,
    OrganisationUpdate,
    OrganisationView,
    ProjectCreate,
    ProjectUpdate,
    ProjectView,
    YearPolicyInput,
    YearPolicyView,
)

MAX_PROJECT_LEVEL = 3
ORGANISATION_FIELDS = ["name", "cutoff_day", "pay_day", "agreement_profile", "variable_pay_in_arrears"]


def _money_error(field: str, value: Decimal | None, maximum: Decimal) -> FieldError | None:
    if value is None:
        return None
    if value < 0 or value > maximum or value != value.quantize(Decimal("0.01")):
        return FieldError(
            field,
            "out_of_range",
            Text(
                sv=f"Ange ett belopp mellan 0 och {maximum} med högst två decimaler",
                en=f"Enter an amount from 0 to {maximum} with at most two decimals",
            ),
        )
    return None


class OrganisationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, principal: Principal) -> OrganisationView:
        organisation = await self.session.get(Organisation, principal.organisation_id)
        if organisation is None:
            raise not_found()
        policies = (
            await self.session.execute(
                select(OrganisationYearPolicy)
                .where(col(OrganisationYearPolicy.organisation_id) == organisation.id)
                .order_by(col(OrganisationYearPolicy.year))
            )
        ).scalars()
        return OrganisationView(
            id=organisation.id,
            name=organisation.name,
            org_number=organisation.org_number,
            cutoff_day=organisation.cutoff_day,
            pay_day=organisation.pay_day,
            agreement_profile=organisation.agreement_profile,
            variable_pay_in_arrears=organisation.variable_pay_in_arrears,
            policies=[
                YearPolicyView(
                    year=p.year,
                    mileage_rate_per_mil=p.mileage_rate_per_mil,
                    per_diem_full_day=p.per_diem_full_day,
                    wellness_allowance=p.wellness_allowance,
                )
                for p in policies
            ],
        )

    async def update(self, principal: Principal, data: OrganisationUpdate) -> OrganisationView:
        organisation = await self.session.get(Organisation, principal.organisation_id)
        if organisation is None:
            raise not_found()
        if data.agreement_profile is not None:
            agreement_profile(data.agreement_profile)  # raises a clear 422 for an unknown profile
        before = audit.snapshot(organisation, ORGANISATION_FIELDS)
        for name in ORGANISATION_FIELDS:
            value = getattr(data, name)
            if value is not None:
                setattr(organisation, name, value)
        old, new = audit.changed(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
        if new:
            audit.record(
                self.session,
                organisation_id=organisation.id,
                actor=principal,
                entity_type="organisation",
                entity_id=organisation.id,
                action="updated",
                before=old,
                after=new,
            )
        await self.session.commit()
        return await self.get(principal)

    async def set_year_policy(self, principal: Principal, year: int, data: YearPolicyInput) -> OrganisationView:
        errors = [
            error
            for error in (
                _money_error("mileage_rate_per_mil", data.mileage_rate_per_mil, Decimal(1000)),
                _money_error("per_diem_full_day", data.per_diem_full_day, Decimal(10000)),
                _money_error("wellness_allowance", data.wellness_allowance, Decimal(100000)),
            )
            if error
        ]
        if not 2000 <= year <= 2100:
            errors.append(FieldError("year", "out_of_range", Text(sv="Ogiltigt år", en="Invalid year")))
        if errors:
            raise invalid(errors)
        policy = (
            await self.session.execute(
                select(OrganisationYearPolicy).where(
                    col(OrganisationYearPolicy.organisation_id) == principal.organisation_id,
                    col(OrganisationYearPolicy.year) == year,
                )
            )
        ).scalar_one_or_none()
        fields = ["mileage_rate_per_mil", "per_diem_full_day", "wellness_allowance"]
        before = audit.snapshot(policy, fields) if policy else {}
        if policy is None:
            policy = OrganisationYearPolicy(organisation_id=principal.organisation_id, year=year)
            self.session.add(policy)
        for name in fields:
            setattr(policy, name, getattr(data, name))
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="organisation_policy",
            entity_id=policy.id,
            action="updated",
            before=before,
            after=audit.snapshot(policy, fields) | {"year": year},
        )
        await self.session.commit()
        return await self.get(principal)

    # --- cost centres ------------------------------------------------------------------

    async def cost_centres(self, principal: Principal) -> list[CostCentreView]:
        rows = (
            await self.session.execute(
                select(CostCentre)
                .where(col(CostCentre.organisation_id) == principal.organisation_id)
                .order_by(col(CostCentre.code))
            )
        ).scalars()
        return [CostCentreView(id=c.id, code=c.code, name=c.name) for c in rows]

    async def create_cost_centre(self, principal: Principal, data: CostCentreCreate) -> CostCentreView:
        centre = CostCentre(organisation_id=principal.organisation_id, code=data.code, name=data.name)
        self.session.add(centre)
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="cost_centre",
            entity_id=centre.id,
            action="created",
            after={"code": data.code, "name": data.name},
        )
        await self.session.commit()
        return CostCentreView(id=centre.id, code=centre.code, name=centre.name)

    # --- projects ------------------------------------------------------------------------

    async def projects(
        self, principal: Principal, query: str | None = None, include_inactive: bool = False
    ) -> list[ProjectView]:
        """The whole tree, flattened with a path per node; ``query`` matches code, name or path."""
        rows = list(
            (
                await self.session.execute(
                    select(Project).where(col(Project.organisation_id) == principal.organisation_id)
                )
            ).scalars()
        )
        by_id = {p.id: p for p in rows}

        def path(project: Project) -> str:
            parts = [project.code]
            parent = by_id.get(project.parent_id) if project.parent_id else None
            while parent is not None:
                parts.append(parent.code)
                parent = by_id.get(parent.parent_id) if parent.parent_id else None
            return " / ".join(reversed(parts))

        def active(project: Project) -> bool:
            node: Project | None = project
            while node is not None:
                if not node.active:
                    return False
                node = by_id.get(node.parent_id) if node.parent_id else None
            return True

        views = [
            ProjectView(
                id=p.id,
                parent_id=p.parent_id,
                level=p.level,
                code=p.code,
                name=p.name,
                path=path(p),
                active=active(p),
                cost_centre_id=p.cost_centre_id,
            )
            for p in rows
        ]
        if not include_inactive:
            views = [v for v in views if v.active]
        if query:
            needle = query.strip().lower()
            views = [v for v in views if needle in v.path.lower() or needle in v.name.lower()]
        return sorted(views, key=lambda v: v.path)

    async def _project(self, principal: Principal, project_id: UUID) -> Project:
        project = await self.session.get(Project, project_id)
        if project is None or project.organisation_id != principal.organisation_id:
            raise not_found()
        return project

    async def create_project(self, principal: Principal, data: ProjectCreate) -> ProjectView:
        level = 1
        if data.parent_id is not None:
            parent = await self.session.get(Project, data.parent_id)
            if parent is None or parent.organisation_id != principal.organisation_id:
                raise invalid(
                    [FieldError("parent_id", "unknown_project", Text(sv="Okänt projekt", en="Unknown project"))]
                )
            if parent.level >= MAX_PROJECT_LEVEL:
                raise invalid(
                    [
                        FieldError(
                            "parent_id",
                            "too_deep",
                            Text(sv="En aktivitet kan inte ha underprojekt", en="An activity cannot have children"),
                        )
                    ]
                )
            level = parent.level + 1
        if (
            centre := await unknown_cost_centre(self.session, principal.organisation_id, data.cost_centre_id)
        ) is not None:
            raise invalid([centre])
        project = Project(
            organisation_id=principal.organisation_id,
            parent_id=data.parent_id,
            level=level,
            code=data.code,
            name=data.name,
            cost_centre_id=data.cost_centre_id,
        )
        self.session.add(project)
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="project",
            entity_id=project.id,
            action="created",
            after={"code": data.code, "name": data.name, "parent_id": data.parent_id, "level": level},
        )
        await self.session.commit()
        return next(v for v in await self.projects(principal, include_inactive=True) if v.id == project.id)

    async def update_project(self, principal: Principal, project_id: UUID, data: ProjectUpdate) -> ProjectView:
        project = await self._project(principal, project_id)
        before = audit.snapshot(project, ["name", "active"])
        if data.name is not None:
            project.name = data.name
        if data.active is not None:
            project.active = data.active
        old, new = audit.changed(before, audit.snapshot(project, ["name", "active"]))
        if new:
            audit.record(
                self.session,
                organisation_id=principal.organisation_id,
                actor=principal,
                entity_type="project",
                entity_id=project.id,
                action="updated",
                before=old,
                after=new,
            )
        await self.session.commit()
        return next(v for v in await self.projects(principal, include_inactive=True) if v.id == project.id)
