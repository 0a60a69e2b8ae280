"""receipts, expenses, claims, attest items, idempotency

Revision ID: 9c53d9af46c5
Revises: 5d75d212b90e
Create Date: 2026-11-23 09:19:02.522845
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
import backend.db.types
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '9c53d9af46c5'
down_revision: str | None = '5d75d212b90e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('expenseclaim',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_expenseclaim_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_expenseclaim_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expenseclaim'))
    )
    with op.batch_alter_table('expenseclaim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expenseclaim_employee_id'), ['employee_id'], unique=False)

    op.create_table('receipt',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('perceptual_hash', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('original_filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('locked_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('locked_until', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('interpreted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('interpretation', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_receipt_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_receipt_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt'))
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_employee_hash', ['organisation_id', 'employee_id', 'perceptual_hash'], unique=False)
        batch_op.create_index('ix_receipt_queue', ['state', 'locked_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_sha256'), ['sha256'], unique=False)

    op.create_table('attestitem',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('approver_employee_id', sa.Uuid(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('amount', backend.db.types.Decimal2(), nullable=True),
    sa.Column('hours', backend.db.types.Decimal2(), nullable=True),
    sa.Column('first_submitted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('submitted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('decided_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('decided_by_account_id', sa.Uuid(), nullable=True),
    sa.Column('on_behalf_of_employee_id', sa.Uuid(), nullable=True),
    sa.Column('return_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('pay_period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('pay_run_id', sa.Uuid(), nullable=True),
    sa.Column('times_returned', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approver_employee_id'], ['employee.id'], name=op.f('fk_attestitem_approver_employee_id_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_account_id'], ['account.id'], name=op.f('fk_attestitem_decided_by_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_attestitem_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['on_behalf_of_employee_id'], ['employee.id'], name=op.f('fk_attestitem_on_behalf_of_employee_id_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_attestitem_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attestitem')),
    sa.UniqueConstraint('kind', 'subject_id', name=op.f('uq_attestitem_kind_subject_id'))
    )
    with op.batch_alter_table('attestitem', schema=None) as batch_op:
        batch_op.create_index('ix_attestitem_employee', ['organisation_id', 'employee_id', 'state'], unique=False)
        batch_op.create_index('ix_attestitem_inbox', ['organisation_id', 'state', 'approver_employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attestitem_pay_run_id'), ['pay_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attestitem_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('expense',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('claim_id', sa.Uuid(), nullable=True),
    sa.Column('receipt_id', sa.Uuid(), nullable=True),
    sa.Column('expense_date', sa.Date(), nullable=True),
    sa.Column('merchant', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('org_number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True),
    sa.Column('amount', backend.db.types.Decimal2(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('exchange_rate', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('exchange_rate_source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('amount_sek', backend.db.types.Decimal2(), nullable=True),
    sa.Column('vat', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('payment', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=True),
    sa.Column('cost_centre_id', sa.Uuid(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('participants', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('attachment_receipt_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('filled_from_receipt', sa.Boolean(), nullable=False),
    sa.Column('confidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['expenseclaim.id'], name=op.f('fk_expense_claim_id_expenseclaim'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cost_centre_id'], ['costcentre.id'], name=op.f('fk_expense_cost_centre_id_costcentre'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_expense_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_expense_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_expense_project_id_project'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], name=op.f('fk_expense_receipt_id_receipt'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense'))
    )
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index('ix_expense_employee_date', ['organisation_id', 'employee_id', 'expense_date'], unique=False)
        batch_op.create_index('ix_expense_org_number', ['organisation_id', 'employee_id', 'org_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('idempotentrequest',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_idempotentrequest_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotentrequest'))
    )
    with op.batch_alter_table('idempotentrequest', schema=None) as batch_op:
        batch_op.create_index('uq_idempotency_account_key', ['account_id', 'key'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('idempotentrequest', schema=None) as batch_op:
        batch_op.drop_index('uq_idempotency_account_key')

    op.drop_table('idempotentrequest')
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_receipt_id'))
        batch_op.drop_index('ix_expense_org_number')
        batch_op.drop_index('ix_expense_employee_date')
        batch_op.drop_index(batch_op.f('ix_expense_claim_id'))

    op.drop_table('expense')
    with op.batch_alter_table('attestitem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attestitem_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_attestitem_pay_run_id'))
        batch_op.drop_index('ix_attestitem_inbox')
        batch_op.drop_index('ix_attestitem_employee')

    op.drop_table('attestitem')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_sha256'))
        batch_op.drop_index('ix_receipt_queue')
        batch_op.drop_index('ix_receipt_employee_hash')

    op.drop_table('receipt')
    with op.batch_alter_table('expenseclaim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expenseclaim_employee_id'))

    op.drop_table('expenseclaim')
