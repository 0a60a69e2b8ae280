"""`selfservice`: run the app, migrate the database, load demo data, manage users.

Each command reads the same settings as the app (environment variables; see README).
"""

from __future__ import annotations

import asyncio
import getpass
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from backend.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

pass_settings = click.make_pass_decorator(Settings)
T = TypeVar("T")


def in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in a database session of its own: the engine opens before and closes after."""
    from backend.core.database import create_engine, session_maker

    async def go() -> T:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Employee self-service for time, travel, expenses and pay."""
    if ctx.invoked_subcommand != "openapi":  # the API's document reads no settings (nor makes a secret key in DATA_DIR)
        ctx.obj = Settings.from_env()


# --- run -----------------------------------------------------------------------------------


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


@main.command()
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
        _upgrade(settings)
    if demo:
        _seed(settings, employees=25, if_empty=True)
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


@main.command()
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


# --- openapi ---------------------------------------------------------------------------------


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def openapi(path: Path) -> None:
    """Write the API's OpenAPI document (JSON, keys sorted) to PATH, without a server or a database.

    The web app's API types are generated from it: `npm run api-types` in pwa/.
    """
    import json

    from backend.app import openapi_document

    text = json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


# --- db --------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database migrations (Alembic)."""


def _upgrade(settings: Settings, revision: str = "head") -> None:
    from backend.db import migrate

    if settings.database.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database, revision)


@db.command()
@click.argument("revision", default="head")
@pass_settings
def upgrade(settings: Settings, revision: str) -> None:
    """Upgrade the database to REVISION (default: the newest)."""
    _upgrade(settings, revision)
    click.echo(f"Database at {revision}.")


@db.command()
@click.argument("revision")
@pass_settings
def downgrade(settings: Settings, revision: str) -> None:
    """Downgrade the database to REVISION (e.g. -1 or base)."""
    from backend.db import migrate

    migrate.downgrade(settings.database, revision)


@db.command()
@pass_settings
def current(settings: Settings) -> None:
    """Show the database's revision."""
    from backend.db import migrate

    migrate.current(settings.database)


@db.command()
@click.option("-m", "--message", required=True)
@pass_settings
def revision(settings: Settings, message: str) -> None:
    """Generate a migration from the models (developers)."""
    from backend.db import migrate

    migrate.revision(settings.database, message)


# --- prune -----------------------------------------------------------------------------------


@main.command()
@pass_settings
def prune(settings: Settings) -> None:
    """Delete finished deliveries, old notices and expired idempotency keys once (e.g. from cron).

    Retention: RETAIN_DELIVERIES_DAYS, RETAIN_READ_NOTICES_DAYS, RETAIN_UNREAD_NOTICES_DAYS, IDEMPOTENCY_KEEP_HOURS;
    PRUNE_BATCH_SIZE rows per transaction. Safe to run while the app runs, and to run again.
    """
    from backend.core.clock import Clock
    from backend.core.database import create_engine, session_maker
    from backend.maintenance.pruning import prune_all

    async def go() -> dict[str, int]:
        engine = create_engine(settings.database)
        try:
            return await prune_all(session_maker(engine), Clock().now(), settings)
        finally:
            await engine.dispose()

    for name, count in asyncio.run(go()).items():
        click.echo(f"{name}\t{count}")


# --- demo ------------------------------------------------------------------------------------


@main.group()
def demo() -> None:
    """Demo data."""


def _seed(settings: Settings, employees: int, if_empty: bool) -> None:
    from backend.core.clock import Clock
    from backend.core.database import create_engine, session_maker
    from backend.demo.seed import demo_exists, seed_demo

    async def go() -> None:
        engine = create_engine(settings.database)
        sessions = session_maker(engine)
        try:
            async with sessions() as session:
                exists = await demo_exists(session)
            if exists:
                if if_empty:
                    click.echo("Demo data already loaded; keeping it.")
                    return
                raise click.ClickException("Demo AB already exists in this database.")
            await seed_demo(sessions, Clock().today(), employees=employees)
            click.echo(f"Demo AB loaded with {employees} employees.")
        finally:
            await engine.dispose()

    asyncio.run(go())


