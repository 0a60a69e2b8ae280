"""E-mail as a second channel, delivered by the worker to a local SMTP server (aiosmtpd)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.notices.delivery import deliver_notifications
from backend.worker.context import WorkerContext
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.mail import Inbox, smtp_server


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    with smtp_server() as server:
        yield server


async def test_an_employee_who_chose_email_gets_the_decision_by_mail_with_a_link(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    worker: WorkerContext,
    smtp: tuple[int, Inbox],
) -> None:
    port, inbox = smtp
    mailing = dataclasses.replace(
        worker,
        settings=dataclasses.replace(
            worker.settings,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
            public_url="https://lon.example.se",
        ),
        tools={**worker.tools},
    )
    anna, maria = as_role["employee"], as_role["manager"]
    await client.put(
        "/api/notifications/preferences",
        json={"categories": [{"category": "item_decided", "push": True, "email": True}]},
        headers=anna,
    )
    claim = await submitted_claim(client, anna, title="Taxi")
    item = await inbox_item_for(client, maria, claim["id"])

    await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": "Kvitto saknas"}, headers=maria)
    while await deliver_notifications(mailing):
        pass

    [(to, message)] = inbox.messages
    assert to == ["anna.andersson@demo.se"]
    assert message["Subject"] == "Skickad tillbaka: Taxi"
    text = message.get_body(("plain",))
    assert text is not None
    content = text.get_content()
    assert "Maria Berg: Kvitto saknas" in content
    assert f"https://lon.example.se/expenses/claims/{claim['id']}" in content


async def test_without_an_smtp_server_email_deliveries_are_skipped_not_retried(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], worker: WorkerContext
) -> None:
    from sqlmodel import select

    from backend.db.models import Delivery

    anna, maria = as_role["employee"], as_role["manager"]
    await client.put(
        "/api/notifications/preferences",
        json={"categories": [{"category": "item_decided", "email": True}]},
        headers=anna,
    )
    claim = await submitted_claim(client, anna, title="Taxi")
    item = await inbox_item_for(client, maria, claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)

    await deliver_notifications(worker)

    async with worker.sessions() as session:
        [mail] = (await session.execute(select(Delivery).where(Delivery.channel == "email"))).scalars()
    assert (mail.state, mail.last_error) == ("skipped", "e-mail is not configured")
