"""Login throttling per e-mail address, on top of the per-address rate limit.

Counts failed attempts in a Litestar store (memory, or Redis for several processes);
after too many the address is locked for a while whatever the password.
"""

from __future__ import annotations

from datetime import timedelta

from litestar.stores.base import Store


class LoginThrottle:
    def __init__(self, store: Store, max_failures: int, window: timedelta) -> None:
        self.store = store
        self.max_failures = max_failures
        self.window = window

    @staticmethod
    def _key(email: str) -> str:
        return f"login-failures:{email.strip().lower()}"

    async def is_locked(self, email: str) -> bool:
        raw = await self.store.get(self._key(email))
        return raw is not None and int(raw) >= self.max_failures

    async def failed(self, email: str) -> None:
        key = self._key(email)
        raw = await self.store.get(key)
        count = int(raw) + 1 if raw is not None else 1
        await self.store.set(key, str(count).encode(), expires_in=self.window)

    async def succeeded(self, email: str) -> None:
        await self.store.delete(self._key(email))

    def retry_after_seconds(self) -> int:
        return int(self.window.total_seconds())
