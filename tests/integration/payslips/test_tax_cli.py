"""`selfservice tax`: withholding for payroll staff and tools, and importing the official table file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backend.cli import main
from backend.config import DatabaseSettings
from backend.db import migrate
from tests.conftest import SHARED

OFFICIAL = SHARED / "payroll" / "skatteverket-allmanna-tabeller-manad-2026.txt"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    migrate.upgrade(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"))
    return {"DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "APP_ENV": "test"}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_withholding_prints_one_line_per_income(env: dict[str, str]) -> None:
    code, output = run(env, "tax", "withholding", "--year", "2026", "--table", "32", "--column", "1", "30000", "42000")

    assert code == 0
    assert output.splitlines() == ["30000\t5703", "42000\t8791"]


def test_column_three_for_those_born_1959_or_earlier(env: dict[str, str]) -> None:
    code, output = run(env, "tax", "withholding", "--year", "2026", "--table", "32", "--column", "3", "30000")

    assert code == 0
    assert output.splitlines() == ["30000\t2469"]


def test_the_imported_official_file_is_used_above_80000(env: dict[str, str]) -> None:
    if not OFFICIAL.exists():
        pytest.skip("../shared/payroll is not present")
    code, output = run(env, "tax", "import", str(OFFICIAL))
    assert code == 0, output
    assert "7966 rows" in output

    code, output = run(env, "tax", "withholding", "--year", "2026", "--table", "32", "80001")

    assert output.splitlines() == ["80001\t25600"]  # 32 % of 80,001, rounded down


def test_a_broken_file_is_refused_with_its_line(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "tabell-2026.txt"
    bad.write_text("garbage\n")

    code, output = run(env, "tax", "import", str(bad))

    assert code != 0
    assert "line 1" in output


def test_an_unknown_table_is_a_clear_error(env: dict[str, str]) -> None:
    code, output = run(env, "tax", "withholding", "--year", "2026", "--table", "99", "30000")

    assert code != 0
    assert "99" in output


def test_rates_import_loads_a_new_year_as_data(env: dict[str, str], tmp_path: Path) -> None:
    from importlib import resources

    from backend.core.rates_store import forget_loaded_rates

    text = resources.files("backend.domain.rates").joinpath("se-2026.toml").read_text(encoding="utf-8")
    new_year = tmp_path / "se-2027.toml"
    new_year.write_text(text.replace("year = 2026", "year = 2027", 1), encoding="utf-8")
    try:
        code, output = run(env, "rates", "import", str(new_year))
        again, _ = run(env, "rates", "import", str(new_year))
    finally:
        forget_loaded_rates()

    assert code == 0, output
    assert again == 0
    assert "Loaded the 2027 figures from se-2027.toml" in output


def test_rates_import_refuses_a_broken_file_naming_the_key(env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "se-2027.toml"
    broken.write_text("year = 2027\n[meta]\nsources = []\n[base]\nprisbasbelopp = 'many'\n", encoding="utf-8")

    code, output = run(env, "rates", "import", str(broken))

    assert code != 0
    assert "base.prisbasbelopp" in output
    assert "nothing was loaded" in output