@demo.command()
@click.option("--employees", type=click.IntRange(9, 200_000), default=25, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing if the demo organisation exists")
@pass_settings
def seed(settings: Settings, employees: int, if_empty: bool) -> None:
    """Load the demo organisation "Demo AB" (only in demo or test mode)."""
    if not settings.demo_enabled:
        raise click.ClickException("Demo data needs APP_ENV=demo (demo logins are refused in production).")
    _seed(settings, employees, if_empty)


# --- rates -----------------------------------------------------------------------------------


@main.group()
def rates() -> None:
    """Yearly figures (tax rules, per diem, mileage, wellness, contributions, sick pay, vacation)."""


@rates.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_settings
def rates_import(settings: Settings, file: Path) -> None:
    """Load a year's figures (same TOML format as se-2026.toml); payslips for that year then use them."""
    from backend.core.database import create_engine, session_maker
    from backend.core.rates_store import import_rates
    from backend.domain.errors import DomainError

    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file.name} is not UTF-8 text (byte {exc.start}).") from exc

    async def go() -> tuple[int, tuple[str, ...]]:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                loaded = await import_rates(session, text, who=f"cli:{file.name}", source=file.name)
                return loaded.year, loaded.missing
        finally:
            await engine.dispose()

    try:
        year, missing = asyncio.run(go())
    except DomainError as exc:
        raise click.ClickException(f"Refused, nothing was loaded: {exc.message.en}") from exc
    click.echo(f"Loaded the {year} figures from {file.name}; payslips paid in {year} now use them.")
    if missing:
        click.echo(f"Sections without figures for {year}: {', '.join(missing)}.")


# --- tax -------------------------------------------------------------------------------------


@main.group()
def tax() -> None:
    """Preliminary tax: Skatteverket's monthly tables."""


@tax.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="Default: the four-digit year in the file name")
@pass_settings
def tax_import(settings: Settings, file: Path, year: int | None) -> None:
    """Import an official table file; payslips for that year then use it instead of the computed table."""
    import re

    from backend.core.database import create_engine, session_maker
    from backend.domain.errors import DomainError
    from backend.payslips.services import import_table

    if year is None:
        found = re.search(r"(20\d\d)", file.name)
        if not found:
            raise click.ClickException("Give --year: the file name does not say which year the table is for.")
        year = int(found.group(1))
    text = file.read_bytes().decode("utf-8-sig")

    async def go() -> int:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                return await import_table(session, text, year, who=f"cli:{file.name}")
        finally:
            await engine.dispose()

    try:
        rows = asyncio.run(go())
    except DomainError as exc:
        raise click.ClickException(exc.message.en) from exc
    click.echo(f"Imported {rows} rows of the {year} tax tables from {file.name}.")


@tax.command("withholding")
@click.option("--year", type=int, required=True)
@click.option("--table", "table_number", type=int, required=True)
@click.option("--column", type=int, default=1, show_default=True)
@click.argument("incomes", nargs=-1, required=True)
@pass_settings
def tax_withholding(settings: Settings, year: int, table_number: int, column: int, incomes: Sequence[str]) -> None:
    """Print "INCOME<TAB>WITHHELD" per monthly income (the official table, imported or shipped; else computed)."""
    from backend.core.database import create_engine, session_maker
    from backend.core.rates_store import ensure_loaded_rates
    from backend.domain.errors import DomainError
    from backend.domain.payroll.cli_support import withholding_lines
    from backend.payslips.services import official_table

    async def table() -> object:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                await ensure_loaded_rates(session)  # years loaded with rates import
                return await official_table(session, year)
        except Exception:
            return None
        finally:
            await engine.dispose()

    imported = asyncio.run(table())
    try:
        for line in withholding_lines(year, table_number, column, list(incomes), imported=imported):  # type: ignore[arg-type]
            click.echo(line)
    except DomainError as exc:
        raise click.ClickException(exc.message.en) from exc


# --- users -----------------------------------------------------------------------------------


