"""Filing expenses: receipt upload, the expense draft, claims and submission for attest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.routing import own_employee, visible_employee
from backend.attest.schemas import ItemState
from backend.core import audit, clock
from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of, visible_items
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, conflict, invalid, not_found
from backend.core.rates_store import ensure_loaded_rates
from backend.db.models import (
    AttestItem,
    CostCentre,
    Employee,
    Expense,
    ExpenseClaim,
    OrganisationYearPolicy,
    Project,
    Receipt,
)
from backend.domain import expenses as rules
from backend.domain.attest import AttestState, ItemKind, deletable, editable
from backend.domain.rates import rates_for
from backend.expenses import claim_titles, sellers
from backend.expenses.schemas import (
    ClaimIn,
    ClaimSummary,
    ClaimView,
    ExpenseIn,
    ExpenseView,
    FieldNote,
    ParticipantView,
    ReceiptView,
    VatRowView,
    Warning,
    WellnessView,
)
from backend.storage import ContentStore
from backend.storage.uploads import image_problem, prepare_upload
from ocr import errors as image_errors
from ocr import images
from ocr.fields.orgnr import normalise as normalise_org_number

EXPENSE_FIELDS = [
    "receipt_id",
    "expense_date",
    "merchant",
    "org_number",
    "amount",
    "currency",
    "exchange_rate",
    "amount_sek",
    "vat",
    "category",
    "payment",
    "project_id",
    "cost_centre_id",
    "comment",
    "purpose",
    "participants",
    "attachment_receipt_ids",
]


class ExpenseService:
    def __init__(self, session: AsyncSession, storage: ContentStore | None = None, today: date | None = None) -> None:
        self.session = session
        self.storage = storage
        self.today = today or clock.current().today()

    # --- who ----------------------------------------------------------------------------------

    async def _me(self, principal: Principal) -> Employee:
        return await own_employee(
            self.session,
            principal,
            Text(sv="Bara anställda kan lägga in utlägg.", en="Only employees can file expenses."),
        )

    async def _owner_visible(self, principal: Principal, employee_id: UUID, organisation_id: UUID) -> Employee:
        if organisation_id != principal.organisation_id:
            raise not_found()
        return await visible_employee(self.session, principal, employee_id, self.today)

    # --- receipts -----------------------------------------------------------------------------

    async def upload_receipt(
        self,
        principal: Principal,
        data: bytes,
        filename: str | None,
        expense_id: UUID | None,
        max_bytes: int,
        decode_bytes: int = images.DECODE_MEMORY,
    ) -> ReceiptView:
        """Store the image, queue interpretation, and open an expense draft for it (idempotent by ``expense_id``)."""
        employee = await self._me(principal)
        if expense_id is not None:
            existing = await self.session.get(Expense, expense_id)
            if existing is not None:
                if existing.employee_id != employee.id or existing.receipt_id is None:
                    raise conflict("expense_exists", Text(sv="Utlägget finns redan.", en="The expense already exists."))
                return await self.receipt_view(principal, existing.receipt_id)
        try:
            stored, facts = await prepare_upload(data, max_bytes, decode_bytes)
        except image_errors.ReceiptImageError as exc:
            raise image_problem(exc) from exc
        assert self.storage is not None
        sha256 = await self.storage.put(stored)
        receipt = Receipt(
            organisation_id=employee.organisation_id,
            employee_id=employee.id,
            sha256=sha256,
            content_type=facts.content_type,
            size_bytes=facts.size,
            width=facts.width,
            height=facts.height,
            perceptual_hash=facts.perceptual_hash,
            original_filename=(filename or "")[:255] or None,
            state="queued",
        )
        self.session.add(receipt)
        await self.session.flush()
        expense = Expense(
            id=expense_id or uuid4(),
            organisation_id=employee.organisation_id,
            employee_id=employee.id,
            receipt_id=receipt.id,
        )
        self.session.add(expense)
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type="expense",
            entity_id=expense.id,
            action="created",
            after={"receipt_id": receipt.id, "receipt_sha256": sha256},
        )
        await self.session.commit()
        return self._receipt_view(receipt, expense.id)

    def _receipt_view(self, receipt: Receipt, expense_id: UUID | None = None) -> ReceiptView:
        return ReceiptView(
            id=receipt.id,
            state=receipt.state,  # type: ignore[arg-type]
            content_type=receipt.content_type,
            size_bytes=receipt.size_bytes,
            width=receipt.width,
            height=receipt.height,
            image_url=f"/api/receipts/{receipt.id}/image",
            interpretation=receipt.interpretation,
            error_code=receipt.error_code,
            expense_id=expense_id,
        )

    async def _receipt(self, principal: Principal, receipt_id: UUID) -> Receipt:
        receipt = await self.session.get(Receipt, receipt_id)
        if receipt is None:
            raise not_found()
        await self._owner_visible(principal, receipt.employee_id, receipt.organisation_id)
        if not may_see_drafts_of(principal, receipt.employee_id):
            expense = (
                await self.session.execute(select(Expense).where(col(Expense.receipt_id) == receipt.id).limit(1))
            ).scalar_one_or_none()
            if expense is None:
                raise not_found()
            await self._refuse_draft(principal, expense)
        return receipt

    async def receipt_view(self, principal: Principal, receipt_id: UUID) -> ReceiptView:
        receipt = await self._receipt(principal, receipt_id)
        expense_id = (
            await self.session.execute(select(Expense.id).where(col(Expense.receipt_id) == receipt.id).limit(1))
        ).scalar_one_or_none()
        return self._receipt_view(receipt, expense_id)

    async def receipt_image(self, principal: Principal, receipt_id: UUID) -> tuple[bytes, str]:
        receipt = await self._receipt(principal, receipt_id)
        assert self.storage is not None
        return await self.storage.get(receipt.sha256), receipt.content_type

    # --- expenses -----------------------------------------------------------------------------

    async def _expense(self, principal: Principal, expense_id: UUID) -> Expense:
        expense = await self.session.get(Expense, expense_id)
        if expense is None:
            raise not_found()
        await self._owner_visible(principal, expense.employee_id, expense.organisation_id)
        await self._refuse_draft(principal, expense)
        return expense

    async def _refuse_draft(self, principal: Principal, expense: Expense) -> None:
        """An expense is seen by others once the claim (expense or travel) it belongs to is submitted."""
        if may_see_drafts_of(principal, expense.employee_id):
            return
        if expense.claim_id is not None:
            kind, subject = ItemKind.EXPENSE_CLAIM, expense.claim_id
        elif expense.travel_claim_id is not None:
            kind, subject = ItemKind.TRAVEL_CLAIM, expense.travel_claim_id
        else:
            raise not_found()
        await attest.refuse_unsubmitted(self.session, principal, kind, subject, expense.employee_id)

    async def _claim_states(self, claim_ids: set[UUID]) -> dict[UUID, AttestItem]:
        return await attest.states_of(self.session, ItemKind.EXPENSE_CLAIM, claim_ids)

    @staticmethod
    def _state(expense_claim: UUID | None, items: dict[UUID, AttestItem]) -> ItemState:
        item = items.get(expense_claim) if expense_claim else None
        return "draft" if item is None else item.state  # type: ignore[return-value]

    def _facts(self, expense: Expense) -> rules.ExpenseFacts:
        return rules.ExpenseFacts(
            expense_date=expense.expense_date,
            merchant=expense.merchant,
            amount=expense.amount,
            currency=expense.currency,
            exchange_rate=Decimal(expense.exchange_rate) if expense.exchange_rate else None,
            category=expense.category,
            payment=expense.payment,
            vat=tuple(rules.VatRow(Decimal(r["rate"]), Decimal(r["amount"])) for r in expense.vat),
            org_number=expense.org_number,
            has_receipt=expense.receipt_id is not None,
            comment=expense.comment,
            purpose=expense.purpose,
            participants=tuple(rules.Participant(p["name"], p["company"]) for p in expense.participants),
        )

    async def _references(self, principal: Principal, employee: Employee, data: ExpenseIn) -> list[FieldError]:
        errors: list[FieldError] = []
        if data.project_id is not None:
            project = await self.session.get(Project, data.project_id)
            if project is None or project.organisation_id != principal.organisation_id or not project.active:
                errors.append(
                    FieldError("project_id", "unknown_project", Text(sv="Okänt projekt", en="Unknown project"))
                )
        if data.cost_centre_id is not None:
            centre = await self.session.get(CostCentre, data.cost_centre_id)
            if centre is None or centre.organisation_id != principal.organisation_id:
                errors.append(
                    FieldError(
                        "cost_centre_id",
                        "unknown_cost_centre",
                        Text(sv="Okänt kostnadsställe", en="Unknown cost centre"),
                    )
                )
        receipt_ids = ([data.receipt_id] if data.receipt_id else []) + list(data.attachment_receipt_ids)
        if receipt_ids:
            owned = set(
                (
                    await self.session.execute(
                        select(Receipt.id).where(
                            col(Receipt.id).in_(receipt_ids), col(Receipt.employee_id) == employee.id
                        )
                    )
                ).scalars()
            )
            for index, receipt_id in enumerate(receipt_ids):
                if receipt_id not in owned:
                    name = (
                        "receipt_id"
                        if data.receipt_id and index == 0
                        else f"attachment_receipt_ids.{index - bool(data.receipt_id)}"
                    )
                    errors.append(FieldError(name, "unknown_receipt", Text(sv="Okänt kvitto", en="Unknown receipt")))
        return errors

    async def put_expense(
        self, principal: Principal, expense_id: UUID, data: ExpenseIn, today: date, language: Language
    ) -> tuple[ExpenseView, bool]:
        """Create or replace a draft expense under the client's id; returns (view, created)."""
        employee = await self._me(principal)
        expense = await self.session.get(Expense, expense_id)
        created = expense is None
        if expense is not None:
            if expense.employee_id != employee.id:
                raise not_found()
            if expense.claim_id is not None:
                await attest.ensure_editable(self.session, ItemKind.EXPENSE_CLAIM, expense.claim_id)
            if expense.travel_claim_id is not None:
                await attest.ensure_editable(self.session, ItemKind.TRAVEL_CLAIM, expense.travel_claim_id)
        vat = [{"rate": str(r.rate.normalize()), "amount": str(r.amount)} for r in data.vat]
        rate = data.exchange_rate
        amount_sek = rules.amount_in_sek(data.amount, data.currency, rate) if data.amount is not None else None
        candidate = Expense(
            id=expense_id,
            organisation_id=employee.organisation_id,
            employee_id=employee.id,
            receipt_id=data.receipt_id,
            expense_date=data.expense_date,
            merchant=(data.merchant or "").strip() or None,
            org_number=(normalise_org_number(data.org_number) or data.org_number) if data.org_number else None,
            amount=data.amount,
            currency=data.currency.upper(),
            exchange_rate=str(rate) if rate is not None and data.currency.upper() != "SEK" else None,
            amount_sek=amount_sek,
            vat=vat,
            category=data.category,
            payment=data.payment,
            project_id=data.project_id,
            cost_centre_id=data.cost_centre_id,
            comment=data.comment,
            purpose=data.purpose,
            participants=[{"name": p.name.strip(), "company": p.company.strip()} for p in data.participants],
            attachment_receipt_ids=[str(r) for r in data.attachment_receipt_ids],
        )
        errors = rules.field_problems(self._facts(candidate), today) + await self._references(principal, employee, data)
        if errors:
            raise invalid(errors)
        if expense is None:
            expense = candidate
            expense.exchange_rate_source = "manual" if expense.exchange_rate else None
            self.session.add(expense)
            audit.record(
                self.session,
                organisation_id=employee.organisation_id,
                actor=principal,
                entity_type="expense",
                entity_id=expense.id,
                action="created",
                after=audit.snapshot(expense, EXPENSE_FIELDS),
            )
        else:
            before = audit.snapshot(expense, EXPENSE_FIELDS)
            remembered_before = list(expense.remembered)
            claim = await self.session.get(ExpenseClaim, expense.claim_id) if expense.claim_id else None
            retitle = claim is not None and await claim_titles.is_automatic(self.session, employee, claim, today)
            for name in EXPENSE_FIELDS:
                setattr(expense, name, getattr(candidate, name))
            if claim is not None and retitle:
                await claim_titles.retitle(self.session, employee, claim, today, language)
            # The employee has now confirmed every field: the reader's doubts no longer apply.
            expense.confidence = {}
            expense.remembered = []
            if expense.exchange_rate is None:
                expense.exchange_rate_source = None
            elif before.get("exchange_rate") != expense.exchange_rate:
                expense.exchange_rate_source = "manual"
            old, new = audit.changed(before, audit.snapshot(expense, EXPENSE_FIELDS))
            if new:
                audit.record(
                    self.session,
                    organisation_id=employee.organisation_id,
                    actor=principal,
                    entity_type="expense",
                    entity_id=expense.id,
                    action="updated",
                    before=old,
                    after=new,
                )
            await sellers.learn(self.session, principal, expense, before, remembered_before)
        await self.session.commit()
        return (await self.views([expense], language))[0], created

    async def delete_expense(self, principal: Principal, expense_id: UUID) -> None:
        employee = await self._me(principal)
        expense = await self.session.get(Expense, expense_id)
        if expense is None or expense.employee_id != employee.id:
            raise not_found()
        if expense.claim_id is not None:
            await attest.ensure_editable(self.session, ItemKind.EXPENSE_CLAIM, expense.claim_id)
        if expense.travel_claim_id is not None:
            await attest.ensure_editable(self.session, ItemKind.TRAVEL_CLAIM, expense.travel_claim_id)
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type="expense",
            entity_id=expense.id,
            action="deleted",
            before=audit.snapshot(expense, EXPENSE_FIELDS),
        )
        await self.session.delete(expense)
        await self.session.commit()

    async def get_expense(self, principal: Principal, expense_id: UUID, language: Language) -> ExpenseView:
        expense = await self._expense(principal, expense_id)
        return (await self.views([expense], language))[0]

    async def list_expenses(
        self, principal: Principal, language: Language, employee_id: UUID | None = None, unclaimed: bool = False
    ) -> list[ExpenseView]:
        owner = employee_id or principal.employee_id
        if owner is None:
            return []
        if owner != principal.employee_id:
            employee = await self.session.get(Employee, owner)
            if employee is None:
                raise not_found()
            await self._owner_visible(principal, employee.id, employee.organisation_id)
        statement = select(Expense).where(
            col(Expense.organisation_id) == principal.organisation_id, col(Expense.employee_id) == owner
        )
        if unclaimed:
            statement = statement.where(col(Expense.claim_id).is_(None))
        rows = list(
            (
                await self.session.execute(
                    statement.order_by(
                        col(Expense.expense_date).desc().nulls_first(), col(Expense.created_at).desc()
                    ).limit(500)
                )
            ).scalars()
        )
        views = await self.views(rows, language)
        return visible_items(principal, owner, views)

    async def views(self, expenses: Sequence[Expense], language: Language) -> list[ExpenseView]:
        """Views with state, receipt and warnings, in a fixed number of queries whatever the count."""
        if not expenses:
            return []
        items = await self._claim_states({e.claim_id for e in expenses if e.claim_id})
        trips = await attest.states_of(
            self.session, ItemKind.TRAVEL_CLAIM, {e.travel_claim_id for e in expenses if e.travel_claim_id}
        )
        receipt_ids = {e.receipt_id for e in expenses if e.receipt_id}
        receipts = (
            {
                r.id: r
                for r in (await self.session.execute(select(Receipt).where(col(Receipt.id).in_(receipt_ids)))).scalars()
            }
            if receipt_ids
            else {}
        )
        warnings = await self.warnings(expenses, receipts, language)
        views = []
        for e in expenses:
            state = (
                self._state(e.claim_id, items) if e.travel_claim_id is None else self._state(e.travel_claim_id, trips)
            )
            receipt = receipts.get(e.receipt_id) if e.receipt_id else None
            views.append(
                ExpenseView(
                    id=e.id,
                    state=state,
                    editable=state in ("draft", "returned"),
                    claim_id=e.claim_id,
                    travel_claim_id=e.travel_claim_id,
                    receipt=self._receipt_view(receipt, e.id) if receipt else None,
                    expense_date=e.expense_date,
                    merchant=e.merchant,
                    org_number=e.org_number,
                    amount=e.amount,
                    currency=e.currency,
                    exchange_rate=Decimal(e.exchange_rate) if e.exchange_rate else None,
                    exchange_rate_source=e.exchange_rate_source,
                    amount_sek=e.amount_sek,
                    vat=[VatRowView(rate=Decimal(r["rate"]), amount=Decimal(r["amount"])) for r in e.vat],
                    category=e.category,
                    payment=e.payment,
                    project_id=e.project_id,
                    cost_centre_id=e.cost_centre_id,
                    comment=e.comment,
                    purpose=e.purpose,
                    participants=[ParticipantView(name=p["name"], company=p["company"]) for p in e.participants],
                    attachment_receipt_ids=[UUID(r) for r in e.attachment_receipt_ids],
                    filled_from_receipt=e.filled_from_receipt,
                    confidence=e.confidence,
                    remembered=list(e.remembered),
                    warnings=warnings.get(e.id, []),
                    to_fix=self.to_fix(e, language) if state in ("draft", "returned") else [],
                    created_at=e.created_at,
                    updated_at=e.updated_at,
                )
            )
        return views

    def to_fix(self, expense: Expense, language: Language) -> list[FieldNote]:
        """The submission's rules run at every save and read, so each problem shows beside its field at once."""
        return [
            FieldNote(field=v.field, code=v.code, message=v.message(language))
            for v in rules.submission_problems(self._facts(expense), self.today)
        ]

    # --- warnings: duplicates and the wellness cap --------------------------------------------

    async def warnings(
        self, expenses: Sequence[Expense], receipts: dict[UUID, Receipt], language: Language
    ) -> dict[UUID, list[Warning]]:
        """Possible duplicates among each employee's other expenses, and the wellness cap."""
        result: dict[UUID, list[Warning]] = {e.id: [] for e in expenses}
        by_employee: dict[UUID, list[Expense]] = {}
        for e in expenses:
            by_employee.setdefault(e.employee_id, []).append(e)
        for employee_id, own in by_employee.items():
            others = list(
                (
                    await self.session.execute(
                        select(Expense, Receipt.perceptual_hash)
                        .outerjoin(Receipt, col(Receipt.id) == col(Expense.receipt_id))
                        .where(col(Expense.employee_id) == employee_id)
                        .order_by(col(Expense.created_at))
                        .limit(2000)
                    )
                ).tuples()
            )
            filed = {
                other.id: rules.Filed(other.merchant, other.expense_date, other.amount_sek, other.org_number, phash)
                for other, phash in others
            }
            for e in own:
                receipt = receipts.get(e.receipt_id) if e.receipt_id else None
                mine = rules.Filed(
                    e.merchant, e.expense_date, e.amount_sek, e.org_number, receipt.perceptual_hash if receipt else None
                )
                for other_id, other in filed.items():
                    if other_id == e.id:
                        continue
                    reason = rules.duplicate_reason(mine, other)
                    if reason:
                        result[e.id].append(
                            Warning(
                                code=reason, message=rules.DUPLICATE_TEXT[reason](language), related_expense_id=other_id
                            )
                        )
                if e.category in rules.WELLNESS_CATEGORIES and e.amount_sek is not None and e.expense_date is not None:
                    status, payment = await self.wellness_check(e)
                    for problem in (
                        rules.wellness_limit_warning(payment, status.year),
                        rules.wellness_warning(status),
                    ):
                        if problem:
                            result[e.id].append(
                                Warning(
                                    code=problem.code,
                                    message=problem.message(language),
                                )
                            )
        return result

    async def _employer_wellness_cap(self, organisation_id: UUID, year: int) -> Decimal | None:
        return (
            await self.session.execute(
                select(col(OrganisationYearPolicy.wellness_allowance)).where(
                    col(OrganisationYearPolicy.organisation_id) == organisation_id,
                    col(OrganisationYearPolicy.year) == year,
                )
            )
        ).scalar_one_or_none()

    async def _wellness(
        self, employee_id: UUID, organisation_id: UUID, year: int, including: Expense | None = None
    ) -> tuple[rules.WellnessStatus, rules.WellnessPayment | None]:
        """The year's wellness expenses in claims not returned (and the one being filed), each limited by
        ``rules.wellness_payment`` in date order as the payslip does: what is used, and what of
        ``including`` the employer pays."""
        rows = (
            await self.session.execute(
                select(Expense, col(AttestItem.state))
                .outerjoin(
                    AttestItem,
                    (col(AttestItem.subject_id) == col(Expense.claim_id))
                    & (col(AttestItem.kind) == ItemKind.EXPENSE_CLAIM.value),
                )
                .where(
                    col(Expense.employee_id) == employee_id,
                    col(Expense.category).in_(rules.WELLNESS_CATEGORIES),
                    col(Expense.expense_date) >= date(year, 1, 1),
                    col(Expense.expense_date) <= date(year, 12, 31),
                )
                .order_by(col(Expense.expense_date), col(Expense.created_at), col(Expense.id))
            )
        ).tuples()
        counted = [
            (e.id, e.amount_sek or Decimal(0), e.category, e.payment)
            for e, state in rows
            if state in (AttestState.SUBMITTED, AttestState.APPROVED, AttestState.LOCKED)
            or (including is not None and e.id == including.id)
        ]
        if including is not None and including.amount_sek and all(row[0] != including.id for row in counted):
            counted.append((including.id, including.amount_sek, including.category, including.payment))
        await ensure_loaded_rates(self.session)
        rates = rates_for(year).wellness
        policy = await self._employer_wellness_cap(organisation_id, year)
        employer_cap = rules.employer_wellness_cap(policy, rates.annual_cap)
        used = Decimal(0)
        mine: rules.WellnessPayment | None = None
        for expense_id, amount, category, payment in counted:
            paid = rules.wellness_payment(
                amount,
                treatment=category == rules.TREATMENT_CATEGORY,
                paid_before=used,
                employer_cap=employer_cap if payment == "private" else None,
                treatment_cap=rates.treatment_cap_per_occasion,
            )
            used += paid.paid
            if including is not None and expense_id == including.id:
                mine = paid
        status = rules.WellnessStatus(year=year, cap=rates.annual_cap, used=used, employer_cap=policy)
        return status, mine

    async def wellness_check(self, expense: Expense) -> tuple[rules.WellnessStatus, rules.WellnessPayment]:
        """The year's status with ``expense`` included, and what of it the employer will pay."""
        assert expense.expense_date is not None
        status, payment = await self._wellness(
            expense.employee_id, expense.organisation_id, expense.expense_date.year, including=expense
        )
        assert payment is not None
        return status, payment

    async def wellness_view(self, principal: Principal, year: int) -> WellnessView:
        employee = await self._me(principal)
        status, _ = await self._wellness(employee.id, employee.organisation_id, year)
        return WellnessView(
            year=year,
            cap=status.cap,
            used=status.used,
            remaining=status.remaining,
            employer_allowance=status.employer_cap,
        )

    # --- claims ---------------------------------------------------------------------------------

    async def _claim(self, principal: Principal, claim_id: UUID) -> ExpenseClaim:
        claim = await self.session.get(ExpenseClaim, claim_id)
        if claim is None:
            raise not_found()
        await self._owner_visible(principal, claim.employee_id, claim.organisation_id)
        await attest.refuse_unsubmitted(self.session, principal, ItemKind.EXPENSE_CLAIM, claim.id, claim.employee_id)
        return claim

    async def put_claim(
        self, principal: Principal, claim_id: UUID, data: ClaimIn, language: Language
    ) -> tuple[ClaimView, bool]:
        employee = await self._me(principal)
        claim, created = await self.place_in_claim(
            principal, employee, claim_id, data.title, data.expense_ids, language
        )
        await self.session.commit()
        return await self.claim_view(principal, claim.id, language), created

    async def place_in_claim(
        self,
        principal: Principal,
        employee: Employee,
        claim_id: UUID,
        title: str | None,
        expense_ids: Sequence[UUID],
        language: Language,
    ) -> tuple[ExpenseClaim, bool]:
        """Create or change a claim and which expenses it holds, without committing (the caller does).

        No title, or the automatic title left as it was, gives the claim the automatic title of its
        new members (``backend.domain.claim_titles``)."""
        claim = await self.session.get(ExpenseClaim, claim_id)
        created = claim is None
        if claim is not None:
            if claim.employee_id != employee.id:
                raise not_found()
            await attest.ensure_editable(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        expenses = (
            list((await self.session.execute(select(Expense).where(col(Expense.id).in_(expense_ids)))).scalars())
            if expense_ids
            else []
        )
        found = {e.id: e for e in expenses}
        errors = []
        for index, expense_id in enumerate(expense_ids):
            expense = found.get(expense_id)
            if expense is None or expense.employee_id != employee.id:
                errors.append(
                    FieldError(f"expense_ids.{index}", "unknown_expense", Text(sv="Okänt utlägg", en="Unknown expense"))
                )
            elif expense.claim_id not in (None, claim_id):
                errors.append(
                    FieldError(
                        f"expense_ids.{index}",
                        "in_other_claim",
                        Text(
                            sv="Utlägget ingår redan i en annan räkning", en="The expense is already in another claim"
                        ),
                    )
                )
            elif expense.travel_claim_id is not None:
                errors.append(
                    FieldError(
                        f"expense_ids.{index}",
                        "in_travel_claim",
                        Text(
                            sv="Utlägget ingår i en reseräkning; ta bort det därifrån först",
                            en="The expense is in a travel claim; remove it from there first",
                        ),
                    )
                )
        if errors:
            raise invalid(errors)
        current = (
            list((await self.session.execute(select(Expense).where(col(Expense.claim_id) == claim.id))).scalars())
            if claim is not None
            else []
        )
        written = (title or "").strip()
        as_of = claim_titles.written_on(claim, self.today)
        automatic = not written or (
            claim is not None
            and written == claim.title
            and (await claim_titles.title_for(self.session, employee, current, as_of)).says(written)
        )
        if automatic:
            members_in_order = [found[i] for i in dict.fromkeys(expense_ids)]
            written = (await claim_titles.title_for(self.session, employee, members_in_order, as_of))(language)
        if claim is None:
            claim = ExpenseClaim(
                id=claim_id, organisation_id=employee.organisation_id, employee_id=employee.id, title=written
            )
            self.session.add(claim)
            await self.session.flush()
            action = "created"
        else:
            claim.title = written
            action = "updated"
        members = set(expense_ids)
        for expense in current:
            if expense.id not in members:
                expense.claim_id = None
        for expense in expenses:
            expense.claim_id = claim.id
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=ItemKind.EXPENSE_CLAIM.value,
            entity_id=claim.id,
            action=action,
            after={"title": written, "expense_ids": sorted(str(i) for i in members)},
        )
        return claim, created

    async def delete_claim(self, principal: Principal, claim_id: UUID) -> None:
        employee = await self._me(principal)
        claim = await self.session.get(ExpenseClaim, claim_id)
        if claim is None or claim.employee_id != employee.id:
            raise not_found()
        item = await attest.item_for(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        if not deletable(attest.state(item)):
            raise conflict(
                "claim_already_submitted",
                Text(sv="En inskickad räkning kan inte tas bort.", en="A submitted claim cannot be deleted."),
            )
        for expense in (await self.session.execute(select(Expense).where(col(Expense.claim_id) == claim.id))).scalars():
            expense.claim_id = None
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=ItemKind.EXPENSE_CLAIM.value,
            entity_id=claim.id,
            action="deleted",
            before={"title": claim.title},
        )
        await self.session.delete(claim)
        await self.session.commit()

    async def list_claims(self, principal: Principal) -> list[ClaimSummary]:
        employee = await self._me(principal)
        claims = list(
            (
                await self.session.execute(
                    select(ExpenseClaim)
                    .where(col(ExpenseClaim.employee_id) == employee.id)
                    .order_by(col(ExpenseClaim.created_at).desc())
                )
            ).scalars()
        )
        items = await self._claim_states({c.id for c in claims})
        totals: dict[UUID, tuple[int, Decimal]] = {}
        if claims:
            rows = await self.session.execute(
                select(col(Expense.claim_id), func.count(), func.sum(col(Expense.amount_sek)))
                .where(col(Expense.claim_id).in_([c.id for c in claims]))
                .group_by(col(Expense.claim_id))
            )
            totals = {
                claim_id: (count, Decimal(total or 0).quantize(Decimal("0.01")))
                for claim_id, count, total in rows.tuples()
            }
        return [
            ClaimSummary(
                id=c.id,
                title=c.title,
                state=self._state(c.id, items),
                total_sek=totals.get(c.id, (0, Decimal("0.00")))[1],
                expense_count=totals.get(c.id, (0, Decimal(0)))[0],
                submitted_at=items[c.id].submitted_at if c.id in items else None,
                updated_at=c.updated_at,
            )
            for c in claims
        ]

    async def claim_view(self, principal: Principal, claim_id: UUID, language: Language) -> ClaimView:
        claim = await self._claim(principal, claim_id)
        expenses = list(
            (
                await self.session.execute(
                    select(Expense)
                    .where(col(Expense.claim_id) == claim.id)
                    .order_by(col(Expense.expense_date), col(Expense.created_at), col(Expense.id))
                )
            ).scalars()
        )
        item = await attest.item_for(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        state: ItemState = "draft" if item is None else item.state  # type: ignore[assignment]
        return ClaimView(
            id=claim.id,
            title=claim.title,
            state=state,
            editable=editable(AttestState(item.state) if item else None),
            total_sek=sum((e.amount_sek or Decimal(0) for e in expenses), Decimal("0.00")),
            expenses=await self.views(expenses, language),
            attest=attest.attest_view(item),
            history=await history(self.session, claim.organisation_id, ItemKind.EXPENSE_CLAIM.value, claim.id),
        )

    async def _submission_warnings(self, expenses: Sequence[Expense]) -> list[dict[str, str]]:
        """What the approver should look at (duplicates, wellness cap), in both languages, kept on the item."""
        receipt_ids = {e.receipt_id for e in expenses if e.receipt_id}
        receipts = (
            {
                r.id: r
                for r in (await self.session.execute(select(Receipt).where(col(Receipt.id).in_(receipt_ids)))).scalars()
            }
            if receipt_ids
            else {}
        )
        swedish = await self.warnings(expenses, receipts, "sv")
        english = await self.warnings(expenses, receipts, "en")
        found: dict[tuple[str, str], dict[str, str]] = {}
        for expense in expenses:
            for sv, en in zip(swedish[expense.id], english[expense.id], strict=True):
                label = expense.merchant or str(expense.expense_date or "")
                found[(sv.code, sv.message)] = attest.item_warning(
                    sv.code,
                    Text(sv=f"{label}: {sv.message}", en=f"{label}: {en.message}"),
                    expense_id=str(expense.id),
                )
        return list(found.values())

    async def submit_claim(
        self, principal: Principal, claim_id: UUID, now: datetime, today: date, language: Language
    ) -> ClaimView:
        """Validate everything up front and report every problem at once; then send for attest."""
        employee = await self._me(principal)
        claim = await self.session.get(ExpenseClaim, claim_id)
        if claim is None or claim.employee_id != employee.id:
            raise not_found()
        await self.send_for_attest(principal, employee, claim, now, today)
        await self.session.commit()
        return await self.claim_view(principal, claim.id, language)

    async def send_for_attest(
        self, principal: Principal, employee: Employee, claim: ExpenseClaim, now: datetime, today: date
    ) -> None:
        """Check every expense of the claim (every problem at once) and submit it; the caller commits."""
        await attest.ensure_editable(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        expenses = list(
            (
                await self.session.execute(
                    select(Expense)
                    .where(col(Expense.claim_id) == claim.id)
                    .order_by(col(Expense.expense_date), col(Expense.created_at), col(Expense.id))
                )
            ).scalars()
        )
        errors: list[FieldError] = []
        if not expenses:
            errors.append(
                FieldError(
                    "expense_ids", "empty_claim", Text(sv="Lägg till minst ett utlägg", en="Add at least one expense")
                )
            )
        for index, expense in enumerate(expenses):
            errors += [v.within(f"expenses.{index}.") for v in rules.submission_problems(self._facts(expense), today)]
        if errors:
            raise invalid(
                errors,
                Text(
                    sv="Räkningen kan inte skickas in ännu. Rätta allt nedan på en gång.",
                    en="The claim cannot be submitted yet. Correct everything below at once.",
                ),
            )
        total = sum((e.amount_sek or Decimal(0) for e in expenses), Decimal("0.00"))
        await attest.submit(
            self.session,
            principal,
            kind=ItemKind.EXPENSE_CLAIM,
            subject_id=claim.id,
            employee=employee,
            title=claim.title,
            now=now,
            amount=total,
            warnings=await self._submission_warnings(expenses),
        )
