"""Matrix cases for notifications: everyone has their own list, devices and choices; nobody touches another's."""

from __future__ import annotations

import itertools
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

ROLES = ("employee", "manager", "payroll", "admin")
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"
_serial = itertools.count(1)


def _everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _subscription() -> dict[str, Any]:
    return {"endpoint": f"https://push.example.net/send/{next(_serial)}", "keys": {"p256dh": P256DH, "auth": AUTH}}


def cases(case: Any) -> list[Any]:
    """``case`` is the matrix's ``Case`` class (passed in to keep one definition)."""
    return [
        case("GET", "/api/push/key", _everyone(200)),
        case("POST", "/api/push/subscriptions", _everyone(201), _subscription),
        case("POST", "/api/push/unsubscribe", _everyone(204), lambda: {"endpoint": "https://push.example.net/x"}),
        case("GET", "/api/notifications", _everyone(200)),
        case("GET", "/api/notifications/unread-count", _everyone(200)),
        case(
            "POST",
            "/api/notifications/{own_notice}/read",
            {"employee": 200, "manager": 404, "payroll": 404, "admin": 404},
            note="Anna's",
        ),
        case("POST", "/api/notifications/read-all", _everyone(200)),
        case("GET", "/api/notifications/preferences", _everyone(200)),
        case(
            "PUT",
            "/api/notifications/preferences",
            _everyone(200),
            lambda: {"categories": [{"category": "attest_nudge", "push": False}]},
        ),
        case("POST", "/api/notifications/test", _everyone(202)),
    ]


async def notice_ids(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], path: str
) -> dict[str, str]:
    if "{own_notice}" not in path:
        return {}
    sent = await client.post("/api/notifications/test", headers=as_role["employee"])
    assert sent.status_code == 202, sent.text
    return {"own_notice": sent.json()["notice_id"]}
