"""Login, the signed-in user, and user administration, as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from backend.core.authorization import Role
from backend.core.schemas import Email, Input, NewPassword, Output, Password, ShortText


class LoginRequest(Input):
    email: Email
    password: Password


class OrganisationRef(Output):
    id: UUID
    name: str


class UserView(Output):
    id: UUID
    email: str
    display_name: str
    roles: list[Role]
    organisation: OrganisationRef
    employee_id: UUID | None
    manager_name: str | None = None
    locale: str = "sv"
    demo: bool = False
    attests: bool = False
    """Has an attest inbox: manager, payroll, or a substitute under an active delegation."""


class LoginResponse(Output):
    token: str
    expires_at: datetime
    user: UserView


class SessionState(Output):
    """The app's start-up check: signed in (with a renewed session, as from refresh) or not."""

    signed_in: bool
    token: str | None = None
    expires_at: datetime | None = None
    user: UserView | None = None


class AccountCreate(Input):
    email: Email
    display_name: ShortText
    password: NewPassword
    roles: Annotated[list[Role], msgspec.Meta(min_length=1)]
    employee_id: UUID | None = None
    locale: Annotated[str, msgspec.Meta(pattern="^(sv|en)$")] = "sv"


class AccountUpdate(Input):
    display_name: ShortText | None = None
    roles: Annotated[list[Role], msgspec.Meta(min_length=1)] | None = None
    active: bool | None = None
    locale: Annotated[str, msgspec.Meta(pattern="^(sv|en)$")] | None = None


class AccountView(Output):
    id: UUID
    email: str
    display_name: str
    roles: list[Role]
    active: bool
    employee_id: UUID | None
    locale: str
    last_login_at: datetime | None


class PasswordChange(Input):
    current_password: Password
    new_password: NewPassword


class ResetRequest(Input):
    email: Email


class ResetRequested(Output):
    """The same answer whether or not the address has an account."""

    message: str


class PasswordResetByLink(Input):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    new_password: NewPassword


class SingleSignOnStart(Input):
    email: Email
    """The address typed on the login page: its domain names the organisation's provider."""
    next: Annotated[str, msgspec.Meta(pattern=r"^/(?![/\\])\S*$", max_length=500)] | None = None
    """Where in the app to go once signed in: a path of this app (never another site)."""


class SingleSignOnStarted(Output):
    authorization_url: str
    """Where the browser goes next: the organisation's OpenID Provider."""
