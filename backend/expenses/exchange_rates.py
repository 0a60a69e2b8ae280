"""Exchange rates to SEK from a provider, when one is configured (EXCHANGE_RATE_URL).

The request shape is the Riksbank's SWEA API (``/Observations/SEK{CUR}PMI/{from}/{to}``,
daily mid rates, SEK per unit). Weekends and holidays have no rate, so the latest rate
on or before the date is used. Rates are cached per currency and date in the process.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import httpx

from backend.config import Settings
from backend.core.i18n import Text
from backend.core.problems import FieldError, Problem, invalid
from backend.expenses.schemas import ExchangeRateView

LOOKBACK = timedelta(days=10)
NOT_CONFIGURED = Problem(
    404,
    "exchange_rates_not_configured",
    Text("Växelkurser hämtas inte automatiskt", "Exchange rates are not fetched automatically"),
    Text("Ange växelkursen för hand.", "Enter the exchange rate by hand."),
)


_RATES: dict[tuple[str, str, date], tuple[date, Decimal]] = {}


async def fetch_rate(settings: Settings, currency: str, on: date) -> ExchangeRateView:
    if not settings.exchange_rate_url:
        raise NOT_CONFIGURED
    if len(currency) != 3 or not currency.isalpha():
        raise invalid([FieldError("currency", "unknown_currency", Text("Okänd valuta", "Unknown currency"))])
    if currency == "SEK":
        return ExchangeRateView(currency="SEK", date=on, rate=Decimal(1), source="identity")
    base = settings.exchange_rate_url.rstrip("/")
    key = (base, currency, on)
    if key not in _RATES:
        url = f"{base}/Observations/SEK{currency}PMI/{(on - LOOKBACK).isoformat()}/{on.isoformat()}"
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(url)
        except httpx.HTTPError as exc:
            raise _unavailable() from exc
        if response.status_code == 404:
            raise invalid(
                [
                    FieldError(
                        "currency", "unknown_currency", Text("Ingen kurs för valutan", "No rate for that currency")
                    )
                ]
            )
        if response.status_code != 200:
            raise _unavailable()
        observations = []
        try:
            for row in response.json():
                observations.append((date.fromisoformat(row["date"]), Decimal(str(row["value"]))))
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise _unavailable() from exc
        found = [obs for obs in observations if obs[0] <= on and obs[1] > 0]
        if not found:
            raise invalid([FieldError("on", "no_rate", Text("Ingen kurs för det datumet", "No rate for that date"))])
        _RATES[key] = max(found)
    rate_date, rate = _RATES[key]
    return ExchangeRateView(currency=currency, date=rate_date, rate=rate, source="riksbank")


def _unavailable() -> Problem:
    return Problem(
        503,
        "exchange_rate_unavailable",
        Text("Växelkursen kunde inte hämtas", "The exchange rate could not be fetched"),
        Text("Försök igen eller ange kursen för hand.", "Try again or enter the rate by hand."),
    )
