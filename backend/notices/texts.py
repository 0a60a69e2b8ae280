"""What the notices say, in Swedish and English, and where they lead."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from backend.core.i18n import Text
from backend.domain.attest import ItemKind

KIND_NAMES: dict[str, Text] = {
    ItemKind.EXPENSE_CLAIM.value: Text(sv="utlägg", en="expense claim"),
    ItemKind.TRAVEL_CLAIM.value: Text(sv="reseräkning", en="travel claim"),
    ItemKind.TIME_WEEK.value: Text(sv="tidrapport", en="time report"),
    ItemKind.LEAVE_REQUEST.value: Text(sv="ledighetsansökan", en="leave request"),
}

YOUR_KIND: dict[str, Text] = {
    ItemKind.EXPENSE_CLAIM.value: Text(sv="ditt utlägg", en="your expense claim"),
    ItemKind.TRAVEL_CLAIM.value: Text(sv="din reseräkning", en="your travel claim"),
    ItemKind.TIME_WEEK.value: Text(sv="din tidrapport", en="your time report"),
    ItemKind.LEAVE_REQUEST.value: Text(sv="din ledighetsansökan", en="your leave request"),
}

INBOX_URL = "/attest"
NOTICES_URL = "/notifications"


def kind_name(kind: str) -> Text:
    return KIND_NAMES.get(kind, Text(sv="post", en="item"))


def your_kind(kind: str) -> Text:
    return YOUR_KIND.get(kind, Text(sv="din post", en="your item"))


def item_url(kind: str, subject_id: UUID) -> str:
    """Where the employee sees their own item."""
    if kind == ItemKind.EXPENSE_CLAIM.value:
        return f"/expenses/claims/{subject_id}"
    if kind == ItemKind.TRAVEL_CLAIM.value:
        return f"/travel/{subject_id}"
    if kind == ItemKind.TIME_WEEK.value:
        return "/time"
    if kind == ItemKind.LEAVE_REQUEST.value:
        return "/leave"
    return NOTICES_URL


def inbox_item_url(item_id: UUID) -> str:
    return f"{INBOX_URL}/items/{item_id}"


def kronor(amount: Decimal | None, language: str) -> str:
    if amount is None:
        return ""
    whole = f"{amount:,.2f}"
    if language == "sv":
        whole = whole.replace(",", " ").replace(".", ",")
    return f"{whole} kr"


def count_text(count: int, sv_one: str, sv_many: str, en_one: str, en_many: str) -> Text:
    return Text(
        sv=(sv_one if count == 1 else sv_many).format(n=count),
        en=(en_one if count == 1 else en_many).format(n=count),
    )
