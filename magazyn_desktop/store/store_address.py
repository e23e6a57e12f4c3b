"""The address of a team's shared PostgreSQL store: parsed, checked for encryption, and shown without its password.

A bench connects only with TLS to anything but this computer: a missing `sslmode` becomes `verify-full` (the
certificate and the host name checked), and one that allows plaintext (`disable`, `allow`, `prefer`) is refused for
a remote host unless the caller says the network is trusted. A loopback address or a local socket needs no TLS.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

SCHEMES = ("postgresql", "postgres")
DEFAULT_PORT = 5432
PLAINTEXT_MODES = frozenset({"disable", "allow", "prefer"})
TLS_MODES = frozenset({"require", "verify-ca", "verify-full"})
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


class AddressProblem(enum.Enum):
    NOT_POSTGRESQL = "not_postgresql"  # another scheme: only PostgreSQL can be a team's store
    MALFORMED = "malformed"  # no host, no database, a port that is not a number, an unknown sslmode
    PLAINTEXT_REMOTE = "plaintext_remote"  # a remote host with an sslmode that may send everything in the clear


class StoreAddressError(ValueError):
    def __init__(self, problem: AddressProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class StoreAddress:
    """A PostgreSQL store's address without its password (which lives in the keyring, or comes with the URL once)."""

    host: str  # a name, an address, or a socket folder (starting with "/")
    port: int
    database: str
    user: str | None
    options: tuple[tuple[str, str], ...]  # the URL's query (sslmode, sslrootcert, ...), in order
    password: str | None = None  # only when the URL given carried one

    @property
    def sslmode(self) -> str | None:
        return dict(self.options).get("sslmode")

    @property
    def local(self) -> bool:
        return is_local_host(self.host)

    def without_password(self) -> StoreAddress:
        return replace(self, password=None)

    def display(self) -> str:
        """The address as people may see it (settings, doctor, logs): never with a password."""
        return self._url(None)

    def credential_key(self) -> str:
        """The keyring entry holding this store's password: one per user, server and database."""
        return f"store:{self.user or ''}@{self.host}:{self.port}/{self.database}"

    def libpq_url(self, password: str | None = None) -> str:
        """The URL for psycopg; `password` (else the URL's own) is included when known."""
        return self._url(password if password is not None else self.password)

    def sqlalchemy_url(self, password: str | None = None) -> str:
        return "postgresql+psycopg" + self.libpq_url(password).removeprefix("postgresql")

    def _url(self, password: str | None) -> str:
        credentials = ""
        if self.user:
            credentials = quote(self.user, safe="")
            if password:
                credentials += ":" + quote(password, safe="")
            credentials += "@"
        if self.host.startswith("/"):
            # A socket folder goes in the query: libpq reads host=/path there.
            location = ""
            options = (("host", self.host), *self.options)
        else:
            location = f"[{self.host}]" if ":" in self.host else self.host
            location += f":{self.port}"
            options = self.options
        query = f"?{urlencode(options)}" if options else ""
        return f"postgresql://{credentials}{location}/{quote(self.database, safe='')}{query}"


def is_local_host(host: str) -> bool:
    """This computer: a socket folder, a loopback address or the name localhost."""
    if not host or host.startswith("/") or host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_store_address(text: str, *, allow_plaintext: bool = False) -> StoreAddress:
    """A postgresql:// URL as a StoreAddress; raises StoreAddressError saying what is wrong.

    A remote host without sslmode gets verify-full; with a plaintext-capable sslmode it is refused unless
    `allow_plaintext` (the administrator's word that the network is trusted)."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise StoreAddressError(AddressProblem.MALFORMED, f"not a valid address: {exc}") from exc
    if parts.scheme.lower() not in SCHEMES:
        raise StoreAddressError(AddressProblem.NOT_POSTGRESQL,
                                f"a team's store is a postgresql:// address, not {parts.scheme or 'a file'}")
    options = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)]
    socket_folder = next((value for key, value in options if key == "host"), None)
    options = [(key, value) for key, value in options if key != "host"]
    host = unquote(parts.hostname or "") or (socket_folder or "")
    database = unquote(parts.path.lstrip("/"))
    if not host:
        raise StoreAddressError(AddressProblem.MALFORMED, "the address names no server")
    if not database:
        raise StoreAddressError(AddressProblem.MALFORMED, "the address names no database (…/DATABASE)")
    sslmode = dict(options).get("sslmode")
    if sslmode is not None and sslmode not in PLAINTEXT_MODES | TLS_MODES:
        raise StoreAddressError(AddressProblem.MALFORMED, f"unknown sslmode {sslmode!r}")
    if not is_local_host(host):
        if sslmode is None:
            options.append(("sslmode", "verify-full"))
        elif sslmode in PLAINTEXT_MODES and not allow_plaintext:
            raise StoreAddressError(AddressProblem.PLAINTEXT_REMOTE,
                                    f"sslmode={sslmode} may send the data to {host} unencrypted")
    return StoreAddress(
        host=host, port=port or DEFAULT_PORT, database=database,
        user=unquote(parts.username) if parts.username else None, options=tuple(options),
        password=unquote(parts.password) if parts.password else None,
    )
