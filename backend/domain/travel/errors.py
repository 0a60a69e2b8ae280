"""Travel rule violations (stable codes; English and Swedish messages)."""

from __future__ import annotations

from backend.domain.errors import DomainError


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

    def __init__(self, line: int, problem_en: str, problem_sv: str) -> None:
        super().__init__(
            f"Normalbelopp file, line {line}: {problem_en}",
            f"Normalbeloppsfilen, rad {line}: {problem_sv}",
            field="file",
        )
        self.line = line


class NegativePayment(DomainError):
    code = "travel.negative_payment"


class UnknownVehicle(DomainError):
    code = "travel.unknown_vehicle"
