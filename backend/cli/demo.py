"""`selfservice demo seed`: the made-up organisation "Demo AB"."""

from __future__ import annotations

import asyncio

import click

from backend.cli.common import pass_settings
from backend.config import Settings


@click.group()
def demo() -> None:
    """Demo data."""


def load_demo(settings: Settings, employees: int, if_empty: bool) -> None:
    """Also for `run --demo`: with ``if_empty`` an existing Demo AB is kept instead of refused."""
    from backend.core.clock import Clock
    from backend.core.database import create_engine, session_maker
    from backend.demo.seed import demo_exists, seed_demo

    async def go() -> None:
        engine = create_engine(settings.database)
        sessions = session_maker(engine)
        try:
            async with sessions() as session:
                exists = await demo_exists(session)
            if exists:
                if if_empty:
                    click.echo("Demo data already loaded; keeping it.")
                    return
                raise click.ClickException("Demo AB already exists in this database.")
            await seed_demo(sessions, Clock().today(), employees=employees)
            click.echo(f"Demo AB loaded with {employees} employees.")
        finally:
            await engine.dispose()

    asyncio.run(go())


@demo.command()
@click.option("--employees", type=click.IntRange(9, 200_000), default=25, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing if the demo organisation exists")
@pass_settings
def seed(settings: Settings, employees: int, if_empty: bool) -> None:
    """Load the demo organisation "Demo AB" (only in demo or test mode)."""
    if not settings.demo_enabled:
        raise click.ClickException("Demo data needs APP_ENV=demo (demo logins are refused in production).")
    load_demo(settings, employees, if_empty)
