"""Travel rule violations (stable codes; English and Swedish messages)."""

from __future__ import annotations

from backend.domain.errors import DomainError
from backend.domain.text import Text


class ReturnBeforeDeparture(DomainError):
    code = "travel.return_before_departure"


class DateOutsideTrip(DomainError):
    code = "travel.date_outside_trip"


class UnknownCountry(DomainError):
    code = "travel.unknown_country"


class NegativeDistance(DomainError):
    code = "travel.negative_distance"


class NormalbeloppFormatError(DomainError):
    """A line of an administrator's normalbelopp CSV is wrong; ``line`` is 1-based."""

    code = "travel.normalbelopp_file_invalid"

    def __init__(self, line: int, problem: Text) -> None:
        super().__init__(
            Text(
                sv=f"Normalbeloppsfilen, rad {line}: {problem.sv}", en=f"Normalbelopp file, line {line}: {problem.en}"
            ),
            field="file",
        )
        self.line = line


class NegativePayment(DomainError):
    code = "travel.negative_payment"


class UnknownVehicle(DomainError):
    code = "travel.unknown_vehicle"
