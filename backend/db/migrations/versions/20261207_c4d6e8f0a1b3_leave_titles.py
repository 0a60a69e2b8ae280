"""leave titles: day counts written as people write them ("10 dagar", not "1E+1 dagar"; "1 dag")

Titles of leave requests were made with ``Decimal.normalize()``, which writes ten as ``1E+1``.
Titles are stored on the attest item (the inbox, the archive, the payslip's pending lines read
them), so the ones already made are rewritten here; payslips already paid keep their snapshots.

Revision ID: c4d6e8f0a1b3
Revises: b3c5d7e9f1a2
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "c4d6e8f0a1b3"
down_revision: str | None = "b3c5d7e9f1a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNT = re.compile(r"\((?P<days>[0-9.]+(?:E\+[0-9]+)?) dagar\)$")


def written(title: str) -> str:
    """The title with its day count as ``backend.domain.money.format_days`` writes it (frozen here)."""
    found = COUNT.search(title)
    if found is None:
        return title
    days = Decimal(found["days"])
    number = str(int(days)) if days == days.to_integral() else format(days.normalize(), "f").replace(".", ",")
    return title[: found.start()] + f"({number} {'dag' if days <= 1 else 'dagar'})"


def upgrade() -> None:
    bind = op.get_bind()
    items = sa.table("attestitem", sa.column("id", sa.Uuid()), sa.column("title", sa.String()), sa.column("kind"))
    rows = bind.execute(sa.select(items.c.id, items.c.title).where(items.c.kind == "leave_request")).all()
    for item_id, title in rows:
        if written(title) != title:
            bind.execute(sa.update(items).where(items.c.id == item_id).values(title=written(title)))


def downgrade() -> None:
    """Nothing to undo: the old spelling was a mistake."""
