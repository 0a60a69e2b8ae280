"""`selfservice`: run the app, migrate the database, load demo data, manage users.

Each command reads the same settings as the app (environment variables; see README).
One module per command group; this one is the entry point (``backend.cli:main``) and lists them all.
"""

from __future__ import annotations

import click

from backend.cli import database, demo, figures, periods, server, sso, users
from backend.config import Settings


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Employee self-service for time, travel, expenses and pay."""
    if ctx.invoked_subcommand != "openapi":  # the API's document reads no settings (nor makes a secret key in DATA_DIR)
        ctx.obj = Settings.from_env()


for command in (
    server.run,
    server.worker,
    server.openapi,
    database.db,
    database.prune,
    demo.demo,
    figures.rates,
    figures.tax,
    users.users,
    periods.period,
    periods.export,
    sso.sso,
):
    main.add_command(command)

__all__ = ["main"]
