"""Payslips: the preliminary one on demand, past ones, PDF; payroll's overview and pay runs."""

from __future__ import annotations

from typing import Annotated, Optional, TypeAlias
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, SkipValidation
from litestar.status_codes import HTTP_202_ACCEPTED

from backend.core.authorization import Role, requires
from backend.core.deps import ClockDep, DbSession, JobsDep, LanguageDep, PrincipalDep
from backend.core.i18n import Text
from backend.core.problems import FieldError, invalid
from backend.core.queries import Offset
from backend.db.models import Employee
from backend.domain.calendar import PayPeriod
from backend.payslips import finalising
from backend.payslips.overview import Direction, Sort
from backend.payslips.pdf import render
from backend.payslips.pool import PayrollPool
from backend.payslips.schemas import (
    Overview,
    PayRunIn,
    PayRunPreview,
    PayRunRequestView,
    PayRunView,
    PayslipSummary,
    PayslipView,
)
from backend.payslips.services import PREVIEW_ROWS, PayslipService

Period = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]
PayrollPoolDep: TypeAlias = NamedDependency[SkipValidation[Optional[PayrollPool]]]  # noqa: UP045


def provide_payslips(
    db_session: DbSession, principal: PrincipalDep, clock: ClockDep, language: LanguageDep, payroll_pool: PayrollPoolDep
) -> PayslipService:
    """The payslip service for this request: its wiring in one place, not in every handler.

    The payroll workers are given to every one; only the overview and the pay-run preview use them.
    """
    return PayslipService(db_session, principal, clock.today(), language, payroll_pool)


PayslipsDep: TypeAlias = NamedDependency[SkipValidation[PayslipService]]


async def provide_payee(payslips: PayslipsDep, employee_id: FromQuery[UUID | None] = None) -> Employee:
    """Whose pay the request is about (``?employee_id=``, else the caller's), checked before the handler runs."""
    return await payslips.payee(employee_id)


PayeeDep: TypeAlias = NamedDependency[SkipValidation[Employee]]
PAYSLIPS = {"payslips": Provide(provide_payslips, sync_to_thread=False), "payee": Provide(provide_payee)}


def _period(value: str | None) -> PayPeriod | None:
    if value is None:
        return None
    try:
        return PayPeriod.parse(value)
    except ValueError as exc:
        raise invalid([FieldError("period", "invalid", Text(sv="Ange period som ÅÅÅÅ-MM", en="Use YYYY-MM"))]) from exc


class PayslipController(Controller):
    path = "/api/payslips"
    tags = ["Payslips"]
    dependencies = PAYSLIPS

    @get("/preliminary")
    async def preliminary(
        self,
        payslips: PayslipsDep,
        payee: PayeeDep,
        period: FromQuery[Period | None] = None,
        pay_run_id: FromQuery[UUID | None] = None,
    ) -> PayslipView:
        """Your coming pay, computed now from everything attested (payroll: anyone's).

        Past periods come from pay runs; ``pay_run_id`` picks one run's payslip (e.g. an extra run).
        """
        return await payslips.payslip(payee, _period(period), pay_run_id)

    @get("/")
    async def history(
        self,
        payslips: PayslipsDep,
        payee: PayeeDep,
    ) -> list[PayslipSummary]:
        """The coming preliminary payslip first, then every finalised one, newest first."""
        return await payslips.history(payee)

    @get("/pdf", media_type="application/pdf")
    async def pdf(
        self,
        language: LanguageDep,
        payslips: PayslipsDep,
        payee: PayeeDep,
        period: FromQuery[Period | None] = None,
        pay_run_id: FromQuery[UUID | None] = None,
    ) -> Response[bytes]:
        """The payslip as PDF (``pay_run_id`` picks one run's, as for the JSON); a preliminary one is marked as such."""
        view = await payslips.payslip(payee, _period(period), pay_run_id)
        kind = "-preliminar" if view.preliminary else "-extra" if view.extra_run else ""
        name = f"lonespecifikation-{view.period}{kind}.pdf"
        return Response(
            render(view, language),
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{name}"'},
        )


class PayrollController(Controller):
    path = "/api/payroll"
    tags = ["Payroll"]
    guards = [requires(Role.PAYROLL)]
    dependencies = PAYSLIPS

    @get("/overview")
    async def overview(
        self,
        payslips: PayslipsDep,
        period: FromQuery[Period | None] = None,
        sort: FromQuery[Sort] = "warnings",
        direction: FromQuery[Direction | None] = None,
        offset: Offset = 0,
        limit: Annotated[int, Parameter(ge=1, le=1000, description="Rows in the page")] = 100,
        snapshot: Annotated[str | None, Parameter(max_length=64, description="From an earlier page")] = None,
    ) -> Overview:
        """Every employee's preliminary gross and net for the period, what is pending attest, and warnings.

        Totals for everyone and one page of rows, by ``sort`` (warnings and amounts largest first, names A-Ö,
        unless ``direction`` says otherwise). ``snapshot`` from an earlier answer pages through the same
        figures without computing them again.
        """
        chosen: Direction = direction or ("ascending" if sort == "name" else "descending")
        return await payslips.overview(
            _period(period), sort=sort, direction=chosen, offset=offset, limit=limit, snapshot_id=snapshot
        )

    @get("/pay-runs")
    async def pay_runs(self, payslips: PayslipsDep) -> list[PayRunView]:
        return await payslips.runs()

    @get("/pay-runs/preview")
    async def preview(
        self,
        payslips: PayslipsDep,
        period: FromQuery[Period | None] = None,
        extra: FromQuery[bool] = False,
        limit: Annotated[int, Parameter(ge=1, le=1000, description="Employees listed (by name)")] = PREVIEW_ROWS,
    ) -> PayRunPreview:
        """Who the pay run (or extra run) would pay now, how much and on which day; nothing is stored.

        Finalising with the preview's ``fingerprint`` pays exactly this or nothing.
        """
        return await payslips.preview(_period(period), extra=extra, limit=limit)

    @post("/pay-runs", status_code=HTTP_202_ACCEPTED)
    async def finalise(
        self,
        data: JSONBody[PayRunIn],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        jobs: JobsDep,
        language: LanguageDep,
    ) -> PayRunRequestView:
        """Ask for the period's pay run (or an extra run); a job pays it: payslips are stored and the items
        they pay are locked. Ask for ``/pay-runs/requests/{id}`` until it is ``done`` (the run) or
        ``refused`` (why: the preview changed, already paid, ...). 409 while another run is being made."""
        period = _period(data.period)
        assert period is not None
        request = await finalising.ask(
            db_session, principal, period, extra=data.extra, fingerprint=data.preview, now=clock.now()
        )
        await jobs.wake("finalise_pay_run", **finalising.job_for(request.id))
        return await finalising.view(db_session, request, language)

    @get("/pay-runs/requests/{request_id:uuid}")
    async def pay_run_request(
        self, request_id: FromPath[UUID], principal: PrincipalDep, db_session: DbSession, language: LanguageDep
    ) -> PayRunRequestView:
        """A pay run asked for: waiting, done or refused."""
        return await finalising.view(db_session, await finalising.one(db_session, principal, request_id), language)
