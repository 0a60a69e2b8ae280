"""Swedish first, English available: picking the language and holding a text in both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backend.domain.text import DEFAULT_LANGUAGE, Language, Text

if TYPE_CHECKING:
    from litestar import Request

__all__ = ["DEFAULT_LANGUAGE", "Language", "Text", "pick_language", "request_language"]


def request_language(request: Request[Any, Any, Any]) -> Language:
    """The language a person reads this answer in: Accept-Language, else the account's, else Swedish.

    The one rule, given to handlers as the ``language`` dependency and used by the problem handler.
    """
    user = request.scope.get("user")  # the parameter's name is how Litestar knows to give the request
    return pick_language(request.headers.get("accept-language"), getattr(user, "locale", None))


def pick_language(accept_language: str | None, preferred: str | None = None) -> Language:
    """The first of sv/en in Accept-Language (by q-value), else the user's preference, else Swedish."""
    if accept_language:
        ranked: list[tuple[float, int, str]] = []
        for index, part in enumerate(accept_language.split(",")):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            ranked.append((-quality, index, tag.strip().lower()[:2]))
        for _, _, primary in sorted(ranked):
            if primary in ("sv", "en"):
                return primary  # type: ignore[return-value]
    if preferred in ("sv", "en"):
        return preferred  # type: ignore[return-value]
    return DEFAULT_LANGUAGE
