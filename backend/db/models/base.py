"""The base every table shares: a UUID key and UTC timestamps."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlmodel import Field, SQLModel

from backend.db.types import DateTimeUTC, utcnow

# Named constraints keep Alembic migrations identical on PostgreSQL and SQLite.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata


class Record(SQLModel):
    """Fields every table has. ``id`` is a UUID so offline clients can create rows themselves."""

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTimeUTC, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=DateTimeUTC,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )
