"""Writing notices and their deliveries in the caller's transaction: the outbox.

``publish`` inserts each notice once per recipient and occasion (a unique dedupe key and
insert-or-ignore, so two processes running the same reminder write it once) and, for the
notices that are new, one push delivery per device and an e-mail delivery where the
recipient chose e-mail. Everything is done in bulk statements, so a reminder round for
thousands of people is a handful of queries, not thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Table, and_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.i18n import Language, Text
from backend.db.models import Account, Delivery, DigestState, Notice, PushDevice
from backend.notices.prefs import preferences_of
from notifications import Category, Channel, PushPayload, Urgency, topic_for

CHUNK = 300
"""Rows per INSERT: well under SQLite's and asyncpg's limits on bound parameters."""

TEST_CATEGORY = "test"


@dataclass(frozen=True)
class PushSpec:
    """How the push for a notice travels (RFC 8030 headers)."""

    ttl: int = 24 * 60 * 60
    urgency: Urgency = Urgency.NORMAL
    topic_key: str | None = None
    """Messages with the same key replace each other while undelivered."""


@dataclass(frozen=True)
class Message:
    """One notice for one account; ``push`` None = in-app only (e.g. the digest pushes instead)."""

    organisation_id: UUID
    account_id: UUID
    category: str
    title: Text
    body: Text
    url: str
    dedupe_key: str
    ids: dict[str, str] = field(default_factory=dict)
    push: PushSpec | None = field(default_factory=PushSpec)


def dialect_insert(session: AsyncSession, table: Table) -> Any:
    """INSERT with ON CONFLICT support for the session's database."""
    name = session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def payload_for(
    title: Text, body: Text, url: str, language: str, *, tag: str | None, ids: dict[str, str]
) -> dict[str, Any]:
    lang: Language = "en" if language == "en" else "sv"
    # ``lang`` tells the service worker which language its action buttons speak.
    return PushPayload(title=title(lang), body=body(lang), url=url, tag=tag, ids={**ids, "lang": lang}).as_dict()


async def publish(session: AsyncSession, messages: Sequence[Message], now: datetime) -> list[UUID]:
    """Write the notices that do not exist yet and their deliveries; returns the new notices' ids."""
    if not messages:
        return []
    notice_table = _table(Notice)
    created: dict[tuple[UUID, str], UUID] = {}
    for start in range(0, len(messages), CHUNK):
        rows = [
            {
                "id": uuid4(),
                "created_at": now,
                "updated_at": now,
                "organisation_id": m.organisation_id,
                "account_id": m.account_id,
                "category": m.category,
                "title_sv": m.title.sv[:200],
                "title_en": m.title.en[:200],
                "body_sv": m.body.sv[:1000],
                "body_en": m.body.en[:1000],
                "url": m.url,
                "ids": m.ids,
                "dedupe_key": m.dedupe_key,
                "read_at": None,
            }
            for m in messages[start : start + CHUNK]
        ]
        statement = (
            dialect_insert(session, notice_table)
            .on_conflict_do_nothing(index_elements=["account_id", "dedupe_key"])
            .returning(notice_table.c.id, notice_table.c.account_id, notice_table.c.dedupe_key)
        )
        # executemany: SQLAlchemy batches it into multi-row INSERTs ("insertmanyvalues") and
        # compiles the statement once, where .values(rows) would compile every row's parameters.
        for notice_id, account_id, key in (await session.execute(statement, rows)).tuples():
            created[(account_id, key)] = notice_id
    fresh = [(m, created[(m.account_id, m.dedupe_key)]) for m in messages if (m.account_id, m.dedupe_key) in created]
    await _deliveries(session, [(m, notice_id) for m, notice_id in fresh if m.push is not None], now)
    return [notice_id for _, notice_id in fresh]


