"""foundation: organisation, people, accounts, audit

Revision ID: 5d75d212b90e
Revises: 
Create Date: 2026-11-23 08:54:14.987883
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import backend.db.types

revision: str = '5d75d212b90e'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('org_number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True),
    sa.Column('cutoff_day', sa.Integer(), nullable=False),
    sa.Column('pay_day', sa.Integer(), nullable=False),
    sa.Column('agreement_profile', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('variable_pay_in_arrears', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )
    op.create_table('costcentre',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_costcentre_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_costcentre')),
    sa.UniqueConstraint('organisation_id', 'code', name=op.f('uq_costcentre_organisation_id_code'))
    )
    with op.batch_alter_table('costcentre', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_costcentre_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisationyearpolicy',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('mileage_rate_per_mil', backend.db.types.Decimal2(), nullable=True),
    sa.Column('per_diem_full_day', backend.db.types.Decimal2(), nullable=True),
    sa.Column('wellness_allowance', backend.db.types.Decimal2(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisationyearpolicy_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisationyearpolicy')),
    sa.UniqueConstraint('organisation_id', 'year', name=op.f('uq_organisationyearpolicy_organisation_id_year'))
    )
    with op.batch_alter_table('organisationyearpolicy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisationyearpolicy_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('employee',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('employee_number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('manager_id', sa.Uuid(), nullable=True),
    sa.Column('cost_centre_id', sa.Uuid(), nullable=True),
    sa.Column('tax_table', sa.Integer(), nullable=True),
    sa.Column('tax_column', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['cost_centre_id'], ['costcentre.id'], name=op.f('fk_employee_cost_centre_id_costcentre'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['manager_id'], ['employee.id'], name=op.f('fk_employee_manager_id_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_employee_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee')),
    sa.UniqueConstraint('organisation_id', 'employee_number', name=op.f('uq_employee_organisation_id_employee_number'))
    )
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('project',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('cost_centre_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['cost_centre_id'], ['costcentre.id'], name=op.f('fk_project_cost_centre_id_costcentre'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_project_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['project.id'], name=op.f('fk_project_parent_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('organisation_id', 'code', name=op.f('uq_project_organisation_id_code'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_parent_id'), ['parent_id'], unique=False)

    op.create_table('account',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('last_login_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_account_employee_id_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_account_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('email', name=op.f('uq_account_email')),
    sa.UniqueConstraint('employee_id', name=op.f('uq_account_employee_id'))
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('employment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('pay_type', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('monthly_salary', backend.db.types.Decimal2(), nullable=True),
    sa.Column('hourly_wage', backend.db.types.Decimal2(), nullable=True),
    sa.Column('weekly_hours', backend.db.types.Decimal2(), nullable=False),
    sa.Column('employment_rate', backend.db.types.Decimal2(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_employment_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_employment_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employment')),
    sa.UniqueConstraint('employee_id', 'valid_from', name=op.f('uq_employment_employee_id_valid_from'))
    )
    with op.batch_alter_table('employment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employment_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('accountrole',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_accountrole_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountrole')),
    sa.UniqueConstraint('account_id', 'role', name=op.f('uq_accountrole_account_id_role'))
    )
    with op.batch_alter_table('accountrole', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountrole_account_id'), ['account_id'], unique=False)

    op.create_table('auditevent',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('actor_account_id', sa.Uuid(), nullable=True),
    sa.Column('on_behalf_of_account_id', sa.Uuid(), nullable=True),
    sa.Column('entity_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['actor_account_id'], ['account.id'], name=op.f('fk_auditevent_actor_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['on_behalf_of_account_id'], ['account.id'], name=op.f('fk_auditevent_on_behalf_of_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_auditevent_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auditevent'))
    )
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index('ix_auditevent_entity', ['organisation_id', 'entity_type', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_occurred_at'), ['occurred_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditevent_occurred_at'))
        batch_op.drop_index('ix_auditevent_entity')

    op.drop_table('auditevent')
    with op.batch_alter_table('accountrole', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountrole_account_id'))

    op.drop_table('accountrole')
    with op.batch_alter_table('employment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employment_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_employment_employee_id'))

    op.drop_table('employment')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_organisation_id'))

    op.drop_table('account')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_parent_id'))
        batch_op.drop_index(batch_op.f('ix_project_organisation_id'))

    op.drop_table('project')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employee_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_employee_manager_id'))
        batch_op.drop_index(batch_op.f('ix_employee_email'))

    op.drop_table('employee')
    with op.batch_alter_table('organisationyearpolicy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisationyearpolicy_organisation_id'))

    op.drop_table('organisationyearpolicy')
    with op.batch_alter_table('costcentre', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_costcentre_organisation_id'))

    op.drop_table('costcentre')
    op.drop_table('organisation')
