"""Exchange rates fetched over HTTP from a provider shaped like the Riksbank's SWEA API."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar.testing import AsyncTestClient

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from tests.conftest import ANNA, Org, login, problem
from tests.support.http_server import serve


def riksbank(path: str) -> tuple[int, Any]:
    if path.startswith("/Observations/SEKEURPMI/"):
        # Friday's rate; the weekend has none.
        return 200, [{"date": "2026-11-19", "value": 11.01}, {"date": "2026-11-20", "value": 11.0245}]
    return 404, {"message": "unknown series"}


async def test_the_latest_rate_on_or_before_the_date_is_used(settings: Settings, clock: FixedClock, demo: Org) -> None:
    with serve(riksbank) as (url, requested):
        app = create_app(replace(settings, exchange_rate_url=url), clock)
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            response = await client.get("/api/exchange-rates/eur", params={"on": "2026-11-22"}, headers=anna)
            again = await client.get("/api/exchange-rates/EUR", params={"on": "2026-11-22"}, headers=anna)

    assert response.json() == {"currency": "EUR", "date": "2026-11-20", "rate": "11.0245", "source": "riksbank"}
    assert again.json() == response.json()
    assert requested == ["/Observations/SEKEURPMI/2026-11-12/2026-11-22"]  # the second answer came from the cache


async def test_an_unknown_currency_is_a_clear_error(settings: Settings, clock: FixedClock, demo: Org) -> None:
    with serve(riksbank) as (url, _):
        app = create_app(replace(settings, exchange_rate_url=url), clock)
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            response = await client.get("/api/exchange-rates/XYZ", params={"on": "2026-11-22"}, headers=anna)

    assert response.status_code == 422
    assert problem(response)["errors"][0]["code"] == "unknown_currency"


async def test_an_unreachable_provider_says_to_enter_the_rate_by_hand(
    settings: Settings, clock: FixedClock, demo: Org
) -> None:
    app = create_app(replace(settings, exchange_rate_url="http://127.0.0.1:9"), clock)
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        anna = await login(client, ANNA)
        response = await client.get("/api/exchange-rates/NOK", headers=anna)

    assert response.status_code == 503
    assert problem(response)["code"] == "exchange_rate_unavailable"
