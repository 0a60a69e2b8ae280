"""Idempotency-Key: a request replayed by a phone that lost its connection acts once.

The first request with a key stores its answer; a replay with the same key (and the same
request) gets that answer back without acting again. The key row is added to the same
transaction as the action, so either both exist or neither does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.i18n import Text
from backend.core.problems import FieldError, Problem, conflict, invalid
from backend.db.models import IdempotentRequest

HEADER = "idempotency-key"
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


async def _fingerprint(request: Request[Any, Any, Any]) -> str:
    digest = hashlib.sha256(f"{request.method} {request.url.path}".encode())
    if not request.headers.get("content-type", "").startswith("multipart/"):
        digest.update(await request.body())  # multipart boundaries differ between sends of the same file
    return digest.hexdigest()


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
    if not _KEY.match(key):
        raise invalid(
            [
                FieldError(
                    "Idempotency-Key",
                    "invalid",
                    Text("8-100 tecken: bokstäver, siffror, .-_:", "8-100 characters: letters, digits, .-_:"),
                )
            ]
        )
    fingerprint = await _fingerprint(request)
    stored = (
        await session.execute(
            select(IdempotentRequest).where(
                col(IdempotentRequest.account_id) == principal.account_id, col(IdempotentRequest.key) == key
            )
        )
    ).scalar_one_or_none()
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise Problem(
                422,
                "idempotency_key_reused",
                Text("Nyckeln används redan", "Key already used"),
                Text(
                    "Samma Idempotency-Key användes för en annan begäran.",
                    "The same Idempotency-Key was used for another request.",
                ),
            )
        if stored.status_code == 0:
            raise conflict(
                "request_in_progress", Text("Begäran behandlas redan.", "The request is already being handled.")
            )
        return Response(
            stored.body,
            status_code=stored.status_code,
            media_type="application/json",
            headers={"idempotent-replayed": "true"},
        )
    record = IdempotentRequest(
        account_id=principal.account_id, key=key, fingerprint=fingerprint, status_code=0, body=b""
    )
    session.add(record)
    result = await action()  # commits the action together with ``record``
    record.status_code = status_code
    record.body = msgspec.json.encode(result)
    session.add(record)
    await session.commit()
    return Response(record.body, status_code=status_code, media_type="application/json")
