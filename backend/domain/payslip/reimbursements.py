"""Expense reimbursements, travel claims and the wellness allowance.

* An expense the employee paid privately is reimbursed tax-free; one paid
  with the company card has no payslip line.
* A travel claim arrives split by the travel rules: the tax-free per diem and
  mileage are tax-free lines, the parts above the tax-free maximum are taxable
  pay (tax and employer contributions).
* Wellness allowance (friskvårdsbidrag) is tax-free while the year's total is
  within the year's cap; above it the WHOLE year's amount is taxable. In the
  period where the total crosses the cap, the amounts paid tax-free earlier in
  the year are added as a non-cash taxable line (they were already paid out, so
  they raise the taxable pay, tax and contributions but not the net pay).
  Company-card wellness counts toward the cap; once taxable it is a non-cash
  taxable line too.
* What of a wellness expense is paid at all is limited first (``wellness.wellness_payments``,
  the same rule and order the expense API warns with): a treatment without exercise (massage) at most
  the per-occasion cap, and no more than what is left of the employer's own yearly cap.

Claims are paid on the first payslip whose cut-off is on or after their
approval; a claim approved after the cut-off waits for the next payslip.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from backend.domain.expenses import WellnessPayment
from backend.domain.money import round_ore
from backend.domain.payslip.context import Context, make_line
from backend.domain.payslip.inputs import ApprovedExpense, ApprovedTravelClaim, ExpenseKind, ExpensePayment, ItemKind
from backend.domain.payslip.model import LineDetail, LineGroup, PayslipLine, PendingLine, PendingStatus
from backend.domain.payslip.terms import next_month
from backend.domain.payslip.text import kr, month_name, num
from backend.domain.rates import rates_on
from backend.domain.wellness import WellnessExpense, wellness_payments

_NO_DESCRIPTION = ("utan beskrivning", "no description")
_NO_DESTINATION = ("resa", "trip")
_DAY_KINDS = {"full_day": ("Heldagar", "Full days"), "half_day": ("Halvdagar", "Half days")}


def reimbursement_lines(ctx: Context) -> tuple[list[PayslipLine], list[PendingLine]]:
    cut_off = ctx.inputs.period.cut_off
    expenses = [e for e in ctx.inputs.expenses if e.approved_on <= cut_off]
    claims = [c for c in ctx.inputs.travel_claims if c.approved_on <= cut_off]
    deferred = [
        _late_expense(ctx, e)
        for e in ctx.inputs.expenses
        if e.approved_on > cut_off and e.payment is ExpensePayment.PRIVATE
    ]
    deferred += [_late_claim(ctx, c) for c in ctx.inputs.travel_claims if c.approved_on > cut_off]
    # Every claim taken in, also those that make no line (company-card expenses, a trip with nothing to pay).
    ctx.settled_ids.update(e.claim_id for e in expenses)
    ctx.settled_ids.update(c.claim_id for c in claims)
    lines = [
        _expense_line(e) for e in expenses if e.kind is ExpenseKind.ORDINARY and e.payment is ExpensePayment.PRIVATE
    ]
    for claim in claims:
        lines += _travel_lines(claim)
    lines += _wellness_lines(ctx, [e for e in expenses if e.kind is ExpenseKind.WELLNESS])
    return lines, deferred


def _expense_line(expense: ApprovedExpense) -> PayslipLine:
    what = expense.description or _NO_DESCRIPTION[0]
    what_en = expense.description or _NO_DESCRIPTION[1]
    return make_line(
        "expense",
        LineGroup.TAX_FREE,
        (f"Utlägg: {what}", f"Expense: {what_en}"),
        round_ore(expense.amount),
        (
            f"Ersättning för utlägg du betalat privat, {kr(expense.amount, 'sv')} (utläggsräkning "
            f"attesterad {expense.approved_on.isoformat()}). Skattefritt: du får tillbaka det du lagt ut.",
            f"Reimbursement of an expense you paid privately, {kr(expense.amount, 'en')} (expense claim "
            f"approved {expense.approved_on.isoformat()}). Tax-free: you get back what you paid.",
        ),
        quantity=Decimal(1),
        unit="items",
        rate=round_ore(expense.amount),
        taxable=False,
        source_ids=(expense.claim_id, expense.expense_id),
    )


def _travel_lines(claim: ApprovedTravelClaim) -> list[PayslipLine]:
    what = claim.description or _NO_DESTINATION[0]
    what_en = claim.description or _NO_DESTINATION[1]
    ref = (
        f"reseräkning attesterad {claim.approved_on.isoformat()}",
        f"travel claim approved {claim.approved_on.isoformat()}",
    )
    details = {
        "per_diem_tax_free": _per_diem_details(claim),
        "mileage_tax_free": _mileage_details(claim, taxable=False),
        "mileage_taxable": _mileage_details(claim, taxable=True),
    }
    parts = (
        (
            "per_diem_tax_free",
            claim.per_diem_tax_free,
            False,
            ("Traktamente, skattefritt", "Per diem, tax-free"),
            ("Traktamente upp till Skatteverkets skattefria belopp", "Per diem up to Skatteverket's tax-free amount"),
        ),
        (
            "per_diem_taxable",
            claim.per_diem_taxable,
            True,
            ("Traktamente, skattepliktigt", "Per diem, taxable"),
            (
                "Den del av traktamentet som överstiger det skattefria beloppet är lön: skatt och "
                "arbetsgivaravgifter betalas på den",
                "The part of the per diem above the tax-free amount is pay: tax and employer contributions apply",
            ),
        ),
        (
            "mileage_tax_free",
            claim.mileage_tax_free,
            False,
            ("Milersättning, skattefri", "Mileage allowance, tax-free"),
            ("Milersättning upp till Skatteverkets skattefria belopp", "Mileage up to Skatteverket's tax-free amount"),
        ),
        (
            "mileage_taxable",
            claim.mileage_taxable,
            True,
            ("Milersättning, skattepliktig", "Mileage allowance, taxable"),
            (
                "Den del av milersättningen som överstiger det skattefria beloppet är lön: skatt och "
                "arbetsgivaravgifter betalas på den",
                "The part of the mileage allowance above the tax-free amount is pay: tax and employer "
                "contributions apply",
            ),
        ),
        (
            "travel_expenses",
            claim.expenses,
            False,
            ("Utlägg på resa", "Travel expenses"),
            ("Ersättning för utlägg du betalat privat under resan", "Reimbursement of what you paid privately"),
        ),
    )
    lines = []
    for code, amount, taxable, (text_sv, text_en), (why_sv, why_en) in parts:
        if not amount:
            continue
        line = make_line(
            code,
            LineGroup.ADDITIONS if taxable else LineGroup.TAX_FREE,
            (f"{text_sv}: {what}", f"{text_en}: {what_en}"),
            round_ore(amount),
            (f"{why_sv}: {kr(amount, 'sv')} ({ref[0]}).", f"{why_en}: {kr(amount, 'en')} ({ref[1]})."),
            taxable=taxable,
            source_ids=(claim.claim_id,),
        )
        found = details.get(code, ())
        if found:
            line = _with_details(line, found)
        lines.append(line)
    return lines


def _with_details(line: PayslipLine, details: tuple[LineDetail, ...]) -> PayslipLine:
    """The line with its sub-lines; a last sub-line takes up any difference, so they add up to the line.

    The line's quantity is that of its first kind of sub-line (days, mil); its rate only when there is one.
    """
    rest = line.amount - sum((d.amount for d in details), Decimal(0))
    if rest:
        details += (
            LineDetail(
                "Skillnad mot arbetsgivarens belopp",
                "Difference to the employer's amount",
                None,
                None,
                None,
                rest,
            ),
        )
    positive = [d for d in details if d.quantity is not None and d.amount > 0]
    quantity = unit = rate = None
    if positive:
        unit = positive[0].unit
        quantity = sum((d.quantity or Decimal(0) for d in positive if d.unit == unit), Decimal(0))
        if len(details) == 1:
            rate = positive[0].rate
    return replace(line, quantity=quantity, unit=unit, rate=rate, details=details)


def _grouped(values: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal, int]]:
    """(kind, amount) pairs counted: the same kind and amount becomes one sub-line."""
    counts: dict[tuple[str, Decimal], int] = {}
    for key in values:
        counts[key] = counts.get(key, 0) + 1
    return [(kind, amount, n) for (kind, amount), n in counts.items()]


def _per_diem_details(claim: ApprovedTravelClaim) -> tuple[LineDetail, ...]:
    """Days by kind and amount, meal reductions, nights: the tax-free per diem as it is computed."""
    out = []
    days = sorted((d for d in claim.days if d.allowance), key=lambda d: d.kind != "full_day")
    for kind, amount, n in _grouped([(d.kind, d.allowance) for d in days]):
        names = _DAY_KINDS.get(kind, (kind, kind))
        out.append(LineDetail(names[0], names[1], Decimal(n), "days", amount, round_ore(amount * n)))
    for _, amount, n in _grouped([("meal", d.meal_reduction) for d in claim.days if d.meal_reduction]):
        out.append(
            LineDetail(
                "Måltidsreduktion (fria måltider)",
                "Meal reduction (free meals)",
                Decimal(n),
                "days",
                -amount,
                -round_ore(amount * n),
            )
        )
    for _, amount, n in _grouped([("night", d.night_tax_free) for d in claim.days if d.night_tax_free]):
        out.append(LineDetail("Nattraktamente", "Night allowance", Decimal(n), "nights", amount, round_ore(amount * n)))
    return tuple(out)


def _mileage_details(claim: ApprovedTravelClaim, *, taxable: bool) -> tuple[LineDetail, ...]:
    """Kilometres driven at each rate: the tax-free part per mil, or what is paid above it."""
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for leg in claim.legs:
        rate = (
            leg.rate_per_mil - leg.tax_free_max_per_mil if taxable else min(leg.rate_per_mil, leg.tax_free_max_per_mil)
        )
        if rate <= 0:
            continue
        km, mil = by_rate.get(rate, (Decimal(0), Decimal(0)))
        by_rate[rate] = (km + leg.distance_km, mil + leg.mil)
    out = []
    for rate, (km, mil) in by_rate.items():
        label = (
            ("Över skattefritt belopp", "Above the tax-free amount")
            if taxable
            else ("Skattefritt belopp", "Tax-free amount")
        )
        out.append(
            LineDetail(
                f"{num(km, 'sv')} km, {label[0].lower()}",
                f"{num(km, 'en')} km, {label[1].lower()}",
                mil,
                "mil",
                rate,
                round_ore(mil * rate),
            )
        )
    return tuple(out)


def _wellness_payments(ctx: Context, expenses: list[ApprovedExpense]) -> list[tuple[ApprovedExpense, WellnessPayment]]:
    """Each expense's paid part, in approval order, against what earlier payslips this year paid (``wellness``)."""
    pairs = [
        (
            WellnessExpense(
                e.expense_id, e.amount, e.treatment, e.payment is ExpensePayment.COMPANY_CARD, e.approved_on
            ),
            e,
        )
        for e in expenses
    ]
    approved = {id(counted): e for counted, e in pairs}  # by object: ids need not be unique in made-up inputs
    counted = wellness_payments(
        [w for w, _ in pairs],
        paid_before=ctx.inputs.wellness_paid_earlier_this_year,
        employer_cap=ctx.inputs.settings.wellness_allowance,
        treatment_cap=rates_on(ctx.inputs.period.pay_date).wellness.treatment_cap_per_occasion,
    )
    return [(approved[id(w)], payment) for w, payment in counted]


