"""Where the Allegro API and its OAuth server live: production, sandbox, or URLs given for a local test server."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Environment:
    name: str  # "production" | "sandbox" | "custom" | "demo"
    api_url: str  # REST API host, e.g. https://api.allegro.pl
    auth_url: str  # web host that serves /auth/oauth/*, e.g. https://allegro.pl
    upload_url: str | None = None  # host of issue attachment uploads (Allegro hands out the exact URL in Location)

    def auth_endpoint(self, name: str) -> str:
        """`device` or `token` on the OAuth host (OAuth lives on the web host, never on the API host)."""
        return f"{self.auth_url.rstrip('/')}/auth/oauth/{name}"

    def api_endpoint(self, path: str) -> str:
        return f"{self.api_url.rstrip('/')}/{path.lstrip('/')}"


PRODUCTION = Environment(
    name="production",
    api_url="https://api.allegro.pl",
    auth_url="https://allegro.pl",
    upload_url="https://upload.allegro.pl",
)
SANDBOX = Environment(
    name="sandbox",
    api_url="https://api.allegro.pl.allegrosandbox.pl",
    auth_url="https://allegro.pl.allegrosandbox.pl",
    upload_url="https://upload.allegro.pl.allegrosandbox.pl",
)


def custom_from_env(environ: Mapping[str, str] | None = None) -> Environment | None:
    """A custom environment from MAGAZYN_API_URL (and MAGAZYN_AUTH_URL, defaulting to the API URL), or None."""
    source = os.environ if environ is None else environ
    api_url = source.get("MAGAZYN_API_URL", "").strip()
    if not api_url:
        return None
    auth_url = source.get("MAGAZYN_AUTH_URL", "").strip() or api_url
    return Environment(name="custom", api_url=api_url.rstrip("/"), auth_url=auth_url.rstrip("/"), upload_url=None)
