"""Travel claims through the API: per diem and mileage by Skatteverket's rules, explained, and submitted.

The worked examples are those of ../shared/payroll/rates-2026.md.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.db.models import MileageLeg, TravelClaim
from tests.conftest import problem

# Monday 2 March 2026; the tests run on 23 November 2026.
TRIP = {
    "departure_at": "2026-03-02T08:00:00",
    "return_at": "2026-03-04T17:00:00",
    "purpose": "Workshop med kund",
    "destination": "Göteborg",
    "distance_from_home_km": "470",
    "distance_from_workplace_km": "470",
}
EXAMPLE_NORMALBELOPP = "year,country_code,country_name,amount_sek\n2026,DE,Tyskland (test),1000\n"


async def count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def put_claim(client: AsyncTestClient[Litestar], headers: dict[str, str], **changes: Any) -> Any:
    return await client.put(f"/api/travel-claims/{uuid.uuid4()}", json={**TRIP, **changes}, headers=headers)


async def policy(client: AsyncTestClient[Litestar], payroll: dict[str, str], year: int, **values: str) -> None:
    response = await client.put(f"/api/organisation/policies/{year}", json=values, headers=payroll)
    assert response.status_code == 200, response.text


async def test_a_two_night_trip_with_hotel_paid_is_300_300_150_and_every_day_is_explained(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await put_claim(client, as_role["employee"])

    assert response.status_code == 201, response.text
    per_diem = response.json()["per_diem"]
    assert per_diem["qualifies"] is True
    assert per_diem["tax_free"] == "750.00"
    assert per_diem["taxable"] == "0.00"
    assert [d["tax_free"] for d in per_diem["days"]] == ["300.00", "300.00", "150.00"]
    assert [d["rule"] for d in per_diem["days"]] == [
        "per_diem.full_day",
        "per_diem.full_day",
        "per_diem.half_day_return",
    ]
    assert "halvdag" in per_diem["days"][2]["explanation"]
    assert "17:00" in per_diem["days"][2]["explanation"]
    assert response.json()["totals"]["total"] == "750.00"


async def test_a_free_lunch_on_tuesday_reduces_the_day_by_105(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await put_claim(
        client, {**as_role["employee"], "accept-language": "en"}, meals=[{"date": "2026-03-03", "lunch": True}]
    )

    per_diem = response.json()["per_diem"]
    assert per_diem["tax_free"] == "645.00"
    tuesday = per_diem["days"][1]
    assert tuesday["meals_provided"] == ["lunch"]
    assert tuesday["meal_reduction"] == "105.00"
    assert "free lunch" in tuesday["explanation"]
    assert response.json()["meals"] == [{"date": "2026-03-03", "breakfast": False, "lunch": True, "dinner": False}]


async def test_two_nights_in_own_lodging_give_a_night_allowance_of_300(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await put_claim(client, as_role["employee"], lodging_paid_by_employer=False)

    days = response.json()["per_diem"]["days"]
    assert sum(float(d["night"]["tax_free"]) for d in days if d["night"]) == 300
    assert days[0]["night"]["lodging"] == "own_arrangement"
    assert days[2]["night"] is None
    assert response.json()["per_diem"]["tax_free"] == "1050.00"


async def test_an_employer_paying_400_a_day_pays_300_taxable_over_three_full_days(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    await policy(client, as_role["payroll"], 2026, per_diem_full_day="400")

    response = await put_claim(
        client, as_role["employee"], departure_at="2026-03-02T06:00:00", return_at="2026-03-04T20:00:00"
    )

    per_diem = response.json()["per_diem"]
    assert per_diem["paid"] == "1200.00"
    assert per_diem["tax_free"] == "900.00"
    assert per_diem["taxable"] == "300.00"
    assert response.json()["totals"]["taxable"] == "300.00"


async def test_mileage_for_company_cars_is_380_electric_and_480_petrol_for_40_mil(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    legs = [
        {
            "date": "2026-03-02",
            "from_place": "Stockholm",
            "to_place": "Örebro",
            "distance_km": "400",
            "vehicle": vehicle,
        }
        for vehicle in ("company_car_electric", "company_car_fossil")
    ]

    response = await put_claim(client, as_role["employee"], mileage=legs)

    mileage = response.json()["mileage"]
    assert [leg["tax_free"] for leg in mileage["legs"]] == ["380.00", "480.00"]
    assert [leg["taxable"] for leg in mileage["legs"]] == ["0.00", "0.00"]
    assert "förmånsbil (el)" in mileage["legs"][0]["explanation"]


async def test_own_car_312_km_at_30_kr_per_mil_is_936_of_which_156_taxable(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    await policy(client, as_role["payroll"], 2026, mileage_rate_per_mil="30")
    leg = {
        "date": "2026-03-02",
        "from_place": "Stockholm",
        "to_place": "Göteborg",
        "distance_km": "312",
        "purpose": "Kund",
    }

    response = await put_claim(client, as_role["employee"], mileage=[leg])

    line = response.json()["mileage"]["legs"][0]
    assert (line["paid"], line["tax_free"], line["taxable"]) == ("936.00", "780.00", "156.00")
    assert line["rate_per_mil"] == "30.00"
    assert line["tax_free_max_per_mil"] == "25.00"
    assert response.json()["totals"]["total"] == "1686.00"


async def test_each_day_uses_the_figures_of_its_own_year(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    in_2025 = await put_claim(
        client, as_role["employee"], departure_at="2025-03-03T08:00:00", return_at="2025-03-05T17:00:00"
    )
    new_year = await put_claim(
        client, as_role["employee"], departure_at="2025-12-30T08:00:00", return_at="2026-01-01T17:00:00"
    )

    assert [d["tax_free"] for d in in_2025.json()["per_diem"]["days"]] == ["290.00", "290.00", "145.00"]
    assert [(d["date"], d["tax_free"]) for d in new_year.json()["per_diem"]["days"]] == [
        ("2025-12-30", "290.00"),
        ("2025-12-31", "290.00"),
        ("2026-01-01", "150.00"),
    ]


async def test_per_diem_abroad_comes_from_the_loaded_normalbelopp(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    loaded = await client.post(
        "/api/travel/normalbelopp",
        content=EXAMPLE_NORMALBELOPP.encode(),
        headers={**as_role["payroll"], "content-type": "text/csv"},
    )
    listed = (await client.get("/api/travel/normalbelopp", params={"year": 2026}, headers=as_role["employee"])).json()

    response = await put_claim(client, as_role["employee"], country_code="de", destination="Berlin")

    assert loaded.json() == {"years": [2026], "loaded": 1}
    assert listed == [{"year": 2026, "country_code": "DE", "country_name": "Tyskland (test)", "amount": "1000.00"}]
    assert response.json()["country_code"] == "DE"
    assert [d["tax_free"] for d in response.json()["per_diem"]["days"]] == ["1000.00", "1000.00", "500.00"]
    assert "normalbelopp" in response.json()["per_diem"]["days"][0]["explanation"]


async def test_a_bad_normalbelopp_file_names_the_line_and_changes_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    bad = EXAMPLE_NORMALBELOPP + "2026,NO,Norge,-5\n"

    response = await client.post("/api/travel/normalbelopp", content=bad.encode(), headers=as_role["payroll"])
    listed = (await client.get("/api/travel/normalbelopp", headers=as_role["payroll"])).json()

    assert response.status_code == 422
    assert "rad 3" in problem(response)["detail"]
    assert listed == []


async def test_bad_input_is_refused_with_every_problem_and_nothing_is_stored(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    anna = as_role["employee"]
    leg = {"date": "2026-03-02", "from_place": "A", "to_place": "B", "distance_km": "-12"}

    backwards = await put_claim(client, anna, return_at="2026-03-01T17:00:00", mileage=[leg])
    unknown_country = await put_claim(client, anna, country_code="FR")

    assert backwards.status_code == 422
    assert {(e["field"], e["code"]) for e in problem(backwards)["errors"]} >= {
        ("return_at", "travel.return_before_departure"),
        ("mileage.0.distance_km", "travel.negative_distance"),
    }
    assert unknown_country.status_code == 422
    assert [(e["field"], e["code"]) for e in problem(unknown_country)["errors"]] == [
        ("country_code", "travel.unknown_country")
    ]
    assert "FR" in problem(unknown_country)["errors"][0]["message"]
    assert await count(engine, TravelClaim) == 0
    assert await count(engine, MileageLeg) == 0


async def test_a_trip_without_an_overnight_stay_has_no_per_diem_and_says_why(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await put_claim(client, as_role["employee"], return_at="2026-03-02T19:00:00")

    per_diem = response.json()["per_diem"]
    assert per_diem["qualifies"] is False
    assert per_diem["rule"] == "per_diem.no_overnight_stay"
    assert "övernattning" in per_diem["explanation"]


async def test_submit_the_claim_for_attest_with_the_same_up_front_validation(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    claim_id = str(uuid.uuid4())
    incomplete = {**TRIP, "purpose": None, "destination": " "}
    await client.put(f"/api/travel-claims/{claim_id}", json=incomplete, headers=anna)

    refused = await client.post(f"/api/travel-claims/{claim_id}/submit", headers=anna)
    await client.put(f"/api/travel-claims/{claim_id}", json=TRIP, headers=anna)
    submitted = await client.post(f"/api/travel-claims/{claim_id}/submit", headers=anna)
    change = await client.put(f"/api/travel-claims/{claim_id}", json=TRIP, headers=anna)
    inbox = (await client.get("/api/attest/inbox", headers=maria)).json()
    listed = (await client.get("/api/travel-claims", headers=anna)).json()

    assert {e["code"] for e in problem(refused)["errors"]} == {"travel.purpose_required", "travel.destination_required"}
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["state"] == "submitted"
    assert change.status_code == 409
    item = next(i for i in inbox["items"] if i["kind"] == "travel_claim")
    assert item["amount"] == "750.00"
    assert item["subject_id"] == claim_id
    assert listed[0]["state"] == "submitted"
    assert listed[0]["total"] == "750.00"


async def test_an_expense_belongs_to_an_expense_claim_or_a_travel_claim_not_both(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    hotel_id = str(uuid.uuid4())
    hotel = {"expense_date": "2026-03-03", "merchant": "Hotell Gothia", "amount": "1450.00", "category": "hotel"}
    await client.put(f"/api/expenses/{hotel_id}", json=hotel, headers=anna)
    claim_id = str(uuid.uuid4())

    attached = await client.put(
        f"/api/travel-claims/{claim_id}", json={**TRIP, "expense_ids": [hotel_id]}, headers=anna
    )
    into_expense_claim = await client.put(
        f"/api/expense-claims/{uuid.uuid4()}", json={"title": "Mars", "expense_ids": [hotel_id]}, headers=anna
    )
    submit = await client.post(f"/api/travel-claims/{claim_id}/submit", headers=anna)
    expense = (await client.get(f"/api/expenses/{hotel_id}", headers=anna)).json()

    assert attached.status_code == 201, attached.text
    assert attached.json()["expenses"][0]["merchant"] == "Hotell Gothia"
    assert attached.json()["totals"]["total"] == "2200.00"
    assert expense["travel_claim_id"] == claim_id
    assert (await client.get("/api/travel-claims", headers=anna)).json()[0]["total"] == "2200.00"
    assert into_expense_claim.status_code == 422
    assert problem(into_expense_claim)["errors"][0]["code"] == "in_travel_claim"
    # The expense has no receipt: the claim cannot be submitted until it has one.
    assert submit.status_code == 422
    assert all(e["field"].startswith("expenses.0.") for e in problem(submit)["errors"])


async def test_an_expense_in_an_expense_claim_cannot_be_attached_to_a_trip(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    expense_id = str(uuid.uuid4())
    await client.put(f"/api/expenses/{expense_id}", json={"amount": "100.00"}, headers=anna)
    await client.put(
        f"/api/expense-claims/{uuid.uuid4()}", json={"title": "Mars", "expense_ids": [expense_id]}, headers=anna
    )

    response = await put_claim(client, anna, expense_ids=[expense_id])

    assert response.status_code == 422
    assert problem(response)["errors"][0]["code"] == "travel.expense_in_expense_claim"


async def test_only_payroll_and_administrators_load_normalbelopp(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.post(
        "/api/travel/normalbelopp", content=EXAMPLE_NORMALBELOPP.encode(), headers=as_role["employee"]
    )

    assert response.status_code == 403
