"""Password hashing with Argon2id (argon2-cffi), tunable so tests stay fast."""

from __future__ import annotations

import asyncio
import contextlib
from functools import lru_cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

if TYPE_CHECKING:
    from backend.config import AuthSettings

MIN_PASSWORD_LENGTH = 12
"""The password policy: length is what makes a password hard to guess (NIST SP 800-63B), not rules of character kinds."""
MAX_PASSWORD_LENGTH = 200
NO_PASSWORD = "!"  # noqa: S105
"""The stored hash of an account that signs in only through its organisation's provider: matches no password."""

# Verifying against this keeps the time of a failed login the same whether or not
# the e-mail exists, so response times do not reveal which accounts exist.
_DUMMY_PASSWORD = "not-a-real-password"  # noqa: S105


@lru_cache(maxsize=4)
def hasher(time_cost: int = 3, memory_cost_kib: int = 65536) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib)


def hash_password(password: str, time_cost: int = 3, memory_cost_kib: int = 65536) -> str:
    return hasher(time_cost, memory_cost_kib).hash(password)


def verify_password(password_hash: str | None, password: str, time_cost: int = 3, memory_cost_kib: int = 65536) -> bool:
    """True when ``password`` matches; also spends the same effort when there is no account."""
    ph = hasher(time_cost, memory_cost_kib)
    if password_hash is None:
        with contextlib.suppress(VerificationError):
            ph.verify(_dummy_hash(time_cost, memory_cost_kib), password)
        return False
    try:
        return ph.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost_kib: int) -> str:
    return hasher(time_cost, memory_cost_kib).hash(_DUMMY_PASSWORD)


async def hashed(password: str, auth: AuthSettings) -> str:
    """``hash_password`` with the configured cost, off the event loop (Argon2 takes tens of milliseconds)."""
    return await asyncio.to_thread(hash_password, password, auth.argon2_time_cost, auth.argon2_memory_cost_kib)


async def verified(password_hash: str | None, password: str, auth: AuthSettings) -> bool:
    """``verify_password`` with the configured cost, off the event loop."""
    return await asyncio.to_thread(
        verify_password, password_hash, password, auth.argon2_time_cost, auth.argon2_memory_cost_kib
    )