@main.group()
def users() -> None:
    """Accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option(
    "--role", "roles", multiple=True, type=click.Choice(["employee", "manager", "payroll", "admin"]), required=True
)
@click.option("--organisation", "organisation_name", required=True, help="Created if it does not exist")
@click.option("--password", default=None, help="Prompted for when omitted")
@pass_settings
def create_user(
    settings: Settings,
    email: str,
    display_name: str,
    roles: Sequence[str],
    organisation_name: str,
    password: str | None,
) -> None:
    """Create an account (e.g. the first administrator of a new organisation)."""
    from sqlmodel import col, select

    from backend.core.passwords import hash_password
    from backend.db.models import Account, AccountRole, Organisation

    if password is None:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            raise click.ClickException("The passwords differ.")
    from backend.core.passwords import MIN_PASSWORD_LENGTH

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"Use at least {MIN_PASSWORD_LENGTH} characters.")

    async def go(session: AsyncSession) -> None:
        organisation = (
            await session.execute(select(Organisation).where(col(Organisation.name) == organisation_name))
        ).scalar_one_or_none()
        if organisation is None:
            organisation = Organisation(name=organisation_name)
            session.add(organisation)
            await session.flush()
        if (await session.execute(select(Account.id).where(col(Account.email) == email.lower()))).first():
            raise click.ClickException(f"{email} already has an account.")
        account = Account(
            organisation_id=organisation.id,
            email=email.lower(),
            display_name=display_name,
            password_hash=hash_password(password),
        )
        session.add(account)
        await session.flush()
        for role in sorted(set(roles)):
            session.add(AccountRole(account_id=account.id, role=role))
        await session.commit()
        click.echo(f"Created {email} ({', '.join(sorted(set(roles)))}) in {organisation_name}.")

    in_session(settings, go)


@users.command("set-password")
@click.argument("email")
@pass_settings
def set_password_command(settings: Settings, email: str) -> None:
    """Set an account's password: prompted for twice, or read from stdin when piped (one line).

    For an administrator who cannot sign in, or a site without e-mail for reset links.
    """
    from sqlmodel import col, select

    from backend.accounts.credentials import set_password
    from backend.core.problems import Problem
    from backend.db.models import Account

    if sys.stdin.isatty():
        password = getpass.getpass("Nytt lösenord / New password: ")
        if password != getpass.getpass("Igen / Again: "):
            raise click.ClickException("Lösenorden skiljer sig / The passwords differ.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")

    async def go(session: AsyncSession) -> None:
        account = (
            await session.execute(select(Account).where(col(Account.email) == email.strip().lower()))
        ).scalar_one_or_none()
        if account is None:
            raise click.ClickException(f"{email}: inget sådant konto / no such account.")
        await set_password(session, settings, account, password)
        await session.commit()

    try:
        in_session(settings, go)
    except Problem as exc:
        raise _refused(exc) from exc
    click.echo(f"Lösenordet är bytt / The password is set: {email}")


# --- periods and exports ---------------------------------------------------------------------


def _refused(exc: Exception) -> click.ClickException:
    """A refusal as the API words it, in Swedish and English, for stderr (exit code 1)."""
    from backend.core.problems import Problem
    from backend.domain.errors import DomainError

    if isinstance(exc, Problem):
        lines = [f"{exc.title.sv} / {exc.title.en}"]
        if exc.detail is not None:
            lines += [exc.detail.sv, exc.detail.en]
        lines += [f"- {e.field}: {e.message.sv} / {e.message.en}" for e in exc.errors]
        return click.ClickException("\n".join(lines))
    assert isinstance(exc, DomainError)
    return click.ClickException(f"{exc.message.sv}\n{exc.message.en}")


async def _organisation(session: Any, name: str | None) -> Any:
    """The organisation named, or the only one there is."""
    from sqlmodel import col, select

    from backend.db.models import Organisation

    statement = select(Organisation)
    if name is not None:
        statement = statement.where(col(Organisation.name) == name)
    found = list((await session.execute(statement.limit(2))).scalars())
    if len(found) != 1:
        what = f'"{name}" finns inte / does not exist' if name else "flera finns / there are several"
        raise click.ClickException(f"Ange --organisation: {what}.")
    return found[0]


organisation_option = click.option(
    "--organisation", "organisation_name", default=None, help="Default: the only organisation in the database"
)


@main.group()
def period() -> None:
    """Pay periods: closing one freezes what is approved into an export batch."""


@period.command("close")
@click.option("--period", "period_text", required=True, help="YYYY-MM")
@organisation_option
@pass_settings
def period_close(settings: Settings, period_text: str, organisation_name: str | None) -> None:
    """Close a period after its cut-off and make its export batch."""
    from backend.core import clock
    from backend.core.database import create_engine, session_maker
    from backend.core.problems import Problem
    from backend.domain.errors import DomainError
    from backend.exports.periods import PeriodService, parse_period
    from backend.storage import open_store

    async def go() -> str:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                organisation = await _organisation(session, organisation_name)
                storage = open_store(settings.storage_url, settings.data_dir)
                service = PeriodService(session, None, organisation.id, storage)
                closed = await service.close(parse_period(period_text), clock.current().now(), "cli")
                batch = closed.batch
                return (
                    f"{batch.period} stängd / closed: export {batch.sequence}, {batch.items} items, "
                    f"{batch.transactions} transactions, {batch.vouchers} vouchers, {batch.reversals} reversals."
                )
        finally:
            await engine.dispose()

    try:
        click.echo(asyncio.run(go()))
    except (Problem, DomainError) as exc:
        raise _refused(exc) from exc


@main.group()
def export() -> None:
    """Export batches as files: PAXml for the payroll system, SIE for bookkeeping."""


def _export(settings: Settings, kind: str, period_text: str, out: Path, sequence: int | None, name: str | None) -> None:
    from backend.core.database import create_engine, session_maker
    from backend.core.i18n import Text
    from backend.core.problems import Problem, conflict, not_found
    from backend.domain.errors import DomainError
    from backend.exports import listing
    from backend.exports.files import file_bytes
    from backend.exports.periods import PeriodService, parse_period
    from backend.storage import open_store

    async def go() -> str:
        engine = create_engine(settings.database)
        try:
            async with session_maker(engine)() as session:
                organisation = await _organisation(session, name)
                period = parse_period(period_text)
                if not await PeriodService(session, None, organisation.id).is_closed(period):
                    raise conflict(
                        "period.open",
                        Text(
                            sv=f"Perioden {period} är inte stängd: stäng den först.",
                            en=f"The period {period} is not closed: close it first.",
                        ),
                    )
                if sequence is None:
                    batch = await listing.latest(session, organisation.id, str(period))
                else:
                    batch = await listing.by_sequence(session, organisation.id, str(period), sequence)
                if batch is None:
                    raise not_found(Text(sv="Exporten finns inte.", en="The export batch does not exist."))
                pieces = file_bytes(session, batch, kind, open_store(settings.storage_url, settings.data_dir))
                with out.open("wb") as file:
                    async for piece in pieces:
                        file.write(piece)
                return f"{out}: export {batch.sequence} of {batch.period} ({kind})."
        finally:
            await engine.dispose()

    try:
        click.echo(asyncio.run(go()))
    except (Problem, DomainError) as exc:
        raise _refused(exc) from exc


export_options = [
    click.option("--period", "period_text", required=True, help="YYYY-MM (a closed period)"),
    click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path)),
    click.option("--batch", "sequence", type=click.IntRange(1), default=None, help="Default: the latest"),
    organisation_option,
]


def _with_options(function: Any) -> Any:
    for option in reversed(export_options):
        function = option(function)
    return function


@export.command("paxml")
@_with_options
@pass_settings
def export_paxml(
    settings: Settings, period_text: str, out: Path, sequence: int | None, organisation_name: str | None
) -> None:
    """Write a batch's PAXml file (payroll transactions)."""
    _export(settings, "paxml", period_text, out, sequence, organisation_name)


