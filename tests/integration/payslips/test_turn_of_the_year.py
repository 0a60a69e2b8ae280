"""The turn of the year: a year whose figures are not loaded yet computes with the latest earlier year's, and says so.

Only 2025 and 2026 ship with the package; payslips paid in 2027 fall back to 2026's figures with a warning to the
employee and, on the overview, to payroll (what to load and how). ``rates import`` loads a year as data.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from typing import Any

import pypdfium2
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.database import session_maker
from backend.core.rates_store import forget_loaded_rates, import_rates
from backend.domain.errors import RatesDataError
from backend.domain.rates import VehicleKind, available_years, rates_for
from tests.conftest import Org
from tests.support.jobs import RunJobs, pay_run

FALLBACK_SV = "Beräknad med 2026 års belopp; 2027 års belopp är inte inlästa."


@pytest.fixture(autouse=True)
def no_loaded_years() -> Iterator[None]:
    """Each test starts and ends with only the shipped years (tests switch databases in one process)."""
    forget_loaded_rates()
    yield
    forget_loaded_rates()


def se_2026() -> str:
    return resources.files("backend.domain.rates").joinpath("se-2026.toml").read_text(encoding="utf-8")


def as_2027(text: str, *, per_mil: str = "25.00") -> str:
    """The 2026 file restated as 2027 with one changed figure (own car per mil), to see it used."""
    changed = text.replace("year = 2026", "year = 2027", 1).replace("own_car = 25.00", f"own_car = {per_mil}", 1)
    assert changed != text
    return changed


async def finalise(client: AsyncTestClient[Litestar], payroll: dict[str, str], period: str, run_jobs: RunJobs) -> None:
    response = await pay_run(client, payroll, {"period": period}, run_jobs)
    assert response.status_code == 201, response.text


async def get_json(client: AsyncTestClient[Litestar], path: str, headers: dict[str, str]) -> Any:
    response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_after_december_is_paid_january_2027_is_computed_with_2026_figures_and_says_so(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    await finalise(client, lena, "2026-12", run_jobs=run_jobs)

    december = await get_json(client, "/api/payslips/preliminary?period=2026-12", anna)
    january = await get_json(client, "/api/payslips/preliminary", anna)
    listed = await get_json(client, "/api/payslips", anna)
    pdf = await client.get("/api/payslips/pdf", headers=anna)
    overview = await get_json(client, "/api/payroll/overview", lena)
    overview_en = await get_json(client, "/api/payroll/overview", {**lena, "accept-language": "en"})

    assert december["pay_date"].startswith("2026-12")
    assert december["year_to_date"]["year"] == 2026
    assert january["period"] == "2027-01"
    assert january["pay_date"].startswith("2027-01")
    assert january["preliminary"] is True
    assert january["gross_pay"] == "42000.00"
    assert Decimal(january["tax"]) == Decimal(december["tax"])  # the 2026 table, as December
    assert [w["message"] for w in january["warnings"] if w["code"] == "rates_year_not_loaded"] == [FALLBACK_SV]
    # Year to date restarts with the pay date's year: January alone.
    assert january["year_to_date"]["year"] == 2027
    assert january["year_to_date"]["gross_pay"] == january["gross_pay"]
    assert january["year_to_date"]["tax"] == january["tax"]
    assert [(s["period"], s["preliminary"]) for s in listed] == [
        ("2027-01", True),
        ("2026-12", False),
        ("2026-11", False),
    ]
    assert pdf.status_code == 200, pdf.text
    pdf_text = pypdfium2.PdfDocument(io.BytesIO(pdf.content))[0].get_textpage().get_text_range()
    assert "2027" in pdf_text
    assert "Beräknad med 2026 års belopp" in pdf_text
    assert overview["period"] == "2027-01"
    assert overview["employees"] == 25
    assert [w["code"] for w in overview["warnings"]] == ["rates_year_not_loaded"]
    assert "selfservice rates import se-2027.toml" in overview["warnings"][0]["message"]
    assert "2027 figures" in overview_en["warnings"][0]["message"]
    # Said once above the rows, not on each of the 25.
    assert all(w["code"] != "rates_year_not_loaded" for row in overview["rows"] for w in row["warnings"])


async def test_once_2027_is_imported_the_payslip_uses_it_without_the_warning(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine, run_jobs: RunJobs
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    await finalise(client, lena, "2026-12", run_jobs=run_jobs)
    async with session_maker(engine)() as session:
        loaded = await import_rates(session, as_2027(se_2026(), per_mil="26.50"), who="test", source="se-2027.toml")
    forget_loaded_rates()  # as another process that has not seen the import: it reads the stored year

    january = await get_json(client, "/api/payslips/preliminary", anna)
    overview = await get_json(client, "/api/payroll/overview", lena)

    assert loaded.year == 2027
    assert 2027 in available_years()
    assert rates_for(2027).mileage.per_mil[VehicleKind.OWN_CAR] == Decimal("26.50")
    assert all(w["code"] != "rates_year_not_loaded" for w in january["warnings"])
    assert overview["warnings"] == []


async def test_a_broken_rates_file_is_refused_naming_the_key_and_nothing_is_loaded(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org
) -> None:
    broken = as_2027(se_2026()).replace("standard_rate = 0.3142", "standard_rate = 0.3142\nstandrad_rate = 0.31")

    async with session_maker(engine)() as session:
        with pytest.raises(RatesDataError) as caught:
            await import_rates(session, broken, who="test", source="se-2027.toml")

    assert "employer_contributions.standrad_rate" in caught.value.message.en
    assert caught.value.field == "employer_contributions.standrad_rate"
    assert 2027 not in available_years()
    assert rates_for(2027).year == 2026
