"""Payroll rules: preliminary tax, employer contributions, absence, vacation, overtime."""
