"""Rules for expenses: what a complete expense is, VAT, representation, wellness, duplicates.

Plain values in, plain values out. The API validates with ``problems_with`` before a
claim is submitted and reports every problem at once, so nothing is sent back later.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from backend.domain.errors import FieldError
from backend.domain.text import Text
from ocr.fields.orgnr import normalise as normalise_org_number  # the one org.nr rule (format + Luhn)
from ocr.images import hamming  # the one image-hash distance

CATEGORIES: dict[str, tuple[str, str]] = {
    "meal": ("Måltid", "Meal"),
    "taxi": ("Taxi", "Taxi"),
    "hotel": ("Hotell", "Hotel"),
    "fuel": ("Drivmedel", "Fuel"),
    "parking": ("Parkering", "Parking"),
    "train_flight": ("Tåg/flyg", "Train/flight"),
    "representation": ("Representation", "Business entertainment"),
    "wellness": ("Friskvårdsbidrag", "Wellness allowance"),
    "wellness_treatment": ("Friskvård: behandling (massage)", "Wellness: treatment (massage)"),
    "office_supplies": ("Kontorsmaterial", "Office supplies"),
    "other": ("Övrigt", "Other"),
}
PAYMENTS = ("private", "company_card")
SWEDISH_VAT_RATES = (Decimal(25), Decimal(12), Decimal(6), Decimal(0))
MAX_AMOUNT = Decimal(1_000_000)
MAX_AGE = timedelta(days=366)
SAME_IMAGE_MAX_DISTANCE = 6
"""Hamming distance between 64-bit image hashes at or below which two photos show the same receipt."""
RECURRING_WINDOW = timedelta(days=31)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Participant:
    name: str
    company: str


@dataclass(frozen=True)
class ExpenseFacts:
    """What the rules need to know about one expense."""

    expense_date: date | None
    merchant: str | None
    amount: Decimal | None
    currency: str
    exchange_rate: Decimal | None
    category: str | None
    payment: str
    vat: Sequence[VatRow] = ()
    org_number: str | None = None
    has_receipt: bool = False
    comment: str | None = None
    purpose: str | None = None
    participants: Sequence[Participant] = field(default_factory=tuple)


def amount_in_sek(amount: Decimal, currency: str, exchange_rate: Decimal | None) -> Decimal | None:
    """The amount in kronor, rounded half up to öre; None when a foreign amount has no rate yet."""
    if currency == "SEK":
        return amount.quantize(CENT, ROUND_HALF_UP)
    if exchange_rate is None:
        return None
    return (amount * exchange_rate).quantize(CENT, ROUND_HALF_UP)


def _money_ok(value: Decimal) -> bool:
    return Decimal(0) < value <= MAX_AMOUNT and value == value.quantize(CENT)


def field_problems(facts: ExpenseFacts, today: date) -> list[FieldError]:
    """Problems with values as they are entered (also checked on every save)."""
    problems: list[FieldError] = []
    if facts.amount is not None and not _money_ok(facts.amount):
        problems.append(
            FieldError(
                "amount",
                "amount_out_of_range",
                Text(
                    sv=f"Ange ett belopp över 0 och högst {MAX_AMOUNT}, med högst två decimaler.",
                    en=f"Enter an amount above 0 and at most {MAX_AMOUNT}, with at most two decimals.",
                ),
            )
        )
    if len(facts.currency) != 3 or not facts.currency.isalpha() or not facts.currency.isupper():
        problems.append(
            FieldError(
                "currency",
                "unknown_currency",
                Text(sv="Ange en valutakod som SEK eller EUR.", en="Use a currency code such as SEK or EUR."),
            )
        )
    if facts.exchange_rate is not None and not (Decimal(0) < facts.exchange_rate < Decimal(100_000)):
        problems.append(
            FieldError(
                "exchange_rate",
                "rate_out_of_range",
                Text(sv="Växelkursen måste vara över 0.", en="The exchange rate must be above 0."),
            )
        )
    if facts.expense_date is not None and facts.expense_date > today:
        problems.append(
            FieldError(
                "expense_date",
                "date_in_future",
                Text(sv="Datumet kan inte vara i framtiden.", en="The date cannot be in the future."),
            )
        )
    if facts.category is not None and facts.category not in CATEGORIES:
        problems.append(
            FieldError(
                "category", "unknown_category", Text(sv="Välj en av kategorierna.", en="Choose one of the categories.")
            )
        )
    if facts.payment not in PAYMENTS:
        problems.append(
            FieldError(
                "payment",
                "unknown_payment",
                Text(sv="Välj privat eller företagskort.", en="Choose private or company card."),
            )
        )
    if facts.org_number and normalise_org_number(facts.org_number) is None:
        problems.append(
            FieldError(
                "org_number",
                "invalid_org_number",
                Text(
                    sv="Inget giltigt organisationsnummer (NNNNNN-NNNN).",
                    en="Not a valid Swedish organisation number (NNNNNN-NNNN).",
                ),
            )
        )
    problems += vat_problems(facts.vat, facts.amount)
    return problems


def vat_problems(rows: Sequence[VatRow], gross: Decimal | None) -> list[FieldError]:
    problems: list[FieldError] = []
    for index, row in enumerate(rows):
        if row.rate not in SWEDISH_VAT_RATES:
            problems.append(
                FieldError(
                    f"vat.{index}.rate",
                    "unknown_vat_rate",
                    Text(sv="Momsen är 25, 12, 6 eller 0 %.", en="VAT is 25, 12, 6 or 0 %."),
                )
            )
        if row.amount < 0 or row.amount != row.amount.quantize(CENT):
            problems.append(
                FieldError(
                    f"vat.{index}.amount",
                    "vat_out_of_range",
                    Text(
                        sv="Momsbeloppet måste vara 0 eller mer, med högst två decimaler.",
                        en="The VAT amount must be 0 or more, with at most two decimals.",
                    ),
                )
            )
    if gross is not None and gross > 0 and rows and sum((r.amount for r in rows), Decimal(0)) >= gross:
        problems.append(
            FieldError(
                "vat",
                "vat_exceeds_amount",
                Text(sv="Momsen kan inte överstiga beloppet.", en="The VAT cannot exceed the amount."),
            )
        )
    return problems


def submission_problems(facts: ExpenseFacts, today: date) -> list[FieldError]:
    """Everything that must be right before the expense is sent for attest."""
    problems = field_problems(facts, today)
    required = (
        ("expense_date", facts.expense_date, Text(sv="datum", en="the date")),
        ("amount", facts.amount, Text(sv="belopp", en="the amount")),
        ("category", facts.category, Text(sv="kategori", en="the category")),
        ("merchant", facts.merchant, Text(sv="var du handlade", en="where you bought it")),
    )
    for name, value, what in required:
        if value in (None, ""):
            problems.append(FieldError(name, "required", Text(sv=f"Ange {what.sv}.", en=f"Enter {what.en}.")))
    if facts.expense_date is not None and facts.expense_date < today - MAX_AGE:
        problems.append(
            FieldError(
                "expense_date",
                "too_old",
                Text(sv="Utlägg äldre än ett år kan inte begäras.", en="Expenses older than a year cannot be claimed."),
            )
        )
    if facts.currency != "SEK" and facts.exchange_rate is None:
        problems.append(
            FieldError(
                "exchange_rate",
                "required",
                Text(
                    sv="Ange växelkursen till SEK för utländsk valuta.",
                    en="Enter the exchange rate to SEK for a foreign currency.",
                ),
            )
        )
    if not facts.has_receipt and len((facts.comment or "").strip()) < 10:
        problems.append(
            FieldError(
                "receipt",
                "receipt_missing",
                Text(
                    sv="Bifoga kvittot, eller förklara i kommentaren varför det saknas.",
                    en="Attach the receipt, or explain in the comment why there is none.",
                ),
            )
        )
    if facts.category == "representation":
        problems += representation_problems(facts.participants, facts.purpose)
    return problems


def representation_problems(participants: Sequence[Participant], purpose: str | None) -> list[FieldError]:
    """Business entertainment needs who took part (name and company) and why."""
    problems: list[FieldError] = []
    if not participants:
        problems.append(
            FieldError(
                "participants",
                "required",
                Text(
                    sv="Ange deltagare (namn och företag) för representation.",
                    en="List the participants (name and company) for business entertainment.",
                ),
            )
        )
    for index, person in enumerate(participants):
        if not person.name.strip():
            problems.append(
                FieldError(f"participants.{index}.name", "required", Text(sv="Ange namn.", en="Enter the name."))
            )
        if not person.company.strip():
            problems.append(
                FieldError(
                    f"participants.{index}.company", "required", Text(sv="Ange företag.", en="Enter the company.")
                )
            )
    if not (purpose or "").strip():
        problems.append(
            FieldError(
                "purpose",
                "required",
                Text(sv="Ange syftet med representationen.", en="State the purpose of the entertainment."),
            )
        )
    return problems


WELLNESS_CATEGORIES = frozenset({"wellness", "wellness_treatment"})
TREATMENT_CATEGORY = "wellness_treatment"
"""Treatments without exercise (massage): Skatteverket accepts at most the per-occasion cap."""


@dataclass(frozen=True)
class WellnessPayment:
    """What of one wellness expense the employer pays, and which limit cut it."""

    claimed: Decimal
    paid: Decimal
    limited_by: str | None
    """None, ``treatment`` (per-occasion cap) or ``employer_cap`` (the employer's own yearly cap)."""
    employer_cap: Decimal | None
    treatment_cap: Decimal

    def explanation(self, year: int) -> tuple[str, str] | None:
        """ "3 000 kr av 3 700 kr; årets tak 3 000 kr" when a limit applied, else None."""
        from backend.domain.payslip.text import kr  # here: the payslip package imports this module

        paid, claimed = kr(self.paid, "sv"), kr(self.claimed, "sv")
        paid_en, claimed_en = kr(self.paid, "en"), kr(self.claimed, "en")
        if self.limited_by == "treatment":
            cap, cap_en = kr(self.treatment_cap, "sv"), kr(self.treatment_cap, "en")
            return (
                f"{paid} av {claimed}; behandling utan motion (massage) högst {cap} per tillfälle.",
                f"{paid_en} of {claimed_en}; a treatment without exercise (massage) at most {cap_en} per occasion.",
            )
        if self.limited_by == "employer_cap":
            assert self.employer_cap is not None
            cap, cap_en = kr(self.employer_cap, "sv"), kr(self.employer_cap, "en")
            return (
                f"{paid} av {claimed}; årets tak {cap} ({year}, arbetsgivarens friskvårdsbidrag).",
                f"{paid_en} of {claimed_en}; the year's cap {cap_en} ({year}, the employer's wellness allowance).",
            )
        return None


def employer_wellness_cap(policy: Decimal | None, tax_free_cap: Decimal) -> Decimal:
    """What the employer pays at most in a year: its own figure, or when it set none the tax-free cap
    (the organisation policy's documented default)."""
    return tax_free_cap if policy is None else policy


def wellness_payment(
    amount: Decimal,
    *,
    treatment: bool,
    paid_before: Decimal,
    employer_cap: Decimal | None,
    treatment_cap: Decimal,
) -> WellnessPayment:
    """The one wellness limit rule, used when an expense is filed and on the payslip.

    A treatment without exercise is paid at most ``treatment_cap`` (1 000 kr in 2026); then the
    employer pays at most what is left of its own yearly cap (``employer_cap``, None = no own
    cap). Skatteverket's tax-free cap is not a limit on payment (above it the whole year's
    allowance becomes taxable). 3 700 against a 3 000 cap pays 3 000; a 1 400 massage pays 1 000.
    """
    paid = amount
    limited_by: str | None = None
    if treatment and paid > treatment_cap:
        paid, limited_by = treatment_cap, "treatment"
    if employer_cap is not None:
        left = max(employer_cap - paid_before, Decimal(0))
        if paid > left:
            paid, limited_by = left, "employer_cap"
    return WellnessPayment(amount, paid, limited_by, employer_cap, treatment_cap)


@dataclass(frozen=True)
class WellnessStatus:
    year: int
    cap: Decimal
    used: Decimal
    """Approved and pending wellness expenses this year, including this one (what is paid of them)."""
    employer_cap: Decimal | None = None
    """The employer's own yearly cap, if it set one."""

    @property
    def remaining(self) -> Decimal:
        return max(self.cap - self.used, Decimal(0))

    @property
    def over_cap(self) -> bool:
        return self.used > self.cap


def wellness_warning(status: WellnessStatus) -> FieldError | None:
    """Over the yearly cap the WHOLE year's allowance becomes taxable: say so before it happens."""
    if not status.over_cap:
        return None
    return FieldError(
        "amount",
        "wellness_over_cap",
        Text(
            sv=f"Med detta blir ditt friskvårdsbidrag för {status.year} {status.used} kr, över det skattefria "
            f"taket {status.cap} kr: då blir hela årets belopp skattepliktig lön.",
            en=f"This brings your wellness allowance for {status.year} to {status.used} kr, above the tax-free "
            f"{status.cap} kr: the whole year's amount then becomes taxable salary.",
        ),
    )


def wellness_limit_warning(payment: WellnessPayment, year: int) -> FieldError | None:
    """A warning, not a refusal: the receipt's amount is true, the employer just pays less of it.

    Refusing would push people to type a smaller amount than the receipt shows; the payslip
    pays the limited amount and says why.
    """
    text = payment.explanation(year)
    if text is None:
        return None
    code = "wellness_treatment_cap" if payment.limited_by == "treatment" else "wellness_employer_cap"
    return FieldError(
        "amount",
        code,
        Text(sv=f"Arbetsgivaren betalar {text[0]}", en=f"Your employer will pay {text[1]}"),
    )


@dataclass(frozen=True)
class Filed:
    """An expense already filed, as duplicate detection sees it."""

    merchant: str | None
    expense_date: date | None
    amount: Decimal | None
    org_number: str | None
    image_hash: str | None


def _fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if c.isalnum())