async def _recipients(
    session: AsyncSession, account_ids: Iterable[UUID]
) -> tuple[dict[UUID, list[PushDevice]], dict[UUID, tuple[str, str]]]:
    """Devices by account, and (locale, e-mail) by account."""
    ids = list(set(account_ids))
    devices: dict[UUID, list[PushDevice]] = defaultdict(list)
    people: dict[UUID, tuple[str, str]] = {}
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        for device in (await session.execute(select(PushDevice).where(col(PushDevice.account_id).in_(part)))).scalars():
            devices[device.account_id].append(device)
        rows = await session.execute(
            select(Account.id, Account.locale, Account.email).where(
                col(Account.id).in_(part), col(Account.active).is_(True)
            )
        )
        for account_id, locale, email in rows.tuples():
            people[account_id] = (locale, email)
    return devices, people


def _channel_on(category: str, channel: Channel, prefs: Any) -> bool:
    if category == TEST_CATEGORY:
        return channel is Channel.PUSH
    if category not in Category._value2member_map_:
        return False
    return bool(prefs.enabled(Category(category), channel))


async def _deliveries(session: AsyncSession, fresh: Sequence[tuple[Message, UUID]], now: datetime) -> None:
    if not fresh:
        return
    accounts = {m.account_id for m, _ in fresh}
    devices, people = await _recipients(session, accounts)
    prefs = await preferences_of(session, accounts)
    rows: list[dict[str, Any]] = []
    for message, notice_id in fresh:
        spec = message.push
        assert spec is not None
        person = people.get(message.account_id)
        if person is None:  # deactivated account: the notice stays in the list, nothing is sent
            continue
        locale, email = person
        ids = {**message.ids, "notice": str(notice_id)}
        payload = payload_for(message.title, message.body, message.url, locale, tag=message.category, ids=ids)
        common = {
            "created_at": now,
            "updated_at": now,
            "organisation_id": message.organisation_id,
            "account_id": message.account_id,
            "notice_id": notice_id,
            "category": message.category,
            "payload": payload,
            "urgency": spec.urgency.value,
            "ttl_seconds": spec.ttl,
            "topic": topic_for(spec.topic_key) if spec.topic_key else None,
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": now,
        }
        account_prefs = prefs[message.account_id]
        if _channel_on(message.category, Channel.PUSH, account_prefs):
            rows += [
                {**common, "id": uuid4(), "channel": "push", "device_id": device.id}
                for device in devices.get(message.account_id, [])
            ]
        if email and _channel_on(message.category, Channel.EMAIL, account_prefs):
            rows.append({**common, "id": uuid4(), "channel": "email", "device_id": None, "topic": None})
    await insert_deliveries(session, rows)


async def insert_deliveries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    table = _table(Delivery)
    columns = {c.name for c in table.columns}
    for start in range(0, len(rows), CHUNK * 10):
        chunk = [{name: row.get(name) for name in columns} for row in rows[start : start + CHUNK * 10]]
        await session.execute(table.insert(), chunk)


async def bump_digest(session: AsyncSession, organisation_id: UUID, account_ids: Iterable[UUID], now: datetime) -> None:
    """One more item waits for each of these approvers: their next digest counts it."""
    table = _table(DigestState)
    rows = [
        {
            "id": uuid4(),
            "created_at": now,
            "updated_at": now,
            "organisation_id": organisation_id,
            "account_id": account_id,
            "pending": 1,
            "not_before": None,
            "last_sent_at": None,
        }
        for account_id in sorted(set(account_ids))
    ]
    if not rows:
        return
    statement = dialect_insert(session, table).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["account_id"],
        set_={"pending": table.c.pending + 1, "updated_at": now},
    )
    await session.execute(statement)


async def supersede_digests(session: AsyncSession, account_ids: Sequence[UUID], now: datetime) -> None:
    """A newer digest replaces one still waiting in the outbox (as Topic does at the push service)."""
    for start in range(0, len(account_ids), 1000):
        await session.execute(
            update(Delivery)
            .where(
                and_(
                    col(Delivery.account_id).in_(account_ids[start : start + 1000]),
                    col(Delivery.category) == Category.ATTEST_DIGEST.value,
                    col(Delivery.state) == "pending",
                )
            )
            .values(state="superseded", updated_at=now)
            .execution_options(synchronize_session=False)
        )
