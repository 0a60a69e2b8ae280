"""Pay periods as payroll sees them: open, closing or closed, what waits, what is ready; closing and reopening.

Closing after the cut-off is asked for by payroll (``request_close``: the period is ``closing``) and
made by a job (``closing.py`` runs ``finish_close``): it freezes what is approved into an export
batch (``BatchMaker``) in the same transaction as the period's state and the audit events; a
refused export puts the period back to open with the reason (``close_problem``) and nothing marked. Reopening (with a reason) lets payroll close again, which makes a further
batch of what was not exported yet; batches already made never change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest.titles import shown
from backend.core import audit
from backend.core.auth import Principal
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Language, Text
from backend.core.problems import (
    FieldError,
    Problem,
    ProblemDetails,
    conflict,
    details,
    from_stored,
    invalid,
    not_found,
    stored,
)
from backend.db.models import Account, AttestItem, Employee, ExportBatch, Organisation, PayPeriodState
from backend.db.models.people import full_name
from backend.domain.attest import MAX_REASON, AttestState
from backend.domain.calendar import PayPeriod, cutoff_date, latest_closable, may_close, pay_date
from backend.exports.batches import EXPORTABLE, BatchMaker, not_exported
from backend.exports.schemas import BatchView, PeriodView, WaitingCounts, WaitingItem
from backend.storage import ContentStore

CLOSED = "closed"
CLOSING = "closing"
OPEN = "open"
WAITING = [AttestState.SUBMITTED.value, AttestState.RETURNED.value]
WAITING_SHOWN = 200


def _end(period: PayPeriod) -> datetime:
    """The moment the period's month ends in Stockholm."""
    return datetime.combine(period.next().first_day(), time(0), tzinfo=STOCKHOLM)


def parse_period(text: str) -> PayPeriod:
    try:
        return PayPeriod.parse(text)
    except ValueError as exc:
        raise invalid([FieldError("period", "invalid", Text(sv="Ange period som ÅÅÅÅ-MM", en="Use YYYY-MM"))]) from exc


def batch_view(batch: ExportBatch) -> BatchView:
    return BatchView(
        id=batch.id,
        period=batch.period,
        sequence=batch.sequence,
        created_at=batch.created_at,
        created_by=batch.created_by,
        items=batch.items,
        transactions=batch.transactions,
        vouchers=batch.vouchers,
        reversals=batch.reversals,
        total_amount=batch.total_amount,
        paxml_sha256=batch.paxml_sha256,
        sie_sha256=batch.sie_sha256,
    )


_BEFORE = {"close_requested": OPEN, "closed": CLOSING, "close_refused": CLOSING, "reopened": CLOSED}
"""The state each audited action leaves (its ``before``)."""


@dataclass(frozen=True)
class Closed:
    period: PeriodView
    batch: ExportBatch


