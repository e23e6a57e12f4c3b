"""Tokens and the client secret in the OS keyring, or in memory for this session when no usable keyring exists.

keyring can be installed yet useless: the `fail` and `null` backends store nothing, and the plaintext/file
backends of keyrings.alt would put tokens on disk in the clear. Those count as unusable. Every keyring call is
guarded: a keyring error never reaches the caller, the value then lives in memory only.
"""

from __future__ import annotations

import json
import logging
import threading
from types import ModuleType
from typing import Any

from .models import TokenPair

log = logging.getLogger(__name__)

_UNUSABLE_BACKENDS = (
    "keyring.backends.fail.",
    "keyring.backends.null.",
    "keyrings.alt.file.",  # PlaintextKeyring, EncryptedKeyring: files in the home folder
    "keyrings.alt.Windows.",  # registry / plain files
)


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class CredentialStore:
    def __init__(self, service: str = "magazyn-desktop", keyring_module: Any = None) -> None:
        self.service = service
        self._lock = threading.Lock()
        self._memory: dict[str, str] = {}
        self._keyring: ModuleType | Any | None = keyring_module
        self._backend: object | None = None
        self.usable = False
        try:
            if self._keyring is None:
                import keyring

                self._keyring = keyring
            self._backend = self._keyring.get_keyring()
            self.usable = self._is_usable(self._backend)
        except Exception as exc:  # an import error or a broken backend: keep going in memory
            log.warning("keyring not available (%s); credentials are kept for this session only", type(exc).__name__)
            self.usable = False

    @property
    def memory_only(self) -> bool:
        return not self.usable

    @staticmethod
    def _is_usable(backend: object) -> bool:
        backends = [backend]
        inner = getattr(backend, "backends", None)  # keyring's ChainerBackend
        if isinstance(inner, (list, tuple)):
            backends = list(inner)
        usable = [
            candidate
            for candidate in backends
            if not _backend_name(candidate).startswith(_UNUSABLE_BACKENDS)
            and "plaintext" not in _backend_name(candidate).lower()
        ]
        return bool(usable)

    @property
    def backend_name(self) -> str | None:
        """The keyring backend's class ("keyring.backends.SecretService.Keyring"); None without one."""
        return _backend_name(self._backend) if self._backend is not None else None

    # -- tokens ---------------------------------------------------------------------------------------------------

    def save_tokens(self, account_key: str, tokens: TokenPair) -> None:
        value = json.dumps(
            {
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
                "expires_at": tokens.expires_at,
                "scope": tokens.scope,
            }
        )
        self._put(f"tokens:{account_key}", value)

    def load_tokens(self, account_key: str) -> TokenPair | None:
        value = self._get(f"tokens:{account_key}")
        if value is None:
            return None
        try:
            data = json.loads(value)
            return TokenPair(
                access_token=str(data["access_token"]),
                refresh_token=data.get("refresh_token"),
                expires_at=float(data.get("expires_at") or 0.0),
                scope=data.get("scope"),
            )
        except (ValueError, KeyError, TypeError):
            log.warning("stored tokens for an account are unreadable; ignoring them")
            return None

    def forget(self, account_key: str) -> None:
        self._delete(f"tokens:{account_key}")

    # -- client secret --------------------------------------------------------------------------------------------

    def save_secret(self, client_id: str, secret: str) -> None:
        self._put(f"client-secret:{client_id}", secret)

    def load_secret(self, client_id: str) -> str | None:
        return self._get(f"client-secret:{client_id}")

    # -- a team store's database password (keyed by StoreAddress.credential_key) --------------------------------

    def save_store_password(self, store_key: str, password: str) -> None:
        self._put(store_key, password)

    def load_store_password(self, store_key: str) -> str | None:
        return self._get(store_key)

    # -- guarded keyring access -----------------------------------------------------------------------------------

    def _put(self, key: str, value: str) -> None:
        with self._lock:
            self._memory[key] = value  # also in memory: the session keeps working if the keyring fails later
            if not self.usable or self._keyring is None:
                return
            try:
                self._keyring.set_password(self.service, key, value)
            except Exception as exc:
                log.warning("keyring refused to store a credential (%s); kept in memory only", type(exc).__name__)

    def _get(self, key: str) -> str | None:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            if not self.usable or self._keyring is None:
                return None
            try:
                value = self._keyring.get_password(self.service, key)
            except Exception as exc:
                log.warning("keyring could not read a credential (%s)", type(exc).__name__)
                return None
            if value is not None:
                self._memory[key] = value
            return value

    def _delete(self, key: str) -> None:
        with self._lock:
            self._memory.pop(key, None)
            if not self.usable or self._keyring is None:
                return
            try:
                self._keyring.delete_password(self.service, key)
            except Exception as exc:  # PasswordDeleteError when absent, or a backend failure
                log.debug("keyring delete skipped (%s)", type(exc).__name__)
