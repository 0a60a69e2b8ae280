"""What every background task gets: sessions, settings, the clock, storage and shared tools."""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.config import Settings
from backend.core.clock import Clock
from backend.core.database import session_maker
from backend.storage import ContentStore, open_store


@dataclass
class WorkerContext:
    """Tasks are plain functions of this, so tests call them directly with their own engine and clock."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    storage: ContentStore
    name: str
    tools: dict[str, Any] = field(default_factory=dict)
    """Made on first use and kept for the process: the OCR pool, the push sender, the mailer."""

    @classmethod
    def create(
        cls, settings: Settings, engine: AsyncEngine, clock: Clock, storage: ContentStore | None = None
    ) -> WorkerContext:
        return cls(
            settings=settings,
            sessions=session_maker(engine),
            clock=clock,
            storage=storage or open_store(settings.storage_url, settings.data_dir),
            name=f"{socket.gethostname()}:{os.getpid()}",
        )

    async def close(self) -> None:
        """Close the tools (the push sender's HTTP connections, the OCR processes)."""
        for tool in self.tools.values():
            aclose = getattr(tool, "aclose", None)
            if aclose is not None:
                await aclose()
                continue
            close = getattr(tool, "close", None)
            if close is not None:
                await asyncio.to_thread(close)
        self.tools.clear()
