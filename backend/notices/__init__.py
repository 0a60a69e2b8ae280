"""Notifications: the in-app list, Web Push and e-mail deliveries, digests and reminders.

Events are written by ``events`` in the caller's transaction (an outbox); the worker
tasks in ``delivery`` and ``reminders`` send them. The channels themselves live in the
pure ``notifications`` package.
"""
