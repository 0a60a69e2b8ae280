"""Lena finalises the coming pay run in the browser: the server's job pays it while the dialog waits,
then the page says what was paid (a server of its own: the other tests expect the month unpaid)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import running_server
from tests.e2e.helpers import login, new_phone

LENA = "lena.lind@demo.se"


@pytest.fixture(scope="module")
def paying_server(tmp_path_factory: pytest.TempPathFactory, served_dist: Path) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("pay-run-data"), served_dist) as url:
        yield url


def test_lena_finalises_the_pay_run_and_the_page_shows_what_the_job_paid(browser: Browser, paying_server: str) -> None:
    lena = new_phone(browser, paying_server)
    try:
        login(lena, LENA)
        runs_before = lena.request.get("/api/payroll/pay-runs").json()
        lena.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Löneöversikt").click()
        lena.get_by_role("button", name=re.compile(r"^Slutför lönekörningen för \w+ \d{4}…$")).click()
        dialog = lena.get_by_role("dialog")
        preview = lena.request.get("/api/payroll/pay-runs/preview").json()
        expect(dialog.locator("#payroll-confirm-body")).to_contain_text(f"{preview['employees']} anställda, ")

        dialog.get_by_role("button", name="Ja, slutför").click()

        expect(lena.get_by_role("status").filter(has_text="är slutförd")).to_contain_text(
            f"{preview['employees']} lönespecifikationer", timeout=30_000
        )
        expect(dialog).to_be_hidden()
        runs = lena.request.get("/api/payroll/pay-runs").json()
        assert len(runs) == len(runs_before) + 1
        assert (runs[0]["period"], runs[0]["employees"]) == (preview["period"], preview["employees"])
    finally:
        lena.context.close()
