"""`selfservice db` (Alembic migrations) and `selfservice prune` (retention, e.g. from cron)."""

from __future__ import annotations

import asyncio

import click

from backend.cli.common import pass_settings
from backend.config import Settings


@click.group()
def db() -> None:
    """Database migrations (Alembic)."""


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Also for `run --migrate`: a SQLite file's folder is made first."""
    from backend.db import migrate

    if settings.database.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database, revision)


@db.command()
@click.argument("revision", default="head")
@pass_settings
def upgrade(settings: Settings, revision: str) -> None:
    """Upgrade the database to REVISION (default: the newest)."""
    upgrade_database(settings, revision)
    click.echo(f"Database at {revision}.")


@db.command()
@click.argument("revision")
@pass_settings
def downgrade(settings: Settings, revision: str) -> None:
    """Downgrade the database to REVISION (e.g. -1 or base)."""
    from backend.db import migrate

    migrate.downgrade(settings.database, revision)


@db.command()
@pass_settings
def current(settings: Settings) -> None:
    """Show the database's revision."""
    from backend.db import migrate

    migrate.current(settings.database)


@db.command()
@click.option("-m", "--message", required=True)
@pass_settings
def revision(settings: Settings, message: str) -> None:
    """Generate a migration from the models (developers)."""
    from backend.db import migrate

    migrate.revision(settings.database, message)


@click.command()
@pass_settings
def prune(settings: Settings) -> None:
    """Delete finished deliveries, old notices and expired idempotency keys once (e.g. from cron).

    Retention: RETAIN_DELIVERIES_DAYS, RETAIN_READ_NOTICES_DAYS, RETAIN_UNREAD_NOTICES_DAYS, IDEMPOTENCY_KEEP_HOURS;
    PRUNE_BATCH_SIZE rows per transaction. Safe to run while the app runs, and to run again.
    """
    from backend.core.clock import Clock
    from backend.core.database import create_engine, session_maker
    from backend.maintenance.pruning import prune_all

    async def go() -> dict[str, int]:
        engine = create_engine(settings.database)
        try:
            return await prune_all(session_maker(engine), Clock().now(), settings)
        finally:
            await engine.dispose()

    for name, count in asyncio.run(go()).items():
        click.echo(f"{name}\t{count}")