def _wellness_lines(ctx: Context, expenses: list[ApprovedExpense]) -> list[PayslipLine]:
    if not expenses:
        return []
    pay_date = ctx.inputs.period.pay_date
    cap = rates_on(pay_date).wellness.annual_cap
    earlier = ctx.inputs.wellness_paid_earlier_this_year
    payments = _wellness_payments(ctx, expenses)
    this_period = sum((p.paid for _, p in payments), Decimal(0))
    ctx.wellness_counted += this_period
    total = earlier + this_period
    year = pay_date.year
    lines = []
    if total <= cap:
        for e, payment in payments:
            if e.payment is ExpensePayment.PRIVATE:
                lines.append(
                    _wellness_line(
                        e,
                        payment,
                        year,
                        "wellness_tax_free",
                        LineGroup.TAX_FREE,
                        False,
                        (
                            f"Friskvårdsbidrag i år hittills {kr(total, 'sv')} inklusive detta, inom årets skattefria "
                            f"tak {kr(cap, 'sv')} ({year}): skattefritt.",
                            f"Wellness allowance this year so far {kr(total, 'en')} including this, within the "
                            f"year's tax-free cap {kr(cap, 'en')} ({year}): tax-free.",
                        ),
                    )
                )
        return lines
    over = (
        f"Friskvårdsbidraget i år blir {kr(total, 'sv')} ({kr(earlier, 'sv')} tidigare + {kr(this_period, 'sv')} nu), "
        f"över årets tak {kr(cap, 'sv')} ({year}): då är HELA årets friskvårdsbidrag skattepliktig lön.",
        f"The wellness allowance this year comes to {kr(total, 'en')} ({kr(earlier, 'en')} earlier + "
        f"{kr(this_period, 'en')} now), above the year's cap {kr(cap, 'en')} ({year}): the WHOLE year's wellness "
        "allowance is then taxable pay.",
    )
    for e, payment in payments:
        cash = e.payment is ExpensePayment.PRIVATE
        lines.append(
            _wellness_line(
                e,
                payment,
                year,
                "wellness_taxable" if cash else "wellness_benefit",
                LineGroup.ADDITIONS,
                True,
                over,
                cash=cash,
            )
        )
    if earlier > 0 and earlier <= cap:
        lines.append(
            make_line(
                "wellness_taxable_correction",
                LineGroup.ADDITIONS,
                (
                    f"Friskvårdsbidrag tidigare i år, nu skattepliktigt ({year})",
                    f"Wellness allowance earlier this year, now taxable ({year})",
                ),
                round_ore(earlier),
                (
                    f"{over[0]} De {kr(earlier, 'sv')} som betalats ut skattefritt tidigare i år blir därför "
                    "skattepliktiga nu: de läggs till den skattepliktiga lönen (skatt och arbetsgivaravgifter) men "
                    "betalas inte ut igen.",
                    f"{over[1]} The {kr(earlier, 'en')} paid tax-free earlier this year therefore become taxable "
                    "now: added to taxable pay (tax and employer contributions) but not paid out again.",
                ),
                cash=False,
            )
        )
    return lines


