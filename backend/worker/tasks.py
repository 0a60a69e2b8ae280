"""Every background task, in one list: what runs, how often."""

from __future__ import annotations

from backend.expenses.interpretation import BATCH as INTERPRET_BATCH
from backend.expenses.interpretation import interpret_queued_receipts
from backend.notices.delivery import BATCH as DELIVERY_BATCH
from backend.notices.delivery import deliver_notifications
from backend.notices.reminders import send_attest_nudges, send_cutoff_reminders
from backend.worker.runner import Task


def all_tasks() -> list[Task]:
    return [
        Task("interpret_receipts", interpret_queued_receipts, every_seconds=2, batch=INTERPRET_BATCH),
        Task("deliver_notifications", deliver_notifications, every_seconds=2, batch=DELIVERY_BATCH),
        Task("cutoff_reminders", send_cutoff_reminders, cron="0 8,14 * * *"),
        Task("attest_nudges", send_attest_nudges, cron="0 9 * * mon"),
    ]
