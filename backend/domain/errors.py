"""Domain exceptions with a stable code and a message in Swedish and English (a ``Text``).

The API layer maps these to problem details without knowing each rule: the
``code`` is stable (clients and translations key on it), the messages are for
people, and ``field`` names the input that was wrong when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain.text import Text


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field; ``field`` is a dotted path such as ``rows.2.hours``.

    Rules return these (every problem at once); the API answers them as a 422's ``errors``.
    """

    field: str
    code: str
    message: Text

    def within(self, prefix: str) -> FieldError:
        """The same problem inside a list or object of the input (``expenses.2.`` + ``amount``)."""
        return FieldError(prefix + self.field, self.code, self.message)


class DomainError(Exception):
    """Base class for every rule violation raised by ``backend.domain``."""

    code: str = "domain.error"
    category: str = "invalid"
    """What kind of violation: ``invalid`` input, a ``conflict`` with the current state, or ``forbidden``."""

    def __init__(self, message: Text, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message.en)
        if code is not None:
            self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"[{self.code}] {self.message.en}"

    def as_dict(self) -> dict[str, str | None]:
        """Plain values for logs and problem details."""
        return {"code": self.code, "message_en": self.message.en, "message_sv": self.message.sv, "field": self.field}


class InvalidValue(DomainError):
    """An input value the rules cannot work with (float money, negative hours, ...)."""

    code = "value.invalid"


class RatesNotAvailable(DomainError):
    """The yearly figures needed are not in the data files (a year or a section is missing)."""

    code = "rates.not_available"


class RatesDataError(DomainError):
    """A rates data file is malformed; raised when it is loaded, never silently patched."""

    code = "rates.invalid_data"
