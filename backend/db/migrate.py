"""Alembic, driven from code so `selfservice db upgrade` needs no alembic.ini.

The app never creates tables itself: every schema change is a migration in
``backend/db/migrations/versions`` and runs the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from backend.config import DatabaseSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def ours(name: str | None, type_: str, _parent_names: object) -> bool:
    """What autogenerate compares: the job system's tables (``procrastinate_*``) are its own, not the models'."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def alembic_config(database: DatabaseSettings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    config.set_main_option("path_separator", "os")
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["database"] = database
    return config


def upgrade(database: DatabaseSettings, revision: str = "head") -> None:
    command.upgrade(alembic_config(database), revision)


def downgrade(database: DatabaseSettings, revision: str) -> None:
    command.downgrade(alembic_config(database), revision)


def current(database: DatabaseSettings) -> None:
    command.current(alembic_config(database), verbose=False)


def revision(database: DatabaseSettings, message: str, autogenerate: bool = True) -> None:
    command.revision(alembic_config(database), message=message, autogenerate=autogenerate)
