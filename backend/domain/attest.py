"""The attest state machine, the same for every kind of item.

    (draft) --submit--> submitted --approve--> approved --pay run--> locked
                            |  ^                  |
                     return |  | resubmit         | payroll returns (not yet paid)
                            v  |                  |
                          returned <--------------+

Draft is the absence of an attest record: the employee is still editing.
"""

from __future__ import annotations

from enum import StrEnum

from backend.domain.errors import DomainError
from backend.domain.text import Text


class AttestState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    LOCKED = "locked"


class ItemKind(StrEnum):
    EXPENSE_CLAIM = "expense_claim"
    TRAVEL_CLAIM = "travel_claim"
    TIME_WEEK = "time_week"
    LEAVE_REQUEST = "leave_request"


class AttestError(DomainError):
    """A transition that is not allowed from the item's current state."""


class NotPending(AttestError):
    code = "attest.not_pending"
    category = "conflict"

    def __init__(self, state: str) -> None:
        super().__init__(
            Text(
                sv=f"Posten är {_state(state, 'sv')}, inte väntande på attest.",
                en=f"The item is {_state(state, 'en')}, not waiting for attest.",
            ),
            field="state",
        )


class ReasonRequired(AttestError):
    code = "attest.reason_required"

    def __init__(self) -> None:
        super().__init__(
            Text(
                sv="Ange varför posten skickas tillbaka, så att den kan rättas.",
                en="Say why the item is returned, so it can be corrected.",
            ),
            field="reason",
        )


class Locked(AttestError):
    code = "attest.locked"
    category = "conflict"

    def __init__(self) -> None:
        super().__init__(
            Text(
                sv="Posten ingår i en avslutad lönekörning och kan inte längre ändras.",
                en="The item is included in a finalised pay run and can no longer change.",
            ),
            field="state",
        )


class OwnItem(AttestError):
    code = "attest.own_item"
    category = "forbidden"

    def __init__(self) -> None:
        super().__init__(
            Text(sv="Ingen attesterar sina egna poster.", en="Nobody attests their own items."), field="item"
        )


class NotEditable(AttestError):
    code = "attest.not_editable"
    category = "conflict"

    def __init__(self, state: str) -> None:
        super().__init__(
            Text(
                sv=f"Posten är {_state(state, 'sv')}; bara utkast och returnerade poster kan ändras.",
                en=f"The item is {_state(state, 'en')}; only drafts and returned items can be changed.",
            ),
            field="state",
        )


STATE_NAMES = {
    "draft": Text(sv="utkast", en="draft"),
    "submitted": Text(sv="inskickad", en="submitted"),
    "approved": Text(sv="attesterad", en="approved"),
    "returned": Text(sv="returnerad", en="returned"),
    "locked": Text(sv="låst", en="locked"),
}


def _state(state: str, language: str) -> str:
    name = STATE_NAMES.get(state)
    return name(language) if name is not None else state


MAX_REASON = 1000


def editable(state: AttestState | None) -> bool:
    """Drafts (no record yet) and returned items can be changed by the employee."""
    return state is None or state == AttestState.RETURNED


def deletable(state: AttestState | None) -> bool:
    """Only what was never sent for attest can be deleted: once sent, even when returned, its history stays."""
    return state is None


def check_editable(state: AttestState | None) -> None:
    if state == AttestState.LOCKED:
        raise Locked()
    if not editable(state):
        raise NotEditable(str(state))


def check_submit(state: AttestState | None) -> AttestState:
    check_editable(state)
    return AttestState.SUBMITTED


def check_decision(
    state: AttestState, *, approve: bool, reason: str | None, own: bool, may_reopen: bool = False
) -> AttestState:
    """The state after approving or returning, or the reason it is not allowed.

    ``may_reopen``: payroll may also return an approved item not yet paid (an error report
    showed it wrong); an export that already carried it is reversed by the next batch.
    """
    if own:
        raise OwnItem()
    if state == AttestState.LOCKED:
        raise Locked()
    reopening = may_reopen and state == AttestState.APPROVED and not approve
    if state != AttestState.SUBMITTED and not reopening:
        raise NotPending(str(state))
    if approve:
        return AttestState.APPROVED
    if reason is None or not reason.strip():
        raise ReasonRequired()
    return AttestState.RETURNED


RETURNED_AT_LEAST = 1
"""Sent back this many times or more, an item counts as returned (lead times, the archive's filter),
also after it was corrected and approved: the return happened."""


def was_returned(times_returned: int) -> bool:
    return times_returned >= RETURNED_AT_LEAST
