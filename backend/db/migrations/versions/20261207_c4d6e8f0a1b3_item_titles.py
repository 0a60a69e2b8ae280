"""item titles: in English too (title_en), and day counts written as people write them

Attest items had one title, in Swedish, so an English reader saw "Tidrapport 2026-W47". The app
now writes the titles of time weeks, leave requests and travel claims in both languages
(``backend/attest/titles.py``); an expense claim keeps the name its employee gave it
(``title_en`` empty). Titles already made get their English here. Leave titles were made with
``Decimal.normalize()``, which writes ten as ``1E+1``; those are rewritten too. Payslips already
paid keep their snapshots.

Revision ID: c4d6e8f0a1b3
Revises: b3c5d7e9f1a2
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c4d6e8f0a1b3"
down_revision: str | None = "b3c5d7e9f1a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WEEK = re.compile(r"^Tidrapport (?P<week>.+)$")
TRIP = re.compile(r"^Resa (?P<day>\d{4}-\d{2}-\d{2}): (?P<named>.*)$")
LEAVE = re.compile(r"^(?P<kind>.+?) (?P<span>\d{4}-\d{2}-\d{2}–\d{4}-\d{2}-\d{2}) \((?P<days>[0-9.,]+(?:E\+[0-9]+)?) dagar?\)$")
LEAVE_KINDS = {"Semester": "Vacation", "Föräldraledighet": "Parental leave", "Tjänstledighet (obetald)": "Unpaid leave"}


def _days(days: Decimal, lang: str) -> str:
    """As ``backend.domain.money.format_days`` writes a day count (frozen here)."""
    number = str(int(days)) if days == days.to_integral() else format(days.normalize(), "f")
    if lang == "sv":
        return f"{number.replace('.', ',')} {'dag' if days <= 1 else 'dagar'}"
    return f"{number} {'day' if days == 1 else 'days'}"


def titles(kind: str, title: str) -> tuple[str, str | None]:
    """The Swedish title as the app writes it now, and the English one (None: the same in both)."""
    if kind == "time_week" and (week := WEEK.match(title)):
        return title, f"Time report {week['week']}"
    if kind == "travel_claim" and (trip := TRIP.match(title)):
        named = trip["named"] if trip["named"] != "Reseräkning" else "Travel claim"
        return title, f"Trip {trip['day']}: {named}"[:200]
    if kind == "leave_request" and (leave := LEAVE.match(title)):
        days = Decimal(leave["days"].replace(",", "."))
        english = LEAVE_KINDS.get(leave["kind"], leave["kind"])
        return (
            f"{leave['kind']} {leave['span']} ({_days(days, 'sv')})",
            f"{english} {leave['span']} ({_days(days, 'en')})",
        )
    return title, None


def upgrade() -> None:
    with op.batch_alter_table("attestitem") as batch:
        batch.add_column(sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    bind = op.get_bind()
    items = sa.table(
        "attestitem",
        sa.column("id", sa.Uuid()),
        sa.column("kind", sa.String()),
        sa.column("title", sa.String()),
        sa.column("title_en", sa.String()),
    )
    rows = bind.execute(
        sa.select(items.c.id, items.c.kind, items.c.title).where(
            items.c.kind.in_(["time_week", "travel_claim", "leave_request"])
        )
    ).all()
    for item_id, kind, title in rows:
        swedish, english = titles(kind, title)
        if (swedish, english) != (title, None):
            bind.execute(sa.update(items).where(items.c.id == item_id).values(title=swedish, title_en=english))


def downgrade() -> None:
    with op.batch_alter_table("attestitem") as batch:
        batch.drop_column("title_en")
