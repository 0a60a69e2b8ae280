"""Profile one endpoint in-process (no server, no network): where does a request's time go?

    DATA_DIR=/tmp/prof APP_ENV=demo .venv/bin/python bench/profile_request.py /api/me [email]

Calls the ASGI app directly in a loop under pyinstrument (pip install pyinstrument).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from typing import Any

from backend.app import create_app


async def call(
    app: Any, method: str, path: str, headers: list[tuple[str, str]], body: bytes = b"", qs: str = ""
) -> list[Any]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": qs.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost")] + [(k.encode(), v.encode()) for k, v in headers],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {}

    out: list[Any] = []

    async def send(message: Any) -> None:
        out.append(message)

    await app(scope, receive, send)
    return out


async def main(path: str, email: str) -> None:
    from pyinstrument import Profiler

    app = create_app()
    async with app.lifespan():
        login = json.dumps({"email": email, "password": "demo1234"}).encode()
        out = await call(app, "POST", "/api/auth/login", [("content-type", "application/json")], login)
        headers = [("authorization", "Bearer " + json.loads(out[1]["body"])["token"])]
        for _ in range(20):
            await call(app, "GET", path, headers)
        profiler = Profiler()
        profiler.start()
        started, count = time.perf_counter(), int(os.environ.get("COUNT", "2000"))
        for _ in range(count):
            await call(app, "GET", path, headers)
        elapsed = (time.perf_counter() - started) / count * 1000
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all="--all" in sys.argv))
        print(f"{path}: {elapsed:.3f} ms per request (in-process, no network)")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "anna.andersson@demo.se"))
