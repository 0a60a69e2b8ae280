"""An organisation ready for a big reminder round, written in bulk: one home for the benchmark and the kill test.

N managers, each with one report whose item waits for attest, an account and one push
subscription (as a browser hands it over: ``{"endpoint", "keys": {"p256dh", "auth"}}``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.db.models import Account, AttestItem, Employee, NoticePreference, Organisation, PushDevice

CHUNK = 2000
QUIET_HOURS_OFF = {
    "choices": {},
    "quiet_hours": False,
    "quiet_start": "20:00",
    "quiet_end": "07:00",
    "timezone": "Europe/Stockholm",
    "during_quiet_hours": [],
}


def _names(prefix: str, name: str, n: int) -> dict[str, str]:
    return {
        "employee_number": f"{prefix}{n}",
        "first_name": name.capitalize(),
        "last_name": str(n),
        "email": f"{name}{n}@bench.se",
    }


@dataclass(frozen=True)
class Round:
    organisation_id: uuid.UUID
    devices: dict[uuid.UUID, str]
    """Each device's endpoint."""


async def seed_round(
    engine: AsyncEngine,
    subscriptions: list[dict[str, Any]],
    now: datetime,
    *,
    cutoff_day: int = 8,
    quiet_hours: bool = True,
) -> Round:
    """``quiet_hours=False`` writes each manager's preference with quiet hours off (pushes at any hour)."""
    org = uuid.uuid4()
    base = {"created_at": now, "updated_at": now}
    person = {**base, "organisation_id": org, "birth_date": date(1980, 1, 1), "start_date": date(2020, 1, 1)}
    managers: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    accounts: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    devices: list[dict[str, Any]] = []
    preferences: list[dict[str, Any]] = []
    for n, sub in enumerate(subscriptions):
        manager, report, account, device = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        managers.append({**person, "id": manager, **_names("M", "chef", n), "manager_id": None})
        reports.append({**person, "id": report, **_names("E", "anst", n), "manager_id": manager})
        accounts.append(
            {
                **base,
                "id": account,
                "organisation_id": org,
                "employee_id": manager,
                "email": f"chef{n}@bench.se",
                "display_name": f"Chef {n}",
                "password_hash": "-",
                "active": True,
                "is_demo": False,
                "locale": "sv",
            }
        )
        items.append(
            {
                **base,
                "id": uuid.uuid4(),
                "organisation_id": org,
                "kind": "expense_claim",
                "subject_id": uuid.uuid4(),
                "employee_id": report,
                "approver_employee_id": manager,
                "state": "submitted",
                "version": 1,
                "title": "Taxi",
                "first_submitted_at": now,
                "submitted_at": now,
                "times_returned": 0,
                "warnings": [],
            }
        )
        devices.append(
            {
                **base,
                "id": device,
                "organisation_id": org,
                "account_id": account,
                "endpoint": sub["endpoint"],
                "p256dh": sub["keys"]["p256dh"],
                "auth": sub["keys"]["auth"],
            }
        )
        if not quiet_hours:
            preferences.append({**base, "id": uuid.uuid4(), "account_id": account, **QUIET_HOURS_OFF})
    organisation = {
        **base,
        "id": org,
        "name": "Bench AB",
        "cutoff_day": cutoff_day,
        "pay_day": 25,
        "agreement_profile": "white_collar",
        "variable_pay_in_arrears": True,
    }
    async with engine.begin() as connection:
        await connection.execute(Organisation.__table__.insert(), [organisation])  # type: ignore[attr-defined]
        tables: list[tuple[Any, list[dict[str, Any]]]] = [
            (Employee, managers),
            (Employee, reports),
            (Account, accounts),
            (AttestItem, items),
            (PushDevice, devices),
            (NoticePreference, preferences),
        ]
        for model, rows in tables:
            for start in range(0, len(rows), CHUNK):
                await connection.execute(model.__table__.insert(), rows[start : start + CHUNK])
    return Round(org, {row["id"]: row["endpoint"] for row in devices})
