"""Shared state of one payslip computation: the terms, the agreement, which month's variable items are paid.

Variable items (hours for hourly staff, overtime, OB, absence) of the
*variable month* are paid: the month before the pay month when the employer
pays them one month in arrears (the default: March's overtime on April's
payslip), else the pay month itself. Rows from earlier months that were not
paid before (approved late) are paid too; rows after the variable month wait
for a later payslip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from backend.domain.payslip.inputs import EarlierSickSpell, PayslipInputs
from backend.domain.payslip.model import LineGroup, PayslipLine, PayslipWarning
from backend.domain.payslip.terms import TermsHistory, last_day_of, next_month, previous_month
from backend.domain.rates import AgreementProfile, agreement_profile
from backend.domain.text import Text

NO_TEXT = ("", "")
"""The explanation of a line on a payslip computed without explanations (``Context.explain`` False)."""


@dataclass
class Context:
    inputs: PayslipInputs
    history: TermsHistory
    profile: AgreementProfile
    variable_year: int
    variable_month: int
    warnings: list[PayslipWarning] = field(default_factory=list)
    sick_spells: list[EarlierSickSpell] = field(default_factory=list)  # assessed on this payslip
    wellness_counted: Decimal = Decimal(0)  # of the year's wellness caps, by this payslip (card expenses too)
    settled_ids: set[str] = field(default_factory=set)  # claims settled, with or without a line
    explain: bool = True
    """False: the figures only (payroll's overview of thousands never shows the explanations)."""

    @classmethod
    def create(cls, inputs: PayslipInputs, *, explain: bool = True) -> Context:
        period = inputs.period
        in_arrears = inputs.settings.variable_pay_in_arrears
        year, month = previous_month(period.year, period.month) if in_arrears else (period.year, period.month)
        return cls(
            inputs=inputs,
            history=TermsHistory(inputs.employee, inputs.as_of),
            profile=agreement_profile(inputs.settings.agreement_profile),
            variable_year=year,
            variable_month=month,
            explain=explain,
        )

    @property
    def variable_last_day(self) -> date:
        return last_day_of(self.variable_year, self.variable_month)

    def pay_month_for_work_month(self, year: int, month: int) -> tuple[int, int]:
        """The pay month whose payslip carries variable items of ``year``-``month``."""
        return next_month(year, month) if self.inputs.settings.variable_pay_in_arrears else (year, month)

    def explained(self, texts: Callable[[], tuple[str, str]]) -> tuple[str, str]:
        """An explanation ``(sv, en)``, built only when this payslip explains itself (else ``NO_TEXT``)."""
        return texts() if self.explain else NO_TEXT

    def warn(self, code: str, message: Text, source_ids: tuple[str, ...] = ()) -> None:
        self.warnings.append(PayslipWarning(code, message, source_ids))


def make_line(
    code: str,
    group: LineGroup,
    text: tuple[str, str],
    amount: Decimal,
    explanation: tuple[str, str],
    *,
    quantity: Decimal | None = None,
    unit: str | None = None,
    rate: Decimal | None = None,
    taxable: bool = True,
    employer_contributions: bool | None = None,
    source_ids: tuple[str, ...] = (),
    cash: bool = True,
    work_period: str | None = None,
) -> PayslipLine:
    """A line; texts and explanations are ``(sv, en)``. Contributions follow ``taxable`` unless given."""
    return PayslipLine(
        code=code,
        group=group,
        text_sv=text[0],
        text_en=text[1],
        quantity=quantity,
        unit=unit,
        rate=rate,
        amount=amount,
        taxable=taxable,
        employer_contributions=taxable if employer_contributions is None else employer_contributions,
        source_ids=source_ids,
        explanation_sv=explanation[0],
        explanation_en=explanation[1],
        cash=cash,
        work_period=work_period,
    )


def unique_ids(ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Ids in first-seen order without repeats."""
    return tuple(dict.fromkeys(ids))
