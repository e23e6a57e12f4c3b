"""Which store a launch asks for: `--store URL`, else MAGAZYN_STORE_URL, else the settings; none of them, the bench's
own SQLite file. Light on purpose: every launch asks, and the single bench must not pay for team mode's imports."""

from __future__ import annotations

import os
from collections.abc import Mapping

from magazyn_desktop.app.settings import Settings

STORE_URL_VARIABLE = "MAGAZYN_STORE_URL"
ALLOW_PLAINTEXT_VARIABLE = "MAGAZYN_STORE_ALLOW_PLAINTEXT"


def chosen_store_url(cli_value: str | None, settings: Settings, environ: Mapping[str, str] = os.environ) -> str:
    """The team store's address as given (empty: this bench's own file)."""
    for value in (cli_value, environ.get(STORE_URL_VARIABLE), settings.store_url):
        if value and value.strip():
            return value.strip()
    return ""
