"""Receipts, expenses and expense claims for the signed-in employee (and, read-only, their approvers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeAlias
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, SkipValidation
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.core.deps import (
    ClockDep,
    DbSession,
    JobsDep,
    LanguageDep,
    PrincipalDep,
    SettingsDep,
    StorageDep,
    SubjectDep,
)
from backend.core.i18n import Text
from backend.core.idempotency import idempotent
from backend.core.problems import FieldError, invalid
from backend.core.queries import Year
from backend.core.security_headers import file_extension, stored_file_headers
from backend.expenses.exchange_rates import ExchangeRates
from backend.expenses.interpretation import job_for
from backend.expenses.schemas import (
    ClaimIn,
    ClaimSummary,
    ClaimView,
    ExchangeRateView,
    ExpenseIn,
    ExpenseView,
    ReceiptView,
    WellnessView,
)
from backend.expenses.services import ExpenseService
from backend.storage import UNAVAILABLE_RESPONSES


def provide_expenses(db_session: DbSession, storage: StorageDep, clock: ClockDep) -> ExpenseService:
    """The expense service for this request (receipts, expenses, claims, wellness): its wiring in one place."""
    return ExpenseService(db_session, storage, clock.today())


ExpensesDep: TypeAlias = NamedDependency[SkipValidation[ExpenseService]]
EXPENSES = {"expenses": Provide(provide_expenses, sync_to_thread=False)}
"""The dependencies of every controller here that works on expenses."""
ExchangeRatesDep: TypeAlias = NamedDependency[SkipValidation[ExchangeRates]]
UPLOAD_BODY_LIMIT = 16 * 1024 * 1024 + 64 * 1024
"""Route body limit: UPLOAD_MAX_BYTES' default plus room for the multipart envelope."""


class ReceiptUpload(msgspec.Struct):
    file: UploadFile
    expense_id: UUID | None = None


class ReceiptController(Controller):
    path = "/api/receipts"
    tags = ["Expenses"]
    dependencies = EXPENSES

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        request_max_body_size=UPLOAD_BODY_LIMIT,
        responses=UNAVAILABLE_RESPONSES,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[ReceiptUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
        jobs: JobsDep,
        expenses: ExpensesDep,
    ) -> Response[Any]:
        """Photo or scan of a receipt (JPEG, PNG, WebP, HEIC, one-page PDF). Opens an expense draft that
        interpretation fills in; poll the receipt (or the expense) for its state.

        Send ``expense_id`` (your own UUID) or an ``Idempotency-Key`` so a retried upload creates one expense.
        """
        content = await data.file.read()
        uploaded: list[ReceiptView] = []

        async def action() -> ReceiptView:
            view = await expenses.upload_receipt(
                principal,
                content,
                data.file.filename,
                data.expense_id,
                settings.upload_max_bytes,
                settings.upload_decode_mb * 1024 * 1024,
            )
            uploaded.append(view)
            return view

        response = await idempotent(request, db_session, principal, action, HTTP_201_CREATED)
        # This receipt's own job (committed above); a replayed answer's receipt got its job the first time.
        for view in uploaded:
            await jobs.wake("interpret_receipt", **job_for(view.id))
        return response

    @get("/{receipt_id:uuid}")
    async def get_receipt(
        self, receipt_id: FromPath[UUID], principal: PrincipalDep, expenses: ExpensesDep
    ) -> ReceiptView:
        """The receipt's interpretation state (queued, interpreting, done, failed) and what was read."""
        return await expenses.receipt_view(principal, receipt_id)

    @get("/{receipt_id:uuid}/image", media_type="application/octet-stream", responses=UNAVAILABLE_RESPONSES)
    async def image(
        self, receipt_id: FromPath[UUID], principal: PrincipalDep, expenses: ExpensesDep
    ) -> Response[bytes]:
        """The stored image (personal metadata such as GPS removed); a PDF as a sandboxed download."""
        content, content_type = await expenses.receipt_image(principal, receipt_id)
        name = f"kvitto-{receipt_id}.{file_extension(content_type)}"
        return Response(content, media_type=content_type, headers=stored_file_headers(content_type, name))


