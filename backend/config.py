"""Settings as dataclasses read from the environment.

Every knob the app has is here, with its environment variable and default, so
the README's configuration table can be checked against one file. Settings are
read once (``Settings.from_env``) and passed down; nothing else reads
``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from backend.core.secret_files import write_once

REPO_ROOT = Path(__file__).resolve().parent.parent

Environment = Literal["production", "demo", "development", "test"]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (``postgresql://``, ``sqlite:///``) and pick the async driver."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    return url


@dataclass(frozen=True)
class DatabaseSettings:
    url: str
    """DATABASE_URL. SQLite file under DATA_DIR by default; ``postgresql://...`` for production."""
    echo: bool = False
    """DATABASE_ECHO: log every SQL statement."""
    pool_size: int = 4
    """DATABASE_POOL_SIZE: connections an API process keeps open (PostgreSQL; arithmetic in the README, "Running at scale")."""
    max_overflow: int = 1
    """DATABASE_MAX_OVERFLOW: extra connections an API process may open at a peak (closed again when returned)."""
    worker_pool_size: int = 2
    """DATABASE_WORKER_POOL_SIZE: connections a ``selfservice worker`` process keeps open."""
    worker_max_overflow: int = 1
    """DATABASE_WORKER_MAX_OVERFLOW: extra connections a worker process may open at a peak."""
    schema: str | None = None
    """DATABASE_SCHEMA: PostgreSQL schema (search_path); tests use one per run."""
    pgbouncer: bool = False
    """DATABASE_PGBOUNCER: connect through PgBouncer in transaction mode (no prepared statement outlives its use)."""

    def __post_init__(self) -> None:
        if self.pgbouncer and self.schema:
            msg = (
                "DATABASE_SCHEMA cannot be used with DATABASE_PGBOUNCER: PgBouncer refuses search_path at connection;"
                " set it for the role (ALTER ROLE ... SET search_path) or in PgBouncer's connect_query"
            )
            raise ValueError(msg)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def for_worker(self) -> DatabaseSettings:
        """The same database with the worker's pool: a worker runs few queries at once."""
        return replace(self, pool_size=self.worker_pool_size, max_overflow=self.worker_max_overflow)


@dataclass(frozen=True)
class RetentionSettings:
    """How long finished rows are kept before ``selfservice prune`` deletes them (backend/maintenance/)."""

    delivery_days: int = 30
    """RETAIN_DELIVERIES_DAYS: sent, failed, skipped, gone and superseded deliveries (the outbox); pending ones stay."""
    read_notice_days: int = 180
    """RETAIN_READ_NOTICES_DAYS: notices the person has read, counted from when they were created."""
    unread_notice_days: int = 365
    """RETAIN_UNREAD_NOTICES_DAYS: notices never read, counted from when they were created."""
    batch_size: int = 5000
    """PRUNE_BATCH_SIZE: rows deleted per statement and transaction, so no prune holds one huge transaction."""


@dataclass(frozen=True)
class AuthSettings:
    secret_key: str = field(repr=False)
    """SECRET_KEY: signs session tokens and CSRF tokens. Generated into DATA_DIR when unset."""
    token_ttl_minutes: int = 30
    """TOKEN_TTL_MINUTES: lifetime of a session token; cookies are renewed while in use."""
    cookie_name: str = "selfservice_session"
    secure_cookies: Literal["auto", "always", "never"] = "auto"
    """SECURE_COOKIES: ``auto`` = Secure unless the request is to localhost."""
    login_attempts_per_minute: int = 10
    """LOGIN_ATTEMPTS_PER_MINUTE: per client address (sign-in and reset requests)."""
    login_failures_before_delay: int = 5
    """LOGIN_FAILURES_BEFORE_DELAY: failures for one account from one place before each further one doubles the wait."""
    login_account_failures_before_delay: int = 20
    """LOGIN_ACCOUNT_FAILURES_BEFORE_DELAY: failures for one account from everywhere before browsers it never
    signed in from wait too (see core/throttle.py)."""
    login_max_delay_minutes: int = 15
    """LOGIN_MAX_DELAY_MINUTES: the longest wait between attempts; nobody is ever locked out for good."""
    password_reset_minutes: int = 30
    """PASSWORD_RESET_MINUTES: how long a reset link in an e-mail works (once)."""
    argon2_time_cost: int = 3
    argon2_memory_cost_kib: int = 65536


