"""Exchange rates to SEK from a provider, when one is configured (EXCHANGE_RATE_URL).

The provider speaks the Riksbank's SWEA API (``GET /Observations/SEK{CUR}PMI/{from}/{to}``
answering ``[{"date": "2026-12-04", "value": 11.2345}, ...]``: daily mid rates, SEK per
unit). Weekends and holidays have no rate, so the latest rate on or before the date is
used, and the answer says which day's rate it is.

One ``httpx.AsyncClient`` per app (connections are reused; closed at shutdown). Answers
are kept in a bounded LRU per currency and date, not in a table: a past day's rate never
changes, the expense itself keeps the rate it was filed with (``exchange_rate`` and its
source), and a few thousand entries cover every currency for years of dates in a few
hundred kilobytes; a restarted process asks the provider again, which costs one request.
Today's answer is cached only once today's rate is published.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import httpx

from backend.core.i18n import Text
from backend.core.problems import FieldError, Problem, invalid
from backend.expenses.schemas import ExchangeRateView

LOOKBACK = timedelta(days=10)
"""Longer than any run of Swedish bank holidays (Christmas to the day after Epiphany is shorter)."""
CACHE_SIZE = 4096
TIMEOUT = httpx.Timeout(10.0, connect=3.0)


def _unknown_currency() -> Problem:
    return invalid([FieldError("currency", "unknown_currency", Text(sv="Okänd valuta", en="Unknown currency"))])


def _unavailable() -> Problem:
    return Problem(
        503,
        "exchange_rate_unavailable",
        Text(sv="Växelkursen kunde inte hämtas", en="The exchange rate could not be fetched"),
        Text(sv="Försök igen eller ange kursen för hand.", en="Try again or enter the rate by hand."),
    )


class ExchangeRates:
    """The app's rate provider client: one connection pool, a bounded cache."""

    def __init__(self, base_url: str | None, cache_size: int = CACHE_SIZE) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, date], tuple[date, Decimal]] = OrderedDict()
        self._client: httpx.AsyncClient | None = None

    @property
    def automatic(self) -> bool:
        return self.base_url is not None

    def _http(self) -> httpx.AsyncClient:
        # Made on first use, inside the running event loop that will use it.
        if self._client is None:
            self._client = httpx.AsyncClient(base_url=self.base_url or "", timeout=TIMEOUT)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def rate(self, currency: str, on: date, today: date) -> ExchangeRateView:
        """SEK per unit of ``currency`` on ``on`` (the latest published rate on or before it)."""
        currency = currency.upper()
        if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
            raise _unknown_currency()
        if on > today:
            raise invalid(
                [FieldError("on", "in_future", Text(sv="Datumet har inte varit än", en="The date is in the future"))]
            )
        if currency == "SEK":
            return ExchangeRateView(currency="SEK", date=on, rate=Decimal(1), source="identity")
        if self.base_url is None:
            return ExchangeRateView(currency=currency, date=None, rate=None, source="manual")
        key = (currency, on)
        found = self._cache.get(key)
        if found is None:
            found = await self._fetch(currency, on)
            if found[0] == on or on < today:  # today's answer may be yesterday's rate until today's is published
                self._cache[key] = found
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        rate_date, rate = found
        return ExchangeRateView(currency=currency, date=rate_date, rate=rate, source="riksbank")

    async def _fetch(self, currency: str, on: date) -> tuple[date, Decimal]:
        path = f"/Observations/SEK{currency}PMI/{(on - LOOKBACK).isoformat()}/{on.isoformat()}"
        try:
            response = await self._http().get(path)
        except httpx.HTTPError as exc:
            raise _unavailable() from exc
        if response.status_code in (400, 404):
            raise _unknown_currency()
        if response.status_code == 204:
            observations: list[tuple[date, Decimal]] = []
        elif response.status_code != 200:
            raise _unavailable()
        else:
            try:
                observations = [
                    (date.fromisoformat(row["date"]), Decimal(str(row["value"]))) for row in response.json()
                ]
            except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
                raise _unavailable() from exc
        published = [obs for obs in observations if obs[0] <= on and obs[1] > 0]
        if not published:
            raise invalid(
                [FieldError("on", "no_rate", Text(sv="Ingen kurs för det datumet", en="No rate for that date"))]
            )
        return max(published)
