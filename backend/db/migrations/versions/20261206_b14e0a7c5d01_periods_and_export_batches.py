"""periods and export batches: closed pay periods, frozen batches, exactly-once items; personnummer

Revision ID: b14e0a7c5d01
Revises: 7a1c3e5b9d20
Create Date: 2026-12-06 17:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import advanced_alchemy.types
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import backend.db.types

revision: str = "b14e0a7c5d01"
down_revision: str | None = "7a1c3e5b9d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exportbatch",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("vouchers", sa.Integer(), nullable=False),
        sa.Column("reversals", sa.Integer(), nullable=False),
        sa.Column("total_amount", backend.db.types.Decimal2(), nullable=False),
        sa.Column("paxml_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sie_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("organisation_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("org_number", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True),
        sa.Column(
            "account_names",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["created_by_account_id"],
            ["account.id"],
            name=op.f("fk_exportbatch_created_by_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exportbatch_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exportbatch")),
        sa.UniqueConstraint(
            "organisation_id", "period", "sequence", name=op.f("uq_exportbatch_organisation_id_period_sequence")
        ),
    )
    op.create_table(
        "exportconfiguration",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("changed_by_account_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_account_id"],
            ["account.id"],
            name=op.f("fk_exportconfiguration_changed_by_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exportconfiguration_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exportconfiguration")),
        sa.UniqueConstraint("organisation_id", "kind", name=op.f("uq_exportconfiguration_organisation_id_kind")),
    )
    op.create_table(
        "payperiod",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("closed_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("closed_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("reopened_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("reopened_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("reopen_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_account_id"],
            ["account.id"],
            name=op.f("fk_payperiod_closed_by_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_payperiod_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by_account_id"],
            ["account.id"],
            name=op.f("fk_payperiod_reopened_by_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payperiod")),
        sa.UniqueConstraint("organisation_id", "period", name=op.f("uq_payperiod_organisation_id_period")),
    )
    op.create_table(
        "exporteditem",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("attest_item_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("item_version", sa.Integer(), nullable=False),
        sa.Column("times_returned", sa.Integer(), nullable=False),
        sa.Column("reversed_in_batch_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attest_item_id"],
            ["attestitem.id"],
            name=op.f("fk_exporteditem_attest_item_id_attestitem"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["exportbatch.id"], name=op.f("fk_exporteditem_batch_id_exportbatch"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exporteditem_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reversed_in_batch_id"],
            ["exportbatch.id"],
            name=op.f("fk_exporteditem_reversed_in_batch_id_exportbatch"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exporteditem")),
    )
    with op.batch_alter_table("exporteditem", schema=None) as batch_op:
        # At most one export per item that is not reversed: exactly once, as a constraint.
        batch_op.create_index(batch_op.f("ix_exporteditem_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_exporteditem_item", ["attest_item_id"], unique=False)
        batch_op.create_index(
            "uq_exporteditem_active",
            ["attest_item_id"],
            unique=True,
            sqlite_where=sa.text("reversed_in_batch_id IS NULL"),
            postgresql_where=sa.text("reversed_in_batch_id IS NULL"),
        )

    op.create_table(
        "exporttransaction",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attest_item_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("employee_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("personal_identity_number", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("pay_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("hours", backend.db.types.ExactDecimal(), nullable=True),
        sa.Column("quantity", backend.db.types.ExactDecimal(), nullable=True),
        sa.Column("unit_price", backend.db.types.ExactDecimal(), nullable=True),
        sa.Column("amount", backend.db.types.ExactDecimal(), nullable=True),
        sa.Column("cost_centre", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("project", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("reversal", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["exportbatch.id"], name=op.f("fk_exporttransaction_batch_id_exportbatch"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exporttransaction")),
        sa.UniqueConstraint("batch_id", "position", name=op.f("uq_exporttransaction_batch_id_position")),
    )
    op.create_table(
        "exportvoucherrow",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("voucher", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attest_item_id", sa.Uuid(), nullable=False),
        sa.Column("voucher_day", sa.Date(), nullable=False),
        sa.Column("voucher_text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("reversal", sa.Boolean(), nullable=False),
        sa.Column("account", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("amount", backend.db.types.ExactDecimal(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("cost_centre", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("project", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["exportbatch.id"], name=op.f("fk_exportvoucherrow_batch_id_exportbatch"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exportvoucherrow")),
        sa.UniqueConstraint(
            "batch_id", "voucher", "position", name=op.f("uq_exportvoucherrow_batch_id_voucher_position")
        ),
    )
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("personal_identity_number", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_employee_organisation_id_personal_identity_number"),
            ["organisation_id", "personal_identity_number"],
        )


def downgrade() -> None:
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_employee_organisation_id_personal_identity_number"), type_="unique")
        batch_op.drop_column("personal_identity_number")

    op.drop_table("exportvoucherrow")
    op.drop_table("exporttransaction")
    with op.batch_alter_table("exporteditem", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_exporteditem_active",
            sqlite_where=sa.text("reversed_in_batch_id IS NULL"),
            postgresql_where=sa.text("reversed_in_batch_id IS NULL"),
        )
        batch_op.drop_index("ix_exporteditem_item")
        batch_op.drop_index(batch_op.f("ix_exporteditem_batch_id"))

    op.drop_table("exporteditem")
    op.drop_table("payperiod")
    op.drop_table("exportconfiguration")
    op.drop_table("exportbatch")
