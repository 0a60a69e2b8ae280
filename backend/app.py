"""The app factory: settings in, a configured Litestar app out.

Everything the app needs is wired here, in one screen: database plugin, stores,
authentication, CSRF, rate limits, logging, problem details, OpenAPI and the routes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import tempfile
from datetime import timedelta
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar, Request
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.serialization import encode_json
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.registry import StoreRegistry
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.accounts.controllers import AccountsController, AuthController, MeController, SingleSignOnController
from backend.accounts.profiles import Profiles
from backend.attest.controllers import AttestController, DelegationController
from backend.audit.controllers import AuditController
from backend.cases.controllers import CaseController
from backend.config import AuthSettings, DatabaseSettings, Settings
from backend.core import clock as clock_module
from backend.core.auth import Principal, Revocations, csrf_middleware, jwt_auth
from backend.core.clock import Clock
from backend.core.database import create_engine, plugin_config, session_maker
from backend.core.deps import provide_subject
from backend.core.edge import check_request
from backend.core.i18n import request_language
from backend.core.logging import RequestContextMiddleware, configure_logging
from backend.core.metrics import RequestMetrics
from backend.core.openapi import document_problems
from backend.core.problems import exception_handlers
from backend.core.security_headers import SecurityHeadersMiddleware
from backend.core.throttle import KnownDevices, LoginThrottle
from backend.domain.payroll.tax import shipped_table
from backend.domain.rates import available_years
from backend.employees.controllers import EmployeeController
from backend.expenses.controllers import (
    ExchangeRateController,
    ExpenseClaimController,
    ExpenseController,
    ReceiptController,
    WellnessController,
)
from backend.expenses.exchange_rates import ExchangeRates
from backend.exports.controllers import ExportBatchController, ExportConfigurationController, PeriodController
from backend.leave.controllers import LeaveController
from backend.notices.channels import vapid_keys
from backend.notices.controllers import NoticeController, PushController
from backend.organisation.controllers import CostCentreController, OrganisationController, ProjectController
from backend.payslips.controllers import PayrollController, PayslipController
from backend.payslips.pool import PayrollPool
from backend.storage import open_store
from backend.time.controllers import TimeController, TimeLockController
from backend.travel.controllers import NormalbeloppController, TravelClaimController
from backend.web.health import HealthController
from backend.web.metrics import MetricsController
from backend.web.pwa import WebAppController
from backend.worker.jobs import Jobs
from backend.worker.runner import JobRunner
from ocr.malloc import return_freed_memory_to_os

PUBLIC_PATHS = [
    "^/health/",
    "^/schema",
    "^/api/auth/login$",
    "^/api/auth/session$",
    "^/api/auth/logout$",
    "^/api/auth/password-reset",
    "^/api/auth/sso/",
    "^/metrics$",  # its own guard: METRICS_ENABLED and METRICS_TOKEN (backend/web/metrics.py)
]
WITHOUT_CSRF = [path for path in PUBLIC_PATHS if path != "^/api/auth/logout$"]
"""Logout needs no valid token (an expired one still ends the sign-in) but does need the CSRF header."""
ROUTE_HANDLERS: list[Any] = [
    MeController,
    AccountsController,
    OrganisationController,
    CostCentreController,
    ProjectController,
    EmployeeController,
    ReceiptController,
    ExpenseController,
    ExpenseClaimController,
    WellnessController,
    ExchangeRateController,
    TimeController,
    TimeLockController,
    LeaveController,
    TravelClaimController,
    NormalbeloppController,
    AttestController,
    DelegationController,
    PayslipController,
    PayrollController,
    PeriodController,
    ExportBatchController,
    ExportConfigurationController,
    AuditController,
    CaseController,
    PushController,
    NoticeController,
    HealthController,
    MetricsController,
    WebAppController,  # last: the catch-all for the web app's deep links
]


def _store(settings: Settings, namespace: str) -> Store:
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        return RedisStore.with_client(url=settings.redis_url, namespace=f"selfservice:{namespace}")
    return MemoryStore()


def _principal(request: Request[Principal, Any, Any]) -> Principal:
    return request.user


def _freeze_start_up_objects() -> None:
    """Move everything built at start (modules, ORM mappers, routes) out of the garbage collector's sight.

    They live as long as the process, yet every full collection walked all ~280,000 of them:
    one pause of about 250 ms now and then, which was most of the slowest requests' time
    (bench/README.md: latency tails). Frozen, a full collection takes about 2 ms.

    Only for a server process, which builds one app: frozen objects are never collected, so a
    process that builds many apps (the tests) would keep every earlier app's engine and its
    database connections alive.
    """
    for year in available_years():
        shipped_table(year)  # parsed now (0.2 s each), not on the event loop by the first payslip request
    gc.collect()
    gc.freeze()


def serve_app() -> Litestar:
    """The app as a server process runs it (Granian's factory): start-up objects frozen, see below;
    freed image memory returned to the system (``return_freed_memory_to_os``)."""
    return_freed_memory_to_os()
    return create_app(freeze_start_up_objects=True)


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
    *,
    freeze_start_up_objects: bool = False,
) -> Litestar:
    settings = settings or Settings.from_env()
    clock = clock or Clock()
    clock_module.use(clock)  # row timestamps (ORM defaults) read the same clock as every rule
    configure_logging(settings.log_level, settings.log_format)

    engine = engine or create_engine(settings.database)
    stores = StoreRegistry({"rate_limit": _store(settings, "rate_limit"), "auth": _store(settings, "auth")})
    auth_store = stores.get("auth")
    revocations = Revocations(auth_store, ttl=timedelta(minutes=settings.auth.token_ttl_minutes + 5), clock=clock)
    throttle = LoginThrottle(
        stores.get("rate_limit"),
        clock,
        attempts_per_minute=settings.auth.login_attempts_per_minute,
        free_failures=settings.auth.login_failures_before_delay,
        free_account_failures=settings.auth.login_account_failures_before_delay,
        max_delay=timedelta(minutes=settings.auth.login_max_delay_minutes),
    )
    auth = jwt_auth(settings.auth, revocations, exclude=PUBLIC_PATHS)

    storage = open_store(settings.storage_url, settings.data_dir)
    exchange_rates = ExchangeRates(settings.exchange_rate_url)
    sessions = session_maker(engine)
    vapid_keys(settings)  # Web Push key: generated into DATA_DIR on first start unless VAPID_PRIVATE_KEY is set

    def provide(value: Any) -> Provide:
        return Provide(lambda: value, use_cache=True, sync_to_thread=False)

    jobs = Jobs(settings, runs_jobs=settings.run_worker_in_app)

    async def start_worker(app: Litestar) -> None:
        if settings.run_worker_in_app:
            runner = JobRunner(settings, engine, clock, jobs, storage)
            await runner.start()
            app.state.job_runner = runner

    async def stop_worker(app: Litestar) -> None:
        runner = app.state.get("job_runner")
        if isinstance(runner, JobRunner):
            await runner.stop()
        await jobs.close()

    async def close_clients(app: Litestar) -> None:
        await exchange_rates.close()

    async def start_payroll_pool(app: Litestar) -> None:
        pool = PayrollPool(settings.database, settings.payroll_processes, inline_below=settings.payroll_inline_below)
        if freeze_start_up_objects:  # a server process: its workers start now, not on the first overview
            pool.warm_up()
        app.state.payroll_pool = pool

    async def stop_payroll_pool(app: Litestar) -> None:
        pool = app.state.get("payroll_pool")
        if isinstance(pool, PayrollPool):
            await asyncio.get_running_loop().run_in_executor(None, pool.close)

    def current_payroll_pool(request: Request[Any, Any, Any]) -> PayrollPool | None:
        pool = request.app.state.get("payroll_pool")
        return pool if isinstance(pool, PayrollPool) else None

    app = Litestar(
        route_handlers=[AuthController, SingleSignOnController, *ROUTE_HANDLERS],
        plugins=[SQLAlchemyPlugin(config=plugin_config(settings.database, engine))],
        on_app_init=[auth.on_app_init],
        middleware=[
            csrf_middleware(settings.auth, exclude=WITHOUT_CSRF),
        ],
        dependencies={
            "settings": provide(settings),
            "clock": provide(clock),
            "jwt_auth": provide(auth),
            "revocations": provide(revocations),
            "login_throttle": provide(throttle),
            "known_devices": provide(KnownDevices(settings.auth.secret_key)),
            "principal": Provide(_principal, sync_to_thread=False),
            "language": Provide(request_language, sync_to_thread=False),
            "subject": Provide(provide_subject),
            "storage": provide(storage),
            "exchange_rates": provide(exchange_rates),
            "sessions": provide(sessions),
            "profiles": provide(Profiles(sessions, settings)),
            "jobs": provide(jobs),
            "payroll_pool": Provide(current_payroll_pool, sync_to_thread=False),
        },
        on_startup=[start_worker, start_payroll_pool, *([_freeze_start_up_objects] if freeze_start_up_objects else [])],
        on_shutdown=[stop_worker, stop_payroll_pool, close_clients],
        stores=stores,
        exception_handlers=exception_handlers(),
        before_request=check_request,
        request_max_body_size=settings.max_body_bytes,
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=6),
        openapi_config=OpenAPIConfig(
            title="Employee self-service API",
            version="1.0.0",
            description=(
                "Time, travel, expenses and pay for employees, managers and payroll. "
                "Errors are RFC 9457 problem details."
            ),
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        logging_config=None,
        debug=False,
        state=State({"settings": settings, "clock": clock}),
    )
    # Route middleware only runs for matched routes; wrapping the whole ASGI handler gives
    # every response (404s and auth failures too) a request id, an access log line and the security headers.
    document_problems(app, PUBLIC_PATHS)
    app.asgi_handler = RequestContextMiddleware(
        SecurityHeadersMiddleware(app.asgi_handler, trust_proxy=settings.trusted_proxy),
        log_requests=settings.log_requests,
        metrics=RequestMetrics() if settings.metrics_enabled else None,
    )
    return app


def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document as ``/schema/openapi.json`` serves it, without a server or a database.

    The app is built with throwaway settings (an in-memory SQLite that is never opened, a temporary
    data directory for the keys it generates), so the document depends on the code alone: the web
    app's API types are generated from it (``selfservice openapi``; pwa/scripts/api_types.mjs).
    """
    with tempfile.TemporaryDirectory(prefix="selfservice-openapi-") as data_dir:
        settings = Settings.from_env(
            environment="development",
            data_dir=data_dir,
            database=DatabaseSettings(url="sqlite+aiosqlite:///:memory:"),
            auth=AuthSettings(secret_key="openapi-" + "x" * 32),
            log_requests=False,
            log_level="WARNING",
            run_worker_in_app=False,
            metrics_enabled=False,
        )
        engine = create_engine(settings.database)
        try:
            document = create_app(settings, engine=engine).openapi_schema.to_schema()
            return dict(json.loads(encode_json(document)))  # as served: Litestar's encoder writes a Decimal as a string
        finally:
            asyncio.run(engine.dispose())
