"""Single sign-on at the organisation's own OpenID Provider: a real certified provider (oidc-provider on Node).

The person's part at the provider (log in, consent) is done by a small HTTP user agent; the
browser journey is in tests/e2e/test_single_sign_on.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.accounts.single_sign_on import CALLBACK_PATH, MatchBy, configure
from backend.cli import main
from backend.config import DatabaseSettings, Settings
from backend.core.database import session_maker
from backend.db.models import Account, AccountRole, SingleSignOnIdentity
from tests.conftest import ANNA, MARIA, Org, problem
from tests.support.openid_provider import RunningProvider, openid_provider, sign_in_at_provider

pytestmark = pytest.mark.clockless

PUBLIC_URL = "http://127.0.0.1:8000"
REDIRECT_URI = PUBLIC_URL + CALLBACK_PATH
NEWCOMER = "ny.medarbetare@demo.se"
ACCOUNTS = {
    "u-7731": {"email": "someone.else@elsewhere.se", "email_verified": True},
    "unverified": {"email": ANNA, "email_verified": False},
}


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    with openid_provider([REDIRECT_URI], ACCOUNTS) as running:
        yield running


async def set_up(
    engine: AsyncEngine,
    demo: Org,
    provider: RunningProvider,
    *,
    match_by: MatchBy = "email",
    provisioning: bool = False,
) -> None:
    async with session_maker(engine)() as session:
        await configure(
            session,
            demo.id,
            email_domain="demo.se",
            issuer=provider.issuer,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            match_by=match_by,
            provisioning=provisioning,
        )


async def start(client: AsyncTestClient[Litestar], email: str) -> str:
    started = await client.post("/api/auth/sso/start", json={"email": email})
    assert started.status_code == 200, started.text
    url: str = started.json()["authorization_url"]
    return url


async def come_back(client: AsyncTestClient[Litestar], callback_url: str) -> str:
    """Follow the provider's redirect into the app; where the app sends the browser next."""
    parts = urlsplit(callback_url)
    response = await client.get(f"{parts.path}?{parts.query}", follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def sign_in(client: AsyncTestClient[Litestar], email: str, login: str | None = None) -> str:
    url = await start(client, email)
    callback = await asyncio.to_thread(sign_in_at_provider, url, login or email, REDIRECT_URI)
    return await come_back(client, callback)


async def test_an_employee_signs_in_at_the_organisations_provider(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, provider: RunningProvider
) -> None:
    await set_up(engine, demo, provider)

    url = await start(client, ANNA)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(provider.issuer + "/auth?")
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == [REDIRECT_URI]
    assert query["login_hint"] == [ANNA]

    callback = await asyncio.to_thread(sign_in_at_provider, url, ANNA, REDIRECT_URI)
    assert await come_back(client, callback) == "/"
    me = await client.get("/api/me")
    assert me.status_code == 200, me.text
    assert me.json()["email"] == ANNA

    async with session_maker(engine)() as session:
        [identity] = (await session.execute(select(SingleSignOnIdentity))).scalars()
    assert (identity.issuer, identity.subject, identity.account_id) == (provider.issuer, ANNA, demo.accounts[ANNA])

    # The code was used: the same answer again (a replayed or stolen redirect) signs nobody in.
    client.cookies.clear()
    assert await come_back(client, callback) == "/login?sso_error=sso_failed"
    assert (await client.get("/api/me")).status_code == 401


async def test_the_providers_answer_counts_only_in_the_browser_that_asked(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, provider: RunningProvider
) -> None:
    """Login CSRF: a code sent to someone else's browser, or a state not of this sign-in, is refused."""
    await set_up(engine, demo, provider)
    url = await start(client, ANNA)
    callback = await asyncio.to_thread(sign_in_at_provider, url, ANNA, REDIRECT_URI)

    flow = client.cookies.get("sso_flow")
    client.cookies.clear()
    assert await come_back(client, callback) == "/login?sso_error=sso_failed"

    assert flow is not None
    client.cookies.set("sso_flow", flow, path="/api/auth/sso")
    parts = urlsplit(callback)
    forged = parts.query.replace("state=", "state=x")
    assert await come_back(client, f"{parts.path}?{forged}") == "/login?sso_error=sso_failed"
    assert (await client.get("/api/me")).status_code == 401


async def test_people_without_an_account_are_refused_unless_the_employer_turns_provisioning_on(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, provider: RunningProvider
) -> None:
    await set_up(engine, demo, provider)
    assert await sign_in(client, NEWCOMER) == "/login?sso_error=sso_no_account"
    assert (await client.get("/api/me")).status_code == 401

    await set_up(engine, demo, provider, provisioning=True)
    assert await sign_in(client, NEWCOMER) == "/"
    me = (await client.get("/api/me")).json()
    assert (me["email"], me["roles"], me["employee_id"]) == (NEWCOMER, ["employee"], None)
    async with session_maker(engine)() as session:
        account = (await session.execute(select(Account).where(col(Account.email) == NEWCOMER))).scalar_one()
        roles = (await session.execute(select(AccountRole.role).where(col(AccountRole.account_id) == account.id))).all()
    assert account.organisation_id == demo.id
    assert [role for (role,) in roles] == ["employee"]

    # The new account has no password: nobody can sign in to it with one.
    client.cookies.clear()
    refused = await client.post("/api/auth/login", json={"email": NEWCOMER, "password": "a long guess at nothing"})
    assert refused.status_code == 401
    assert problem(refused)["code"] == "bad_credentials"


async def test_an_unverified_address_is_not_enough_to_match(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, provider: RunningProvider
) -> None:
    await set_up(engine, demo, provider)
    assert await sign_in(client, ANNA, login="unverified") == "/login?sso_error=sso_no_account"


async def test_a_deactivated_account_cannot_sign_in_by_single_sign_on(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, provider: RunningProvider
) -> None:
    await set_up(engine, demo, provider)
    async with session_maker(engine)() as session:
        account = await session.get(Account, demo.accounts[MARIA])
        assert account is not None
        account.active = False
        await session.commit()
    assert await sign_in(client, MARIA) == "/login?sso_error=sso_no_account"


async def test_matching_by_subject_accepts_only_identities_linked_by_the_cli(
    client: AsyncTestClient[Litestar],
    engine: AsyncEngine,
    demo: Org,
    provider: RunningProvider,
    database: DatabaseSettings,
    tmp_path: Path,
) -> None:
    env = {"DATA_DIR": str(tmp_path), "DATABASE_URL": database.url, "APP_ENV": "test"}
    if database.schema:
        env["DATABASE_SCHEMA"] = database.schema

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    output = await asyncio.to_thread(
        cli,
        "sso", "set", "--organisation", "Demo AB", "--domain", "demo.se", "--issuer", provider.issuer,
        "--client-id", provider.client_id, "--client-secret", provider.client_secret, "--match-by", "subject",
    )  # fmt: skip
    assert "demo.se" in output

    # Matched by subject, the provider's e-mail counts for nothing until the subject is linked.
    assert await sign_in(client, ANNA) == "/login?sso_error=sso_no_account"
    await asyncio.to_thread(cli, "sso", "link", MARIA, "--issuer", provider.issuer, "--subject", "u-7731")
    assert await sign_in(client, MARIA, login="u-7731") == "/"
    assert (await client.get("/api/me")).json()["email"] == MARIA


async def test_an_address_without_single_sign_on_is_told_so_naming_the_field(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, provider: RunningProvider
) -> None:
    await set_up(engine, demo, provider)
    for language, words in (("sv", "lösenord"), ("en", "password")):
        response = await client.post(
            "/api/auth/sso/start", json={"email": "someone@example.org"}, headers={"accept-language": language}
        )
        assert response.status_code == 422
        [error] = problem(response)["errors"]
        assert (error["field"], error["code"]) == ("email", "no_single_sign_on")
        assert words in error["message"]


async def test_a_provider_that_does_not_answer_gives_a_retryable_503(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, settings: Settings
) -> None:
    gone = RunningProvider("http://127.0.0.1:9", "selfservice", "secret")
    await set_up(engine, demo, gone)
    response = await client.post("/api/auth/sso/start", json={"email": ANNA})
    assert response.status_code == 503
    assert problem(response)["code"] == "sso_unavailable"
    assert response.headers["retry-after"] == "30"


async def test_after_signing_in_the_person_lands_where_they_were_heading_and_never_on_another_site(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org, provider: RunningProvider
) -> None:
    await set_up(engine, demo, provider)
    for elsewhere in ("//evil.example/x", "https://evil.example", "/\\evil.example", "expenses"):
        refused = await client.post("/api/auth/sso/start", json={"email": ANNA, "next": elsewhere})
        assert refused.status_code == 422, elsewhere
        assert [e["field"] for e in problem(refused)["errors"]] == ["next"]

    started = await client.post("/api/auth/sso/start", json={"email": ANNA, "next": "/expenses?tab=drafts"})
    assert started.status_code == 200, started.text
    url = started.json()["authorization_url"]
    callback = await asyncio.to_thread(sign_in_at_provider, url, ANNA, REDIRECT_URI)
    assert await come_back(client, callback) == "/expenses?tab=drafts"
