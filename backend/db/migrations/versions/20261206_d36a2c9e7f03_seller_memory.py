"""seller memory: an organisation's corrections per seller, and which expense fields they filled

Revision ID: d36a2c9e7f03
Revises: c25f1b8d6e02
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "d36a2c9e7f03"
down_revision: str | None = "c25f1b8d6e02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "sellermemory",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("key_kind", _text(12), nullable=False),
        sa.Column("key", _text(200), nullable=False),
        sa.Column("merchant", _text(200), nullable=True),
        sa.Column("category", _text(20), nullable=True),
        sa.Column("currency", _text(3), nullable=True),
        sa.Column("updated_by_account_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sellermemory_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_account_id"],
            ["account.id"],
            name=op.f("fk_sellermemory_updated_by_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sellermemory")),
        sa.UniqueConstraint(
            "organisation_id", "key_kind", "key", name=op.f("uq_sellermemory_organisation_id_key_kind_key")
        ),
    )
    with op.batch_alter_table("expense", schema=None) as batch_op:
        # Existing expenses were filled from nothing remembered: an empty list, not NULL.
        batch_op.add_column(sa.Column("remembered", JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("expense", schema=None) as batch_op:
        batch_op.drop_column("remembered")
    op.drop_table("sellermemory")
