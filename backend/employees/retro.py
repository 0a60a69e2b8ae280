"""What a change of terms dated into paid months means for the next payslip: told to payroll at once.

The retro itself is the payslip engine's (``backend/domain/payslip/retro.py``); this asks it,
for the one employee, what the next open payslip will carry now that the change is recorded.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.i18n import Language, Text
from backend.db.models import Employee, Organisation
from backend.domain.calendar import PayPeriod
from backend.domain.payslip.retro import retro_preview
from backend.domain.payslip.text import kr, month_name
from backend.employees.schemas import RetroLineView, RetroNotice
from backend.payslips import sources


async def retro_notice(
    session: AsyncSession,
    organisation: Organisation,
    employee: Employee,
    valid_from: date,
    today: date,
    language: Language,
) -> tuple[RetroNotice, dict[str, object]] | None:
    """The notice (in ``language``) when ``valid_from`` reaches a month a finalised payslip paid, else None.

    Also the figures for the audit trail. Call after the new terms are added to the session.
    """
    latest = await sources.latest_run(session, organisation.id)
    period = PayPeriod.parse(latest.period).next() if latest else PayPeriod.of(today)
    facts = (await sources.gather(session, organisation, period, [employee])).get(employee.id)
    if facts is None:
        return None
    inputs = sources.engine_inputs(facts, organisation, sources.payslip_period(organisation, period), today)
    paid = [p for p in inputs.paid_salaries if (p.year, p.month) < (period.year, period.month)]
    reached = [p for p in paid if date(p.year, p.month, 1) >= valid_from.replace(day=1)]
    if not reached:
        return None
    preview = retro_preview(inputs)
    months = Text(
        sv=", ".join(month_name(p.year, p.month, "sv") for p in reached),
        en=", ".join(month_name(p.year, p.month, "en") for p in reached),
    )
    if preview.lines:
        each = Text(
            sv="; ".join(f"{line.text_sv}, {kr(line.amount, 'sv')}" for line in preview.lines),
            en="; ".join(f"{line.text_en}, {kr(line.amount, 'en')}" for line in preview.lines),
        )
        carries = Text(
            sv=f"Lönespecifikationen för {period} får retro {kr(preview.total, 'sv')}: {each.sv}.",
            en=f"The payslip for {period} will carry retro of {kr(preview.total, 'en')}: {each.en}.",
        )
    else:
        carries = Text(
            sv=f"Lönespecifikationen för {period} får ingen retro: det som betalats stämmer med villkoren.",
            en=f"The payslip for {period} carries no retro: what was paid matches the terms.",
        )
    questions = [(w.message.sv, w.message.en) for w in preview.warnings]
    message = Text(
        sv=f"Ändringen gäller från {valid_from.isoformat()}, i redan utbetalda månader ({months.sv}). {carries.sv}"
        + "".join(" " + q[0] for q in questions),
        en=f"The change applies from {valid_from.isoformat()}, in months already paid ({months.en}). {carries.en}"
        + "".join(" " + q[1] for q in questions),
    )
    audit: dict[str, object] = {
        "back_dated_into": [p.label for p in reached],
        "retro_period": str(period),
        "retro_total": str(preview.total),
        "retro_lines": [{"work_period": line.work_period, "amount": str(line.amount)} for line in preview.lines],
    }
    notice = RetroNotice(
        message=message(language),
        period=str(period),
        total=preview.total,
        lines=[
            RetroLineView(
                work_period=line.work_period or "",
                text=line.text_en if language == "en" else line.text_sv,
                amount=line.amount,
            )
            for line in preview.lines
        ],
    )
    return notice, audit
