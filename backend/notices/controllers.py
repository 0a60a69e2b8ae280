"""Notifications for the signed-in person: the push key, devices, the list, choices and a test."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeAlias
from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, SkipValidation
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


def provide_notices(db_session: DbSession, principal: PrincipalDep) -> NoticeService:
    """The signed-in person's notifications and devices: the service's wiring in one place."""
    return NoticeService(db_session, principal)


NoticesDep: TypeAlias = NamedDependency[SkipValidation[NoticeService]]
NOTICES = {"notices": Provide(provide_notices, sync_to_thread=False)}


class PushController(Controller):
    path = "/api/push"
    tags = ["Notifications"]
    dependencies = NOTICES

    @get("/key")
    async def key(self, settings: SettingsDep) -> PushKey:
        """The application server key to pass to ``pushManager.subscribe()``."""
        return PushKey(application_server_key=channels.vapid_keys(settings).application_server_key)

    @post("/subscriptions", status_code=HTTP_201_CREATED, may_create=True)
    async def subscribe(
        self, data: JSONBody[SubscriptionIn], notices: NoticesDep, settings: SettingsDep
    ) -> Response[SubscriptionView]:
        """Register this device (the body is ``PushSubscription.toJSON()``). The same endpoint again: 200."""
        view, created = await notices.subscribe(data, allow_http=channels.allows_http_endpoints(settings))
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @post("/unsubscribe", status_code=HTTP_204_NO_CONTENT)
    async def unsubscribe(self, data: JSONBody[UnsubscribeIn], notices: NoticesDep) -> None:
        """Forget this device (yours only); nothing happens for an unknown endpoint."""
        await notices.unsubscribe(data.endpoint)


class NoticeController(Controller):
    path = "/api/notifications"
    tags = ["Notifications"]
    dependencies = NOTICES

    @get("/")
    async def list_notices(
        self,
        language: LanguageDep,
        notices: NoticesDep,
        unread_only: FromQuery[bool] = False,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        before: FromQuery[datetime | None] = None,
    ) -> NoticeList:
        """Your notifications, newest first, with the unread count (page with ``before``)."""
        return await notices.list(language, unread_only=unread_only, limit=limit, before=before)

    @get("/unread-count")
    async def unread_count(self, notices: NoticesDep) -> UnreadCount:
        """For the badge."""
        return UnreadCount(unread=await notices.unread())

    @post("/{notice_id:uuid}/read", status_code=HTTP_200_OK)
    async def mark_read(
        self, language: LanguageDep, notice_id: FromPath[UUID], notices: NoticesDep, clock: ClockDep
    ) -> NoticeView:
        return await notices.mark_read(notice_id, clock.now(), language)

    @post("/read-all", status_code=HTTP_200_OK)
    async def mark_all_read(self, notices: NoticesDep, clock: ClockDep) -> UnreadCount:
        await notices.mark_all_read(clock.now())
        return UnreadCount(unread=0)

    @get("/preferences")
    async def preferences(self, notices: NoticesDep, settings: SettingsDep) -> PreferencesView:
        """Per category: push and e-mail on or off, and whether it may come during quiet hours."""
        return await notices.preferences(email_available=bool(settings.smtp_host))

    @put("/preferences")
    async def save_preferences(
        self, data: JSONBody[PreferencesIn], notices: NoticesDep, settings: SettingsDep
    ) -> PreferencesView:
        return await notices.save_preferences(data, email_available=bool(settings.smtp_host))

    @post("/test", status_code=HTTP_202_ACCEPTED)
    async def send_test(self, notices: NoticesDep, clock: ClockDep, jobs: JobsDep) -> TestSent:
        """Send yourself a notification now, to every device you subscribed (for the settings page)."""
        sent = await notices.send_test(clock.now())
        await jobs.wake("dispatch_notifications")
        return sent
