"""The notification API: devices, the list, marking read, choices, and refusing what is wrong or not yours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from notifications.vapid import b64url_decode
from tests.conftest import NOW, problem
from tests.integration.notices.conftest import Deliver, Subscribe
from tests.integration.notices.helpers import deliveries, devices
from tests.support.fake_push_service import FakePushService
from tests.support.flows import inbox_item_for, submitted_claim

P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


async def test_the_application_server_key_is_a_p256_point(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    body = (await client.get("/api/push/key", headers=as_role["employee"])).json()

    point = b64url_decode(body["application_server_key"])
    assert len(point) == 65
    assert point[0] == 4


async def test_subscribing_the_same_device_twice_keeps_one_row_and_unsubscribe_removes_it(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    anna = as_role["employee"]
    body = {
        "endpoint": "https://push.example.net/send/abc",
        "expirationTime": None,
        "keys": {"p256dh": P256DH, "auth": AUTH},
    }

    first = await client.post("/api/push/subscriptions", json=body, headers=anna)
    again = await client.post("/api/push/subscriptions", json=body, headers=anna)
    rows = await devices(engine)
    gone = await client.post("/api/push/unsubscribe", json={"endpoint": body["endpoint"]}, headers=anna)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert len(rows) == 1
    assert gone.status_code == 204
    assert await devices(engine) == []


async def test_a_device_signed_in_as_someone_else_moves_to_them(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    body = {"endpoint": "https://push.example.net/send/shared", "keys": {"p256dh": P256DH, "auth": AUTH}}
    await client.post("/api/push/subscriptions", json=body, headers=as_role["employee"])

    await client.post("/api/push/subscriptions", json=body, headers=as_role["manager"])
    not_annas_to_remove = await client.post(
        "/api/push/unsubscribe", json={"endpoint": body["endpoint"]}, headers=as_role["employee"]
    )

    [device] = await devices(engine)
    assert not_annas_to_remove.status_code == 204
    assert device.endpoint == body["endpoint"]
    assert (await client.get("/api/notifications/preferences", headers=as_role["manager"])).json()["devices"] == 1


async def test_bad_subscriptions_are_refused_with_every_problem_at_once(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    # Plain http is allowed in tests (the local fake push service); other schemes never are.
    response = await client.post(
        "/api/push/subscriptions",
        json={"endpoint": "ftp://push.example.net/x", "keys": {"p256dh": "AAAA", "auth": "c2hvcnQ"}},
        headers=as_role["employee"],
    )

    body = problem(response)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("endpoint", "not_https"),
        ("keys.p256dh", "invalid_key"),
        ("keys.auth", "invalid_key"),
    ]


async def test_a_misspelt_field_is_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.post(
        "/api/push/subscriptions",
        json={"endpoint": "https://push.example.net/x", "key": {"p256dh": P256DH, "auth": AUTH}},
        headers=as_role["employee"],
    )

    assert response.status_code == 422
    assert problem(response)["code"] == "validation_failed"


async def test_preferences_round_trip_and_unknown_categories_or_times_are_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    defaults = (await client.get("/api/notifications/preferences", headers=anna)).json()

    saved = await client.put(
        "/api/notifications/preferences",
        json={
            "categories": [
                {"category": "submit_reminder", "push": False, "email": True},
                {"category": "item_decided", "push": True, "during_quiet_hours": True},
            ],
            "quiet_hours": {"enabled": True, "start": "21:30", "end": "06:45"},
        },
        headers=anna,
    )
    bad = await client.put(
        "/api/notifications/preferences",
        json={"categories": [{"category": "lunch"}], "quiet_hours": {"start": "25:00", "end": "7"}},
        headers=anna,
    )

    assert defaults["quiet_hours"] == {
        "enabled": True,
        "start": "20:00",
        "end": "07:00",
        "timezone": "Europe/Stockholm",
    }
    assert all(c["push"] and not c["email"] and c["in_app"] for c in defaults["categories"])
    assert defaults["email_available"] is False
    choices: dict[str, Any] = {c["category"]: c for c in saved.json()["categories"]}
    assert (choices["submit_reminder"]["push"], choices["submit_reminder"]["email"]) == (False, True)
    assert choices["item_decided"]["during_quiet_hours"] is True
    assert choices["attest_digest"]["push"] is True
    assert saved.json()["quiet_hours"]["start"] == "21:30"
    assert bad.status_code == 422
    assert [(e["field"], e["code"]) for e in problem(bad)["errors"]] == [
        ("categories.0.category", "unknown_category"),
        ("quiet_hours.start", "invalid_time"),
        ("quiet_hours.end", "invalid_time"),
    ]


async def test_quiet_hours_can_be_turned_off(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    saved = await client.put(
        "/api/notifications/preferences", json={"quiet_hours": {"enabled": False}}, headers=as_role["employee"]
    )

    assert saved.json()["quiet_hours"]["enabled"] is False


async def test_the_list_marks_read_one_or_all_and_nobody_reads_anothers(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    for minutes, title in enumerate(("Taxi", "Hotell")):
        clock.set(NOW + timedelta(minutes=minutes))
        claim = await submitted_claim(client, anna, title=title)
        item = await inbox_item_for(client, maria, claim["id"])
        await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    annas = (await client.get("/api/notifications", headers=anna)).json()
    first = annas["items"][0]

    read = await client.post(f"/api/notifications/{first['id']}/read", headers=anna)
    marias_try = await client.post(f"/api/notifications/{first['id']}/read", headers=maria)
    count = (await client.get("/api/notifications/unread-count", headers=anna)).json()
    unread_only = (await client.get("/api/notifications?unread_only=true", headers=anna)).json()
    everything = await client.post("/api/notifications/read-all", headers=anna)
    english = (await client.get("/api/notifications", headers={**anna, "accept-language": "en"})).json()

    assert annas["unread"] == 2
    assert [n["title"] for n in annas["items"]] == ["Attesterad: Hotell", "Attesterad: Taxi"]
    assert read.json()["read_at"] is not None
    assert marias_try.status_code == 404
    assert problem(marias_try)["code"] == "not_found"
    assert count == {"unread": 1}
    assert [n["title"] for n in unread_only["items"]] == ["Attesterad: Taxi"]
    assert everything.json() == {"unread": 0}
    assert english["unread"] == 0
    assert english["items"][0]["title"] == "Approved: Hotell"
    marias = (await client.get("/api/notifications", headers=maria)).json()
    assert all(n["category"] == "attest_digest" for n in marias["items"])


async def test_a_test_notification_reaches_each_of_my_devices_at_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
) -> None:
    anna = as_role["employee"]
    phone, laptop = await subscribe(anna), await subscribe(anna)
    someone_else = await subscribe(as_role["manager"])

    sent = await client.post("/api/notifications/test", headers=anna)
    await deliver()

    assert sent.status_code == 202
    assert sent.json()["devices"] == 2
    assert [p.json()["title"] for p in push_service.delivered(phone.id)] == ["Testnotis från Självservice"]
    assert len(push_service.delivered(laptop.id)) == 1
    assert push_service.received(someone_else.id) == []


async def test_a_device_that_moved_to_someone_else_never_gets_the_first_persons_waiting_notices(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    deliver: Deliver,
    engine: AsyncEngine,
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    shared = await subscribe(anna)
    await client.post("/api/notifications/test", headers=anna)  # waiting in the outbox

    moved = await client.post("/api/push/subscriptions", json=shared.fake.to_json(), headers=maria)
    await deliver()

    assert moved.status_code == 200
    assert push_service.received(shared.id) == []
    assert [d.state for d in await deliveries(engine)] == ["gone"]