@dataclass(frozen=True)
class Settings:
    environment: Environment
    """APP_ENV: production | demo | development | test. Demo logins work only in demo (and test)."""
    data_dir: Path
    """DATA_DIR: SQLite file, receipts, generated secrets. Default ./var."""
    database: DatabaseSettings
    auth: AuthSettings
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    """How long finished outbox rows and notices are kept (idempotency keys: ``idempotency_keep_hours``)."""
    host: str = "127.0.0.1"
    """HOST."""
    port: int = 8000
    """PORT."""
    workers: int = 1
    """WEB_CONCURRENCY: API processes."""
    log_level: str = "INFO"
    """LOG_LEVEL."""
    log_format: Literal["console", "json"] = "console"
    """LOG_FORMAT: ``json`` for production log shipping."""
    log_requests: bool = True
    """LOG_REQUESTS: one structured line per request."""
    max_body_bytes: int = 1_048_576
    """MAX_BODY_BYTES: JSON bodies; uploads have their own limit."""
    pwa_dist: Path = REPO_ROOT / "pwa" / "dist"
    """PWA_DIST: the built web app served at /."""
    trusted_proxy: bool = False
    """TRUSTED_PROXY: a TLS-terminating proxy's ``X-Forwarded-Proto: https`` counts as https (HSTS is sent)."""
    redis_url: str | None = None
    """REDIS_URL: shared store for rate limits when running several API processes."""
    storage_url: str | None = None
    """STORAGE_URL: where receipt images go. Empty = DATA_DIR/receipts; ``s3://bucket/prefix`` for S3."""
    upload_max_bytes: int = 15 * 1024 * 1024
    """UPLOAD_MAX_BYTES: largest receipt upload."""
    upload_decode_mb: int = 160
    """UPLOAD_DECODE_MB: memory an API process may spend decoding uploads at once; a larger image is refused."""
    idempotency_reclaim_seconds: int = 60
    """IDEMPOTENCY_RECLAIM_SECONDS: a key still marked in progress after this long belongs to a dead request."""
    idempotency_keep_hours: int = 24
    """IDEMPOTENCY_KEEP_HOURS: how long a stored answer is replayed for its Idempotency-Key."""
    run_worker_in_app: bool = True
    """RUN_WORKER_IN_APP: run background jobs inside each API process (off when ``selfservice worker`` runs)."""
    ocr_processes: int = 0
    """OCR_PROCESSES: receipt-reading processes per worker; 0 = one per CPU core."""
    ocr_memory_mb: int = 1024
    """OCR_MEMORY_MB: memory limit of each receipt-reading process (its data segment); 0 = none."""
    payroll_processes: int = 0
    """PAYROLL_PROCESSES: payroll worker processes per API process (overview, pay runs); 0 = one per CPU core."""
    payroll_inline_below: int = 100
    """PAYROLL_INLINE_BELOW: an organisation paying fewer employees is computed in the API process (cheaper
    than shipping it to a worker, and its time does not grow); 0 = always in the workers."""
    metrics_enabled: bool = True
    """METRICS_ENABLED: serve Prometheus metrics at /metrics (and record request latency)."""
    metrics_token: str | None = field(default=None, repr=False)
    """METRICS_TOKEN: when set, /metrics answers only requests with ``Authorization: Bearer <token>``."""
    jobs_behind_minutes: int = 15
    """JOBS_BEHIND_MINUTES: readiness says the background work is behind when a due job has waited longer."""
    profile_cache_seconds: float = 15.0
    """PROFILE_CACHE_SECONDS: how long each API process reuses a signed-in user's profile for /api/me."""
    exchange_rate_url: str | None = None
    """EXCHANGE_RATE_URL: rate provider base URL (Riksbank SWEA API shape); empty = rates are entered by hand."""
    vapid_private_key: str | None = field(default=None, repr=False)
    """VAPID_PRIVATE_KEY: Web Push key (PEM or base64url); empty = generated into DATA_DIR/vapid_private_key.pem."""
    vapid_subject: str = "mailto:noreply@selfservice.example"
    """VAPID_SUBJECT: ``mailto:`` or ``https:`` contact that push services see."""
    digest_minutes: int = 60
    """DIGEST_MINUTES: at most one "new items to attest" push per manager per this many minutes."""
    push_timeout_seconds: float = 10.0
    """PUSH_TIMEOUT_SECONDS: how long one push request may take."""
    push_connections: int = 32
    """PUSH_CONNECTIONS: push requests in flight per worker process."""
    push_max_attempts: int = 6
    """PUSH_MAX_ATTEMPTS: attempts per message (first included) before it is given up and recorded."""
    notify_slots: int = 4
    """NOTIFY_SLOTS: sending jobs at once across all workers (each sends batches of 500 concurrently)."""
    jobs_concurrency: int = 4
    """JOBS_CONCURRENCY: notification and routine jobs one worker process runs at once (receipts: OCR_PROCESSES)."""
    jobs_pool_size: int = 2
    """JOBS_POOL_SIZE: the job system's own PostgreSQL connections per worker process (psycopg); an API process that
    only defers jobs keeps one, opened on its first deferred job."""
    jobs_stalled_seconds: int = 30
    """JOBS_STALLED_SECONDS: a worker silent this long is dead; its jobs run again elsewhere."""
    jobs_shutdown_seconds: float = 30.0
    """JOBS_SHUTDOWN_SECONDS: on shutdown, how long running jobs may finish; the rest are given back."""
    jobs_listen_notify: bool = True
    """JOBS_LISTEN_NOTIFY: wake workers by PostgreSQL LISTEN/NOTIFY (off behind PgBouncer in transaction mode)."""
    public_url: str = "http://127.0.0.1:8000"
    """PUBLIC_URL: the app's address, for links in e-mails."""
    smtp_host: str | None = None
    """SMTP_HOST: outgoing mail server; empty = no e-mail channel."""
    smtp_port: int = 587
    """SMTP_PORT."""
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    """SMTP_SECURITY: ``starttls`` (587), ``tls`` (implicit, 465) or ``none`` (a local relay)."""
    smtp_from: str = "Självservice <noreply@selfservice.example>"
    """SMTP_FROM: the From header."""
    smtp_username: str | None = None
    """SMTP_USERNAME."""
    smtp_password: str | None = field(default=None, repr=False)
    """SMTP_PASSWORD."""

    @property
    def demo_enabled(self) -> bool:
        return self.environment in ("demo", "test")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read the environment; ``overrides`` (used by tests) win over it."""
        environment = _env("APP_ENV", "production")
        if environment not in ("production", "demo", "development", "test"):
            msg = f"APP_ENV must be production, demo, development or test, not {environment!r}"
            raise ValueError(msg)
        data_dir = Path(str(overrides.get("data_dir") or _env("DATA_DIR", str(REPO_ROOT / "var")))).resolve()
        default_db = f"sqlite+aiosqlite:///{data_dir / 'selfservice.db'}"
        database = DatabaseSettings(
            url=normalise_database_url(_env("DATABASE_URL", default_db)),
            echo=_env_bool("DATABASE_ECHO", False),
            pool_size=_env_int("DATABASE_POOL_SIZE", 4),
            max_overflow=_env_int("DATABASE_MAX_OVERFLOW", 1),
            worker_pool_size=_env_int("DATABASE_WORKER_POOL_SIZE", 2),
            worker_max_overflow=_env_int("DATABASE_WORKER_MAX_OVERFLOW", 1),
            schema=os.environ.get("DATABASE_SCHEMA") or None,
            pgbouncer=_env_bool("DATABASE_PGBOUNCER", False),
        )
        retention = RetentionSettings(
            delivery_days=_env_int("RETAIN_DELIVERIES_DAYS", 30),
            read_notice_days=_env_int("RETAIN_READ_NOTICES_DAYS", 180),
            unread_notice_days=_env_int("RETAIN_UNREAD_NOTICES_DAYS", 365),
            batch_size=_env_int("PRUNE_BATCH_SIZE", 5000),
        )
        secure = _env("SECURE_COOKIES", "auto")
        if secure not in ("auto", "always", "never"):
            msg = "SECURE_COOKIES must be auto, always or never"
            raise ValueError(msg)
        auth = overrides.get("auth") or AuthSettings(
            secret_key=os.environ.get("SECRET_KEY") or _persistent_secret(data_dir),
            token_ttl_minutes=_env_int("TOKEN_TTL_MINUTES", 30),
            secure_cookies=secure,  # type: ignore[arg-type]
            login_attempts_per_minute=_env_int("LOGIN_ATTEMPTS_PER_MINUTE", 10),
            login_failures_before_delay=_env_int("LOGIN_FAILURES_BEFORE_DELAY", 5),
            login_account_failures_before_delay=_env_int("LOGIN_ACCOUNT_FAILURES_BEFORE_DELAY", 20),
            login_max_delay_minutes=_env_int("LOGIN_MAX_DELAY_MINUTES", 15),
            password_reset_minutes=_env_int("PASSWORD_RESET_MINUTES", 30),
        )
        log_format = _env("LOG_FORMAT", "console")
        values: dict[str, object] = {
            "environment": environment,
            "data_dir": data_dir,
            "database": database,
            "auth": auth,
            "retention": retention,
            "host": _env("HOST", "127.0.0.1"),
            "port": _env_int("PORT", 8000),
            "workers": _env_int("WEB_CONCURRENCY", 1),
            "log_level": _env("LOG_LEVEL", "INFO").upper(),
            "log_format": "json" if log_format == "json" else "console",
            "log_requests": _env_bool("LOG_REQUESTS", True),
            "max_body_bytes": _env_int("MAX_BODY_BYTES", 1_048_576),
            "pwa_dist": Path(_env("PWA_DIST", str(REPO_ROOT / "pwa" / "dist"))),
            "trusted_proxy": _env_bool("TRUSTED_PROXY", False),
            "redis_url": os.environ.get("REDIS_URL") or None,
            "storage_url": os.environ.get("STORAGE_URL") or None,
            "upload_max_bytes": _env_int("UPLOAD_MAX_BYTES", 15 * 1024 * 1024),
            "upload_decode_mb": _env_int("UPLOAD_DECODE_MB", 160),
            "idempotency_reclaim_seconds": _env_int("IDEMPOTENCY_RECLAIM_SECONDS", 60),
            "idempotency_keep_hours": _env_int("IDEMPOTENCY_KEEP_HOURS", 24),
            "run_worker_in_app": _env_bool("RUN_WORKER_IN_APP", True),
            "ocr_processes": _env_int("OCR_PROCESSES", 0),
            "ocr_memory_mb": _env_int("OCR_MEMORY_MB", 1024),
            "payroll_processes": _env_int("PAYROLL_PROCESSES", 0),
            "payroll_inline_below": _env_int("PAYROLL_INLINE_BELOW", 100),
            "exchange_rate_url": os.environ.get("EXCHANGE_RATE_URL") or None,
            "profile_cache_seconds": float(os.environ.get("PROFILE_CACHE_SECONDS") or 15),
            "metrics_enabled": _env_bool("METRICS_ENABLED", True),
            "metrics_token": os.environ.get("METRICS_TOKEN") or None,
            "jobs_behind_minutes": _env_int("JOBS_BEHIND_MINUTES", 15),
            **_notification_settings(),
        }
        values.update(overrides)
        values["data_dir"] = data_dir
        return cls(**values)  # type: ignore[arg-type]


def _notification_settings() -> dict[str, object]:
    security = _env("SMTP_SECURITY", "starttls")
    if security not in ("starttls", "tls", "none"):
        msg = "SMTP_SECURITY must be starttls, tls or none"
        raise ValueError(msg)
    return {
        "vapid_private_key": os.environ.get("VAPID_PRIVATE_KEY") or None,
        "vapid_subject": _env("VAPID_SUBJECT", "mailto:noreply@selfservice.example"),
        "digest_minutes": _env_int("DIGEST_MINUTES", 60),
        "push_timeout_seconds": float(os.environ.get("PUSH_TIMEOUT_SECONDS") or 10),
        "push_connections": _env_int("PUSH_CONNECTIONS", 32),
        "push_max_attempts": _env_int("PUSH_MAX_ATTEMPTS", 6),
        "notify_slots": _env_int("NOTIFY_SLOTS", 4),
        "jobs_concurrency": _env_int("JOBS_CONCURRENCY", 4),
        "jobs_pool_size": _env_int("JOBS_POOL_SIZE", 2),
        "jobs_stalled_seconds": _env_int("JOBS_STALLED_SECONDS", 30),
        "jobs_shutdown_seconds": float(_env("JOBS_SHUTDOWN_SECONDS", "30")),
        "jobs_listen_notify": _env_bool("JOBS_LISTEN_NOTIFY", True),
        "public_url": _env("PUBLIC_URL", "http://127.0.0.1:8000"),
        "smtp_host": os.environ.get("SMTP_HOST") or None,
        "smtp_port": _env_int("SMTP_PORT", 587),
        "smtp_security": security,
        "smtp_from": _env("SMTP_FROM", "Självservice <noreply@selfservice.example>"),
        "smtp_username": os.environ.get("SMTP_USERNAME") or None,
        "smtp_password": os.environ.get("SMTP_PASSWORD") or None,
    }


def _persistent_secret(data_dir: Path) -> str:
    """A random secret kept in DATA_DIR so sessions survive restarts without configuration."""
    path = data_dir / "secret_key"
    write_once(path, lambda: secrets.token_urlsafe(48).encode())
    return path.read_text().strip()
