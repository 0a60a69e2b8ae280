"""Serve the built web app, with a fallback to index.html so deep links work.

Hashed assets are cached for a year; index.html, the service worker and the manifest
are revalidated on every load so a new deployment reaches users at once.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import File

from backend.core.deps import SettingsDep
from backend.core.i18n import Text
from backend.core.problems import Problem, not_found

# Browsers run module scripts and service workers only with a JavaScript type.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("application/manifest+json", ".webmanifest")

NO_CACHE = {"cache-control": "no-cache"}
IMMUTABLE = {"cache-control": "public, max-age=31536000, immutable"}
NOT_BUILT = Problem(
    503,
    "web_app_not_built",
    Text(sv="Webbappen är inte byggd", en="The web app is not built"),
    Text(sv="Kör `make run` (eller `npm run build` i pwa/).", en="Run `make run` (or `npm run build` in pwa/)."),
)


def _resolve(dist: Path, path: str) -> Path | None:
    """The file under ``dist`` for ``path``, never outside it."""
    candidate = (dist / path.lstrip("/")).resolve()
    if dist.resolve() not in candidate.parents and candidate != dist.resolve():
        return None
    return candidate if candidate.is_file() else None


class WebAppController(Controller):
    path = "/"
    include_in_schema = False

    @get("/", exclude_from_auth=True, cache=False)
    async def index(self, settings: SettingsDep) -> File:
        return _serve(settings.pwa_dist, "/")

    @get("/{path:path}", exclude_from_auth=True, cache=False)
    async def serve(self, settings: SettingsDep, path: FromPath[str]) -> File:
        return _serve(settings.pwa_dist, path)


def _serve(dist: Path, path: str) -> File:
    if path.startswith(("/api/", "/health/", "/schema/")) or path in ("/api", "/health"):
        raise not_found()
    index = dist / "index.html"
    if not index.is_file():
        raise NOT_BUILT
    found = _resolve(dist, path) if path not in ("", "/") else None
    if found is not None:
        headers = IMMUTABLE if "/assets/" in f"/{found.relative_to(dist.resolve())}" else NO_CACHE
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return File(
            found, headers=headers, content_disposition_type="inline", media_type=media_type, filename=found.name
        )
    if Path(path).suffix and not path.endswith(".html"):
        raise not_found()
    return File(
        index, headers=NO_CACHE, content_disposition_type="inline", media_type="text/html", filename="index.html"
    )
