"""server texts in English too: a case's title taken from an item, and a pay run's lock reason

A case about an attest item took the item's Swedish title; a pay run locked the days it paid
with the reason "Lönekörning 2026-11". Both now keep their English beside them (``title_en``,
``reason_en``) and are shown in the reader's language. Titles and reasons written by people keep
the one language they were written in (the English column stays empty).

Revision ID: d5e7f9a1b2c4
Revises: c4d6e8f0a1b3
Create Date: 2026-12-07 14:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d5e7f9a1b2c4"
down_revision: str | None = "c4d6e8f0a1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAY_RUN_LOCK = "Lönekörning "


def upgrade() -> None:
    with op.batch_alter_table("errorcase") as batch:
        batch.add_column(sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    with op.batch_alter_table("timelock") as batch:
        batch.add_column(sa.Column("reason_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    bind = op.get_bind()
    cases = sa.table(
        "errorcase",
        sa.column("id", sa.Uuid()),
        sa.column("attest_item_id", sa.Uuid()),
        sa.column("title", sa.String()),
        sa.column("title_en", sa.String()),
    )
    items = sa.table("attestitem", sa.column("id", sa.Uuid()), sa.column("title", sa.String()), sa.column("title_en", sa.String()))
    rows = bind.execute(
        sa.select(cases.c.id, items.c.title_en)
        .join(items, items.c.id == cases.c.attest_item_id)
        .where(items.c.title_en.is_not(None), cases.c.title == items.c.title)
    ).all()
    for case_id, english in rows:
        bind.execute(sa.update(cases).where(cases.c.id == case_id).values(title_en=english))
    locks = sa.table("timelock", sa.column("id", sa.Uuid()), sa.column("reason", sa.String()), sa.column("reason_en", sa.String()))
    for lock_id, reason in bind.execute(
        sa.select(locks.c.id, locks.c.reason).where(locks.c.reason.like(PAY_RUN_LOCK + "%"))
    ).all():
        period = reason[len(PAY_RUN_LOCK) :]
        bind.execute(sa.update(locks).where(locks.c.id == lock_id).values(reason_en=f"Pay run {period}"))


def downgrade() -> None:
    with op.batch_alter_table("timelock") as batch:
        batch.drop_column("reason_en")
    with op.batch_alter_table("errorcase") as batch:
        batch.drop_column("title_en")