class PeriodService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal | None,
        organisation_id: UUID,
        storage: ContentStore | None = None,
        language: Language = "sv",
    ) -> None:
        self.session = session
        self.language = language
        self.principal = principal
        self.organisation_id = organisation_id
        self.storage = storage  # where a close stores the files it renders (None: downloads render them)

    async def organisation(self) -> Organisation:
        found = await self.session.get(Organisation, self.organisation_id)
        if found is None:
            raise not_found()
        return found

    async def _states(self, periods: Sequence[str]) -> dict[str, PayPeriodState]:
        rows = await self.session.execute(
            select(PayPeriodState).where(
                col(PayPeriodState.organisation_id) == self.organisation_id, col(PayPeriodState.period).in_(periods)
            )
        )
        return {row.period: row for row in rows.scalars()}

    async def _names(self, account_ids: set[UUID | None]) -> dict[UUID, str]:
        wanted = [a for a in account_ids if a is not None]
        if not wanted:
            return {}
        rows = await self.session.execute(select(Account.id, Account.display_name).where(col(Account.id).in_(wanted)))
        return dict(rows.tuples().all())

    async def _ready(self, periods: Sequence[PayPeriod]) -> dict[str, int]:
        """Per period: approved or locked items reaching it (or an earlier period) not exported yet. One query."""
        rows = await self.session.execute(
            select(col(AttestItem.pay_period), func.count())
            .where(
                col(AttestItem.organisation_id) == self.organisation_id,
                col(AttestItem.state).in_(EXPORTABLE),
                col(AttestItem.pay_period) <= str(max(periods)),
                not_exported(),
            )
            .group_by(col(AttestItem.pay_period))
        )
        by_period = {str(label): int(count) for label, count in rows.tuples()}
        return {str(p): sum(n for label, n in by_period.items() if label <= str(p)) for p in periods}

    async def _waiting(self, periods: Sequence[PayPeriod]) -> dict[str, WaitingCounts]:
        """Per period: items first submitted by its last day still waiting (submitted) or returned. One query."""
        ends = [func.sum(case((col(AttestItem.first_submitted_at) < _end(period), 1), else_=0)) for period in periods]
        rows = await self.session.execute(
            sa_select(col(AttestItem.state), *ends)
            .where(col(AttestItem.organisation_id) == self.organisation_id, col(AttestItem.state).in_(WAITING))
            .group_by(col(AttestItem.state))
        )
        counts = {state: [int(n or 0) for n in numbers] for state, *numbers in rows.tuples()}
        empty = [0] * len(periods)
        submitted = counts.get(AttestState.SUBMITTED.value, empty)
        returned = counts.get(AttestState.RETURNED.value, empty)
        return {
            str(period): WaitingCounts(submitted=submitted[i], returned=returned[i]) for i, period in enumerate(periods)
        }

    async def views(self, periods: Sequence[PayPeriod], today: date) -> list[PeriodView]:
        organisation = await self.organisation()
        labels = [str(p) for p in periods]
        states = await self._states(labels)
        batches = (
            await self.session.execute(
                select(ExportBatch)
                .where(col(ExportBatch.organisation_id) == self.organisation_id, col(ExportBatch.period).in_(labels))
                .order_by(col(ExportBatch.period), col(ExportBatch.sequence))
            )
        ).scalars()
        by_period: dict[str, list[BatchView]] = {}
        for batch in batches:
            by_period.setdefault(batch.period, []).append(batch_view(batch))
        names = await self._names({s.closed_by_account_id for s in states.values()})
        waiting = await self._waiting(periods)
        ready = await self._ready(periods)
        views = []
        for period in periods:
            state = states.get(str(period))
            closed = state is not None and state.state == CLOSED
            now_state = state.state if state is not None else OPEN
            views.append(
                PeriodView(
                    period=str(period),
                    cutoff=cutoff_date(period, organisation.cutoff_day),
                    pay_date=pay_date(period, organisation.pay_day),
                    state="closed" if closed else "closing" if now_state == CLOSING else "open",
                    closable=now_state == OPEN and may_close(period, organisation.cutoff_day, today),
                    close_requested_at=state.close_requested_at if state and now_state == CLOSING else None,
                    close_problem=self._problem(state, period),
                    closed_at=state.closed_at if closed and state else None,
                    closed_by=names.get(state.closed_by_account_id)
                    if closed and state and state.closed_by_account_id
                    else None,
                    waiting=waiting[str(period)],
                    ready=ready[str(period)],
                    batches=by_period.get(str(period), []),
                )
            )
        return views

    def _problem(self, state: PayPeriodState | None, period: PayPeriod) -> ProblemDetails | None:
        """Why the last close was refused, while the period is open again (closing again clears it)."""
        if state is None or state.state != OPEN or not state.close_problem:
            return None
        return details(from_stored(state.close_problem), self.language, f"/api/payroll/periods/{period}/close")

    async def default_year(self, today: date) -> int:
        """The year payroll sees first: last year's while its December is past the cut-off and still open."""
        due = latest_closable(today, (await self.organisation()).cutoff_day)
        if due.year != today.year and not await self.is_closed(due):
            return due.year
        return today.year

    async def year(self, year: int, today: date) -> list[PeriodView]:
        return await self.views([PayPeriod(year, month) for month in range(1, 13)], today)

    async def one(self, period: PayPeriod, today: date) -> PeriodView:
        view = (await self.views([period], today))[0]
        rows = await self.session.execute(
            sa_select(
                col(AttestItem.id),
                col(AttestItem.title),
                col(AttestItem.title_en),
                col(Employee.first_name),
                col(Employee.last_name),
                col(AttestItem.state),
            )
            .join(Employee, col(Employee.id) == col(AttestItem.employee_id))
            .where(
                col(AttestItem.organisation_id) == self.organisation_id,
                col(AttestItem.state).in_(WAITING),
                col(AttestItem.first_submitted_at) < _end(period),
            )
            .order_by(col(AttestItem.submitted_at))
            .limit(WAITING_SHOWN)
        )
        view.waiting_items = [
            WaitingItem(
                id=item_id, title=shown(title, title_en, self.language), employee=full_name(first, last), state=state
            )
            for item_id, title, title_en, first, last, state in rows.tuples()
        ]
        return view

    async def is_closed(self, period: PayPeriod) -> bool:
        state = (await self._states([str(period)])).get(str(period))
        return state is not None and state.state == CLOSED

    async def request_close(self, period: PayPeriod, now: datetime) -> PeriodView:
        """Mark the period ``closing`` after its cut-off; the close job (``closing.py``) makes the batch. Commits."""
        organisation = await self.organisation()
        today = now.astimezone(STOCKHOLM).date()
        cutoff = cutoff_date(period, organisation.cutoff_day)
        if not may_close(period, organisation.cutoff_day, today):
            raise conflict(
                "period.before_cutoff",
                Text(
                    sv=f"Perioden {period} kan stängas först efter brytdagen {cutoff.isoformat()}.",
                    en=f"The period {period} can be closed only after its cut-off on {cutoff.isoformat()}.",
                ),
            )
        state = (await self._states([str(period)])).get(str(period))
        if state is not None and state.state == CLOSED:
            raise conflict(
                "period.closed",
                Text(sv=f"Perioden {period} är redan stängd.", en=f"The period {period} is already closed."),
            )
        if state is not None and state.state == CLOSING:
            raise conflict(
                "period.closing",
                Text(
                    sv=f"Perioden {period} håller redan på att stängas.", en=f"The period {period} is already closing."
                ),
            )
        if state is None:
            state = PayPeriodState(organisation_id=self.organisation_id, period=str(period), state=OPEN)
            self.session.add(state)
        state.state = CLOSING
        state.close_requested_at = now
        state.close_problem = None
        state.closed_by_account_id = self.principal.account_id if self.principal else None
        await self.session.flush()  # the unique (organisation, period) row: a second close at once fails here
        self._audit(state, "close_requested", {})
        await self.session.commit()
        return await self.one(period, today)

    async def finish_close(self, period: PayPeriod, now: datetime, created_by: str) -> ExportBatch | None:
        """The close job's work: freeze the batch and mark the period closed, in one transaction. Commits.

        None when the period is not ``closing`` (closed already by an earlier run of the job, or
        reopened): a job that runs again does nothing. A refused export raises its ``Problem`` with
        nothing written; the caller records it (``refuse``).
        """
        state = (await self._states([str(period)])).get(str(period))
        if state is None or state.state != CLOSING:
            return None
        organisation = await self.organisation()
        batch = await BatchMaker(self.session, organisation, self.principal, self.storage).make(period, now, created_by)
        state.state = CLOSED
        state.closed_at = now
        self._audit(state, "closed", {"batch": batch.id, "sequence": batch.sequence, "items": batch.items})
        audit.record(
            self.session,
            organisation_id=self.organisation_id,
            actor=self.principal,
            entity_type="export_batch",
            entity_id=batch.id,
            action="created",
            after={
                "period": batch.period,
                "sequence": batch.sequence,
                "items": batch.items,
                "transactions": batch.transactions,
                "vouchers": batch.vouchers,
                "reversals": batch.reversals,
                "total_amount": batch.total_amount,
                "paxml_sha256": batch.paxml_sha256,
                "sie_sha256": batch.sie_sha256,
            },
        )
        await self.session.commit()
        return batch

    async def refuse(self, period: PayPeriod, problem: Problem) -> None:
        """A close that cannot be made goes back to ``open`` with the reason, for payroll to read. Commits."""
        await self.session.rollback()
        state = (await self._states([str(period)])).get(str(period))
        if state is None or state.state != CLOSING:
            return
        state.state = OPEN
        state.close_problem = stored(problem)
        self._audit(state, "close_refused", {"code": problem.code})
        await self.session.commit()

    async def close(self, period: PayPeriod, now: datetime, created_by: str) -> Closed:
        """Request and make the close at once (the command line): the batch, or the refusal raised."""
        await self.request_close(period, now)
        try:
            batch = await self.finish_close(period, now, created_by)
        except Problem as problem:
            await self.refuse(period, problem)
            raise
        assert batch is not None  # marked closing just now, in this session
        return Closed(await self.one(period, now.astimezone(STOCKHOLM).date()), batch)

    async def reopen(self, period: PayPeriod, reason: str, now: datetime) -> PeriodView:
        reason = reason.strip()
        if not reason or len(reason) > MAX_REASON:
            raise invalid(
                [
                    FieldError(
                        "reason",
                        "required",
                        Text(
                            sv=f"Ange varför perioden öppnas igen (högst {MAX_REASON} tecken).",
                            en=f"Say why the period is reopened (at most {MAX_REASON} characters).",
                        ),
                    )
                ]
            )
        state = (await self._states([str(period)])).get(str(period))
        if state is None or state.state != CLOSED:
            raise conflict(
                "period.open", Text(sv=f"Perioden {period} är inte stängd.", en=f"The period {period} is not closed.")
            )
        state.state = OPEN
        state.reopened_at = now
        state.reopened_by_account_id = self.principal.account_id if self.principal else None
        state.reopen_reason = reason
        self._audit(state, "reopened", {}, reason)
        await self.session.commit()
        return await self.one(period, now.astimezone(STOCKHOLM).date())

    def _audit(self, state: PayPeriodState, action: str, after: dict[str, object], reason: str | None = None) -> None:
        audit.record(
            self.session,
            organisation_id=self.organisation_id,
            actor=self.principal,
            entity_type="pay_period",
            entity_id=state.id,
            action=action,
            before={"state": _BEFORE[action]},
            after={"period": state.period, "state": state.state} | after,
            reason=reason,
        )
