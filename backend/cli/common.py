"""What the command groups share: the settings, a database session per command, refusals as the API words them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

from backend.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

pass_settings = click.make_pass_decorator(Settings)
T = TypeVar("T")


def in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in a database session of its own: the engine opens before and closes after."""
    from backend.core.database import create_engine, session_maker

    async def go() -> T:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def refused(exc: Exception) -> click.ClickException:
    """A refusal as the API words it, in Swedish and English, for stderr (exit code 1)."""
    from backend.core.problems import Problem
    from backend.domain.errors import DomainError

    if isinstance(exc, Problem):
        lines = [f"{exc.title.sv} / {exc.title.en}"]
        if exc.detail is not None:
            lines += [exc.detail.sv, exc.detail.en]
        lines += [f"- {e.field}: {e.message.sv} / {e.message.en}" for e in exc.errors]
        return click.ClickException("\n".join(lines))
    assert isinstance(exc, DomainError)
    return click.ClickException(f"{exc.message.sv}\n{exc.message.en}")
