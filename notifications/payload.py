"""The JSON a push message carries to the service worker.

Push services must accept 4096 bytes of encrypted body (RFC 8030 section 7.2).
An aes128gcm body spends 86 bytes on its header, 16 on the tag and 1 on the
padding delimiter, which leaves 3993 bytes of plaintext (RFC 8291 section 4).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

MAX_PUSH_BODY_BYTES = 4096
MAX_PAYLOAD_BYTES = 3993
"""Largest plaintext whose aes128gcm body still fits in ``MAX_PUSH_BODY_BYTES``."""

ELLIPSIS = "…"


@dataclass(frozen=True)
class PushPayload:
    """What the service worker shows: a title, an optional body and a deep link.

    ``tag`` lets a newer notification replace an older one on the device;
    ``ids`` carries identifiers (item, notification) for the click handler.
    """

    title: str
    body: str = ""
    url: str = "/"
    tag: str | None = None
    ids: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"title": self.title}
        if self.body:
            data["body"] = self.body
        data["url"] = self.url
        if self.tag is not None:
            data["tag"] = self.tag
        if self.ids:
            data["ids"] = dict(self.ids)
        return data

    def encoded(self) -> bytes:
        """Compact UTF-8 JSON (å, ä, ö as two bytes, not six as ``\\u00e5``)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def shrink_to(self, limit: int = MAX_PAYLOAD_BYTES) -> PushPayload | None:
        """A version whose ``encoded()`` is at most ``limit`` bytes, changed as little as possible.

        First the body is dropped (the title and the link still tell what to
        do), then the title is shortened and ends in an ellipsis. ``None`` when
        even a one-character title does not fit: the link or ids are too long.
        """
        if len(self.encoded()) <= limit:
            return self
        without_body = replace(self, body="")
        if len(without_body.encoded()) <= limit:
            return without_body
        best: PushPayload | None = None
        low, high = 1, len(self.title) - 1
        while low <= high:
            middle = (low + high) // 2
            candidate = replace(without_body, title=self.title[:middle].rstrip() + ELLIPSIS)
            if len(candidate.encoded()) <= limit:
                best, low = candidate, middle + 1
            else:
                high = middle - 1
        return best
