"""`selfservice run`, `worker` and `openapi`: the processes of a site, and the API's document."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import click

from backend.cli.common import pass_settings
from backend.cli.database import upgrade_database
from backend.cli.demo import load_demo
from backend.config import Settings


def print_demo_logins(settings: Settings) -> None:
    from backend.demo.seed import DEMO_LOGINS, DEMO_PASSWORD

    url = f"http://{settings.host}:{settings.port}"
    click.echo("")
    click.secho(f"  Employee self-service is starting at {url}", bold=True)
    if settings.demo_enabled:
        click.echo(f"  Demo logins (password: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            click.echo(f"    {login.email:<28} {login.role:<9} {login.description}")
    click.echo("")


@click.command()
@click.option("--host", default=None, help="Default: HOST or 127.0.0.1")
@click.option("--port", type=int, default=None, help="Default: PORT or 8000")
@click.option("--workers", type=int, default=None, help="API processes. Default: WEB_CONCURRENCY or 1")
@click.option("--migrate/--no-migrate", default=False, help="Upgrade the database before starting")
@click.option("--demo/--no-demo", default=False, help="Load the demo organisation if the database has none")
@pass_settings
def run(settings: Settings, host: str | None, port: int | None, workers: int | None, migrate: bool, demo: bool) -> None:
    """Serve the API and the web app (Granian, production settings)."""
    from granian.constants import Interfaces, Loops
    from granian.server import Server

    if host:
        os.environ["HOST"] = host
    if port:
        os.environ["PORT"] = str(port)
    settings = Settings.from_env()
    if settings.metrics_enabled:  # before anything imports prometheus_client: Granian forks the API processes
        from backend.core.metrics_dir import prepare_multiprocess_dir

        prepare_multiprocess_dir(settings.data_dir)
    if migrate:
        upgrade_database(settings)
    if demo:
        load_demo(settings, employees=25, if_empty=True)
    print_demo_logins(settings)
    Server(
        "backend.app:serve_app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=workers or settings.workers,
        loop=Loops.uvloop,
        factory=True,
        log_access=False,
    ).serve()


@click.command()
@pass_settings
def worker(settings: Settings) -> None:
    """Run background jobs (receipt reading, notifications, reminders) in this process.

    Start as many as you like on PostgreSQL: the job system gives each job to one worker.
    SIGTERM stops gracefully: running jobs may finish for JOBS_SHUTDOWN_SECONDS, the rest are given back.
    """
    if settings.metrics_enabled:  # on the API's host, its /metrics shows this process's counts too
        from backend.core.metrics_dir import join_multiprocess_dir

        join_multiprocess_dir(settings.data_dir)
    from backend.core.clock import Clock
    from backend.core.database import create_engine
    from backend.core.logging import configure_logging
    from backend.worker.jobs import Jobs
    from backend.worker.runner import JobRunner

    configure_logging(settings.log_level, settings.log_format)

    async def go() -> None:
        engine = create_engine(settings.database.for_worker())
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        try:
            await JobRunner(settings, engine, Clock(), Jobs(settings)).run_until(stop)
        finally:
            await engine.dispose()

    try:
        import uvloop  # the API's loop too (Granian); ~10 % less CPU per push (bench/push_fanout.py)
    except ImportError:
        asyncio.run(go())
    else:
        uvloop.run(go())


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def openapi(path: Path) -> None:
    """Write the API's OpenAPI document (JSON, keys sorted) to PATH, without a server or a database.

    The web app's API types are generated from it: `npm run api-types` in pwa/.
    """
    import json

    from backend.app import openapi_document

    text = json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
