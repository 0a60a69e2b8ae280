"""Signing in and out, cookies and Bearer tokens, CSRF, throttling."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ANNA, LENA, MARIA, login, problem


async def test_login_returns_token_and_user_and_sets_cookies(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})

    assert response.status_code == 200
    body = response.json()
    assert body["token"]
    assert body["user"]["email"] == ANNA
    assert body["user"]["roles"] == ["employee"]
    assert body["user"]["organisation"]["name"] == "Demo AB"
    assert body["user"]["manager_name"] == "Maria Berg"
    session_cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("selfservice_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie
    assert "Secure" not in session_cookie  # plain http on localhost during development


async def test_cookie_is_secure_when_not_on_localhost(app: Litestar) -> None:
    async with AsyncTestClient(app=app, base_url="http://selfservice.example.com") as client:
        response = await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})
    session_cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("selfservice_session="))
    assert "Secure" in session_cookie


async def test_me_with_cookie_session(client: AsyncTestClient[Litestar]) -> None:
    await client.post("/api/auth/login", json={"email": MARIA, "password": "demo1234"})

    response = await client.get("/api/me")

    assert response.status_code == 200
    assert response.json()["roles"] == ["employee", "manager"]


async def test_me_with_bearer_token(client: AsyncTestClient[Litestar]) -> None:
    headers = await login(client, LENA)

    response = await client.get("/api/me", headers=headers)

    assert response.status_code == 200
    assert response.json()["roles"] == ["employee", "payroll"]


async def test_wrong_password_is_401_problem_details(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post("/api/auth/login", json={"email": ANNA, "password": "wrong"})

    assert response.status_code == 401
    body = problem(response)
    assert body["code"] == "bad_credentials"
    assert body["title"] == "Fel e-post eller lösenord"


async def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post("/api/auth/login", json={"email": "nobody@demo.se", "password": "demo1234"})

    assert response.status_code == 401
    assert problem(response)["code"] == "bad_credentials"


async def test_english_messages_on_request(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/auth/login", json={"email": ANNA, "password": "wrong"}, headers={"accept-language": "en-GB,en;q=0.9"}
    )

    assert problem(response)["title"] == "Wrong e-mail or password"
    assert response.headers["content-language"] == "en"


async def test_requests_without_a_session_are_401(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/me")

    assert response.status_code == 401
    assert problem(response)["code"] == "not_authenticated"


async def test_a_forged_token_is_refused(client: AsyncTestClient[Litestar]) -> None:
    headers = await login(client, ANNA)
    header, payload, _signature = headers["authorization"].removeprefix("Bearer ").split(".")

    response = await client.get("/api/me", headers={"authorization": f"Bearer {header}.{payload}.AAAA"})

    assert response.status_code == 401


async def test_cookie_requests_that_change_things_need_the_csrf_token(client: AsyncTestClient[Litestar]) -> None:
    await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})

    without = await client.patch("/api/me", json={"locale": "en"})
    with_token = await client.patch(
        "/api/me", json={"locale": "en"}, headers={"x-csrf-token": client.cookies["selfservice_csrf"]}
    )

    assert without.status_code == 403
    assert problem(without)["code"] == "csrf_failed"
    assert with_token.status_code == 200
    assert with_token.json()["locale"] == "en"


async def test_bearer_requests_need_no_csrf_token(client: AsyncTestClient[Litestar]) -> None:
    headers = await login(client, ANNA)

    response = await client.patch("/api/me", json={"locale": "en"}, headers=headers)

    assert response.status_code == 200


async def test_logout_ends_the_session(client: AsyncTestClient[Litestar]) -> None:
    headers = await login(client, ANNA)

    logout = await client.post("/api/auth/logout", headers=headers)
    after = await client.get("/api/me", headers=headers)

    assert logout.status_code == 204
    assert after.status_code == 401


async def test_refresh_issues_a_new_working_token(client: AsyncTestClient[Litestar]) -> None:
    headers = await login(client, ANNA)

    response = await client.post("/api/auth/refresh", headers=headers)
    new_headers = {"authorization": f"Bearer {response.json()['token']}"}

    assert response.status_code == 200
    assert (await client.get("/api/me", headers=new_headers)).status_code == 200


async def test_the_session_check_answers_signed_out_without_an_error(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post("/api/auth/session")
    forged = await client.post("/api/auth/session", headers={"authorization": "Bearer not.a.token"})

    assert response.status_code == 200
    assert response.json()["signed_in"] is False
    assert response.json()["user"] is None
    assert not response.headers.get_list("set-cookie")
    assert forged.status_code == 200
    assert forged.json()["signed_in"] is False


async def test_the_session_check_renews_a_session_without_a_csrf_cookie(client: AsyncTestClient[Litestar]) -> None:
    await client.post("/api/auth/login", json={"email": MARIA, "password": "demo1234"})
    client.cookies.delete("selfservice_csrf")  # the browser was restarted: the CSRF cookie is gone

    response = await client.post("/api/auth/session")

    assert response.status_code == 200
    body = response.json()
    assert body["signed_in"] is True
    assert body["user"]["email"] == MARIA
    assert body["expires_at"]
    assert client.cookies["selfservice_csrf"]  # a new one, for the requests that follow
    new_headers = {"authorization": f"Bearer {body['token']}"}
    assert (await client.get("/api/me", headers=new_headers)).status_code == 200


async def test_a_renewal_keeps_the_csrf_token_so_requests_under_way_still_pass(
    client: AsyncTestClient[Litestar],
) -> None:
    await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})
    before = client.cookies["selfservice_csrf"]

    renewed = await client.post("/api/auth/session")
    refreshed = await client.post("/api/auth/refresh", headers={"x-csrf-token": before})
    sent_with_the_old_header = await client.patch("/api/me", json={"locale": "en"}, headers={"x-csrf-token": before})

    assert renewed.json()["signed_in"] is True
    assert refreshed.status_code == 200
    assert client.cookies["selfservice_csrf"] == before
    assert sent_with_the_old_header.status_code == 200


async def test_a_renewal_replaces_a_csrf_cookie_the_server_did_not_sign(client: AsyncTestClient[Litestar]) -> None:
    await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})
    forged = "0" * 64 + "1" * 64
    domain = next(cookie.domain for cookie in client.cookies.jar if cookie.name == "selfservice_csrf")
    client.cookies.delete("selfservice_csrf")
    client.cookies.set("selfservice_csrf", forged, domain=domain)

    await client.post("/api/auth/session")

    assert client.cookies["selfservice_csrf"] != forged


async def test_signing_in_again_gives_a_new_csrf_token(client: AsyncTestClient[Litestar]) -> None:
    await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})
    first = client.cookies["selfservice_csrf"]

    await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})

    assert client.cookies["selfservice_csrf"] != first


async def test_the_session_check_after_logout_is_signed_out(client: AsyncTestClient[Litestar]) -> None:
    headers = await login(client, ANNA)
    assert (await client.post("/api/auth/session", headers=headers)).json()["signed_in"] is True

    await client.post("/api/auth/logout", headers=headers)
    response = await client.post("/api/auth/session", headers=headers)

    assert response.status_code == 200
    assert response.json()["signed_in"] is False


async def test_demo_logins_are_refused_outside_demo_mode(app: Litestar) -> None:
    settings = app.state["settings"]
    from dataclasses import replace

    from backend.app import create_app

    production = create_app(replace(settings, environment="production"), app.state["clock"])
    async with AsyncTestClient(app=production, base_url="http://localhost") as client:
        response = await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})

    assert response.status_code == 401
