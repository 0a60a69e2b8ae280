"""The organisation's chart of accounts for claims (BAS-based), editable as a TOML file.

``DEFAULT_CHART`` follows the BAS chart; each organisation changes it to its own. Choices, with why:

* Expense categories: fuel 5611 (Drivmedel för personbilar), parking 5619 (Övriga
  personbilskostnader), taxi 5800 (Resekostnader), train/flight 5810 (Biljetter), hotel and an
  employee's own meals on a trip 5831 (Kost och logi i Sverige), representation 6072
  (Representation, ej avdragsgill: meals with guests are not deductible since 2017; an
  organisation that books deductible parts uses 6071), office supplies 6110 (Kontorsmateriel),
  other 6991 (Övriga externa kostnader, avdragsgilla: an "other" purchase is not a personnel cost),
  wellness 7699 (Övriga personalkostnader).
* Per diem 7321/7322 (tax-free/taxable, Sweden), 7323/7324 abroad; mileage 7331/7332.
* Input VAT: BAS has one account, 2641 (Debiterad ingående moms); every rate maps to it by default
  and the voucher has one VAT row per rate, so the amounts per rate stay visible. An organisation
  that keeps rates apart maps a rate to its own sub-account (``[moms]`` ``"12" = "2642"``; note that
  BAS uses 2642-2649 for other kinds of input VAT, so choose free numbers).
* The employee is owed privately paid expenses and allowances on 2820 (Kortfristiga skulder till
  anställda; 2890 Övriga kortfristiga skulder is the alternative). Company-card purchases are owed
  to the card issuer, which invoices the company monthly: 2440 (Leverantörsskulder), matched
  against that invoice.

File format::

    [konton]            # every account used, with its name (SIE #KONTO)
    "2820" = "Kortfristiga skulder till anställda"
    [kategorier]        # expense category -> cost account
    fuel = "5611"
    [moms]              # VAT rate in percent -> input VAT account; "standard" for any other rate
    standard = "2641"
    [poster]            # the other roles (see ``ROLES``)
    skuld_anstalld = "2820"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from backend.domain.errors import DomainError
from backend.domain.expenses import CATEGORIES
from backend.domain.exports.mapping import toml_key, toml_string
from backend.domain.text import Text

ROLES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "traktamente_skattefritt": ("Traktamente Sverige, skattefritt", "Per diem, Sweden, tax-free"),
        "traktamente_skattepliktigt": ("Traktamente Sverige, skattepliktigt", "Per diem, Sweden, taxable"),
        "traktamente_utrikes_skattefritt": ("Traktamente utlandet, skattefritt", "Per diem, abroad, tax-free"),
        "traktamente_utrikes_skattepliktigt": ("Traktamente utlandet, skattepliktigt", "Per diem, abroad, taxable"),
        "milersattning_skattefri": ("Bilersättning, skattefri", "Mileage, tax-free"),
        "milersattning_skattepliktig": ("Bilersättning, skattepliktig", "Mileage, taxable"),
        "skuld_anstalld": ("Skuld till den anställda", "Owed to the employee"),
        "skuld_foretagskort": ("Skuld för företagskort", "Owed for company-card purchases"),
    }
)
"""The accounts a claim needs besides the categories' and VAT's: key -> (sv, en) description."""

STANDARD_VAT = "standard"
OTHER_CATEGORY = "other"


class InvalidAccount(DomainError):
    """An account number that is not BAS-like (4 digits), has no name, or is used without being listed."""

    code = "export.invalid_account"

    def __init__(self, account: object, reason: Text, *, field: str) -> None:
        self.account = account
        super().__init__(
            Text(sv=f"Konto {account!r}: {reason.sv}.", en=f"Account {account!r}: {reason.en}."), field=field
        )


class ChartFileError(DomainError):
    """The chart file is not TOML, lacks a table, or names an unknown category or role."""

    code = "export.chart_file"


def _vat_key(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def _account_number(account: object, where: str) -> str:
    if not (isinstance(account, str) and len(account) == 4 and account.isascii() and account.isdigit()):
        raise InvalidAccount(
            account,
            Text(sv="ett kontonummer är 4 siffror (BAS)", en="an account number is 4 digits (BAS)"),
            field=where,
        )
    if account[0] in "09":
        raise InvalidAccount(
            account, Text(sv="BAS-konton börjar med 1-8", en="BAS accounts start with 1-8"), field=where
        )
    return account


@dataclass(frozen=True)
class Chart:
    """Account names, the cost account per expense category, input VAT per rate and the roles."""

    accounts: Mapping[str, str]
    categories: Mapping[str, str]
    vat: Mapping[str, str]
    roles: Mapping[str, str]

    def __post_init__(self) -> None:
        names = {}
        for number, name in self.accounts.items():
            _account_number(number, f"konton.{number}")
            if not isinstance(name, str) or not name.strip() or not name.isprintable():
                raise InvalidAccount(
                    number, Text(sv="kontot behöver ett namn", en="the account needs a name"), field=f"konton.{number}"
                )
            names[number] = name.strip()
        self._unknown(self.categories, CATEGORIES, "kategorier", "category", "kategori")
        self._unknown(self.roles, ROLES, "poster", "role", "post")
        missing = [k for k in (*CATEGORIES, *ROLES) if k not in self.categories and k not in self.roles]
        if STANDARD_VAT not in self.vat:
            missing.append(f"moms.{STANDARD_VAT}")
        if missing:
            raise ChartFileError(
                Text(
                    sv=f"Kontoplanen saknar konton för: {', '.join(missing)}.",
                    en=f"The chart lacks accounts for: {', '.join(missing)}.",
                ),
                field=missing[0],
            )
        for table, values in (("kategorier", self.categories), ("moms", self.vat), ("poster", self.roles)):
            for key, account in values.items():
                _account_number(account, f"{table}.{key}")
                if account not in names:
                    raise InvalidAccount(
                        account,
                        Text(
                            sv="det används men saknar namn under [konton]",
                            en="it is used but not listed with a name under [konton]",
                        ),
                        field=f"{table}.{key}",
                    )
        for name, value in (
            ("accounts", names),
            ("categories", self.categories),
            ("vat", self.vat),
            ("roles", self.roles),
        ):
            object.__setattr__(self, name, MappingProxyType(dict(sorted(dict(value).items()))))

    @staticmethod
    def _unknown(values: Mapping[str, str], known: Mapping[str, object], table: str, en: str, sv: str) -> None:
        for key in values:
            if key not in known:
                raise ChartFileError(
                    Text(sv=f"Okänd {sv} {key!r} i [{table}].", en=f"Unknown {en} {key!r} in [{table}]."),
                    field=f"{table}.{key}",
                )

    def category_account(self, category: str | None) -> str:
        if category is not None and category in self.categories:
            return self.categories[category]
        return self.categories[OTHER_CATEGORY]

    def vat_account(self, rate: Decimal) -> str:
        return self.vat.get(_vat_key(rate), self.vat[STANDARD_VAT])

    def role(self, key: str) -> str:
        return self.roles[key]

    def name(self, account: str) -> str:
        return self.accounts[account]


DEFAULT_CHART = Chart(
    accounts={
        "2440": "Leverantörsskulder",
        "2641": "Debiterad ingående moms",
        "2820": "Kortfristiga skulder till anställda",
        "5611": "Drivmedel för personbilar",
        "5619": "Övriga personbilskostnader",
        "5800": "Resekostnader",
        "5810": "Biljetter",
        "5831": "Kost och logi i Sverige",
        "6072": "Representation, ej avdragsgill",
        "6110": "Kontorsmateriel",
        "6991": "Övriga externa kostnader, avdragsgilla",
        "7321": "Skattefria traktamenten, Sverige",
        "7322": "Skattepliktiga traktamenten, Sverige",
        "7323": "Skattefria traktamenten, utlandet",
        "7324": "Skattepliktiga traktamenten, utlandet",
        "7331": "Skattefria bilersättningar",
        "7332": "Skattepliktiga bilersättningar",
        "7699": "Övriga personalkostnader",
    },
    categories={
        "meal": "5831",
        "taxi": "5800",
        "hotel": "5831",
        "fuel": "5611",
        "parking": "5619",
        "train_flight": "5810",
        "representation": "6072",
        "wellness": "7699",
        "wellness_treatment": "7699",
        "office_supplies": "6110",
        "other": "6991",
    },
    vat={STANDARD_VAT: "2641", "25": "2641", "12": "2641", "6": "2641"},
    roles={
        "traktamente_skattefritt": "7321",
        "traktamente_skattepliktigt": "7322",
        "traktamente_utrikes_skattefritt": "7323",
        "traktamente_utrikes_skattepliktigt": "7324",
        "milersattning_skattefri": "7331",
        "milersattning_skattepliktig": "7332",
        "skuld_anstalld": "2820",
        "skuld_foretagskort": "2440",
    },
)


def _table(data: dict[str, object], name: str) -> dict[str, str]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise ChartFileError(
            Text(sv=f"Kontoplanen behöver en tabell [{name}].", en=f"The chart needs a [{name}] table."), field=name
        )
    return table


def parse_chart(text: str) -> Chart:
    """A chart file (TOML) as a validated ``Chart``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ChartFileError(
            Text(sv=f"Kontoplanen är inte giltig TOML: {error}.", en=f"The chart is not valid TOML: {error}."),
            field="konton",
        ) from None
    return Chart(
        accounts=_table(data, "konton"),
        categories=_table(data, "kategorier"),
        vat=_table(data, "moms"),
        roles=_table(data, "poster"),
    )


def serialise_chart(chart: Chart) -> str:
    """The chart as TOML, keys sorted: the same chart always gives the same text."""
    out: list[str] = []
    for name, values in (
        ("konton", chart.accounts),
        ("kategorier", chart.categories),
        ("moms", chart.vat),
        ("poster", chart.roles),
    ):
        if out:
            out.append("")
        out.append(f"[{name}]")
        out += [f"{toml_key(key)} = {toml_string(value)}" for key, value in sorted(values.items())]
    return "\n".join(out) + "\n"