def _wellness_line(
    expense: ApprovedExpense,
    payment: WellnessPayment,
    year: int,
    code: str,
    group: LineGroup,
    taxable: bool,
    why: tuple[str, str],
    *,
    cash: bool = True,
) -> PayslipLine:
    what = expense.description or _NO_DESCRIPTION[0]
    what_en = expense.description or _NO_DESCRIPTION[1]
    paid = (
        ("", "")
        if cash
        else (
            " Betalt med företagskort: inget betalas ut, men värdet beskattas.",
            " Paid with the company card: nothing is paid out, but the value is taxed.",
        )
    )
    limited = payment.explanation(year)
    limit = (f"Betalas: {limited[0]} ", f"Paid: {limited[1]} ") if limited else ("", "")
    amount = round_ore(payment.paid)
    return make_line(
        code,
        group,
        (f"Friskvårdsbidrag: {what}", f"Wellness allowance: {what_en}"),
        amount,
        (
            f"{kr(expense.amount, 'sv')} (utläggsräkning attesterad {expense.approved_on.isoformat()}). "
            f"{limit[0]}{why[0]}{paid[0]}",
            f"{kr(expense.amount, 'en')} (expense claim approved {expense.approved_on.isoformat()}). "
            f"{limit[1]}{why[1]}{paid[1]}",
        ),
        quantity=Decimal(1),
        unit="items",
        rate=amount,
        taxable=taxable,
        source_ids=(expense.claim_id, expense.expense_id),
        cash=cash,
    )


