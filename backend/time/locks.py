"""Locked days ("spärrade dagar"), set and lifted by payroll: a locked day keeps what it had.

The range rule is the domain's (``backend.domain.time.locks``); here locks are stored, audited
and listed.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest.schemas import PersonRef
from backend.core import audit
from backend.core.auth import Principal
from backend.core.i18n import DEFAULT_LANGUAGE, Language, Text
from backend.core.problems import FieldError, invalid, not_found
from backend.db.models import Employee, TimeLock
from backend.domain.time.locks import lock_range_violations
from backend.time.loading import lock_reason
from backend.time.schemas import LockIn, LockView


class LockService:
    """Locked days ("spärrad dag"), set and lifted by payroll."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _names(self, ids: set[UUID]) -> dict[UUID, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Employee).where(col(Employee.id).in_(ids)))
        return {e.id: e.full_name for e in rows.scalars()}

    def _view(self, lock: TimeLock, names: dict[UUID, str], language: Language) -> LockView:
        return LockView(
            id=lock.id,
            first_day=lock.first_day,
            last_day=lock.last_day,
            employee=PersonRef(id=lock.employee_id, name=names.get(lock.employee_id, "")) if lock.employee_id else None,
            reason=lock_reason(lock, language),
            created_at=lock.created_at,
        )

    async def list_locks(
        self, principal: Principal, first: date | None, last: date | None, language: Language
    ) -> list[LockView]:
        statement = select(TimeLock).where(col(TimeLock.organisation_id) == principal.organisation_id)
        if first is not None:
            statement = statement.where(col(TimeLock.last_day) >= first)
        if last is not None:
            statement = statement.where(col(TimeLock.first_day) <= last)
        locks = list((await self.session.execute(statement.order_by(col(TimeLock.first_day)).limit(1000))).scalars())
        names = await self._names({lock.employee_id for lock in locks if lock.employee_id})
        return [self._view(lock, names, language) for lock in locks]

    async def put_lock(self, principal: Principal, lock_id: UUID, data: LockIn) -> tuple[LockView, bool]:
        """Lock days under an id the client chooses (a replay creates it once)."""
        existing = await self.session.get(TimeLock, lock_id)
        if existing is not None and existing.organisation_id != principal.organisation_id:
            raise not_found()
        errors = lock_range_violations(data.first_day, data.last_day)
        if data.employee_id is not None:
            employee = await self.session.get(Employee, data.employee_id)
            if employee is None or employee.organisation_id != principal.organisation_id:
                errors.append(
                    FieldError("employee_id", "unknown_employee", Text(sv="Okänd anställd", en="Unknown employee"))
                )
        if errors:
            raise invalid(errors)
        values = {
            "first_day": data.first_day,
            "last_day": data.last_day,
            "employee_id": data.employee_id,
            "reason": (data.reason or "").strip() or None,
        }
        if existing is None:
            lock = TimeLock(
                id=lock_id,
                organisation_id=principal.organisation_id,
                created_by_account_id=principal.account_id,
                **values,  # type: ignore[arg-type]
            )
            self.session.add(lock)
            before = None
        else:
            lock = existing
            before = audit.snapshot(lock, list(values))
            for name, value in values.items():
                setattr(lock, name, value)
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="time_lock",
            entity_id=lock.id,
            action="locked" if existing is None else "updated",
            before=before,
            after=values,
            reason=values["reason"],  # type: ignore[arg-type]
        )
        await self.session.commit()
        # a lock made here has the one reason its author typed: the language does not choose
        names = await self._names({lock.employee_id} if lock.employee_id else set())
        return self._view(lock, names, DEFAULT_LANGUAGE), existing is None

    async def delete_lock(self, principal: Principal, lock_id: UUID) -> None:
        lock = await self.session.get(TimeLock, lock_id)
        if lock is None or lock.organisation_id != principal.organisation_id:
            raise not_found()
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="time_lock",
            entity_id=lock.id,
            action="unlocked",
            before=audit.snapshot(lock, ["first_day", "last_day", "employee_id", "reason"]),
        )
        await self.session.delete(lock)
        await self.session.commit()
