"""closes and pay runs as jobs: the period says when its close was asked for and why one was refused;
pay-run requests record what payroll asked for and the outcome

Revision ID: b3c5d7e9f1a2
Revises: 0a7c5e9b2d14
Create Date: 2026-12-07 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "b3c5d7e9f1a2"
down_revision: str | None = "0a7c5e9b2d14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("payperiod") as batch:
        batch.add_column(sa.Column("close_requested_at", UTC_TIME, nullable=True))
        batch.add_column(sa.Column("close_problem", JSON, nullable=True))
    op.create_table(
        "payrunrequest",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("extra", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("requested_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("requested_at", UTC_TIME, nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("finished_at", UTC_TIME, nullable=True),
        sa.Column("pay_run_id", sa.Uuid(), nullable=True),
        sa.Column("locked_items", sa.Integer(), nullable=False),
        sa.Column("problem", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_payrunrequest_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pay_run_id"], ["payrun.id"], name=op.f("fk_payrunrequest_pay_run_id_payrun"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_account_id"],
            ["account.id"],
            name=op.f("fk_payrunrequest_requested_by_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payrunrequest")),
    )
    op.create_index(
        "ix_payrunrequest_one_waiting",
        "payrunrequest",
        ["organisation_id"],
        unique=True,
        sqlite_where=sa.text("state = 'waiting'"),
        postgresql_where=sa.text("state = 'waiting'"),
    )


def downgrade() -> None:
    op.drop_index("ix_payrunrequest_one_waiting", table_name="payrunrequest")
    op.drop_table("payrunrequest")
    op.execute("UPDATE payperiod SET state = 'open' WHERE state = 'closing'")
    with op.batch_alter_table("payperiod") as batch:
        batch.drop_column("close_problem")
        batch.drop_column("close_requested_at")
