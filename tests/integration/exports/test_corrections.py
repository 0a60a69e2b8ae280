"""An exported item corrected afterwards is reversed in the next batch, never changed silently."""

from __future__ import annotations

from decimal import Decimal

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.clock import FixedClock
from tests.integration.exports.conftest import (
    approve_claim,
    close_november,
    correct_and_approve,
    exported_per_item,
    return_item,
)
from tests.support.jobs import RunJobs
from tests.support.sie_reader import read_sie


async def test_a_corrected_item_is_reversed_and_sent_again_in_the_next_batch(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    run_jobs: RunJobs,
) -> None:
    ids = await approve_claim(client, as_role, clock, amount="100.00")
    first = await close_november(client, as_role, run_jobs)
    await return_item(client, as_role, ids["item"])
    await correct_and_approve(client, as_role, clock, ids, "120.00")

    second = await close_november(client, as_role, run_jobs)

    assert (second["sequence"], second["items"], second["reversals"]) == (2, 1, 1)
    assert second["total_amount"] == "20.00"  # -100.00 reversed, +120.00 sent
    rows = (await client.get(f"/api/payroll/export-batches/{second['id']}/rows", headers=as_role["payroll"])).json()
    assert sorted((r["reversal"], r["amount"]) for r in rows["rows"]) == [(False, "120.00"), (True, "-100.00")]
    assert await exported_per_item(client, as_role) == {ids["item"]: Decimal("120.00")}
    again = (await client.get(f"/api/payroll/export-batches/{first['id']}", headers=as_role["payroll"])).json()
    assert again == first


async def test_a_returned_item_not_approved_again_by_the_next_close_is_only_reversed(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    run_jobs: RunJobs,
) -> None:
    ids = await approve_claim(client, as_role, clock, amount="75.50")
    await close_november(client, as_role, run_jobs)
    await return_item(client, as_role, ids["item"])

    second = await close_november(client, as_role, run_jobs)

    assert (second["items"], second["reversals"], second["total_amount"]) == (1, 1, "-75.50")
    assert await exported_per_item(client, as_role) == {ids["item"]: Decimal("0.00")}
    third = await close_november(client, as_role, run_jobs)
    assert (third["items"], third["reversals"]) == (0, 0)  # reversed once, never twice


async def test_items_exported_in_different_batches_are_reversed_as_vouchers_of_their_own(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    run_jobs: RunJobs,
) -> None:
    first = await approve_claim(client, as_role, clock, amount="40.00")
    await close_november(client, as_role, run_jobs)  # voucher 1 of batch 1
    second = await approve_claim(client, as_role, clock, amount="60.00")
    await close_november(client, as_role, run_jobs)  # voucher 1 of batch 2
    await return_item(client, as_role, first["item"])
    await return_item(client, as_role, second["item"])

    reversing = await close_november(client, as_role, run_jobs)

    assert (reversing["items"], reversing["reversals"], reversing["vouchers"]) == (2, 2, 2)
    assert reversing["total_amount"] == "-100.00"
    sie = read_sie(
        (await client.get(f"/api/payroll/export-batches/{reversing['id']}/sie", headers=as_role["payroll"])).content
    )
    assert sorted(sum((row.amount for row in v.rows if row.amount > 0), Decimal(0)) for v in sie.vouchers) == [
        Decimal("40.00"),
        Decimal("60.00"),
    ]


async def test_an_item_returned_again_after_it_was_reversed_and_sent_anew_in_one_batch_is_reversed_once_more(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    run_jobs: RunJobs,
) -> None:
    """Found by the exactly-once property: batch 2 both reverses the item's first export and sends it anew;
    reversing that second export must negate only what it sent, not the reversal beside it."""
    ids = await approve_claim(client, as_role, clock, amount="10.00")
    await close_november(client, as_role, run_jobs)
    await return_item(client, as_role, ids["item"])
    await correct_and_approve(client, as_role, clock, ids, "10.00")
    second = await close_november(client, as_role, run_jobs)
    await return_item(client, as_role, ids["item"])

    third = await close_november(client, as_role, run_jobs)

    assert (second["items"], second["reversals"], second["total_amount"]) == (1, 1, "0.00")
    assert (third["items"], third["reversals"], third["total_amount"]) == (1, 1, "-10.00")
    assert await exported_per_item(client, as_role) == {ids["item"]: Decimal("0.00")}
