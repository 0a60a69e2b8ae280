"""Plain-value behaviour of the app's plumbing: languages, money columns, settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from backend.config import Settings, normalise_database_url
from backend.core.auth import cookie_secure, is_local
from backend.core.clock import FixedClock
from backend.core.i18n import Text, pick_language
from backend.db.types import Money


@pytest.mark.parametrize(
    ("header", "preferred", "expected"),
    [
        (None, None, "sv"),
        ("en-GB,en;q=0.9", None, "en"),
        ("de-DE,de;q=0.9", None, "sv"),
        ("de-DE,en;q=0.5,sv;q=0.8", None, "sv"),
        ("fr", "en", "en"),
        ("sv;q=0.2,en;q=0.9", None, "en"),
        ("en;q=nonsense,sv", None, "sv"),
    ],
)
def test_language_is_swedish_unless_english_is_preferred(
    header: str | None, preferred: str | None, expected: str
) -> None:
    assert pick_language(header, preferred) == expected


def test_a_text_answers_in_the_asked_language() -> None:
    text = Text(sv="Hej", en="Hello")

    assert text("sv") == "Hej"
    assert text("en") == "Hello"


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])  # type: ignore[no-untyped-call]
def test_money_is_stored_as_whole_ore(dialect: object) -> None:
    column = Money()

    assert column.process_bind_param(Decimal("268.17"), dialect) == 26817  # type: ignore[arg-type]
    assert column.process_result_value(26817, dialect) == Decimal("268.17")  # type: ignore[arg-type]
    assert column.process_bind_param(None, dialect) is None  # type: ignore[arg-type]


def test_money_refuses_fractions_of_an_ore_instead_of_rounding() -> None:
    with pytest.raises(ValueError, match="more than two decimals"):
        Money().process_bind_param(Decimal("1.005"), sqlite.dialect())


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h:5432/db", "postgresql+asyncpg://u@h:5432/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_database_urls_get_the_async_driver(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_settings_default_to_sqlite_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    settings = Settings.from_env()

    assert settings.database.url == f"sqlite+aiosqlite:///{tmp_path / 'selfservice.db'}"
    assert settings.environment == "production"
    assert not settings.demo_enabled


def test_the_generated_secret_survives_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    first = Settings.from_env().auth.secret_key
    second = Settings.from_env().auth.secret_key

    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first not in repr(Settings.from_env())


def test_a_bad_environment_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "prod")

    with pytest.raises(ValueError, match="APP_ENV"):
        Settings.from_env()


@pytest.mark.parametrize(
    ("host", "local"),
    [("localhost:8000", True), ("127.0.0.1", True), ("app.localhost", True), ("example.com", False), (None, False)],
)
def test_localhost_detection(host: str | None, local: bool) -> None:
    assert is_local(host) is local


def test_cookies_are_secure_except_on_localhost(tmp_path: Path) -> None:
    auth = Settings.from_env(data_dir=tmp_path).auth

    assert cookie_secure(auth, "example.com")
    assert not cookie_secure(auth, "localhost:8000")


def test_today_is_stockholm_time_not_utc() -> None:
    # 23:30 UTC on 31 December is already New Year's Day in Stockholm.
    clock = FixedClock(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))

    assert clock.today() == date(2027, 1, 1)
