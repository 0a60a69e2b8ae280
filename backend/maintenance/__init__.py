"""Keeping tables bounded: deleting what has served its purpose (finished outbox rows, old notices, expired keys).

Run by ``selfservice prune`` (or a scheduled job); the audit log is never pruned.
"""
