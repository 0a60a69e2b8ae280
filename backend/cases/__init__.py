"""Error reports (felanmälan): cases routed to payroll, with their messages and returns."""
