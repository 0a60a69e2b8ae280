"""Signing in and administering accounts. Transactions begin and end here."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from backend.accounts.schemas import (
    AccountCreate,
    AccountUpdate,
    AccountView,
    OrganisationRef,
    UserView,
)
from backend.attest.routing import substituting_for
from backend.config import Settings
from backend.core import audit, clock
from backend.core.auth import Principal
from backend.core.authorization import ROLES_BY_SOMEONE_ELSE, Role, refuse_own_change
from backend.core.i18n import Text
from backend.core.passwords import hashed, verified
from backend.core.problems import FieldError, Problem, invalid, not_found
from backend.db.models import Account, AccountRole, Employee, Organisation
from backend.db.types import utcnow


@cache
def _user_view_statement() -> Select[Any]:
    """Built once: /api/me is the hottest request, and building a joined select costs more than running it."""
    manager = aliased(Employee)
    statement: Select[Any] = (
        sa_select(
            Account.id,  # type: ignore[call-overload]
            Account.email,
            Account.display_name,
            Account.employee_id,
            Account.locale,
            Account.is_demo,
            col(Organisation.id).label("organisation_id"),
            col(Organisation.name).label("organisation_name"),
            col(manager.first_name).label("manager_first"),
            col(manager.last_name).label("manager_last"),
        )
        .join(Organisation, col(Organisation.id) == col(Account.organisation_id))
        .outerjoin(Employee, col(Employee.id) == col(Account.employee_id))
        .outerjoin(manager, col(manager.id) == col(Employee.manager_id))
        .where(col(Account.id) == bindparam("account_id"), col(Account.active).is_(True))
    )
    return statement


BAD_CREDENTIALS = Problem(
    401,
    "bad_credentials",
    Text(sv="Fel e-post eller lösenord", en="Wrong e-mail or password"),
    Text(sv="Kontrollera e-postadressen och lösenordet.", en="Check the e-mail address and the password."),
)


class AccountService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def _roles(self, account_ids: Sequence[UUID]) -> dict[UUID, list[Role]]:
        rows = await self.session.execute(
            select(AccountRole.account_id, AccountRole.role).where(col(AccountRole.account_id).in_(account_ids))
        )
        roles: dict[UUID, list[Role]] = {account_id: [] for account_id in account_ids}
        for account_id, role in rows:
            roles[account_id].append(Role(role))
        return {key: sorted(value) for key, value in roles.items()}

    async def authenticate(self, email: str, password: str) -> Principal:
        """The principal for these credentials, or ``bad_credentials`` (same answer for every failure)."""
        account = (
            await self.session.execute(select(Account).where(col(Account.email) == email.strip().lower()))
        ).scalar_one_or_none()
        ok = await verified(account.password_hash if account else None, password, self.settings.auth)
        if account is None or not ok:
            raise BAD_CREDENTIALS
        return await self.signed_in(account, BAD_CREDENTIALS, method="password")

    async def signed_in(self, account: Account, refusal: Problem, *, method: str) -> Principal:
        """The one way a sign-in ends (password or single sign-on): status checked, time kept, audited.

        ``refusal`` is raised for an inactive account or a demo login outside demo mode, so that
        each way of signing in keeps its own single answer for every failure.
        """
        if not account.active or (account.is_demo and not self.settings.demo_enabled):
            raise refusal
        roles = (await self._roles([account.id]))[account.id]
        account.last_login_at = utcnow()
        audit.record(
            self.session,
            organisation_id=account.organisation_id,
            actor=None,
            entity_type="account",
            entity_id=account.id,
            action="login",
            after={"method": method},
        )
        await self.session.commit()
        return self._principal(account, roles)

    @staticmethod
    def _principal(account: Account, roles: list[Role]) -> Principal:
        return Principal(
            account_id=account.id,
            organisation_id=account.organisation_id,
            employee_id=account.employee_id,
            roles=frozenset(roles),
            email=account.email,
            locale=account.locale,
        )

    async def acting(self, account_id: UUID, organisation_id: UUID) -> Principal | None:
        """The account as it is now, for work a job does on its behalf (None: gone or deactivated)."""
        account = await self.session.get(Account, account_id)
        if account is None or not account.active or account.organisation_id != organisation_id:
            return None
        return self._principal(account, (await self._roles([account.id]))[account.id])

    async def refreshed_principal(self, principal: Principal) -> Principal:
        """Re-read roles and status so a renewed token reflects today's account."""
        account = await self.session.get(Account, principal.account_id)
        if account is None or not account.active or account.organisation_id != principal.organisation_id:
            raise Problem(401, "not_authenticated", Text(sv="Inte inloggad", en="Not signed in"))
        roles = (await self._roles([account.id]))[account.id]
        return self._principal(account, roles)

    async def user_view(self, principal: Principal) -> UserView:
        row = (await self.session.execute(_user_view_statement(), {"account_id": principal.account_id})).one_or_none()
        if row is None:
            raise Problem(401, "not_authenticated", Text(sv="Inte inloggad", en="Not signed in"))
        manager_name = f"{row.manager_first} {row.manager_last}" if row.manager_first else None
        return UserView(
            id=row.id,
            email=row.email,
            display_name=row.display_name,
            roles=sorted(principal.roles),
            organisation=OrganisationRef(id=row.organisation_id, name=row.organisation_name),
            employee_id=row.employee_id,
            manager_name=manager_name,
            locale=row.locale,
            demo=row.is_demo,
            attests=principal.has(Role.MANAGER, Role.PAYROLL)
            or bool(await substituting_for(self.session, principal, clock.current().today())),
        )

    async def set_locale(self, principal: Principal, locale: str) -> None:
        account = await self.session.get(Account, principal.account_id)
        if account is None:
            raise Problem(401, "not_authenticated", Text(sv="Inte inloggad", en="Not signed in"))
        account.locale = locale
        await self.session.commit()

    # --- administration (admin only; guarded in the controller) ---------------------------

    def _view(self, account: Account, roles: list[Role]) -> AccountView:
        return AccountView(
            id=account.id,
            email=account.email,
            display_name=account.display_name,
            roles=roles,
            active=account.active,
            employee_id=account.employee_id,
            locale=account.locale,
            last_login_at=account.last_login_at,
        )

    async def list_accounts(self, principal: Principal) -> list[AccountView]:
        accounts = list(
            (
                await self.session.execute(
                    select(Account)
                    .where(col(Account.organisation_id) == principal.organisation_id)
                    .order_by(col(Account.email))
                )
            ).scalars()
        )
        roles = await self._roles([a.id for a in accounts])
        return [self._view(a, roles[a.id]) for a in accounts]

    async def _get(self, principal: Principal, account_id: UUID) -> Account:
        account = await self.session.get(Account, account_id)
        if account is None or account.organisation_id != principal.organisation_id:
            raise not_found()
        return account

    async def _check_employee(self, principal: Principal, employee_id: UUID | None) -> None:
        if employee_id is None:
            return
        employee = await self.session.get(Employee, employee_id)
        if employee is None or employee.organisation_id != principal.organisation_id:
            raise invalid(
                [FieldError("employee_id", "unknown_employee", Text(sv="Okänd anställd", en="Unknown employee"))]
            )

    async def create_account(self, principal: Principal, data: AccountCreate) -> AccountView:
        email = data.email.strip().lower()
        await self._check_employee(principal, data.employee_id)
        taken = (await self.session.execute(select(Account.id).where(col(Account.email) == email))).first()
        if taken:
            raise invalid(
                [FieldError("email", "taken", Text(sv="E-postadressen används redan", en="E-mail already in use"))]
            )
        account = Account(
            organisation_id=principal.organisation_id,
            employee_id=data.employee_id,
            email=email,
            display_name=data.display_name,
            password_hash=await hashed(data.password, self.settings.auth),
            locale=data.locale,
        )
        self.session.add(account)
        roles = sorted(set(data.roles))
        for role in roles:
            self.session.add(AccountRole(account_id=account.id, role=role.value))
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="account",
            entity_id=account.id,
            action="created",
            after={"email": email, "roles": roles, "employee_id": data.employee_id},
        )
        await self.session.commit()
        return self._view(account, roles)

    async def update_account(
        self, principal: Principal, account_id: UUID, data: AccountUpdate
    ) -> tuple[AccountView, bool]:
        """Apply the changes; the flag says whether existing sessions must end (roles or status changed)."""
        account = await self._get(principal, account_id)
        old_roles = (await self._roles([account.id]))[account.id]
        before = audit.snapshot(account, ["display_name", "active", "locale"]) | {"roles": old_roles}
        if data.active is False and account.id == principal.account_id:
            raise invalid(
                [
                    FieldError(
                        "active",
                        "self_deactivation",
                        Text(sv="Du kan inte stänga av dig själv", en="You cannot deactivate yourself"),
                    )
                ]
            )
        if data.display_name is not None:
            account.display_name = data.display_name
        if data.active is not None:
            account.active = data.active
        if data.locale is not None:
            account.locale = data.locale
        new_roles = old_roles
        if data.roles is not None:
            new_roles = sorted(set(data.roles))
            refuse_own_change(
                principal,
                own=account.id == principal.account_id and new_roles != sorted(old_roles),
                field="roles",
                who=ROLES_BY_SOMEONE_ELSE,
            )
            existing = list(
                (
                    await self.session.execute(select(AccountRole).where(col(AccountRole.account_id) == account.id))
                ).scalars()
            )
            for row in existing:
                if Role(row.role) not in new_roles:
                    await self.session.delete(row)
            for role in new_roles:
                if role not in old_roles:
                    self.session.add(AccountRole(account_id=account.id, role=role.value))
        after = audit.snapshot(account, ["display_name", "active", "locale"]) | {"roles": new_roles}
        old, new = audit.changed(before, after)
        if new:
            audit.record(
                self.session,
                organisation_id=principal.organisation_id,
                actor=principal,
                entity_type="account",
                entity_id=account.id,
                action="updated",
                before=old,
                after=new,
            )
        await self.session.commit()
        must_revoke = "roles" in new or new.get("active") is False
        return self._view(account, new_roles), must_revoke
