"""VAPID keys (RFC 8292) and the ``Authorization: vapid`` header.

The private key is a secret: ``VapidKeys`` never shows it in ``repr``/``str``; it
leaves the object only through the explicit ``private_pem()`` /
``private_key_base64url()`` calls made when storing it.

The header is signed here rather than by the ``webpush`` library because the
library signs a fresh JWT for every message (about 0.25 ms of CPU each), drops
a non-default port from ``aud`` and always prefixes ``sub`` with ``mailto:``.
``VapidSigner`` signs one token per push-service origin and reuses it for half
its lifetime.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60
"""RFC 8292 section 2: ``exp`` must not be more than 24 hours after the request."""

_DEFAULT_PORTS = {"https": 443, "http": 80}


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class VapidKeys:
    """A P-256 key pair identifying this application server to push services."""

    __slots__ = ("_application_server_key", "_private_key")

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            msg = "a VAPID key must be on the P-256 curve"
            raise ValueError(msg)
        self._private_key = private_key
        point = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self._application_server_key = b64url_encode(point)

    @classmethod
    def generate(cls) -> VapidKeys:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: bytes | str) -> VapidKeys:
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            msg = "the PEM does not hold an elliptic-curve private key"
            raise ValueError(msg)
        return cls(key)

    @classmethod
    def from_text(cls, text: str) -> VapidKeys:
        """Load what an operator puts in an environment variable.

        Accepts a PEM private key (PKCS#8 or SEC1) or the raw 32-byte private
        scalar in base64url, the format other Web Push tools print.
        """
        text = text.strip()
        if text.startswith("-----BEGIN"):
            return cls.from_pem(text)
        try:
            raw = b64url_decode(text)
        except ValueError as exc:
            msg = "VAPID private key is neither PEM nor base64url"
            raise ValueError(msg) from exc
        if len(raw) != 32:
            msg = "a base64url VAPID private key must decode to 32 bytes"
            raise ValueError(msg)
        return cls(ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1()))

    @classmethod
    def from_file(cls, path: Path) -> VapidKeys:
        return cls.from_text(path.read_text(encoding="ascii"))

    @property
    def application_server_key(self) -> str:
        """Uncompressed public point, base64url without padding: what ``GET /api/push/key`` returns."""
        return self._application_server_key

    @property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._private_key.public_key()

    def private_pem(self) -> bytes:
        """PKCS#8 PEM, unencrypted: for the key file. Treat the result as a secret."""
        return self._private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_pem(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def private_key_base64url(self) -> str:
        """The raw private scalar, base64url: fits an environment variable on one line. A secret."""
        return b64url_encode(self._private_key.private_numbers().private_value.to_bytes(32, "big"))

    def sign_es256(self, signing_input: bytes) -> bytes:
        """JWS ES256 signature: r and s as 32-byte big-endian integers (RFC 7518 section 3.4)."""
        r, s = decode_dss_signature(self._private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def __repr__(self) -> str:
        return f"VapidKeys(application_server_key={self._application_server_key!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VapidKeys):
            return NotImplemented
        return self._application_server_key == other._application_server_key

    def __hash__(self) -> int:
        return hash(self._application_server_key)

    def __reduce__(self) -> tuple[object, ...]:
        msg = "VapidKeys is not picklable: store private_pem() deliberately instead"
        raise TypeError(msg)


def origin_of(endpoint: str) -> str:
    """The push endpoint's origin (scheme://host[:port]): the JWT ``aud`` (RFC 8292 section 2)."""
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        msg = f"not an http(s) URL: {endpoint!r}"
        raise ValueError(msg)
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def check_subject(subject: str) -> str:
    """RFC 8292 section 2.1: a ``mailto:`` or ``https:`` URL so the push service can reach us."""
    if subject.startswith("mailto:") and "@" in subject:
        return subject
    if subject.startswith("https://") and len(subject) > len("https://"):
        return subject
    msg = f"VAPID subject must be a mailto: or https: URL, not {subject!r}"
    raise ValueError(msg)


class VapidSigner:
    """Builds ``Authorization: vapid t=<JWT>, k=<key>`` headers, one token per origin.

    A token is reused while more than half of its lifetime remains, so a
    fan-out of thousands of messages to the same push service signs once.
    Thread-safe; the cache is bounded because origins come from subscriptions.
    """

    _MAX_CACHED_ORIGINS = 256

    def __init__(
        self,
        keys: VapidKeys,
        subject: str,
        *,
        lifetime_seconds: int = 12 * 60 * 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not 60 <= lifetime_seconds <= MAX_TOKEN_LIFETIME_SECONDS:
            msg = "VAPID token lifetime must be between one minute and 24 hours"
            raise ValueError(msg)
        self._keys = keys
        self._subject = check_subject(subject)
        self._lifetime = lifetime_seconds
        self._clock = clock
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    @property
    def subject(self) -> str:
        return self._subject

    def authorization(self, endpoint: str) -> str:
        audience = origin_of(endpoint)
        now = self._clock()
        with self._lock:
            cached = self._cache.get(audience)
            if cached is not None and self._lifetime / 2 < cached[1] - now <= self._lifetime:
                return cached[0]
            expires = int(now) + self._lifetime
            header = f"vapid t={self._token(audience, expires)}, k={self._keys.application_server_key}"
            if len(self._cache) >= self._MAX_CACHED_ORIGINS:
                self._cache.clear()
            self._cache[audience] = (header, float(expires))
            return header

    def _token(self, audience: str, expires: int) -> str:
        header = b64url_encode(b'{"typ":"JWT","alg":"ES256"}')
        claims = json.dumps({"aud": audience, "exp": expires, "sub": self._subject}, separators=(",", ":"))
        signing_input = f"{header}.{b64url_encode(claims.encode())}"
        return f"{signing_input}.{b64url_encode(self._keys.sign_es256(signing_input.encode('ascii')))}"
