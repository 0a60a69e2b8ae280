"""What a handler can ask for, as explicit named dependencies.

Application objects are injected as they are (``SkipValidation``): validating a settings
dataclass or the principal on every request would only cost time.
"""

from __future__ import annotations

from typing import TypeAlias
from uuid import UUID

from litestar.di import NamedDependency
from litestar.params import FromQuery, SkipValidation
from litestar.security.jwt import JWTCookieAuth, Token
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.accounts.profiles import Profiles
from backend.attest.routing import Subject, subject
from backend.config import Settings
from backend.core.auth import Principal, Revocations
from backend.core.clock import Clock
from backend.core.i18n import Language
from backend.core.throttle import KnownDevices, LoginThrottle
from backend.storage import ContentStore
from backend.worker.jobs import Jobs

DbSession: TypeAlias = NamedDependency[SkipValidation[AsyncSession]]
DbEngine: TypeAlias = NamedDependency[SkipValidation[AsyncEngine]]
SettingsDep: TypeAlias = NamedDependency[SkipValidation[Settings]]
ClockDep: TypeAlias = NamedDependency[SkipValidation[Clock]]
PrincipalDep: TypeAlias = NamedDependency[SkipValidation[Principal]]
JwtAuthDep: TypeAlias = NamedDependency[SkipValidation[JWTCookieAuth[Principal, Token]]]
RevocationsDep: TypeAlias = NamedDependency[SkipValidation[Revocations]]
LoginThrottleDep: TypeAlias = NamedDependency[SkipValidation[LoginThrottle]]
KnownDevicesDep: TypeAlias = NamedDependency[SkipValidation[KnownDevices]]
SessionsDep: TypeAlias = NamedDependency[SkipValidation[async_sessionmaker[AsyncSession]]]
ProfilesDep: TypeAlias = NamedDependency[SkipValidation[Profiles]]
StorageDep: TypeAlias = NamedDependency[SkipValidation[ContentStore]]
JobsDep: TypeAlias = NamedDependency[SkipValidation[Jobs]]
LanguageDep: TypeAlias = NamedDependency[SkipValidation[Language]]
SubjectDep: TypeAlias = NamedDependency[SkipValidation[Subject]]


async def provide_subject(
    db_session: DbSession, principal: PrincipalDep, clock: ClockDep, employee_id: FromQuery[UUID | None] = None
) -> Subject:
    """Whose items the request is about (``?employee_id=``, else the caller), checked before the handler runs.

    The one access check of every "yours, or someone you may see" read: someone you may not see is
    404 whatever else the request says.
    """
    return await subject(db_session, principal, employee_id, clock.today())
