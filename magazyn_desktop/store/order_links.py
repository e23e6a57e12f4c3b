"""Which order belongs to which conversation, beyond the order the conversation names itself.

The order_choices table keeps the order a user picked for a thread that names none; unavailable_orders keeps the
orders Allegro refused (404, 403), so nothing asks for them again. The queries here find the orders a background
fetch still has to bring into the cache.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from sqlalchemy import Table, delete, func, select, union
from sqlalchemy.orm import Session

from magazyn_desktop.store.models import Conversation, OrderCache, OrderChoice, UnavailableOrder, utc_now
from magazyn_desktop.store.statements import upsert

_UPSERT_CHOICE = upsert(cast(Table, OrderChoice.__table__), ["conversation_id"], ["order_id", "chosen_at"])
_UPSERT_UNAVAILABLE = upsert(cast(Table, UnavailableOrder.__table__), ["order_id"],
                             ["account_id", "status_code", "checked_at"])


def orders_to_fetch(session: Session, account_id: int, limit: int | None = None,
                    conversation_ids: Collection[str] | None = None) -> list[str]:
    """Order ids the account's conversations name (or had picked for them) that are neither cached nor known to be
    unavailable; each once, those of the most recently active conversations first. `conversation_ids` looks at
    those conversations only (read by key), instead of every one."""
    named = (
        select(Conversation.order_id.label("order_id"), Conversation.last_activity_at.label("active_at"))
        .where(Conversation.account_id == account_id, Conversation.order_id.is_not(None))
    )
    picked = (
        select(OrderChoice.order_id.label("order_id"), Conversation.last_activity_at.label("active_at"))
        .join(Conversation, Conversation.id == OrderChoice.conversation_id)
        .where(Conversation.account_id == account_id)
    )
    if conversation_ids is not None:
        if not conversation_ids:
            return []
        named = named.where(Conversation.id.in_(list(conversation_ids)))
        picked = picked.where(Conversation.id.in_(list(conversation_ids)))
    linked = union(named, picked).subquery()
    query = (
        select(linked.c.order_id)
        .where(
            linked.c.order_id.not_in(select(OrderCache.id)),
            linked.c.order_id.not_in(select(UnavailableOrder.order_id)),
        )
        .group_by(linked.c.order_id)
        .order_by(func.max(linked.c.active_at).desc(), linked.c.order_id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [order_id for (order_id,) in session.execute(query)]


def mark_unavailable(session: Session, account_id: int, order_id: str, status_code: int) -> None:
    session.execute(_UPSERT_UNAVAILABLE.on(session), {
        "order_id": order_id, "account_id": account_id, "status_code": status_code, "checked_at": utc_now(),
    })


def unavailable_status(session: Session, order_id: str) -> int | None:
    """The status Allegro refused the order with (404 or 403), or None when it was never refused."""
    return session.scalar(select(UnavailableOrder.status_code).where(UnavailableOrder.order_id == order_id))


def choose_order(session: Session, conversation_id: str, order_id: str) -> None:
    session.execute(_UPSERT_CHOICE.on(session), {"conversation_id": conversation_id, "order_id": order_id, "chosen_at": utc_now()})


def forget_choice(session: Session, conversation_id: str) -> None:
    session.execute(delete(OrderChoice).where(OrderChoice.conversation_id == conversation_id))


def chosen_order(session: Session, conversation_id: str) -> str | None:
    return session.scalar(select(OrderChoice.order_id).where(OrderChoice.conversation_id == conversation_id))
