"""Building blocks for msgspec structs at the API edge."""

from __future__ import annotations

from typing import Annotated

import msgspec

from backend.core.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base for request bodies: a misspelt field is an error, not silently ignored."""


class Output(msgspec.Struct, kw_only=True):
    """Base for response bodies."""


Email = Annotated[
    str,
    msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="E-mail address"),
]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._/-]+$")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
NewPassword = Annotated[
    str,
    msgspec.Meta(
        min_length=MIN_PASSWORD_LENGTH,
        max_length=MAX_PASSWORD_LENGTH,
        description=f"At least {MIN_PASSWORD_LENGTH} characters",
    ),
]
"""A password being chosen: the policy in backend/core/passwords.py."""
