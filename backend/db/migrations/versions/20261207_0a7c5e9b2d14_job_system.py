"""job system: procrastinate's tables, types and functions (PostgreSQL only); the leases' columns go

The SQL is procrastinate 3.10.0's own schema, kept beside the migrations
(``procrastinate_3.10.0.sql``) so this revision means the same whatever version is installed;
an upgrade of procrastinate brings its migration SQL in a new revision. SQLite runs the job
system in memory and needs nothing. The hand-written leases' columns are dropped (receipts'
``locked_by``/``locked_until``, deliveries' ``locked_until``); the receipt queue is read by state
and upload time.

Revision ID: 0a7c5e9b2d14
Revises: a7b8d0e2f3c4
Create Date: 2026-12-07 08:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

revision: str = "0a7c5e9b2d14"
down_revision: str | None = "a7b8d0e2f3c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = Path(__file__).parent.parent / "procrastinate_3.10.0.sql"


def _run_script(sql: str) -> None:
    """Many statements and PL/pgSQL bodies: asyncpg's simple query protocol runs them as one script."""
    driver = op.get_bind().connection.driver_connection
    assert driver is not None
    await_only(driver.execute(sql))


UTC_TIME = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("receipt") as batch:
        batch.drop_index("ix_receipt_queue")
        batch.drop_column("locked_by")
        batch.drop_column("locked_until")
        batch.create_index("ix_receipt_queue", ["state", "created_at"], unique=False)
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("locked_until")
    if op.get_bind().dialect.name == "postgresql":
        _run_script(SCHEMA.read_text(encoding="utf-8"))


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("locked_until", UTC_TIME, nullable=True))
    with op.batch_alter_table("receipt") as batch:
        batch.drop_index("ix_receipt_queue")
        batch.add_column(sa.Column("locked_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("locked_until", UTC_TIME, nullable=True))
        batch.create_index("ix_receipt_queue", ["state", "locked_until"], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    _run_script(
        """
        DO $$
        DECLARE item record;
        BEGIN
          FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'
          LOOP EXECUTE 'DROP FUNCTION IF EXISTS ' || item.signature || ' CASCADE'; END LOOP;
        END $$;
        DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
            procrastinate_workers CASCADE;
        DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type, procrastinate_job_status;
        """
    )
