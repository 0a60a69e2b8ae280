"""Preliminary payslips on demand, payroll's overview, pay runs and past payslips.

The door the controllers, the pay-run job, the demo data and the benchmarks use. Each use case lives in
its own module: ``views`` (one payslip, history), ``payroll_overview`` (the overview of a period),
``run_plan`` (what a run would pay: preview), ``pay_runs`` (finalise, the runs made), with ``access``
shared; ``PayslipService`` is all of them at once, so callers keep one object per request.
"""

from __future__ import annotations

from backend.payslips.pay_runs import PayRuns, run_view
from backend.payslips.payroll_overview import PayrollOverview
from backend.payslips.run_plan import PREVIEW_ROWS
from backend.payslips.tables import import_table, official_table
from backend.payslips.views import PayslipViews

__all__ = [  # the tax table commands import the tables from here, the pay-run job ``run_view``
    "PREVIEW_ROWS",
    "PayslipService",
    "import_table",
    "official_table",
    "run_view",
]


class PayslipService(PayslipViews, PayrollOverview, PayRuns):
    """Payslips, the payroll overview and pay runs over one session, reader and day."""