@export.command("sie")
@_with_options
@pass_settings
def export_sie(
    settings: Settings, period_text: str, out: Path, sequence: int | None, organisation_name: str | None
) -> None:
    """Write a batch's SIE 4 file (vouchers for expense and travel claims)."""
    _export(settings, "sie", period_text, out, sequence, organisation_name)


def _main_path() -> Path:
    return Path(sys.argv[0])


if __name__ == "__main__":
    main()


# --- single sign-on -----------------------------------------------------------------------------


@main.group()
def sso() -> None:
    """Single sign-on: an organisation's OpenID Provider."""


@sso.command("set")
@click.option("--organisation", "organisation_name", required=True)
@click.option("--domain", "email_domain", required=True, help="E-mail domain whose addresses sign in there")
@click.option("--issuer", required=True, help="The provider's issuer URL (discovery is read from it)")
@click.option("--client-id", required=True)
@click.option("--client-secret", default=None, envvar="SSO_CLIENT_SECRET", help="Or SSO_CLIENT_SECRET; none = public")
@click.option("--match-by", type=click.Choice(["email", "subject"]), default="email", show_default=True)
@click.option("--provisioning/--no-provisioning", default=False, show_default=True, help="Create unknown users")
@pass_settings
def sso_set(
    settings: Settings,
    organisation_name: str,
    email_domain: str,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    match_by: str,
    provisioning: bool,
) -> None:
    """Sign an organisation's people in at its OpenID Provider (register PUBLIC_URL/api/auth/sso/callback there)."""
    from sqlmodel import col, select

    from backend.accounts.single_sign_on import configure
    from backend.db.models import Organisation

    async def go(session: AsyncSession) -> None:
        organisation = (
            await session.execute(select(Organisation).where(col(Organisation.name) == organisation_name))
        ).scalar_one_or_none()
        if organisation is None:
            raise click.ClickException(f"No organisation is called {organisation_name}.")
        await configure(
            session,
            organisation.id,
            email_domain=email_domain,
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret,
            match_by="subject" if match_by == "subject" else "email",
            provisioning=provisioning,
        )
        click.echo(f"{organisation_name}: @{email_domain.lstrip('@')} signs in at {issuer}.")

    in_session(settings, go)


@sso.command("link")
@click.argument("email")
@click.option("--issuer", required=True)
@click.option("--subject", required=True, help="The person's `sub` at the provider")
@pass_settings
def sso_link(settings: Settings, email: str, issuer: str, subject: str) -> None:
    """Tie a provider's subject to an account (for organisations that match by subject)."""
    from backend.accounts.single_sign_on import link

    async def go(session: AsyncSession) -> None:
        try:
            await link(session, email, issuer, subject)
        except LookupError as exc:
            raise click.ClickException(f"{email} has no account.") from exc
        click.echo(f"{email} signs in as {subject} at {issuer}.")

    in_session(settings, go)
