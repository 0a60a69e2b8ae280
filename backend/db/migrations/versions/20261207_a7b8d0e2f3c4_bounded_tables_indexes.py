"""bounded tables: indexes for pruning, lease read-backs and the attest archive

Revision ID: a7b8d0e2f3c4
Revises: f6a7c9d1e2b3
Create Date: 2026-12-07 07:00:00.000000

Measured before and after in bench/results/indexes.md (bench/index_explain.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "a7b8d0e2f3c4"
down_revision: str | None = "f6a7c9d1e2b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_delivery_finished", "delivery", ["state", "updated_at"]),
    ("ix_delivery_locked_by", "delivery", ["locked_by"]),
    ("ix_notice_created", "notice", ["created_at"]),
    ("ix_idempotentrequest_created", "idempotentrequest", ["created_at"]),
    ("ix_attestitem_decided", "attestitem", ["organisation_id", "decided_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