def _late(
    ctx: Context, item_id: str, kind: ItemKind, title: tuple[str, str], amount: Decimal, approved: str
) -> PendingLine:
    year, month = next_month(ctx.inputs.period.year, ctx.inputs.period.month)
    cut_off = ctx.inputs.period.cut_off.isoformat()
    return PendingLine(
        item_id=item_id,
        kind=kind,
        status=PendingStatus.APPROVED_AFTER_CUT_OFF,
        approved=True,
        can_reach_this_payslip=False,
        text_sv=title[0],
        text_en=title[1],
        amount=amount,
        hours=None,
        submitted_on=None,
        explanation_sv=f"Attesterades {approved}, efter brytdatum {cut_off}; betalas ut med lönen för "
        f"{month_name(year, month, 'sv')}.",
        explanation_en=f"Approved {approved}, after the cut-off {cut_off}; paid with the pay for "
        f"{month_name(year, month, 'en')}.",
    )


def _late_expense(ctx: Context, expense: ApprovedExpense) -> PendingLine:
    return _late(
        ctx,
        expense.claim_id,
        ItemKind.EXPENSE_CLAIM,
        (
            f"Utlägg: {expense.description or _NO_DESCRIPTION[0]}",
            f"Expense: {expense.description or _NO_DESCRIPTION[1]}",
        ),
        expense.amount,
        expense.approved_on.isoformat(),
    )


def _late_claim(ctx: Context, claim: ApprovedTravelClaim) -> PendingLine:
    total = (
        claim.per_diem_tax_free
        + claim.per_diem_taxable
        + claim.mileage_tax_free
        + claim.mileage_taxable
        + claim.expenses
    )
    return _late(
        ctx,
        claim.claim_id,
        ItemKind.TRAVEL_CLAIM,
        (
            f"Reseräkning: {claim.description or _NO_DESTINATION[0]}",
            f"Travel claim: {claim.description or _NO_DESTINATION[1]}",
        ),
        total,
        claim.approved_on.isoformat(),
    )
