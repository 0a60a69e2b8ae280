"""Push payloads stay within what every push service must accept, losing as little as possible."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from notifications.payload import ELLIPSIS, MAX_PAYLOAD_BYTES, PushPayload


def test_a_payload_that_fits_is_left_alone() -> None:
    payload = PushPayload(title="Lönebesked för maj", body="Finns att läsa nu.", url="/payslips/2026-05")

    assert payload.shrink_to() is payload


def test_the_json_is_compact_utf8_and_leaves_out_what_is_empty() -> None:
    payload = PushPayload(title="Attest", url="/attest")

    assert payload.encoded() == b'{"title":"Attest","url":"/attest"}'
    assert PushPayload(title="Åäö").encoded() == '{"title":"Åäö","url":"/"}'.encode()


def test_too_long_drops_the_body_first() -> None:
    payload = PushPayload(title="Utlägg returnerat", body="Kvitto saknas. " * 400, url="/expenses/e-1", tag="e-1")

    shrunk = payload.shrink_to()

    assert shrunk == PushPayload(title="Utlägg returnerat", url="/expenses/e-1", tag="e-1")


def test_still_too_long_shortens_the_title_with_an_ellipsis() -> None:
    payload = PushPayload(title="Ö" * 3000, body="b" * 100, url="/x")

    shrunk = payload.shrink_to()

    assert shrunk is not None
    assert shrunk.body == ""
    assert shrunk.title.endswith(ELLIPSIS)
    assert len(shrunk.encoded()) <= MAX_PAYLOAD_BYTES
    assert len(shrunk.encoded()) > MAX_PAYLOAD_BYTES - 3, "as much of the title as fits is kept"


def test_a_link_too_long_to_send_cannot_be_shrunk() -> None:
    assert PushPayload(title="Attest", url="/" + "a" * 4000).shrink_to() is None


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=3000)


@given(title=texts.filter(lambda t: len(t) >= 1), body=texts, tag=st.none() | st.text(max_size=40))
def test_whatever_the_text_the_shrunk_payload_fits_and_is_valid_json(title: str, body: str, tag: str | None) -> None:
    payload = PushPayload(title=title, body=body, url="/attest/a-1", tag=tag, ids={"item": "a-1"})

    shrunk = payload.shrink_to()

    assert shrunk is not None
    assert len(shrunk.encoded()) <= MAX_PAYLOAD_BYTES
    data = json.loads(shrunk.encoded())
    assert data["url"] == "/attest/a-1"
    assert data["ids"] == {"item": "a-1"}
