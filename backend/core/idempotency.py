"""Idempotency-Key: a request replayed by a phone that lost its connection acts once.

The key belongs to one account and one request (method, path and a hash of the body; for
multipart, of every field and every file's bytes, since boundaries differ between sends). The
action and the key with its answer commit in *one* transaction: the action's own ``commit()``
calls become flushes while it runs. So a server killed mid-request leaves nothing behind and the
retry simply acts; a replay of a finished request gets the first answer back; the same key with
another request is refused with 422. Two copies in flight at once meet at the key's unique
index: the later one is undone and answers with the first one's answer.

Rows still marked in progress (written by earlier versions, which committed the key before the
answer) are reclaimed once older than ``IDEMPOTENCY_RECLAIM_SECONDS``; keys older than
``IDEMPOTENCY_KEEP_HOURS`` are forgotten (deleted when the account next uses a key).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.config import Settings
from backend.core.auth import Principal
from backend.core.clock import Clock
from backend.core.i18n import Text
from backend.core.problems import FieldError, Problem, invalid
from backend.db.models import IdempotentRequest

HEADER = "idempotency-key"
IN_PROGRESS = 0
"""``status_code`` of a row whose answer was never stored."""
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


def keys_expired_before(now: datetime, keep_hours: int) -> datetime:
    """Keys created before this are forgotten: no longer replayed, and deleted (here per account, by ``prune``)."""
    return now - timedelta(hours=keep_hours)


def request_fingerprint(method: str, path: str, body: bytes = b"", parts: Iterable[tuple[str, bytes]] = ()) -> str:
    """sha256 of what makes two requests the same: method, path, body, and each multipart field's name and bytes."""
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(hashlib.sha256(body).digest())
    for name, content in sorted(parts):
        digest.update(hashlib.sha256(name.encode()).digest() + hashlib.sha256(content).digest())
    return digest.hexdigest()


async def fingerprint(request: Request[Any, Any, Any]) -> str:
    """The request's fingerprint; multipart by its fields and file bytes (boundaries differ between sends)."""
    if not request.headers.get("content-type", "").startswith("multipart/"):
        return request_fingerprint(request.method, request.url.path, await request.body())
    parts: list[tuple[str, bytes]] = []
    for name, value in (await request.form()).multi_items():  # parsed once per request and cached
        if isinstance(value, UploadFile):
            await value.seek(0)
            parts.append((name, b"file:" + await value.read()))
            await value.seek(0)
        else:
            parts.append((name, b"text:" + str(value).encode()))
    # An upload's bytes (up to UPLOAD_MAX_BYTES) are hashed off the event loop: tens of milliseconds.
    return await asyncio.to_thread(request_fingerprint, request.method, request.url.path, parts=parts)


def _check_key(key: str) -> None:
    if not _KEY.match(key):
        raise invalid(
            [
                FieldError(
                    "Idempotency-Key",
                    "invalid",
                    Text(sv="8-100 tecken: bokstäver, siffror, .-_:", en="8-100 characters: letters, digits, .-_:"),
                )
            ]
        )


def _used_for_another_request() -> Problem:
    return Problem(
        HTTP_422_UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
        Text(sv="Nyckeln används redan", en="Key already used"),
        Text(
            sv="Denna Idempotency-Key användes för en annan begäran. Skicka en ny nyckel för en ny begäran.",
            en="This Idempotency-Key was used for another request. Send a new key for a new request.",
        ),
        [
            FieldError(
                "Idempotency-Key",
                "used_for_another_request",
                Text(sv="Användes för en annan begäran", en="Used for another request"),
            )
        ],
    )


def _in_progress(retry_after: timedelta) -> Problem:
    return Problem(
        HTTP_409_CONFLICT,
        "request_in_progress",
        Text(sv="Konflikt", en="Conflict"),
        Text(
            sv="Begäran behandlas redan. Försök igen om en stund.",
            en="The request is already being handled. Retry soon.",
        ),
        headers={"retry-after": str(max(1, math.ceil(retry_after.total_seconds())))},
    )


async def _stored(session: AsyncSession, principal: Principal, key: str) -> IdempotentRequest | None:
    return (
        await session.execute(
            select(IdempotentRequest).where(
                col(IdempotentRequest.account_id) == principal.account_id, col(IdempotentRequest.key) == key
            )
        )
    ).scalar_one_or_none()


def _answer(stored: IdempotentRequest, print_: str, now: datetime, reclaim_after: timedelta) -> Response[Any] | None:
    """The stored answer to replay, a problem, or None when the row is a dead request's to take over."""
    if stored.fingerprint != print_:
        raise _used_for_another_request()
    if stored.status_code == IN_PROGRESS:
        if now - stored.updated_at < reclaim_after:
            raise _in_progress(stored.updated_at + reclaim_after - now)
        return None
    return Response(
        stored.body,
        status_code=stored.status_code,
        media_type="application/json",
        headers={"idempotent-replayed": "true"},
    )


@asynccontextmanager
async def _commits_deferred(session: AsyncSession) -> AsyncIterator[None]:
    """While the action runs its ``commit()`` only flushes, so the answer joins the action's transaction."""
    session.commit = session.flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        del session.commit


async def idempotent(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    action: Callable[[], Awaitable[Any]],
    status_code: int,
) -> Response[Any]:
    key = request.headers.get(HEADER)
    if key is None:
        return Response(await action(), status_code=status_code)
    _check_key(key)
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    now = clock.now()
    reclaim_after = timedelta(seconds=settings.idempotency_reclaim_seconds)
    expired_before = keys_expired_before(now, settings.idempotency_keep_hours)
    print_ = await fingerprint(request)

    stored = await _stored(session, principal, key)
    if stored is not None and stored.created_at >= expired_before:
        replay = _answer(stored, print_, now, reclaim_after)
        if replay is not None:
            return replay
    # Nothing is written before the action's own first write: on SQLite that is when its turn to write begins.
    async with _commits_deferred(session):
        result = await action()
    if stored is not None:
        await session.delete(stored)  # expired, or a dead request's claim: taken over
    await session.execute(
        delete(IdempotentRequest).where(
            col(IdempotentRequest.account_id) == principal.account_id,
            col(IdempotentRequest.created_at) < expired_before,
        )
    )
    body = msgspec.json.encode(result)
    session.add(
        IdempotentRequest(
            account_id=principal.account_id, key=key, fingerprint=print_, status_code=status_code, body=body
        )
    )
    try:
        await session.commit()
    except IntegrityError:
        # A twin with the same key committed first (PostgreSQL made us wait for it): ours is undone, its answer stands.
        await session.rollback()
        twin = await _stored(session, principal, key)
        replay = None if twin is None else _answer(twin, print_, now, reclaim_after)
        if replay is None:
            raise
        return replay
    return Response(body, status_code=status_code, media_type="application/json")
