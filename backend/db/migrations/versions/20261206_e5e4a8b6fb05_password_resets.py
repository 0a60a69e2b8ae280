"""password resets: single-use, expiring links, stored as token hashes

Revision ID: e5e4a8b6fb05
Revises: d36a2c9e7f03
Create Date: 2026-12-06 23:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e5e4a8b6fb05"
down_revision: str | None = "d36a2c9e7f03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def upgrade() -> None:
    op.create_table(
        "passwordreset",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("used_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_passwordreset_account_id_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passwordreset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_passwordreset_token_hash")),
    )
    op.create_index(op.f("ix_passwordreset_account_id"), "passwordreset", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_passwordreset_account_id"), table_name="passwordreset")
    op.drop_table("passwordreset")
