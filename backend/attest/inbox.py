"""The manager's one inbox, item details, decisions (one or many) and the archive."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import kinds, routing
from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.schemas import (
    ArchiveItem,
    BulkOutcome,
    CutOff,
    Decision,
    DecisionOutcome,
    Inbox,
    InboxItem,
    ItemView,
    ItemWarning,
    PersonRef,
)
from backend.attest.titles import shown
from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Language, Text
from backend.core.problems import Problem, conflict, not_found
from backend.db.models import Account, AttestItem, Employee, Organisation
from backend.db.models.people import full_name
from backend.domain.attest import RETURNED_AT_LEAST, AttestError, AttestState, ItemKind
from backend.domain.calendar import PayPeriod, cutoff_date, pay_date, period_reached_by
from backend.notices.events import items_decided

CHANGED = Text(
    sv="Posten har ändrats sedan du öppnade den (någon annan har redan agerat). Ladda om och försök igen.",
    en="The item changed since you opened it (someone else acted first). Reload and try again.",
)
Sort = Literal["oldest", "newest", "amount", "employee"]


def person(employee: Employee) -> PersonRef:
    return PersonRef(id=employee.id, name=employee.full_name)


def cutoff_for(today: date, organisation: Organisation) -> CutOff:
    period = period_reached_by(today, organisation.cutoff_day)
    return CutOff(
        date=cutoff_date(period, organisation.cutoff_day),
        pay_period=str(period),
        pay_date=pay_date(period, organisation.pay_day),
    )


def _warnings(warnings: list[dict[str, str]], language: Language) -> list[ItemWarning]:
    return [ItemWarning(code=w.get("code", ""), message=attest.warning_text(w)(language)) for w in warnings]


class AttestInbox:
    def __init__(self, session: AsyncSession, principal: Principal, today: date, language: Language) -> None:
        self.session = session
        self.principal = principal
        self.today = today
        self.language = language

    async def _organisation(self) -> Organisation:
        organisation = await self.session.get(Organisation, self.principal.organisation_id)
        assert organisation is not None
        return organisation

    async def _routed_to_me(self) -> tuple[ColumnElement[bool], set[UUID]]:
        """Items whose approver is me, a manager I substitute for, or (payroll) nobody."""
        substitutes_for = await routing.substituting_for(self.session, self.principal, self.today)
        managers = set(substitutes_for)
        if self.principal.employee_id is not None:
            managers.add(self.principal.employee_id)
        conditions = [col(Employee.manager_id).in_(managers)] if managers else []
        if self.principal.has(Role.PAYROLL):
            conditions.append(col(Employee.manager_id).is_(None))
        routed = or_(*conditions) if conditions else false()
        mine = col(AttestItem.employee_id) != self.principal.employee_id if self.principal.employee_id else None
        return (and_(routed, mine) if mine is not None else routed), substitutes_for

    async def inbox(
        self,
        kind: ItemKind | None = None,
        employee_id: UUID | None = None,
        min_days_waiting: int | None = None,
        sort: Sort = "oldest",
        limit: int = 200,
        offset: int = 0,
    ) -> Inbox:
        organisation = await self._organisation()
        routed, substitutes_for = await self._routed_to_me()
        # Columns, not entities: 500 rows as ORM objects cost several times the query itself.
        statement = (
            sa_select(
                col(AttestItem.id),
                col(AttestItem.kind),
                col(AttestItem.subject_id),
                col(AttestItem.version),
                col(AttestItem.title),
                col(AttestItem.title_en),
                col(AttestItem.amount),
                col(AttestItem.hours),
                col(AttestItem.submitted_at),
                col(AttestItem.warnings),
                col(AttestItem.times_returned),
                col(Employee.id).label("employee_id"),
                col(Employee.first_name),
                col(Employee.last_name),
                col(Employee.manager_id),
            )
            .join(Employee, col(Employee.id) == col(AttestItem.employee_id))
            .where(
                col(AttestItem.organisation_id) == self.principal.organisation_id,
                col(AttestItem.state) == AttestState.SUBMITTED.value,
                routed,
            )
        )
        if kind is not None:
            statement = statement.where(col(AttestItem.kind) == kind.value)
        if employee_id is not None:
            statement = statement.where(col(AttestItem.employee_id) == employee_id)
        if min_days_waiting is not None:
            # Waiting at least N days = submitted on or before today - N (Stockholm dates).
            statement = statement.where(
                col(AttestItem.submitted_at) < _start_of(self.today - timedelta(days=min_days_waiting - 1))
            )
        orders: dict[str, list[Any]] = {
            "oldest": [col(AttestItem.submitted_at)],
            "newest": [col(AttestItem.submitted_at).desc()],
            "amount": [col(AttestItem.amount).desc().nulls_last(), col(AttestItem.submitted_at)],
            "employee": [col(Employee.last_name), col(Employee.first_name), col(AttestItem.submitted_at)],
        }
        order = orders[sort]
        # The total rides along as a window count: one round trip instead of a second query.
        paged = statement.add_columns(func.count().over().label("total")).order_by(*order).limit(limit).offset(offset)
        rows = (await self.session.execute(paged)).all()
        if rows:
            total = rows[0].total
        elif offset:  # past the end: the page is empty but the total is not
            total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        else:
            total = 0
        cutoff = cutoff_for(self.today, organisation)
        managers = await self._people({r.manager_id for r in rows if r.manager_id in substitutes_for})
        items = [
            InboxItem(
                id=row.id,
                kind=row.kind,
                subject_id=row.subject_id,
                version=row.version,
                employee=PersonRef(id=row.employee_id, name=full_name(row.first_name, row.last_name)),
                title=shown(row.title, row.title_en, self.language),
                amount=row.amount,
                hours=row.hours,
                submitted_at=row.submitted_at,
                days_waiting=max(0, (self.today - row.submitted_at.astimezone(STOCKHOLM).date()).days),
                cutoff=cutoff,
                warnings=_warnings(row.warnings, self.language),
                on_behalf_of=managers.get(row.manager_id) if row.manager_id in substitutes_for else None,
                times_returned=row.times_returned,
            )
            for row in rows
        ]
        return Inbox(items=items, total=int(total), next_cutoff=cutoff)

    async def _people(self, ids: set[UUID | None]) -> dict[UUID | None, PersonRef]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        rows = (await self.session.execute(select(Employee).where(col(Employee.id).in_(wanted)))).scalars()
        return {e.id: person(e) for e in rows}

    async def _visible_item(self, item_id: UUID) -> tuple[AttestItem, Employee, set[UUID]]:
        item = await self.session.get(AttestItem, item_id)
        if item is None or item.organisation_id != self.principal.organisation_id:
            raise not_found()
        employee = await self.session.get(Employee, item.employee_id)
        assert employee is not None
        substitutes_for = await routing.substituting_for(self.session, self.principal, self.today)
        if not routing.may_see(self.principal, employee, substitutes_for):
            raise not_found()
        return item, employee, substitutes_for

    async def item(self, item_id: UUID) -> ItemView:
        item, employee, substitutes_for = await self._visible_item(item_id)
        decider, _ = routing.decider(self.principal, employee, substitutes_for)
        people = await self._people({item.on_behalf_of_employee_id})
        decided_by = None
        if item.decided_by_account_id:
            decided_by = (
                await self.session.execute(
                    select(Account.display_name).where(col(Account.id) == item.decided_by_account_id)
                )
            ).scalar_one_or_none()
        kind = ItemKind(item.kind)
        return ItemView(
            id=item.id,
            kind=item.kind,  # type: ignore[arg-type]
            subject_id=item.subject_id,
            version=item.version,
            state=item.state,
            employee=person(employee),
            title=shown(item.title, item.title_en, self.language),
            amount=item.amount,
            hours=item.hours,
            first_submitted_at=item.first_submitted_at,
            submitted_at=item.submitted_at,
            decided_at=item.decided_at,
            decided_by=decided_by,
            on_behalf_of=people.get(item.on_behalf_of_employee_id),
            return_reason=item.return_reason,
            pay_period=item.pay_period,
            times_returned=item.times_returned,
            warnings=_warnings(item.warnings, self.language),
            can_decide=decider
            and item.state == AttestState.SUBMITTED
            and item.employee_id != self.principal.employee_id,
            days_waiting=max(0, (self.today - item.submitted_at.astimezone(STOCKHOLM).date()).days),
            cutoff=cutoff_for(self.today, await self._organisation()),
            detail=await kinds.detail(kind, self.session, self.principal, item.subject_id, self.language, self.today),
            history=await history(self.session, item.organisation_id, item.kind, item.subject_id),
        )

    async def decide(self, decisions: Sequence[Decision], now: datetime, *, commit: bool = True) -> BulkOutcome:
        """Every decision checked on its own; one that fails (changed meanwhile, locked...) leaves the others.

        ``commit=False``: the caller commits, so its own changes (an error report answered by the
        return) go in the same transaction, or not at all.
        """
        organisation = await self._organisation()
        substitutes_for = await routing.substituting_for(self.session, self.principal, self.today)
        ids = [d.item_id for d in decisions]
        items = {
            i.id: i
            for i in (await self.session.execute(select(AttestItem).where(col(AttestItem.id).in_(ids)))).scalars()
        }
        employees = {
            e.id: e
            for e in (
                await self.session.execute(
                    select(Employee).where(col(Employee.id).in_({i.employee_id for i in items.values()}))
                )
            ).scalars()
        }
        outcomes: dict[int, DecisionOutcome] = {}
        planned: dict[int, attest.Planned] = {}
        seen: set[UUID] = set()
        for index, decision in enumerate(decisions):
            item = items.get(decision.item_id)
            if item is None or item.organisation_id != self.principal.organisation_id:
                outcomes[index] = self._failure(decision.item_id, not_found())
                continue
            try:
                if item.id in seen:  # the same item twice in one request: the second finds it decided
                    raise attest.Changed()
                seen.add(item.id)
                planned[index] = attest.plan_decision(
                    self.principal,
                    item,
                    employees[item.employee_id],
                    approve=decision.action == "approve",
                    reason=decision.reason,
                    expected_version=decision.version,
                    substitutes_for=substitutes_for,
                    organisation=organisation,
                    today=self.today,
                )
            except attest.Changed:
                outcomes[index] = self._failure(item.id, conflict("attest.changed", CHANGED))
            except Problem as problem:
                outcomes[index] = self._failure(item.id, problem)
            except AttestError as error:
                outcomes[index] = DecisionOutcome(
                    item_id=item.id,
                    ok=False,
                    status={"conflict": 409, "forbidden": 403}.get(error.category, 422),
                    code=error.code,
                    message=error.message(self.language),
                    state=item.state,
                )
        done = await attest.apply_decisions(self.session, self.principal, list(planned.values()), now)
        for index, plan in planned.items():
            decided_item = done.get(plan.item.id)
            if decided_item is None:  # someone else acted between our read and our write
                outcomes[index] = self._failure(plan.item.id, conflict("attest.changed", CHANGED))
                continue
            outcomes[index] = DecisionOutcome(
                item_id=plan.item.id,
                ok=True,
                status=200,
                code=decided_item.state.value,
                message=Text(sv="Attesterad", en="Approved")(self.language)
                if decided_item.state == AttestState.APPROVED
                else Text(sv="Skickad tillbaka", en="Returned")(self.language),
                state=decided_item.state.value,
                pay_period=decided_item.pay_period,
            )
        ordered = [outcomes[index] for index in range(len(decisions))]
        decided = [d.notice for d in done.values()]
        await items_decided(self.session, decided, self.principal.account_id, now)  # one batch, same transaction
        if commit:
            await self.session.commit()
        return BulkOutcome(
            approved=sum(1 for o in ordered if o.ok and o.state == AttestState.APPROVED),
            returned=sum(1 for o in ordered if o.ok and o.state == AttestState.RETURNED),
            failed=sum(1 for o in ordered if not o.ok),
            outcomes=ordered,
        )

    def _failure(self, item_id: UUID, problem: Problem) -> DecisionOutcome:
        return DecisionOutcome(
            item_id=item_id,
            ok=False,
            status=problem.status,
            code=problem.code,
            message=(problem.detail or problem.title)(self.language),
        )

    async def archive(
        self,
        kind: ItemKind | None = None,
        employee_id: UUID | None = None,
        period: PayPeriod | None = None,
        state: Literal["approved", "returned", "locked"] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ArchiveItem]:
        """Attested and returned items the caller may see, newest decision first."""
        statement = (
            select(AttestItem, Employee)
            .join(Employee, col(Employee.id) == col(AttestItem.employee_id))
            .where(
                col(AttestItem.organisation_id) == self.principal.organisation_id,
                col(AttestItem.state).in_(
                    [state]
                    if state and state != AttestState.RETURNED.value
                    else [AttestState.APPROVED.value, AttestState.RETURNED.value, AttestState.LOCKED.value]
                ),
            )
        )
        if state == AttestState.RETURNED.value:  # sent back at some point, whatever was decided since
            statement = statement.where(col(AttestItem.times_returned) >= RETURNED_AT_LEAST)
        if not self.principal.has(Role.PAYROLL):
            routed, _ = await self._routed_to_me()
            own = col(AttestItem.employee_id) == self.principal.employee_id
            statement = statement.where(or_(routed, own) if self.principal.employee_id else routed)
        if kind is not None:
            statement = statement.where(col(AttestItem.kind) == kind.value)
        if employee_id is not None:
            statement = statement.where(col(AttestItem.employee_id) == employee_id)
        if period is not None:
            statement = statement.where(
                or_(
                    col(AttestItem.pay_period) == str(period),
                    and_(
                        col(AttestItem.pay_period).is_(None),
                        col(AttestItem.submitted_at) >= _start_of(period.first_day()),
                        col(AttestItem.submitted_at) < _start_of(period.next().first_day()),
                    ),
                )
            )
        rows = (
            (
                await self.session.execute(
                    statement.order_by(col(AttestItem.decided_at).desc(), col(AttestItem.submitted_at).desc())
                    .limit(limit)
                    .offset(offset)
                )
            )
            .tuples()
            .all()
        )
        deciders = dict(
            (
                await self.session.execute(
                    select(Account.id, Account.display_name).where(
                        col(Account.id).in_({i.decided_by_account_id for i, _ in rows if i.decided_by_account_id})
                    )
                )
            )
            .tuples()
            .all()
        )
        behalf = await self._people({i.on_behalf_of_employee_id for i, _ in rows})
        return [
            ArchiveItem(
                id=item.id,
                kind=item.kind,
                subject_id=item.subject_id,
                employee=person(employee),
                title=shown(item.title, item.title_en, self.language),
                amount=item.amount,
                hours=item.hours,
                state=item.state,
                submitted_at=item.submitted_at,
                decided_at=item.decided_at,
                decided_by=deciders.get(item.decided_by_account_id),
                on_behalf_of=behalf.get(item.on_behalf_of_employee_id),
                return_reason=item.return_reason,
                pay_period=item.pay_period,
            )
            for item, employee in rows
        ]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=STOCKHOLM)
