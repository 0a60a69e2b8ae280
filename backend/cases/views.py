"""A case as its reader sees it: the summary, what it is about, and one timeline of messages and changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.cases.schemas import AttachmentView, CaseSummary, CaseView, PersonName, SubjectView, TimelineEntry
from backend.core import audit
from backend.core.i18n import Language, Text
from backend.db.models import Account, AttestItem, CaseMessage, ErrorCase, Payslip
from backend.domain.cases import ENGLISH_STATUS, SWEDISH_STATUS, CaseStatus, SubjectKind, overdue
from backend.notices.texts import kind_name

ENTITY = "case"
"""The audit trail's entity type for cases."""


def status_name(status: str, language: Language) -> str:
    return Text(sv=SWEDISH_STATUS.get(status, status), en=ENGLISH_STATUS.get(status, status))(language)


async def account_names(session: AsyncSession, ids: Iterable[UUID | None]) -> dict[UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Account.id, Account.display_name).where(col(Account.id).in_(wanted)))
    return dict(rows.tuples().all())


def _person(account_id: UUID | None, names: dict[UUID, str]) -> PersonName | None:
    return None if account_id is None else PersonName(id=account_id, name=names.get(account_id, ""))


def case_title(case: ErrorCase) -> Text:
    """The case's title: an item's in both languages, one written by its reporter as written."""
    return Text(sv=case.title, en=case.title_en or case.title)


def summary(case: ErrorCase, names: dict[UUID, str], today: date, language: Language) -> CaseSummary:
    reporter = _person(case.reporter_account_id, names)
    assert reporter is not None
    return CaseSummary(
        id=case.id,
        title=case_title(case)(language),
        subject_kind=case.subject_kind,  # type: ignore[arg-type]
        status=case.status,  # type: ignore[arg-type]
        status_name=status_name(case.status, language),
        reporter=reporter,
        owner=_person(case.owner_account_id, names),
        due_date=case.due_date,
        overdue=overdue(CaseStatus(case.status), case.due_date, today),
        created_at=case.created_at,
        last_activity_at=case.last_activity_at,
    )


def subject_label(case: ErrorCase, item_kind: str | None, language: Language) -> str:
    if case.subject_kind == SubjectKind.PAYSLIP_LINE:
        line = case.line_text or case.line_key or ""
        return Text(
            sv=f"Lönespecifikation {case.payslip_period} · {line}", en=f"Payslip {case.payslip_period} · {line}"
        )(language)
    if case.subject_kind == SubjectKind.ITEM:
        kind = kind_name(item_kind or "")(language)
        return f"{kind[:1].upper()}{kind[1:]} · {case_title(case)(language)}"
    if case.subject_kind == SubjectKind.EXPORT_ROW:
        return Text(
            sv=f"Exportfil {case.export_batch_id}, rad {case.export_row}",
            en=f"Export file {case.export_batch_id}, row {case.export_row}",
        )(language)
    return Text(sv="Övrigt", en="Other")(language)


def _describe(
    action: str, after: dict[str, Any], before: dict[str, Any], reason: str | None, language: Language
) -> tuple[str, str]:
    """(timeline kind, text) of an audit event on a case."""
    if action == "created":
        return "created", Text(sv="Felanmälan skapad", en="Error reported")(language)
    if action == "status_changed":
        old, new = status_name(str(before.get("status")), language), status_name(str(after.get("status")), language)
        return "status", Text(sv=f"Status: {old} → {new}", en=f"Status: {old} → {new}")(language)
    if action == "assigned":
        owner = after.get("owner")
        text = (
            Text(sv=f"Handläggs av {owner}", en=f"Handled by {owner}")
            if owner
            else Text(sv="Tillbaka i lönens gemensamma kö", en="Back in payroll's shared queue")
        )
        return "owner", text(language)
    if action == "due_date_changed":
        due = after.get("due_date")
        return "due_date", Text(sv=f"Svarsdatum ändrat till {due}", en=f"Due date changed to {due}")(language)
    if action == "item_returned":
        return "return", Text(sv=f"Posten skickades tillbaka: {reason}", en=f"The item was sent back: {reason}")(
            language
        )
    return "status", action


async def timeline(session: AsyncSession, case: ErrorCase, language: Language) -> list[TimelineEntry]:
    messages = list(
        (
            await session.execute(
                select(CaseMessage).where(col(CaseMessage.case_id) == case.id).order_by(col(CaseMessage.sequence))
            )
        ).scalars()
    )
    events = [
        e
        for e in await audit.history(session, case.organisation_id, ENTITY, case.id)
        if e.action != "message_added" and e.after and "sequence" in e.after
    ]
    names = await account_names(session, [m.author_account_id for m in messages] + [e.actor_account_id for e in events])
    entries = [
        TimelineEntry(
            sequence=m.sequence,
            at=m.created_at,
            kind=m.kind,
            actor=names.get(m.author_account_id) if m.author_account_id else None,
            from_payroll=m.from_payroll,
            text=m.text,
        )
        for m in messages
    ]
    for e in events:
        kind, text = _describe(e.action, e.after or {}, e.before or {}, e.reason, language)
        entries.append(
            TimelineEntry(
                sequence=int(str((e.after or {})["sequence"])),
                at=e.occurred_at,
                kind=kind,  # type: ignore[arg-type]
                actor=names.get(e.actor_account_id) if e.actor_account_id else None,
                from_payroll=bool((e.after or {}).get("by_payroll")),
                text=text,
            )
        )
    # A change and the message that caused it share a number: the message first.
    return sorted(entries, key=lambda t: (t.sequence, t.kind not in ("report", "message", "answer")))


async def case_view(
    session: AsyncSession, case: ErrorCase, *, manager: bool, reporter: bool, today: date, language: Language
) -> CaseView:
    names = await account_names(session, [case.reporter_account_id, case.owner_account_id])
    item = await session.get(AttestItem, case.attest_item_id) if case.attest_item_id else None
    payslip = await session.get(Payslip, case.payslip_id) if case.payslip_id else None
    closed = case.status == CaseStatus.CLOSED
    attachment = None
    if case.attachment_sha256:
        attachment = AttachmentView(
            url=f"/api/cases/{case.id}/attachment",
            content_type=case.attachment_content_type or "application/octet-stream",
            size_bytes=case.attachment_size or 0,
            filename=case.attachment_filename,
        )
    return CaseView(
        **{f: getattr(summary(case, names, today, language), f) for f in CaseSummary.__struct_fields__},
        subject=SubjectView(
            kind=case.subject_kind,  # type: ignore[arg-type]
            label=subject_label(case, item.kind if item else None, language),
            payslip_period=case.payslip_period,
            payslip_id=case.payslip_id,
            pay_run_id=payslip.pay_run_id if payslip else None,
            line_key=case.line_key,
            line_text=case.line_text,
            item_id=case.attest_item_id,
            item_kind=item.kind if item else None,
            item_subject_id=item.subject_id if item else None,
            item_state=item.state if item else None,
            export_batch_id=case.export_batch_id,
            export_row=case.export_row,
        ),
        attachment=attachment,
        timeline=await timeline(session, case, language),
        can_reply=not closed and (reporter or manager),
        can_manage=manager,
        can_return_item=manager and not closed and item is not None and item.state in ("submitted", "approved"),
    )
