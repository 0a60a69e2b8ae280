"""The signed-in person's notifications, devices and choices: every query is limited to their account."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, invalid, not_found
from backend.db.models import Notice, NoticePreference, PushDevice
from backend.notices.outbox import TEST_CATEGORY, Message, PushSpec, publish
from backend.notices.prefs import to_preferences
from backend.notices.schemas import (
    CategoryChoice,
    NoticeList,
    NoticeView,
    PreferencesIn,
    PreferencesView,
    QuietHoursView,
    SubscriptionIn,
    SubscriptionView,
    TestSent,
)
from backend.notices.texts import NOTICES_URL
from notifications import Category, Channel, Urgency
from notifications.preferences import QUIET_END, QUIET_START, clock_text
from notifications.vapid import b64url_decode

_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def subscription_problems(data: SubscriptionIn, *, allow_http: bool) -> list[FieldError]:
    """Everything wrong with a subscription at once: a non-https endpoint, keys of the wrong size."""
    errors: list[FieldError] = []
    parts = urlsplit(data.endpoint)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        errors.append(
            FieldError(
                "endpoint",
                "not_https",
                Text(
                    sv="Push-adressen måste vara en https://-adress.", en="The push endpoint must be an https:// URL."
                ),
            )
        )
    try:
        point = b64url_decode(data.keys.p256dh)
        if len(point) != 65 or point[0] != 4:
            raise ValueError(point)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        errors.append(
            FieldError(
                "keys.p256dh",
                "invalid_key",
                Text(
                    sv="Nyckeln ska vara en P-256-punkt på 65 byte i base64url.",
                    en="The key must be a 65-byte P-256 point in base64url.",
                ),
            )
        )
    try:
        auth_ok = len(b64url_decode(data.keys.auth)) == 16
    except ValueError:
        auth_ok = False
    if not auth_ok:
        errors.append(
            FieldError(
                "keys.auth",
                "invalid_key",
                Text(
                    sv="Auth-hemligheten ska vara 16 byte i base64url.",
                    en="The auth secret must be 16 bytes in base64url.",
                ),
            )
        )
    return errors


def notice_view(notice: Notice, language: Language) -> NoticeView:
    return NoticeView(
        id=notice.id,
        category=notice.category,
        title=Text(sv=notice.title_sv, en=notice.title_en)(language),
        body=Text(sv=notice.body_sv, en=notice.body_en)(language),
        url=notice.url,
        ids=dict(notice.ids),
        created_at=notice.created_at,
        read_at=notice.read_at,
    )


class NoticeService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    # --- devices --------------------------------------------------------------------------------

    async def subscribe(self, data: SubscriptionIn, *, allow_http: bool) -> tuple[SubscriptionView, bool]:
        """One row per device: the same endpoint again updates it (and moves it to whoever is signed in)."""
        errors = subscription_problems(data, allow_http=allow_http)
        if errors:
            raise invalid(errors)
        existing = (
            await self.session.execute(select(PushDevice).where(col(PushDevice.endpoint) == data.endpoint))
        ).scalar_one_or_none()
        created = existing is None
        device = existing or PushDevice(
            organisation_id=self.principal.organisation_id,
            account_id=self.principal.account_id,
            endpoint=data.endpoint,
            p256dh=data.keys.p256dh,
            auth=data.keys.auth,
        )
        device.organisation_id = self.principal.organisation_id
        device.account_id = self.principal.account_id
        device.p256dh = data.keys.p256dh
        device.auth = data.keys.auth
        device.user_agent = data.user_agent
        self.session.add(device)
        await self.session.commit()
        return SubscriptionView(id=device.id, endpoint=device.endpoint, created_at=device.created_at), created

    async def unsubscribe(self, endpoint: str) -> None:
        await self.session.execute(
            delete(PushDevice).where(
                col(PushDevice.endpoint) == endpoint, col(PushDevice.account_id) == self.principal.account_id
            )
        )
        await self.session.commit()

    async def device_count(self) -> int:
        return int(
            (
                await self.session.execute(
                    select(func.count()).where(col(PushDevice.account_id) == self.principal.account_id)
                )
            ).scalar_one()
        )

    # --- the list -------------------------------------------------------------------------------

    async def unread(self) -> int:
        return int(
            (
                await self.session.execute(
                    select(func.count()).where(
                        col(Notice.account_id) == self.principal.account_id, col(Notice.read_at).is_(None)
                    )
                )
            ).scalar_one()
        )

    async def list(self, language: Language, *, unread_only: bool, limit: int, before: datetime | None) -> NoticeList:
        statement = select(Notice).where(col(Notice.account_id) == self.principal.account_id)
        if unread_only:
            statement = statement.where(col(Notice.read_at).is_(None))
        if before is not None:
            statement = statement.where(col(Notice.created_at) < before)
        rows = await self.session.execute(
            statement.order_by(col(Notice.created_at).desc(), col(Notice.id)).limit(limit)
        )
        return NoticeList(items=[notice_view(n, language) for n in rows.scalars()], unread=await self.unread())

    async def mark_read(self, notice_id: UUID, now: datetime, language: Language) -> NoticeView:
        notice = await self.session.get(Notice, notice_id)
        if notice is None or notice.account_id != self.principal.account_id:
            raise not_found()
        if notice.read_at is None:
            notice.read_at = now
            await self.session.commit()
        return notice_view(notice, language)

    async def mark_all_read(self, now: datetime) -> int:
        await self.session.execute(
            update(Notice)
            .where(col(Notice.account_id) == self.principal.account_id, col(Notice.read_at).is_(None))
            .values(read_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        await self.session.commit()
        return 0

    # --- choices --------------------------------------------------------------------------------

    async def _row(self) -> NoticePreference | None:
        return (
            await self.session.execute(
                select(NoticePreference).where(col(NoticePreference.account_id) == self.principal.account_id)
            )
        ).scalar_one_or_none()

    async def preferences(self, *, email_available: bool) -> PreferencesView:
        row = await self._row()
        prefs = to_preferences(row)
        quiet = prefs.quiet_hours
        return PreferencesView(
            categories=[
                CategoryChoice(
                    category=category.value,
                    push=prefs.enabled(category, Channel.PUSH),
                    email=prefs.enabled(category, Channel.EMAIL),
                    in_app=True,
                    during_quiet_hours=category in prefs.during_quiet_hours,
                )
                for category in Category
            ],
            quiet_hours=QuietHoursView(
                enabled=quiet is not None,
                start=row.quiet_start if row else clock_text(QUIET_START),
                end=row.quiet_end if row else clock_text(QUIET_END),
                timezone=row.timezone if row else "Europe/Stockholm",
            ),
            email_available=email_available,
            devices=await self.device_count(),
        )

    async def save_preferences(self, data: PreferencesIn, *, email_available: bool) -> PreferencesView:
        errors: list[FieldError] = []
        for index, choice in enumerate(data.categories):
            if choice.category not in Category._value2member_map_:
                errors.append(
                    FieldError(
                        f"categories.{index}.category",
                        "unknown_category",
                        Text(sv=f"Okänd kategori: {choice.category}", en=f"Unknown category: {choice.category}"),
                    )
                )
        for name in ("start", "end"):
            if not _CLOCK.fullmatch(getattr(data.quiet_hours, name)):
                errors.append(
                    FieldError(
                        f"quiet_hours.{name}",
                        "invalid_time",
                        Text(sv="Ange tiden som TT:MM, t.ex. 20:00.", en="Give the time as HH:MM, e.g. 20:00."),
                    )
                )
        if data.quiet_hours.enabled and data.quiet_hours.start == data.quiet_hours.end:
            errors.append(
                FieldError(
                    "quiet_hours.end",
                    "empty_period",
                    Text(
                        sv="Tyst tid måste sluta vid en annan tid än den börjar.",
                        en="Quiet hours must end at another time than they start.",
                    ),
                )
            )
        if errors:
            raise invalid(errors)
        row = await self._row() or NoticePreference(account_id=self.principal.account_id)
        choices: dict[str, bool] = {}
        during: list[str] = []
        for choice in data.categories:
            choices[f"{choice.category}:{Channel.PUSH.value}"] = choice.push
            choices[f"{choice.category}:{Channel.EMAIL.value}"] = choice.email
            if choice.during_quiet_hours:
                during.append(choice.category)
        row.choices = {**row.choices, **choices}
        given = {choice.category for choice in data.categories}
        row.during_quiet_hours = sorted(set(during) | {c for c in row.during_quiet_hours if c not in given})
        row.quiet_hours = data.quiet_hours.enabled
        row.quiet_start = data.quiet_hours.start
        row.quiet_end = data.quiet_hours.end
        self.session.add(row)
        await self.session.commit()
        return await self.preferences(email_available=email_available)

    # --- test -------------------------------------------------------------------------------------

    async def send_test(self, now: datetime) -> TestSent:
        """A notice pushed to every device of the caller at once (quiet hours do not apply: they asked)."""
        message = Message(
            organisation_id=self.principal.organisation_id,
            account_id=self.principal.account_id,
            category=TEST_CATEGORY,
            title=Text(sv="Testnotis från Självservice", en="Test notification from Självservice"),
            body=Text(
                sv="Så här ser en notis ut på den här enheten.", en="This is how a notification looks on this device."
            ),
            url=NOTICES_URL,
            dedupe_key=f"test:{uuid4()}",
            push=PushSpec(ttl=600, urgency=Urgency.HIGH),
        )
        created = await publish(self.session, [message], now)
        await self.session.commit()
        return TestSent(notice_id=created[0], devices=await self.device_count())
