"""Structured logs (structlog) with a request id on every line of a request.

One pure-ASGI middleware gives each request an id (the client's ``X-Request-ID`` when it
is sane, else a new one), binds it to the log context, returns it in the response and
writes one access line when the response is sent.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import Any

import msgspec
import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from backend.core.metrics import RequestMetrics

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = structlog.get_logger("access")


def configure_logging(level: str = "INFO", fmt: str = "console") -> None:
    """structlog writes its own lines directly (fast: one access line per request);
    the standard library's loggers (SQLAlchemy, Granian, ...) go through the same renderer.
    """
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_json)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access", "granian.access", "procrastinate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _json(value: Any, **_: Any) -> str:
    return msgspec.json.encode(value, enc_hook=str).decode()


class RequestContextMiddleware:
    """Request id in, request id out, one access log line per request, and its time in the latency histogram.

    The histogram is observed here, not in a middleware of its own: this one already times the
    request and sees its status, so the metric costs one dict lookup and one observation.
    """

    def __init__(self, app: ASGIApp, log_requests: bool = True, metrics: RequestMetrics | None = None) -> None:
        self.app = app
        self.log_requests = log_requests
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        incoming = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            http_scope: HTTPScope = scope
            if self.metrics is not None:
                # The route's template once Litestar has routed it (``/api/expenses/{expense_id}``), never the path.
                self.metrics.observe(http_scope["method"], scope.get("path_template"), status, seconds)
            if self.log_requests:
                access_log.info(
                    "request",
                    method=http_scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round(seconds * 1000, 1),
                )
            structlog.contextvars.clear_contextvars()
