"""Receipt photos: the upload that opens an expense draft, and reading a receipt (its state and image) back."""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of
from backend.core.i18n import Text
from backend.core.problems import conflict, not_found
from backend.db.models import Expense, Receipt
from backend.expenses.access import ExpenseContext
from backend.expenses.schemas import ReceiptView
from backend.storage.uploads import image_problem, prepare_upload
from ocr import errors as image_errors
from ocr import images


def receipt_view(receipt: Receipt, expense_id: UUID | None = None) -> ReceiptView:
    """A receipt as the app shows it, alone or inside its expense; the image is fetched by its own URL."""
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


class ReceiptUseCases(ExpenseContext):
    """Upload and read receipts; interpretation runs later in the worker (``backend.expenses.interpretation``)."""

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
        self._audit(
            principal,
            employee,
            "expense",
            expense.id,
            "created",
            after={"receipt_id": receipt.id, "receipt_sha256": sha256},
        )
        await self.session.commit()
        return receipt_view(receipt, expense.id)

    async def _receipt(self, principal: Principal, receipt_id: UUID) -> Receipt:
        """A receipt its reader may see: the owner always, others once its expense's claim is submitted."""
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
        return receipt_view(receipt, expense_id)

    async def receipt_image(self, principal: Principal, receipt_id: UUID) -> tuple[bytes, str]:
        receipt = await self._receipt(principal, receipt_id)
        assert self.storage is not None
        return await self.storage.get(receipt.sha256), receipt.content_type
