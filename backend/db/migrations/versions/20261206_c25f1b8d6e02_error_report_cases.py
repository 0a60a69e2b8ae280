"""error report cases: felanmälan with its messages

Revision ID: c25f1b8d6e02
Revises: b14e0a7c5d01
Create Date: 2026-12-06 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c25f1b8d6e02"
down_revision: str | None = "b14e0a7c5d01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "errorcase",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("reporter_account_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=True),
        sa.Column("subject_kind", _text(20), nullable=False),
        sa.Column("payslip_period", _text(7), nullable=True),
        sa.Column("payslip_id", sa.Uuid(), nullable=True),
        sa.Column("line_key", _text(60), nullable=True),
        sa.Column("line_text", _text(200), nullable=True),
        sa.Column("attest_item_id", sa.Uuid(), nullable=True),
        sa.Column("export_batch_id", sa.Uuid(), nullable=True),
        sa.Column("export_row", sa.Integer(), nullable=True),
        sa.Column("title", _text(200), nullable=False),
        sa.Column("status", _text(12), nullable=False),
        sa.Column("owner_account_id", sa.Uuid(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("last_activity_at", UTC_TIME, nullable=False),
        sa.Column("closed_at", UTC_TIME, nullable=True),
        sa.Column("item_returned_at", UTC_TIME, nullable=True),
        sa.Column("attachment_sha256", _text(64), nullable=True),
        sa.Column("attachment_content_type", _text(40), nullable=True),
        sa.Column("attachment_size", sa.Integer(), nullable=True),
        sa.Column("attachment_filename", _text(255), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_errorcase_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_account_id"],
            ["account.id"],
            name=op.f("fk_errorcase_reporter_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employee.id"], name=op.f("fk_errorcase_employee_id_employee"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["payslip_id"], ["payslip.id"], name=op.f("fk_errorcase_payslip_id_payslip"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["attest_item_id"],
            ["attestitem.id"],
            name=op.f("fk_errorcase_attest_item_id_attestitem"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_account_id"],
            ["account.id"],
            name=op.f("fk_errorcase_owner_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_errorcase")),
    )
    with op.batch_alter_table("errorcase", schema=None) as batch_op:
        batch_op.create_index("ix_errorcase_queue", ["organisation_id", "status", "due_date"], unique=False)
        batch_op.create_index("ix_errorcase_reporter", ["reporter_account_id", "last_activity_at"], unique=False)
        batch_op.create_index("ix_errorcase_owner", ["organisation_id", "owner_account_id"], unique=False)

    op.create_table(
        "casemessage",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("author_account_id", sa.Uuid(), nullable=True),
        sa.Column("from_payroll", sa.Boolean(), nullable=False),
        sa.Column("kind", _text(12), nullable=False),
        sa.Column("text", _text(4000), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_casemessage_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["errorcase.id"], name=op.f("fk_casemessage_case_id_errorcase"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_account_id"],
            ["account.id"],
            name=op.f("fk_casemessage_author_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casemessage")),
    )
    with op.batch_alter_table("casemessage", schema=None) as batch_op:
        batch_op.create_index("ix_casemessage_case", ["case_id", "sequence"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("casemessage", schema=None) as batch_op:
        batch_op.drop_index("ix_casemessage_case")
    op.drop_table("casemessage")
    with op.batch_alter_table("errorcase", schema=None) as batch_op:
        batch_op.drop_index("ix_errorcase_owner")
        batch_op.drop_index("ix_errorcase_reporter")
        batch_op.drop_index("ix_errorcase_queue")
    op.drop_table("errorcase")
