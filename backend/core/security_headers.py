"""Security headers on every response, in every mode, from this one place.

Wrapped around the whole ASGI app (like the request id), so 404s, auth failures and the
web app's files get them too. A handler that set a header itself (a stored file's sandbox
CSP, a hashed asset's long cache) keeps its own value.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

APP_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",  # the built web app has no inline script: vite emits module files
        "style-src 'self' 'unsafe-inline'",  # style attributes only; scripts stay strict
        "img-src 'self' data: blob:",  # blob: the camera's preview before upload
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DOCS_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' https://cdn.jsdelivr.net",  # the API reference page loads Scalar from its CDN
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.scalar.com",
        "img-src 'self' data: https:",
        "font-src 'self' data: https://fonts.scalar.com",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
GENERATED_PDF_CSP = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
"""A PDF the server made (payslip): the browser's PDF viewer needs plugins, which the app's CSP forbids."""
STORED_FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
"""A stored upload (receipt, attachment): shown as an image at most, never run as a document."""

PERMISSIONS_POLICY = (
    "camera=(self), geolocation=(), microphone=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), midi=(), display-capture=()"
)
"""Only features browsers know: Chromium logs an error on every page for an unknown one ("bluetooth",
the retired "interest-cohort"), which the console check of the browser tests and Lighthouse count."""
HSTS = b"max-age=31536000; includeSubDomains"
_APP_CSP, _DOCS_CSP, _PDF_CSP = APP_CSP.encode(), DOCS_CSP.encode(), GENERATED_PDF_CSP.encode()
"""Encoded once: the middleware runs on every response."""

_COMMON: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", PERMISSIONS_POLICY.encode()),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate it
    (b"cross-origin-opener-policy", b"same-origin"),
]


def file_extension(content_type: str) -> str:
    """The extension a stored upload is downloaded with (uploads are JPEG, PNG, WebP or PDF)."""
    return {"application/pdf": "pdf", "image/png": "png", "image/webp": "webp"}.get(content_type, "jpg")


def stored_file_headers(content_type: str, filename: str) -> dict[str, str]:
    """Headers for serving an uploaded file: images inline (the app shows them), anything else as a download.

    The sandbox CSP and nosniff keep a PDF (or a polyglot posing as an image) from running
    script in the app's origin even if a browser opens it directly.
    """
    disposition = "inline" if content_type.startswith("image/") else "attachment"
    return {
        "content-disposition": f'{disposition}; filename="{filename}"',
        "content-security-policy": STORED_FILE_CSP,
        "x-content-type-options": "nosniff",
    }


def _is_https(scope: Scope, trust_proxy: bool) -> bool:
    if scope.get("scheme") == "https":
        return True
    if not trust_proxy:
        return False
    for name, value in scope["headers"]:
        if name == b"x-forwarded-proto":
            return value.split(b",")[0].strip().lower() == b"https"
    return False


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response; ``no-store`` on every /api answer.

    HSTS only over https: directly, or behind a proxy that says so (``X-Forwarded-Proto``)
    when TRUSTED_PROXY is on; an untrusted client could otherwise claim https on plain http.
    """

    def __init__(self, app: ASGIApp, trust_proxy: bool = False) -> None:
        self.app = app
        self.trust_proxy = trust_proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = list(_COMMON)
        if _is_https(scope, self.trust_proxy):
            extra.append((b"strict-transport-security", HSTS))
        csp = _DOCS_CSP if path == "/schema" or path.startswith("/schema/") else _APP_CSP
        personal = path == "/api" or path.startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                if b"content-security-policy" not in present:
                    is_pdf = any(n.lower() == b"content-type" and v.startswith(b"application/pdf") for n, v in headers)
                    headers.append((b"content-security-policy", _PDF_CSP if is_pdf else csp))
                if personal:
                    # Personal and pay data: never kept by the browser or a shared cache.
                    headers = [(n, v) for n, v in headers if n.lower() not in (b"cache-control", b"expires")]
                    headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
