"""Yearly Swedish payroll figures as data (``se-<year>.toml``) and their loader."""

from backend.domain.rates.agreements import (
    AgreementCatalogue,
    AgreementProfile,
    HourlyCompensation,
    PayItemKind,
    agreement_catalogue,
    agreement_profile,
    parse_agreements,
)
from backend.domain.rates.loader import available_years, parse_rates, rates_for, rates_on
from backend.domain.rates.model import (
    AbroadPerDiem,
    DomesticPerDiem,
    EmployerContributionRates,
    MealReductions,
    MileageRates,
    PerDiemRates,
    SickPayRates,
    TaxParameters,
    VacationRates,
    VehicleKind,
    WellnessRates,
    YearRates,
)

__all__ = [
    "AbroadPerDiem",
    "AgreementCatalogue",
    "AgreementProfile",
    "DomesticPerDiem",
    "EmployerContributionRates",
    "HourlyCompensation",
    "MealReductions",
    "MileageRates",
    "PayItemKind",
    "PerDiemRates",
    "SickPayRates",
    "TaxParameters",
    "VacationRates",
    "VehicleKind",
    "WellnessRates",
    "YearRates",
    "agreement_catalogue",
    "agreement_profile",
    "available_years",
    "parse_agreements",
    "parse_rates",
    "rates_for",
    "rates_on",
]