def duplicate_reason(new: Filed, old: Filed) -> str | None:
    """Why ``old`` looks like the same or a recurring receipt as ``new``: a warning, never a block."""
    if new.image_hash and old.image_hash and hamming(new.image_hash, old.image_hash) <= SAME_IMAGE_MAX_DISTANCE:
        return "same_image"
    same_amount = new.amount is not None and new.amount == old.amount
    same_day = new.expense_date is not None and new.expense_date == old.expense_date
    same_merchant = bool(_fold(new.merchant)) and _fold(new.merchant) == _fold(old.merchant)
    if same_amount and same_day and same_merchant:
        return "same_purchase"
    within_a_month = (
        new.expense_date is not None
        and old.expense_date is not None
        and abs(new.expense_date - old.expense_date) <= RECURRING_WINDOW
    )
    if same_amount and new.org_number and new.org_number == old.org_number and within_a_month:
        return "recurring"
    return None


DUPLICATE_TEXT = {
    "same_image": Text(sv="Samma kvittobild finns redan inlagd.", en="The same receipt image was already filed."),
    "same_purchase": Text(
        sv="Ett utlägg med samma säljare, datum och belopp finns redan.",
        en="An expense with the same merchant, date and amount already exists.",
    ),
    "recurring": Text(
        sv="Samma företag och belopp har begärts inom en månad: en återkommande kostnad?",
        en="The same company and amount were claimed within a month: a recurring cost?",
    ),
}
