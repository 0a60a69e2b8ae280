"""Notifications for the signed-in person: the push key, devices, the list, choices and a test."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from backend.core.deps import ClockDep, DbSession, JobsDep, LanguageDep, PrincipalDep, SettingsDep
from backend.notices import channels
from backend.notices.schemas import (
    NoticeList,
    NoticeView,
    PreferencesIn,
    PreferencesView,
    PushKey,
    SubscriptionIn,
    SubscriptionView,
    TestSent,
    UnreadCount,
    UnsubscribeIn,
)
from backend.notices.services import NoticeService


class PushController(Controller):
    path = "/api/push"
    tags = ["Notifications"]

    @get("/key")
    async def key(self, settings: SettingsDep) -> PushKey:
        """The application server key to pass to ``pushManager.subscribe()``."""
        return PushKey(application_server_key=channels.vapid_keys(settings).application_server_key)

    @post("/subscriptions", status_code=HTTP_201_CREATED, may_create=True)
    async def subscribe(
        self, data: JSONBody[SubscriptionIn], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> Response[SubscriptionView]:
        """Register this device (the body is ``PushSubscription.toJSON()``). The same endpoint again: 200."""
        view, created = await NoticeService(db_session, principal).subscribe(
            data, allow_http=channels.allows_http_endpoints(settings)
        )
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @post("/unsubscribe", status_code=HTTP_204_NO_CONTENT)
    async def unsubscribe(self, data: JSONBody[UnsubscribeIn], principal: PrincipalDep, db_session: DbSession) -> None:
        """Forget this device (yours only); nothing happens for an unknown endpoint."""
        await NoticeService(db_session, principal).unsubscribe(data.endpoint)


class NoticeController(Controller):
    path = "/api/notifications"
    tags = ["Notifications"]

    @get("/")
    async def list_notices(
        self,
        language: LanguageDep,
        principal: PrincipalDep,
        db_session: DbSession,
        unread_only: FromQuery[bool] = False,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        before: FromQuery[datetime | None] = None,
    ) -> NoticeList:
        """Your notifications, newest first, with the unread count (page with ``before``)."""
        return await NoticeService(db_session, principal).list(
            language, unread_only=unread_only, limit=limit, before=before
        )

    @get("/unread-count")
    async def unread_count(self, principal: PrincipalDep, db_session: DbSession) -> UnreadCount:
        """For the badge."""
        return UnreadCount(unread=await NoticeService(db_session, principal).unread())

    @post("/{notice_id:uuid}/read", status_code=HTTP_200_OK)
    async def mark_read(
        self,
        language: LanguageDep,
        notice_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
    ) -> NoticeView:
        return await NoticeService(db_session, principal).mark_read(notice_id, clock.now(), language)

    @post("/read-all", status_code=HTTP_200_OK)
    async def mark_all_read(self, principal: PrincipalDep, db_session: DbSession, clock: ClockDep) -> UnreadCount:
        await NoticeService(db_session, principal).mark_all_read(clock.now())
        return UnreadCount(unread=0)

    @get("/preferences")
    async def preferences(
        self, principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> PreferencesView:
        """Per category: push and e-mail on or off, and whether it may come during quiet hours."""
        return await NoticeService(db_session, principal).preferences(email_available=bool(settings.smtp_host))

    @put("/preferences")
    async def save_preferences(
        self, data: JSONBody[PreferencesIn], principal: PrincipalDep, db_session: DbSession, settings: SettingsDep
    ) -> PreferencesView:
        return await NoticeService(db_session, principal).save_preferences(
            data, email_available=bool(settings.smtp_host)
        )

    @post("/test", status_code=HTTP_202_ACCEPTED)
    async def send_test(
        self, principal: PrincipalDep, db_session: DbSession, clock: ClockDep, jobs: JobsDep
    ) -> TestSent:
        """Send yourself a notification now, to every device you subscribed (for the settings page)."""
        sent = await NoticeService(db_session, principal).send_test(clock.now())
        await jobs.wake("dispatch_notifications")
        return sent
