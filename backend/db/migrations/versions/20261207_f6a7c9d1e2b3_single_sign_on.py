"""single sign-on: an OpenID Provider per organisation and the identities linked to accounts

Revision ID: f6a7c9d1e2b3
Revises: e5e4a8b6fb05
Create Date: 2026-12-07 03:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "f6a7c9d1e2b3"
down_revision: str | None = "e5e4a8b6fb05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "singlesignon",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("email_domain", TEXT(length=253), nullable=False),
        sa.Column("issuer", TEXT(length=500), nullable=False),
        sa.Column("client_id", TEXT(length=255), nullable=False),
        sa.Column("client_secret", TEXT(length=500), nullable=True),
        sa.Column("match_by", TEXT(length=10), nullable=False),
        sa.Column("provisioning", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_singlesignon_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_singlesignon")),
        sa.UniqueConstraint("email_domain", name=op.f("uq_singlesignon_email_domain")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_singlesignon_organisation_id")),
    )
    op.create_table(
        "singlesignonidentity",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("issuer", TEXT(length=500), nullable=False),
        sa.Column("subject", TEXT(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_singlesignonidentity_account_id_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_singlesignonidentity")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_singlesignonidentity_issuer_subject")),
    )
    op.create_index(
        op.f("ix_singlesignonidentity_account_id"), "singlesignonidentity", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_singlesignonidentity_account_id"), table_name="singlesignonidentity")
    op.drop_table("singlesignonidentity")
    op.drop_table("singlesignon")
