"""Attest: the inbox, decisions one by one or in bulk, delegations, the archive and insight."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal, TypeAlias
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, SkipValidation
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.attest.delegations import DelegationService
from backend.attest.inbox import AttestInbox, Sort
from backend.attest.insight import insight
from backend.attest.schemas import (
    ArchiveItem,
    BulkDecisions,
    BulkOutcome,
    Candidate,
    Decision,
    DecisionIn,
    DecisionOutcome,
    DelegationIn,
    DelegationView,
    Inbox,
    Insight,
    ItemView,
    Kind,
)
from backend.core.authorization import Role, requires
from backend.core.deps import ClockDep, DbSession, LanguageDep, PrincipalDep
from backend.core.i18n import Text
from backend.core.idempotency import idempotent
from backend.core.problems import FieldError, Problem, invalid
from backend.core.queries import Offset, WaitingDays
from backend.domain.attest import ItemKind
from backend.domain.calendar import PayPeriod


def provide_attest(
    db_session: DbSession, principal: PrincipalDep, clock: ClockDep, language: LanguageDep
) -> AttestInbox:
    """The attest inbox for this request: its wiring in one place, not in every handler."""
    return AttestInbox(db_session, principal, clock.today(), language)


def provide_delegations(db_session: DbSession, principal: PrincipalDep, clock: ClockDep) -> DelegationService:
    return DelegationService(db_session, principal, clock.today())


AttestDep: TypeAlias = NamedDependency[SkipValidation[AttestInbox]]
DelegationsDep: TypeAlias = NamedDependency[SkipValidation[DelegationService]]


def _single(outcome: BulkOutcome) -> DecisionOutcome:
    """A one-item decision answers with the item's status: 409 when someone else acted first."""
    result = outcome.outcomes[0]
    if not result.ok:
        raise Problem(
            result.status,
            result.code,
            Text(sv="Kunde inte utföras", en="Could not be done"),
            Text(sv=result.message, en=result.message),
        )
    return result


class AttestController(Controller):
    path = "/api/attest"
    tags = ["Attest"]
    dependencies = {"attest": Provide(provide_attest, sync_to_thread=False)}

    @get("/inbox")
    async def inbox(
        self,
        attest: AttestDep,
        kind: FromQuery[Kind | None] = None,
        employee_id: FromQuery[UUID | None] = None,
        min_days_waiting: WaitingDays = None,
        sort: FromQuery[Sort] = "oldest",
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
        offset: Offset = 0,
    ) -> Inbox:
        """Everything waiting for your attest (as manager, as substitute, or for payroll: items with no manager)."""
        return await attest.inbox(ItemKind(kind) if kind else None, employee_id, min_days_waiting, sort, limit, offset)

    @get("/items/{item_id:uuid}")
    async def item(self, item_id: FromPath[UUID], attest: AttestDep) -> ItemView:
        """The item with its lines, receipts, explanations and full history."""
        return await attest.item(item_id)

    @post("/items/{item_id:uuid}/approve", status_code=HTTP_200_OK)
    async def approve(
        self, item_id: FromPath[UUID], clock: ClockDep, attest: AttestDep, data: JSONBody[DecisionIn | None] = None
    ) -> DecisionOutcome:
        decision = Decision(item_id=item_id, action="approve", version=data.version if data else None)
        return _single(await attest.decide([decision], clock.now()))

    @post("/items/{item_id:uuid}/return", status_code=HTTP_200_OK)
    async def return_item(
        self, item_id: FromPath[UUID], data: JSONBody[DecisionIn], clock: ClockDep, attest: AttestDep
    ) -> DecisionOutcome:
        """Send back with a reason the employee sees; they correct and resubmit."""
        decision = Decision(item_id=item_id, action="return", reason=data.reason, version=data.version)
        return _single(await attest.decide([decision], clock.now()))

    @post("/decisions", status_code=HTTP_200_OK)
    async def decide_many(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[BulkDecisions],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        attest: AttestDep,
    ) -> Response[Any]:
        """Approve or return many items at once; the answer says what happened to each (some may have changed)."""

        async def action() -> BulkOutcome:
            return await attest.decide(data.decisions, clock.now())

        return await idempotent(request, db_session, principal, action, HTTP_200_OK)

    @get("/archive")
    async def archive(
        self,
        attest: AttestDep,
        kind: FromQuery[Kind | None] = None,
        employee_id: FromQuery[UUID | None] = None,
        period: Annotated[str | None, Parameter(pattern=r"^\d{4}-\d{2}$")] = None,
        decision: FromQuery[Literal["approved", "returned", "locked"] | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
        offset: Offset = 0,
    ) -> list[ArchiveItem]:
        """Attested and returned items: your team's (managers), everyone's (payroll), your own (employees)."""
        try:
            pay_period = PayPeriod.parse(period) if period else None
        except ValueError as exc:
            raise invalid(
                [FieldError("period", "invalid", Text(sv="Ange period som ÅÅÅÅ-MM", en="Use YYYY-MM"))]
            ) from exc
        return await attest.archive(ItemKind(kind) if kind else None, employee_id, pay_period, decision, limit, offset)

    @get("/insight", guards=[requires(Role.MANAGER, Role.PAYROLL)])
    async def insight(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        language: LanguageDep,
        from_date: FromQuery[date | None] = None,
        to_date: FromQuery[date | None] = None,
        waiting_limit_days: Annotated[int, Parameter(ge=1, le=365)] = 7,
    ) -> Insight:
        """Lead time from submission to attest (median, 90th percentile), waiting items and share returned."""
        end = to_date or clock.today()
        start = from_date or end - timedelta(days=90)
        if start > end:
            raise invalid(
                [FieldError("from_date", "after_to", Text(sv="Startdatum efter slutdatum", en="Start after end"))]
            )
        return await insight(db_session, principal, start, end, waiting_limit_days, clock.now(), language)


class DelegationController(Controller):
    path = "/api/delegations"
    tags = ["Attest"]
    dependencies = {"delegations": Provide(provide_delegations, sync_to_thread=False)}

    @get("/")
    async def list_delegations(self, delegations: DelegationsDep) -> list[DelegationView]:
        """Delegations you gave or received (payroll: all)."""
        return await delegations.list()

    @get("/candidates", guards=[requires(Role.MANAGER, Role.PAYROLL)])
    async def candidates(self, delegations: DelegationsDep) -> list[Candidate]:
        """Everyone who can stand in as substitute (names only: no pay or other details)."""
        return await delegations.candidates()

    @post("/", status_code=HTTP_201_CREATED, guards=[requires(Role.MANAGER, Role.PAYROLL)])
    async def create_delegation(self, data: JSONBody[DelegationIn], delegations: DelegationsDep) -> DelegationView:
        """A substitute attests your team's items between two dates (payroll: for any manager)."""
        return await delegations.create(data)

    @delete("/{delegation_id:uuid}", status_code=HTTP_204_NO_CONTENT, guards=[requires(Role.MANAGER, Role.PAYROLL)])
    async def end_delegation(self, delegation_id: FromPath[UUID], clock: ClockDep, delegations: DelegationsDep) -> None:
        await delegations.end(delegation_id, clock.now())
