"""One clock: rows changed through the API are stamped with the app's clock, not the machine's."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import Account
from tests.conftest import ANNA, Org


async def test_a_changed_row_is_stamped_with_the_apps_clock(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    demo: Org,
    engine: AsyncEngine,
) -> None:
    changed = await client.patch("/api/me", json={"locale": "en"}, headers=as_role["employee"])

    async with session_maker(engine)() as session:
        account = await session.get(Account, demo.accounts[ANNA])
    assert changed.status_code == 200, changed.text
    assert account is not None
    assert account.locale == "en"
    assert account.updated_at == clock.now()  # 2026-11-23, whatever the machine's date
