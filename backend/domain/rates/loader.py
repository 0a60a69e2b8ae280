"""Load ``se-<year>.toml`` into frozen ``YearRates``.

The files ship inside the package. Loading is strict: unknown or misspelt
keys, wrong types and inconsistent figures (kronor that disagree with the
stated shares) raise ``RatesDataError`` naming the file and key, because a
silently ignored typo in a rate would be paid out for a whole year.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import Any

from backend.domain.errors import RatesDataError, RatesNotAvailable
from backend.domain.money import round_half_up
from backend.domain.rates.model import (
    AbroadPerDiem,
    BirthYearBand,
    DomesticPerDiem,
    EarnedIncomeReduction,
    EmployerContributionRates,
    MealReductions,
    MileageRates,
    PerDiemRates,
    Piece,
    SickPayRates,
    TableBand,
    TableLayout,
    TaxParameters,
    VacationRates,
    VehicleKind,
    WellnessRates,
    YearRates,
    YouthReduction,
)
from backend.domain.text import Text

_PACKAGE = __name__.rpartition(".")[0]
_FILE_PATTERN = re.compile(r"^se-(\d{4})\.toml$")


class TomlTable:
    """A TOML table that remembers which keys were read, to reject unknown ones."""

    def __init__(self, data: Mapping[str, Any], path: str, source: str) -> None:
        self._data = data
        self._used: set[str] = set()
        self.path = path
        self.source = source

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> RatesDataError:
        where = self._key(key)
        return RatesDataError(
            Text(sv=f"{self.source}: {where}: felaktigt värde ({problem})", en=f"{self.source}: {where}: {problem}"),
            field=where,
        )

    def has(self, key: str) -> bool:
        return key in self._data

    def raw(self, key: str) -> Any:
        if key not in self._data:
            raise self.error(key, "missing")
        self._used.add(key)
        return self._data[key]

    def decimal(self, key: str, default: Decimal | None = None) -> Decimal:
        if key not in self._data and default is not None:
            return default
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise self.error(key, f"expected a number, got {value!r}")
        return Decimal(value)

    def optional_decimal(self, key: str) -> Decimal | None:
        return self.decimal(key) if key in self._data else None

    def integer(self, key: str) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected a whole number, got {value!r}")
        return value

    def optional_integer(self, key: str) -> int | None:
        return self.integer(key) if key in self._data else None

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true/false, got {value!r}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        if key not in self._data and default is not None:
            return default
        value = self.raw(key)
        if not isinstance(value, str):
            raise self.error(key, f"expected text, got {value!r}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        if key not in self._data:
            return ()
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "expected a list of texts")
        return tuple(value)

    def date_(self, key: str) -> date:
        value = self.raw(key)
        if not isinstance(value, date):
            raise self.error(key, f"expected a date (YYYY-MM-DD), got {value!r}")
        return value

    def time_(self, key: str) -> time:
        value = self.raw(key)
        if not isinstance(value, time):
            raise self.error(key, f"expected a time (HH:MM:SS), got {value!r}")
        return value

    def table(self, key: str) -> TomlTable:
        value = self.raw(key)
        if not isinstance(value, dict):
            raise self.error(key, "expected a table")
        return TomlTable(value, self._key(key), self.source)

    def optional_table(self, key: str) -> TomlTable | None:
        return self.table(key) if key in self._data else None

    def tables(self, key: str) -> list[TomlTable]:
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, "expected an array of tables ([[...]])")
        return [TomlTable(v, f"{self._key(key)}[{i}]", self.source) for i, v in enumerate(value)]

    def key_names(self) -> list[str]:
        return list(self._data)

    def done(self) -> None:
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            raise self.error(unknown[0], f"unknown key(s) {', '.join(unknown)}")


def parse_rates(text: str, *, source: str = "<rates>") -> YearRates:
    """Parse one year's TOML text (exposed for tests and for administrators' own files)."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RatesDataError(
            Text(sv=f"{source}: ogiltig TOML: {exc}", en=f"{source}: not valid TOML: {exc}"), field=None
        ) from exc
    root = TomlTable(data, "", source)
    year = root.integer("year")
    meta = root.table("meta")
    sources = meta.texts("sources")
    missing = meta.texts("missing")
    missing_note = meta.text("missing_note", "")
    meta.done()
    base = root.table("base")
    pbb = base.integer("prisbasbelopp")
    base.done()

    tax = _tax(root.table("tax"), year, pbb) if root.has("tax") else None
    per_diem = _per_diem(root.table("per_diem"), year, pbb)
    mileage = _mileage(root.table("mileage"))
    wellness = _wellness(root.table("wellness")) if root.has("wellness") else None
    contributions = _contributions(root.table("employer_contributions")) if root.has("employer_contributions") else None
    sick_pay = _sick_pay(root.table("sick_pay")) if root.has("sick_pay") else None
    vacation = _vacation(root.table("vacation")) if root.has("vacation") else None
    root.done()

    present = {
        "tax": tax is not None,
        "wellness": wellness is not None,
        "employer_contributions": contributions is not None,
        "sick_pay": sick_pay is not None,
        "vacation": vacation is not None,
        "per_diem.abroad": per_diem._abroad is not None,
        "per_diem.domestic.meal_reduction_shares": per_diem.domestic.meal_reduction_shares is not None,
    }
    absent = tuple(name for name, ok in present.items() if not ok)
    listed = set(missing)
    if set(absent) != listed:
        raise meta.error(
            "missing",
            f"must list exactly the absent sections {sorted(absent)}, lists {sorted(listed)}",
        )
    return YearRates(
        year=year,
        sources=sources,
        prisbasbelopp=pbb,
        per_diem=per_diem,
        mileage=mileage,
        missing=absent,
        missing_note=missing_note,
        _tax=tax,
        _wellness=wellness,
        _employer_contributions=contributions,
        _sick_pay=sick_pay,
        _vacation=vacation,
    )


