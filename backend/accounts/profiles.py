"""The signed-in user's profile, kept per process for PROFILE_CACHE_SECONDS.

`GET /api/me` is the app's most frequent request; with this it needs no database round
trip. One object (one dependency) on purpose: Litestar resolves several dependencies of a
handler concurrently in a task group, which costs more than the cached lookup itself.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.accounts.schemas import UserView
from backend.accounts.services import AccountService
from backend.config import Settings
from backend.core.auth import Principal
from backend.core.cache import TtlCache


class Profiles:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self.cache: TtlCache[tuple[UUID, str | None], UserView] = TtlCache(seconds=settings.profile_cache_seconds)

    async def view(self, principal: Principal) -> UserView:
        """Roles come from the token, so a cached profile with other roles is read again."""
        key = (principal.account_id, principal.session_id)
        cached = self.cache.get(key)
        if cached is not None and cached.roles == sorted(principal.roles):
            return cached
        async with self.sessions() as session:
            view = await AccountService(session, self.settings).user_view(principal)
        self.cache.set(key, view)
        return view

    def forget(self, principal: Principal) -> None:
        self.cache.invalidate((principal.account_id, principal.session_id))

    def forget_everyone(self) -> None:
        self.cache.clear()
