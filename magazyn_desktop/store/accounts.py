"""The accounts table: the Allegro account (and the demo one) the cache belongs to; one signed-in account at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from magazyn_desktop.store.models import Account, utc_now
from magazyn_desktop.store.records import AccountInfo


def ensure_account(session: Session, environment: str, login: str | None) -> int:
    candidates = session.scalars(
        select(Account).where(Account.environment == environment).order_by(Account.id)
    ).all()
    chosen: Account | None = None
    if login is not None:
        chosen = next((a for a in candidates if a.login == login), None)
        if chosen is None:
            # An account first stored before its login was known.
            chosen = next((a for a in candidates if a.login is None), None)
            if chosen is not None:
                chosen.login = login
    elif candidates:
        chosen = candidates[0]
    if chosen is None:
        chosen = Account(environment=environment, login=login, is_active=True, created_at=utc_now())
        session.add(chosen)
        session.flush()
    if not chosen.is_active:
        chosen.is_active = True
    return chosen.id


def save_connected_account(
    session: Session, environment: str, *, client_id: str, login: str | None, user_id: str | None,
    api_url: str | None, auth_url: str | None,
) -> int:
    candidates = session.scalars(
        select(Account).where(Account.environment == environment).order_by(Account.id)
    ).all()
    chosen = next((a for a in candidates if login is not None and a.login == login), None) \
        or next((a for a in candidates if a.login is None), None)
    if chosen is None:
        chosen = Account(environment=environment, created_at=utc_now())
        session.add(chosen)
    chosen.login = login
    chosen.user_id = user_id
    chosen.client_id = client_id
    chosen.api_url = api_url
    chosen.auth_url = auth_url
    chosen.is_active = True
    session.flush()
    session.execute(
        update(Account)
        .where(Account.id != chosen.id, Account.client_id.is_not(None), Account.environment != "demo")
        .values(is_active=False)
    )
    return chosen.id


def account_login(session: Session, account_id: int) -> str | None:
    return session.scalar(select(Account.login).where(Account.id == account_id))


def account_created_at(session: Session, account_id: int) -> datetime | None:
    return session.scalar(select(Account.created_at).where(Account.id == account_id))


def connected_account(session: Session, excluding_environment: str) -> AccountInfo | None:
    row = session.scalars(
        select(Account)
        .where(
            Account.is_active.is_(True),
            Account.environment != excluding_environment,
            Account.client_id.is_not(None),
        )
        .order_by(Account.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    return AccountInfo(row.id, row.environment, row.login, row.client_id, row.api_url, row.auth_url)
