"""Lead-time figures for attest: how long items wait, and how often they are sent back.

Organisations whose managers attest continuously finish in about 4 days instead of 9;
these are the numbers that show whether a team is there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def percentile(values: Sequence[Decimal], share: Decimal) -> Decimal | None:
    """Nearest-rank percentile (the smallest value with at least ``share`` of values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class LeadTimes:
    decided: int
    median_days: Decimal | None
    p90_days: Decimal | None
    returned_share: Decimal | None
    """Returned / decided, 0..1."""
    waiting_over_limit: int


def lead_times(waits_days: Sequence[Decimal], returned: int, waiting_over_limit: int) -> LeadTimes:
    """Figures for one manager, team or the organisation; days rounded to a tenth."""

    def tenth(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(TENTH, ROUND_HALF_UP)

    decided = len(waits_days)
    return LeadTimes(
        decided=decided,
        median_days=tenth(median(waits_days)),
        p90_days=tenth(percentile(waits_days, Decimal("0.9"))),
        returned_share=(Decimal(returned) / decided).quantize(Decimal("0.001"), ROUND_HALF_UP) if decided else None,
        waiting_over_limit=waiting_over_limit,
    )