class ExpenseController(Controller):
    path = "/api/expenses"
    tags = ["Expenses"]
    dependencies = EXPENSES

    @get("/")
    async def list_expenses(
        self,
        language: LanguageDep,
        principal: PrincipalDep,
        expenses: ExpensesDep,
        subject: SubjectDep,
        unclaimed: FromQuery[bool] = False,
    ) -> list[ExpenseView]:
        """Your expenses, newest first (payroll and managers may ask for an employee they see)."""
        return await expenses.list_expenses(principal, language, subject, unclaimed)

    @get("/{expense_id:uuid}")
    async def get_expense(
        self,
        language: LanguageDep,
        expense_id: FromPath[UUID],
        principal: PrincipalDep,
        expenses: ExpensesDep,
    ) -> ExpenseView:
        return await expenses.get_expense(principal, expense_id, language)

    @put("/{expense_id:uuid}", may_create=True)
    async def put_expense(
        self,
        language: LanguageDep,
        expense_id: FromPath[UUID],
        data: JSONBody[ExpenseIn],
        principal: PrincipalDep,
        clock: ClockDep,
        expenses: ExpensesDep,
    ) -> Response[ExpenseView]:
        """Create (201) or replace (200) a draft expense under an id you choose: replays create it once."""
        view, created = await expenses.put_expense(principal, expense_id, data, clock.today(), language)
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @post("/{expense_id:uuid}/submit", status_code=HTTP_200_OK)
    async def submit_expense(
        self,
        request: Request[Any, Any, Any],
        language: LanguageDep,
        expense_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        expenses: ExpensesDep,
    ) -> Response[Any]:
        """Send one expense for attest: a claim of one is made for you and submitted, in one step.

        Checked like any claim; a repeat after it was sent answers with the same claim. An expense
        already in a claim with others is submitted with that claim (409 here)."""
        from backend.expenses.one_tap import submit_expense

        async def action() -> ClaimView:
            return await submit_expense(expenses, principal, expense_id, clock.now(), clock.today(), language)

        return await idempotent(request, db_session, principal, action, HTTP_200_OK)

    @delete("/{expense_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_expense(self, expense_id: FromPath[UUID], principal: PrincipalDep, expenses: ExpensesDep) -> None:
        await expenses.delete_expense(principal, expense_id)


class ExpenseClaimController(Controller):
    path = "/api/expense-claims"
    tags = ["Expenses"]
    dependencies = EXPENSES

    @get("/")
    async def list_claims(self, principal: PrincipalDep, expenses: ExpensesDep) -> list[ClaimSummary]:
        return await expenses.list_claims(principal)

    @get("/{claim_id:uuid}")
    async def get_claim(
        self,
        language: LanguageDep,
        claim_id: FromPath[UUID],
        principal: PrincipalDep,
        expenses: ExpensesDep,
    ) -> ClaimView:
        """The claim with its expenses, attest state and history."""
        return await expenses.claim_view(principal, claim_id, language)

    @put("/{claim_id:uuid}", may_create=True)
    async def put_claim(
        self,
        language: LanguageDep,
        claim_id: FromPath[UUID],
        data: JSONBody[ClaimIn],
        principal: PrincipalDep,
        expenses: ExpensesDep,
    ) -> Response[ClaimView]:
        """Create (201) or change (200) a claim ("samlat utlägg") and which expenses it holds."""
        view, created = await expenses.put_claim(principal, claim_id, data, language)
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @delete("/{claim_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_claim(self, claim_id: FromPath[UUID], principal: PrincipalDep, expenses: ExpensesDep) -> None:
        await expenses.delete_claim(principal, claim_id)

    @post("/{claim_id:uuid}/submit", status_code=HTTP_200_OK)
    async def submit_claim(
        self,
        request: Request[Any, Any, Any],
        language: LanguageDep,
        claim_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        expenses: ExpensesDep,
    ) -> Response[Any]:
        """Send the claim for attest. Everything is checked first; every problem is reported at once."""

        async def action() -> ClaimView:
            return await expenses.submit_claim(principal, claim_id, clock.now(), clock.today(), language)

        return await idempotent(request, db_session, principal, action, HTTP_200_OK)


class WellnessController(Controller):
    path = "/api/wellness"
    tags = ["Expenses"]
    dependencies = EXPENSES

    @get("/")
    async def wellness(
        self, principal: PrincipalDep, clock: ClockDep, expenses: ExpensesDep, year: Year = None
    ) -> WellnessView:
        """Your wellness allowance this year against the tax-free cap."""
        chosen = year or clock.today().year
        if not 2000 <= chosen <= 2100:
            raise invalid([FieldError("year", "out_of_range", Text(sv="Ogiltigt år", en="Invalid year"))])
        return await expenses.wellness_view(principal, chosen)


class ExchangeRateController(Controller):
    path = "/api/exchange-rates"
    tags = ["Expenses"]

    @get("/{currency:str}")
    async def rate(
        self,
        currency: FromPath[str],
        exchange_rates: ExchangeRatesDep,
        clock: ClockDep,
        on: FromQuery[date | None] = None,
    ) -> ExchangeRateView:
        """SEK per unit of ``currency`` on a date (default today), from the configured provider
        (EXCHANGE_RATE_URL) with the day the rate is from; without a provider ``source`` is "manual"
        and ``rate`` null: the employee enters the rate."""
        today = clock.today()
        return await exchange_rates.rate(currency, on or today, today)
