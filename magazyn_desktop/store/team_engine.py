"""The SQLAlchemy engine over a team's PostgreSQL store, for the Store (the writer and its reads).

Few connections a bench: the writes are serialised by the Store's lock anyway, so one connection serves them, and
one more lets a read go on while a write holds the first. Connections are tested before use (the server may have
restarted) and send TCP keepalives, so a cut network is noticed in seconds rather than at the system's default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from magazyn_desktop.store.store_address import StoreAddress

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

CONNECT_TIMEOUT_SECONDS = 10
KEEPALIVE_ARGUMENTS = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3}


def create_team_engine(address: StoreAddress, password: str | None = None, *, application: str = "magazyn-desktop",
                       pool_size: int = 1, max_overflow: int = 1) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(
        address.sqlalchemy_url(password), pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": application,
                      **KEEPALIVE_ARGUMENTS},
    )
