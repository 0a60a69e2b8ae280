"""Error reports (felanmälan): report, reply, answer, route to payroll, and send an item back.

Rules come from ``backend.domain.cases``; the item's return is the attest service's own
transition (``AttestInbox.decide``), run in this request's transaction so the case and the
item change together or not at all. Every change is audited on the case and told to the other side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest.inbox import AttestInbox
from backend.attest.schemas import Decision
from backend.cases import notices
from backend.cases.schemas import CaseIn, CaseList, CaseView, OwnerOption, Scope
from backend.cases.subjects import subject_of
from backend.cases.views import ENTITY, account_names, case_view, status_name, summary
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import PAYROLL_TEAM, Role
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, Problem, conflict, forbidden, invalid, not_found
from backend.db.models import Account, AccountRole, CaseMessage, ErrorCase
from backend.domain import cases as rules
from backend.domain.attest import MAX_REASON
from backend.domain.cases import CaseStatus, SubjectKind
from backend.storage import ContentStore
from backend.storage.uploads import image_problem, prepare_upload
from ocr import errors as image_errors
from ocr import images

TITLE_CHARS = 80


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str | None


def _first_line(text: str) -> str:
    line = text.splitlines()[0].strip()
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"


def _attachment_problem(exc: image_errors.ReceiptImageError) -> Problem:
    """The receipt upload's refusal, naming this form's field."""
    problem = image_problem(exc)
    if not problem.errors:
        problem.errors = [FieldError("file", problem.code, problem.detail or problem.title)]
    return problem


class CaseService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        now: datetime,
        today: date,
        language: Language,
        storage: ContentStore | None = None,
    ) -> None:
        self.session = session
        self.principal = principal
        self.now = now
        self.today = today
        self.language = language
        self.storage = storage
        self.payroll = principal.has(Role.PAYROLL)

    # --- reading ------------------------------------------------------------------------------

    async def _case(self, case_id: UUID) -> ErrorCase:
        """The case if the caller may see it: its reporter, or payroll of its organisation. Else 404."""
        case = await self.session.get(ErrorCase, case_id, with_for_update=True)
        if (
            case is None
            or case.organisation_id != self.principal.organisation_id
            or not (self.payroll or case.reporter_account_id == self.principal.account_id)
        ):
            raise not_found()
        return case

    async def view(self, case: ErrorCase) -> CaseView:
        return await case_view(
            self.session,
            case,
            manager=self.payroll,
            reporter=case.reporter_account_id == self.principal.account_id,
            today=self.today,
            language=self.language,
        )

    async def get(self, case_id: UUID) -> CaseView:
        return await self.view(await self._case(case_id))

    async def list_cases(
        self,
        scope: Scope,
        status: Sequence[str],
        owner: str | None,
        overdue: bool | None,
        limit: int,
        offset: int,
    ) -> CaseList:
        """Your own reports (newest activity first), or for payroll all of the organisation's (soonest due first)."""
        statement = select(ErrorCase).where(col(ErrorCase.organisation_id) == self.principal.organisation_id)
        if scope == "all":
            if not self.payroll:
                raise forbidden(Text(sv="Bara lön ser alla ärenden.", en="Only payroll sees all cases."))
        else:
            statement = statement.where(col(ErrorCase.reporter_account_id) == self.principal.account_id)
        if status:
            statement = statement.where(col(ErrorCase.status).in_(list(status)))
        if owner == "me":
            statement = statement.where(col(ErrorCase.owner_account_id) == self.principal.account_id)
        elif owner == "none":
            statement = statement.where(col(ErrorCase.owner_account_id).is_(None))
        elif owner:
            statement = statement.where(col(ErrorCase.owner_account_id) == UUID(owner))
        waiting = col(ErrorCase.status).in_([s.value for s in rules.OPEN])
        if overdue is True:
            statement = statement.where(waiting, col(ErrorCase.due_date) < self.today)
        elif overdue is False:
            statement = statement.where(or_(~waiting, col(ErrorCase.due_date) >= self.today))
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        order = (
            [col(ErrorCase.due_date), col(ErrorCase.created_at), col(ErrorCase.id)]
            if scope == "all"
            else [col(ErrorCase.last_activity_at).desc(), col(ErrorCase.id)]
        )
        rows = list((await self.session.execute(statement.order_by(*order).limit(limit).offset(offset))).scalars())
        names = await account_names(
            self.session, [c.reporter_account_id for c in rows] + [c.owner_account_id for c in rows]
        )
        items = [summary(c, names, self.today, self.language) for c in rows]
        return CaseList(items=items, total=int(total), limit=limit, offset=offset)

    async def owners(self) -> list[OwnerOption]:
        """Payroll accounts a case can be given to."""
        rows = await self.session.execute(
            select(Account.id, Account.display_name)
            .join(AccountRole, col(AccountRole.account_id) == col(Account.id))
            .where(
                col(Account.organisation_id) == self.principal.organisation_id,
                col(Account.active).is_(True),
                col(AccountRole.role) == Role.PAYROLL.value,
            )
            .order_by(col(Account.display_name))
        )
        return [OwnerOption(id=i, name=n) for i, n in rows.tuples().all()]

    async def attachment(self, case_id: UUID) -> tuple[bytes, str, str | None]:
        case = await self._case(case_id)
        if case.attachment_sha256 is None or self.storage is None:
            raise not_found(Text(sv="Ärendet har ingen bilaga.", en="The case has no attachment."))
        data = await self.storage.get(case.attachment_sha256)
        return data, case.attachment_content_type or "application/octet-stream", case.attachment_filename

    # --- writing ------------------------------------------------------------------------------

    async def _my_name(self) -> str:
        return (await account_names(self.session, [self.principal.account_id])).get(self.principal.account_id, "")

    def _next(self, case: ErrorCase) -> int:
        case.events += 1
        case.last_activity_at = self.now
        return case.events

    def _audit(
        self, case: ErrorCase, action: str, before: dict[str, Any], after: dict[str, Any], reason: str | None = None
    ) -> None:
        audit.record(
            self.session,
            organisation_id=case.organisation_id,
            actor=self.principal,
            entity_type=ENTITY,
            entity_id=case.id,
            action=action,
            before=before,
            after={**after, "sequence": self._next(case), "by_payroll": self.payroll},
            reason=reason,
        )

    def _message(self, case: ErrorCase, kind: str, text: str, *, from_payroll: bool) -> CaseMessage:
        message = CaseMessage(
            organisation_id=case.organisation_id,
            case_id=case.id,
            author_account_id=self.principal.account_id,
            from_payroll=from_payroll,
            kind=kind,
            text=text,
            sequence=self._next(case),
        )
        self.session.add(message)
        audit.record(
            self.session,
            organisation_id=case.organisation_id,
            actor=self.principal,
            entity_type=ENTITY,
            entity_id=case.id,
            action="message_added",
            after={"message_id": message.id, "kind": kind, "text": text},
        )
        return message

    def _set_status(self, case: ErrorCase, new: CaseStatus) -> None:
        if case.status == new.value:
            return
        before = case.status
        case.status = new.value
        case.closed_at = self.now if new == CaseStatus.CLOSED else None
        self._audit(case, "status_changed", {"status": before}, {"status": new.value})

    async def create(
        self, data: CaseIn, upload: Upload | None, max_bytes: int, decode_bytes: int = images.DECODE_MEMORY
    ) -> CaseView:
        text = rules.clean_text(data.text, "text")
        subject, columns, title = await subject_of(self.session, self.principal, data, self.today)
        stored: dict[str, Any] = {}
        if upload is not None:
            try:
                content, facts = await prepare_upload(upload.data, max_bytes, decode_bytes)
            except image_errors.ReceiptImageError as exc:
                raise _attachment_problem(exc) from exc
            assert self.storage is not None
            stored = {
                "attachment_sha256": await self.storage.put(content),
                "attachment_content_type": facts.content_type,
                "attachment_size": facts.size,
                "attachment_filename": (upload.filename or "")[:255] or None,
            }
        case = ErrorCase(
            organisation_id=self.principal.organisation_id,
            reporter_account_id=self.principal.account_id,
            subject_kind=subject.kind.value,
            title=(title.sv if title else _first_line(text))[:200],
            title_en=title.en[:200] if title and title.en != title.sv else None,
            status=CaseStatus.NEW.value,
            due_date=rules.due_date(self.today),
            last_activity_at=self.now,
            **columns,
            **stored,
        )
        self.session.add(case)
        await self.session.flush()  # the case row before its messages (no ORM relationship orders them)
        self._audit(
            case,
            "created",
            {},
            {"status": case.status, "due_date": case.due_date, "subject_kind": case.subject_kind, **columns},
        )
        self._message(case, "report", text, from_payroll=False)
        await notices.tell_payroll(
            self.session,
            case,
            reply=False,
            reporter=await self._my_name(),
            text=text,
            actor=self.principal.account_id,
            now=self.now,
        )
        await self.session.commit()
        return await self.view(case)

    async def post_message(self, case_id: UUID, text: str) -> CaseView:
        """Payroll's message answers the case; the reporter's reply to an answer puts it back in progress."""
        case = await self._case(case_id)
        clean = rules.clean_text(text, "text")
        from_payroll = self.payroll and case.reporter_account_id != self.principal.account_id
        me = await self._my_name()
        new_status = rules.after_message(CaseStatus(case.status), from_payroll=from_payroll)
        self._message(case, "answer" if from_payroll else "message", clean, from_payroll=from_payroll)
        self._set_status(case, new_status)
        if from_payroll:
            body = Text(sv=f"{me}: {clean}", en=f"{me}: {clean}")
            await notices.tell_reporter(
                self.session, case, occasion="answer", body=body, actor=self.principal.account_id, now=self.now
            )
        else:
            await notices.tell_payroll(
                self.session,
                case,
                reply=True,
                reporter=me,
                text=clean,
                actor=self.principal.account_id,
                now=self.now,
            )
        await self.session.commit()
        return await self.view(case)

    async def change_status(self, case_id: UUID, status: str) -> CaseView:
        case = await self._case(case_id)
        new_status = rules.check_transition(CaseStatus(case.status), CaseStatus(status))
        self._set_status(case, new_status)
        me = await self._my_name()
        body = Text(
            sv=f"{me} ändrade status till {status_name(status, 'sv')}.",
            en=f"{me} changed the status to {status_name(status, 'en')}.",
        )
        await notices.tell_reporter(
            self.session, case, occasion="status", body=body, actor=self.principal.account_id, now=self.now
        )
        await self.session.commit()
        return await self.view(case)

    async def assign(self, case_id: UUID, owner_account_id: UUID | None) -> CaseView:
        """Give the case to a payroll account (yourself: take it), or back to the shared queue (None)."""
        case = await self._case(case_id)
        owners = {o.id: o.name for o in await self.owners()}
        if owner_account_id is not None and owner_account_id not in owners:
            raise invalid(
                [
                    FieldError(
                        "owner_account_id",
                        "not_payroll",
                        Text(
                            sv="Välj någon på lön i organisationen.",
                            en="Choose someone in payroll in the organisation.",
                        ),
                    )
                ]
            )
        if owner_account_id != case.owner_account_id:
            before = {"owner_account_id": case.owner_account_id}
            case.owner_account_id = owner_account_id
            after = {
                "owner_account_id": owner_account_id,
                "owner": owners.get(owner_account_id) if owner_account_id else None,
            }
            self._audit(case, "assigned", before, after)
            name = owners.get(self.principal.account_id)
            given_by = Text(sv=name, en=name) if name else PAYROLL_TEAM
            await notices.tell_owner(
                self.session, case, given_by=given_by, actor=self.principal.account_id, now=self.now
            )
            await self.session.commit()
        return await self.view(case)

    async def change_due_date(self, case_id: UUID, due: date) -> CaseView:
        case = await self._case(case_id)
        rules.check_due_date(due, self.today)
        if due != case.due_date:
            before = {"due_date": case.due_date}
            case.due_date = due
            self._audit(case, "due_date_changed", before, {"due_date": due})
            await self.session.commit()
        return await self.view(case)

    async def return_item(self, case_id: UUID, reason: str) -> CaseView:
        """Send the case's item back to its employee with a reason; the case records it and is answered."""
        case = await self._case(case_id)
        new_status = rules.check_return(SubjectKind(case.subject_kind), CaseStatus(case.status))
        clean = rules.clean_text(reason, "reason", max_length=MAX_REASON)
        if case.attest_item_id is None:
            raise conflict("case.item_gone", Text(sv="Posten finns inte längre.", en="The item no longer exists."))
        inbox = AttestInbox(self.session, self.principal, self.today, self.language)
        outcome = (
            await inbox.decide(
                [Decision(item_id=case.attest_item_id, action="return", reason=clean)], self.now, commit=False
            )
        ).outcomes[0]
        if not outcome.ok:
            await self.session.rollback()
            said = Text(sv=outcome.message, en=outcome.message)
            raise Problem(
                outcome.status,
                outcome.code,
                Text(sv="Posten kunde inte skickas tillbaka", en="The item could not be sent back"),
                said,
                [FieldError("item_id", outcome.code, said)],
            )
        self._message(case, "return", clean, from_payroll=True)
        case.item_returned_at = self.now
        self._audit(case, "item_returned", {}, {"item_id": case.attest_item_id}, reason=clean)
        self._set_status(case, new_status)
        me = await self._my_name()
        body = Text(sv=f"{me}: {clean}", en=f"{me}: {clean}")
        await notices.tell_reporter(
            self.session, case, occasion="returned", body=body, actor=self.principal.account_id, now=self.now
        )
        await self.session.commit()
        return await self.view(case)
