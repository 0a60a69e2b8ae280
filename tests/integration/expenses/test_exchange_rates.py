"""Exchange rates fetched over HTTP from a provider shaped like the Riksbank's SWEA API.

The provider is a real HTTP server started by the test, answering
``GET /Observations/SEK{CUR}PMI/{from}/{to}`` with ``[{"date": ..., "value": ...}]``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.expenses.exchange_rates import ExchangeRates
from tests.conftest import ANNA, Org, login, problem
from tests.support.http_server import serve

TODAY = date(2026, 11, 23)  # the tests' clock: Monday


def riksbank(path: str) -> tuple[int, Any]:
    if path.startswith("/Observations/SEKEURPMI/"):
        # Friday's rate; the weekend has none, Monday's is not published yet.
        return 200, [{"date": "2026-11-19", "value": 11.01}, {"date": "2026-11-20", "value": 11.0245}]
    if path.startswith("/Observations/SEKUSDPMI/"):
        return 200, [{"date": "2026-11-20", "value": 10.4521}]
    if path.startswith("/Observations/SEKNOKPMI/"):
        return 500, {"message": "internal error"}
    return 404, {"message": "unknown series"}


async def test_the_latest_rate_on_or_before_the_date_is_used_and_its_day_is_told(
    settings: Settings, clock: FixedClock, demo: Org
) -> None:
    with serve(riksbank) as (url, requested):
        app = create_app(replace(settings, exchange_rate_url=url), clock)
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            response = await client.get("/api/exchange-rates/eur", params={"on": "2026-11-22"}, headers=anna)
            again = await client.get("/api/exchange-rates/EUR", params={"on": "2026-11-22"}, headers=anna)

    assert response.status_code == 200, response.text
    assert response.json() == {"currency": "EUR", "date": "2026-11-20", "rate": "11.0245", "source": "riksbank"}
    assert again.json() == response.json()
    assert requested == ["/Observations/SEKEURPMI/2026-11-12/2026-11-22"]  # the second answer came from the cache


async def test_todays_answer_is_asked_again_until_todays_rate_is_published(
    settings: Settings, clock: FixedClock, demo: Org
) -> None:
    with serve(riksbank) as (url, requested):
        app = create_app(replace(settings, exchange_rate_url=url), clock)
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            first = await client.get("/api/exchange-rates/USD", headers=anna)
            second = await client.get("/api/exchange-rates/USD", headers=anna)

    assert first.json()["date"] == second.json()["date"] == "2026-11-20"
    assert requested == ["/Observations/SEKUSDPMI/2026-11-13/2026-11-23"] * 2


async def test_an_unknown_currency_is_a_clear_error(settings: Settings, clock: FixedClock, demo: Org) -> None:
    with serve(riksbank) as (url, _):
        app = create_app(replace(settings, exchange_rate_url=url), clock)
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            unknown = await client.get("/api/exchange-rates/XYZ", params={"on": "2026-11-22"}, headers=anna)
            not_a_code = await client.get("/api/exchange-rates/E1", headers=anna)

    assert unknown.status_code == not_a_code.status_code == 422
    assert (problem(unknown)["errors"][0]["field"], problem(unknown)["errors"][0]["code"]) == (
        "currency",
        "unknown_currency",
    )
    assert problem(not_a_code)["errors"][0]["field"] == "currency"


async def test_a_date_in_the_future_has_no_rate(settings: Settings, clock: FixedClock, demo: Org) -> None:
    with serve(riksbank) as (url, requested):
        app = create_app(replace(settings, exchange_rate_url=url), clock)
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            response = await client.get("/api/exchange-rates/EUR", params={"on": "2026-11-24"}, headers=anna)

    assert response.status_code == 422
    assert problem(response)["errors"][0]["field"] == "on"
    assert requested == []


async def test_an_unreachable_provider_says_to_enter_the_rate_by_hand(
    settings: Settings, clock: FixedClock, demo: Org
) -> None:
    app = create_app(replace(settings, exchange_rate_url="http://127.0.0.1:9"), clock)
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        anna = await login(client, ANNA)
        response = await client.get("/api/exchange-rates/NOK", headers=anna)

    assert response.status_code == 503
    assert problem(response)["code"] == "exchange_rate_unavailable"


async def test_a_failing_provider_is_a_503_problem(settings: Settings, clock: FixedClock, demo: Org) -> None:
    with serve(riksbank) as (url, _):
        app = create_app(replace(settings, exchange_rate_url=url), clock)
        async with AsyncTestClient(app=app, base_url="http://localhost") as client:
            anna = await login(client, ANNA)
            response = await client.get("/api/exchange-rates/NOK", headers=anna)

    assert response.status_code == 503
    assert problem(response)["code"] == "exchange_rate_unavailable"


async def test_without_a_provider_the_answer_says_the_rate_is_entered_by_hand(
    settings: Settings, clock: FixedClock, demo: Org
) -> None:
    app = create_app(replace(settings, exchange_rate_url=None), clock)
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        anna = await login(client, ANNA)
        response = await client.get("/api/exchange-rates/EUR", headers=anna)

    assert response.status_code == 200
    assert response.json() == {"currency": "EUR", "date": None, "rate": None, "source": "manual"}


def every_day(path: str) -> tuple[int, Any]:
    """A rate on every day, so each date asked for is its own answer."""
    return 200, [{"date": path.rsplit("/", 1)[-1], "value": 11.5}]


async def test_the_cache_is_bounded_and_forgets_the_least_recently_used() -> None:
    with serve(every_day) as (url, requested):
        rates = ExchangeRates(url, cache_size=2)
        try:
            for day in (16, 17, 16, 18, 16, 17):  # when 18 arrives, 17 is the least recently used
                view = await rates.rate("EUR", date(2026, 11, day), TODAY)
                assert (view.date, view.rate) == (date(2026, 11, day), Decimal("11.5"))
        finally:
            await rates.close()

    assert [path.rsplit("/", 1)[-1] for path in requested] == ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-17"]
