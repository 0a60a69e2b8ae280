"""VAPID keys: generated, stored, loaded, kept secret; tokens signed once per push service."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from notifications.vapid import VapidKeys, VapidSigner, b64url_decode, origin_of


def test_application_server_key_is_the_uncompressed_public_point_in_base64url_without_padding() -> None:
    keys = VapidKeys.generate()

    key = keys.application_server_key

    assert "=" not in key
    assert set(key) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    point = b64url_decode(key)
    assert len(point) == 65
    assert point[0] == 0x04


def test_a_key_survives_being_stored_as_pem_and_as_one_line() -> None:
    keys = VapidKeys.generate()

    assert VapidKeys.from_pem(keys.private_pem()) == keys
    assert VapidKeys.from_text(keys.private_pem().decode()) == keys
    assert VapidKeys.from_text(keys.private_key_base64url()) == keys


def test_the_private_key_never_shows_in_repr_or_str() -> None:
    keys = VapidKeys.generate()
    secret_pem = keys.private_pem().decode()
    secret_line = keys.private_key_base64url()

    for shown in (repr(keys), str(keys), f"{keys}", repr([keys])):
        assert secret_line not in shown
        assert "PRIVATE" not in shown
        assert secret_pem.splitlines()[1] not in shown
        assert keys.application_server_key in shown


def test_keys_are_not_pickled_by_accident() -> None:
    import pickle

    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(VapidKeys.generate())


def test_only_p256_keys_are_accepted() -> None:
    with pytest.raises(ValueError, match="P-256"):
        VapidKeys(ec.generate_private_key(ec.SECP384R1()))
    with pytest.raises(ValueError, match="32 bytes"):
        VapidKeys.from_text(base64.urlsafe_b64encode(b"short").decode())


@pytest.mark.parametrize(
    ("endpoint", "origin"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc:def", "https://fcm.googleapis.com"),
        ("https://updates.push.services.mozilla.com:443/wpush/v2/x", "https://updates.push.services.mozilla.com"),
        ("HTTPS://Web.Push.Apple.com/QGx", "https://web.push.apple.com"),
        ("http://127.0.0.1:8123/push/1", "http://127.0.0.1:8123"),
        ("https://[::1]:9000/push/1", "https://[::1]:9000"),
    ],
)
def test_the_audience_is_the_endpoint_origin_with_a_non_default_port(endpoint: str, origin: str) -> None:
    assert origin_of(endpoint) == origin


def test_the_subject_must_be_a_mailto_or_https_url() -> None:
    keys = VapidKeys.generate()
    VapidSigner(keys, "https://lon.example.se/kontakt")
    with pytest.raises(ValueError, match="mailto"):
        VapidSigner(keys, "lon@example.se")


def _claims(header: str, keys: VapidKeys) -> dict[str, object]:
    token = header.removeprefix("vapid t=").split(",")[0]
    decoded: dict[str, object] = jwt.decode(
        token, key=keys.public_key, algorithms=["ES256"], options={"verify_aud": False, "verify_exp": False}
    )
    return decoded


def test_a_token_is_reused_for_half_its_lifetime_then_renewed() -> None:
    keys = VapidKeys.generate()
    now = [1_800_000_000.0]
    signer = VapidSigner(keys, "mailto:lon@example.se", lifetime_seconds=3600, clock=lambda: now[0])

    first = signer.authorization("https://fcm.googleapis.com/fcm/send/a")
    same = signer.authorization("https://fcm.googleapis.com/fcm/send/b")
    other_service = signer.authorization("https://web.push.apple.com/x")
    now[0] += 1801
    renewed = signer.authorization("https://fcm.googleapis.com/fcm/send/a")

    assert same == first
    assert other_service != first
    assert renewed != first
    assert _claims(first, keys) == {
        "aud": "https://fcm.googleapis.com",
        "exp": 1_800_003_600,
        "sub": "mailto:lon@example.se",
    }
    assert _claims(renewed, keys)["exp"] == 1_800_005_401
    assert first.endswith(f", k={keys.application_server_key}")


def test_the_token_header_says_es256_jwt() -> None:
    keys = VapidKeys.generate()
    header = VapidSigner(keys, "mailto:lon@example.se").authorization("https://fcm.googleapis.com/x")
    token = header.removeprefix("vapid t=").split(",")[0]

    assert json.loads(b64url_decode(token.split(".")[0])) == {"typ": "JWT", "alg": "ES256"}


def test_a_token_lifetime_over_24_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="24 hours"):
        VapidSigner(VapidKeys.generate(), "mailto:lon@example.se", lifetime_seconds=25 * 3600)
