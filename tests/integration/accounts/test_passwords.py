"""Changing one's password, resetting it by a link e-mailed through real SMTP, and the CLI."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.cli import main
from backend.config import DatabaseSettings, Settings
from backend.core.clock import FixedClock
from tests.conftest import ANNA, login, problem
from tests.support.mail import Inbox, smtp_server

pytestmark = pytest.mark.clockless

NEW = "a new long password"


@pytest.fixture
def inbox() -> Iterator[tuple[int, Inbox]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def settings(settings: Settings, inbox: tuple[int, Inbox]) -> Settings:
    """The app mails through the test's SMTP server."""
    return dataclasses.replace(
        settings, smtp_host="127.0.0.1", smtp_port=inbox[0], smtp_security="none", public_url="https://lon.example.se"
    )


def link_token(inbox: Inbox) -> str:
    [(_, message)] = inbox.messages
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"https://lon\.example\.se/password/reset#token=([\w-]+)", body.get_content())
    assert found is not None
    return found.group(1)


async def signs_in(client: AsyncTestClient[Litestar], password: str) -> bool:
    response = await client.post("/api/auth/login", json={"email": ANNA, "password": password})
    client.cookies.clear()
    return response.status_code == 200


async def test_changing_needs_the_current_password_and_ends_the_other_sessions(
    client: AsyncTestClient[Litestar],
) -> None:
    this, other = await login(client, ANNA), await login(client, ANNA)

    wrong = await client.post("/api/me/password", json={"current_password": "nope", "new_password": NEW}, headers=this)
    assert wrong.status_code == 422
    assert [e["field"] for e in problem(wrong)["errors"]] == ["current_password"]
    short = await client.post(
        "/api/me/password", json={"current_password": "demo1234", "new_password": "short"}, headers=this
    )
    assert short.status_code == 422
    assert "new_password" in short.text

    changed = await client.post(
        "/api/me/password", json={"current_password": "demo1234", "new_password": NEW}, headers=this
    )
    assert changed.status_code == 204
    assert (await client.get("/api/me", headers=this)).status_code == 200
    assert (await client.get("/api/me", headers=other)).status_code == 401
    assert not await signs_in(client, "demo1234")
    assert await signs_in(client, NEW)


async def test_a_reset_link_arrives_by_email_and_works_once(
    client: AsyncTestClient[Litestar], inbox: tuple[int, Inbox]
) -> None:
    asked = await client.post("/api/auth/password-reset/request", json={"email": ANNA})
    assert asked.status_code == 202
    [(to, message)] = inbox[1].messages
    assert to == [ANNA]
    assert "Välj nytt lösenord" in str(message["Subject"])
    token = link_token(inbox[1])

    reset = await client.post("/api/auth/password-reset", json={"token": token, "new_password": NEW})
    assert reset.status_code == 204
    again = await client.post("/api/auth/password-reset", json={"token": token, "new_password": NEW + "!"})
    assert again.status_code == 422
    assert problem(again)["errors"][0]["field"] == "token"
    assert await signs_in(client, NEW)


async def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client: AsyncTestClient[Litestar], inbox: tuple[int, Inbox]
) -> None:
    unknown = await client.post("/api/auth/password-reset/request", json={"email": "nobody@demo.se"})
    known = await client.post("/api/auth/password-reset/request", json={"email": ANNA})

    assert (unknown.status_code, unknown.content) == (known.status_code, known.content)
    assert [to for to, _ in inbox[1].messages] == [[ANNA]]


async def test_an_expired_link_is_refused(
    client: AsyncTestClient[Litestar], inbox: tuple[int, Inbox], clock: FixedClock
) -> None:
    await client.post("/api/auth/password-reset/request", json={"email": ANNA})
    token = link_token(inbox[1])

    clock.set(clock.now() + timedelta(minutes=31))
    expired = await client.post("/api/auth/password-reset", json={"token": token, "new_password": NEW})

    assert expired.status_code == 410
    assert problem(expired)["code"] == "reset_link_expired"
    assert await signs_in(client, "demo1234")


async def test_a_reset_ends_every_session_but_not_the_next_one(
    client: AsyncTestClient[Litestar], inbox: tuple[int, Inbox]
) -> None:
    session = await login(client, ANNA)
    await client.post("/api/auth/password-reset/request", json={"email": ANNA})

    await client.post("/api/auth/password-reset", json={"token": link_token(inbox[1]), "new_password": NEW})
    # Signed in again at once, usually within the second of the reset (a token's iat has whole seconds).
    after = await login(client, ANNA, NEW)

    assert (await client.get("/api/me", headers=session)).status_code == 401
    assert (await client.get("/api/me", headers=after)).status_code == 200


async def test_the_cli_sets_a_password_read_from_stdin(
    client: AsyncTestClient[Litestar], database: DatabaseSettings, tmp_path: Path
) -> None:
    env = {"DATA_DIR": str(tmp_path), "DATABASE_URL": database.url, "APP_ENV": "test"}
    if database.schema:
        env["DATABASE_SCHEMA"] = database.schema

    def run(email: str, password: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["users", "set-password", email], env=env, input=f"{password}\n")
        return result.exit_code, result.output

    code, output = await asyncio.to_thread(run, ANNA, "short")
    assert code != 0
    assert "12" in output
    code, output = await asyncio.to_thread(run, "nobody@demo.se", NEW)
    assert code != 0
    assert "no such account" in output

    code, output = await asyncio.to_thread(run, ANNA, NEW)
    assert code == 0, output
    assert await signs_in(client, NEW)


async def test_a_stranger_cannot_flood_a_mailbox_with_links(
    client: AsyncTestClient[Litestar], inbox: tuple[int, Inbox], clock: FixedClock
) -> None:
    for _ in range(5):
        assert (await client.post("/api/auth/password-reset/request", json={"email": ANNA})).status_code == 202
    assert len(inbox[1].messages) == 3

    clock.set(clock.now() + timedelta(minutes=31))
    await client.post("/api/auth/password-reset/request", json={"email": ANNA})
    assert len(inbox[1].messages) == 4