def _pieces(tables: list[TomlTable]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    for i, t in enumerate(tables):
        piece = Piece(
            up_to_pbb=t.optional_decimal("up_to_pbb"),
            up_to=t.optional_decimal("up_to"),
            pbb=t.decimal("pbb", Decimal(0)),
            rate=t.decimal("rate", Decimal(0)),
            from_pbb=t.decimal("from_pbb", Decimal(0)),
        )
        t.done()
        last = i == len(tables) - 1
        unlimited = piece.up_to_pbb is None and piece.up_to is None
        if piece.up_to_pbb is not None and piece.up_to is not None:
            raise t.error("up_to", "give either up_to or up_to_pbb, not both")
        if unlimited != last:
            raise t.error("up_to_pbb", "only the last piece is without a limit, and it must be")
        pieces.append(piece)
    return tuple(pieces)


def _tax(t: TomlTable, year: int, pbb: int) -> TaxParameters:
    eir = t.table("earned_income_reduction")
    earned = EarnedIncomeReduction(
        from_taxable_income=eir.decimal("from_taxable_income"),
        rate=eir.decimal("rate"),
        up_to_taxable_income=eir.decimal("up_to_taxable_income"),
        maximum=eir.decimal("maximum"),
    )
    eir.done()
    lay = t.table("table_layout")
    bands: list[TableBand] = []
    raw_bands = lay.raw("bands")
    if not isinstance(raw_bands, list):
        raise lay.error("bands", "expected a list of {up_to, width}")
    for i, b in enumerate(raw_bands):
        bt = TomlTable(b, f"{lay.path}.bands[{i}]", t.source) if isinstance(b, dict) else None
        if bt is None:
            raise lay.error("bands", "expected a list of {up_to, width}")
        bands.append(TableBand(up_to=bt.integer("up_to"), width=bt.integer("width")))
        bt.done()
    layout = TableLayout(
        first_table=lay.integer("first_table"),
        last_table=lay.integer("last_table"),
        zero_up_to=lay.integer("zero_up_to"),
        bands=tuple(bands),
        percent_band_width=lay.integer("percent_band_width"),
        percent_bands_up_to=lay.integer("percent_bands_up_to"),
    )
    lay.done()
    start = layout.zero_up_to
    for band in layout.bands:
        if band.width <= 0 or (band.up_to - start) % band.width:
            raise lay.error("bands", f"band up to {band.up_to} does not divide evenly into width {band.width}")
        start = band.up_to
    if layout.percent_bands_up_to <= start or (layout.percent_bands_up_to - start) % layout.percent_band_width:
        raise lay.error(
            "percent_bands_up_to",
            f"must be above {start} and a whole number of percent_band_width ({layout.percent_band_width}) above it",
        )
    params = TaxParameters(
        year=year,
        prisbasbelopp=pbb,
        older_from_age=t.integer("older_from_age"),
        burial_fee_average_percent=t.decimal("burial_fee_average_percent"),
        state_tax_threshold=t.decimal("state_tax_threshold"),
        state_tax_rate=t.decimal("state_tax_rate"),
        state_tax_from_taxable_income=t.decimal("state_tax_from_taxable_income"),
        pension_fee_rate=t.decimal("pension_fee_rate"),
        pension_fee_floor=t.decimal("pension_fee_floor"),
        pension_fee_cap=t.decimal("pension_fee_cap"),
        public_service_fee_rate=t.decimal("public_service_fee_rate"),
        public_service_fee_cap=t.decimal("public_service_fee_cap"),
        sickness_credit_minimum_share=t.decimal("sickness_credit_minimum_share"),
        earned_income_reduction=earned,
        table_layout=layout,
        basic_deduction_ordinary=_pieces(t.tables("basic_deduction_ordinary")),
        basic_deduction_enhanced=_pieces(t.tables("basic_deduction_enhanced")),
        work_credit_base_younger=_pieces(t.tables("work_credit_base_younger")),
        work_credit_older=_pieces(t.tables("work_credit_older")),
        sickness_credit_base=_pieces(t.tables("sickness_credit_base")),
    )
    t.done()
    return params


def _meals(t: TomlTable) -> MealReductions:
    meals = MealReductions(
        breakfast=t.decimal("breakfast"),
        lunch_or_dinner=t.decimal("lunch_or_dinner"),
        lunch_and_dinner=t.decimal("lunch_and_dinner"),
        all_three=t.decimal("all_three"),
        breakfast_and_lunch_or_dinner=t.decimal("breakfast_and_lunch_or_dinner"),
    )
    t.done()
    return meals


_MEAL_FIELDS = ("breakfast", "lunch_or_dinner", "lunch_and_dinner", "all_three", "breakfast_and_lunch_or_dinner")


def _per_diem(t: TomlTable, year: int, pbb: int) -> PerDiemRates:
    long_stay = t.table("long_stay")
    after_3 = long_stay.decimal("after_3_months_share")
    after_2y = long_stay.decimal("after_2_years_share")
    long_stay.done()
    d = t.table("domestic")
    meal_table = d.table("meal_reductions")
    share_table = d.optional_table("meal_reduction_shares")
    domestic = DomesticPerDiem(
        full_day=d.decimal("full_day"),
        half_day=d.decimal("half_day"),
        night=d.decimal("night"),
        after_3_months=d.decimal("after_3_months"),
        after_2_years=d.decimal("after_2_years"),
        meal_reductions=_meals(meal_table),
        meal_reduction_shares=_meals(share_table) if share_table is not None else None,
    )
    d.done()
    # Consistency checks: the stated kronor must follow from the stated shares.
    full_share = t.decimal("full_day_share_of_prisbasbelopp")
    if round_half_up(full_share * pbb / 10, 0) * 10 != domestic.full_day:
        raise d.error("full_day", f"{domestic.full_day} is not {full_share} x {pbb} rounded to 10 kr")
    for key, share in (("after_3_months", after_3), ("after_2_years", after_2y)):
        if round_half_up(domestic.full_day * share, 0) != getattr(domestic, key):
            raise d.error(key, f"is not {share} x the full day")
    if domestic.meal_reduction_shares is not None:
        for key in _MEAL_FIELDS:
            share = getattr(domestic.meal_reduction_shares, key)
            if round_half_up(domestic.full_day * share, 0) != getattr(domestic.meal_reductions, key):
                raise d.error(f"meal_reductions.{key}", f"is not {share} x the full day")
    abroad_table = t.optional_table("abroad")
    abroad = None
    if abroad_table is not None:
        abroad = AbroadPerDiem(
            half_day_share=abroad_table.decimal("half_day_share"),
            night_share=abroad_table.decimal("night_share"),
            meal_reduction_shares=_meals(abroad_table.table("meal_reduction_shares")),
        )
        abroad_table.done()
    rates = PerDiemRates(
        year=year,
        min_distance_km=t.decimal("min_distance_km"),
        half_day_when_departing_at_or_after=t.time_("half_day_when_departing_at_or_after"),
        half_day_when_returning_at_or_before=t.time_("half_day_when_returning_at_or_before"),
        after_3_months_share=after_3,
        after_2_years_share=after_2y,
        domestic=domestic,
        _abroad=abroad,
    )
    t.done()
    return rates


def _mileage(t: TomlTable) -> MileageRates:
    per_mil_table = t.table("per_mil")
    per_mil: dict[VehicleKind, Decimal] = {}
    for key in per_mil_table.key_names():
        try:
            kind = VehicleKind(key)
        except ValueError:
            raise per_mil_table.error(key, f"unknown vehicle kind (known: {[k.value for k in VehicleKind]})") from None
        per_mil[kind] = per_mil_table.decimal(key)
    per_mil_table.done()
    t.done()
    absent = [k.value for k in VehicleKind if k not in per_mil]
    if absent:
        raise per_mil_table.error(absent[0], "missing")
    return MileageRates(per_mil=MappingProxyType(per_mil))


def _wellness(t: TomlTable) -> WellnessRates:
    w = WellnessRates(
        annual_cap=t.decimal("annual_cap"),
        treatment_cap_per_occasion=t.decimal("treatment_cap_per_occasion"),
        whole_amount_taxable_above_cap=t.boolean("whole_amount_taxable_above_cap"),
    )
    t.done()
    return w


def _contributions(t: TomlTable) -> EmployerContributionRates:
    bands: list[BirthYearBand] = []
    for b in t.tables("birth_year_bands"):
        bands.append(
            BirthYearBand(
                born_from=b.optional_integer("born_from"),
                born_to=b.optional_integer("born_to"),
                rate=b.decimal("rate"),
                label=b.text("label", ""),
            )
        )
        b.done()
    youth: list[YouthReduction] = []
    for y in t.tables("youth_reductions") if t.has("youth_reductions") else []:
        youth.append(
            YouthReduction(
                born_from=y.integer("born_from"),
                born_to=y.integer("born_to"),
                pay_from=y.date_("pay_from"),
                pay_to=y.date_("pay_to"),
                reduced_rate=y.decimal("reduced_rate"),
                monthly_cap=y.decimal("monthly_cap"),
            )
        )
        y.done()
    rates = EmployerContributionRates(
        standard_rate=t.decimal("standard_rate"), birth_year_bands=tuple(bands), youth_reductions=tuple(youth)
    )
    t.done()
    return rates


def _sick_pay(t: TomlTable) -> SickPayRates:
    s = SickPayRates(
        sick_pay_rate=t.decimal("sick_pay_rate"),
        employer_period_days=t.integer("employer_period_days"),
        karens_share_of_weekly_sick_pay=t.decimal("karens_share_of_weekly_sick_pay"),
        weeks_per_year=t.integer("weeks_per_year"),
        relapse_within_days=t.integer("relapse_within_days"),
        max_karens_per_12_months=t.integer("max_karens_per_12_months"),
    )
    t.done()
    return s


def _vacation(t: TomlTable) -> VacationRates:
    v = VacationRates(
        minimum_supplement_rate=t.decimal("minimum_supplement_rate"),
        percentage_rule_rate=t.decimal("percentage_rule_rate"),
    )
    t.done()
    return v


@functools.cache
def shipped_years() -> tuple[int, ...]:
    """Years with a data file in the package."""
    years: list[int] = []
    for entry in resources.files(_PACKAGE).iterdir():
        match = _FILE_PATTERN.match(entry.name)
        if match:
            years.append(int(match.group(1)))
    return tuple(sorted(years))


# Years loaded as data (``selfservice rates import``): year -> (sha256, rates). They win over the
# shipped file for the same year. The application mirrors its database table here
# (``use_loaded_years``); the generation tells caches built on the rates that they changed.
_loaded: dict[int, tuple[str, YearRates]] = {}
_generation = 0


def rates_generation() -> int:
    """Bumped whenever the loaded years change; key caches of derived values on it."""
    return _generation


def loaded_year_keys() -> dict[int, str]:
    """year -> sha256 of the years loaded as data in this process."""
    return {year: sha for year, (sha, _) in _loaded.items()}


def use_loaded_years(files: Mapping[int, tuple[str, str]]) -> bool:
    """Make exactly these imported years (year -> (sha256, TOML text)) visible; True when anything changed.

    Each text is validated by ``parse_rates``; a broken one raises ``RatesDataError`` and nothing changes.
    """
    global _generation
    if {year: sha for year, (sha, _) in files.items()} == loaded_year_keys():
        return False
    parsed: dict[int, tuple[str, YearRates]] = {}
    for year, (sha, text) in files.items():
        if year in _loaded and _loaded[year][0] == sha:
            parsed[year] = _loaded[year]
        else:
            parsed[year] = (sha, check_year_text(text, source=f"se-{year}.toml (imported)", year=year))
    _loaded.clear()
    _loaded.update(parsed)
    _generation += 1
    _rates_in_use.cache_clear()
    return True


def check_year_text(text: str, *, source: str, year: int | None = None) -> YearRates:
    """Validate one year's TOML fully (as the shipped files are); ``year``: the year it must state."""
    rates = parse_rates(text, source=source)
    if year is not None and rates.year != year:
        raise RatesDataError(
            Text(
                sv=f"{source}: year: filen anger {rates.year}, väntat {year}.",
                en=f"{source}: year: the file says {rates.year}, expected {year}.",
            ),
            field="year",
        )
    return rates


def available_years() -> tuple[int, ...]:
    """Years with figures: the shipped files and the years loaded as data."""
    return tuple(sorted(set(shipped_years()) | set(_loaded)))


@dataclass(frozen=True)
class RatesInUse:
    """The figures used for ``requested_year``: its own, or the latest earlier year's while it is not loaded."""

    requested_year: int
    rates: YearRates

    @property
    def fallback(self) -> bool:
        return self.rates.year != self.requested_year

    @property
    def warning(self) -> Text | None:
        """For the employee when the figures are an earlier year's, else None."""
        if not self.fallback:
            return None
        used, wanted = self.rates.year, self.requested_year
        return Text(
            sv=f"Beräknad med {used} års belopp; {wanted} års belopp är inte inlästa.",
            en=f"Computed with the {used} figures; the {wanted} figures are not loaded yet.",
        )

    @property
    def borrowed_warning(self) -> Text | None:
        """When some sections of the year's figures are another year's (see ``_with_borrowed_sections``)."""
        if not self.rates.borrowed:
            return None
        sv = ", ".join(f"{section} från {year}" for section, year in self.rates.borrowed)
        en = ", ".join(f"{section} from {year}" for section, year in self.rates.borrowed)
        used = self.rates.year
        return Text(
            sv=f"{used} års satsdata saknar några delar; de beräknas med ett annat års belopp ({sv}).",
            en=f"The {used} figures lack some sections; they are computed with another year's ({en}).",
        )

    @property
    def payroll_warning(self) -> Text | None:
        """For payroll: what to load and how."""
        if not self.fallback:
            return None
        used, wanted = self.rates.year, self.requested_year
        return Text(
            sv=f"{wanted} års belopp (skatteregler, traktamente, milersättning, friskvård, arbetsgivaravgifter, "
            f"sjuklön, semester) är inte inlästa, så allt beräknas med {used} års belopp. Läs in dem när "
            f"Skatteverket publicerat dem: selfservice rates import se-{wanted}.toml (samma format som "
            f"se-{used}.toml), och Skatteverkets tabellfil med selfservice tax import.",
            en=f"The {wanted} figures (tax rules, per diem, mileage, wellness, employer contributions, sick pay, "
            f"vacation) are not loaded, so everything is computed with the {used} figures. Load them once "
            f"Skatteverket has published them: selfservice rates import se-{wanted}.toml (same format as "
            f"se-{used}.toml), and Skatteverket's table file with selfservice tax import.",
        )


def rates_in_use(year: int) -> RatesInUse:
    """The one rule for a year without figures: the latest year at or before it that has them.

    A year before every loaded year has nothing to fall back on and raises ``RatesNotAvailable``.
    """
    return _rates_in_use(year)


@functools.cache
def _rates_in_use(year: int) -> RatesInUse:
    known = [y for y in available_years() if y <= year]
    if not known:
        raise RatesNotAvailable(
            Text(
                sv=f"Det finns inga satser för {year} eller något tidigare år "
                f"(tillgängliga: {', '.join(map(str, available_years()))}).",
                en=f"No rates data for {year} or any earlier year (available: {', '.join(map(str, available_years()))}).",
            ),
            field="year",
            code="rates.year_not_available",
        )
    return RatesInUse(year, _with_borrowed_sections(_year_rates(max(known))))


# Sections a year's file may leave out whose figures are rules of law rather than the year's amounts
# (sick pay 80 % from day 2, karensavdrag 20 %, vacation pay 12 %), by the field that holds them. Tax,
# contributions and wellness are the year's own amounts: without them the year stays refused.
_BORROWABLE = {
    "sick_pay": "_sick_pay",
    "vacation": "_vacation",
}


def _with_borrowed_sections(rates: YearRates) -> YearRates:
    """A year whose data leaves a rule-of-law section out uses the nearest year's, and says so (``borrowed``).

    2025's file has no sick-pay or vacation figures (the material gives none): pay for time worked
    in December 2025 is then computed with 2026's, with a warning, instead of refusing the payslip.
    """
    changes: dict[str, object] = {}
    borrowed: list[tuple[str, int]] = []
    for section, attribute in _BORROWABLE.items():
        if getattr(rates, attribute) is not None:
            continue
        donors = sorted(
            (y for y in available_years() if y != rates.year and getattr(_year_rates(y), attribute) is not None),
            key=lambda y: (abs(y - rates.year), -y),
        )
        if donors:
            changes[attribute] = getattr(_year_rates(donors[0]), attribute)
            borrowed.append((section, donors[0]))
    if not changes:
        return rates
    return replace(rates, **changes, borrowed=tuple(borrowed))  # type: ignore[arg-type]


def _year_rates(year: int) -> YearRates:
    if year in _loaded:
        return _loaded[year][1]
    return _shipped_rates(year)


@functools.cache
def _shipped_rates(year: int) -> YearRates:
    name = f"se-{year}.toml"
    text = resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    rates = parse_rates(text, source=name)
    if rates.year != year:
        raise RatesDataError(
            Text(sv=f"{name} anger year = {rates.year}.", en=f"{name} says year = {rates.year}."), field="year"
        )
    return rates


def rates_for(year: int) -> YearRates:
    """The figures used for ``year`` (immutable): its own, or the latest earlier year's (see ``rates_in_use``).

    ``result.year`` tells which year's figures they are.
    """
    return _rates_in_use(year).rates


def rates_on(day: date) -> YearRates:
    """The figures in force on ``day`` (the calendar year's, or the fallback year's)."""
    return _rates_in_use(day.year).rates
